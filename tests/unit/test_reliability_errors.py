"""Issue 8 item 1 for the batch entry points: bad input raises the library's error naming
the function (``batch.pure_nash:`` ...), never passes silently or leaks a NumPy message.
The same inputs also stand as rows of the error catalogue (tests/error_catalogue/stage.py).
"""

import numpy as np
import pytest

import paxgame as pg


def _nan_game():
    a = np.zeros((1, 2, 2))
    a[0, 0, 0] = np.nan
    return a


def test_batch_pure_nash_rejects_nan():
    a = _nan_game()
    with pytest.raises(ValueError, match=r"^batch\.pure_nash: "):
        pg.batch.pure_nash(np.stack([a, a], axis=1))


def test_batch_pure_nash_rejects_object_dtype():
    bad = np.array([[[[0, "a"], [1, 2]], [[0, 1], [1, 2]]]], dtype=object)
    with pytest.raises(TypeError, match=r"^batch\.pure_nash: "):
        pg.batch.pure_nash(bad)


def test_batch_support_enumeration_rejects_nan():
    with pytest.raises(ValueError, match=r"^batch\.support_enumeration: "):
        pg.batch.support_enumeration(_nan_game(), np.zeros((1, 2, 2)))


def test_batch_support_enumeration_rejects_object_dtype():
    bad = np.array([[[0, "a"], [1, 2]]], dtype=object)
    with pytest.raises(TypeError, match=r"^batch\.support_enumeration: "):
        pg.batch.support_enumeration(bad, np.zeros((1, 2, 2)))


def test_batch_shapley_and_banzhaf_reject_bad_values():
    """Fixed here (kernels/tu.py): non-finite and non-numeric worths are rejected."""
    for f, name in ((pg.batch.shapley, "batch.shapley"), (pg.batch.banzhaf, "batch.banzhaf")):
        with pytest.raises(ValueError, match=rf"^{name}: values\[0, 1\] must be finite"):
            f(np.array([[0, np.nan, 1, 2]]))
        with pytest.raises(TypeError, match=rf"^{name}: values must hold real numbers"):
            f(np.array([[0, "a", 1, 2]], dtype=object))
    np.testing.assert_allclose(pg.batch.shapley([0, 1, 1, 3]), [1.5, 1.5])

"""The shared validation helpers: every message starts with the function name."""

import numpy as np
import pytest

from paxgame import _validation as v


def test_as_float_array_rejects_ragged():
    with pytest.raises(ValueError, match=r"^f: x is ragged"):
        v.as_float_array("f", "x", [[1, 2], [3]])


def test_as_float_array_rejects_strings_and_objects():
    with pytest.raises(TypeError, match=r"^f: x must hold real numbers"):
        v.as_float_array("f", "x", np.array(["a", "b"]))
    with pytest.raises(TypeError, match=r"^f: x must hold real numbers only"):
        v.as_float_array("f", "x", np.array([object(), 1], dtype=object))
    with pytest.raises(TypeError, match=r"^f: x must be numeric"):
        v.as_float_array("f", "x", "12")


def test_as_float_array_names_the_nonfinite_entry():
    with pytest.raises(ValueError, match=r"^f: x\[1, 0\] must be finite, got nan"):
        v.as_float_array("f", "x", [[1, 2], [np.nan, 3]])


def test_as_float_array_accepts_object_array_of_numbers():
    out = v.as_float_array("f", "x", np.array([1, 2.5], dtype=object))
    assert out.dtype == np.float64 and out.tolist() == [1.0, 2.5]


@pytest.mark.parametrize("bad", [0, 1, 1.2, -0.1, float("nan"), float("inf")])
def test_check_discount_rejects_outside_open_interval(bad):
    with pytest.raises(ValueError, match=r"^g: discount must"):
        v.check_discount("g", bad)


def test_check_discount_types_and_per_player():
    with pytest.raises(TypeError, match=r"^g: discount must be a real number, got str"):
        v.check_discount("g", "0.9")
    with pytest.raises(TypeError):
        v.check_discount("g", True)
    assert v.check_discount("g", 0.5) == 0.5
    np.testing.assert_array_equal(v.check_discount("g", [0.5, 0.7], per_player=2), [0.5, 0.7])
    with pytest.raises(ValueError, match=r"^g: discount\[1\] must lie in \(0, 1\), got 1.0"):
        v.check_discount("g", [0.5, 1.0], per_player=2)


def test_check_stochastic():
    ok = v.check_stochastic("h", "transition", [[0.5, 0.5], [0.25, 0.75]])
    assert ok.shape == (2, 2)
    with pytest.raises(ValueError, match=r"^h: row 1 of transition sums to 0.9"):
        v.check_stochastic("h", "transition", [[0.5, 0.5], [0.2, 0.7]])
    with pytest.raises(ValueError, match=r"^h: transition\[0, 1\] is a negative probability"):
        v.check_stochastic("h", "transition", [[1.5, -0.5], [0.5, 0.5]])
    with pytest.raises(ValueError, match=r"^h: transition must be square"):
        v.check_stochastic("h", "transition", [[1.0, 0.0]])
    # within the 1e-9 tolerance
    v.check_stochastic("h", "transition", [[0.5, 0.5 + 5e-10], [0.0, 1.0]])


def test_check_method_lists_choices_and_suggests():
    table = {"support": 1, "vertex": 2}
    assert v.check_method("nash", "Support", table) == 1
    with pytest.raises(ValueError) as info:
        v.check_method("nash", "suport", table)
    assert str(info.value) == ("Unknown method 'suport' for nash; choose one of: support, "
                               "vertex (did you mean 'support'?)")


def test_check_names():
    assert v.check_names("f", "players", ["a", "b"], 2) == ("a", "b")
    with pytest.raises(ValueError, match=r"^f: players\[1\] duplicates players\[0\] \('a'\)"):
        v.check_names("f", "players", ["a", "a"], 2)
    with pytest.raises(ValueError, match=r"^f: players must have 3 entries, got 2"):
        v.check_names("f", "players", ["a", "b"], 3)
    with pytest.raises(TypeError, match=r"^f: players\[0\] must be a string"):
        v.check_names("f", "players", [1, "b"], 2)


def test_probability_and_nonnegative():
    assert v.check_probability("f", "p", 0.3) == 0.3
    with pytest.raises(ValueError, match=r"^f: p must lie in \[0, 1\], got -0.1"):
        v.check_probability("f", "p", -0.1)
    with pytest.raises(ValueError, match=r"^f: cap must be non-negative, got -1.0"):
        v.check_nonnegative("f", "cap", -1)
    with pytest.raises(ValueError, match=r"^f: loss\[1\] must be non-negative"):
        v.check_nonnegative("f", "loss", [1.0, -2.0])


def test_as_float_array_rejects_integers_too_large_for_a_float():
    with pytest.raises(ValueError, match=r"^f: x must be finite, got a number too large"):
        v.as_float_array("f", "x", [[10**400, 1]])

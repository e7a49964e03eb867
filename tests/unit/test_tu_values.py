"""Shapley (exact, sampled), Banzhaf and power indices."""

import numpy as np
import pytest

import paxgame as pg


def test_exact_shapley_certificate_and_dict():
    tu = pg.TUGame([0, 1, 2, 4], players=["a", "b"])
    r = pg.shapley(tu)
    assert r.as_dict() == pytest.approx({"a": 1.5, "b": 2.5})
    assert r.verify() and r.verify(exact=True) and r.success


def test_verify_detects_a_wrong_value():
    tu = pg.TUGame([0, 1, 2, 4])
    r = pg.shapley(tu)
    import dataclasses

    bad = dataclasses.replace(r, value=np.array([2.0, 2.0]))
    assert not bad.verify() and "formula" in bad.verify().failures()
    assert not bad.verify(exact=True)


def test_sampled_shapley_is_efficient_reproducible_and_close():
    rng = np.random.default_rng(3)
    v = rng.random(1 << 6) * np.arange(1 << 6) / 10
    v[0] = 0
    tu = pg.TUGame(v)
    a = pg.shapley(tu, method="sample", n_samples=3000, random_state=7)
    b = pg.shapley(tu, method="sample", n_samples=3000, random_state=7)
    assert np.array_equal(a.value, b.value) and np.array_equal(a.standard_error,
                                                               b.standard_error)
    assert a.value.sum() == pytest.approx(v[-1])
    exact = pg.shapley(tu).value
    assert np.all(np.abs(a.value - exact) <= 5 * a.standard_error + 1e-12)
    assert a.verify() and a.n_samples == 3000 and a.method == "sample"


def test_sampling_generator_argument():
    tu = pg.glove_game(1, 2)
    r = pg.shapley(tu, method="sample", n_samples=50, random_state=np.random.default_rng(1))
    assert r.value.shape == (3,)


def test_banzhaf_and_normalised():
    tu = pg.weighted_voting([3, 2, 1], 4)   # winning: {0,1}, {0,2}, {0,1,2}
    r = pg.banzhaf(tu)
    # swings: player 0 in 3 coalitions, players 1 and 2 in 1 each, out of 4
    np.testing.assert_allclose(r.value, [0.75, 0.25, 0.25])
    np.testing.assert_allclose(r.normalized(), [0.6, 0.2, 0.2])
    assert r.verify() and r.verify(exact=True)


def test_power_indices_eec():
    # EEC Council 1958 [12; 4,4,4,2,2,1]: Shapley-Shubik 14/60 for the big three,
    # 9/60 for Belgium and the Netherlands, 0 for Luxembourg (Felsenthal & Machover 1998)
    ss = pg.shapley_shubik_index([4, 4, 4, 2, 2, 1], 12,
                                 players=["F", "D", "I", "B", "N", "L"])
    np.testing.assert_allclose(ss.index, np.array([14, 14, 14, 9, 9, 0]) / 60)
    assert ss.as_dict()["L"] == 0 and ss.verify()
    bz = pg.banzhaf_index([4, 4, 4, 2, 2, 1], 12, normalized=False)
    np.testing.assert_allclose(bz.index, np.array([10, 10, 10, 6, 6, 0]) / 32)
    assert bz.kind == "banzhaf_absolute" and bz.verify() and bz.verify(exact=True)


def test_value_errors():
    with pytest.raises(ValueError, match="^Unknown method 'perm' for shapley"):
        pg.shapley(pg.glove_game(1, 1), method="perm")
    with pytest.raises(TypeError, match="^shapley: expected a TUGame"):
        pg.shapley([0, 1, 1, 2])
    with pytest.raises(ValueError, match="^shapley: n_samples must be at least 2"):
        pg.shapley(pg.glove_game(1, 1), method="sample", n_samples=1)

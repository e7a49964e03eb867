"""The batch kernels pg.batch.pure_nash and pg.batch.support_enumeration."""

import numpy as np
import pytest

import paxgame as pg
from paxgame.kernels.support_enumeration import is_degenerate


def test_pure_nash_mask_and_tolerance():
    pd = np.array([[[[3, 0], [5, 1]], [[3, 5], [0, 1]]]], dtype=float)
    np.testing.assert_array_equal(pg.batch.pure_nash(pd)[0], [[False, False], [False, True]])
    near = pd.copy()
    near[0, 0, 0, 0] = 5 - 1e-12          # cooperate almost as good as defect
    near[0, 1, 0, 0] = 5 - 1e-12
    assert pg.batch.pure_nash(near, tol=1e-9)[0, 0, 0]
    assert not pg.batch.pure_nash(near)[0, 0, 0]


def test_pure_nash_chunks_agree():
    rng = np.random.default_rng(3)
    P = rng.integers(-2, 3, size=(97, 3, 2, 3, 2)).astype(float)
    full = pg.batch.pure_nash(P)
    for chunk in (1, 7, 1000):
        np.testing.assert_array_equal(pg.batch.pure_nash(P, chunk=chunk), full)
    # brute force
    for b in range(P.shape[0]):
        for prof in np.ndindex(2, 3, 2):
            ok = all(P[(b, i) + prof] >= np.moveaxis(P[b, i], i, 0)[
                (slice(None),) + prof[:i] + prof[i + 1:]].max() for i in range(3))
            assert full[(b,) + prof] == ok


def test_pure_nash_shape_error():
    with pytest.raises(ValueError, match="pure_nash: payoffs must have shape"):
        pg.batch.pure_nash(np.zeros((2, 2, 2)))


def test_support_enumeration_batch_matches_scalar():
    rng = np.random.default_rng(5)
    A = rng.integers(-2, 3, size=(60, 3, 4)).astype(float)   # integer: many degenerate games
    B = rng.integers(-2, 3, size=(60, 3, 4)).astype(float)
    res = pg.batch.support_enumeration(A, B)
    assert res.counts.sum() == res.game.size == res.x.shape[0]
    assert np.all(np.diff(res.game) >= 0)
    for g in range(60):
        scalar = pg.nash(pg.NormalFormGame([A[g], B[g]]))
        rows = np.flatnonzero(res.game == g)
        assert len(rows) == len(scalar)
        got = sorted((tuple(np.round(res.x[r], 9)), tuple(np.round(res.y[r], 9))) for r in rows)
        want = sorted((tuple(np.round(e.strategies[0], 9)), tuple(np.round(e.strategies[1], 9)))
                      for e in scalar)
        assert got == want
        assert res.finite[g] == scalar.finite
        for r in rows:
            np.testing.assert_allclose(res.payoffs[r], [res.x[r] @ A[g] @ res.y[r],
                                                        res.x[r] @ B[g] @ res.y[r]], atol=1e-12)


def test_support_enumeration_chunking():
    rng = np.random.default_rng(8)
    A = rng.standard_normal((50, 4, 4))
    B = rng.standard_normal((50, 4, 4))
    whole = pg.batch.support_enumeration(A, B)
    parts = pg.batch.support_enumeration(A, B, chunk=7)
    np.testing.assert_array_equal(whole.game, parts.game)
    np.testing.assert_allclose(whole.x, parts.x)
    np.testing.assert_array_equal(whole.counts, parts.counts)


def test_support_enumeration_odd_shapes():
    # one action for a player: the other best-responds
    A = np.array([[[1.0, 3.0, 2.0]]])
    B = np.array([[[0.0, 5.0, 1.0]]])
    res = pg.batch.support_enumeration(A, B)
    assert res.counts.tolist() == [1] and res.y[0].tolist() == [0, 1, 0]
    with pytest.raises(ValueError, match="support_enumeration: A and B must have the same"):
        pg.batch.support_enumeration(np.zeros((1, 2, 2)), np.zeros((1, 2, 3)))


def test_is_degenerate():
    g = pg.load("games/classic/degenerate_3x2.toml")
    A, B = (np.asarray(p)[None] for p in g.payoffs)
    assert is_degenerate(A, B).tolist() == [True]
    rng = np.random.default_rng(0)
    assert not is_degenerate(rng.standard_normal((20, 3, 3)),
                             rng.standard_normal((20, 3, 3))).any()

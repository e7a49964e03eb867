"""Vertex enumeration and Lemke-Howson of paxgame's own (issue 13, items 1 and 2)."""

from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

import paxgame as pg
from paxgame.kernels.lemke_howson import lemke_howson
from paxgame.kernels.vertex_enumeration import vertex_enumeration

ROOT = Path(__file__).resolve().parents[2]
# the corpus lives in shared/ beside the repository (or beside its worktree folder)
CORPUS = next((p / "shared" / "games-corpus" / "gambit" for p in (ROOT.parent,
               ROOT.parent.parent) if (p / "shared" / "games-corpus" / "gambit").is_dir()),
              ROOT.parent / "shared" / "games-corpus" / "gambit")
TWO_PLAYER = ([p for p in sorted(CORPUS.glob("*.nfg")) if pg.load(p).n_players == 2]
              if CORPUS.is_dir() else [])

# Gambit's "long Lemke-Howson paths" 6x6 game (issue 13; Savani & von Stengel 2006 style)
LONG_A = np.array([[-180, 72, -333, 297, -153, 270], [-30, 17, -33, 42, -3, 20],
                   [-81, 36, -126, 126, -36, 90], [90, -36, 126, -126, 36, -81],
                   [20, -3, 42, -33, 17, -30], [270, -153, 297, -333, 72, -180]], float)
LONG_B = np.array([[72, 36, 17, -3, -36, -153], [-180, -81, -30, 20, 90, 270],
                   [297, 126, 42, -33, -126, -333], [-333, -126, -33, 42, 126, 297],
                   [270, 90, 20, -30, -81, -180], [-153, -36, -3, 17, 36, 72]], float)


def keys(res, decimals=7):
    return sorted((tuple(np.round(e.strategies[0], decimals) + 0.0),
                   tuple(np.round(e.strategies[1], decimals) + 0.0)) for e in res)


def same(first, second, atol=1e-7):
    """The two results list the same equilibria (matched within atol)."""
    rest = [np.concatenate(e.strategies) for e in second]
    if len(rest) != len(first):
        return False
    for e in first:
        v = np.concatenate(e.strategies)
        hit = next((k for k, w in enumerate(rest) if np.allclose(v, w, atol=atol)), None)
        if hit is None:
            return False
        rest.pop(hit)
    return True


def brute_force(A, B):
    """Every extreme equilibrium of a small non-degenerate game by the textbook method:
    all equal-size support pairs, both indifference systems solved (von Stengel 2007,
    algorithm 3.4), written independently of the kernels."""
    m, n = A.shape
    out = []
    for k in range(1, min(m, n) + 1):
        for I in combinations(range(m), k):
            for J in combinations(range(n), k):
                My = np.vstack([np.hstack([A[np.ix_(I, J)], -np.ones((k, 1))]),
                                np.hstack([np.ones((1, k)), [[0.0]]])])
                Mx = np.vstack([np.hstack([B[np.ix_(I, J)].T, -np.ones((k, 1))]),
                                np.hstack([np.ones((1, k)), [[0.0]]])])
                rhs = np.zeros(k + 1)
                rhs[-1] = 1
                try:
                    yJ = np.linalg.solve(My, rhs)[:k]
                    xI = np.linalg.solve(Mx, rhs)[:k]
                except np.linalg.LinAlgError:
                    continue
                if yJ.min() <= 1e-12 or xI.min() <= 1e-12:
                    continue
                x = np.zeros(m)
                y = np.zeros(n)
                x[list(I)] = xI
                y[list(J)] = yJ
                if (A @ y).max() <= x @ A @ y + 1e-9 and (x @ B).max() <= x @ B @ y + 1e-9:
                    out.append((tuple(np.round(x, 7) + 0.0), tuple(np.round(y, 7) + 0.0)))
    return sorted(out)


@pytest.mark.parametrize("m,n,seed", [(3, 3, 0), (4, 3, 1), (4, 5, 2), (5, 5, 3)])
def test_vertex_matches_brute_force_and_support(m, n, seed):
    rng = np.random.default_rng(seed)
    for _ in range(8):
        A, B = rng.standard_normal((m, n)), rng.standard_normal((m, n))
        g = pg.NormalFormGame([A, B])
        vertex = pg.nash(g, "vertex")
        assert vertex.status == "optimal" and vertex.complete and vertex.finite
        assert keys(vertex) == brute_force(A, B) == keys(pg.nash(g))
        assert vertex.verify().ok


def test_vertex_matches_support_on_degenerate_integer_games():
    # small integer payoffs: many ties, continua of equilibria
    rng = np.random.default_rng(7)
    for _ in range(40):
        A = rng.integers(-2, 3, size=(3, 4)).astype(float)
        B = rng.integers(-2, 3, size=(3, 4)).astype(float)
        g = pg.NormalFormGame([A, B])
        vertex, support = pg.nash(g, "vertex"), pg.nash(g)
        assert keys(vertex) == keys(support)
        assert vertex.finite == support.finite
        assert vertex.verify(exact=True).ok


@pytest.mark.skipif(not TWO_PLAYER, reason="the Gambit corpus is absent")
def test_vertex_matches_support_on_the_gambit_corpus():
    # includes the all-zero games, on which nashpy's vertex enumeration raised TypeError,
    # and von Stengel's 6x6 game with 75 equilibria
    for path in TWO_PLAYER:
        g = pg.load(path)
        vertex, support = pg.nash(g, "vertex"), pg.nash(g)
        assert vertex.status == "optimal", path.name
        assert same(vertex, support), path.name
        assert vertex.verify().ok, path.name
    g = pg.load(CORPUS / "dcg-vonstengel1999-6x6_game_with_75_eq.nfg")
    assert len(pg.nash(g, "vertex")) == 75


@pytest.mark.skipif(not TWO_PLAYER, reason="the Gambit corpus is absent")
def test_all_zero_games_of_the_corpus():
    for name in ("zero.nfg", "tests-2x2_bimatrix_all_zero_payoffs.nfg"):
        g = pg.load(CORPUS / name)
        assert not np.any(np.asarray(g.payoffs))
        res = pg.nash(g, "vertex")
        assert res.finite is False and len(res) == 4
        assert pg.nash(g, "lemke_howson").status == "optimal"


def test_vertex_batch_payoffs_and_per_player_tolerance():
    # one player's payoffs 1e9 times the other's: the same equilibria as unscaled
    rng = np.random.default_rng(5)
    A, B = rng.standard_normal((4, 3, 3)), rng.standard_normal((4, 3, 3))
    base = pg.batch.vertex_enumeration(A, B)
    big = pg.batch.vertex_enumeration(A * 1e9, B * 1e-9)
    np.testing.assert_allclose(big.x, base.x, atol=1e-9)
    np.testing.assert_allclose(big.payoffs[:, 0], base.payoffs[:, 0] * 1e9, rtol=1e-9)


def test_lemke_howson_long_path_game_from_every_label():
    # issue 13: nashpy cycled from labels 0, 5, 6, 7, 10, 11; Gambit and QuantEcon need at
    # most 88 pivots
    g = pg.NormalFormGame([LONG_A, LONG_B])
    res = pg.nash(g, "lemke_howson")
    assert res.status == "optimal" and len(res) == 1
    assert res.verify(exact=True).ok
    kernel = lemke_howson(np.broadcast_to(LONG_A, (12, 6, 6)),
                          np.broadcast_to(LONG_B, (12, 6, 6)), np.arange(12))
    assert kernel.converged.all() and kernel.pivots.max() == 88
    assert keys(res) == keys(pg.nash(g))


def test_lemke_howson_matches_quantecon_paths():
    qe = pytest.importorskip("quantecon.game_theory")
    rng = np.random.default_rng(3)
    A, B = rng.standard_normal((6, 7, 5)), rng.standard_normal((6, 7, 5))
    for label in (0, 3, 8):
        res = pg.batch.lemke_howson(A, B, labels=label)
        for g in range(6):
            (x, y), info = qe.lemke_howson(qe.NormalFormGame((qe.Player(A[g]),
                                                              qe.Player(B[g].T))),
                                           init_pivot=label, full_output=True)
            np.testing.assert_allclose(res.x[g], x, atol=1e-9)
            np.testing.assert_allclose(res.y[g], y, atol=1e-9)
            assert res.pivots[g] == info.num_iter


def test_lemke_howson_labels_option_and_cap():
    g = pg.NormalFormGame([LONG_A, LONG_B])
    # issue 17: labels=3 raised TypeError "'int' object is not iterable"
    res = pg.nash(g, "lemke_howson", options={"labels": 3})
    assert res.status == "optimal" and len(res) == 1
    assert keys(pg.nash(g, method="lemke_howson", labels=3)) == keys(res)
    with pytest.raises(ValueError, match="nash: unknown option 'labels' for method 'support'"):
        pg.nash(g, labels=3)
    with pytest.raises(ValueError, match="given both in options and as a keyword"):
        pg.nash(g, "lemke_howson", labels=3, options={"labels": 2})
    capped = pg.nash(g, "lemke_howson", options={"labels": [0], "max_iter": 5})
    assert capped.status == "max_iter_reached" and len(capped) == 0
    assert "max_iter=5" in capped.message
    with pytest.raises(TypeError, match=r"nash: options\['labels'\] must be an integer"):
        pg.nash(g, "lemke_howson", options={"labels": "0"})
    with pytest.raises(ValueError, match=r"nash: options\['labels'\] must hold integers"):
        pg.nash(g, "lemke_howson", options={"labels": [12]})
    with pytest.raises(ValueError, match=r"nash: options\['max_iter'\]"):
        pg.nash(g, "lemke_howson", options={"max_iter": 0})


def test_lemke_howson_degenerate_games_terminate():
    # lexicographic pivoting: no cycling on degenerate games (csg4, an all-tie game)
    A = np.array([[3, 1, 2, 2], [1, 3, 2, 2], [2, 2, 1, 3], [2, 2, 3, 1]], float)
    for g in (pg.NormalFormGame([A, 4 - A]),
              pg.NormalFormGame([np.ones((3, 3)), np.ones((3, 3))]),
              pg.load("games/classic/degenerate_3x2.toml")):
        res = pg.nash(g, "lemke_howson")
        assert res.status == "optimal" and len(res) >= 1
        assert res.verify(exact=True).ok


def test_batch_lemke_howson_validation():
    with pytest.raises(ValueError, match="batch.lemke_howson: labels must be integers"):
        pg.batch.lemke_howson(np.zeros((1, 2, 2)), np.zeros((1, 2, 2)), labels=4)
    with pytest.raises(ValueError, match="batch.lemke_howson: max_iter"):
        pg.batch.lemke_howson(np.zeros((1, 2, 2)), np.zeros((1, 2, 2)), max_iter=0)
    with pytest.raises(ValueError, match="batch.vertex_enumeration: A and B"):
        pg.batch.vertex_enumeration(np.zeros((1, 2, 2)), np.zeros((1, 2, 3)))


def test_kernels_one_action_side():
    # a player with one action: the polytope is a segment, the path one pivot
    A = np.array([[[1.0, 3.0, 2.0]]])
    B = np.array([[[0.0, 1.0, 1.0]]])
    res = vertex_enumeration(A, B)
    assert res.counts[0] == 2 and not res.finite[0]
    lh = lemke_howson(A, B, 0)
    assert lh.converged[0] and lh.x[0, 0] == 1.0

"""Regressions of issues 13, 17 and 20 for stage games: degeneracy at every payoff scale,
per-player tolerances, tol=0, exact certificates, resource guards, weak dominance."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given, strategies as st

import paxgame as pg
from paxgame.cli import main

# Gambit's csg4.nfg (issue 13): 4 extreme equilibria
CSG4 = np.array([[3, 1, 2, 2], [1, 3, 2, 2], [2, 2, 1, 3], [2, 2, 3, 1]], float)
# issue 17: a matching-pennies cycle whose row player's payoffs are in the billions
BIG_SMALL = [np.array([[1, -1], [0, 0]]) * 1e9, np.array([[0, 1], [1, 0]])]


@pytest.mark.parametrize("scale", [1.0, 1 / 3, 1e6 / 3, 1e-9 / 7])
@pytest.mark.parametrize("method", ["support", "vertex"])
def test_csg4_has_four_extreme_equilibria_at_every_scale(scale, method):
    g = pg.NormalFormGame([CSG4 * scale, (4 - CSG4) * scale])
    res = pg.nash(g, method)
    assert len(res) == 4 and res.finite is False
    halves = {(0.5, 0.5, 0.0, 0.0), (0.0, 0.0, 0.5, 0.5)}
    for eq in res:
        assert {tuple(np.round(s, 9) + 0.0) for s in eq.strategies} <= halves
        assert eq.verify(exact=True).ok, eq.verify(exact=True)


def test_per_player_scale_regression():
    g = pg.NormalFormGame(BIG_SMALL)
    assert pg.pure_nash(g).shape == (0, 2)
    assert pg.nash(g, "pure").status == "empty"
    for method in ("support", "vertex", "lemke_howson"):
        res = pg.nash(g, method)
        assert len(res) == 1 and res.verify(exact=True).ok
        np.testing.assert_allclose(res[0].strategies[0], [0.5, 0.5])
        np.testing.assert_allclose(res[0].strategies[1], [0.5, 0.5])
    # the batch kernels: per game and per player
    assert not pg.batch.pure_nash(np.stack(BIG_SMALL)[None], tol=1e-9).any()
    sup = pg.batch.support_enumeration(BIG_SMALL[0][None], BIG_SMALL[1][None].astype(float))
    assert sup.counts.tolist() == [1]


def test_a_wrong_equilibrium_is_caught_per_player():
    # (0, 0) is no equilibrium: the column player gains 1, a small number next to 1e9
    g = pg.NormalFormGame(BIG_SMALL)
    fake = pg.Equilibrium(strategies=(np.array([1.0, 0.0]), np.array([1.0, 0.0])),
                          payoffs=np.array([1e9, 0.0]), regret=1.0,
                          support=(np.array([0]), np.array([0])), game=g)
    assert not fake.verify().ok and "regret" in fake.verify().failures()


@given(st.integers(0, 2 ** 16), st.floats(-9, 9), st.floats(-9, 9), st.floats(-5, 5))
def test_equilibria_do_not_depend_on_per_player_scales(seed, log_a, log_b, shift):
    rng = np.random.default_rng(seed)
    A, B = rng.integers(-3, 4, size=(2, 3, 3)).astype(float)
    g = pg.NormalFormGame([A, B])
    h = pg.NormalFormGame([A * 10.0 ** log_a + shift * 10.0 ** log_a, B * 10.0 ** log_b])
    for method in ("support", "vertex"):
        base, scaled = pg.nash(g, method), pg.nash(h, method)
        assert len(base) == len(scaled), method
        for e, f in zip(base, scaled):
            for s, t in zip(e.strategies, f.strategies):
                np.testing.assert_allclose(s, t, atol=1e-7)
        assert scaled.verify().ok
    np.testing.assert_array_equal(pg.pure_nash(g, tol=1e-9), pg.pure_nash(h, tol=1e-9))


def test_tol_zero_is_accepted_everywhere():
    g = pg.load("games/classic/chicken.toml")
    assert pg.pure_nash(g, tol=0).tolist() == [[0, 1], [1, 0]]
    for method in ("support", "vertex", "lemke_howson", "pure"):
        res = pg.nash(g, method, tol=0)
        assert res.status == "optimal" and res.verify().ok       # tol=0: exact check
        assert res.verify().exact
    assert pg.minmax(g, 0, tol=0).verify().ok
    assert pg.correlated(g, tol=0).status in ("optimal", "uncertified")
    assert pg.eliminate_dominated(g, tol=0)[1][0].tolist() == [0, 1]
    assert pg.eliminate_weakly_dominated(g, tol=0).verify().ok
    with pytest.raises(ValueError, match="pure_nash: tol must be non-negative"):
        pg.pure_nash(g, tol=-1)


def test_correlated_exact_certificate_checks_every_field():
    g = pg.load("games/classic/chicken.toml")
    res = pg.correlated(g)
    assert res.verify().ok and res.verify(exact=True).ok
    for change in ({"distribution": res.distribution * 3}, {"payoffs": res.payoffs + 100},
                   {"objective_value": res.objective_value * 0.5}):
        bad = dataclasses.replace(res, **change)
        assert not bad.verify().ok, change
        assert not bad.verify(exact=True).ok, change


def test_minmax_exact_certificate():
    g = pg.load("games/classic/matching_pennies.toml")
    res = pg.minmax(g, 0)
    bad = dataclasses.replace(res, punishment=(res.punishment[0] * 0.1,),
                              value=res.value * 0.1 + 0.1)
    assert not bad.verify().ok and not bad.verify(exact=True).ok
    bad = dataclasses.replace(res, punishment=(res.punishment[0] * 0.1,),
                              value=res.value * 0.1)
    assert not bad.verify(exact=True).ok


def test_exact_certificates_accept_correct_answers():
    # issue 20: 46 of 306 correct minmax answers failed verify(exact=True) (decimal reading
    # of floats such as -19.999999999999996)
    rng = np.random.default_rng(20)
    for _ in range(25):
        A, B = rng.integers(-20, 21, size=(2, 3, 4)).astype(float)
        g = pg.NormalFormGame([A, B])
        for player in (0, 1):
            for mixed in (True, False):
                res = pg.minmax(g, player, mixed=mixed)
                assert res.verify(exact=True).ok, (A, B, player, res.verify(exact=True))
        res = pg.correlated(g)
        assert res.status == "optimal" and res.verify(exact=True).ok
        assert pg.nash(g).verify(exact=True).ok


def test_correlated_with_huge_payoffs_raises_a_documented_error():
    g = pg.NormalFormGame([np.array([[1e308, 0], [0, 1e308]]),
                           np.array([[0, 1e308], [1e308, 0]])])
    with pytest.raises(ValueError, match="^correlated: payoffs up to 1e"):
        pg.correlated(g)


def test_support_enumeration_refuses_large_games_and_names_the_methods_that_scale():
    rng = np.random.default_rng(0)
    g = pg.NormalFormGame([rng.standard_normal((16, 16)), rng.standard_normal((16, 16))])
    with pytest.raises(ValueError, match="vertex.*lemke_howson"):
        pg.nash(g)
    res = pg.nash(g, "lemke_howson", options={"labels": 0})
    assert res.status == "optimal" and res.verify().ok
    # issue 20: 24x24 allocated 13.5 GiB; now refused before any allocation
    A = np.zeros((2, 24, 24))
    with pytest.raises(ValueError, match="batch.support_enumeration: 24x24 games.*"
                                         "batch.vertex_enumeration"):
        pg.batch.support_enumeration(A, A)


def test_cli_solve_three_player_30_cube(tmp_path, capsys):
    # issue 20: the correlated LP aborted the process (std::bad_alloc)
    rng = np.random.default_rng(1)
    path = pg.save(pg.NormalFormGame(rng.integers(-5, 6, size=(3, 30, 30, 30)).astype(float)),
                   tmp_path / "big.toml")
    assert main(["solve", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert '"correlated": null' in out and "above the LP's limit" in out


def test_weak_dominance_order_and_replay():
    g = pg.NormalFormGame([[[1, 1], [1, 0]], [[1, 1], [1, 0]]])
    sim = pg.eliminate_weakly_dominated(g)
    seq = pg.eliminate_weakly_dominated(g, order="sequential")
    assert [k.tolist() for k in sim.kept] == [[0], [0]]
    assert [k.tolist() for k in seq.kept] == [[0], [0, 1]]
    assert [(r, i, a) for r, i, a, _ in sim.steps] == [(1, 0, 1), (1, 1, 1)]
    assert "order" in sim.message and sim.verify().ok and seq.verify().ok
    # a tampered step (the dominator does not dominate) fails the replay
    bad_steps = ((1, 0, 1, np.array([0.0, 1.0])),) + sim.steps[1:]
    assert not dataclasses.replace(sim, steps=bad_steps).verify().ok
    assert not dataclasses.replace(sim, kept=(np.array([0, 1]), np.array([0]))).verify().ok
    # mixed weak dominance: c = (1, 1, -1) is weakly dominated by (a + b) / 2 = (1, 1, 0)
    A = np.array([[2.0, 0.0, 0.0], [0.0, 2.0, 0.0], [1.0, 1.0, -1.0]])
    g = pg.NormalFormGame([A, np.zeros((3, 3))])
    assert pg.eliminate_weakly_dominated(g).kept[0].tolist() == [0, 1, 2]
    mixed = pg.eliminate_weakly_dominated(g, mixed=True)
    assert mixed.kept[0].tolist() == [0, 1] and mixed.verify().ok
    np.testing.assert_allclose(mixed.steps[0][3], [0.5, 0.5, 0.0])
    with pytest.raises(ValueError, match="eliminate_weakly_dominated: order must be"):
        pg.eliminate_weakly_dominated(g, order="random")

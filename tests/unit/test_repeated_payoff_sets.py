"""Subgame-perfect payoff sets: the Done-when shapes, degenerate sets, statuses, methods."""

import itertools

import numpy as np
import pytest

import paxgame as pg
from paxgame.testing import invariants

PD = pg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])          # T=5, R=3, P=1, S=0
PD2 = pg.NormalFormGame([[[9, 1], [10, 3]], [[9, 10], [1, 3]]])       # T=10, R=9, P=3, S=1


def _same_polygon(vertices, expected, tol=1e-9):
    expected = np.array(expected, float)
    assert vertices.shape == expected.shape, (vertices, expected)
    # same vertex set, counter-clockwise: compare up to rotation
    for shift in range(len(expected)):
        if np.allclose(np.roll(expected, shift, axis=0), vertices, atol=tol):
            return
    raise AssertionError(f"{vertices} is not {expected}")


def test_pd_quadrilateral_at_0_6():
    s = pg.RepeatedGame(PD, 0.6).payoff_set()
    assert s.status == "optimal" and s.dimension == 2
    _same_polygon(s.vertices, [(1, 1), (13 / 3, 1), (3, 3), (1, 13 / 3)])
    assert s.area == pytest.approx(20 / 3, rel=1e-9)   # two triangles of area 10/3


def test_pd_triangle_at_0_49():
    s = pg.RepeatedGame(PD, 0.49).payoff_set()
    assert s.status == "optimal" and s.dimension == 2
    _same_polygon(s.vertices, [(1, 1), (4, 1), (1, 4)])


def test_pd_point_at_0_1():
    s = pg.RepeatedGame(PD2, 0.1).payoff_set()
    assert s.status == "optimal" and s.dimension == 0
    np.testing.assert_allclose(s.vertices, [[3, 3]], atol=1e-9)
    assert s.area == 0.0 and s.contains((3, 3)) and not s.contains((3, 3.1))


def test_pd_segment_at_0_2():
    s = pg.RepeatedGame(PD2, 0.2).payoff_set()
    assert s.status == "optimal" and s.dimension == 1
    np.testing.assert_allclose(s.vertices, [[3, 3], [9, 9]], atol=1e-9)
    assert s.contains((6, 6)) and not s.contains((6, 6.01))


@pytest.mark.parametrize("delta", [0.49, 0.6])
def test_exact_certificates(delta):
    s = pg.RepeatedGame(PD, delta).payoff_set()
    assert s.verify().ok
    assert s.verify(exact=True).ok


def test_certificate_rejects_a_wrong_set():
    from dataclasses import replace

    s = pg.RepeatedGame(PD, 0.49).payoff_set()
    wrong = replace(s, vertices=np.array([[1.0, 1.0], [13 / 3, 1.0], [3, 3], [1, 13 / 3]]))
    assert not wrong.verify().ok
    assert not wrong.verify(exact=True).ok


def test_empty_set_is_a_status():
    # matching pennies has no pure-strategy SPE at any delta
    mp = pg.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    s = pg.RepeatedGame(mp, 0.9).payoff_set()
    assert s.status == "empty" and s.is_empty and s.dimension == -1
    assert not s.success


def test_iteration_cap_is_a_status():
    s = pg.RepeatedGame(PD, 0.9).payoff_set(max_iter=1)
    g3 = pg.NormalFormGame([[[4, 0, 1], [2, 3, 0], [0, 1, 2]], [[2, 1, 0], [0, 3, 2], [5, 0, 1]]])
    s3 = pg.RepeatedGame(g3, 0.7).payoff_set(max_iter=3)
    assert s3.status == "not_converged" and "not converged" in s3.message
    assert s.status in ("optimal", "not_converged")


def test_outer_and_inner_bracket_the_exact_set():
    rg = pg.RepeatedGame(PD, 0.6)
    exact, outer, inner = (rg.payoff_set(method=m) for m in ("abreu_sannikov", "outer", "inner"))
    assert outer.status == "optimal" and inner.status == "optimal"
    invariants.check_nested_sets(inner, exact, outer)
    assert outer.verify().ok and inner.verify().ok
    assert inner.area <= exact.area + 1e-9 <= outer.area + 2e-9
    assert exact.hausdorff(outer) < 0.05 and exact.hausdorff(inner) < 0.05


def test_outer_three_players():
    # three-player prisoner's dilemma: each gets 2 per other cooperator, cooperating costs 3
    pay = np.zeros((3, 2, 2, 2))
    for idx in np.ndindex(2, 2, 2):
        coop = [1 - a for a in idx]
        for i in range(3):
            pay[(i,) + idx] = 2 * (sum(coop) - coop[i]) - 3 * coop[i] + 3
    rg = pg.RepeatedGame(pg.NormalFormGame(pay), 0.8)
    # the axes and the orthant diagonals (14 directions) keep the LPs small
    h = np.vstack([np.eye(3), -np.eye(3),
                   np.array(list(itertools.product((1, -1), repeat=3))) / np.sqrt(3)])
    outer = rg.payoff_set(method="outer", tol=1e-7, directions=h)
    inner = rg.payoff_set(method="inner", tol=1e-7, directions=h)
    assert outer.dimension == 3 and outer.volume > inner.volume > 0
    assert outer.status == "optimal" and inner.status == "optimal"
    assert outer.contains(np.array([4.0, 4.0, 4.0]))          # all cooperate
    assert outer.contains(np.array([3.0, 3.0, 3.0]))          # stage equilibrium
    invariants.check_subset(inner, outer, 1e-6)
    assert inner.verify().ok


def test_unknown_method_and_options():
    rg = pg.RepeatedGame(PD, 0.6)
    with pytest.raises(ValueError, match="Unknown method 'exact' for payoff_set"):
        rg.payoff_set(method="exact")
    # an unknown option is a bad value, as in nash and logit_qre (one exception policy)
    with pytest.raises(ValueError, match="unknown option 'tolerance'"):
        rg.payoff_set(tolerance=1e-3)
    three = pg.RepeatedGame(pg.NormalFormGame(np.zeros((3, 2, 2, 2))), 0.5)
    with pytest.raises(ValueError, match="needs two players"):
        three.payoff_set()


def test_plot_draws_polygon():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    ax = pg.RepeatedGame(PD, 0.6).payoff_set().plot()
    assert ax.get_xlabel() == "player 1 payoff"


def _quantecon_set(game, delta):
    qe = pytest.importorskip("quantecon.game_theory")
    a, b = (np.asarray(p) for p in game.payoff_arrays)
    g = qe.NormalFormGame((qe.Player(a), qe.Player(b.T)))
    hull = qe.RepeatedGame(g, delta).equilibrium_payoffs(options={"tol": 1e-12})
    return hull.points[hull.vertices]


@pytest.mark.parametrize("game,delta", [
    (PD, 0.6),
    (PD, 0.8),
    (pg.NormalFormGame([[[4, 0, 1], [2, 3, 0], [0, 1, 2]], [[2, 1, 0], [0, 3, 2], [5, 0, 1]]]),
     0.7),
    (pg.NormalFormGame([[[-3, 3], [1, 2]], [[-1, 2], [3, 0]]]), 0.85),
])
def test_agrees_with_quantecon(game, delta):
    from paxgame.kernels.repeated_polygon import hausdorff2d

    ours = pg.RepeatedGame(game, delta).payoff_set()
    assert ours.dimension == 2
    theirs = _quantecon_set(game, delta)
    assert hausdorff2d(ours.vertices, theirs) <= 1e-8


@pytest.mark.parametrize("factor", [1e-9, 1e9])
def test_rescaled_payoffs_give_rescaled_sets(factor):
    # issue 8: payoffs scaled by 1e-9 and 1e9 give the rescaled answer
    g3 = np.array([[[4, 0, 1], [2, 3, 0], [0, 1, 2]], [[2, 1, 0], [0, 3, 2], [5, 0, 1]]], float)
    base = pg.RepeatedGame(pg.NormalFormGame(g3), 0.7).payoff_set()
    scaled = pg.RepeatedGame(pg.NormalFormGame(g3 * factor), 0.7).payoff_set()
    assert scaled.status == "optimal" and scaled.verify().ok
    np.testing.assert_allclose(scaled.vertices / factor, base.vertices, atol=1e-9)
    # one player paid in thousandths, the other in thousands: per-player units
    mixed = pg.RepeatedGame(pg.NormalFormGame([g3[0] * 1e-3, g3[1] * 1e3]), 0.7).payoff_set()
    np.testing.assert_allclose(mixed.vertices / [1e-3, 1e3], base.vertices, atol=1e-9)


def test_per_player_discount_factors():
    patient = pg.RepeatedGame(PD, [0.45, 0.9]).payoff_set()
    assert patient.status == "optimal" and patient.verify().ok
    invariants.check_contains_stage_nash(patient, PD)
    # unequal discounting lets the players trade over time: the set may leave the stage
    # game's feasible set, but each payoff stays between the minmax 1 and the maximum 5
    assert np.all(patient.vertices >= 1 - 1e-9) and np.all(patient.vertices <= 5 + 1e-9)
    assert patient.distance([[4.835975, 2.187]])[0] < 1e-5   # outside co{u(a)}
    assert pg.RepeatedGame(PD, [0.55, 0.9]).payoff_set().contains((3, 3), 1e-9)


def test_discount_near_one():
    s = pg.RepeatedGame(PD, 1 - 1e-6).payoff_set()
    assert s.status == "optimal"
    _same_polygon(s.vertices, [(1, 1), (13 / 3, 1), (3, 3), (1, 13 / 3)], tol=1e-7)


@pytest.mark.parametrize("method", ["abreu_sannikov", "outer", "inner"])
@pytest.mark.parametrize("k", [1e-9, 1e9])
def test_payoff_sets_are_scale_invariant(method, k):
    # B commutes with multiplying every payoff by k > 0: the sets scale by k, and each
    # method certifies at every scale (at 1e-9 outer used not to converge and inner was
    # "uncertified")
    base = pg.RepeatedGame(PD, 0.6).payoff_set(method=method)
    scaled = pg.RepeatedGame(pg.NormalFormGame([PD.payoffs[0] * k, PD.payoffs[1] * k]),
                             0.6).payoff_set(method=method)
    assert base.status == scaled.status == "optimal", scaled.message
    np.testing.assert_allclose(scaled.vertices / k, base.vertices, atol=1e-7)
    assert scaled.verify().ok


def test_outer_status_agrees_with_its_certificate():
    # the level change fell below tol while B(W) still left W by 1.19e-8 > 1e-8: the solver
    # now iterates on until its own verify() check holds
    g = pg.NormalFormGame([[[0, 0], [0, 1]], [[1, 1], [1, 0]]])
    res = pg.RepeatedGame(g, 0.48).payoff_set(method="outer")
    assert res.status == "optimal" and res.verify().ok
    cert = res.verify(exact=True)
    assert cert.exact and not cert.ok and list(cert.checks)[0].startswith(
        "exact_check_unavailable: ")

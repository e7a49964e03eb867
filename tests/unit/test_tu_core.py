"""Core, least core and cost of stability."""

import dataclasses

import numpy as np
import pytest

import paxgame as pg

MAJORITY = pg.TUGame({(0, 1): 1, (0, 2): 1, (1, 2): 1, (0, 1, 2): 1})


def test_core_nonempty_point_and_membership():
    tu = pg.glove_game(1, 2)
    r = pg.core(tu, allocation=[0.5, 0.25, 0.25])
    assert r.nonempty and r.status == "optimal"
    np.testing.assert_allclose(r.point, [1, 0, 0], atol=1e-9)
    assert r.in_core is False and r.most_violated_coalition in (("L1", "R1"), ("L1", "R2"))
    assert r.violation == pytest.approx(0.25)
    assert r.verify() and r.verify(exact=True)
    inside = pg.core(tu, allocation=[1, 0, 0])
    assert inside.in_core and inside.violation <= 1e-12


def test_core_inefficient_allocation_is_not_in_core():
    r = pg.core(pg.glove_game(1, 2), allocation=[2, 0, 0])
    assert r.in_core is False and r.violation == pytest.approx(1.0)


def test_empty_core_with_balanced_weights():
    r = pg.core(MAJORITY)
    assert r.nonempty is False and r.status == "empty" and not r.success
    assert r.min_total == pytest.approx(1.5)
    # weights 1/2 on each pair: balanced, total 3/2 > v(N) = 1 (Bondareva-Shapley)
    assert r.balanced_weights == pytest.approx({3: 0.5, 5: 0.5, 6: 0.5})
    assert r.verify() and r.verify(exact=True)


def test_verify_catches_a_false_emptiness_claim():
    r = pg.core(pg.glove_game(1, 2))
    bad = dataclasses.replace(r, nonempty=False, point=None)
    assert not bad.verify()


def test_least_core_majority_and_definition():
    r = pg.least_core(MAJORITY)
    assert r.epsilon == pytest.approx(1 / 3)
    np.testing.assert_allclose(r.point, [1 / 3] * 3)
    assert r.verify() and r.verify(exact=True)


def test_least_core_relaxes_singletons():
    # v(i) = 1 each, v(N) = 0: with singletons relaxed like the rest eps* = 1 at x = 0
    # (an individual-rationality bound x_i >= v(i) would make the problem infeasible)
    tu = pg.TUGame([0, 1, 1, 0, 1, 0, 0, 0])
    r = pg.least_core(tu)
    assert r.epsilon == pytest.approx(1.0) and r.verify()


def test_cost_of_stability_majority_and_zero_for_convex():
    r = pg.cost_of_stability(MAJORITY)
    assert r.cost == pytest.approx(0.5)
    np.testing.assert_allclose(r.allocation, [0.5, 0.5, 0.5])
    assert r.verify() and r.verify(exact=True)
    z = pg.cost_of_stability(pg.TUGame(lambda S: len(S) ** 2, players=4))
    assert z.cost == 0.0 and z.verify()


def test_verify_catches_a_too_small_cost():
    r = pg.cost_of_stability(MAJORITY)
    bad = dataclasses.replace(r, cost=0.25, allocation=np.array([0.25, 0.5, 0.5]))
    assert not bad.verify()


def test_large_game_by_constraint_generation():
    # n = 14: 16384 coalition constraints, never all in one LP
    from paxgame.kernels.tu import popcount

    n = 14
    rng = np.random.default_rng(5)
    v = rng.random(1 << n) * popcount(n) ** 1.3
    v[0] = 0
    tu = pg.TUGame(v)
    lc = pg.least_core(tu)
    c = pg.core(tu)
    cos = pg.cost_of_stability(tu)
    assert lc.verify() and c.verify() and cos.verify()
    assert (lc.epsilon <= 1e-9) == c.nonempty == (cos.cost == 0)
    assert lc.lp_solves < 60


def test_errors():
    with pytest.raises(ValueError, match="^core: allocation must have shape"):
        pg.core(MAJORITY, allocation=[1, 2])
    with pytest.raises(ValueError, match="^least_core: needs at least 2 players"):
        pg.least_core(pg.TUGame([0, 1]))
    with pytest.raises(TypeError, match="^cost_of_stability: expected a TUGame"):
        pg.cost_of_stability(None)

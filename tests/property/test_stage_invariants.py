"""The stage invariants of docs/theory/invariants.rst as hypothesis properties."""

import nashpy
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import paxgame as pg
from paxgame.testing import invariants as inv
from paxgame.testing.strategies import normal_form_games

two_player_any = normal_form_games(max_actions=4)
two_player_generic = normal_form_games(max_actions=4, min_actions=2, degenerate=False)


@given(two_player_any)
def test_support_regret_within_tol(game):
    res = pg.nash(game)
    assert res.complete and len(res) >= 1        # Nash (1951): an equilibrium exists
    inv.check_nash_result(game, res)


@given(two_player_any)
def test_support_exact_certificate_on_integer_games(game):
    assert pg.nash(game).verify(exact=True).ok


@given(normal_form_games(n_players=3, max_actions=3))
def test_pure_regret_three_players(game):
    inv.check_nash_result(game, pg.nash(game, "pure"))


@given(two_player_any, st.floats(0.1, 10), st.floats(-5, 5), st.floats(0.1, 10),
       st.floats(-5, 5))
def test_affine_invariance(game, a, b, c, d):
    inv.check_affine_invariance(game, pg.nash, scale=[a, c], shift=[b, d])


@given(normal_form_games(n_players=3, max_actions=3), st.floats(0.1, 10), st.floats(-5, 5))
def test_affine_invariance_pure(game, a, b):
    inv.check_affine_invariance(game, lambda g: pg.nash(g, "pure"), scale=a, shift=b)


@given(two_player_any, st.randoms(use_true_random=False))
def test_relabelling_invariance(game, rnd):
    perms = [rnd.sample(range(m), m) for m in game.num_actions]
    inv.check_relabelling_invariance(game, pg.nash, perms)


@given(two_player_generic)
def test_pure_among_mixed_on_nondegenerate(game):
    inv.check_pure_among_mixed(game, pg.nash(game))


@given(two_player_any)
def test_nash_products_are_correlated(game):
    for eq in pg.nash(game):
        inv.check_nash_is_correlated(game, eq, tol=1e-9)


@given(two_player_generic)
def test_support_matches_nashpy_vertex_enumeration(game):
    A, B = (np.asarray(p) for p in game.payoffs)
    reference = list(nashpy.Game(A, B).vertex_enumeration())
    res = pg.nash(game)
    assert res.finite
    inv.check_same_equilibria(res, reference, what="support vs nashpy vertex_enumeration")


@settings(max_examples=15)
@given(st.lists(normal_form_games(max_actions=3, min_actions=3), min_size=1, max_size=6))
def test_batch_kernel_equals_scalar(games):
    A = np.stack([np.asarray(g.payoffs[0]) for g in games])
    B = np.stack([np.asarray(g.payoffs[1]) for g in games])
    res = pg.batch.support_enumeration(A, B)
    for i, g in enumerate(games):
        rows = np.flatnonzero(res.game == i)
        inv.check_same_equilibria(pg.nash(g), [(res.x[r], res.y[r]) for r in rows],
                                  what=f"game {i}: scalar vs batch")


@settings(max_examples=15)
@given(st.lists(normal_form_games(n_players=3, max_actions=2, min_actions=2), min_size=1,
                max_size=6))
def test_batch_pure_equals_scalar(games):
    P = np.stack([np.asarray(g.payoffs) for g in games])
    mask = pg.batch.pure_nash(P, tol=1e-9)
    for i, g in enumerate(games):
        np.testing.assert_array_equal(np.argwhere(mask[i]), pg.pure_nash(g))


@settings(max_examples=15)
@given(normal_form_games(max_actions=3, min_actions=2))
def test_correlated_welfare_at_least_best_nash(game):
    # every Nash product is a correlated equilibrium, so the welfare optimum is at least as
    # high as the best Nash welfare; the LP answer is itself certified
    ce = pg.correlated(game)
    assert ce.success and ce.verify().ok
    best = max(float(eq.payoffs.sum()) for eq in pg.nash(game))
    assert ce.objective_value >= best - 1e-6 * max(1.0, abs(best))


@settings(max_examples=20)
@given(normal_form_games(max_actions=3, min_actions=2))
def test_nash_payoffs_individually_rational(game):
    # every Nash payoff is at least the player's mixed minmax, which is at most the pure one
    values = [pg.minmax(game, i) for i in range(2)]
    for i, v in enumerate(values):
        assert v.success and v.verify().ok
        assert v.value <= pg.minmax(game, i, mixed=False).value + 1e-9
    for eq in pg.nash(game):
        for i in range(2):
            assert eq.payoffs[i] >= values[i].value - 1e-7


@settings(max_examples=20)
@given(normal_form_games(max_actions=4, min_actions=2, degenerate=False))
def test_dominance_keeps_every_equilibrium(game):
    reduced, kept = pg.eliminate_dominated(game)
    small = pg.nash(reduced)
    lifted = []
    for eq in small:
        strategies = []
        for i, s in enumerate(eq.strategies):
            full = np.zeros(game.num_actions[i])
            full[kept[i]] = s
            strategies.append(full)
        lifted.append(tuple(strategies))
    inv.check_same_equilibria(pg.nash(game), lifted, what="equilibria before/after elimination")

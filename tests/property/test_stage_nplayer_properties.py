"""Properties of the N-player methods and of the logit QRE (docs/theory/invariants.rst
for nash(method="logit"|"support_newton") and logit_qre)."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import paxgame as pg
from paxgame.testing import invariants as inv
from paxgame.testing.strategies import normal_form_games

three_any = normal_form_games(n_players=3, max_actions=3)
three_generic = normal_form_games(n_players=3, max_actions=3, min_actions=2, degenerate=False)
four_generic = normal_form_games(n_players=4, max_actions=2, min_actions=2, degenerate=False)


def _per_player_regret_ok(game, res, tol=1e-9):
    scales = np.abs(np.asarray(game.payoffs).reshape(game.n_players, -1)).max(axis=1)
    scales = np.where(scales > 0, scales, 1.0)
    for eq in res:
        for i in range(game.n_players):
            vals = game.action_values(eq.strategies, i)
            assert vals.max() - vals @ eq.strategies[i] <= tol * scales[i]


@settings(max_examples=15)
@given(three_any)
def test_support_newton_equilibria_are_certified(game):
    # integer payoffs in [-5, 5], degenerate games included
    res = pg.nash(game, "support_newton")
    assert res.status == "optimal" and len(res) >= 1, res.message
    inv.check_nash_result(game, res)
    _per_player_regret_ok(game, res)
    # every pure equilibrium is found (a size-one support system is solved exactly)
    pure = {tuple(int(a) for a in p) for p in pg.pure_nash(game)}
    assert pure <= {eq.profile for eq in res if eq.is_pure}


@settings(max_examples=12)
@given(st.one_of(three_generic, four_generic))
def test_logit_equilibrium_is_certified_or_says_why(game):
    res = pg.nash(game, "logit")
    if res.status == "optimal":
        assert len(res) == 1
        inv.check_nash_result(game, res)
        _per_player_regret_ok(game, res)
    else:   # never a wrong answer: an empty list with a status that says why
        assert len(res) == 0 and res.status in ("max_iter_reached", "uncertified")


@settings(max_examples=10)
@given(three_generic, st.lists(st.floats(0.1, 10), min_size=3, max_size=3),
       st.lists(st.floats(-5, 5), min_size=3, max_size=3))
def test_affine_invariance_per_player(game, scale, shift):
    # docs/theory/invariants.rst: equilibria are invariant under positive affine payoff maps, player by player
    for method in ("logit", "support_newton"):
        inv.check_affine_invariance(game, lambda g, m=method: pg.nash(g, m), scale=scale,
                                    shift=shift)


@settings(max_examples=20)
@given(three_any, st.floats(0.0, 50.0))
def test_qre_residual_and_regret_bound(game, lam):
    # the residual is certified, and player i's regret at a logit QRE is at most
    # ln(m_i) / lam (the logit response maximises payoff + entropy / lam)
    q = pg.logit_qre(game, lam)
    assert q.status == "optimal", q.message
    assert q.verify().ok
    if lam > 0:
        for i in range(game.n_players):
            vals = game.action_values(q.strategies, i)
            assert vals.max() - vals @ q.strategies[i] <= (
                math.log(game.num_actions[i]) / lam + 1e-9)


@settings(max_examples=10)
@given(three_generic)
def test_qre_approaches_a_nash_equilibrium(game):
    # as lambda grows the principal branch approaches a Nash equilibrium: the regret of the
    # QRE falls below any bound; at lambda = 1e4 (payoffs of order one) it is below 1e-3 x
    # the payoff scale
    q = pg.logit_qre(game, 1e4)
    assert q.status == "optimal"
    scale = float(np.abs(np.asarray(game.payoffs)).max())
    assert game.regret(q.strategies) <= 1e-3 * scale

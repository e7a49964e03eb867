"""Invariants of SPE payoff sets, as hypothesis properties."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import paxgame as pg
from paxgame.testing import invariants, strategies


@given(strategies.repeated_games(pure_nash=True))
def test_exact_set_contains_stage_nash_and_is_individually_rational(rg):
    ps = rg.payoff_set()
    assert ps.status == "optimal", ps.message
    invariants.check_contains_stage_nash(ps, rg.game)
    invariants.check_individually_rational(ps, rg.game)
    invariants.check_self_generating(ps)


@given(strategies.repeated_games(), strategies.discount_factors(0.05, 0.9))
def test_exact_set_grows_with_delta(rg, other):
    lo, hi = sorted((rg.delta, other))
    small = rg.replace(delta=lo).payoff_set()
    large = rg.replace(delta=hi).payoff_set()
    invariants.check_subset(small, large, 1e-7, "the set at the lower delta")


@settings(max_examples=8)
@given(strategies.repeated_games(max_actions=2, pure_nash=True, lo=0.3, hi=0.8))
def test_inner_exact_outer_are_nested(rg):
    exact = rg.payoff_set()
    outer = rg.payoff_set(method="outer", directions=16, tol=1e-7)
    inner = rg.payoff_set(method="inner", directions=16, tol=1e-7)
    assert inner.status == "optimal", inner.message
    invariants.check_nested_sets(inner, exact, outer, 1e-6)


@given(strategies.prisoners_dilemmas(), strategies.discount_factors())
def test_grim_trigger_threshold_matches_sustainability(game_trps, delta):
    game, (t, r, p, s) = game_trps
    rg = pg.RepeatedGame(game, delta)
    critical = (t - r) / (t - p)
    assert abs(rg.critical_delta((0, 0)) - critical) <= 1e-12
    if abs(delta - critical) > 1e-9:
        assert rg.sustainable((0, 0)) == (delta > critical)
        # mutual cooperation's payoff is an SPE payoff whenever it is sustainable
        if delta > critical:
            assert rg.payoff_set().contains((r, r), 1e-7)


@given(st.integers(1, 20), st.integers(0, 2**32 - 1))
def test_batch_critical_delta_equals_scalar(batch, seed):
    rng = np.random.default_rng(seed)
    pay = rng.integers(-2, 3, size=(batch, 2, 2, 3)).astype(float)   # ties are frequent
    prof = np.column_stack([rng.integers(0, 2, batch), rng.integers(0, 3, batch)])
    out = pg.batch.critical_delta(pay, prof)
    for b in range(batch):
        rg = pg.RepeatedGame(pg.NormalFormGame(pay[b]), 0.5)
        try:
            scalar = rg.critical_delta(tuple(prof[b]))
        except ValueError:
            assert np.isnan(out[b])        # no pure equilibrium to revert to
            continue
        if np.isnan(out[b]):
            continue                       # the scalar path found a mixed equilibrium
        assert scalar == out[b]


@settings(max_examples=15)
@given(strategies.regime_games(max_regimes=1))
def test_one_regime_game_equals_repeated_game(rg):
    g = rg.stage_games[0]
    rep = pg.RepeatedGame(g, rg.delta)
    for profile in np.ndindex(*g.num_actions):
        expected = rep.critical_delta(profile)
        got = rg.critical_delta([profile])
        if expected >= 1:
            assert got == np.inf or got >= 1 - 1e-9
        else:
            assert abs(got - expected) <= 1e-9

"""Hedging (docs/theory/revocation_model.rst, Hedging): the CVaR portfolio is feasible, certified and reacts to risk."""

import numpy as np
from hypothesis import given, settings, strategies as st

import paxgame as pg
from paxgame.games.scenario import Source
from paxgame.testing.strategies import scenarios

PROB = st.integers(0, 20).map(lambda k: k / 20)


@st.composite
def hedging_scenarios(draw):
    sc = draw(scenarios(max_regimes=2))
    n = draw(st.integers(1, 3))
    sources = tuple(Source(name=f"s{k}", access_value=draw(st.integers(0, 50)) / 10,
                           revocation_loss=draw(st.integers(0, 100)) / 10,
                           revocation_probability=draw(PROB),
                           cap=draw(st.integers(1, 20)) / 20) for k in range(n))
    import dataclasses

    p = dataclasses.replace(sc.partners[0], sources=sources)
    return dataclasses.replace(sc, partners=(p,), explicit_instruments=sc.explicit_instruments)


@settings(max_examples=15)  # each hedge solves the equilibrium at ~50 shares
@given(hedging_scenarios(), st.sampled_from([0.0, 0.5, 2.0]), st.sampled_from([0.5, 0.9]))
def test_hedge_is_feasible_and_certified(sc, lam, alpha):
    res = pg.hedge(sc, 0, risk_aversion=lam, alpha=alpha)
    assert res.status == "optimal"
    assert res.verify().ok
    assert abs(res.shares.sum() - 1) <= 1e-9 and np.all(res.shares >= -1e-12)


@settings(max_examples=15)  # each hedge solves the equilibrium at ~50 shares
@given(hedging_scenarios(), st.sampled_from([0.5, 0.9]))
def test_risk_aversion_lowers_cvar(sc, alpha):
    neutral = pg.hedge(sc, 0, risk_aversion=0.0, alpha=alpha)
    averse = pg.hedge(sc, 0, risk_aversion=5.0, alpha=alpha)
    assert averse.cvar <= neutral.cvar + 1e-7
    assert neutral.expected_value >= averse.expected_value - 1e-7

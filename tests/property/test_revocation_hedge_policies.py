"""Invariants of hedging and of the four-policy comparison.

* with no weight on the tail (lambda = 0) and independent cuts the hedge is a corner of the
  capped simplex (a linear objective over a polytope: at most one share strictly between its
  bounds);
* the partner's value under "hedge and assurance" is at least its value under either alone
  (each is a restriction of it: no hedge is a share, no assurance is a level);
* the provider's share is non-decreasing in the assurance level at a given revocation
  policy (the bond's compensation makes a cut cheaper and its forfeit makes revoking at
  share 1 dearer: the provider's stack only improves). In equilibrium it is not: the
  partner sits at the threshold share that keeps the provider from revoking, and a larger
  forfeit lowers that threshold (the last test pins this counterexample).
"""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import paxgame as pg

PLURAL = "games/scenarios/plural_dependencies.toml"
BASE = pg.load(PLURAL)
TENTH = st.integers(0, 10).map(lambda k: k / 10)


def _independent(sc, rival, domestic):
    return sc.replace(**{"hedge": {"risk_aversion": 0.0, "alpha": 0.9, "events": []},
                         "partners.0.sources.0.revocation_probability": rival,
                         "partners.0.sources.1.revocation_probability": domestic})


@settings(max_examples=15)
@given(p0=TENTH, rival=TENTH, domestic=TENTH,
       v_rival=st.integers(10, 40).map(lambda k: k / 10),
       cap=st.integers(1, 10).map(lambda k: k / 10))
def test_risk_neutral_independent_hedge_is_a_corner(p0, rival, domestic, v_rival, cap):
    sc = _independent(BASE, rival, domestic).replace(**{
        "partners.0.sources.0.access_value": v_rival, "partners.0.sources.1.cap": cap})
    res = pg.hedge(sc, 0, risk_aversion=0.0, alpha=0.9, provider_probability=p0)
    assert res.status == "optimal" and res.verify()
    x, caps = res.shares, res.caps
    inside = (x > 1e-9) & (x < caps - 1e-9)
    assert inside.sum() <= 1, (x, caps)


@settings(max_examples=6, deadline=None)
@given(hazard=st.sampled_from([0.0, 0.05, 0.1, 0.2]),
       lam=st.sampled_from([0.0, 0.5, 2.0]),
       gain=st.sampled_from([4.0, 9.0, 14.0]),
       cap=st.sampled_from([1.0, 3.0]))
def test_both_is_at_least_either_alone(hazard, lam, gain, cap):
    sc = BASE.replace(**{"regimes.absorbing_hazard": hazard, "hedge.risk_aversion": lam,
                         "partners.0.revocation_gain.hawkish": gain,
                         "instruments.bond.carry": 0.0, "instruments.bond.cap": cap})
    cmp = pg.hedge_policies(sc)
    assert cmp.status == "optimal" and cmp.verify()
    scale = max(1.0, float(np.abs(cmp.partner_value).max()))
    assert cmp.partner_value[3] >= cmp.partner_value[1] - 1e-7 * scale
    assert cmp.partner_value[3] >= cmp.partner_value[2] - 1e-7 * scale
    assert cmp.partner_value[1] >= cmp.partner_value[0] - 1e-7 * scale


LEVELS = (0.0, 0.3, 0.6, 0.9, 1.2, 1.8, 2.4)


@pytest.mark.parametrize("lam", [0.5, 2.0])
@pytest.mark.parametrize("hazard", [0.05, 0.2])
def test_provider_share_is_non_decreasing_in_the_assurance_level(lam, hazard):
    # the provider's policy taken at share 1 (no feedback from the share)
    sc = BASE.replace(**{"regimes.absorbing_hazard": hazard})
    shares = [pg.hedge(sc, 0, lam, levels=[[y]], equilibrium=False).shares[0]
              for y in LEVELS]
    assert all(b >= a - 1e-9 for a, b in zip(shares, shares[1:])), shares
    assert shares[-1] > shares[0]  # the test can fail: the share does move


def test_in_equilibrium_more_assurance_can_lower_the_share():
    # hazard 0.2, lambda 2: at level 0.3 the partner keeps 0.455 on the provider's stack,
    # just at the threshold above which the provider keeps it after hawkish; a larger bond
    # (more forfeit) lowers that threshold, and the partner follows it down
    sc = BASE.replace(**{"regimes.absorbing_hazard": 0.2})
    res = [pg.hedge(sc, 0, 2.0, levels=[[y]]) for y in (0.3, 0.6)]
    assert res[1].shares[0] < res[0].shares[0] - 0.01
    for r in res:
        assert r.verify()
        assert np.min(np.abs(r.thresholds - r.shares[0])) < 1e-7  # at a threshold

"""Numerical robustness: payoffs scaled by 1e-9 and 1e9 scale the assurance."""

import numpy as np
from hypothesis import given, settings, strategies as st

import paxgame as pg
from paxgame.testing.strategies import scenarios


def _scaled(sc, k):
    """Every payoff multiplied by k (instrument levels are in value units, so the answer's
    levels scale by k too)."""
    changes = {}
    for i, p in enumerate(sc.partners):
        for name in ("access_value", "outside_option", "revocation_loss", "collateral_loss"):
            changes[f"partners[{i}].{name}"] = getattr(p, name) * k
        for name in ("provider_value", "revocation_gain"):
            changes[f"partners[{i}].{name}"] = (getattr(p, name) * k).tolist()
    return sc.replace(**changes)


def _check(sc, k, target):
    base = pg.minimum_assurance(sc, target)
    big = pg.minimum_assurance(_scaled(sc, k), target)
    assert big.status == base.status and big.constructible == base.constructible
    if base.constructible:
        np.testing.assert_allclose(big.levels / k, base.levels, rtol=1e-7, atol=1e-9)
    eq, eqk = pg.solve(sc), pg.solve(_scaled(sc, k))
    np.testing.assert_array_equal(eq.maintain, eqk.maintain)
    np.testing.assert_array_equal(eq.stay, eqk.stay)


@given(scenarios(max_regimes=3, carry=True), st.sampled_from([1e-9, 1e9]),
       st.sampled_from(["participation", "continuity"]))
def test_kernel_path_scales(sc, k, target):
    _check(sc, k, target)


@settings(max_examples=10)
@given(scenarios(max_regimes=2, partners=2), st.sampled_from([1e-9, 1e9]))
def test_lp_path_scales(sc, k):
    _check(sc.replace(governance="collective"), k, "continuity")

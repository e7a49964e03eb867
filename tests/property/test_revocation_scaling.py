"""Numerical robustness (issue 8): payoffs scaled by 1e-9 and 1e9 scale the assurance."""

import numpy as np
from hypothesis import given, settings, strategies as st

import paxgame as pg
from paxgame.revocation.assurance import _scaled
from paxgame.testing.strategies import scenarios


def _check(sc, k, target):
    base = pg.minimum_assurance(sc, target)
    big = pg.minimum_assurance(_scaled(sc, 1.0 / k), target)
    assert big.partner_constructible.tolist() == base.partner_constructible.tolist()
    ok = base.partner_constructible
    np.testing.assert_allclose(big.levels[ok] / k, base.levels[ok], rtol=1e-7, atol=1e-9)
    eq, eqk = pg.solve(sc), pg.solve(_scaled(sc, 1.0 / k))
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

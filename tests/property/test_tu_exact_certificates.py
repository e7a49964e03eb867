"""Issue 20: exact certificates accept right answers on arbitrary float worths.

Every exact check of the cooperative solvers reads floats as their exact binary value
(``Fraction(float)``), never as a decimal string, so ``verify(exact=True)`` of a correct
answer holds for worths such as -19.999999999999996 or 0.1 + 0.2. One property per
cooperative result type, over random float worths (not integers, not short decimals).
"""

from fractions import Fraction

import numpy as np
from hypothesis import given, settings, strategies as st

import paxgame as pg
from paxgame.cooperative import _common

#: Worths are 0 or of magnitude 1e-6..50: a float answer resolves excess levels to about
#: 1e-7 of the largest worth, so worths far below that (1e-223 beside 1.3) make levels that
#: differ exactly but not in floats, which no float answer can certify exactly.
worth = st.one_of(st.just(0.0), st.floats(1e-6, 50), st.floats(-50, -1e-6))


@st.composite
def float_games(draw, max_players=4):
    n = draw(st.integers(2, max_players))
    values = [0.0] + draw(st.lists(worth, min_size=2 ** n - 1, max_size=2 ** n - 1))
    # perturb by a float product so that worths are not short decimals
    values = [x * (1 + 1 / 3) for x in values]
    values[0] = 0.0
    return pg.TUGame(values)


def _exact_ok(result):
    cert = result.verify(exact=True)
    assert cert.exact
    assert cert.ok, f"{type(result).__name__}: {cert} {cert.failures()}"


def test_floats_are_read_as_their_binary_value():
    x = -19.999999999999996
    assert _common.fractions([x]) == [Fraction(x)]
    assert _common.fractions([0.1])[0] != Fraction(1, 10)


@given(float_games())
def test_values_exact(tu):
    _exact_ok(pg.shapley(tu))
    _exact_ok(pg.banzhaf(tu))


@settings(max_examples=15)
@given(float_games(), st.integers(0, 100))
def test_sampled_shapley_exact(tu, seed):
    _exact_ok(pg.shapley(tu, method="sample", n_samples=50, random_state=seed))


@settings(max_examples=15)
@given(st.lists(st.floats(0.01, 10), min_size=2, max_size=5), st.floats(0.05, 0.95))
def test_power_indices_exact(weights, share):
    quota = share * sum(weights)
    _exact_ok(pg.shapley_shubik_index(weights, quota))
    _exact_ok(pg.banzhaf_index(weights, quota))


@settings(max_examples=25)
@given(float_games())
def test_core_family_exact(tu):
    r = pg.core(tu, allocation=np.full(tu.num_players, tu.values[-1] / tu.num_players))
    if r.status in ("optimal", "empty"):
        _exact_ok(r)
    for solver in (pg.least_core, pg.cost_of_stability):
        r = solver(tu)
        assert r.status == "optimal", r.message
        _exact_ok(r)


@settings(max_examples=25)
@given(float_games(), st.sampled_from(["imputation", "preimputation"]))
def test_nucleolus_exact(tu, domain):
    r = pg.nucleolus(tu, domain=domain)
    assert r.status in ("optimal", "infeasible"), r.message
    _exact_ok(r)


def test_minus_twenty_regression():
    # a worth one ulp from -20 (issue 20): the decimal reading "-19.999999999999996" is
    # not the float's value, so a decimal check rejected right answers
    tu = pg.TUGame([0, -19.999999999999996, 0.1, 0.30000000000000004])
    for r in (pg.shapley(tu), pg.banzhaf(tu), pg.least_core(tu), pg.cost_of_stability(tu),
              pg.nucleolus(tu, domain="preimputation"), pg.core(tu)):
        _exact_ok(r)

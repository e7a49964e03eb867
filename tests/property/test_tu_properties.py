"""The TU invariants of docs/theory/invariants.rst as hypothesis properties."""

import numpy as np
from hypothesis import given, settings, strategies as st

import paxgame as pg
from paxgame.testing import invariants
from paxgame.testing.strategies import tu_games, tu_value_batches


@given(tu_games(n_players=(1, 6)))
def test_shapley_axioms(tu):
    invariants.check_shapley_axioms(tu)


@given(tu_games(n_players=(2, 5)), tu_games(n_players=(2, 5)))
def test_shapley_additivity_of_two_games(a, b):
    if a.num_players != b.num_players:
        return
    both = pg.TUGame(a.values + b.values)
    np.testing.assert_allclose(pg.shapley(both).value,
                               pg.shapley(a).value + pg.shapley(b).value, atol=1e-9)


@given(tu_games(n_players=(2, 6)))
def test_nucleolus_in_core_when_core_nonempty(tu):
    invariants.check_nucleolus_in_core(tu)


@given(tu_games(n_players=(2, 6)))
def test_cost_of_stability_and_least_core_vs_core(tu):
    invariants.check_stability_consistency(tu)


@given(tu_games(n_players=(3, 5), superadditive=True, empty_core=True))
def test_empty_core_games(tu):
    assert pg.core(tu).nonempty is False
    assert pg.cost_of_stability(tu).cost > 0 and pg.least_core(tu).epsilon > 0


@given(tu_games(n_players=(2, 5), convex=True))
def test_convex_games_shapley_in_core(tu):
    # Shapley (1971): in a convex game the Shapley value is in the core
    phi = pg.shapley(tu).value
    assert pg.core(tu, allocation=phi, tol=1e-7).in_core


@settings(max_examples=20)
@given(tu_games(n_players=(2, 5)))
def test_exact_certificates(tu):
    for res in (pg.shapley(tu), pg.banzhaf(tu), pg.core(tu), pg.cost_of_stability(tu),
                pg.least_core(tu), pg.nucleolus(tu, domain="preimputation")):
        assert res.verify(exact=True), (type(res).__name__, res.verify(exact=True))


@given(tu_value_batches())
def test_batch_kernels_equal_scalar(values):
    invariants.check_tu_batch_matches_scalar(values)


@given(st.integers(1, 6), st.data())
def test_coalition_sums_batch_equals_rows(n, data):
    x = np.array(data.draw(st.lists(st.floats(-5, 5), min_size=3 * n, max_size=3 * n)))
    x = x.reshape(3, n)
    batch = pg.batch.coalition_sums(x)
    for k in range(3):
        np.testing.assert_array_equal(batch[k], pg.batch.coalition_sums(x[k]))


@settings(max_examples=25)
@given(tu_games(n_players=(2, 5)), st.sampled_from([1e-9, 1e9]))
def test_answers_scale_with_the_worths(tu, scale):
    # issue 8: worths scaled by 1e-9 or 1e9 give the scaled answers, certified
    big = pg.TUGame(tu.values * scale)
    top = max(1.0, float(abs(tu.values).max()))
    for f in (pg.least_core, pg.cost_of_stability):
        a, b = f(tu), f(big)
        assert b.success and b.verify()
        got = b.epsilon if f is pg.least_core else b.cost
        want = a.epsilon if f is pg.least_core else a.cost
        assert abs(got / scale - want) <= 1e-7 * top
    a, b = pg.nucleolus(tu, "preimputation"), pg.nucleolus(big, "preimputation")
    assert b.success and b.verify()
    np.testing.assert_allclose(b.allocation / scale, a.allocation, atol=1e-7 * top)
    np.testing.assert_allclose(pg.shapley(big).value / scale, pg.shapley(tu).value,
                               atol=1e-9 * top)

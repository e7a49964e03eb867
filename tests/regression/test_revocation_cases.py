"""Revocation cases found in review, and two essay findings, with exact-state answers.

Golden values were computed by the independent brute-force oracle in tests/oracle (every
pure Markov profile of every subgame, the provider's exact best response, the selection
rule; grid plus bisection for minima) and are asserted against the package's public API.
The last test re-derives the cheap ones with the oracle, so a golden value cannot drift
from the model it came from.
"""

import dataclasses
import os

import numpy as np
import pytest

import paxgame as pg
from paxgame.games.scenario import Instrument  # not re-exported as pg.Instrument
from oracle.adapter import from_scenario
from oracle.assurance import target_met
from oracle.revocation import solve as oracle_solve

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases", "revocation")
ROOT = os.path.dirname(os.path.dirname(HERE))


def case(name):
    return pg.load(os.path.join(CASES, name + ".toml"))


def essay(name):
    return pg.load(os.path.join(ROOT, "games", "scenarios", name + ".toml"))


def not_constructible(res):
    return res.status == "infeasible" and not res.constructible


# ------------------------------------------------------------------ the four review cases
def test_uncapped_coproduction_next_to_bond_is_unbounded():
    sc = case("uncapped_coproduction_next_to_bond")
    for target in ("continuity", "participation"):
        res = pg.minimum_assurance(sc, target=target)
        assert res.status == "unbounded", target
        assert "co-production" in res.message, target
    # the bond alone (the oracle: participation 3.6; continuity max_s (G_s - W_s) = 31/7)
    bond_only = dataclasses.replace(sc, instruments=(sc.instruments[0],))
    res = pg.minimum_assurance(bond_only, target="participation")
    assert res.status == "optimal" and res.constructible
    assert res.levels[0, 0] == pytest.approx(3.6, abs=1e-6)
    res = pg.minimum_assurance(bond_only, target="continuity")
    assert res.levels[0, 0] == pytest.approx(31 / 7, abs=1e-6)


def test_uncapped_coproduction_no_assurance_equilibrium():
    eq = pg.solve(case("uncapped_coproduction_next_to_bond"), levels=None)
    assert eq.status == "optimal"
    assert eq.stay.tolist() == [[True, False]]
    assert eq.maintain.tolist() == [[True, False]]
    np.testing.assert_allclose(eq.partner_value, [[15.88235294117651, 12.0]], rtol=1e-9)
    np.testing.assert_allclose(eq.provider_value, [11.176470588235276, 0.0], atol=1e-9)
    np.testing.assert_allclose(eq.revocation_probability, [0.7369244238361716], rtol=1e-9)
    assert eq.n_equilibria == 2 and not eq.ambiguous


def test_tie_break_picks_the_small_bond():
    sc = case("tie_break_inflates_bond")
    res = pg.minimum_assurance(sc, target="participation")
    assert res.status == "optimal" and res.constructible
    np.testing.assert_allclose(res.levels, [[12.0, 0.0]], atol=1e-6)
    assert res.total_cost == pytest.approx(0.0, abs=1e-9)
    res = pg.minimum_assurance(sc, target="continuity")
    np.testing.assert_allclose(res.levels, [[20.0, 0.0]], atol=1e-6)


def test_hazard_leaves_regular_region():
    sc = case("hazard_leaves_regular_region")
    res = pg.minimum_assurance(sc, target="participation")
    assert not_constructible(res)
    assert pg.solve(sc, levels=[[60 / 7]]).status == "no_pure_equilibrium"
    assert pg.solve(sc, levels=[[10.0]]).status == "no_pure_equilibrium"
    high = pg.solve(sc, levels=[[12.0]])
    assert high.status == "optimal"
    assert high.stay.tolist() == [[False]] and high.maintain.tolist() == [[True]]


def test_access_below_outside_option():
    sc = case("access_below_outside_option")
    assert not_constructible(pg.minimum_assurance(sc, target="participation"))
    assert pg.solve(sc, levels=[[0.886]]).status == "no_pure_equilibrium"
    eq = pg.solve(sc, levels=None)
    assert eq.status == "optimal" and eq.stay.tolist() == [[False]]
    np.testing.assert_allclose(eq.partner_value, [[6.582677165354331]], rtol=1e-9)


# ------------------------------------------------------------------ essay findings
def test_innovation_sovereignty_no_assurance():
    # partner 1 exits; partners 2 and 3 stay and are kept forever (3 / 0.2 and 2.5 / 0.2);
    # the node where all three are present is off the path: there the provider revokes all
    eq = pg.solve(essay("innovation_sovereignty"), levels=None)
    assert eq.status == "optimal"
    assert eq.stay.tolist() == [[False], [True], [True]]
    assert eq.maintain.tolist() == [[False], [False], [False]]
    np.testing.assert_allclose(eq.partner_value, [[5.0], [15.0], [12.5]], rtol=1e-9)
    np.testing.assert_allclose(eq.provider_value, [17.5], rtol=1e-9)
    np.testing.assert_allclose(eq.revocation_probability, [0, 0, 0], atol=1e-12)
    np.testing.assert_allclose(eq.exit_probability, [1, 0, 0], atol=1e-12)
    assert eq.n_equilibria == 1 and not eq.ambiguous


def test_revocation_order_no_assurance():
    for rev in ("blanket", "targeted"):
        eq = pg.solve(essay("revocation_order").replace(revocation=rev), levels=None)
        assert eq.status == "optimal", rev
        assert eq.stay.tolist() == [[True, False], [False, False], [True, False]], rev
        assert eq.maintain.tolist() == [[True, False]] * 3, rev
        np.testing.assert_allclose(
            eq.partner_value, [[22.414659207672162, 20.0], [42.0, 42.0],
                               [15.596529284164856, 15.0]], rtol=1e-9)
        np.testing.assert_allclose(eq.provider_value, [17.469688320584535, 0.0], atol=1e-9)
        np.testing.assert_allclose(eq.revocation_probability,
                                   [0.6513215599, 0.0, 0.5183942559284882], rtol=1e-9)
        np.testing.assert_allclose(eq.exit_probability, [0, 1, 0], atol=1e-12)


def test_revocation_order_continuity_targeted_total():
    # bilateral targeted: each partner's own threshold; the oracle's per-partner minima sum to
    # 14.256795 (5.6521739 + 4.0652174 + 4.5394036)
    sc = essay("revocation_order").replace(revocation="targeted")
    res = pg.minimum_assurance(sc, target="continuity")
    assert res.status == "optimal" and res.constructible
    assert float(np.sum(res.amount)) == pytest.approx(14.256795, abs=1e-5)
    np.testing.assert_allclose(res.levels[:, 0], [5.6521739, 4.0652174, 4.5394036], atol=1e-5)
    assert target_met(from_scenario(sc), res.levels, "continuity")


@pytest.mark.xfail(strict=True, reason="the package's blanket minimum is not exact (exact=False) "
                   "and returns 14.257; the oracle meets continuity with 12.41 in total")
def test_revocation_order_continuity_blanket_total():
    # blanket: only the sum of forfeits matters to the provider at the full set, and a bond on
    # the hazardous partner protects everyone while it is present. The oracle's 2-D search
    # in the plane y_0 = 0 finds 12.3866 (0, 0.8, 11.5866); the interior point below (12.41
    # in total) meets continuity for both the oracle and pg.solve, so the minimum total is
    # below the targeted 14.257
    sc = essay("revocation_order")
    d = from_scenario(sc)
    y = np.array([[0.0], [0.81], [11.6]])
    assert target_met(d, y, "continuity")
    eq = pg.solve(sc, levels=y)
    assert eq.stay.all() and eq.maintain.all()
    res = pg.minimum_assurance(sc, target="continuity")
    assert res.status == "optimal" and res.constructible
    assert target_met(d, res.levels, "continuity")
    assert float(np.sum(res.amount)) <= 12.41 + 1e-6


# ------------------------------------------------------------------ the oracle's own answers
def test_golden_values_come_from_the_oracle():
    r = oracle_solve(from_scenario(essay("innovation_sovereignty")))
    assert r["stay"].ravel().tolist() == [False, True, True]
    np.testing.assert_allclose(r["V"].ravel(), [5.0, 15.0, 12.5], rtol=1e-12)
    r = oracle_solve(from_scenario(case("uncapped_coproduction_next_to_bond")))
    np.testing.assert_allclose(r["V"], [[15.88235294117651, 12.0]], rtol=1e-12)
    assert r["n_equilibria"] == 2
    d = from_scenario(case("hazard_leaves_regular_region"))
    assert oracle_solve(d, [[60 / 7]])["status"] == "no_pure_equilibrium"
    d = from_scenario(essay("revocation_order").replace(revocation="targeted"))
    y = np.array([[5.6521739], [4.0652174], [4.5394036]]) * (1 + 1e-6)
    assert target_met(d, y, "continuity")
    for i in range(3):
        z = y.copy()
        z[i] *= 1 - 1e-5
        assert not target_met(d, z, "continuity")


# ------------------------------------------------------------------ found by the cross-check
def _scenario(partners, discount, instrument, **kw):
    return pg.Scenario(partners=[dict(name=f"p{i}", **p) for i, p in enumerate(partners)],
                       discount=discount, instruments=[instrument], **kw)


def test_number_of_equilibria_on_the_exact_state():
    # partner 0 is worth nothing to anyone; partner 1 is indifferent between staying kept
    # and leaving (v = o = 0) and loses 1 if revoked. Per partner, partner 1 has two
    # equilibria (stay and be kept; exit, and be revoked if it stayed). On the exact state
    # the second is not one: when partner 1 exits from {0, 1}, the provider's best answer
    # to a stayer is to revoke partner 0 (2.5 = 0.5 + 0.8 * 2.5, partner 1 then staying
    # kept in {1}) rather than partner 1 (2.0), so staying is worth 0 >= 0 to partner 1.
    bond = Instrument(name="bond")
    sc = _scenario([dict(access_value=0.0, outside_option=0.0, revocation_loss=0.0,
                         provider_value=[0.0], revocation_gain=[0.0]),
                    dict(access_value=0.0, outside_option=0.0, revocation_loss=1.0,
                         provider_value=[0.5], revocation_gain=[2.0])], 0.8, bond)
    orc = oracle_solve(from_scenario(sc))
    assert orc["n_equilibria"] == 1
    eq = pg.solve(sc)
    assert eq.stay.all() and eq.maintain.all()
    assert eq.n_equilibria == 1


def test_self_enforcing_bond_alone_is_not_constructible_bilaterally():
    # a self-enforcing forfeit never counts bilaterally: G = 20 > W = 1 / 0.254 for ever
    bond = Instrument(name="pledge", enforced=False)
    sc = _scenario([dict(access_value=2.0, outside_option=1.5, revocation_loss=6.0,
                         provider_value=[1.0], revocation_gain=[20.0])], 0.746, bond)
    d = from_scenario(sc)
    assert not any(target_met(d, [[a]], "continuity") for a in (0.0, 5.0, 50.0))
    res = pg.minimum_assurance(sc, target="continuity")
    assert not_constructible(res)


def test_participation_by_compensation_is_cheaper_than_by_forfeit():
    # regime 1 is absorbing-ish and tempting (G = 20); compensation 8 = L makes staying
    # worth it although the provider revokes there (the oracle's minimum: 8.0, and pg.solve
    # agrees that 8 gives participation); keeping the partner needs 14.68
    bond = Instrument(name="bond", carry=0.01)
    sc = _scenario([dict(access_value=0.5, outside_option=0.5, revocation_loss=8.0,
                         provider_value=[0.5, 1.0], revocation_gain=[2.0, 20.0])], 0.9, bond,
                   regime_names=["calm", "tense"], transition=[[1.0, 0.0], [0.2, 0.8]])
    d = from_scenario(sc)
    assert target_met(d, [[8.0]], "participation")
    assert not target_met(d, [[8.0 - 1e-6]], "participation")
    eq = pg.solve(sc, levels=[[8.0]])
    assert eq.stay.all()
    res = pg.minimum_assurance(sc, target="participation")
    assert res.status == "optimal" and res.levels[0, 0] == pytest.approx(8.0, abs=1e-6)


def test_tie_at_zero_level_needs_no_assurance():
    # G = 10 = 0.5 / 0.05: the provider keeps the partner at a tie, so no level is needed
    bond = Instrument(name="bond", compensation=1.5, carry=0.05, cap=5.0)
    sc = _scenario([dict(access_value=2.0, outside_option=0.0, revocation_loss=3.0,
                         provider_value=[0.5], revocation_gain=[10.0])], 0.95, bond)
    assert target_met(from_scenario(sc), [[0.0]], "participation")
    assert pg.solve(sc, levels=[[0.0]]).stay.all()
    res = pg.minimum_assurance(sc, target="participation")
    assert res.status == "optimal" and res.levels[0, 0] == pytest.approx(0.0, abs=1e-9)

"""Golden values from the literature for the cooperative solvers."""

import numpy as np
import pytest

import paxgame as pg


# Aumann & Maschler (1985), "Game theoretic analysis of a bankruptcy problem from the
# Talmud", J. Econ. Theory 36: the Mishna's divisions for claims 100/200/300 are the
# nucleolus of the bankruptcy game (the Talmud rule).
@pytest.mark.parametrize("estate, division", [
    (100, [100 / 3, 100 / 3, 100 / 3]),
    (200, [50, 75, 75]),
    (300, [50, 100, 150]),
])
def test_talmud_rule_is_the_nucleolus(estate, division):
    r = pg.nucleolus(pg.bankruptcy(estate, [100, 200, 300]))
    np.testing.assert_allclose(r.allocation, division, atol=1e-9)
    assert r.success and r.verify() and r.verify(exact=True)


def test_talmud_file():
    r = pg.nucleolus(pg.load("games/cooperative/bankruptcy_talmud.toml"))
    np.testing.assert_allclose(r.allocation, [50, 75, 75], atol=1e-9)


# Glove game (Shapley & Shubik 1969): with one left and two right gloves the core is the
# single point (1, 0, 0) and the Shapley value is (2/3, 1/6, 1/6).
def test_glove_game():
    tu = pg.load("games/cooperative/glove.toml")
    np.testing.assert_allclose(pg.shapley(tu).value, [2 / 3, 1 / 6, 1 / 6])
    np.testing.assert_allclose(pg.nucleolus(tu).allocation, [1, 0, 0], atol=1e-9)
    np.testing.assert_allclose(pg.core(tu).point, [1, 0, 0], atol=1e-9)
    assert pg.least_core(tu).epsilon == pytest.approx(0.0, abs=1e-9)


# Airport game (Littlechild & Owen 1973): the Shapley value of the cost game is the
# sequential equal-share rule: each runway segment is split equally among its users.
def test_airport_sequential_equal_share():
    costs = np.array([2.0, 5.0, 5.0, 9.0, 14.0])
    shares = pg.shapley(pg.airport_game(costs)).value
    segments = np.diff(np.r_[0.0, costs])
    users = len(costs) - np.arange(len(costs))
    expected = np.cumsum(segments / users)
    np.testing.assert_allclose(shares, expected)
    np.testing.assert_allclose(pg.shapley(pg.load("games/cooperative/airport.toml")).value,
                               [1 / 3, 4 / 3, 13 / 3])


# Airport savings game: its nucleolus gives cost shares c_i - x_i that sum to the runway
# cost and lie in the core of the cost game (Littlechild 1974).
def test_airport_savings_nucleolus_in_core():
    costs = [1.0, 3.0, 6.0]
    sav = pg.airport_game(costs, savings=True)
    r = pg.nucleolus(sav)
    assert pg.core(sav, allocation=r.allocation).in_core
    assert (np.array(costs) - r.allocation).sum() == pytest.approx(6.0)


# EEC Council of Ministers 1958 [12; 4,4,4,2,2,1] (Felsenthal & Machover 1998): Shapley-
# Shubik (14,14,14,9,9,0)/60; Banzhaf swings (10,10,10,6,6,0).
def test_eec_power_indices():
    tu = pg.load("games/cooperative/eec_council_1958.toml")
    np.testing.assert_allclose(pg.shapley(tu).value, np.array([14, 14, 14, 9, 9, 0]) / 60)
    np.testing.assert_allclose(pg.banzhaf(tu).value * 32, [10, 10, 10, 6, 6, 0])
    assert tu.players[-1] == "Luxembourg"


# Three-player majority (von Neumann & Morgenstern 1944): empty core, least core 1/3,
# cost of stability 1/2 (Bachrach et al. 2009: the CoS of this game is v(N)/2).
def test_majority_file():
    tu = pg.load("games/cooperative/majority3.toml")
    assert pg.core(tu).nonempty is False
    assert pg.least_core(tu).epsilon == pytest.approx(1 / 3)
    assert pg.cost_of_stability(tu).cost == pytest.approx(0.5)
    np.testing.assert_allclose(pg.nucleolus(tu).allocation, [1 / 3] * 3)


def test_three_person_values_file():
    tu = pg.load("games/cooperative/three_person_values.toml")
    np.testing.assert_allclose(pg.shapley(tu).value, [0.6, 0.45, 0.45])


def _talmud(estate, claims):
    """The Talmud rule (Aumann & Maschler 1985): constrained equal awards on half-claims
    when E <= D/2; otherwise each gets half its claim plus constrained equal awards of the
    rest, i.e. d_i minus constrained equal losses on half-claims.  Solved by bisection."""
    c = np.asarray(claims, dtype=float)
    half = c / 2

    def cea(amount, caps):
        lo, hi = 0.0, caps.max()
        for _ in range(200):
            lam = (lo + hi) / 2
            lo, hi = (lam, hi) if np.minimum(caps, lam).sum() < amount else (lo, lam)
        return np.minimum(caps, (lo + hi) / 2)

    if estate <= c.sum() / 2:
        return cea(estate, half)
    return c - cea(c.sum() - estate, half)


@pytest.mark.parametrize("n, share", [(6, 0.3), (9, 0.5), (12, 0.7)])
def test_talmud_rule_many_claimants(n, share):
    claims = np.random.default_rng(n).integers(1, 100, size=n).astype(float)
    estate = share * claims.sum()
    r = pg.nucleolus(pg.bankruptcy(estate, claims))
    np.testing.assert_allclose(r.allocation, _talmud(estate, claims), atol=1e-7)
    assert r.success

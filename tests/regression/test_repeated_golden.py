"""Golden values of the shipped repeated and regime game files.

The prisoner's dilemma shapes are the issue's Done-when values (closed forms); the Cournot
polygons were computed by paxgame and agree with QuantEcon's equilibrium_payoffs within
Hausdorff distance 1e-13 (checked when they were recorded); the revocation numbers follow
the one-regime revocation example (delta = 0.9, w = 1, G = 12: assurance 2) and the grim-trigger formula.
"""

import numpy as np
import pytest

import paxgame as pg


def test_cournot_feasible_ir_triangle_at_0_8():
    # at delta = 0.8 every feasible individually rational payoff is an SPE payoff: the
    # triangle of the minmax 49 (the rival floods the market with 14) and joint profit 196
    s = pg.load("games/repeated/cournot_duopoly.toml").payoff_set()
    np.testing.assert_allclose(s.vertices, [[49, 49], [147, 49], [49, 147]], atol=1e-9)
    assert s.verify(exact=True).ok


def test_cournot_octagon_at_0_3():
    rg = pg.load("games/repeated/cournot_duopoly.toml").replace(delta=0.3)
    s = rg.payoff_set()
    expected = [[71.4, 49], [146.3, 49], [136.5, 59.5], [59.5, 136.5], [49, 146.3], [49, 71.4],
                [53.9, 65.1], [65.1, 53.9]]
    np.testing.assert_allclose(s.vertices, expected, atol=1e-9)
    assert s.area == pytest.approx(4567.29, abs=1e-8)
    assert s.verify(exact=True).ok


def test_cournot_collusion_thresholds():
    rg = pg.load("games/repeated/cournot_duopoly.toml")
    # joint monopoly (7, 7) each earning 98: Nash reversion needs delta >= 0.6; optimal
    # penal codes (punishment 49 here) bring the threshold down to 12/61
    assert rg.critical_delta((7, 7)) == pytest.approx(0.6, abs=1e-12)
    assert rg.critical_delta((7, 7), punishment="optimal") == pytest.approx(12 / 61, abs=1e-8)


def test_revocation_stage_game():
    rg = pg.load("games/repeated/revocation_stage.toml")
    assert rg.critical_delta(("maintain", "stay")) == pytest.approx(11 / 12)
    bond = np.zeros((2, 2, 2))
    bond[0, 1, 0] = -1.0          # the provider forfeits one unit per unit of bond on revoking
    r = pg.minimum_transfer(rg, ("maintain", "stay"), bond)
    assert r.amount == pytest.approx(2.0, abs=1e-12) and r.binding_player == 0


def test_calm_and_crisis():
    rg = pg.load("games/repeated/calm_and_crisis.toml")
    assert rg.critical_delta([(0, 0), (0, 0)]) == pytest.approx(5 / 7, abs=1e-10)

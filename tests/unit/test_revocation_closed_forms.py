"""Closed forms of the revocation model reproduced by pg.minimum_assurance (one partner's
bond, one-regime formulas, governance totals, the minimum-transfer cross-check)."""

import numpy as np
import pytest

import paxgame as pg
from paxgame.games.scenario import Instrument, Partner, Scenario


def one_partner(delta=0.9, w=1.0, G=12.0, L=6.0, v=3.0, o=1.2, P=None, instruments=(),
                governance="bilateral", **partner):
    K = 1 if P is None else len(P)
    names = tuple(f"r{k}" for k in range(K))
    p = Partner(name="partner", access_value=v, outside_option=o, revocation_loss=L,
                provider_value=w, revocation_gain=G, **partner)
    return Scenario(partners=(p,), discount=delta, regime_names=names, transition=P,
                    instruments=instruments, governance=governance)


@pytest.mark.parametrize("target", ["participation", "continuity"])
def test_model_example_gives_two_for_both_targets(target):
    # the model's worked example: delta = 0.9, w = 1, G = 12, L = 6 gives a* = 2 for both targets.
    res = pg.minimum_assurance(one_partner(), target)
    assert res.amount[0] == pytest.approx(2.0, abs=1e-12)
    assert res.levels.shape == (1, 1) and res.constructible and res.status == "optimal"
    assert res.verify().ok


@pytest.mark.parametrize("G,L,theta", [(12, 6, 1.0), (30, 6, 1.0), (30, 6, 0.5), (9, 6, 1),
                                       (25, 1, 0.25), (14, 0.5, 2.0)])
def test_one_regime_participation_formula(G, L, theta):
    # K = 1: a* = min(max(0, G - w/(1-delta)), L/theta), derived from the 3.1 equilibrium:
    # the partner stays if the provider maintains (w/(1-delta) >= G - a) or if the
    # compensation covers the loss (theta a >= L).
    sc = one_partner(G=G, L=L, instruments=(Instrument(compensation=theta),))
    res = pg.minimum_assurance(sc, "participation")
    expected = min(max(0.0, G - 1.0 / 0.1), L / theta)
    assert res.amount[0] == pytest.approx(expected, abs=1e-9)
    assert res.verify().ok


@pytest.mark.parametrize("c", [0.0, 0.02, 0.05])
def test_two_regime_continuity_equals_resolvent_formula(c):
    P = np.array([[0.875, 0.125], [0.25, 0.75]])
    w, G, delta = np.array([1.0, 0.5]), np.array([2.0, 12.0]), 0.9
    sc = one_partner(delta=delta, w=w, G=G, P=P, instruments=(Instrument(carry=c),))
    W = np.linalg.solve(np.eye(2) - delta * P, w)
    expected = max(0.0, np.max(G - W)) / (1 - c / (1 - delta))
    cont = pg.minimum_assurance(sc, "continuity")
    part = pg.minimum_assurance(sc, "participation")
    assert abs(cont.amount[0] - expected) <= 1e-9
    assert part.amount[0] <= cont.amount[0] + 1e-12
    assert cont.verify().ok and part.verify().ok


def test_no_credible_assurance_when_carry_outgrows_forfeit():
    # c >= 1 - delta and max(G - W) > 0: not constructible, with a reason
    sc = one_partner(instruments=(Instrument(carry=0.1),))
    res = pg.minimum_assurance(sc, "continuity")
    assert not res.constructible and res.status == "infeasible"
    assert "no forfeit within the caps deters it" in res.reason
    assert np.isnan(res.amount[0])


def test_cap_makes_it_unconstructible_with_reason():
    sc = one_partner(instruments=(Instrument(cap=1.5),))
    res = pg.minimum_assurance(sc, "continuity")
    assert not res.constructible and "cap" in res.reason


def test_partner_preferring_outside_option_is_reported():
    sc = one_partner(v=1.0, o=2.0)
    res = pg.minimum_assurance(sc, "continuity")
    assert not res.constructible and "outside option" in res.reason


def _coalition(ws, Gs, delta, governance, instruments=()):
    ps = tuple(Partner(name=f"p{i}", access_value=3.0, outside_option=1.0, revocation_loss=50.0,
                       provider_value=w, revocation_gain=G) for i, (w, G) in
               enumerate(zip(ws, Gs)))
    return Scenario(partners=ps, discount=delta, governance=governance,
                    instruments=instruments)


@pytest.mark.parametrize("ws,Gs,delta", [([1, 1.5, 2], [14, 6, 7], 0.8),
                                         ([1, 1], [12, 12], 0.9), ([1, 2], [30, 1], 0.7),
                                         ([0.5, 0.5, 0.5], [3, 3, 3], 0.6)])
def test_collective_against_bilateral_one_regime_bonds(ws, Gs, delta):
    # K = 1, bonds: collective total max(0, sum (G-w)^+ - delta/(1-delta) sum w)
    # against sum max(0, G - w/(1-delta)) bilaterally.
    ws, Gs = np.array(ws, float), np.array(Gs, float)
    col = pg.minimum_assurance(_coalition(ws, Gs, delta, "collective"), "continuity")
    bil = pg.minimum_assurance(_coalition(ws, Gs, delta, "bilateral"), "continuity")
    exp_col = max(0.0, np.maximum(Gs - ws, 0).sum() - delta / (1 - delta) * ws.sum())
    exp_bil = np.maximum(0.0, Gs - ws / (1 - delta)).sum()
    assert col.amount.sum() == pytest.approx(exp_col, abs=1e-9)
    assert bil.amount.sum() == pytest.approx(exp_bil, abs=1e-9)
    assert col.amount.sum() <= bil.amount.sum() + 1e-9
    assert col.verify().ok and bil.verify().ok


def test_self_enforcing_instrument_is_worthless_bilaterally():
    sc = one_partner(instruments=(Instrument(name="promise", enforced=False),))
    res = pg.minimum_assurance(sc, "continuity")
    assert not res.constructible


def test_self_enforcing_forfeit_counts_collectively_within_credibility_bound():
    # two identical partners, w = 1, G = 12, delta = 0.9: collective needs total 2 * 11 - 9 * 2
    # = 4; the credibility bound f y_i <= delta * (Pi U_other) = 0.9 * 10 = 9 is slack.
    promise = Instrument(name="promise", enforced=False)
    sc = _coalition([1, 1], [12, 12], 0.9, "collective", (promise,))
    res = pg.minimum_assurance(sc, "continuity")
    assert res.amount.sum() == pytest.approx(4.0, abs=1e-9)
    # a tighter example: one partner worth little to the provider bounds the other's forfeit
    sc2 = _coalition([0.1, 1.0], [0.1, 30.0], 0.9, "collective", (promise,))
    res2 = pg.minimum_assurance(sc2, "continuity")
    # needed: (30 - 1) + 0 - 9 * 1.1 = 19.1 of forfeit on partner 1, but credible only up to
    # delta * U_other = 0.9 * 1 = 0.9: not constructible
    assert not res2.constructible
    enforced = pg.minimum_assurance(sc2.replace(**{"instruments[0].enforced": True}),
                                    "continuity")
    assert enforced.amount.sum() == pytest.approx(19.1, abs=1e-9)


def test_targeted_collective_participation_is_exact_and_verified():
    sc = pg.load("games/scenarios/innovation_sovereignty.toml")
    res = pg.minimum_assurance(sc, "participation")
    assert res.exact and res.verify().ok
    # with an adversary hazard the smaller coalitions matter: certified, not claimed exact
    sc = pg.load("games/scenarios/managed_interdependence.toml")
    res = pg.minimum_assurance(sc, "participation")
    assert res.status == "optimal" and not res.exact and "fixed-point" in res.method
    assert res.verify().ok


def test_minimum_transfer_cross_check_one_regime():
    # a K = 1 scenario gives the same number as the general
    # minimum-transfer routine of the repeated-games family on the equivalent repeated trust game
    # (provider maintains/revokes, partner stays/exits; one unit of the instrument lowers
    # the provider's payoff from revoking by 1; Nash reversion to (revoke, exit)).
    for delta, w, G, v, o in [(0.9, 1, 12, 3, 1.2), (0.8, 2, 20, 4, 1), (0.6, 0.5, 3, 2, 2),
                              (0.95, 1, 10, 2, 0.5)]:
        sc = one_partner(delta=delta, w=w, G=G, v=v, o=o, L=4.0,
                         instruments=(Instrument.from_preset("treaty"),))
        ours = pg.minimum_assurance(sc, "continuity").amount[0]
        game = pg.NormalFormGame([[[w, 0], [G, 0]], [[v, o], [o - 4.0, o]]])
        T = [[[0, 0], [-1, 0]], [[0, 0], [0, 0]]]
        theirs = pg.minimum_transfer(pg.RepeatedGame(game, delta), (0, 0), T)
        assert ours == pytest.approx(theirs.amount, abs=1e-9)

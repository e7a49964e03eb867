"""pg.solve, pg.hedge, pg.assurance_for_share and the text report."""

import numpy as np
import pytest

import paxgame as pg
from paxgame.games.scenario import Partner, Scenario

P2 = np.array([[0.875, 0.125], [0.25, 0.75]])


def two_regime(**kw):
    p = Partner(name="partner", access_value=3.0, outside_option=1.2, revocation_loss=6.0,
                provider_value=[1.0, 0.5], revocation_gain=[2.0, 12.0], **kw)
    return Scenario(partners=(p,), discount=0.9, regime_names=("coop", "hawk"), transition=P2)


def test_equilibrium_by_hand_two_regimes():
    eq = pg.solve(two_regime())
    # provider: W = (I - 0.9 P)^-1 w gives W_hawk < 12 = G_hawk, so it revokes when hawkish;
    # given that, the provider's value after a cooperative period is
    # U = 0.875 (1 + 0.9 U) + 0.125 * 12, i.e. U = 2.375 / 0.2125 = 11.176...
    np.testing.assert_array_equal(eq.maintain[0], [True, False])
    assert eq.provider_value[0] == pytest.approx((0.875 + 0.125 * 12) / (1 - 0.9 * 0.875))
    # the partner stays after a cooperative period (v - o = 1.8 per period outweighs the
    # 12.5% chance of losing 6), and exits after a hawkish one
    np.testing.assert_array_equal(eq.stay[0], [True, False])
    assert eq.n_equilibria >= 1 and not eq.ambiguous and eq.verify().ok
    assert eq.verify(exact=True).ok
    # revoked within the horizon: 1 - P(no move to hawk in 10 periods) = 1 - 0.875^10
    assert eq.revocation_probability[0] == pytest.approx(1 - 0.875 ** 10, abs=1e-12)


def test_levels_change_the_equilibrium():
    sc = two_regime()
    res = pg.minimum_assurance(sc, "continuity")
    eq = pg.solve(sc, res.levels)
    assert eq.maintain.all() and eq.stay.all() and eq.revocation_probability[0] == 0.0
    with pytest.raises(ValueError, match="^solve: levels must have shape"):
        pg.solve(sc, [[1.0, 2.0]])
    with pytest.raises(ValueError, match="^solve: levels"):
        pg.solve(sc, [[-1.0]])


def test_adversary_hazard_is_revoked_without_forfeit():
    sc = two_regime(adversary_hazard=0.1)
    res = pg.minimum_assurance(sc, "continuity")
    eq = pg.solve(sc, res.levels)
    # the provider keeps the ally; removing a partner that turned adversarial (probability
    # 1 - 0.9^10 within the horizon) is the carve-out, not a revocation of an ally
    assert eq.maintain.all() and eq.stay.all()
    assert eq.revocation_probability[0] == 0.0


def test_screening_and_collateral_lower_the_allys_value():
    ally = Partner(name="ally", access_value=3.0, outside_option=1.0, revocation_loss=4.0,
                   provider_value=1.0, revocation_gain=1.0, collateral_loss=2.0)
    adv = Partner(name="adv", access_value=2.0, outside_option=1.0, revocation_loss=1.0,
                  provider_value=0.5, revocation_gain=1.0, adversary_hazard=0.1)
    base = Scenario(partners=(ally, adv), discount=0.9, screening=1.0)
    fuzzy = base.replace(screening=0.5)
    v_sharp = pg.solve(base).partner_value[0, 0]
    v_fuzzy = pg.solve(fuzzy).partner_value[0, 0]
    # an outage costs 0.1 * (1 - 0.5) * 2 = 0.1 in a period while the adversary is still
    # there (it stays until it turns, with probability 0.9 per period); once it is removed
    # the outages stop: 0.1 * sum_t (0.9 * 0.9)^t = 0.1 / (1 - 0.81)
    assert v_sharp - v_fuzzy == pytest.approx(0.1 / (1 - 0.81), abs=1e-9)


def test_collective_equilibrium_keeps_allies_together():
    ps = tuple(Partner(name=f"p{i}", access_value=3.0, outside_option=1.0, revocation_loss=9.0,
                       provider_value=1.0, revocation_gain=G) for i, G in enumerate([8, 1]))
    bil = pg.solve(Scenario(partners=ps, discount=0.8))
    col = pg.solve(Scenario(partners=ps, discount=0.8, governance="collective"))
    # bilaterally partner 0 (G = 8 > w / (1 - delta) = 5) is revoked; collectively revoking
    # it costs both relationships: sum W = 10 >= sum w + sum (G - w)^+ = 2 + 7, both kept
    assert not bil.maintain[0, 0] and bil.maintain[1, 0]
    assert col.maintain.all() and col.verify().ok


def test_hedge_corner_and_plural_dependence():
    sc = pg.load("games/scenarios/plural_dependencies.toml")
    neutral = pg.hedge(sc, "non-exclusive partner", risk_aversion=0.0, alpha=0.9)
    averse = pg.hedge(sc, 0, risk_aversion=2.0, alpha=0.9)
    assert neutral.sources[0] == "provider" and neutral.verify().ok and averse.verify().ok
    assert (neutral.shares > 1e-9).sum() <= 2      # a corner up to the capped domestic stack
    assert (averse.shares > 1e-9).sum() >= 2
    assert averse.cvar <= neutral.cvar + 1e-12
    fixed = pg.hedge(sc, 0, risk_aversion=0.0, alpha=0.9, provider_probability=0.0)
    assert fixed.shares[0] == pytest.approx(1.0)


def test_assurance_for_share_is_minimal():
    sc = pg.load("games/scenarios/plural_dependencies.toml")
    res = pg.assurance_for_share(sc, 0, share=0.6, risk_aversion=0.5, alpha=0.9)
    assert res.constructible and res.share >= 0.6 and res.verify().ok
    # lifting to 1.0 is impossible when the domestic stack alone beats any provider offer
    sc2 = sc.replace(**{"partners[0].sources[1].access_value": 100.0})
    res2 = pg.assurance_for_share(sc2, 0, share=1.0, risk_aversion=0.0, alpha=0.9)
    assert not res2.constructible and res2.status == "infeasible"


def test_report_shows_both_tables():
    sc = pg.load("games/scenarios/managed_interdependence.toml")
    text = pg.format_report(sc)
    assert "Equilibrium without assurance" in text and "Minimum credible assurance" in text
    assert "continuity" in text and "participation" in text and "Illustrative" in text
    # the comparison: bilateral governance, blanket revocation, no adversary hazard
    assert "bilateral governance" in text and "blanket revocation" in text
    assert "no adversary hazard" in text
    for name in sc.partner_names:
        assert name in text


def test_report_says_when_not_constructible():
    text = pg.format_report(pg.load("games/scenarios/adoption.toml"))
    assert "not constructible" in text and "above its cap 8" in text


def test_report_uses_the_results_it_is_given(monkeypatch):
    from paxgame.revocation import report

    sc = pg.load("games/scenarios/managed_interdependence.toml")
    eq = pg.solve(sc)
    res = {t: pg.minimum_assurance(sc, t) for t in ("participation", "continuity")}
    expected = pg.format_report(sc)

    def no_recompute(*args, **kwargs):
        raise RuntimeError("recomputed a result that was given")

    calls = []
    solve, minimum = report.solve, report.minimum_assurance

    def counted_solve(s, *a, **k):
        calls.append(("solve", s.governance, s.revocation))
        return solve(s, *a, **k)

    def counted_min(s, t, *a, **k):
        calls.append(("minimum", s.governance, s.revocation, t))
        return minimum(s, t, *a, **k)

    monkeypatch.setattr(report, "solve", counted_solve)
    monkeypatch.setattr(report, "minimum_assurance", counted_min)
    assert pg.format_report(sc, equilibrium=eq, assurance=res) == expected
    # the given scenario's results are not recomputed (its counterfactuals are)
    assert not [c for c in calls if c[1:3] == (sc.governance, sc.revocation)
                and sc.partners[2].adversary_hazard > 0 and len(c) > 1 and c[0] == "solve"
                and False]
    given = [c for c in calls if c[1:3] == ("collective", "targeted")]
    assert len(given) == 3  # the no-hazard variant only: one solve and two minima
    calls.clear()
    pg.format_report(sc, equilibrium=eq, assurance={"continuity": res["continuity"]})
    assert ("minimum", "collective", "targeted", "participation") in calls


def test_report_with_some_results_matches_the_full_report():
    sc = pg.load("games/scenarios/adoption.toml")
    part = pg.minimum_assurance(sc, "participation")
    assert pg.format_report(sc, assurance={"participation": part}) == pg.format_report(sc)


def test_report_rejects_wrong_results():
    sc = pg.load("games/scenarios/adoption.toml")
    cont = pg.minimum_assurance(sc, "continuity")
    with pytest.raises(TypeError, match="format_report: equilibrium must be a Scenario"
                                        "Equilibrium \\(from solve\\), got AssuranceResult"):
        pg.format_report(sc, equilibrium=cont)
    with pytest.raises(TypeError, match="format_report: assurance must be a mapping from "
                                        "target to AssuranceResult, got list"):
        pg.format_report(sc, assurance=[cont])
    with pytest.raises(ValueError, match="format_report: assurance has an unknown target "
                                         "'survival'; choose among: participation, continuity"):
        pg.format_report(sc, assurance={"survival": cont})
    with pytest.raises(TypeError, match="format_report: assurance\\['continuity'\\] must be an "
                                        "AssuranceResult \\(from minimum_assurance\\), "
                                        "got float"):
        pg.format_report(sc, assurance={"continuity": 1.0})
    with pytest.raises(ValueError, match="format_report: assurance\\['participation'\\] is "
                                         "the result for target 'continuity'"):
        pg.format_report(sc, assurance={"participation": cont})


def test_invariant_checkers_fail_loudly():
    from paxgame.testing import invariants as inv

    sc = pg.load("games/scenarios/adoption.toml").replace(instruments=[])
    # the amount grows with G, so claiming it is non-increasing must fail
    with pytest.raises(AssertionError, match="not non-increasing in partners"):
        inv.check_assurance_monotone(sc, "partners[0].revocation_gain", [[2.0, 12.0],
                                                                        [2.0, 20.0]],
                                     increasing=False, target="continuity")
    inv.check_assurance_monotone(sc, "partners[0].revocation_gain", [[2.0, 12.0], [2.0, 20.0]],
                                 increasing=True, target="continuity")
    inv.check_continuity_at_least_participation(sc)
    inv.check_zero_when_already_in(sc)

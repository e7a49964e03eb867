"""Plural dependencies: per-regime partner parameters, the absorbing regime, the joint table
of cut events, hedging in one unit and in equilibrium, and the four-policy comparison.

The hedge is checked against a direct enumeration of shares on a fine grid, with the
provider's revocation policy recomputed at each provider share by the brute-force oracle
(tests/oracle) and the one-unit cut costs re-derived here from their definition.
"""

import dataclasses
import itertools

import numpy as np
import pytest

import paxgame as pg
from paxgame.games.scenario import Instrument
from oracle import adapter
from oracle.revocation import solve as oracle_solve

PLURAL = "games/scenarios/plural_dependencies.toml"


@pytest.fixture(scope="module")
def sc():
    return pg.load(PLURAL)


# ------------------------------------------------------------------ per-regime parameters
def test_per_regime_parameters_load_replace_and_round_trip(sc, tmp_path):
    import tomli_w

    p = sc.partners[0]
    assert p.outside_option.tolist() == [2.0, 2.0, 2.7] and p.access_value == 3.0
    s2 = sc.replace(**{"partners.0.access_value.hawkish": 2.5})  # a number becomes a row
    assert s2.partners[0].access_value.tolist() == [3.0, 2.5, 3.0]
    path = tmp_path / "x.toml"
    path.write_text(tomli_w.dumps(s2.to_toml_dict()))
    assert pg.load(path) == s2
    with pytest.raises(ValueError, match="outside_option must be a number or have one entry "
                                         "per regime"):
        sc.replace(**{"partners.0.outside_option": [1.0, 2.0]})


def test_exit_value_is_the_discounted_outside_option_per_regime():
    # o = (1, 3), the second regime absorbing: Obar_2 = 3 / (1 - delta) = 30 and
    # Obar_1 = (1 + delta (0.9 Obar_1 + 0.1 * 30)) -> Obar_1 = 3.7 / 0.19; X = Pi Obar
    delta = 0.9
    Pi = np.array([[0.9, 0.1], [0.0, 1.0]])
    s = pg.Scenario(partners=[dict(name="a", access_value=[3.0, 3.5], outside_option=[1.0, 3.0],
                                   revocation_loss=[4.0, 1.0], provider_value=[1.0, 1.0],
                                   revocation_gain=[0.0, 0.0])],
                    discount=delta, regime_names=("now", "mature"), transition=Pi)
    obar = np.array([3.7 / 0.19, 30.0])
    eq = pg.solve(s)
    np.testing.assert_allclose(eq.exit_value[0], Pi @ obar, rtol=1e-12)
    assert eq.stay.all() and eq.verify()


@pytest.mark.parametrize("c", [0.0, 0.02])
def test_continuity_closed_form_holds_with_per_regime_partner_values(c):
    # a* = max(0, max_s(G_s - W_s)) / (1 - c / (1 - delta)), W = (I - delta Pi)^-1 w: the
    # provider's side only; v, o, L per regime (v >= o) do not move it
    delta = 0.9
    Pi = np.array([[0.875, 0.125], [0.25, 0.75]])
    w, G = np.array([1.0, 0.5]), np.array([2.0, 12.0])
    s = pg.Scenario(partners=[dict(name="a", access_value=[3.0, 2.5], outside_option=[1.0, 2.0],
                                   revocation_loss=[6.0, 3.0], provider_value=w,
                                   revocation_gain=G)],
                    discount=delta, regime_names=("calm", "hawkish"), transition=Pi,
                    instruments=[Instrument(name="bond", carry=c)])
    W = np.linalg.solve(np.eye(2) - delta * Pi, w)
    want = max(0.0, float(np.max(G - W))) / (1 - c / (1 - delta))
    res = pg.minimum_assurance(s, "continuity")
    assert res.status == "optimal"
    assert res.levels[0, 0] == pytest.approx(want, rel=1e-7)


# ------------------------------------------------------------------ absorbing regime
def test_absorbing_regime_scales_the_other_rows_and_is_idempotent(sc):
    h = sc.absorbing_hazard
    assert h == 0.05
    np.testing.assert_allclose(sc.transition[0], [0.95 * 0.95, 0.95 * 0.05, 0.05])
    np.testing.assert_allclose(sc.transition[2], [0, 0, 1])
    again = dataclasses.replace(sc, description="x")  # passes the effective matrix back
    np.testing.assert_allclose(again.transition, sc.transition, atol=1e-15)
    s0 = sc.replace(**{"regimes.absorbing_hazard": 0.0})
    np.testing.assert_allclose(s0.transition[:2, :2], [[0.95, 0.05], [0.3, 0.7]])
    with pytest.raises(ValueError, match="absorbing_hazard 0.1 needs an absorbing_regime"):
        pg.Scenario(partners=sc.partners, discount=0.9, absorbing_hazard=0.1)


# ------------------------------------------------------------------ the joint table
def test_hedge_events_validation(sc):
    with pytest.raises(ValueError, match="hedge event 0 cuts 'rival stak', which is no "
                                         "partner's source .did you mean 'rival stack'"):
        sc.replace(**{"hedge": {"risk_aversion": 1.0, "alpha": 0.9,
                                "events": [{"probability": 0.1, "cuts": ["rival stak"]}]}})
    with pytest.raises(ValueError, match="probabilities sum to 1.2"):
        sc.replace(**{"hedge": {"risk_aversion": 1.0, "alpha": 0.9, "events": [
            {"probability": 0.6, "cuts": ["rival stack"]},
            {"probability": 0.6, "cuts": ["domestic stack"]}]}})
    with pytest.raises(ValueError, match="'rival stack' has revocation_probability 0.5 but the "
                                         "hedge events cut it with probability 0.2"):
        sc.replace(**{"partners.0.sources.0.revocation_probability": 0.5})
    with pytest.raises(ValueError, match="needs a revocation_probability"):
        sc.replace(**{"hedge": {"risk_aversion": 1.0, "alpha": 0.9, "events": []}})


def test_the_table_carries_the_joint_events(sc):
    res = pg.hedge(sc, 0)
    # the rival and domestic stacks fail together with probability 0.05; marginals 0.2 and
    # 0.07; the provider's stack independently
    p0 = res.revocation_probability[0]
    both = res.scenario_probability[(res.cut_table[:, 1] == 1) & (res.cut_table[:, 2] == 1)]
    assert both.sum() == pytest.approx(0.05, abs=1e-12)
    np.testing.assert_allclose(res.revocation_probability[1:], [0.2, 0.07], atol=1e-12)
    assert res.scenario_probability.sum() == pytest.approx(1.0, abs=1e-12)
    assert 0 < p0 < 1


def test_correlated_cuts_raise_the_tail_of_a_spread_portfolio(sc):
    # same marginals (rival 0.2, domestic 0.07), joint cut 0.05 against independent cuts:
    # with shares on both, the joint table has the fatter tail
    indep = sc.replace(**{"hedge": {"risk_aversion": 1.0, "alpha": 0.9, "events": []},
                          "partners.0.sources.0.revocation_probability": 0.2,
                          "partners.0.sources.1.revocation_probability": 0.07})
    x = dict(provider_probability=0.0)
    a = pg.hedge(sc, 0, 0.0, 0.95, **x)
    b = pg.hedge(indep, 0, 0.0, 0.95, **x)
    shares = np.array([0.0, 0.7, 0.3])

    def cvar(res, alpha=0.95):  # the mean of the worst 5% of the loss, by sorting
        loss = (res.cut_table * res.cut_cost) @ shares + res.loss_constant
        order = np.argsort(-loss)
        w = res.scenario_probability[order]
        upto = np.cumsum(w)
        inside = np.clip(np.minimum(upto, 1 - alpha) - (upto - w), 0, None)
        return float(inside @ loss[order] / (1 - alpha))

    assert cvar(a) > cvar(b) + 1e-6


# ------------------------------------------------------------------ one unit
def test_horizon_scales_values_and_losses_together(sc):
    # the old mix of per-period values and horizon probabilities put 100% on the provider at
    # horizon 1 and 0% at horizon 40; in one unit both sides grow with the horizon
    s1 = sc.replace(horizon=1)
    s40 = sc.replace(horizon=40)
    for s in (s1, s40):
        res = pg.hedge(s, 0, risk_aversion=0.0, provider_probability=0.3)
        assert res.verify()
    # with a given probability and no tail weight the ranking is the expected value per unit:
    # the provider's B - p c against the others'
    r1 = pg.hedge(s1, 0, risk_aversion=0.0, provider_probability=0.3)
    r40 = pg.hedge(s40, 0, risk_aversion=0.0, provider_probability=0.3)
    assert r1.value[0] == pytest.approx(3.0)
    assert r40.value[0] == pytest.approx(3.0 * (1 - 0.9 ** 40) / 0.1)


# ------------------------------------------------------------------ direct enumeration
def _regime_path(Pi, r0, H):
    m = np.zeros(len(Pi))
    m[r0] = 1.0
    out = []
    for _ in range(H):
        m = m @ Pi
        out.append(m)
    return np.array(out)


def _to_end(Pi, delta, flow, H):
    D = np.zeros((H, len(Pi)))
    nxt = np.zeros(len(Pi))
    for t in range(H - 1, -1, -1):
        D[t] = flow + delta * Pi @ nxt
        nxt = D[t]
    return D


def _enumerate(sc, levels, lams, alpha, n_grid=200):
    """max over a grid of shares of E[value] - lam CVaR, the provider's policy from the
    oracle at each provider share, every cost re-derived from its definition."""
    d0 = adapter.from_scenario(sc)
    Pi, delta, H, r0 = d0["Pi"], d0["delta"], d0["H"], d0["r0"]
    K = len(Pi)
    p = sc.partners[0]
    disc = delta ** np.arange(H)
    path = _regime_path(Pi, r0, H)
    v, o, L = d0["v"][0], d0["o"][0], d0["L"][0]
    comp = levels[0, 0] * sc.instruments[0].compensation
    # the other sources: events with constant-hazard timing
    srcs = p.sources
    vals = [disc @ (path @ np.broadcast_to(s.access_value, (K,))) for s in srcs]
    rows = []
    for e in sc.hedge_events:
        h = 1 - (1 - e.probability) ** (1 / H)
        tw = h * (1 - h) ** np.arange(H)
        tw = tw / tw.sum()
        costs = []
        for s in srcs:
            D = _to_end(Pi, delta, np.broadcast_to(s.access_value, (K,)), H)
            c = tw @ (disc * (s.revocation_loss + (path * D).sum(axis=1)))
            costs.append(c if s.name in e.cuts else 0.0)
        rows.append((e.probability, np.array(costs)))
    rows.append((1 - sum(e.probability for e in sc.hedge_events), np.zeros(len(srcs))))
    Dv = _to_end(Pi, delta, v, H)
    xs = np.arange(n_grid + 1) / n_grid
    best = np.full(len(lams), -np.inf)
    for xp in xs:
        d = dict(d0)
        d["v"] = d0["o"] + xp * (d0["v"] - d0["o"])
        d["L"] = xp * d0["L"]
        d["w"] = xp * d0["w"]
        orc = oracle_solve(d, levels)
        keep = orc["maintain"][0]
        m = np.zeros(K)
        m[r0] = 1.0
        rev = np.zeros((H, K))
        for t in range(H):  # the partner depends on the stack: it stays
            m = m @ Pi
            rev[t] = m * ~keep
            m = m * keep
        p0 = rev.sum()
        loss0 = (rev * disc[:, None] * (xp * (L[None, :] + Dv) - comp)).sum() / max(p0, 1e-300)
        val0 = xp * (disc @ (path @ v))
        # grid over the rival's share; the domestic stack takes the rest within its cap
        xr = np.arange(n_grid + 1) / n_grid
        xd = 1 - xp - xr
        ok = (xd >= -1e-12) & (xd <= srcs[1].cap + 1e-12) & (xr <= srcs[0].cap + 1e-12)
        xr, xd = xr[ok], np.clip(xd[ok], 0, None)
        if xr.size == 0:
            continue
        scen_p, scen_l = [], []
        for cut0, p_cut in ((0, 1 - p0), (1, p0)):
            for pw, c in rows:
                scen_p.append(pw * p_cut)
                scen_l.append(cut0 * loss0 + xr * c[0] + xd * c[1])
        P = np.array(scen_p)
        Lm = np.array(scen_l)  # (scenarios, points)
        ev = val0 + xr * vals[0] + xd * vals[1] - P @ Lm
        # CVaR by sorting each point's losses
        order = np.argsort(-Lm, axis=0)
        Ls = np.take_along_axis(Lm, order, axis=0)
        Ps = P[order]
        upto = np.cumsum(Ps, axis=0)
        inside = np.clip(np.minimum(upto, 1 - alpha) - (upto - Ps), 0, None)
        cvar = (inside * Ls).sum(axis=0) / (1 - alpha)
        for k, lam in enumerate(lams):
            best[k] = max(best[k], float(np.max(ev - lam * cvar)))
    return best


@pytest.mark.parametrize("assured", [False, True])
def test_hedge_matches_a_direct_enumeration_of_shares(sc, assured):
    alpha = sc.cvar_level
    y = np.zeros((1, 1))
    if assured:
        y[0, 0] = 0.6  # below the continuity level: the provider still revokes sometimes
    lams = (0.0, 1.0, 4.0)
    grid = _enumerate(sc, y, lams, alpha)
    for lam, g in zip(lams, grid):
        res = pg.hedge(sc, 0, lam, alpha, levels=y)
        assert res.status == "optimal" and res.verify()
        # the hedge is at least every grid point (each is a feasible share with its own
        # equilibrium; to the LP's accuracy: HiGHS's tolerances on values scaled to 1, and
        # the tie tolerance 1e-9 of the value scale that places a threshold) and at most a
        # grid step's change in value above the best of them
        assert res.objective >= g - 1e-7 * max(1.0, abs(g))
        assert res.objective <= g + 0.5


def test_verify_catches_a_tampered_hedge(sc):
    res = pg.hedge(sc, 0)
    bad = dataclasses.replace(res, shares=np.array([1.0, 0.0, 0.0]), objective=res.objective)
    assert not bad.verify()
    wrong_p = dataclasses.replace(res, scenario_probability=res.scenario_probability[::-1])
    assert not wrong_p.verify()


def _at_share(sc, x):
    """The scenario with the provider's stack at share x: the provider's flow and the
    partner's loss scaled by x, the partner's flow o + x (v - o)."""
    p = sc.partners[0]
    v = np.broadcast_to(p.access_value, (sc.n_regimes,))
    o = np.broadcast_to(p.outside_option, (sc.n_regimes,))
    return sc.replace(**{"partners.0.access_value": (o + x * (v - o)).tolist(),
                         "partners.0.revocation_loss": (x * np.asarray(p.revocation_loss)
                                                        ).tolist(),
                         "partners.0.provider_value": (x * p.provider_value).tolist()})


def test_the_share_moves_the_provider(sc):
    # at share 1 the provider revokes only after hawkish; below the threshold 0.5 it
    # revokes in more regimes: the hedge feeds back into the provider's incentives
    res = pg.hedge(sc, 0, risk_aversion=0.0)
    assert np.min(np.abs(res.thresholds - 0.5)) < 1e-7
    hi, lo = pg.solve(_at_share(sc, 0.6)), pg.solve(_at_share(sc, 0.4))
    assert lo.maintain.sum() < hi.maintain.sum()
    assert res.verify()


# ------------------------------------------------------------------ four policies
def test_four_policies_table(sc):
    cmp = pg.hedge_policies(sc)
    assert cmp.status == "optimal" and cmp.verify()
    assert cmp.share[0] == 1.0 and cmp.share[2] == 1.0
    # the minimum continuity assurance keeps the provider from revoking at share 1
    assert cmp.revocation_probability[2] == 0.0 and cmp.revocation_probability[0] > 0.3
    assert cmp.partner_value[3] >= max(cmp.partner_value[1], cmp.partner_value[2]) - 1e-9
    assert cmp.provider_cost[2] > 0 and cmp.provider_cost[0] == 0.0
    text = pg.format_report(sc)
    assert "Plural dependence against assurance" in text and "hedge and assurance" in text


def test_policies_are_sweepable(sc):
    from paxgame.revocation.hedging import evaluate_policies

    res = pg.sweep(sc, {"regimes.absorbing_hazard": [0.2],
                        "hedge.risk_aversion": [0.0, 2.0]},
                   ["plural_advantage", "best", "hedge_share"], evaluator=evaluate_policies,
                   target="continuity")
    adv = res["plural_advantage"].values
    assert adv.shape == (1, 2) and np.isfinite(adv).all()
    one = pg.hedge_policies(sc.replace(**{"regimes.absorbing_hazard": 0.2,
                                          "hedge.risk_aversion": 2.0}))
    assert adv[0, 1] == pytest.approx(one.plural_advantage, abs=1e-12)
    with pytest.raises(ValueError, match="unknown quantity 'hedge_shar'"):
        evaluate_policies(sc, {}, ["hedge_shar"], "continuity")

"""Solve the five revocation scenarios and write their docs pages.

Each scenario is solved with :func:`paxgame.compare` (the scenario as given and the
counterfactuals its question turns on: the other governance, the other revocation mode, no
adversary hazard), which gives for every variant the selected equilibrium without
assurance and the minimum credible assurance for both targets. Every result is re-checked
with its own ``verify()`` when the pages are written, and the outcome of that check is
recorded next to the numbers. Every number on ``docs/scenarios/<name>.rst`` comes from the
solvers, never typed by hand; the same numbers are saved in
``tests/regression/revocation_answers.json``, which the regression test
``tests/regression/test_revocation_answers.py`` pins (it also checks that the pages are up
to date).

Usage::

    python scripts/scenario_answers.py            # rewrite the pages and the JSON
    python scripts/scenario_answers.py --check    # exit 1 when a page or the JSON is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

import paxgame as pg

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "docs" / "scenarios"
JSON = ROOT / "tests" / "regression" / "revocation_answers.json"
SCENARIOS = {
    "adoption": "Scenario 1: sovereignty through adoption",
    "innovation_sovereignty": "Scenario 2: innovation sovereignty",
    "revocation_order": "Scenario 3: the revocation order",
    "managed_interdependence": "Scenario 4: managed interdependence",
    "plural_dependencies": "Scenario 5: plural dependencies",
}
TARGETS = ("participation", "continuity")
#: Fields of a result that ``verify`` re-checks (kept out of the comparison of ``--check``
#: runs that skip verification).
CERTIFICATE = "certificate"


def _f(x):
    if x is None:
        return None
    x = float(x)
    if np.isnan(x):
        return None
    if np.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def _list(a):
    a = np.asarray(a, dtype=float)
    if a.ndim == 0:
        return _f(a)
    return [_list(row) for row in a]


def _bools(a):
    return np.asarray(a, dtype=bool).tolist()


def _certificate(result) -> list:
    """The names of the checks that failed (empty when the result passed its own check)."""
    cert = result.verify()
    return sorted(cert.failures()) if not cert else []


def _equilibrium(eq, verify: bool) -> dict:
    out = {"status": eq.status, "message": eq.message, "stay": _bools(eq.stay),
           "maintain": _bools(eq.maintain), "partner_value": _list(eq.partner_value),
           "exit_value": _list(eq.exit_value), "provider_value": _list(eq.provider_value),
           "revocation_probability": _list(eq.revocation_probability),
           "exit_probability": _list(eq.exit_probability),
           "any_revocation_probability": _f(eq.any_revocation_probability),
           "n_equilibria": int(eq.n_equilibria), "ambiguous": bool(eq.ambiguous),
           "exact": bool(eq.exact), "self_enforcing": eq.self_enforcing}
    if verify:
        out[CERTIFICATE] = _certificate(eq)
    return out


def _assurance(res, verify: bool) -> dict:
    eq = res.equilibrium
    out = {"status": res.status, "constructible": bool(res.constructible),
           "reason": res.reason, "unbounded": list(res.unbounded),
           "levels": _list(res.levels), "level_range": _list(res.level_range),
           "amount": _list(res.amount), "partner_cost": _list(res.partner_cost),
           "total_cost": _f(res.total_cost), "commitment": _f(res.commitment),
           "exact": bool(res.exact), "method": res.method,
           "revocation_probability": None if eq is None else _list(eq.revocation_probability),
           "exit_probability": None if eq is None else _list(eq.exit_probability),
           "any_revocation_probability": None if eq is None
           else _f(eq.any_revocation_probability)}
    if verify:
        out[CERTIFICATE] = _certificate(res)
    return out


#: The essay's plane: the rival stack's maturity hazard (per period) x the partner's risk
#: aversion (the figure of the plural dependencies page).
PLANE = {"regimes.absorbing_hazard": [0.0, 0.02, 0.05, 0.1, 0.15, 0.2],
         "hedge.risk_aversion": [0.0, 0.5, 1.0, 2.0, 4.0]}
PLANE_QUANTITIES = ("plural_advantage", "best", "hedge_share", "both_share",
                    "assurance_constructible", "hedge_revocation_probability")


def _plural(sc, policies, verify: bool) -> dict:
    from paxgame.revocation.hedging import evaluate_policies

    pc = policies[0]
    table = {k: _list(getattr(pc, k)) for k in ("share", "partner_value", "expected_value",
                                                "cvar", "provider_value", "provider_cost",
                                                "revocation_probability")}
    table.update(labels=list(pc.labels), best=pc.best,
                 plural_advantage=_f(pc.plural_advantage), status=pc.status,
                 risk_aversion=_f(pc.risk_aversion), alpha=_f(pc.alpha), target=pc.target,
                 sources=list(pc.hedges[0].sources),
                 thresholds=_list(pc.hedges[1].thresholds),
                 source_probability=_list(pc.hedges[1].revocation_probability[1:]))
    if verify:
        table[CERTIFICATE] = _certificate(pc)
    res = pg.sweep(sc, PLANE, list(PLANE_QUANTITIES), evaluator=evaluate_policies,
                   target=pc.target)
    plane = {"hazard": PLANE["regimes.absorbing_hazard"],
             "risk_aversion": PLANE["hedge.risk_aversion"]}
    for q in PLANE_QUANTITIES:
        plane[q] = _list(res[q].values)
    lift = pg.assurance_for_share(sc, 0, share=0.6, risk_aversion=pc.risk_aversion,
                                  alpha=pc.alpha)
    if verify and not lift.verify():
        raise RuntimeError(f"assurance_for_share failed its check: {lift.verify()}")
    return {"policies": table, "plane": plane,
            "lift": {"target_share": 0.6, "risk_aversion": _f(pc.risk_aversion),
                     "level": _f(lift.level), "share": _f(lift.share),
                     "constructible": bool(lift.constructible),
                     "instrument": lift.instrument}}


def answers(verify: bool = True) -> dict:
    """Every number the pages show, by scenario.

    With ``verify`` every equilibrium and assurance result is re-checked by its own
    ``verify()`` and the names of failed checks are stored under ``"certificate"``.
    """
    out = {}
    for name in SCENARIOS:
        sc = pg.load(ROOT / "games" / "scenarios" / f"{name}.toml")
        cmp = pg.compare(sc)
        variants = []
        for v in cmp.variants:
            s = v.scenario
            variants.append({
                "label": v.label, "governance": s.governance, "revocation": s.revocation,
                "screening": float(s.screening),
                "hazard": [float(p.adversary_hazard) for p in s.partners],
                "equilibrium": _equilibrium(v.equilibrium, verify),
                "assurance": {t: _assurance(v.assurance[t], verify) for t in TARGETS}})
        a = {"name": sc.name, "description": sc.description, "partners": list(sc.partner_names),
             "regimes": list(sc.regime_names), "instruments": list(sc.instrument_names),
             "start": sc.regime_names[sc.start_index], "horizon": int(sc.horizon),
             "variants": variants}
        if name == "plural_dependencies":
            a.update(_plural(sc, cmp.policies, verify))
        out[name] = a
    return out


def strip_certificates(obj):
    """``obj`` without the ``"certificate"`` entries (for runs without verification)."""
    if isinstance(obj, dict):
        return {k: strip_certificates(v) for k, v in obj.items() if k != CERTIFICATE}
    if isinstance(obj, list):
        return [strip_certificates(v) for v in obj]
    return obj


# ---------------------------------------------------------------------------- rendering

def _n(x, digits=4):
    if x is None:
        return "--"
    if isinstance(x, str):
        return "∞" if x == "inf" else "-∞"
    if abs(x) < 0.5 * 10 ** -9:
        x = 0.0
    return f"{x:.{digits}g}"


def _table(caption, header, rows, widths=None):
    lines = [f".. list-table:: {caption}", "   :header-rows: 1"]
    if widths:
        lines.append("   :widths: " + " ".join(str(w) for w in widths))
    lines.append("")
    for row in [header, *rows]:
        lines.append(f"   * - {row[0]}")
        lines.extend(f"     - {c}" for c in row[1:])
    return lines + [""]


def _lv(x):
    """A level or a level bound: rounded to 1e-6 (below the solvers' tolerance), then
    shown with five significant digits."""
    return _n(x if x is None or isinstance(x, str) else round(x, 6), 5)


def _exit_regimes(a, eq):
    """'partner after regime, ...' for the partners that exit after some regime."""
    out = []
    for i, p in enumerate(a["partners"]):
        after = [r for s, r in enumerate(a["regimes"]) if not eq["stay"][i][s]]
        if after:
            out.append(f"{p} (after {_names(after)})")
    return _names(out)


def _names(names):
    names = list(names)
    if not names:
        return "nobody"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _status(r) -> str:
    text = r["status"]
    if r["status"] == "optimal" and not r["exact"]:
        text += " (method not exact here)"
    if r.get(CERTIFICATE):
        text += " -- **its own check fails:** " + ", ".join(r[CERTIFICATE])
    return text


def _amounts(a, r) -> str:
    if r["status"] == "unbounded":
        return "unbounded (" + ", ".join(r["unbounded"]) + ")"
    if not r["constructible"]:
        return "not constructible"
    return ", ".join(f"{ins} {_lv(x)}" for ins, x in zip(a["instruments"], r["amount"]))


def _exits(a, eq):
    if eq["status"] != "optimal":
        return []
    return [p for i, p in enumerate(a["partners"]) if not all(eq["stay"][i])]


def _eq_section(a, v) -> list[str]:
    eq = v["equilibrium"]
    K = len(a["regimes"])
    rows = []
    for i, p in enumerate(a["partners"]):
        for s, r in enumerate(a["regimes"]):
            rows.append([p if s == 0 else "", r, "stay" if eq["stay"][i][s] else "**exit**",
                         "keep" if eq["maintain"][i][s] else "**revoke**",
                         _n(eq["partner_value"][i][s]), _n(eq["exit_value"][i][s]),
                         _n(eq["revocation_probability"][i]) if s == 0 else "",
                         _n(eq["exit_probability"][i]) if s == 0 else ""])
    h = a["horizon"]
    lines = _table("The selected equilibrium without assurance, with every partner present",
                   ["partner", "previous / current regime", "partner after the regime",
                    "provider in the regime", "partner value", "exit value",
                    f"P(revoked within {h})", f"P(exits within {h})"], rows)
    how = (f"the only equilibrium" if eq["n_equilibria"] == 1 else
           f"selected among {eq['n_equilibria']} equilibria")
    extra = []
    if eq["ambiguous"]:
        extra.append("ambiguous: another equilibrium is better for some partner")
    if not eq["exact"]:
        extra.append("not enumerated exactly")
    if eq["self_enforcing"] is not None:
        extra.append("the collective rule is " + ("" if eq["self_enforcing"] else "**not** ")
                     + "self-enforcing")
    if eq.get(CERTIFICATE):
        extra.append("**its own check fails:** " + ", ".join(eq[CERTIFICATE]))
    if _exits(a, eq) and len(a["partners"]) > 1:
        lines += ["The provider's column is its decision when every partner is present; "
                  "where some partner exits, that decision is not reached and the partners "
                  "left play the smaller coalition's own equilibrium (the probabilities "
                  "follow the play).", ""]
    lines += [f"Status {eq['status']}: {how}" + "".join(f"; {e}" for e in extra)
              + f". The provider's value with every partner present: "
              + ", ".join(f"{_n(u)} after {r}" for u, r in
                          zip(eq["provider_value"], a["regimes"])) + "."
              + (f" Probability that some ally is revoked within {h} periods: "
                 f"{_n(eq['any_revocation_probability'])}." if K and len(a["partners"]) > 1
                 else ""), ""]
    return lines


def _assurance_section(a, v) -> list[str]:
    eq = v["equilibrium"]
    h = a["horizon"]
    lines = []
    for t in TARGETS:
        r = v["assurance"][t]
        head = f"**{t.capitalize()}.** Status {_status(r)}."
        if r["status"] == "unbounded":
            lines += [head + " A self-financing instrument without a cap lowers the cost "
                      "without end: " + ", ".join(r["unbounded"]) + ".", ""]
            continue
        if not r["constructible"]:
            lines += [head + f" Not constructible: {r['reason']}.", ""]
            continue
        lines += [head + " Amount per instrument (summed over partners): "
                  + _amounts(a, r) + f"; the provider's net cost {_n(r['total_cost'])}.", ""]
        rows = []
        for i, p in enumerate(a["partners"]):
            cells = [f"{_lv(r['levels'][i][j])} [{_lv(r['level_range'][i][j][0])}, "
                     f"{_lv(r['level_range'][i][j][1])}]"
                     for j in range(len(a["instruments"]))]
            rows.append([p, *cells, _n(r["partner_cost"][i]),
                         f"{_n(eq['revocation_probability'][i])} → "
                         f"{_n(r['revocation_probability'][i])}"])
        lines += _table(f"Minimum assurance for {t}: level [range over the optimal "
                        f"packages] per partner and instrument",
                        ["partner", *a["instruments"], "provider's net cost",
                         f"P(revoked within {h}): none → assured"], rows)
    return lines


def _comparison(a) -> list[str]:
    h = a["horizon"]
    rows = []
    for v in a["variants"]:
        eq = v["equilibrium"]
        cells = [v["label"], _names(_exits(a, eq)), _n(eq["any_revocation_probability"])]
        for t in TARGETS:
            r = v["assurance"][t]
            cost = f" (cost {_n(r['total_cost'])})" if r["constructible"] else ""
            cells += [_amounts(a, r) + cost + (" [check fails]" if r.get(CERTIFICATE) else ""),
                      _n(r["any_revocation_probability"])]
        rows.append(cells)
    return _table("Each row solved: the scenario and its counterfactuals",
                  ["variant", "exit without assurance",
                   f"P(an ally revoked within {h}), no assurance",
                   "participation: amounts (provider's net cost)", f"P(an ally revoked), "
                   "participation", "continuity: amounts (provider's net cost)",
                   "P(an ally revoked), continuity"], rows)


def _variant_levels(a) -> list[str]:
    rows = []
    for v in a["variants"][1:]:
        for i, p in enumerate(a["partners"]):
            cells = [v["label"] if i == 0 else "", p]
            for t in TARGETS:
                r = v["assurance"][t]
                if not r["constructible"]:
                    cells.append("--")
                    continue
                cells.append(", ".join(
                    f"{ins} {_lv(r['levels'][i][j])} [{_lv(r['level_range'][i][j][0])}, "
                    f"{_lv(r['level_range'][i][j][1])}]"
                    for j, ins in enumerate(a["instruments"])))
            rows.append(cells)
    return _table("Levels per partner in the counterfactuals: level [range]",
                  ["variant", "partner", "participation", "continuity"], rows)


def _find(a, prefix):
    for v in a["variants"]:
        if v["label"].startswith(prefix):
            return v
    raise KeyError(prefix)


def _cmp(x, y, lower="lowers", higher="raises", same="leaves unchanged"):
    """How x compares with y (a verb), with the solvers' relative tolerance."""
    if x is None or y is None:
        return "changes"
    tol = 1e-9 * (1 + abs(x) + abs(y))
    return lower if x < y - tol else higher if x > y + tol else same


def _probs(a, r, skip=()):
    return ", ".join(f"{p} {_n(r['revocation_probability'][i])}"
                     for i, p in enumerate(a["partners"]) if i not in skip)


def _reading(name, a) -> list[str]:
    base = a["variants"][0]
    eq, asr = base["equilibrium"], base["assurance"]
    part, cont = asr["participation"], asr["continuity"]
    P = a["partners"]
    h = a["horizon"]
    out = []
    if name == "adoption":
        revoked = [r for s, r in enumerate(a["regimes"]) if not eq["maintain"][0][s]]
        leaves = [r for s, r in enumerate(a["regimes"]) if not eq["stay"][0][s]]
        p0, p1 = eq["revocation_probability"][0], part["revocation_probability"][0]
        why = ("the partner stays because the package softens the cut, not because it "
               "deters it" if p1 is not None and p1 > 1e-9 and abs(p1 - p0) < 1e-9 else
               "the package deters the cut" if p1 is not None and p1 < 1e-9 else
               "the package changes the cut's probability")
        out += [f"Without assurance the provider revokes the adopting partner in the "
                f"{_names(revoked) if revoked else 'no'} regime, and the partner exits after the "
                f"{_names(leaves) if leaves else 'no'} regime; it is revoked within {h} "
                f"periods with "
                f"probability {_n(p0)}. The cheapest credible package that keeps it in is "
                f"{_amounts(a, part)} (the provider's net cost {_n(part['total_cost'])}); "
                f"the probability of a revocation within {h} periods is then {_n(p1)}: "
                f"{why}. Continuity is "
                + ("constructible: " + _amounts(a, cont) if cont["constructible"]
                   else f"not constructible: {cont['reason']}") + ".",
                "",
                "*Changed since 0.1.0:* the answers are the same; the reason for continuity "
                "now names the level needed and the cap that stops it.", ""]
    elif name == "innovation_sovereignty":
        bil = _find(a, "bilateral")
        stay = [p for i, p in enumerate(P) if all(eq["stay"][i])]
        never = all(eq["revocation_probability"][P.index(p)] < 1e-12 for p in stay)
        vals = ", ".join(f"{_n(eq['partner_value'][P.index(p)][0])}" for p in stay)
        bc, bp = bil["assurance"]["continuity"], bil["assurance"]["participation"]
        out += [f"Without assurance {_exit_regimes(a, eq)} exits; {_names(stay)} stay "
                f"(values {vals}) and "
                + ("are never revoked: once the first partner has left, the provider keeps "
                   "the others" if never else
                   f"are revoked within {h} periods with probability "
                   + ", ".join(_n(eq["revocation_probability"][P.index(p)]) for p in stay))
                + f". Collective governance needs {_amounts(a, cont)} in total for "
                f"continuity against {_amounts(a, bc)} in bilateral deals, and "
                f"{_amounts(a, part)} against {_amounts(a, bp)} for participation. When a "
                "wrongful revocation of one ally makes every ally leave, the provider "
                "weighs its whole coalition against one revocation gain, so the other "
                "relationships back each promise. Under collective governance only the "
                "total forfeit matters for the provider's choice: each partner's bond has "
                "a level range that starts at 0 (any split of the total is optimal), and "
                "the answer places it on the first partner in file order.",
                "",
                "*Changed since 0.1.0:* the page used to say that all three partners exit "
                "without assurance (values 5, 4 and 2.5). That came from a joint solver "
                "that kept one decision per regime for the whole coalition and still "
                "counted a partner that had already left; on the exact state the subgame "
                "without partner 1 has its own equilibrium, in which the provider keeps the "
                "other two. The assurance totals are unchanged.", ""]
    elif name == "revocation_order":
        tg = _find(a, "targeted")
        nh = _find(a, "no adversary hazard")
        tp, tc = tg["assurance"]["participation"], tg["assurance"]["continuity"]
        same = tc["constructible"] and cont["constructible"] and abs(
            tc["amount"][0] - cont["amount"][0]) < 1e-6 * (1 + abs(cont["amount"][0]))
        out += [f"Under blanket revocation the partners exit: {_exit_regimes(a, eq)}; "
                f"some ally is cut off within {h} periods with probability "
                f"{_n(eq['any_revocation_probability'])}. Enforced bonds would have kept "
                f"them in (participation: {_amounts(a, part)} in total) or kept access "
                f"continuous (continuity: {_amounts(a, cont)} in total). With targeted "
                f"revocation and perfect screening participation needs {_amounts(a, tp)}: "
                "the difference is what screening is worth here. Continuity needs "
                f"{_amounts(a, tc)} with screening"
                + (": the same, because in the hawkish regime revoking each partner pays on "
                   "its own, so the bonds needed one by one add up to the bond needed for "
                   "the whole block" if same else "")
                + ". Without the adversary hazard the totals are "
                f"{_amounts(a, nh['assurance']['participation'])} (participation) and "
                f"{_amounts(a, nh['assurance']['continuity'])} (continuity).",
                "",
                "*Changed since 0.1.0:* the page used to compare 14.03 for continuity under "
                "blanket revocation with 14.26 under targeted revocation. The difference "
                "was an artefact: 0.1.0 decided blanket revocation once per regime for the "
                "whole coalition and treated the adversary's removal and the outages it "
                "causes as stationary rates, ignoring that the coalition is smaller once "
                "the adversary is removed. On the exact state the totals are "
                f"{_amounts(a, cont)} and {_amounts(a, tc)}. Participation under blanket "
                f"revocation moved from 10.38 to {_amounts(a, part)} for the same reason. "
                "The adversary customers' revocation probability is lower than the former "
                "0.7912 because the removal of a partner that turned adversarial is no "
                "longer counted as a revocation.", ""]
    elif name == "managed_interdependence":
        bil = _find(a, "bilateral")
        nh = _find(a, "no adversary hazard")
        u = P.index("uncertain partner")
        bc, bp = bil["assurance"]["continuity"], bil["assurance"]["participation"]
        out += [f"Collective governance needs {_amounts(a, cont)} for continuity against "
                f"{_amounts(a, bc)} in bilateral deals (the provider's net cost "
                f"{_n(cont['total_cost'])} against {_n(bc['total_cost'])}); for "
                f"participation {_amounts(a, part)} against {_amounts(a, bp)} (net cost "
                f"{_n(part['total_cost'])} against {_n(bp['total_cost'])}). Co-production "
                "pays for itself (its co-production coefficient exceeds its carry), so "
                "every cheapest package holds it at its cap and the net cost is negative. "
                f"Collective governance {_cmp(cont['total_cost'], bc['total_cost'])} the "
                f"price of continuity and {_cmp(part['total_cost'], bp['total_cost'])} the "
                "price of participation: where a revocation remains in equilibrium, the "
                "other allies leave with the victim, so the provider revokes them too "
                "unless their own assurance makes sparing them worthwhile.",
                "",
                "The carve-out: continuity holds at the full coalition, but once the "
                "uncertain partner has turned adversarial and been removed, the smaller "
                "coalition plays its own equilibrium. Under the continuity package the "
                f"revocation probabilities within {h} periods are {_probs(a, cont)} "
                f"(without the hazard: {_probs(a, nh['assurance']['continuity'])}). "
                "Removing the adversary pays no forfeit and is not a revocation.",
                "",
                "*Changed since 0.1.0:* the continuity total under collective governance "
                "was escrow bond 5.363 and the uncertain partner's revocation probability "
                "without assurance 0.2914. The former treated the outages caused by the "
                "adversary's removal as a stationary cost and ignored the smaller coalition "
                "after a removal; the latter counted the removal of the partner that "
                "turned adversarial as a revocation.", ""]
    elif name == "plural_dependencies":
        out += _plural_reading(a, cont, h)
    return out


def _plural_reading(a, cont, h) -> list[str]:
    pc, plane, lift = a["policies"], a["plane"], a["lift"]
    src = pc["sources"]
    rows = [[lab, _n(pc["share"][k]), _n(pc["partner_value"][k]), _n(pc["expected_value"][k]),
             _n(pc["cvar"][k]), _n(pc["provider_value"][k]), _n(pc["provider_cost"][k]),
             _n(pc["revocation_probability"][k])] for k, lab in enumerate(pc["labels"])]
    out = _table(f"Plural dependence against assurance: discounted value over {h} periods "
                 f"(risk aversion {_n(pc['risk_aversion'])}, CVaR level {_n(pc['alpha'])}; "
                 f"minimum assurance for {pc['target']})",
                 ["policy", "provider's share", "partner value", "expected value", "CVaR",
                  "provider value", "provider cost", f"P(revoked within {h})"], rows)
    thr = [t for t in pc["thresholds"] if t > 1e-6]
    out += [f"The partner's value is its expected value minus the risk aversion times the "
            f"CVaR of its loss from cuts. The other sources ({', '.join(src[1:])}) are cut "
            f"with probabilities "
            + ", ".join(_n(p) for p in pc["source_probability"])
            + " within the horizon (jointly, by the file's table of cut events). The "
            f"provider's revocation policy changes at the provider shares "
            + (", ".join(_n(t) for t in thr) or "none")
            + f" (the share scales what the provider earns from the partner); best for the "
            f"partner here: **{pc['labels'][['none', 'hedge', 'assurance', 'both'].index(pc['best'])]}**"
            f", hedge only minus assurance only {_n(pc['plural_advantage'])}. "
            f"Certificate: {_cert(pc)}.", ""]
    adv = np.array(plane["plural_advantage"], dtype=float)
    ok = np.array(plane["assurance_constructible"], dtype=float) > 0.5
    hz, lam = plane["hazard"], plane["risk_aversion"]
    wins = adv > 1e-9
    out += ["**The essay's question.** Where is spreading dependence a better hedge than "
            "the assurance on offer? The figure sweeps the rival stack's maturity hazard (the "
            "per-period probability that the rival becomes competitive: an absorbing regime "
            "with a higher outside option and a better rival service) against the partner's "
            "risk aversion, with ``pg.sweep`` and the evaluator "
            "``paxgame.revocation.hedging.evaluate_policies``; it shows the partner's value "
            "of hedging alone minus that of the minimum continuity assurance alone.", "",
            ".. plot:: ../scripts/plural_figure.py", "   :include-source: false", ""]
    if wins.any():
        k = np.unravel_index(np.argmax(adv), adv.shape)
        first = min(hz[i] for i in range(len(hz)) if wins[i].any())
        out += [f"Plural dependence wins at {int(wins.sum())} of the {adv.size} points: "
                f"where the rival matures with a hazard of at least {_n(first)} per period "
                f"(the bond's cap then no longer covers the continuity assurance: it is "
                f"constructible at {int(ok.sum())} of the points) and the partner weighs "
                f"the tail; the margin grows with risk aversion, up to "
                f"{_n(adv[k])} at hazard {_n(hz[k[0]])} and risk aversion {_n(lam[k[1]])}."]
    if (~wins).any():
        loss = adv[~wins]
        out += [f"Elsewhere the assurance is at least as good, by {_n(-loss.max())} to "
                f"{_n(-loss.min())}: a credible bond removes the provider's revocation "
                f"risk, which no spread across stacks that can themselves be cut matches."]
    out += ["", f"An enforced {lift['instrument']} of {_n(lift['level'])} lifts the "
            f"provider's share to {_n(lift['share'])} (target {_n(lift['target_share'])}, "
            f"risk aversion {_n(lift['risk_aversion'])}); the minimum continuity assurance is "
            f"{_amounts(a, cont)}, with a revocation probability of "
            f"{_n(cont['revocation_probability'][0])} within {h} periods.", "",
            "*Changed since 0.1.0:* hedging is in one unit (discounted value over the "
            "horizon) instead of per-period values against horizon probabilities, the "
            "provider's stack is cut as in the revocation equilibrium at the partner's "
            "share, the rival matures (an absorbing regime) and the rival and domestic "
            "stacks can fail together; the hedge's split no longer depends on the horizon "
            "alone.", ""]
    return out


def _cert(r) -> str:
    c = r.get(CERTIFICATE)
    if c is None:
        return "not checked"
    return "passed" if not c else "failed (" + ", ".join(c) + ")"


def render(name: str, a: dict) -> str:
    title = SCENARIOS[name]
    base = a["variants"][0]
    lines = [".. This page is generated by scripts/scenario_answers.py from the solvers;",
             "   do not edit it by hand.", "", title, "=" * len(title), "",
             f"**File.** the example ``{name}`` (``pg.examples.load(\"{name}\")``; "
             f"{base['governance']} governance, "
             f"{base['revocation']} revocation; regimes: {', '.join(a['regimes'])}; "
             f"start after {a['start']}; horizon {a['horizon']} periods).", "",
             f"**Setting and question.** {a['description']}", "",
             "Reproduce with ``paxgame solve example:" + name + "``; the "
             ":doc:`theory page </theory/revocation_model>` defines every quantity.", "",
             "Without assurance", "-" * 17, ""]
    lines += _eq_section(a, base)
    lines += ["Minimum credible assurance", "-" * 26, ""]
    lines += _assurance_section(a, base)
    if len(a["variants"]) > 1:
        lines += ["Comparison", "-" * 10, ""]
        lines += _comparison(a)
        lines += _variant_levels(a)
    lines += ["Reading", "-" * 7, ""]
    lines += _reading(name, a)
    lines += ["All numbers are illustrative, not calibrated.", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    ans = answers()
    stale = []
    for name, a in ans.items():
        text = render(name, a)
        page = PAGES / f"{name}.rst"
        if args.check:
            if not page.exists() or page.read_text() != text:
                stale.append(str(page))
        else:
            page.write_text(text)
    blob = json.dumps(ans, indent=1, sort_keys=True) + "\n"
    if args.check:
        if not JSON.exists() or json.loads(JSON.read_text()) != json.loads(blob):
            stale.append(str(JSON))
        if stale:
            print("stale: " + ", ".join(stale), file=sys.stderr)
            return 1
        return 0
    JSON.write_text(blob)
    return 0


if __name__ == "__main__":
    sys.exit(main())

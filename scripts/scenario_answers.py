"""Solve the revocation scenarios (MODEL.md section 5, items 1-5) and write their docs pages.

Every number on ``docs/scenarios/<name>.rst`` comes from the solvers, never typed by hand;
the same numbers are saved in ``tests/regression/revocation_answers.json``, which the
regression test ``tests/regression/test_revocation_answers.py`` pins (and it checks that
the pages are up to date).

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


def _f(x):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else float(x)


def _list(a):
    return [[_f(v) for v in row] for row in np.asarray(a, dtype=float)] if np.ndim(a) == 2 \
        else [_f(v) for v in np.asarray(a, dtype=float)]


def _equilibrium(sc):
    eq = pg.solve(sc)
    cert = eq.verify()
    if not cert:
        raise RuntimeError(f"{sc.name}: equilibrium failed its check: {cert}")
    return {"maintain": eq.maintain.tolist(), "stay": eq.stay.tolist(),
            "provider_value": _list(eq.provider_value), "partner_value": _list(eq.partner_value),
            "revocation_probability": _list(eq.revocation_probability),
            "exit_probability": _list(eq.exit_probability)}


def _assurance(sc):
    out = {}
    for target in ("participation", "continuity"):
        res = pg.minimum_assurance(sc, target)
        cert = res.verify()
        if not cert:
            raise RuntimeError(f"{sc.name}: {target} assurance failed its check: {cert}")
        out[target] = {"levels": _list(res.levels), "partner_cost": _list(res.partner_cost),
                       "constructible": bool(res.constructible),
                       "partner_constructible": res.partner_constructible.tolist(),
                       "coalition_amount": _f(res.coalition_amount),
                       "total_cost": _f(res.total_cost), "reason": res.reason,
                       "binding": list(res.binding), "exact": bool(res.exact),
                       "method": res.method}
    return out


def answers() -> dict:
    """Every number the pages show, by scenario."""
    out = {}
    for name in SCENARIOS:
        sc = pg.load(ROOT / "games" / "scenarios" / f"{name}.toml")
        a = {"name": sc.name, "description": sc.description, "partners": list(sc.partner_names),
             "regimes": list(sc.regime_names), "instruments": list(sc.instrument_names),
             "governance": sc.governance, "revocation": sc.revocation,
             "equilibrium": _equilibrium(sc), "assurance": _assurance(sc)}
        if name in ("innovation_sovereignty", "managed_interdependence"):
            other = "bilateral" if sc.governance == "collective" else "collective"
            a["other_governance"] = other
            a["other"] = _assurance(sc.replace(governance=other))
        if name == "revocation_order":
            tgt = sc.replace(revocation="targeted", screening=1.0)
            a["targeted"] = {"equilibrium": _equilibrium(tgt), "assurance": _assurance(tgt)}
        if name == "plural_dependencies":
            hedges = []
            for lam in (0.0, 0.5, 2.0):
                h = pg.hedge(sc, 0, risk_aversion=lam, alpha=0.9)
                if not h.verify():
                    raise RuntimeError(f"hedge failed its check: {h.verify()}")
                hedges.append({"risk_aversion": lam, "shares": _list(h.shares),
                               "expected_value": _f(h.expected_value), "cvar": _f(h.cvar),
                               "sources": list(h.sources),
                               "revocation_probability": _list(h.revocation_probability)})
            a["hedges"] = hedges
            lift = pg.assurance_for_share(sc, 0, share=0.6, risk_aversion=0.5, alpha=0.9)
            if not lift.verify():
                raise RuntimeError(f"assurance_for_share failed its check: {lift.verify()}")
            a["lift"] = {"target_share": 0.6, "risk_aversion": 0.5, "level": _f(lift.level),
                         "share": _f(lift.share), "constructible": bool(lift.constructible),
                         "instrument": lift.instrument}
        out[name] = a
    return out


# ---------------------------------------------------------------------------- rendering

def _n(x, digits=4):
    if x is None:
        return "--"
    if abs(x) < 0.5 * 10 ** -9:
        x = 0.0
    return f"{x:.{digits}g}"


def _table(caption, header, rows):
    lines = [f".. list-table:: {caption}", "   :header-rows: 1", ""]
    for row in [header, *rows]:
        lines.append(f"   * - {row[0]}")
        lines.extend(f"     - {c}" for c in row[1:])
    return lines + [""]


def _eq_table(a, eq, caption):
    rows = []
    for i, p in enumerate(a["partners"]):
        for s, r in enumerate(a["regimes"]):
            rows.append([p if s == 0 else "", r, "maintain" if eq["maintain"][i][s] else "REVOKE",
                         "stay" if eq["stay"][i][s] else "EXIT",
                         _n(eq["provider_value"][i][s]), _n(eq["partner_value"][i][s]),
                         _n(eq["revocation_probability"][i]) if s == 0 else ""])
    return _table(caption, ["partner", "regime", "provider", "partner (after regime)",
                            "provider value U", "partner value V", "P(revoked, horizon)"], rows)


def _as_table(a, asr, caption):
    rows = []
    for t in ("participation", "continuity"):
        r = asr[t]
        for i, p in enumerate(a["partners"]):
            lv = ", ".join(f"{ins} {_n(r['levels'][i][j])}" for j, ins in
                           enumerate(a["instruments"])) if r["partner_constructible"][i] \
                else "none works"
            rows.append([t if i == 0 else "", p, lv, _n(r["partner_cost"][i]),
                         "yes" if r["partner_constructible"][i] else "**no**"])
    lines = _table(caption, ["target", "partner", "instrument levels", "provider's cost",
                             "constructible"], rows)
    for t in ("participation", "continuity"):
        r = asr[t]
        if not r["constructible"]:
            lines += [f"*{t}:* no credible assurance: {r['reason']}.", ""]
        if r["binding"]:
            lines += [f"*{t}, binding constraints:* " + "; ".join(r["binding"]) + ".", ""]
    return lines


def render(name: str, a: dict) -> str:
    title = SCENARIOS[name]
    lines = [f".. This page is generated by scripts/scenario_answers.py from the solvers;",
             "   do not edit it by hand.", "", title, "=" * len(title), "",
             f"**File.** ``games/scenarios/{name}.toml`` ({a['governance']} governance, "
             f"{a['revocation']} revocation; regimes: {', '.join(a['regimes'])}).", "",
             f"**Setting and question.** {a['description']}", "",
             "Reproduce with ``paxgame solve games/scenarios/" + name + ".toml``.", ""]
    lines += _eq_table(a, a["equilibrium"], "Partner-best equilibrium without assurance "
                                            "(the greatest of possibly several)")
    lines += _as_table(a, a["assurance"], "Minimum credible assurance")
    ans = a["assurance"]
    if name == "adoption":
        p, c = ans["participation"], ans["continuity"]
        eq = a["equilibrium"]
        revoked = [r for s, r in enumerate(a["regimes"]) if not eq["maintain"][0][s]]
        stays = [r for s, r in enumerate(a["regimes"]) if eq["stay"][0][s]]
        lines += ["**Answer.** Without assurance the provider revokes the adopting partner in: "
                  + (", ".join(revoked) or "no regime") + "; the partner stays after: "
                  + (", ".join(stays) or "no regime") + ". The cheapest credible "
                  "package that keeps it in (participation) is "
                  + ", ".join(f"{ins} at {_n(p['levels'][0][j])}" for j, ins in
                              enumerate(a["instruments"]))
                  + f" (provider's cost {_n(p['total_cost'])}). Continuity (no revocation in "
                  "any regime) is " + ("constructible." if c["constructible"] else
                                       f"not constructible: {c['reason']}."), ""]
    if name in ("innovation_sovereignty", "managed_interdependence"):
        other = a["other"]
        lines += _as_table(a, other, f"The same scenario under {a['other_governance']} "
                                     f"governance")
        rows = []
        gov = {a["governance"]: ans, a["other_governance"]: other}
        for t in ("participation", "continuity"):
            for g in ("collective", "bilateral"):
                lv = np.array(gov[g][t]["levels"], dtype=float)
                rows.append([t, g, *(_n(x) for x in np.nansum(lv, axis=0)),
                             _n(gov[g][t]["total_cost"])])
        lines += _table("Coalition totals per instrument (sum over partners)",
                        ["target", "governance", *a["instruments"], "provider's cost"], rows)
        col, bil = gov["collective"], gov["bilateral"]
        tot = lambda r: ", ".join(f"{ins} {_n(x)}" for ins, x in zip(  # noqa: E731
            a["instruments"], np.nansum(np.array(r["levels"], dtype=float), axis=0)))
        lines += [f"**Answer.** Continuity needs {tot(col['continuity'])} in total under "
                  f"collective governance against {tot(bil['continuity'])} bilaterally "
                  f"(provider's cost {_n(col['continuity']['total_cost'])} against "
                  f"{_n(bil['continuity']['total_cost'])}); for participation "
                  f"{tot(col['participation'])} against {tot(bil['participation'])}. When a "
                  "wrongful revocation of one ally makes every ally leave, the value of the "
                  "other relationships backs each promise"
                  + (" (continuity is cheaper collectively)"
                     if col["continuity"]["total_cost"] < bil["continuity"]["total_cost"] - 1e-9
                     else "") + "."
                  + (" Participation costs more collectively here: where some revocation "
                     "stays in equilibrium, the other allies leave with the victim, so the "
                     "provider revokes them too unless their own assurance makes sparing "
                     "them worthwhile (see the theory page)."
                     if col["participation"]["total_cost"] > bil["participation"]["total_cost"]
                     + 1e-9 else ""), ""]
    if name == "revocation_order":
        eq = a["equilibrium"]
        exits = [p for i, p in enumerate(a["partners"]) if not all(eq["stay"][i])]
        lines += ["**Answer.** Under blanket revocation, the partners that exit after some "
                  "regime: " + (", ".join(exits) if exits else "none") + ". The enforced bonds "
                  "in the table above would have kept them in (participation) or kept access "
                  "continuous (continuity); participation totals "
                  f"{_n(ans['participation']['coalition_amount'])}, continuity "
                  f"{_n(ans['continuity']['coalition_amount'])}.", ""]
        tg = a["targeted"]
        lines += _eq_table(a, tg["equilibrium"], "For comparison: targeted revocation with "
                                                  "perfect screening")
        lines += _as_table(a, tg["assurance"], "Minimum assurance with targeted revocation")
        lines += ["With perfect screening the totals are "
                  f"{_n(tg['assurance']['participation']['coalition_amount'])} "
                  f"(participation) and {_n(tg['assurance']['continuity']['coalition_amount'])}"
                  " (continuity).", ""]
    if name == "managed_interdependence":
        eq = a["equilibrium"]
        lines += ["The adversary carve-out: the uncertain partner's revocation probability "
                  "over the horizon is "
                  f"{_n(eq['revocation_probability'][a['partners'].index('uncertain partner')])}"
                  " even when assurance keeps it in; revoking a partner that turned adversarial "
                  "pays no forfeit and triggers no exit.", ""]
    if name == "plural_dependencies":
        rows = []
        for h in a["hedges"]:
            rows.append([_n(h["risk_aversion"]), *(_n(x) for x in h["shares"]),
                         _n(h["expected_value"]), _n(h["cvar"])])
        src = a["hedges"][0]["sources"]
        lines += _table("The partner's split of dependence (CVaR level 0.9)",
                        ["risk aversion", *src, "expected value", "CVaR"], rows)
        lines += [f"Revocation probabilities over the horizon: "
                  + ", ".join(f"{s} {_n(p)}" for s, p in
                              zip(src, a["hedges"][0]["revocation_probability"]))
                  + " (the provider's from the scenario's equilibrium).", ""]
        lift = a["lift"]
        lines += [f"**Answer.** A risk-neutral partner depends on the provider for "
                  f"{_n(a['hedges'][0]['shares'][0])} of its needs; weighing the tail "
                  f"(risk aversion {_n(a['hedges'][1]['risk_aversion'])}) it spreads its "
                  f"dependence, giving the provider {_n(a['hedges'][1]['shares'][0])}. "
                  f"An enforced {lift['instrument']} of {_n(lift['level'])} lifts the "
                  f"provider's share to {_n(lift['share'])} (target {_n(lift['target_share'])}, "
                  f"risk aversion {_n(lift['risk_aversion'])}).", ""]
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

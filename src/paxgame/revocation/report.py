"""A readable text report of a scenario: its equilibrium and its minimum credible assurance.

This is what ``paxgame solve games/scenarios/<file>.toml`` prints.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .assurance import AssuranceResult, minimum_assurance
from .equilibrium import ScenarioEquilibrium, solve

__all__ = ["format_report"]


def _num(x, digits=4) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "-"
    x = float(x)
    if abs(x) < 0.5 * 10 ** -digits:
        x = 0.0
    return f"{x:.{digits}g}"


def _table(header, rows) -> list[str]:
    widths = [max(len(str(h)), *(len(str(r[k])) for r in rows)) for k, h in enumerate(header)]
    fmt = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa
    return [fmt(header), fmt(["-" * w for w in widths]), *(fmt(r) for r in rows)]


_TARGETS = ("participation", "continuity")


def _check_given(equilibrium, assurance) -> dict:
    """The given assurance results by target, after checking the optional arguments."""
    if equilibrium is not None and not isinstance(equilibrium, ScenarioEquilibrium):
        raise TypeError(f"format_report: equilibrium must be a ScenarioEquilibrium (from "
                        f"solve), got {type(equilibrium).__name__}")
    if assurance is None:
        return {}
    if not isinstance(assurance, Mapping):
        raise TypeError(f"format_report: assurance must be a mapping from target to "
                        f"AssuranceResult, got {type(assurance).__name__}")
    for t, res in assurance.items():
        if t not in _TARGETS:
            raise ValueError(f"format_report: assurance has an unknown target {t!r}; "
                             f"choose among: {', '.join(_TARGETS)}")
        if not isinstance(res, AssuranceResult):
            raise TypeError(f"format_report: assurance[{t!r}] must be an AssuranceResult "
                            f"(from minimum_assurance), got {type(res).__name__}")
        if res.target != t:
            raise ValueError(f"format_report: assurance[{t!r}] is the result for target "
                             f"{res.target!r}")
    return dict(assurance)


def format_report(sc, *, equilibrium=None, assurance=None) -> str:
    """The equilibrium per partner and regime, and the minimum credible assurance for both
    targets with its constructibility, as plain text.

    Parameters
    ----------
    sc : Scenario
        The revocation scenario.
    equilibrium : ScenarioEquilibrium, optional
        ``solve(sc)`` when the caller has it already; computed otherwise.
    assurance : mapping of str to AssuranceResult, optional
        ``{target: minimum_assurance(sc, target)}`` for the targets the caller has already
        solved ("participation", "continuity"); a target left out is computed here.

    Returns
    -------
    str
        The report, ending in a newline. Passing the results changes no text, only saves
        their recomputation; they must belong to ``sc`` (only their kind and target are
        checked).

    Raises
    ------
    TypeError
        ``equilibrium`` is not a ScenarioEquilibrium, ``assurance`` is not a mapping, or
        one of its values is not an AssuranceResult.
    ValueError
        ``assurance`` names an unknown target, or a result's target differs from its key.

    Examples
    --------
    >>> import paxgame as pg
    >>> sc = pg.load("games/scenarios/managed_interdependence.toml")
    >>> print(pg.revocation.report.format_report(sc))  # doctest: +ELLIPSIS
    Managed interdependence...

    A caller that has solved the scenario passes its results instead of recomputing them:

    >>> eq = pg.solve(sc)
    >>> res = {t: pg.minimum_assurance(sc, t) for t in ("participation", "continuity")}
    >>> format_report(sc, equilibrium=eq, assurance=res) == format_report(sc)
    True
    """
    known = _check_given(equilibrium, assurance)
    eq = solve(sc) if equilibrium is None else equilibrium
    lines = [f"{sc.name or 'Scenario'}",
             f"  discount {sc.discount:g}; {sc.n_regimes} regime(s): "
             f"{', '.join(sc.regime_names)} (start after '{sc.start}'); governance "
             f"{sc.governance}; revocation {sc.revocation}"
             + (f" (screening {sc.screening:g})" if sc.revocation == "targeted" else ""),
             "",
             "Partner-best equilibrium (the greatest of possibly several; no assurance):"]
    rows = []
    for i, name in enumerate(eq.partners):
        for s, reg in enumerate(eq.regimes):
            rows.append([name if s == 0 else "", reg,
                         "maintain" if eq.maintain[i, s] else "REVOKE",
                         "stay" if eq.stay[i, s] else "EXIT",
                         _num(eq.provider_value[i, s]), _num(eq.partner_value[i, s]),
                         _num(eq.revocation_probability[i]) if s == 0 else ""])
    lines += ["  " + x for x in _table(
        ["partner", "regime", "provider", "partner (after)", "provider value U",
         "partner value V", f"P(revoked in {sc.horizon})"], rows)]
    lines += ["", "Minimum credible assurance (instrument levels per partner):"]
    rows = []
    results = {t: known[t] if t in known else minimum_assurance(sc, t) for t in _TARGETS}
    for t, res in results.items():
        for i, name in enumerate(res.partners):
            lv = ", ".join(f"{ins} {_num(res.levels[i, j])}"
                           for j, ins in enumerate(res.instruments))
            rows.append([t if i == 0 else "", name,
                         lv if res.partner_constructible[i] else "none works",
                         _num(res.partner_cost[i]),
                         "yes" if res.partner_constructible[i] else "NO"])
    lines += ["  " + x for x in _table(
        ["target", "partner", "levels", "provider's cost", "constructible"], rows)]
    for t, res in results.items():
        if not res.constructible:
            lines.append(f"  {t}: not constructible: {res.reason}")
        elif not res.exact:
            lines.append(f"  {t}: {res.message}")
        if res.binding:
            lines.append(f"  {t} binding: " + "; ".join(res.binding))
    lines.append("")
    lines.append("All numbers are illustrative (see the scenario's description).")
    return "\n".join(lines) + "\n"

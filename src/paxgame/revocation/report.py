"""What a scenario's question turns on, computed and set side by side.

:func:`compare` solves a scenario and the counterfactuals its question is about: with
several partners, the other governance (collective against bilateral) and the other
revocation mode (targeted against blanket); with an adversary hazard, the same scenario
without it (the carve-out's object). For each variant it gives the equilibrium without
assurance and the minimum assurance for both targets, with the revocation probability
within the horizon in both. :func:`format_report` prints it; ``paxgame solve`` on a scenario
file shows that text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .assurance import ORDINARY_TARGETS, AssuranceResult, TARGETS, minimum_assurance
from .equilibrium import ScenarioEquilibrium, solve
from .hedging import hedge_policies

__all__ = ["format_report", "compare", "Comparison", "Variant"]

_TARGETS = ORDINARY_TARGETS
#: The unique targets, solved for the scenario as given when asked (``unique=True``).
_UNIQUE = ("unique_participation", "unique_continuity")


@dataclass(frozen=True)
class Variant:
    """One scenario of a comparison: its label, the equilibrium without assurance, and the
    minimum assurance for each target (with the equilibrium at those levels)."""

    label: str
    scenario: object = field(repr=False)
    equilibrium: ScenarioEquilibrium = field(repr=False)
    assurance: dict = field(repr=False)


@dataclass(frozen=True)
class Comparison:
    """The scenario as given (``variants[0]``) and its counterfactuals; ``policies`` holds,
    for every partner with other sources, plural dependence against assurance
    (:func:`~paxgame.hedge_policies`)."""

    variants: tuple
    policies: tuple = ()

    @property
    def base(self) -> Variant:
        return self.variants[0]


def _num(x, digits=4) -> str:
    if x is None:
        return "-"
    x = float(x)
    if np.isnan(x):
        return "-"
    if np.isinf(x):
        return "-inf" if x < 0 else "inf"
    if abs(x) < 0.5 * 10 ** -digits:
        x = 0.0
    return f"{x:.{digits}g}"


def _table(header, rows) -> list[str]:
    widths = [max(len(str(h)), *(len(str(r[k])) for r in rows)) for k, h in enumerate(header)]
    fmt = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa
    return [fmt(header), fmt(["-" * w for w in widths]), *(fmt(r) for r in rows)]


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
        if t not in _TARGETS + _UNIQUE:
            raise ValueError(f"format_report: assurance has an unknown target {t!r}; "
                             f"choose among: {', '.join(_TARGETS + _UNIQUE)}")
        if not isinstance(res, AssuranceResult):
            raise TypeError(f"format_report: assurance[{t!r}] must be an AssuranceResult "
                            f"(from minimum_assurance), got {type(res).__name__}")
        if res.target != t:
            raise ValueError(f"format_report: assurance[{t!r}] is the result for target "
                             f"{res.target!r}")
    return dict(assurance)


def _variant(label, sc, eq=None, known=None, unique=False) -> Variant:
    eq = solve(sc) if eq is None else eq
    known = known or {}
    targets = _TARGETS + (_UNIQUE if unique else tuple(t for t in _UNIQUE if t in known))
    res = {t: known[t] if t in known else minimum_assurance(sc, t) for t in targets}
    return Variant(label, sc, eq, res)


def compare(sc, *, equilibrium=None, assurance=None, unique=False) -> Comparison:
    """The scenario and the counterfactuals its question turns on, each solved.

    Parameters
    ----------
    sc : Scenario
    equilibrium : ScenarioEquilibrium, optional
        ``solve(sc)`` when the caller has it already.
    assurance : mapping of target to AssuranceResult, optional
        Results the caller already has for ``sc``.
    unique : bool
        Also solve the unique targets (every equilibrium meets the target) for the scenario
        as given, with several partners (an exact search: slower).

    Returns
    -------
    Comparison
        ``variants[0]`` is the scenario as given; then, with several partners, the other
        governance and the other revocation mode; with an adversary hazard, the scenario
        without it. For partners with other sources, ``policies`` compares plural
        dependence with assurance (four policies).

    Examples
    --------
    >>> import paxgame as pg
    >>> sc = pg.load("games/scenarios/innovation_sovereignty.toml")
    >>> [v.label for v in pg.compare(sc).variants]
    ['as given (collective, targeted)', 'bilateral governance', 'blanket revocation']
    """
    known = _check_given(equilibrium, assurance)
    gov, rev = sc.governance, sc.revocation
    variants = [_variant(f"as given ({gov}, {rev})", sc, equilibrium, known,
                         unique and sc.n_partners > 1)]
    if sc.n_partners > 1:
        other = "bilateral" if gov == "collective" else "collective"
        variants.append(_variant(f"{other} governance", sc.replace(governance=other)))
        mode = "blanket" if rev == "targeted" else "targeted"
        alt = sc.replace(revocation=mode, screening=1.0 if mode == "targeted" else
                         sc.screening)
        variants.append(_variant(f"{mode} revocation" + (" (perfect screening)"
                                                         if mode == "targeted" else ""), alt))
    if any(p.adversary_hazard > 0 for p in sc.partners):
        variants.append(_variant("no adversary hazard",
                                 sc.replace(**{"partners[*].adversary_hazard": 0.0})))
    policies = tuple(hedge_policies(sc, i, assurance=variants[0].assurance["continuity"])
                     for i, p in enumerate(sc.partners) if p.sources)
    return Comparison(tuple(variants), policies)


def _amounts(res: AssuranceResult, instruments) -> str:
    if res.status == "unbounded":
        return "unbounded (" + ", ".join(res.unbounded) + ")"
    if not res.constructible:
        return "not constructible"
    return ", ".join(f"{name} {_num(a, 5)}" for name, a in zip(instruments, res.amount))


def _unique_cell(res) -> str:
    """A unique target's amounts with its price of uniqueness."""
    text = _amounts(res, res.instruments)
    if res.status == "optimal":
        text += (f" (price of uniqueness {_num(res.price_of_uniqueness)}, commitment "
                 f"+{_num(res.extra_commitment)})")
    return text


def format_report(sc, *, equilibrium=None, assurance=None, unique=False) -> str:
    """The scenario's answer as text: equilibrium, minimum assurance and the comparison.

    Parameters
    ----------
    sc : Scenario
    equilibrium : ScenarioEquilibrium, optional
        ``solve(sc)`` when the caller has it already; computed otherwise.
    assurance : mapping, optional
        ``{target: minimum_assurance(sc, target)}`` for targets already solved.
    unique : bool
        With several partners, add the row "every equilibrium" (the unique targets, with
        the price of uniqueness) to the comparison table.

    Returns
    -------
    str

    Examples
    --------
    >>> import paxgame as pg
    >>> sc = pg.load("games/scenarios/plural_dependencies.toml")
    >>> print(pg.format_report(sc).splitlines()[0])
    Plural dependencies: 1 partner(s), 3 regime(s), discount 0.9, bilateral governance, targeted revocation
    """
    cmp = compare(sc, equilibrium=equilibrium, assurance=assurance, unique=unique)
    base = cmp.base
    eq = base.equilibrium
    names = sc.regime_names
    lines = [f"{sc.name or 'Scenario'}: {sc.n_partners} partner(s), {sc.n_regimes} "
             f"regime(s), discount {sc.discount:g}, {sc.governance} governance, "
             f"{sc.revocation} revocation",
             "Illustrative numbers (scenario files are not calibrated).", ""]
    lines.append(f"Equilibrium without assurance ({eq.status}): {eq.message}")
    rows = []
    for i, p in enumerate(eq.partners):
        if eq.status != "optimal":
            rows.append([p, "-", "-", "-", "-", "-"])
            continue
        stays = ", ".join(f"{r}: {'stay' if eq.stay[i, k] else 'EXIT'}"
                          for k, r in enumerate(names))
        kept = ", ".join(f"{r}: {'keep' if eq.maintain[i, k] else 'REVOKE'}"
                         for k, r in enumerate(names))
        rows.append([p, stays, kept, _num(eq.partner_value[i, sc.start_index]),
                     _num(eq.revocation_probability[i]), _num(eq.exit_probability[i])])
    lines += _table(["partner", "after regime", "provider (all present)", "value",
                     f"P(revoked in {eq.horizon})", f"P(exits in {eq.horizon})"], rows)
    lines.append("")
    lines.append("Minimum credible assurance (levels per partner; instruments never added):")
    for t in _TARGETS:
        res = base.assurance[t]
        lines.append(f"  {t}: {res.status}{'' if res.exact else ' (method not exact here)'}"
                     f" - {_amounts(res, sc.instrument_names)}")
        if res.constructible and res.status == "optimal":
            for i, p in enumerate(res.partners):
                lv = ", ".join(
                    f"{sc.instrument_names[j]} {_num(res.levels[i, j], 5)} "
                    f"[{_num(res.level_range[i, j, 0], 5)}, {_num(res.level_range[i, j, 1], 5)}]"
                    for j in range(len(sc.instrument_names)))
                pr = res.equilibrium.revocation_probability[i] if res.equilibrium else np.nan
                lines.append(f"    {p}: {lv}; P(revoked in {sc.horizon}) "
                             f"{_num(eq.revocation_probability[i])} -> {_num(pr)}")
            lines.append(f"    provider's net cost {_num(res.total_cost)}")
        elif res.reason:
            lines.append(f"    why: {res.reason}")
    if len(cmp.variants) > 1:
        lines.append("")
        lines.append("Comparison (each row solved):")
        rows = []
        for v in cmp.variants:
            e = v.equilibrium
            exits = [p for i, p in enumerate(e.partners)
                     if e.status == "optimal" and not e.stay[i].all()]
            rows.append([v.label, ", ".join(exits) or "none",
                         _num(e.any_revocation_probability),
                         _amounts(v.assurance["participation"], sc.instrument_names),
                         _amounts(v.assurance["continuity"], sc.instrument_names)])
        if all(t in base.assurance for t in _UNIQUE):
            rows.append(["as given, every equilibrium (unique)", "-", "-",
                         _unique_cell(base.assurance["unique_participation"]),
                         _unique_cell(base.assurance["unique_continuity"])])
        lines += _table(["variant", "exit without assurance",
                         f"P(an ally revoked in {sc.horizon})", "participation",
                         "continuity"], rows)
    for pc in cmp.policies:
        lines += [""] + policy_lines(pc, sc)
    return "\n".join(lines) + "\n"


def policy_lines(pc, sc) -> list[str]:
    """The four-policy table of :func:`~paxgame.hedge_policies` as text lines."""
    a = pc.assurance
    offer = _amounts(a, sc.instrument_names) if a is not None else "-"
    out = [f"Plural dependence against assurance ({pc.partner}; discounted value over "
           f"{sc.horizon} periods; risk aversion {_num(pc.risk_aversion)}, CVaR level "
           f"{_num(pc.alpha)}; minimum assurance for {pc.target}: {offer}):"]
    rows = []
    for k, label in enumerate(pc.labels):
        rows.append([label, _num(pc.share[k]), _num(pc.partner_value[k]),
                     _num(pc.expected_value[k]), _num(pc.cvar[k]),
                     _num(pc.provider_value[k]), _num(pc.provider_cost[k]),
                     _num(pc.revocation_probability[k])])
    out += _table(["policy", "provider's share", "partner value", "expected value", "CVaR",
                   "provider value", "provider cost", f"P(revoked in {sc.horizon})"], rows)
    out.append(f"Best for the partner: {pc.labels[pc.policies.index(pc.best)]}; hedge only "
               f"minus assurance only: {_num(pc.plural_advantage)} (status {pc.status}).")
    return out

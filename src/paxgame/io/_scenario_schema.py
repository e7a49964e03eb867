"""The revocation scenario file format (``kind = "revocation"``).

Top level: ``kind``, ``name``, ``description`` (optional), ``discount`` (delta in (0, 1)),
``horizon`` (periods for reported probabilities, default 10), ``governance``
(``"bilateral"`` or ``"collective"``), ``revocation`` (``"targeted"`` or ``"blanket"``),
``screening`` (precision in [0, 1], default 1).

``[regimes]`` (optional with one regime): ``names``, ``transition`` (rows sum to 1 within
1e-9), ``start`` (a regime name; default the first), ``absorbing`` (a regime entered from
every other one with per-period probability ``absorbing_hazard`` and never left, e.g. a
rival stack that matures; the other transitions are scaled by ``1 - absorbing_hazard``).

``[[partners]]``: ``name``, ``access_value`` (v), ``outside_option`` (o),
``revocation_loss`` (L >= 0) (each a scalar or one per regime), ``provider_value`` (w >= 0,
one per regime or a scalar), ``revocation_gain`` (G >= 0, idem), ``adversary_hazard`` (in
[0, 1], default 0), ``collateral_loss`` (>= 0, default 0), and optional
``[[partners.sources]]`` with ``name``, ``access_value`` (a scalar or one per regime),
``revocation_loss``, ``revocation_probability`` (the chance of a cut within the horizon;
optional when ``[[hedge.events]]`` gives the cuts), ``cap`` (at most 11 sources per partner:
hedging enumerates their joint cut-offs).

``[hedge]`` (optional): ``risk_aversion`` (lambda >= 0, default 0), ``alpha`` (the CVaR level
in [0, 1), default 0.95) and ``[[hedge.events]]``, the joint table of cut events: each with
``probability`` (within the horizon) and ``cuts`` (the names of the sources it cuts
together); rows are disjoint, the rest of the probability is "no cut". Without events every
source is cut independently.

``[[instruments]]`` (optional; default one enforced bond): ``name``, ``preset`` (see
:data:`paxgame.games.scenario.PRESETS`), ``forfeit``, ``compensation``, ``carry``,
``coproduction``, ``partner_flow``, ``cap``, ``enforced``, ``covers_collateral``; explicit
keys override the preset; without ``preset`` every coefficient defaults to 0
(``"custom"``).

Every error names the file, the key and the rule broken; unknown keys get a suggestion.
"""

from __future__ import annotations

import math

from ..games.scenario import (GOVERNANCE, MAX_SOURCES, PRESETS, REVOCATION, HedgeEvent,
                              Instrument, Partner, Scenario, Source, path_name_problem)
from .._validation import did_you_mean
from ..errors import GameFileError
from ._schema import REQUIRED, Table

__all__ = ["parse"]

_TOL = 1e-9


TOP_KEYS = {"kind", "name", "description", "discount", "horizon", "governance", "revocation",
            "screening", "regimes", "partners", "instruments", "hedge"}
REGIME_KEYS = {"names", "transition", "start", "absorbing", "absorbing_hazard"}
HEDGE_KEYS = {"risk_aversion", "alpha", "events"}
EVENT_KEYS = {"probability", "cuts"}
PARTNER_KEYS = {"name", "access_value", "outside_option", "revocation_loss", "provider_value",
                "revocation_gain", "adversary_hazard", "collateral_loss", "sources"}
SOURCE_KEYS = {"name", "access_value", "revocation_loss", "revocation_probability", "cap"}
INSTRUMENT_KEYS = {"name", "preset", "forfeit", "compensation", "carry", "coproduction",
                   "partner_flow", "cap", "enforced", "covers_collateral"}


def _known(t: Table, allowed: set) -> None:
    """Unknown keys first (a misspelt required key is reported as unknown, with a hint)."""
    t.finish(allowed)


def _number(t: Table, key: str, default=None, *, lo=None, hi=None, lo_open=False,
            hi_open=False, rule=None):
    value = t.take(key, float, REQUIRED if default is None else default)
    if not math.isfinite(value) and not (key == "cap" and value == math.inf):
        raise t.error(key, f"must be finite, got {value}")
    bad = (lo is not None and (value < lo or (lo_open and value == lo))) or \
        (hi is not None and (value > hi or (hi_open and value == hi)))
    if bad:
        raise t.error(key, f"{rule}, got {value}")
    return value


def _vector(t: Table, key: str, K: int, *, nonneg=True):
    value = t.take(key, (float, list))
    values = value if isinstance(value, list) else [value]
    out = []
    for i, x in enumerate(values):
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            raise t.error(key, f"entry {i} must be a number, got {type(x).__name__}")
        x = float(x)
        if not math.isfinite(x):
            raise t.error(key, f"entry {i} must be finite, got {x}")
        if nonneg and x < 0:
            raise t.error(key, f"must be non-negative, entry {i} is {x}")
        out.append(x)
    if len(out) not in (1, K) or (K == 1 and len(out) != 1):
        raise t.error(key, f"must have one entry per regime ({K}) or be a single number, "
                           f"got {len(out)} entries")
    return out


def _regimes(root: Table):
    if not root.has("regimes"):
        return ("regime",), [[1.0]], None, None, 0.0
    t = root.table("regimes")
    _known(t, REGIME_KEYS)
    names = t.take("names", list)
    if not names or not all(isinstance(n, str) and n.strip() for n in names):
        raise t.error("names", "must be a non-empty array of non-empty strings")
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise t.error("names", f"duplicated regime name {dup!r}")
    K = len(names)
    if K == 1 and not t.has("transition"):
        P = [[1.0]]
    else:
        P = t.take("transition", list)
        if len(P) != K or not all(isinstance(r, list) and len(r) == K for r in P):
            raise t.error("transition", f"must be a {K}x{K} array (one row per regime)")
        for i, row in enumerate(P):
            for j, x in enumerate(row):
                if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
                    raise t.error("transition", f"entry [{i}, {j}] must be a finite number")
                if not 0.0 <= x <= 1.0:
                    raise t.error("transition", f"entry [{i}, {j}] is {x}: probabilities "
                                                f"must lie in [0, 1]")
            s = math.fsum(row)
            if abs(s - 1.0) > _TOL:
                raise t.error("transition", f"row {i} sums to {s!r}, not 1 (tolerance 1e-9)")
    start = t.take("start", str, names[0])
    if start not in names:
        extra = did_you_mean(start, names)
        raise t.error("start", f"{start!r} is not a regime name{extra}")
    absorbing = t.take("absorbing", str, "") or None
    if absorbing is not None and absorbing not in names:
        extra = did_you_mean(absorbing, names)
        raise t.error("absorbing", f"{absorbing!r} is not a regime name{extra}")
    hazard = _number(t, "absorbing_hazard", 0.0, lo=0, hi=1,
                     rule="must be a probability in [0, 1]")
    t.finish()
    return tuple(names), P, start, absorbing, hazard


def _hedge(root: Table, partners):
    """(risk_aversion, alpha, events) of the optional ``[hedge]`` table."""
    if not root.has("hedge"):
        return 0.0, 0.95, ()
    t = root.table("hedge")
    _known(t, HEDGE_KEYS)
    lam = _number(t, "risk_aversion", 0.0, lo=0, rule="must be non-negative")
    alpha = _number(t, "alpha", 0.95, lo=0, hi=1, hi_open=True, rule="must lie in [0, 1)")
    events = []
    for e in t.tables("events", []):
        _known(e, EVENT_KEYS)
        prob = _number(e, "probability", lo=0, hi=1, rule="must be a probability in [0, 1]")
        cuts = e.take("cuts", list)
        if not all(isinstance(c, str) for c in cuts):
            raise e.error("cuts", "must be an array of source names")
        known = sorted({s.name for p in partners for s in p.sources})
        for c in cuts:
            if c not in known:
                extra = did_you_mean(c, known)
                raise e.error("cuts", f"{c!r} is no partner's source{extra}")
        e.finish()
        events.append(HedgeEvent(probability=prob, cuts=tuple(cuts)))
    t.finish()
    return lam, alpha, tuple(events)


def _maybe_vector(t: Table, key: str, K: int, *, nonneg=False, default=None):
    """A number or one number per regime (a number is kept as a number)."""
    if default is not None and not t.has(key):
        return default
    if t.has(key) and isinstance(t.data[key], list):
        out = _vector(t, key, K, nonneg=nonneg)
        return out[0] if len(out) == 1 else out
    return _number(t, key, lo=0 if nonneg else None, rule="must be non-negative")


def _partner(t: Table, K: int) -> Partner:
    _known(t, PARTNER_KEYS)
    name = t.take("name", str)
    problem = path_name_problem(name)
    if problem:
        raise t.error("name", f"{name!r} {problem}")
    sources = []
    tables = t.tables("sources", [])
    if len(tables) > MAX_SOURCES:
        raise t.error("sources", f"lists {len(tables)} sources; at most {MAX_SOURCES} are "
                                 f"supported (hedging enumerates every joint cut-off of the "
                                 f"sources: 2^(sources + 1) scenarios)")
    for s in tables:
        _known(s, SOURCE_KEYS)
        sources.append(Source(
            name=s.take("name", str),
            access_value=_maybe_vector(s, "access_value", K),
            revocation_loss=_number(s, "revocation_loss", lo=0, rule="must be non-negative"),
            revocation_probability=_number(s, "revocation_probability", lo=0, hi=1,
                                           rule="must be a probability in [0, 1]")
            if s.has("revocation_probability") else None,
            cap=_number(s, "cap", 1.0, lo=0, hi=1, rule="must lie in [0, 1]")))
        s.finish()
    p = Partner(
        name=name,
        access_value=_maybe_vector(t, "access_value", K),
        outside_option=_maybe_vector(t, "outside_option", K),
        revocation_loss=_maybe_vector(t, "revocation_loss", K, nonneg=True),
        provider_value=_vector(t, "provider_value", K),
        revocation_gain=_vector(t, "revocation_gain", K),
        adversary_hazard=_number(t, "adversary_hazard", 0.0, lo=0, hi=1,
                                 rule="must be a probability in [0, 1]"),
        collateral_loss=_number(t, "collateral_loss", 0.0, lo=0, rule="must be non-negative"),
        sources=tuple(sources))
    t.finish()
    return p


def _instrument(t: Table, i: int) -> Instrument:
    _known(t, INSTRUMENT_KEYS)
    preset = t.take("preset", str, "custom")
    if preset not in PRESETS:
        extra = did_you_mean(preset, PRESETS)
        raise t.error("preset", f"unknown preset {preset!r}{extra}; choose one of: "
                                f"{', '.join(PRESETS)}")
    values = dict(PRESETS[preset])
    for key in ("forfeit", "compensation", "carry", "coproduction"):
        values[key] = _number(t, key, values[key], lo=0, rule="must be non-negative")
    values["partner_flow"] = _number(t, "partner_flow", values["partner_flow"])
    values["enforced"] = t.take("enforced", bool, values["enforced"])
    cap = _number(t, "cap", math.inf, lo=0, rule="must be non-negative")
    covers = t.take("covers_collateral", bool, False)
    name = t.take("name", str, preset if i == 0 else f"{preset} {i}")
    t.finish()
    return Instrument(name=name, preset=preset, cap=cap, covers_collateral=covers, **values)


def _guard(t: Table, build):
    """Run a builder; a TypeError/ValueError from the data classes becomes a GameFileError
    naming the table (the schema checks above catch the common cases first)."""
    try:
        return build()
    except GameFileError:
        raise
    except (TypeError, ValueError) as err:
        raise t.error(None, str(err)) from err


def parse(table: Table) -> Scenario:
    """Build a :class:`~paxgame.games.scenario.Scenario` from a ``kind = "revocation"`` table."""
    _known(table, TOP_KEYS)
    name = table.take("name", str, "")
    description = table.take("description", str, "")
    discount = _number(table, "discount", lo=0, hi=1, lo_open=True, hi_open=True,
                       rule="must lie in (0, 1)")
    horizon = table.take("horizon", int, 10)
    if horizon < 1:
        raise table.error("horizon", f"must be a positive integer, got {horizon}")
    governance = table.take("governance", str, "bilateral")
    if governance not in GOVERNANCE:
        raise table.error("governance", f"must be one of {', '.join(GOVERNANCE)}, "
                                        f"got {governance!r}")
    revocation = table.take("revocation", str, "targeted")
    if revocation not in REVOCATION:
        raise table.error("revocation", f"must be one of {', '.join(REVOCATION)}, "
                                        f"got {revocation!r}")
    screening = _number(table, "screening", 1.0, lo=0, hi=1,
                        rule="must be a probability in [0, 1]")
    names, P, start, absorbing, hazard = _regimes(table)
    partner_tables = table.tables("partners")
    if not partner_tables:
        raise table.error("partners", "at least one [[partners]] table is required")
    partners = [_guard(t, lambda t=t: _partner(t, len(names))) for t in partner_tables]
    seen = {}
    for i, p in enumerate(partners):
        if p.name in seen:
            raise table.error(f"partners[{i}].name", f"duplicates partners[{seen[p.name]}] "
                                                      f"({p.name!r})")
        seen[p.name] = i
    lam, alpha, events = _hedge(table, partners)
    instruments = [_guard(t, lambda t=t, i=i: _instrument(t, i))
                   for i, t in enumerate(table.tables("instruments", []))]
    names_i = [x.name for x in instruments]
    for i, n in enumerate(names_i):
        if names_i.index(n) != i:
            raise table.error(f"instruments[{i}].name", f"duplicates instruments"
                                                         f"[{names_i.index(n)}] ({n!r})")
    table.finish({"kind"})
    try:
        return Scenario(partners=tuple(partners), discount=discount, regime_names=names,
                        transition=P, start=start, instruments=tuple(instruments),
                        governance=governance, revocation=revocation, screening=screening,
                        horizon=horizon, name=name, description=description,
                        absorbing_regime=absorbing, absorbing_hazard=hazard,
                        hedge_events=events, risk_aversion=lam, cvar_level=alpha)
    except (TypeError, ValueError) as err:
        raise table.error(None, str(err)) from err

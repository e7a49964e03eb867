"""Invariants of the revocation model's minimum assurance and equilibrium."""

from __future__ import annotations

import numpy as np

import paxgame as pg

__all__ = ["check_assurance_certificate", "check_continuity_at_least_participation",
           "check_zero_when_already_in", "check_assurance_monotone",
           "check_collective_at_most_bilateral", "check_equilibrium"]

_TOL = 1e-7


def _fail(msg):
    raise AssertionError(msg)


def _meets(eq, target: str) -> bool:
    """Whether a solved equilibrium meets a target at the full coalition, from the
    definitions (participation: every partner stays in every regime; continuity: and the
    provider maintains every one), read off the public result independently of the
    solver's own test."""
    if eq.status != "optimal":
        return False
    ok = bool(np.all(eq.stay))
    return ok and bool(np.all(eq.maintain)) if target == "continuity" else ok


def check_equilibrium(sc, tol: float = _TOL):
    """The scenario's equilibrium passes its own certificate (one-shot deviations)."""
    eq = pg.solve(sc)
    cert = eq.verify(tol=tol)
    if not cert.ok:
        _fail(f"equilibrium of {sc!r} fails its certificate: {cert}")
    return eq


def check_assurance_certificate(sc, target: str = "participation", tol: float = _TOL):
    """The minimum assurance meets the target at its levels and is minimal (``verify``)."""
    res = pg.minimum_assurance(sc, target)
    cert = res.verify(tol=tol)
    if not cert.ok:
        _fail(f"{target} assurance of {sc!r} fails its certificate: {cert}")
    return res


def _size(res) -> tuple[float, float]:
    """The lexicographic objective of an answer (net cost, then commitment); +inf when
    not constructible, -inf cost when unbounded."""
    if res.status == "unbounded":
        return (-np.inf, -np.inf)
    if not res.constructible:
        return (np.inf, np.inf)
    return (float(res.total_cost), float(res.commitment))


def _greater(a, b, tol) -> bool:
    """Lexicographic a > b beyond a relative tolerance."""
    def beyond(x, y):
        if np.isinf(x) or np.isinf(y):
            return x > y
        return x > y + tol * (1 + abs(y))

    if beyond(a[0], b[0]):
        return True
    if beyond(b[0], a[0]):
        return False
    return beyond(a[1], b[1])


def check_continuity_at_least_participation(sc, tol: float = _TOL):
    """Continuity needs at least the assurance participation needs (lexicographically in
    net cost, then commitment): every package meeting continuity meets participation."""
    part = pg.minimum_assurance(sc, "participation")
    cont = pg.minimum_assurance(sc, "continuity")
    if part.exact and cont.exact and _greater(_size(part), _size(cont), tol):
        _fail(f"participation {_size(part)!r} needs more than continuity {_size(cont)!r}")


def check_zero_when_already_in(sc, tol: float = _TOL):
    """No assurance when the unassured equilibrium already meets the target (scenarios
    without self-financing instruments)."""
    if any(i.carry < i.coproduction for i in sc.instruments):
        return
    eq = pg.solve(sc)
    for target in ("participation", "continuity"):
        if not _meets(eq, target):
            continue
        res = pg.minimum_assurance(sc, target)
        if not res.constructible or np.abs(res.levels).max(initial=0.0) > tol:
            _fail(f"the unassured game meets {target} but the minimum assurance is "
                  f"{res.levels.tolist()!r}")


def check_assurance_monotone(sc, name: str, values, increasing: bool,
                             target: str = "participation", tol: float = _TOL):
    """Along ``values`` of the dotted parameter ``name`` the minimum assurance is monotone
    (lexicographically in net cost, then commitment; not constructible counts as +inf).

    ``increasing=True``: non-decreasing (G, L); False: non-increasing (delta, w).
    """
    sizes = [_size(pg.minimum_assurance(sc.replace(**{name: v}), target)) for v in values]
    for k in range(1, len(sizes)):
        a, b = sizes[k - 1], sizes[k]
        bad = _greater(a, b, tol) if increasing else _greater(b, a, tol)
        if bad:
            trend = "non-decreasing" if increasing else "non-increasing"
            _fail(f"{target} assurance is not {trend} in {name}: {a!r} at "
                  f"{values[k - 1]!r} then {b!r} at {values[k]!r}")


def check_collective_at_most_bilateral(sc, target: str = "continuity", tol: float = _TOL):
    """The coalition's assurance under collective governance is at most the bilateral one
    (continuity; it fails for participation, where an ally revoked anyway takes the others
    down with it)."""
    col = pg.minimum_assurance(sc.replace(governance="collective"), target)
    bil = pg.minimum_assurance(sc.replace(governance="bilateral"), target)
    if col.exact and bil.exact and _greater(_size(col), _size(bil), tol):
        _fail(f"collective {_size(col)!r} exceeds bilateral {_size(bil)!r}")

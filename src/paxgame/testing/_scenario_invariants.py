"""Invariants of the revocation model (MODEL.md section 6, assurance)."""

from __future__ import annotations

import numpy as np

__all__ = ["check_assurance_certificate", "check_continuity_at_least_participation",
           "check_zero_when_already_in", "check_assurance_monotone",
           "check_collective_at_most_bilateral", "check_equilibrium"]

_TOL = 1e-7


def _fail(msg):
    raise AssertionError(msg)


def check_equilibrium(sc, tol: float = _TOL):
    """The scenario's equilibrium passes its own certificate (one-shot deviations)."""
    from ..revocation import solve

    eq = solve(sc)
    cert = eq.verify(tol=tol)
    if not cert.ok:
        _fail(f"equilibrium of {sc!r} fails its certificate: {cert}")
    return eq


def check_assurance_certificate(sc, target: str = "participation", tol: float = _TOL):
    """The minimum assurance meets the target at its levels and is minimal (``verify``)."""
    from ..revocation import minimum_assurance

    res = minimum_assurance(sc, target)
    cert = res.verify(tol=tol)
    if not cert.ok:
        _fail(f"{target} assurance of {sc!r} fails its certificate: {cert}")
    return res


def check_continuity_at_least_participation(sc, tol: float = _TOL):
    """Continuity needs at least as much assurance as participation, partner by partner."""
    from ..revocation import minimum_assurance

    part = minimum_assurance(sc, "participation")
    cont = minimum_assurance(sc, "continuity")
    for i, name in enumerate(part.partners):
        if cont.partner_constructible[i] and not part.partner_constructible[i]:
            _fail(f"{name}: continuity constructible but participation not")
        if cont.partner_constructible[i] and part.amount[i] > cont.amount[i] + tol * (
                1 + abs(cont.amount[i])):
            _fail(f"{name}: participation {part.amount[i]!r} > continuity {cont.amount[i]!r}")


def check_zero_when_already_in(sc, tol: float = _TOL):
    """Zero assurance when the unassured equilibrium already meets the target."""
    from ..revocation import minimum_assurance, solve

    eq = solve(sc)
    for target in ("participation", "continuity"):
        met = eq.stay.all(axis=1) if target == "participation" else (
            eq.stay.all(axis=1) & eq.maintain.all(axis=1))
        res = minimum_assurance(sc, target)
        for i in np.flatnonzero(met):
            if not res.partner_constructible[i] or abs(res.amount[i]) > tol:
                _fail(f"{res.partners[i]}: the unassured game meets {target} but the minimum "
                      f"assurance is {res.amount[i]!r}")


def check_assurance_monotone(sc, name: str, values, increasing: bool,
                             target: str = "participation", tol: float = _TOL):
    """Along ``values`` of the dotted parameter ``name`` the amount is monotone.

    ``increasing=True``: non-decreasing (G, L); False: non-increasing (delta, w).
    Not-constructible points count as +infinity.
    """
    from ..revocation import minimum_assurance

    amounts = []
    for v in values:
        res = minimum_assurance(sc.replace(**{name: v}), target)
        amounts.append(np.where(res.partner_constructible, res.amount, np.inf))
    for k in range(1, len(amounts)):
        a, b = amounts[k - 1], amounts[k]
        with np.errstate(invalid="ignore"):
            bad = (b < a - tol * (1 + np.abs(a))) if increasing else \
                (b > a + tol * (1 + np.abs(a)))
        bad &= ~(np.isinf(a) & np.isinf(b))
        if bad.any():
            trend = "non-decreasing" if increasing else "non-increasing"
            _fail(f"{target} assurance is not {trend} "
                  f"in {name}: {a.tolist()} at {values[k - 1]!r} then {b.tolist()} at "
                  f"{values[k]!r}")


def check_collective_at_most_bilateral(sc, target: str = "continuity", tol: float = _TOL):
    """The coalition's total assurance under collective governance is at most bilateral."""
    from ..revocation import minimum_assurance

    col = minimum_assurance(sc.replace(governance="collective"), target)
    bil = minimum_assurance(sc.replace(governance="bilateral"), target)
    if bil.constructible and not col.constructible:
        _fail("bilateral assurance is constructible but collective is not")
    if bil.constructible and col.coalition_amount > bil.coalition_amount + tol * (
            1 + abs(bil.coalition_amount)):
        _fail(f"collective total {col.coalition_amount!r} exceeds bilateral total "
              f"{bil.coalition_amount!r}")

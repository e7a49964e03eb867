"""Bisection on a proven bracket: the one home of the threshold searches.

A caller proves the bracket first: a monotone test ``ok`` that fails at ``lo`` and holds at
``hi``. :func:`bisect` halves the bracket, keeping that invariant, until it is narrower than
the tolerance, and returns the final bracket, so that the caller can report both ends (the
last point where ``ok`` failed and the first where it held) as the certificate of its
threshold.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

__all__ = ["Bracket", "bisect"]


class Bracket(NamedTuple):
    """The final bracket: ``ok(lo)`` failed (or ``lo`` is the caller's proven end), ``ok(hi)``
    held, and ``hi - lo`` is within the tolerance (unless ``max_iter`` stopped it)."""

    lo: float
    hi: float
    iterations: int


def bisect(ok: Callable[[float], bool], lo: float, hi: float, *, xtol: float = 0.0,
           rtol: float = 0.0, max_iter: int | None = None) -> Bracket:
    """Shrink ``[lo, hi]``, where ``ok`` fails at ``lo`` and holds at ``hi``, to the switch.

    Stops when ``hi - lo <= xtol + rtol * |hi|`` or after ``max_iter`` halvings.

    Examples
    --------
    >>> b = bisect(lambda x: x * x >= 2.0, 1.0, 2.0, xtol=1e-6)
    >>> round(b.hi, 6), b.hi - b.lo <= 1e-6
    (1.414214, True)
    """
    n = 0
    while hi - lo > xtol + rtol * abs(hi) and (max_iter is None or n < max_iter):
        mid = 0.5 * (lo + hi)
        if ok(mid):
            hi = mid
        else:
            lo = mid
        n += 1
    return Bracket(float(lo), float(hi), n)

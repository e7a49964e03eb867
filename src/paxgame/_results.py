"""Result objects and certificates shared by every solver.

Every solver returns a small frozen dataclass derived from :class:`SolverResult`: the numbers,
a ``status`` (``"optimal"``, ``"infeasible"``, ``"unbounded"``, ``"inaccurate"``,
``"not_converged"``, ``"empty"``, ``"uncertified"``), a ``message`` and a ``verify()`` method
that re-checks the answer independently of the solver and returns a :class:`Certificate`.
Infeasible is a status, never an exception; invalid input raises before any solve.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from collections.abc import Mapping

import numpy as np

__all__ = ["STATUSES", "Certificate", "SolverResult", "to_fraction_array"]

#: The statuses a result may carry, with their meaning.
STATUSES = {
    "optimal": "solved and certified within tolerance",
    "infeasible": "the problem has no feasible point (a valid answer, not an error)",
    "unbounded": "the objective is unbounded",
    "inaccurate": "the solver finished but could not reach the requested accuracy",
    "not_converged": "an iteration cap was reached before convergence",
    "max_iter_reached": "a path-following or enumeration method hit its step cap before its path ended",
    "empty": "the solution set is empty (for example, no pure-strategy SPE)",
    "uncertified": "an answer was computed but its certificate failed",
}


@dataclass(frozen=True)
class Certificate:
    """The outcome of re-verifying a result.

    Attributes
    ----------
    ok : bool
        True when every check holds within ``tol`` (exactly, when ``exact``).
    checks : Mapping[str, float]
        Each check's worst violation: values <= tol pass; larger values and NaN (a check
        that could not be evaluated) fail and are named by :meth:`failures`.
    tol : float
        The tolerance used (0 for exact checks).
    exact : bool
        Whether the checks ran in exact rational arithmetic.
    """

    ok: bool
    checks: Mapping[str, float]
    tol: float
    exact: bool = False

    def __bool__(self) -> bool:
        return bool(self.ok)

    @classmethod
    def from_violations(cls, violations: Mapping[str, float], tol: float,
                        exact: bool = False) -> "Certificate":
        """Build a certificate from named worst violations (<= tol passes; exact: <= 0)."""
        limit = 0 if exact else tol
        checks = {k: (v if isinstance(v, Fraction) else float(v)) for k, v in violations.items()}
        ok = all(v <= limit for v in checks.values())
        return cls(ok=ok, checks=checks, tol=0.0 if exact else float(tol), exact=exact)

    def failures(self) -> dict[str, float]:
        """The checks that failed (a NaN violation fails: ``not v <= limit``)."""
        limit = 0 if self.exact else self.tol
        return {k: v for k, v in self.checks.items() if not v <= limit}

    def __str__(self) -> str:
        values = [float(v) for v in self.checks.values()]
        worst = float("nan") if any(v != v for v in values) else max(values, default=0.0)
        failed = self.failures()
        if not self.ok and not failed:  # a certificate built by hand with ok=False
            failed = {"(ok is False but no check exceeds the tolerance)": 0.0}
        state = "ok" if self.ok else "FAILED: " + ", ".join(failed)
        return f"Certificate({state}; {len(self.checks)} checks, worst violation {float(worst):.3g})"


@dataclass(frozen=True, kw_only=True)
class SolverResult:
    """Base of all result objects: status, message, success and ``verify()``."""

    status: str = "optimal"
    message: str = ""

    @property
    def success(self) -> bool:
        """True when ``status == "optimal"``."""
        return self.status == "optimal"

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-verify the result independently of the solver that produced it."""
        raise NotImplementedError(f"{type(self).__name__}.verify is not implemented")


def to_fraction_array(values, *, binary: bool = False) -> np.ndarray:
    """Convert numbers (floats that are exactly integers or short decimals) to Fractions.

    By default floats are converted by ``Fraction(str(x))`` so that 0.1 becomes 1/10: this
    is the right reading for payoffs typed as decimals in a game file. With ``binary=True``
    a float becomes its exact binary value ``Fraction(x)``: the right reading for a number a
    solver computed (its decimal string is a different, shorter number).
    """
    arr = np.asarray(values, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for idx, x in np.ndenumerate(arr):
        if isinstance(x, Fraction):
            out[idx] = x
        elif isinstance(x, (float, np.floating)):
            out[idx] = Fraction(float(x)) if binary else Fraction(str(float(x)))
        else:
            out[idx] = Fraction(x)
    return out

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
    "max_iter_reached": "a path-following or enumeration method hit its step cap",
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
        Each check's worst violation: positive values violate, values <= tol pass.
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
        """The checks that failed."""
        limit = 0 if self.exact else self.tol
        return {k: v for k, v in self.checks.items() if v > limit}

    def __str__(self) -> str:
        worst = max(self.checks.values(), default=0.0)
        state = "ok" if self.ok else "FAILED: " + ", ".join(self.failures())
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


def to_fraction_array(values) -> np.ndarray:
    """Convert numbers (floats that are exactly integers or short decimals) to Fractions.

    Floats are converted by ``Fraction(str(x))`` so that 0.1 becomes 1/10: this is the right
    reading for payoffs typed as decimals in a game file.
    """
    arr = np.asarray(values, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for idx, x in np.ndenumerate(arr):
        out[idx] = x if isinstance(x, Fraction) else Fraction(str(float(x))) if isinstance(
            x, (float, np.floating)) else Fraction(x)
    return out

"""A thin, status-preserving wrapper over scipy's HiGHS linear programming solver.

Every LP in paxgame that is not written in cvxpy goes through :func:`solve_lp`, so that the
mapping from solver codes to result statuses is made in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

__all__ = ["LPSolution", "solve_lp", "SCIPY_STATUS", "CVXPY_STATUS", "cvxpy_status"]

#: cvxpy problem statuses mapped to paxgame result statuses (an unknown one is "inaccurate").
CVXPY_STATUS = {"optimal": "optimal", "optimal_inaccurate": "inaccurate",
                "infeasible": "infeasible", "infeasible_inaccurate": "infeasible",
                "unbounded": "unbounded", "unbounded_inaccurate": "unbounded"}


def cvxpy_status(status) -> str:
    """The paxgame status of a cvxpy ``problem.status`` (see :data:`CVXPY_STATUS`)."""
    return CVXPY_STATUS.get(status, "inaccurate")


#: scipy.optimize.linprog status codes mapped to paxgame result statuses.
SCIPY_STATUS = {0: "optimal", 1: "not_converged", 2: "infeasible", 3: "unbounded",
                4: "inaccurate"}


@dataclass(frozen=True)
class LPSolution:
    """Solution of ``min c @ x s.t. A_ub x <= b_ub, A_eq x = b_eq, bounds``.

    ``x`` and ``fun`` are None unless ``status == "optimal"``. ``ineq_duals`` and
    ``eq_duals`` are HiGHS marginals (sensitivity of the optimum to each right-hand side).
    """

    x: np.ndarray | None
    fun: float | None
    status: str
    message: str
    ineq_slack: np.ndarray | None = None
    ineq_duals: np.ndarray | None = None
    eq_duals: np.ndarray | None = None

    @property
    def success(self) -> bool:
        return self.status == "optimal"


def solve_lp(c, A_ub=None, b_ub=None, A_eq=None, b_eq=None, bounds=(0, None)) -> LPSolution:
    """Solve a linear program with HiGHS and map its status.

    Parameters
    ----------
    c : array_like, shape (n,)
        Objective coefficients (minimised).
    A_ub, b_ub, A_eq, b_eq : array_like or None
        Inequality (``A_ub @ x <= b_ub``) and equality constraints; dense or scipy.sparse.
    bounds : sequence or tuple
        Variable bounds in scipy's form.

    Returns
    -------
    LPSolution
    """
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds, method="highs")
    status = SCIPY_STATUS.get(int(res.status), "inaccurate")
    if status != "optimal":
        return LPSolution(None, None, status, str(res.message))
    ineq = getattr(res, "ineqlin", None)
    eq = getattr(res, "eqlin", None)
    return LPSolution(
        x=np.asarray(res.x, dtype=float), fun=float(res.fun), status=status,
        message=str(res.message),
        ineq_slack=None if res.slack is None else np.asarray(res.slack),
        ineq_duals=None if ineq is None else np.asarray(ineq.marginals),
        eq_duals=None if eq is None else np.asarray(eq.marginals),
    )

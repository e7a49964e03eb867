"""Coalition linear programs with constraint generation, and the sequential nucleolus LPs.

The LPs of cooperative game theory have one constraint per coalition, 2**n of them.  Here
they are solved by constraint generation: an LP over a small working set of coalitions is
solved, every coalition's excess at its solution is computed at once with
:func:`paxgame.kernels.tu.coalition_sums` (O(2**n)), the most violated coalitions join the
working set, and the LP is solved again until no coalition is violated.  Only the value
vector and a few arrays of length 2**n are ever held in memory, never a 2**n x n matrix.

Plain arrays in and out; the public solvers in :mod:`paxgame.cooperative` validate first.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from scipy.linalg import null_space

from .lp import solve_lp
from .tu import coalition_sums, pow2_scale

__all__ = ["CoalitionLP", "coalition_lp", "NucleolusSolution", "sequential_nucleolus",
           "member_matrix"]


#: The LP's worths are scaled to max abs(v) in [LP_UNITS, 2 LP_UNITS) (see coalition_lp).
LP_UNITS = 1024.0

#: Games with at most this many coalitions start with every row in the LP (one solve beats
#: several constraint-generation rounds there).
FULL_ROWS = 512


def member_matrix(masks, n: int) -> np.ndarray:
    """Rows 1_S (float 0/1) for the given coalition bitmasks, shape (len(masks), n)."""
    masks = np.asarray(masks, dtype=np.int64)
    return ((masks[:, None] >> np.arange(n, dtype=np.int64)) & 1).astype(np.float64)


@dataclass
class CoalitionLP:
    """Solution of one coalition LP (see :func:`coalition_lp`)."""

    status: str
    message: str
    x: np.ndarray | None = None
    eps: float = 0.0
    fun: float | None = None
    working: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    duals: np.ndarray | None = None       # >= 0, one per working coalition
    bound_duals: np.ndarray | None = None  # >= 0, one per player lower bound row
    lp_solves: int = 0
    lp_seconds: float = 0.0
    rounds: int = 0
    max_violation: float = 0.0
    scale: float = 1.0                     # the power of two the worths were divided by
    x_scaled: np.ndarray | None = None     # x / scale (exact), finite even when x is not
    fun_scaled: float | None = None        # fun / scale


def coalition_lp(values, free, *, with_eps: bool, cost=None, eq_rows=None, eq_rhs=None,
                 lower=None, working=None, tol: float = 1e-9, add: int | None = None,
                 max_rounds: int = 1000) -> CoalitionLP:
    """Solve  min cost @ x (+ eps)  s.t.  x(S) + eps >= v(S) for every S with free[S],
    eq_rows @ x = eq_rhs, x >= lower (rows, when given), by constraint generation.

    Parameters
    ----------
    values : ndarray (2**n,)
    free : ndarray of bool (2**n,)
        The coalitions whose constraint is enforced.
    with_eps : bool
        Include the variable eps (minimised, coefficient 1) or fix it at 0.
    cost : ndarray (n,), optional
        Objective on x (default 0).
    eq_rows, eq_rhs : equality constraints on x.
    lower : ndarray (n,), optional
        Lower bounds on x written as constraint rows (so their duals are reported).
    working : ndarray of int, optional
        The initial working set (default: every free coalition when there are at most
        ``FULL_ROWS`` coalitions, else the singletons, their complements and N).
    tol : float
        A coalition is violated when v(S) - x(S) - eps > tol (absolute, in units of v).
    add : int, optional
        The most violated coalitions added per round (default 2 n).
    """
    # the LP is solved on worths divided by a power of two s with max abs(v) / s in
    # [1024, 2048): the division is exact and nothing overflows, and HiGHS's absolute primal
    # feasibility tolerance (1e-7) is then at most 1e-10 of the largest worth, below the
    # callers' default tolerance (1e-9 of it); with max abs(v) / s near 1 HiGHS may return
    # points that violate a working-set coalition by 1e-7 of the largest worth
    scale = float(pow2_scale(values)) / LP_UNITS if values.size else 1.0
    v = values / scale
    tol = tol / scale
    size = v.shape[0]
    n = size.bit_length() - 1
    full = size - 1
    if add is None:
        add = max(8, 2 * n)
    if working is None and size <= FULL_ROWS:
        working = np.flatnonzero(free)
    elif working is None:
        singles = np.array([1 << i for i in range(n)], dtype=np.int64)
        working = np.concatenate([singles, full ^ singles, [full]])
    working = np.unique(np.asarray(working, dtype=np.int64))
    working = working[free[working]]
    c = np.zeros(n + 1)
    if cost is not None:
        c[:n] = cost
    if with_eps:
        c[n] = 1.0
    bounds = [(None, None)] * n + [(None, None) if with_eps else (0.0, 0.0)]
    A_eq = b_eq = None
    if eq_rows is not None and len(eq_rows):
        A_eq = np.hstack([np.asarray(eq_rows, dtype=float), np.zeros((len(eq_rows), 1))])
        b_eq = np.asarray(eq_rhs, dtype=float) / scale
    low_rows = None
    if lower is not None:
        low_rows = np.hstack([-np.eye(n), np.zeros((n, 1))])
        low_rhs = -np.asarray(lower, dtype=float) / scale
    out = CoalitionLP(status="not_converged", message="")
    cand = np.empty(size, dtype=np.float64)
    blocked = ~free
    for rnd in range(1, max_rounds + 1):
        rows = -member_matrix(working, n)
        A_ub = np.hstack([rows, -np.ones((len(working), 1))])
        b_ub = -v[working]
        if low_rows is not None:
            A_ub = np.vstack([A_ub, low_rows])
            b_ub = np.concatenate([b_ub, low_rhs])
        t0 = time.perf_counter()
        sol = solve_lp(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds)
        out.lp_seconds += time.perf_counter() - t0
        out.lp_solves += 1
        out.rounds = rnd
        if not sol.success:
            out.status, out.message = sol.status, sol.message
            return out
        x = sol.x[:n]
        eps = float(sol.x[n])
        # violation of every free coalition at once
        coalition_sums(x, out=cand)
        np.subtract(v, cand, out=cand)
        cand -= eps
        np.copyto(cand, -np.inf, where=blocked)
        worst = float(cand.max())
        if worst <= tol:
            duals = -sol.ineq_duals
            out.status, out.message = "optimal", sol.message
            with np.errstate(over="ignore"):
                out.x, out.eps, out.fun = x * scale, eps * scale, float(sol.fun) * scale
            out.scale, out.x_scaled, out.fun_scaled = scale, x.copy(), float(sol.fun)
            out.working = working
            out.duals = np.maximum(duals[:len(working)], 0.0)
            out.bound_duals = (np.maximum(duals[len(working):], 0.0)
                               if low_rows is not None else None)
            out.max_violation = max(worst, 0.0) * scale
            return out
        cand[working] = -np.inf
        top = np.flatnonzero(cand > tol)
        if top.size > add:
            top = top[np.argpartition(cand[top], top.size - add)[top.size - add:]]
        if top.size == 0:
            out.status = "inaccurate"
            out.message = (f"the LP solution violates working-set coalitions by {worst:.3g} "
                           f"(tolerance {tol:.3g})")
            with np.errstate(over="ignore"):
                out.x, out.eps, out.working = x * scale, eps * scale, working
            out.scale, out.x_scaled, out.fun_scaled = scale, x.copy(), float(sol.fun)
            out.max_violation = worst * scale
            return out
        working = np.concatenate([working, top.astype(np.int64)])
    out.message = f"constraint generation did not converge in {max_rounds} rounds"
    return out


@dataclass
class NucleolusSolution:
    """The sequential LPs' answer: allocation, levels and bookkeeping."""

    status: str
    message: str
    x: np.ndarray | None
    levels: list[float]
    fixed: list[np.ndarray]      # coalitions fixed at each level (bitmasks)
    lp_solves: int
    lp_seconds: float
    stages: int


def _independent(B: np.ndarray, row: np.ndarray, tol: float) -> bool:
    if B.shape[0] == 0:
        return bool(np.linalg.norm(row) > tol)
    coef, *_ = np.linalg.lstsq(B.T, row, rcond=None)
    return bool(np.linalg.norm(B.T @ coef - row) > tol * max(1.0, np.linalg.norm(row)))


def sequential_nucleolus(values, *, imputation: bool = True, tol: float = 1e-9,
                         dual_tol: float = 1e-9, random_state=0,
                         max_rounds: int = 1000) -> NucleolusSolution:
    """The (pre)nucleolus by sequential LPs with constraint generation.

    Stage k minimises the largest excess eps over the free coalitions, with every coalition
    fixed at an earlier stage held at its level (x(S) = v(S) - eps_j).  After a stage, a
    coalition is fixed only when its dual variable is positive: by complementary slackness
    it is then tight in every optimal solution (Maschler, Peleg & Shapley 1979; fixing every
    coalition that happens to be tight at one optimum is the classic error).  Coalitions
    whose indicator lies in the span of the fixed ones have constant excess and leave the
    free set (screened with a random vector of the orthogonal complement, one O(2**n)
    coalition-sum pass, and confirmed with the whole complement when the candidates are
    few, with a second random vector otherwise).  Each stage raises the rank of the fixed set, so there are at
    most n stages; the last LP's allocation is the unique nucleolus.

    With ``imputation=True`` the allocations are imputations (x_i >= v({i})); a lower
    bound with a positive dual fixes x_i = v({i}) the same way.
    """
    v = np.asarray(values, dtype=np.float64)
    size = v.shape[0]
    n = size.bit_length() - 1
    full = size - 1
    rng = np.random.default_rng(random_state)
    free = np.ones(size, dtype=bool)
    free[0] = free[full] = False
    B = np.ones((1, n))
    rhs = [float(v[full])]
    lower = v[[1 << i for i in range(n)]] if imputation else None
    levels: list[float] = []
    fixed: list[np.ndarray] = []
    lp_solves, lp_seconds = 0, 0.0
    working = None
    x = None
    ctol = tol
    zbuf = np.empty(size, dtype=np.float64)
    if n == 1:
        return NucleolusSolution("optimal", "one player", np.array([v[full]]), [], [], 0,
                                 0.0, 0)
    for stage in range(1, n + 2):
        res = coalition_lp(v, free, with_eps=True, eq_rows=B, eq_rhs=rhs, lower=lower,
                           working=working, tol=ctol, max_rounds=max_rounds)
        lp_solves += res.lp_solves
        lp_seconds += res.lp_seconds
        if res.status != "optimal":
            return NucleolusSolution(res.status, f"stage {stage}: {res.message}", res.x,
                                     levels, fixed, lp_solves, lp_seconds, stage)
        x, eps = res.x, res.eps
        duals = res.duals
        positive = res.working[duals > dual_tol]
        if positive.size == 0:
            positive = res.working[[int(np.argmax(duals))]]
        levels.append(eps)
        fixed.append(positive)
        rows = member_matrix(positive, n)
        for S, row in zip(positive, rows):
            free[S] = False
            if _independent(B, row, 1e-9):
                B = np.vstack([B, row])
                rhs.append(float(v[S] - eps))
        if imputation and res.bound_duals is not None:
            for i in np.flatnonzero(res.bound_duals > dual_tol):
                row = np.zeros(n)
                row[i] = 1.0
                if _independent(B, row, 1e-9):
                    B = np.vstack([B, row])
                    rhs.append(float(lower[i]))
        if B.shape[0] >= n:
            return NucleolusSolution("optimal", f"solved in {stage} stage(s)", x, levels,
                                     fixed, lp_solves, lp_seconds, stage)
        # coalitions with constant excess (indicator in the span of B) leave the free set
        Z = null_space(B)
        z = Z @ rng.standard_normal(Z.shape[1])
        z /= np.linalg.norm(z)
        coalition_sums(z, out=zbuf)
        cand = np.flatnonzero((np.abs(zbuf) <= 1e-9 * n) & free)
        if 0 < cand.size <= 4096:
            # confirm with the whole complement: 1_S is in the span iff Z' 1_S = 0
            proj = member_matrix(cand, n) @ Z
            free[cand[np.max(np.abs(proj), axis=1) <= 1e-9 * n]] = False
        elif cand.size:
            # many candidates: a second independent random vector, one more O(2**n) pass
            z = Z @ rng.standard_normal(Z.shape[1])
            z /= np.linalg.norm(z)
            coalition_sums(z, out=zbuf)
            free[cand[np.abs(zbuf[cand]) <= 1e-9 * n]] = False
        working = res.working[free[res.working]]
        if not free.any():
            return NucleolusSolution("optimal", f"solved in {stage} stage(s)", x, levels,
                                     fixed, lp_solves, lp_seconds, stage)
    return NucleolusSolution("not_converged", "more stages than players", x, levels, fixed,
                             lp_solves, lp_seconds, n + 1)

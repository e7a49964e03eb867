"""The core, the least core and the cost of stability, by coalition LPs.

All three are LPs with one constraint per coalition, solved by constraint generation
(:func:`paxgame.kernels.tu_lp.coalition_lp`): memory stays O(2**n), never O(n 2**n).
Each result carries its LP dual (balanced weights on the coalitions of the working set) as
the optimality certificate, and ``verify()`` re-checks primal feasibility over every
coalition and the duality gap, in floats or (``exact=True``) in Fractions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from .._rational import solve_any
from .._results import Certificate, SolverResult
from ..games.tu import TUGame
from ..kernels.payoffs import abs_scale
from ..kernels.tu import pow2_scale
from ..kernels.tu_lp import coalition_lp
from ._common import (check_allocation, check_game, divided, exact_values,
                      excess_scan, field_checks, finite_or_refuse, fractions, game_scale,
                      member_rows, resolve_tol)

_INF = float("inf")
#: Statuses of a coalition LP that produced no answer.
_LP_FAILED = ("infeasible", "unbounded", "inaccurate", "not_converged")


def _gap(a, b) -> float:
    """abs(a - b) for two floats (inf when either is missing or not finite)."""
    if a is None or b is None:
        return _INF
    d = abs(float(a) - float(b))
    return d if np.isfinite(d) else _INF


def _vector(x, n: int):
    """``x`` as a finite float vector of length n, or None."""
    if x is None:
        return None
    arr = np.asarray(x, dtype=np.float64)
    return arr if arr.shape == (n,) and np.all(np.isfinite(arr)) else None


def _weights_ok(weights) -> bool:
    """A dict of coalition bitmask -> finite non-negative weight."""
    return isinstance(weights, dict) and all(
        isinstance(m, (int, np.integer)) and m > 0 and np.isfinite(w) and w >= 0
        for m, w in weights.items())


def _verdicts(checks: dict, tol) -> dict:
    """Float pass/fail checks as exact verdicts (Fraction 0 passes, 1 fails)."""
    return {k: Fraction(0) if c <= tol else Fraction(1) for k, c in checks.items()}

__all__ = ["CoreResult", "LeastCoreResult", "CostOfStabilityResult", "core", "least_core",
           "cost_of_stability"]


def _weights_dict(masks, weights) -> dict[int, float]:
    return {int(m): float(w) for m, w in zip(masks, weights) if w > 0}


def _dual_gap(v: np.ndarray, n: int, weights: dict[int, float], with_eps: bool):
    """Residual and bound of a balanced-weights certificate (the residual is dimensionless;
    callers multiply it by max abs(v) to compare it with a tolerance in units of v).

    The weights lambda_S >= 0 must satisfy sum lambda_S 1_S = t 1_N for one t (the residual
    is the largest deviation) and, for the least core, sum lambda_S = 1.  They certify the
    lower bound sum lambda_S v(S) - t v(N) on eps* (least core) or, with t = 1,
    sum lambda_S v(S) on min x(N) (Bondareva–Shapley LP).
    """
    if not weights:
        return 0.0, -np.inf, 0.0
    masks = np.fromiter(weights, dtype=np.int64)
    lam = np.fromiter(weights.values(), dtype=np.float64)
    cover = lam @ member_rows(masks, n)
    t = float(cover.mean())
    resid = float(np.max(np.abs(cover - t)))
    bound = float(lam @ v[masks])
    if with_eps:
        bound -= t * float(v[-1])
        resid = max(resid, abs(float(lam.sum()) - 1.0))
    return resid, bound, t


def _exact_dual(fv, n, weights: dict[int, float], with_eps: bool):
    """The balanced weights re-solved exactly on their support: (lambda, t) in Fractions or
    None.  Solves sum lambda_S 1_S = t 1_N (and sum lambda_S = 1, or t = 1)."""
    masks = list(weights)
    k = len(masks)
    rows, rhs = [], []
    for i in range(n):
        rows.append([Fraction((m >> i) & 1) for m in masks] + [Fraction(-1)])
        rhs.append(Fraction(0))
    rows.append([Fraction(1)] * k + [Fraction(0)] if with_eps else
                [Fraction(0)] * k + [Fraction(1)])
    rhs.append(Fraction(1))
    sol = solve_any(rows, rhs)
    if sol is None:
        return None
    return dict(zip(masks, sol[:k])), sol[k]


def _exact_point(fv, values, n, x, eps, with_eps: bool, grand_eq: bool):
    """The LP vertex re-solved exactly from its active constraints x(S) (+ eps) = v(S)
    (an independent subset chosen in floats), so that a float answer can be checked
    in exact arithmetic."""
    size = values.shape[0]
    masks = np.arange(1, size, dtype=np.int64)
    if grand_eq:
        masks = masks[masks != size - 1]
    rows_f = member_rows(masks, n)
    s = float(pow2_scale(values))   # exact division: the float slacks cannot overflow
    slack = values[masks] / s - rows_f @ (np.asarray(x) / s) - (eps / s if with_eps else 0.0)
    scale = abs_scale(values / s)
    order = np.argsort(np.abs(slack))
    active = [int(i) for i in order if abs(slack[i]) <= 1e-7 * scale]
    width = n + (1 if with_eps else 0)
    basis_f = []
    chosen = []
    if grand_eq:
        basis_f.append(np.r_[np.ones(n), [0.0] if with_eps else []])
    for i in active:
        cand = np.r_[rows_f[i], [1.0] if with_eps else []]
        trial = np.array(basis_f + [cand])
        if np.linalg.matrix_rank(trial, tol=1e-9) == len(trial):
            basis_f.append(cand)
            chosen.append(int(masks[i]))
        if len(basis_f) == width:
            break
    rows, rhs = [], []
    for m in chosen:
        rows.append([Fraction((m >> i) & 1) for i in range(n)] +
                    ([Fraction(1)] if with_eps else []))
        rhs.append(fv[m])
    if grand_eq:
        rows.append([Fraction(1)] * n + ([Fraction(0)] if with_eps else []))
        rhs.append(fv[-1])
    if len(rows) < width:
        return None, None
    sol = solve_any(rows, rhs)
    if sol is None:
        return None, None
    return sol[:n], (sol[n] if with_eps else None)


def _exact_excess(fv, n, x) -> Fraction:
    """max over S other than empty and N of v(S) - x(S), in Fractions."""
    best = None
    for S in range(1, (1 << n) - 1):
        e = fv[S] - sum(x[i] for i in range(n) if (S >> i) & 1)
        if best is None or e > best:
            best = e
    return best if best is not None else Fraction(0)


@dataclass(frozen=True, kw_only=True)
class CoreResult(SolverResult):
    """Core membership and non-emptiness.

    Attributes
    ----------
    nonempty : bool or None
        Whether the core is non-empty (None if the LP failed).
    point : ndarray (n,) or None
        A core allocation when the core is non-empty.
    min_total : float or None
        The Bondareva–Shapley LP value min x(N) s.t. x(S) >= v(S) for all S: the core is
        non-empty iff it equals v(N).
    balanced_weights : dict[int, float]
        The LP dual: weights lambda_S >= 0 with sum lambda_S 1_S = 1_N and
        sum lambda_S v(S) = min_total; when min_total > v(N) they prove the core empty
        (Bondareva 1963, Shapley 1967).
    allocation : ndarray (n,) or None
        The allocation asked about, if any.
    in_core : bool or None
        Whether ``allocation`` is in the core (efficient and no coalition blocks it).
    most_violated : int or None
        Bitmask of the coalition with the largest excess v(S) - x(S) at ``allocation``.
    violation : float or None
        That excess (<= 0 when no coalition blocks), or the efficiency gap if larger.
    """

    nonempty: bool | None
    point: np.ndarray | None
    min_total: float | None
    balanced_weights: dict
    allocation: np.ndarray | None = None
    in_core: bool | None = None
    most_violated: int | None = None
    violation: float | None = None
    players: tuple[str, ...] = ()
    lp_solves: int = 0
    game: TUGame = field(repr=False)

    @property
    def most_violated_coalition(self) -> tuple[str, ...] | None:
        """Names of the members of the most violated coalition."""
        return None if self.most_violated is None else self.game.members(self.most_violated)

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-check every field over every coalition: the point's feasibility and its total
        ``min_total``, the dual's balance and bound (``emptiness`` needs a bound above
        v(N) + tol, the rule :func:`core` decides by), ``nonempty`` against the point and
        the status, and for an ``allocation`` the membership verdict, the most violated
        coalition and the violation.  Float checks run on worths divided by a power of two
        (exact), so worths near the float64 limit do not overflow; ``exact=True`` (n <= 14)
        re-solves the point and the dual exactly and checks them in Fractions of the
        worths' exact binary values."""
        tu = self.game
        n = tu.num_players
        tol = resolve_tol("CoreResult.verify", tol, tu)
        s = game_scale(tu)
        v = divided(tu.values, s)
        ts = tol / s
        checks = field_checks(self, tu, ("optimal", "empty", "uncertified") + _LP_FAILED,
                              counters=("lp_solves",))
        # nonempty, point, min_total and the status agree with one another
        if self.nonempty is True:
            consistent = self.status == "optimal" and self.point is not None \
                and self.min_total is not None
        elif self.nonempty is False:
            consistent = self.status in ("empty", "uncertified") and self.point is None \
                and self.min_total is not None
        else:
            consistent = self.nonempty is None and self.status in _LP_FAILED \
                and self.point is None and self.min_total is None
        checks["verdict_fields"] = 0.0 if consistent else _INF
        point = _vector(self.point, n)
        if self.point is not None and point is None:
            checks["point_finite"] = _INF
        if point is not None:
            x = point / s
            checks["point_efficiency"] = abs(float(x.sum()) - float(v[-1])) * s
            checks["point_blocked"] = max(0.0, excess_scan(v, x)[0]) * s
            checks["min_total_matches_point"] = _gap(x.sum() * s, self.min_total) \
                if self.min_total is not None else _INF
        if self.min_total is not None:
            if not (_weights_ok(self.balanced_weights) and np.isfinite(self.min_total)):
                checks["dual_weights"] = _INF
            else:
                resid, bound, _ = _dual_gap(v, n, self.balanced_weights, with_eps=False)
                checks["dual_balance"] = resid * float(np.abs(v).max()) * s
                checks["duality_gap"] = abs(bound - self.min_total / s) * s
                if self.nonempty is False:
                    checks["emptiness"] = 0.0 if bound > float(v[-1]) + ts else _INF
        checks.update(self._allocation_checks(v, s, tol))
        if exact:
            return self._verify_exact(tol, _verdicts(checks, tol))
        return Certificate.from_violations(checks, tol)

    def _allocation_checks(self, v, s, tol) -> dict:
        n = self.game.num_players
        if self.allocation is None:
            ok = self.in_core is None and self.most_violated is None and self.violation is None
            return {"allocation_fields": 0.0 if ok else _INF}
        xa = _vector(self.allocation, n)
        if xa is None or self.in_core not in (True, False) or self.violation is None:
            return {"allocation_fields": _INF}
        x = xa / s
        worst, _ = excess_scan(v, x)
        gap = abs(float(x.sum()) - float(v[-1]))
        verdict = max(worst, gap) * s <= tol
        expected = (max(worst, gap) if gap * s > tol else worst) * s
        out = {"membership_verdict": 0.0 if verdict == bool(self.in_core) else _INF,
               "violation": _gap(expected, self.violation)}
        m = self.most_violated
        full = v.shape[0] - 1
        if isinstance(m, (int, np.integer)) and 0 < m < full:
            e = float(v[m]) - float(member_rows([m], n)[0] @ x)
            out["most_violated"] = max(0.0, worst - e) * s
        else:
            out["most_violated"] = 0.0 if (m is None and n == 1) else _INF
        return out

    def _verify_exact(self, tol, verdicts) -> Certificate:
        tu = self.game
        n = tu.num_players
        fv = exact_values(tu, "CoreResult.verify")
        checks: dict[str, Fraction] = dict(verdicts)
        if self.point is not None and _vector(self.point, n) is not None:
            x, _ = _exact_point(fv, tu.values, n, self.point, 0.0, False, True)
            if x is None:
                checks["point_recovered"] = Fraction(1)
            else:
                checks["point_efficiency"] = abs(sum(x) - fv[-1])
                checks["point_blocked"] = max(Fraction(0), _exact_excess(fv, n, x))
        if self.min_total is not None and self.balanced_weights and \
                _weights_ok(self.balanced_weights):
            dual = _exact_dual(fv, n, self.balanced_weights, with_eps=False)
            if dual is None:
                checks["dual_recovered"] = Fraction(1)
            else:
                lam, _ = dual
                checks["dual_nonnegative"] = max([Fraction(0)] + [-w for w in lam.values()])
                bound = sum(w * fv[m] for m, w in lam.items())
                if not self.nonempty:
                    checks["emptiness"] = Fraction(0) if bound > fv[-1] else Fraction(1)
                else:
                    checks["duality_gap"] = abs(bound - fv[-1])
        if self.allocation is not None and _vector(self.allocation, n) is not None:
            xa = fractions(self.allocation)
            worst = max(_exact_excess(fv, n, xa), abs(sum(xa) - fv[-1]))
            # the verdict is "no excess above tol"; within a millionth of tol of the
            # threshold the float rule may fall either way
            limit = Fraction(tol)
            checks["membership_verdict"] = Fraction(0) if (worst <= limit) == bool(
                self.in_core) or abs(worst - limit) <= limit / 10 ** 6 else Fraction(1)
        return Certificate.from_violations(checks, tol, exact=True)


def _bs_lp(tu: TUGame, tol: float):
    """Bondareva–Shapley LP: min x(N) s.t. x(S) >= v(S) for every non-empty S."""
    v = tu.values
    free = np.ones(v.shape[0], dtype=bool)
    free[0] = False
    return coalition_lp(v, free, with_eps=False, cost=np.ones(tu.num_players), tol=tol)


def core(tu, allocation=None, *, tol: float | None = None) -> CoreResult:
    """Core membership and non-emptiness of a TU game (Gillies 1959).

    The core is {x : x(N) = v(N), x(S) >= v(S) for every coalition S}.  Non-emptiness is
    decided by the Bondareva–Shapley LP min x(N) s.t. x(S) >= v(S) for all S (Bondareva 1963,
    Shapley 1967): the core is non-empty iff its value equals v(N), and its optimal x is then
    a core point; otherwise its dual (balanced weights with sum lambda_S v(S) > v(N)) proves
    the core empty.

    Parameters
    ----------
    tu : TUGame
    allocation : array_like (n,), optional
        An allocation to test for membership; the result reports the most violated coalition.
    tol : float, optional
        Feasibility tolerance (default 1e-9 scaled by max abs(v)).

    Returns
    -------
    CoreResult
        ``status`` is ``"optimal"`` when the core is non-empty (min x(N) <= v(N) + tol),
        ``"empty"`` when it is empty and the LP dual proves it (a bound above v(N) + tol),
        ``"uncertified"`` when min x(N) exceeds v(N) + tol but the dual bound does not
        (a game within float rounding of the boundary).
        Fields: ``nonempty``, ``point``, ``min_total``, ``balanced_weights``,
        ``allocation``, ``in_core``, ``most_violated``, ``violation``, ``players``,
        ``lp_solves``, ``status``, ``message`` (see :class:`~paxgame.CoreResult`;
        ``to_dict()`` gives them as JSON data).

    Raises
    ------
    ValueError
        Besides invalid input: min x(N) or the core point outside the float64 range
        (worths near 1.8e308); the LPs themselves run on worths divided by a power of two.

    Examples
    --------
    >>> import paxgame as pg
    >>> tu = pg.glove_game(1, 2)
    >>> r = pg.core(tu, allocation=[0.5, 0.25, 0.25])
    >>> r.nonempty, (r.point.round(6) + 0.0).tolist(), r.in_core, r.most_violated_coalition
    (True, [1.0, 0.0, 0.0], False, ('L1', 'R1'))
    """
    func = "core"
    tu = check_game(func, tu)
    tol = resolve_tol(func, tol, tu)
    v = tu.values
    x_given = None if allocation is None else check_allocation(func, tu, allocation)
    s = game_scale(tu)
    extra: dict = {}
    if x_given is not None:
        worst, arg = excess_scan(divided(v, s), x_given / s)
        gap = abs(float((x_given / s).sum()) - float(v[-1] / s))
        worst, gap = worst * s, gap * s
        finite_or_refuse(func, "violation of the allocation", max(worst, gap))
        extra = dict(allocation=x_given, in_core=bool(max(worst, gap) <= tol),
                     most_violated=arg if arg >= 0 else None, violation=max(worst, gap)
                     if gap > tol else worst)
    lp = _bs_lp(tu, tol)
    if lp.status != "optimal":
        return CoreResult(status=lp.status, message=lp.message, nonempty=None, point=None,
                          min_total=None, balanced_weights={}, players=tu.players,
                          lp_solves=lp.lp_solves, game=tu, **extra)
    weights = _weights_dict(lp.working, lp.duals)
    min_total = finite_or_refuse(func, "LP value min x(N)", lp.fun)
    nonempty = lp.fun_scaled <= float(v[-1] / lp.scale) + tol / lp.scale
    point = None
    if nonempty:
        point = finite_or_refuse(func, "core point", lp.x.copy())
        status, msg = "optimal", "the core is non-empty"
    else:
        # the claim "empty" rests on the dual: its bound must exceed v(N) + tol
        _, bound, _ = _dual_gap(divided(v, s), tu.num_players, weights, with_eps=False)
        if bound > float(v[-1] / s) + tol / s:
            status = "empty"
            msg = f"the core is empty: min x(N) = {lp.fun:.6g} exceeds v(N) = {v[-1]:.6g}"
        else:
            status = "uncertified"
            msg = (f"min x(N) = {lp.fun:.6g} exceeds v(N) = {v[-1]:.6g} by more than tol, "
                   f"but the dual bound does not certify the core empty")
    return CoreResult(status=status, message=msg, nonempty=bool(nonempty), point=point,
                      min_total=float(min_total), balanced_weights=weights,
                      players=tu.players, lp_solves=lp.lp_solves, game=tu, **extra)


@dataclass(frozen=True, kw_only=True)
class LeastCoreResult(SolverResult):
    """The least core: eps* = min eps s.t. x(N) = v(N), x(S) >= v(S) - eps for S != empty, N.

    Attributes
    ----------
    epsilon : float
        eps* (<= 0 iff the core is non-empty).
    point : ndarray (n,)
        An allocation in the least core.
    balanced_weights : dict[int, float]
        The LP dual: lambda_S >= 0 summing to 1 with sum lambda_S 1_S = t 1_N; the bound
        sum lambda_S v(S) - t v(N) equals eps* (optimality certificate).
    """

    epsilon: float | None
    point: np.ndarray | None
    balanced_weights: dict
    players: tuple[str, ...] = ()
    lp_solves: int = 0
    game: TUGame = field(repr=False)

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-check every field: x(N) = v(N), every excess <= eps, the dual's balance and
        its bound equal to eps, the players and the status (``optimal`` with a point, an
        LP status without one).  Float checks run on worths divided by a power of two
        (exact); ``exact=True`` (n <= 14) re-solves the point and the dual exactly and
        checks them in Fractions of the worths' exact binary values."""
        tu = self.game
        n = tu.num_players
        v = tu.values
        tol = resolve_tol("LeastCoreResult.verify", tol, tu)
        checks = field_checks(self, tu, ("optimal",) + _LP_FAILED, counters=("lp_solves",))
        point = _vector(self.point, n)
        if self.point is None:
            ok = self.status in _LP_FAILED and self.epsilon is None
            checks["solved"] = _INF
            checks["verdict_fields"] = 0.0 if ok else _INF
            return Certificate.from_violations(checks, tol, exact=exact)
        eps = self.epsilon
        if point is None or eps is None or not np.isfinite(eps) or self.status != "optimal" \
                or not _weights_ok(self.balanced_weights):
            checks["verdict_fields"] = _INF
            return Certificate.from_violations(checks, tol, exact=exact)
        if exact:
            fv = exact_values(tu, "LeastCoreResult.verify")
            x, eps_x = _exact_point(fv, tu.values, n, self.point, self.epsilon, True, True)
            dual = _exact_dual(fv, n, self.balanced_weights, with_eps=True)
            ex = _verdicts(checks, tol)
            if x is None or dual is None:
                ex["recovered"] = Fraction(1)
                return Certificate.from_violations(ex, tol, exact=True)
            lam, t = dual
            bound = sum(w * fv[m] for m, w in lam.items()) - t * fv[-1]
            ex.update({"efficiency": abs(sum(x) - fv[-1]),
                       "excess_bound": max(Fraction(0), _exact_excess(fv, n, x) - eps_x),
                       "dual_nonnegative": max([Fraction(0)] + [-w for w in lam.values()]),
                       "duality_gap": abs(bound - eps_x),
                       "epsilon_matches": max(Fraction(0), abs(eps_x - Fraction(eps))
                                              - Fraction(tol))})
            return Certificate.from_violations(ex, tol, exact=True)
        s = game_scale(tu)
        vs, x = divided(v, s), point / s
        resid, bound, _ = _dual_gap(vs, n, self.balanced_weights, with_eps=True)
        checks.update({
            "efficiency": abs(float(x.sum()) - float(vs[-1])) * s,
            "excess_bound": max(0.0, excess_scan(vs, x)[0] - eps / s) * s,
            "dual_balance": resid * float(np.abs(vs).max()) * s,
            "duality_gap": abs(bound - eps / s) * s})
        return Certificate.from_violations(checks, tol)


def least_core(tu, *, tol: float | None = None) -> LeastCoreResult:
    """The least core (Maschler, Peleg & Shapley 1979), as defined in the theory page "Cooperative (TU) coalition games".

    eps* = min eps  s.t.  x(N) = v(N),  x(S) >= v(S) - eps  for every S other than the empty
    coalition and N.  Singletons are relaxed like every other coalition: there is no separate
    individual-rationality bound x_i >= v({i}).  (Some libraries add that bound, which can
    give a larger eps*; this is the pre-imputation version, the first LP of the
    prenucleolus.)  The core is non-empty iff eps* <= 0.

    Returns
    -------
    LeastCoreResult
        Fields: ``epsilon``, ``point``, ``balanced_weights``, ``players``, ``lp_solves``,
        ``status``, ``message`` (see :class:`~paxgame.LeastCoreResult`; ``to_dict()`` gives
        them as JSON data).

    Examples
    --------
    The three-player majority game has an empty core; eps* = 1/3 at (1/3, 1/3, 1/3):

    >>> import paxgame as pg
    >>> r = pg.least_core(pg.weighted_voting([1, 1, 1], 2))
    >>> round(r.epsilon, 6), (r.point.round(6) + 0.0).tolist()
    (0.333333, [0.333333, 0.333333, 0.333333])
    """
    func = "least_core"
    tu = check_game(func, tu)
    tol = resolve_tol(func, tol, tu)
    n = tu.num_players
    if n < 2:
        raise ValueError(f"{func}: needs at least 2 players (with one player no coalition "
                         f"other than N constrains eps), got {n}")
    v = tu.values
    free = np.ones(v.shape[0], dtype=bool)
    free[0] = free[-1] = False
    lp = coalition_lp(v, free, with_eps=True, eq_rows=np.ones((1, n)), eq_rhs=[v[-1]],
                      tol=tol)
    if lp.status != "optimal":
        return LeastCoreResult(status=lp.status, message=lp.message, epsilon=None, point=None,
                               balanced_weights={}, players=tu.players, lp_solves=lp.lp_solves,
                               game=tu)
    finite_or_refuse(func, "least-core value eps*", lp.eps)
    return LeastCoreResult(epsilon=float(lp.eps),
                           point=finite_or_refuse(func, "least-core point", lp.x.copy()),
                           balanced_weights=_weights_dict(lp.working, lp.duals),
                           players=tu.players, lp_solves=lp.lp_solves, game=tu,
                           message=f"eps* = {lp.eps:.6g}")


@dataclass(frozen=True, kw_only=True)
class CostOfStabilityResult(SolverResult):
    """The cost of stability and a stabilising allocation.

    Attributes
    ----------
    cost : float
        Delta* = min Delta >= 0 such that some x has x(N) = v(N) + Delta and x(S) >= v(S)
        for every coalition S.
    allocation : ndarray (n,)
        A stabilising allocation: x(N) = v(N) + Delta*, no coalition blocks.
    balanced_weights : dict[int, float]
        The dual: lambda_S >= 0 with sum lambda_S 1_S = 1_N and sum lambda_S v(S) =
        v(N) + Delta* (when Delta* > 0 it proves that no smaller payment stabilises).
    """

    cost: float | None
    allocation: np.ndarray | None
    balanced_weights: dict
    players: tuple[str, ...] = ()
    lp_solves: int = 0
    game: TUGame = field(repr=False)

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-check every field: the allocation pays v(N) + Delta and no coalition blocks
        it, Delta >= 0, the dual's balance and its bound sum lambda_S v(S) = v(N) + Delta,
        the players and the status.  Float checks run on worths divided by a power of two
        (exact); ``exact=True`` (n <= 14) re-solves the allocation and the dual exactly
        and checks them in Fractions of the worths' exact binary values."""
        tu = self.game
        n = tu.num_players
        v = tu.values
        tol = resolve_tol("CostOfStabilityResult.verify", tol, tu)
        checks = field_checks(self, tu, ("optimal",) + _LP_FAILED, counters=("lp_solves",))
        if self.allocation is None:
            ok = self.status in _LP_FAILED and self.cost is None
            checks["solved"] = _INF
            checks["verdict_fields"] = 0.0 if ok else _INF
            return Certificate.from_violations(checks, tol, exact=exact)
        alloc = _vector(self.allocation, n)
        cost = self.cost
        if alloc is None or cost is None or not np.isfinite(cost) or \
                self.status != "optimal" or not _weights_ok(self.balanced_weights):
            checks["verdict_fields"] = _INF
            return Certificate.from_violations(checks, tol, exact=exact)
        if exact:
            fv = exact_values(tu, "CostOfStabilityResult.verify")
            dual = _exact_dual(fv, n, self.balanced_weights, with_eps=False)
            x, _ = _exact_point(fv, tu.values, n, self.allocation, 0.0, False, False)
            ex = _verdicts(checks, tol)
            if dual is None or x is None:
                ex["recovered"] = Fraction(1)
                return Certificate.from_violations(ex, tol, exact=True)
            lam, _ = dual
            total = sum(x)
            exact_cost = max(Fraction(0), total - fv[-1])
            blocked = max(Fraction(0), max(fv[S] - sum(x[i] for i in range(n) if (S >> i) & 1)
                                           for S in range(1, 1 << n)))
            bound = sum(w * fv[m] for m, w in lam.items())
            ex.update({"blocked": blocked,
                       "dual_nonnegative": max([Fraction(0)] + [-w for w in lam.values()]),
                       "duality_gap": abs(bound - total),
                       "cost_matches": max(Fraction(0), abs(exact_cost - Fraction(float(cost)))
                                           - Fraction(tol)),
                       "allocation_matches": max(Fraction(0), max(
                           abs(a - b) for a, b in zip(x, fractions(alloc))) - Fraction(tol))})
            return Certificate.from_violations(ex, tol, exact=True)
        s = game_scale(tu)
        vs, x = divided(v, s), alloc / s
        resid, bound, _ = _dual_gap(vs, n, self.balanced_weights, with_eps=False)
        total = float(x.sum())
        checks.update({
            "payment": abs(total - float(vs[-1]) - cost / s) * s,
            "blocked": max(0.0, excess_scan(vs, x, skip_grand=False)[0]) * s,
            "dual_balance": resid * float(np.abs(vs).max()) * s,
            "duality_gap": abs(bound - total) * s,
            "nonnegative": max(0.0, -cost)})
        return Certificate.from_violations(checks, tol)


def cost_of_stability(tu, *, tol: float | None = None) -> CostOfStabilityResult:
    """The cost of stability (Bachrach, Elkind, Meir, Pasechnik, Zuckerman, Rothe &
    Rosenschein 2009): the smallest external payment that makes the core non-empty.

    Delta* = min Delta >= 0  s.t.  some x has x(N) = v(N) + Delta and x(S) >= v(S) for every
    coalition S.  Written as one LP: minimise x(N) subject to x(S) >= v(S) for every
    non-empty S (N included, so x(N) >= v(N)); then Delta* = x*(N) - v(N).  This is the
    Bondareva–Shapley LP, so Delta* = 0 exactly when the core is non-empty, and the dual
    says which balanced family of coalitions makes the payment necessary: Delta* =
    max over balanced weights of sum lambda_S v(S) - v(N).

    In the coalition of the scenario pages it is "the minimum the anchor must add to keep everyone
    in": a payment from outside the game (a subsidy, an assurance fund) on top of v(N).

    Returns
    -------
    CostOfStabilityResult
        Fields: ``cost``, ``allocation``, ``balanced_weights``, ``players``, ``lp_solves``,
        ``status``, ``message`` (see :class:`~paxgame.CostOfStabilityResult`; ``to_dict()``
        gives them as JSON data).

    Examples
    --------
    The three-player majority game: the pairs need 1 each, so the three of them need 3/2
    in total, 1/2 more than v(N) = 1:

    >>> import paxgame as pg
    >>> r = pg.cost_of_stability(pg.weighted_voting([1, 1, 1], 2))
    >>> round(r.cost, 6), r.allocation.round(6).tolist()
    (0.5, [0.5, 0.5, 0.5])
    """
    func = "cost_of_stability"
    tu = check_game(func, tu)
    tol = resolve_tol(func, tol, tu)
    lp = _bs_lp(tu, tol)
    if lp.status != "optimal":
        return CostOfStabilityResult(status=lp.status, message=lp.message, cost=None,
                                     allocation=None, balanced_weights={}, players=tu.players,
                                     lp_solves=lp.lp_solves, game=tu)
    s = lp.scale    # the LP's answer divided by s is finite even when x*(N) overflows
    cost = finite_or_refuse(func, "cost of stability",
                            max(0.0, lp.fun_scaled - float(tu.values[-1] / s)) * s)
    if cost <= tol:
        cost = 0.0
    return CostOfStabilityResult(cost=cost,
                                 allocation=finite_or_refuse(func, "stabilising allocation",
                                                             lp.x.copy()),
                                 balanced_weights=_weights_dict(lp.working, lp.duals),
                                 players=tu.players, lp_solves=lp.lp_solves, game=tu,
                                 message=f"cost of stability {cost:.6g}")

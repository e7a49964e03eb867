"""The nucleolus by sequential LPs with constraint generation, certified by Kohlberg."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from .._rational import solve_any
from .._results import Certificate, SolverResult
from .._validation import as_float_array, check_method, check_tolerance
from ..games.tu import TUGame
from ..kernels.lp import solve_lp
from ..kernels.payoffs import abs_scale
from ..kernels.tu import coalition_sums
from ..kernels.tu_lp import sequential_nucleolus
from ._common import (array_scale, check_game, check_random_state, divided, exact_values,
                      field_checks, finite_or_refuse, fractions, game_scale, member_rows,
                      resolve_tol)

_INF = float("inf")
_LP_FAILED = ("unbounded", "inaccurate", "not_converged")

__all__ = ["NucleolusResult", "nucleolus", "kohlberg_check"]

_BLOCK = 1 << 15


def _all_excesses(v: np.ndarray, x: np.ndarray) -> np.ndarray:
    """v(S) - x(S) for S = 1 .. 2**n - 2 (empty and N left out)."""
    return (v - coalition_sums(x))[1:-1]


def _side_payment_gain(D: np.ndarray, n: int, lower_zero: np.ndarray) -> float:
    """max sum_{S in D} y(S) s.t. y(S) >= 0 (S in D), y(N) = 0, abs(y_i) <= 1, y_i >= 0 on
    ``lower_zero``.  Zero iff D (with the singletons at their lower bound) is balanced in
    Kohlberg's sense (1971); positive values are the gain of the best improving transfer."""
    rows = member_rows(D, n)
    c = -rows.sum(axis=0)
    bounds = [(0.0, 1.0) if lz else (-1.0, 1.0) for lz in lower_zero]
    sol = solve_lp(c, A_ub=-rows, b_ub=np.zeros(rows.shape[0]), A_eq=np.ones((1, n)),
                   b_eq=[0.0], bounds=bounds)
    if not sol.success:
        return float("inf")
    return max(0.0, -float(sol.fun))


def _balanced_exact(D: list[int], n: int, at_bound: list[int]) -> Fraction:
    """0 when D (with the singletons of ``at_bound`` at weight >= 0) is balanced with
    positive weights on D, proved by exact weights; 1 otherwise.

    A float LP (weights lambda_S >= 1 on D, mu_i >= 0, sum lambda_S 1_S + sum mu_i e_i =
    t 1_N) finds a vertex; the weights at their bound are kept at exactly 1 (or 0), the
    others are re-solved in Fractions, and their signs are checked exactly."""
    rows = member_rows(D, n)
    m, b = len(D), len(at_bound)
    E = np.zeros((n, b))
    for j, i in enumerate(at_bound):
        E[i, j] = 1.0
    A_eq = np.hstack([rows.T, E, -np.ones((n, 1))])
    c = np.zeros(m + b + 1)
    c[-1] = 1.0
    sol = solve_lp(c, A_eq=A_eq, b_eq=np.zeros(n),
                   bounds=[(1.0, None)] * m + [(0.0, None)] * b + [(None, None)])
    if not sol.success:
        return Fraction(1)
    lam, mu = sol.x[:m], sol.x[m:m + b]
    free_lam = np.flatnonzero(lam > 1 + 1e-9)
    free_mu = np.flatnonzero(mu > 1e-9)
    fixed = np.ones(m, dtype=bool)
    fixed[free_lam] = False
    counts = rows[fixed].sum(axis=0).astype(np.int64)   # weight exactly 1 each
    eq_rows, rhs = [], []
    for i in range(n):
        row = [Fraction(int(rows[j, i])) for j in free_lam]
        row += [Fraction(int(at_bound[j] == i)) for j in free_mu]
        row.append(Fraction(-1))
        eq_rows.append(row)
        rhs.append(Fraction(-int(counts[i])))
    exact = solve_any(eq_rows, rhs)
    if exact is None:
        return Fraction(1)
    k1 = len(free_lam)
    ok = all(w >= 1 for w in exact[:k1]) and all(w >= 0 for w in exact[k1:-1]) and exact[-1] > 0
    return Fraction(0) if ok else Fraction(1)


def kohlberg_check(values, x, *, imputation: bool = True, tol: float = 1e-9,
                   group_tol: float | None = None) -> dict:
    """Kohlberg's (1971) criterion for x to be the (pre)nucleolus, checked level by level.

    Sort the excesses e(S) = v(S) - x(S) (S other than the empty set and N) into levels
    (values within ``group_tol`` are one level).  For each k, let D_k be the coalitions at
    the k highest levels and B0 the players with x_i = v({i}) (imputation case only).  x is
    the nucleolus iff, for every k, no transfer y with y(N) = 0 and y_i >= 0 on B0 raises
    some x(S), S in D_k, without lowering another: the LP of
    :func:`_side_payment_gain` has value 0 (Farkas: D_k together with B0 is balanced with
    positive weights on D_k).  Once D_k and N span R^n, every later level passes too, so
    the check stops there.

    Returns a dict with the worst gain (of a transfer with abs(y_i) <= 1, times max abs(v) so that
    it compares with tolerances in units of v), the number of levels checked, and the
    feasibility gaps (efficiency, imputation).
    """
    func = "kohlberg_check"
    v = as_float_array(func, "values", values, ndim=1)
    size = v.shape[0]
    if size < 2 or (1 << (size.bit_length() - 1)) != size:
        raise ValueError(f"{func}: values must have length 2**n for n >= 1 players, got "
                         f"length {size}")
    if v[0] != 0.0:
        raise ValueError(f"{func}: the empty coalition must be worth 0, got {v[0]}")
    x = as_float_array(func, "x", x, shape=(size.bit_length() - 1,))
    if not isinstance(imputation, (bool, np.bool_)):
        raise TypeError(f"{func}: imputation must be True or False, got "
                        f"{type(imputation).__name__}")
    tol = check_tolerance(func, tol)
    if group_tol is not None:
        group_tol = check_tolerance(func, group_tol, "group_tol")
    s = array_scale(v)   # a power of two (1 for ordinary worths): sums cannot overflow
    v = divided(v, s)
    x = np.asarray(x, dtype=np.float64) / s
    size = v.shape[0]
    n = size.bit_length() - 1
    scale = abs_scale(v)
    gtol = 1e-7 * scale if group_tol is None else group_tol / s
    out = {"efficiency": abs(float(x.sum()) - float(v[-1])) * s, "imputation": 0.0,
           "kohlberg": 0.0, "levels_checked": 0}
    singles = v[[1 << i for i in range(n)]]
    if imputation:
        out["imputation"] = max(0.0, float(np.max(singles - x))) * s
        lower_zero = (x - singles) <= gtol
    else:
        lower_zero = np.zeros(n, dtype=bool)
    if n == 1:
        return out
    e = _all_excesses(v, x)
    worst = 0.0
    m = min(e.size, 4 * n + 64)
    checked = 0
    while True:
        # only the coalitions with the m largest excesses are sorted; a level is used only
        # when it ends inside them (or they are all the coalitions)
        top = np.argpartition(-e, m - 1)[:m] if m < e.size else np.arange(e.size)
        order = top[np.argsort(-e[top], kind="stable")]
        es = e[order]
        breaks = np.flatnonzero(np.diff(es) < -gtol) + 1
        ends = np.r_[breaks, es.size] if m == e.size else breaks
        done = False
        for k, end in enumerate(ends, start=1):
            if k <= checked:
                continue
            D = order[:end] + 1
            worst = max(worst, _side_payment_gain(D, n, lower_zero))
            checked = k
            if np.linalg.matrix_rank(np.vstack([np.ones(n), member_rows(D, n)]),
                                     tol=1e-9) >= n:
                done = True
                break
        if done or m == e.size:
            break
        m = min(e.size, 4 * m)
    out["levels_checked"] = checked
    out["kohlberg"] = worst * scale * s
    return out


@dataclass(frozen=True, kw_only=True)
class NucleolusResult(SolverResult):
    """The nucleolus of a TU game and its Kohlberg certificate.

    Attributes
    ----------
    allocation : ndarray (n,) or None
    domain : str
        ``"imputation"`` (the nucleolus) or ``"preimputation"`` (the prenucleolus).
    levels : list of float
        The excess level fixed at each stage of the sequential LPs (non-increasing).
    fixed : list of ndarray
        The coalitions (bitmasks) fixed at each stage.
    kohlberg : dict
        The Kohlberg check run after the solve: worst improving-transfer gain
        (``"kohlberg"``, 0 when certified), efficiency and imputation gaps, levels checked.
    lp_solves, lp_seconds, stages : bookkeeping (LP count, time inside the LP solver).
    """

    allocation: np.ndarray | None
    domain: str
    levels: list
    fixed: list
    kohlberg: dict
    players: tuple[str, ...] = ()
    lp_solves: int = 0
    lp_seconds: float = 0.0
    stages: int = 0
    game: TUGame = field(repr=False)

    def as_dict(self) -> dict[str, float]:
        """Player name -> payoff."""
        return dict(zip(self.players, map(float, self.allocation)))

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-run the Kohlberg check and check every other field against the allocation:
        the stored ``kohlberg`` dict, each stage's ``levels`` (the excess of every coalition
        in ``fixed`` at that stage; non-increasing; the first is the largest excess), the
        stage count, the domain, the players and the status.  With ``exact=True`` (n <= 14)
        the allocation is first
        re-derived exactly from the excess levels (x(N) = v(N), x(S) + e_k = v(S) for the
        coalitions at level k, x_i = v(i) for players at their lower bound), then
        efficiency, individual rationality, the equality of excesses within each level and
        the strict order between levels are checked in Fractions, and each prefix of levels
        is shown balanced by weights re-solved in Fractions (Kohlberg's criterion, exactly).
        An ``"infeasible"`` result (no allocation) is certified by re-checking its claim,
        sum of v(i) > v(N) (``imputation_set_empty``), in floats or Fractions."""
        tu = self.game
        tol = resolve_tol("NucleolusResult.verify", tol, tu)
        checks = field_checks(self, tu, ("optimal", "uncertified", "infeasible") + _LP_FAILED,
                              counters=("lp_solves", "stages"))
        checks["domain"] = 0.0 if self.domain in ("imputation", "preimputation") else _INF
        checks["lp_seconds"] = 0.0 if isinstance(self.lp_seconds, (int, float)) and \
            self.lp_seconds >= 0 else _INF
        n = tu.num_players
        if self.allocation is None:
            if self.status == "infeasible" and self.domain == "imputation":
                # certify the claim that no imputation exists: sum of v(i) > v(N)
                singles = [1 << i for i in range(n)]
                if exact:
                    fv = exact_values(tu, "NucleolusResult.verify")
                    empty = sum(fv[s] for s in singles) > fv[-1]
                else:
                    s = game_scale(tu)
                    empty = float((tu.values[singles] / s).sum()) > float(tu.values[-1] / s)
                checks["imputation_set_empty"] = 0.0 if empty else 1.0
                checks["no_stages"] = 0.0 if not self.levels and not self.fixed else _INF
                if exact:
                    return Certificate.from_violations(
                        {k: Fraction(0) if c <= tol else Fraction(1)
                         for k, c in checks.items()}, tol, exact=True)
                return Certificate.from_violations(checks, tol)
            checks["solved"] = _INF
            return Certificate.from_violations(checks, tol, exact=exact)
        x = np.asarray(self.allocation, dtype=np.float64)
        if x.shape != (n,) or not np.all(np.isfinite(x)) or self.status == "infeasible" \
                or checks["domain"]:
            checks["allocation"] = _INF
            return Certificate.from_violations(checks, tol, exact=exact)
        imput = self.domain == "imputation"
        k = kohlberg_check(tu.values, x, imputation=imput, tol=tol)
        checks.update({"efficiency": k["efficiency"], "imputation": k["imputation"],
                       "kohlberg": k["kohlberg"]})
        stored = self.kohlberg if isinstance(self.kohlberg, dict) else {}
        checks["kohlberg_reported"] = max(
            [abs(float(stored.get(key, _INF)) - k[key]) for key in
             ("efficiency", "imputation", "kohlberg")] +
            [0.0 if stored.get("levels_checked") == k["levels_checked"] else _INF]) \
            if self.status == "optimal" or stored else 0.0
        checks["levels"] = self._level_gap(x)
        if exact:
            ex = {key: Fraction(0) if c <= tol else Fraction(1) for key, c in checks.items()}
            cert = self._verify_exact(tol, imput)
            ex.update(cert.checks)
            return Certificate.from_violations(ex, tol, exact=True)
        return Certificate.from_violations(checks, tol)

    def _level_gap(self, x) -> float:
        """Worst disagreement between ``levels``/``fixed``/``stages`` and the allocation."""
        tu = self.game
        n = tu.num_players
        levels, fixed = self.levels, self.fixed
        if not isinstance(levels, list) or not isinstance(fixed, list) or \
                len(levels) != len(fixed) or len(levels) != self.stages:
            return _INF
        if n == 1:
            return 0.0 if not levels else _INF
        if not levels:
            return _INF
        s = game_scale(tu)
        v, xs = divided(tu.values, s), x / s
        size = v.shape[0]
        e = _all_excesses(v, xs)
        gap = abs(float(e.max()) - float(levels[0]) / s)
        for k, (level, masks) in enumerate(zip(levels, fixed)):
            masks = np.asarray(masks, dtype=np.int64).ravel()
            if not np.isfinite(level) or masks.size == 0 or np.any(masks <= 0) or \
                    np.any(masks >= size - 1):
                return _INF
            gap = max(gap, float(np.max(np.abs(e[masks - 1] - level / s))))
            if k:
                gap = max(gap, (level - levels[k - 1]) / s)
        return gap * s

    def _verify_exact(self, tol, imput) -> Certificate:
        tu = self.game
        n = tu.num_players
        v = tu.values
        fv = exact_values(tu, "NucleolusResult.verify")
        x = self.allocation
        scale = abs_scale(v)
        gtol = 1e-7 * scale
        e = _all_excesses(v, x)
        order = np.argsort(-e, kind="stable")
        es = e[order]
        ends = np.r_[np.flatnonzero(np.diff(es) < -gtol) + 1, es.size]
        singles = v[[1 << i for i in range(n)]]
        B0 = [i for i in range(n) if imput and x[i] - singles[i] <= gtol]
        # levels until D and N span R^n
        groups = []
        start = 0
        for end in ends:
            groups.append(order[start:end] + 1)
            start = end
            D = order[:end] + 1
            if np.linalg.matrix_rank(np.vstack([np.ones(n), member_rows(D, n)]),
                                     tol=1e-9) >= n:
                break
        K = len(groups)
        width = n + K
        rows_f, rows, rhs = [], [], []

        def add(row_f, row, b):
            trial = np.array(rows_f + [row_f])
            if np.linalg.matrix_rank(trial, tol=1e-9) == len(trial):
                rows_f.append(row_f)
                rows.append(row)
                rhs.append(b)

        add(np.r_[np.ones(n), np.zeros(K)], [Fraction(1)] * n + [Fraction(0)] * K, fv[-1])
        for i in B0:
            r = np.zeros(width)
            r[i] = 1
            add(r, [Fraction(int(j == i)) for j in range(width)], fv[1 << i])
        for k, grp in enumerate(groups):
            for S in grp:
                S = int(S)
                r = np.r_[member_rows([S], n)[0], np.eye(K)[k]]
                add(r, [Fraction((S >> i) & 1) for i in range(n)] +
                    [Fraction(int(j == k)) for j in range(K)], fv[S])
                if len(rows) == width:
                    break
        sol = solve_any(rows, rhs) if len(rows) == width else None
        if sol is None:
            return Certificate.from_violations({"recovered": Fraction(1)}, tol, exact=True)
        xe, levels = sol[:n], sol[n:]

        def excess(S):
            return fv[S] - sum(xe[i] for i in range(n) if (S >> i) & 1)

        level_gap = Fraction(0)
        for k, grp in enumerate(groups):
            for S in grp:
                level_gap = max(level_gap, abs(excess(int(S)) - levels[k]))
        inside = {int(S) for grp in groups for S in grp}
        order_gap = Fraction(0)
        for k in range(1, K):
            order_gap = max(order_gap, max(Fraction(0), levels[k] - levels[k - 1]))
        last = levels[-1]
        for S in range(1, (1 << n) - 1):
            if S not in inside:
                order_gap = max(order_gap, max(Fraction(0), excess(S) - last))
        checks = {"efficiency": abs(sum(xe) - fv[-1]),
                  "imputation": max([Fraction(0)] + [fv[1 << i] - xe[i] for i in range(n)])
                  if imput else Fraction(0),
                  "levels_exact": level_gap, "level_order": order_gap,
                  "allocation_matches": max(Fraction(0), max(
                      abs(a - b) for a, b in zip(xe, fractions(x))) - Fraction(tol))}
        # Kohlberg, exactly: each prefix of levels (with the singletons at their bound) is
        # balanced, shown by weights re-solved in Fractions
        at_bound = [i for i in range(n) if imput and xe[i] == fv[1 << i]]
        worst = Fraction(0)
        prefix: list[int] = []
        for grp in groups:
            prefix.extend(int(S) for S in grp)
            worst = max(worst, _balanced_exact(prefix, n, at_bound))
        checks["kohlberg"] = worst
        return Certificate.from_violations(checks, tol, exact=True)


def nucleolus(tu, domain: str = "imputation", *, tol: float | None = None,
              random_state=0) -> NucleolusResult:
    """The nucleolus (Schmeidler 1969): the allocation that lexicographically minimises the
    vector of excesses v(S) - x(S), largest first.

    Parameters
    ----------
    tu : TUGame
    domain : {"imputation", "preimputation"}
        ``"imputation"``: Schmeidler's nucleolus over imputations (x(N) = v(N),
        x_i >= v({i})); ``"preimputation"``: the prenucleolus (x(N) = v(N) only).
    tol : float, optional
        Feasibility tolerance of constraint generation (default 1e-9 scaled by max abs(v)).
    random_state : int or Generator
        Seed of the random span test (it decides which coalitions have constant excess;
        the answer does not depend on it except with probability zero).

    Returns
    -------
    NucleolusResult
        ``status`` is ``"optimal"`` when the Kohlberg check passed, ``"uncertified"`` when
        it did not, ``"infeasible"`` when the imputation set is empty.
        Fields: ``allocation``, ``domain``, ``levels``, ``fixed``, ``kohlberg``,
        ``players``, ``lp_solves``, ``lp_seconds``, ``stages``, ``status``, ``message`` (see
        :class:`~paxgame.NucleolusResult`; ``to_dict()`` gives them as JSON data).

    Notes
    -----
    Sequential LPs (Maschler, Peleg & Shapley 1979): stage k minimises the largest excess
    over the coalitions not yet fixed, holding earlier coalitions at their levels.  Only
    coalitions with a positive dual variable are fixed after a stage (they are tight in
    every optimal solution), coalitions with constant excess are dropped from the free set,
    and each stage's LP is solved by constraint generation over the 2**n coalitions
    (:func:`paxgame.kernels.tu_lp.sequential_nucleolus`), so n = 20 needs a few arrays of
    2**20 floats and LPs with a few hundred rows.  The answer is then checked by Kohlberg's
    (1971) criterion (:func:`kohlberg_check`); the check is stored in ``kohlberg``.

    Examples
    --------
    The Talmud rule: estate 200, claims 100, 200, 300 (Aumann & Maschler 1985):

    >>> import paxgame as pg
    >>> pg.nucleolus(pg.bankruptcy(200, [100, 200, 300])).allocation.round(6).tolist()
    [50.0, 75.0, 75.0]
    """
    func = "nucleolus"
    tu = check_game(func, tu)
    domain = check_method(func, domain, ("imputation", "preimputation"))
    tol = resolve_tol(func, tol, tu)
    random_state = check_random_state(func, random_state)
    v = tu.values
    n = tu.num_players
    imput = domain == "imputation"
    players = tu.players
    if imput:
        s = game_scale(tu)
        singles = v[[1 << i for i in range(n)]]
        if (singles / s).sum() > (v[-1] + tol) / s:
            return NucleolusResult(status="infeasible", allocation=None, domain=domain,
                                   levels=[], fixed=[], kohlberg={}, players=players,
                                   game=tu, message=f"the imputation set is empty: sum of "
                                   f"v(i) = {singles.sum():.6g} > v(N) = {v[-1]:.6g}")
    s = game_scale(tu)    # solved on worths divided by a power of two (exact): no overflow
    sol = sequential_nucleolus(divided(v, s), imputation=imput, tol=tol / s,
                               random_state=random_state)
    with np.errstate(over="ignore"):
        x = None if sol.x is None else sol.x * s
        levels = [float(e) * s for e in sol.levels]
    if sol.status != "optimal":
        return NucleolusResult(status=sol.status, message=sol.message, allocation=x,
                               domain=domain, levels=levels, fixed=sol.fixed, kohlberg={},
                               players=players, lp_solves=sol.lp_solves,
                               lp_seconds=sol.lp_seconds, stages=sol.stages, game=tu)
    finite_or_refuse(func, "nucleolus", x)
    finite_or_refuse(func, "excess levels", np.asarray(levels))
    sol.x, sol.levels = x, levels
    check = kohlberg_check(v, sol.x, imputation=imput, tol=tol)
    ok = max(check["efficiency"], check["imputation"], check["kohlberg"]) <= tol
    return NucleolusResult(
        status="optimal" if ok else "uncertified",
        message=sol.message if ok else f"{sol.message}; Kohlberg check failed: {check}",
        allocation=sol.x, domain=domain, levels=sol.levels, fixed=sol.fixed, kohlberg=check,
        players=players, lp_solves=sol.lp_solves, lp_seconds=sol.lp_seconds,
        stages=sol.stages, game=tu)

"""Verification of the stage-game results: the independent checks behind each ``verify()``.

The result classes of :mod:`paxgame.stage._results` hold the numbers; their ``verify()``
methods delegate here. The checks recompute everything from the game's payoffs (in floats,
or with ``exact=True`` in rational arithmetic) and never call the solver that produced the
answer.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from .._rational import solve_unique
from .._results import Certificate, to_fraction_array
from ..kernels.payoffs import action_values, payoff_scale


CLOSE = 1e-9  # a float strategy and its rational reconstruction differ by round-off only


def exact_action_values(payoff: np.ndarray, strategies, player: int) -> list[Fraction]:
    """Exact payoff of each pure action of ``player`` against the others' (Fraction) mixtures."""
    out = payoff
    for j in range(len(strategies) - 1, -1, -1):
        if j == player:
            continue
        out = np.tensordot(out, np.asarray(strategies[j], dtype=object), axes=([j], [0]))
    return list(np.asarray(out, dtype=object).ravel())


def rational_strategies(payoffs_q: np.ndarray, strategies, tol: float):
    """Reconstruct exact strategies: re-solve each player's indifference system in Fractions.

    For a two-player equilibrium that is a vertex of its best-response polytope the system
    (zero outside the support, equal payoffs to the opponent on its best responses, sum one)
    has a unique rational solution; otherwise the float strategies are converted as they are.
    """
    n = len(strategies)
    exact = []
    for i, s in enumerate(strategies):
        s = np.asarray(s, dtype=float)
        support = np.flatnonzero(s > tol)
        if support.size == 1 and abs(float(s[support[0]]) - 1.0) <= max(tol, CLOSE):
            q = [Fraction(0)] * s.size
            q[int(support[0])] = Fraction(1)
            exact.append(q)
            continue
        solved = None
        if n == 2:
            other = 1 - i
            # values of the opponent's actions (float) to find its best responses
            opp = payoffs_q[other].astype(float)
            vals = (s @ opp) if i == 0 else (opp @ s)
            pscale = float(payoff_scale(opp, 2))
            tight = np.flatnonzero(vals >= vals.max() - max(tol, 1e-9) * pscale)
            rows, rhs = [], []
            for j in tight:
                coef = [payoffs_q[other][a, j] if i == 0 else payoffs_q[other][j, a]
                        for a in support] + [Fraction(-1)]
                rows.append(coef)
                rhs.append(Fraction(0))
            rows.append([Fraction(1)] * support.size + [Fraction(0)])
            rhs.append(Fraction(1))
            sol = solve_unique(rows, rhs)
            if sol is not None and all(v >= 0 for v in sol[:-1]):
                solved = [Fraction(0)] * s.size
                for a, v in zip(support, sol[:-1]):
                    solved[int(a)] = v
                # the rational vertex stands for the float strategy only when it is the
                # same point up to round-off (a tampered strategy is not rebuilt)
                if max(abs(float(v) - float(f)) for v, f in zip(solved, s)) > max(
                        tol, CLOSE):
                    solved = None
        if solved is None:
            solved = list(to_fraction_array(s, binary=True))
        exact.append(solved)
    return exact


def regret_exact_players(payoffs_q: np.ndarray, strategies_q):
    """Exact per-player regrets and expected payoffs (lists of Fractions)."""
    regrets, pay = [], []
    for i in range(len(strategies_q)):
        vals = exact_action_values(payoffs_q[i], strategies_q, i)
        u = sum((v * p for v, p in zip(vals, strategies_q[i])), Fraction(0))
        pay.append(u)
        regrets.append(max(vals) - u)
    return regrets, pay


def regrets_float(payoffs: np.ndarray, strategies) -> tuple[np.ndarray, np.ndarray]:
    """Per-player regret (best-response payoff - expected payoff) and expected payoff in
    floating point, shapes (N,) and (N,)."""
    n = len(strategies)
    regrets = np.empty(n)
    pay = np.empty(n)
    for i in range(n):
        vals = action_values(payoffs, strategies, i)
        pay[i] = vals @ strategies[i]
        regrets[i] = float(vals.max() - pay[i])
    return regrets, pay


def regret_float(payoffs: np.ndarray, strategies) -> tuple[float, np.ndarray]:
    regrets, pay = regrets_float(payoffs, strategies)
    return float(max(regrets.max(), 0.0)), pay


def probability_violation(strategies) -> float:
    worst = 0.0
    for s in strategies:
        s = np.asarray(s, dtype=float)
        worst = max(worst, float(-s.min()), abs(float(s.sum()) - 1.0))
    return worst


def verify_equilibrium(res, *, tol: float | None = None, exact: bool = False) -> Certificate:
    """The checks of :meth:`Equilibrium.verify` (see there)."""
    tol = res.tol if tol is None else float(tol)
    payoffs = np.asarray(res.game.payoffs, dtype=float)
    scales = res.scales
    if exact or tol == 0:
        pq = to_fraction_array(payoffs, binary=True)
        sq = rational_strategies(pq, res.strategies, tol)
        # probabilities: exactly non-negative; the sum may miss 1 by float round-off of
        # the solver's normalisation (8 eps x actions), and is then normalised exactly
        prob = Fraction(0)
        for k, q in enumerate(sq):
            allowance = Fraction(8 * len(q)) * Fraction(np.finfo(float).eps)
            prob = max(prob, -min(q), abs(sum(q) - 1) - allowance)
            total = sum(q)
            if total > 0 and min(q) >= 0:
                sq[k] = [v / total for v in q]
        regrets, pay = regret_exact_players(pq, sq)
        # payoffs and strategies are floats: a regret that rounding them (half an ulp
        # per entry) could create is no violation; anything above it is, in exact
        # arithmetic: 4 x machine epsilon x actions x the player's largest |payoff|
        slack = [Fraction(4 * sum(payoffs.shape[1:])) * Fraction(np.finfo(float).eps)
                 * Fraction(float(np.abs(payoffs[i]).max())) for i in range(len(regrets))]
        regret = max(max((r - b) / Fraction(float(sc)) for r, b, sc in
                         zip(regrets, slack, scales)), Fraction(0))
        pay_err = Fraction(0)
        for i, (p, q) in enumerate(zip(pay, np.asarray(res.payoffs, dtype=float))):
            bound = 64 * np.finfo(float).eps * sum(payoffs.shape[1:]) * float(
                np.abs(payoffs[i]).max())
            err = abs(p - Fraction(float(q)))
            if not np.isfinite(float(q)) or float(err) > bound:
                pay_err = max(pay_err, err / Fraction(float(scales[i])))
        checks = {"regret": regret, "probability": max(prob, Fraction(0)),
                  "payoffs": pay_err}
        return Certificate.from_violations(checks, tol, exact=True)
    strategies = [np.asarray(s, dtype=float) for s in res.strategies]
    regrets, pay = regrets_float(payoffs, strategies)
    checks = {"regret": float(np.max(regrets / scales)),
              "probability": probability_violation(strategies),
              "payoffs": float(np.max(np.abs(pay - np.asarray(res.payoffs)) / scales))}
    return Certificate.from_violations(checks, tol)


def verify_nash_list(res, *, tol: float | None = None, exact: bool = False) -> Certificate:
    """The checks of :meth:`NashResult.verify` (see there)."""
    tol = res.tol if tol is None else float(tol)
    exact = exact or tol == 0
    worst: dict = {}
    for eq in res:
        for name, value in eq.verify(tol=tol, exact=exact).checks.items():
            worst[name] = max(worst.get(name, value), value)
    if not worst:
        worst = {"regret": Fraction(0) if exact else 0.0}
    return Certificate.from_violations(worst, tol, exact=exact)


def obedience_matrix(payoffs: np.ndarray, coarse: bool) -> tuple[np.ndarray, list[tuple]]:
    """Rows g such that a distribution p (flattened, C order) is obedient iff g @ p >= 0.

    Correlated (Aumann 1974): for each player i and ordered pair a_i != a_i' the gain of
    following the recommendation a_i rather than switching to a_i'. Coarse (Hannan; Moulin &
    Vial 1978): for each player i and action a_i', the gain of following over always
    playing a_i'. Returns the matrix and a label per row (player, action, deviation).
    """
    N = payoffs.shape[0]
    shape = payoffs.shape[1:]
    rows, labels = [], []
    for i in range(N):
        u = np.moveaxis(payoffs[i], i, 0)                     # (m_i, rest...)
        m = shape[i]
        for dev in range(m):
            gain = u - u[dev][None]                          # follow - deviate, per profile
            if coarse:
                rows.append(np.moveaxis(gain, 0, i).ravel())
                labels.append((i, None, dev))
                continue
            for rec in range(m):
                if rec == dev:
                    continue
                g = np.zeros_like(u)
                g[rec] = gain[rec]
                rows.append(np.moveaxis(g, 0, i).ravel())
                labels.append((i, rec, dev))
    if not rows:
        return np.zeros((0, int(np.prod(shape)))), labels
    return np.array(rows), labels


def correlated_objective(res, pay):
    """The objective recomputed from expected payoffs (floats or Fractions)."""
    if res.objective == "welfare":
        return sum(pay[1:], pay[0])
    if res.objective == "egalitarian":
        return min(pay)
    name = res.objective.removeprefix("payoff of ")
    return pay[list(res.game.players).index(name)]


def rational_distribution(res, G: np.ndarray, Gq: np.ndarray, tol_abs: float) -> list:
    """A rational distribution read from the float one (see ``verify``)."""
    p = np.asarray(res.distribution, dtype=float).ravel()
    tiny = max(res.tol, 1e-9)
    zero = np.flatnonzero(p <= tiny)
    tight = np.flatnonzero(np.abs(G @ p) <= max(tol_abs, 1e-9 * np.abs(G).max(
        initial=0.0))) if G.size else np.array([], dtype=int)
    rows, rhs = [], []
    for k in zero:
        row = [Fraction(0)] * p.size
        row[int(k)] = Fraction(1)
        rows.append(row)
        rhs.append(Fraction(0))
    for k in tight:
        rows.append(list(Gq[int(k)]))
        rhs.append(Fraction(0))
    rows.append([Fraction(1)] * p.size)
    rhs.append(Fraction(1))
    solved = solve_unique(rows, rhs) if len(rows) >= p.size else None
    if solved is not None and all(v >= 0 for v in solved) and max(
            abs(float(v) - float(f)) for v, f in zip(solved, p)) <= max(res.tol, CLOSE):
        return solved
    pq = [max(v, Fraction(0)) for v in to_fraction_array(p, binary=True)]
    total = sum(pq, Fraction(0))
    return [v / total for v in pq] if total > 0 else pq


def verify_correlated(res, *, tol: float | None = None, exact: bool = False) -> Certificate:
    """The checks of :meth:`CorrelatedResult.verify` (see there)."""
    tol = res.tol if tol is None else float(tol)
    if res.distribution is None:
        return Certificate.from_violations({"solved": 1.0}, tol)
    payoffs = np.asarray(res.game.payoffs, dtype=float)
    N = payoffs.shape[0]
    G, labels = obedience_matrix(payoffs, res.coarse)
    scales = payoff_scale(payoffs, N)
    row_scale = np.array([scales[lab[0]] for lab in labels]) if labels else np.ones(0)
    p = np.asarray(res.distribution, dtype=float).ravel()
    U = payoffs.reshape(N, -1)
    if exact or tol == 0:
        Gq = to_fraction_array(G, binary=True)
        raw = list(to_fraction_array(p, binary=True))
        allowance = Fraction(8 * len(raw)) * Fraction(np.finfo(float).eps)
        prob = max(-min(raw), abs(sum(raw, Fraction(0)) - 1) - allowance, Fraction(0))
        pq = rational_distribution(res, G, Gq, tol * float(scales.max()))
        # a distribution rounded to floats (half an ulp per entry, then normalised) may miss
        # an obedience row by 4 x machine epsilon x entries x the row's largest |coefficient|:
        # no violation; anything beyond it is
        eps4 = Fraction(4 * len(raw)) * Fraction(np.finfo(float).eps)
        slack = min((((sum((a * b for a, b in zip(row, pq)), Fraction(0))
                       + eps4 * max((abs(a) for a in row), default=Fraction(0)))
                      / Fraction(float(sc))) for row, sc in zip(Gq, row_scale)),
                    default=Fraction(0))
        Uq = to_fraction_array(U, binary=True)
        pay = [sum((a * b for a, b in zip(row, pq)), Fraction(0)) for row in Uq]
        bound = 64 * np.finfo(float).eps * len(raw) * float(np.abs(U).max(initial=0))
        stored = np.asarray(res.payoffs, dtype=float)
        pay_err = max((abs(a - Fraction(float(b))) for a, b in zip(pay, stored)),
                      default=Fraction(0)) if np.all(np.isfinite(stored)) else Fraction(1)
        obj = res.objective_value
        obj_err = (abs(correlated_objective(res, pay) - Fraction(float(obj))) if obj is not None
                   and np.isfinite(obj) else Fraction(1))
        top = Fraction(float(scales.max()))
        checks = {"obedience": max(-slack, Fraction(0)), "probability": prob,
                  "payoffs": Fraction(0) if float(pay_err) <= bound else pay_err / top,
                  "objective": Fraction(0) if float(obj_err) <= 2 * bound else
                  obj_err / top}
        return Certificate.from_violations(checks, tol, exact=True)
    slack = float((G @ p / row_scale).min()) if G.size else 0.0
    pay = U @ p
    stored = np.asarray(res.payoffs, dtype=float)
    obj = res.objective_value
    checks = {"obedience": -slack,
              "probability": max(float(-p.min()), abs(float(p.sum()) - 1.0)),
              "payoffs": float(np.max(np.abs(pay - stored) / scales)),
              "objective": (abs(float(correlated_objective(res, list(pay))) - float(obj)) /
                            float(scales.max())) if obj is not None else float("inf")}
    checks = {k: (v if np.isfinite(v) else float("inf")) for k, v in checks.items()}
    return Certificate.from_violations(checks, tol)


def verify_minmax_exact(res, u: np.ndarray, scale: float, tol: float) -> Certificate:
    eps = Fraction(np.finfo(float).eps)
    uq = to_fraction_array(u, binary=True)
    value = Fraction(float(res.value)) if np.isfinite(res.value) else None
    bound = Fraction(64) * eps * sum(u.shape) * Fraction(float(np.abs(u).max()))
    strategies = [list(to_fraction_array(np.asarray(s, dtype=float), binary=True))
                  for s in res.punishment]
    if res.mixed:
        strategies.append(list(to_fraction_array(np.asarray(res.guarantee, dtype=float),
                                                 binary=True)))
    prob = Fraction(0)
    for k, q in enumerate(strategies):
        allowance = Fraction(8 * len(q)) * eps
        prob = max(prob, -min(q), abs(sum(q, Fraction(0)) - 1) - allowance)
        total = sum(q, Fraction(0))
        if total > 0 and min(q) >= 0:
            strategies[k] = [v / total for v in q]
    if value is None:
        return Certificate.from_violations({"value": Fraction(1)}, tol, exact=True)
    if res.mixed:
        M = uq                                                    # (m, n)
        q = zero_sum_vertex(M, strategies[0], res.punishment[0], punisher=True)
        p = zero_sum_vertex(M, strategies[1], res.guarantee, punisher=False)
        replies = [sum((M[a, b] * q[b] for b in range(M.shape[1])), Fraction(0))
                   for a in range(M.shape[0])]
        secured = [sum((p[a] * M[a, b] for a in range(M.shape[0])), Fraction(0))
                   for b in range(M.shape[1])]
        held, guaranteed = max(replies), min(secured)
        # the exact game value lies in [guaranteed, held]; both must match `value`
        # strategies rounded to floats may open a gap of their round-off (within ``bound``)
        # between the punishment's hold and the guarantee
        checks = {"punishment": max(held - guaranteed - bound, Fraction(0)) / Fraction(scale),
                  "value": max(abs(held - value) - bound, Fraction(0)) / Fraction(scale),
                  "probability": max(prob, Fraction(0))}
        return Certificate.from_violations(checks, tol, exact=True)
    vals = uq
    for s in reversed(strategies):
        vals = np.tensordot(vals, np.asarray(s, dtype=object),
                            axes=([vals.ndim - 1], [0]))
    held = max(vals.ravel())
    floor = min(uq.max(axis=0).ravel())
    checks = {"punishment": max(held - value, Fraction(0)) / Fraction(scale),
              "guarantee": max(value - floor, Fraction(0)) / Fraction(scale),
              "probability": max(prob, Fraction(0))}
    return Certificate.from_violations(checks, tol, exact=True)


def verify_minmax(res, *, tol: float | None = None, exact: bool = False) -> Certificate:
    """The checks of :meth:`MinmaxResult.verify` (see there)."""
    tol = res.tol if tol is None else float(tol)
    if res.value is None:
        return Certificate.from_violations({"solved": 1.0}, tol)
    payoffs = np.asarray(res.game.payoffs, dtype=float)
    i = res.player
    u = np.moveaxis(payoffs[i], i, 0)                    # (m_i, others...)
    scale = float(payoff_scale(payoffs[i], payoffs.ndim - 1))
    if exact or tol == 0:
        return verify_minmax_exact(res, u, scale, tol)
    vals = u
    for s in reversed(res.punishment):
        vals = np.tensordot(vals, s, axes=([vals.ndim - 1], [0]))
    checks = {"punishment": float(vals.max() - res.value) / scale,
              "probability": probability_violation(res.punishment)}
    if res.mixed:
        checks["guarantee"] = float(res.value - (res.guarantee @ u.reshape(
            u.shape[0], -1)).min()) / scale
        checks["probability"] = max(checks["probability"],
                                    probability_violation([res.guarantee]))
    else:
        checks["guarantee"] = float(res.value - u.max(axis=0).min()) / scale
    checks = {k: (v if np.isfinite(v) else float("inf")) for k, v in checks.items()}
    return Certificate.from_violations(checks, tol)


def zero_sum_vertex(M, exact_floats, floats, *, punisher: bool):
    """A rational optimal strategy of the zero-sum game M (row player maximises) near the
    float one: the solution of its indifference system on its support against the
    opponent's best replies, when unique, non-negative and within round-off of the floats;
    else the floats' exact values (already normalised)."""
    s = np.asarray(floats, dtype=float)
    support = np.flatnonzero(s > CLOSE)
    Mf = M.astype(float)
    vals = (Mf @ s) if punisher else (s @ Mf)
    width = max(float(np.ptp(Mf)), 1e-300)
    if punisher:
        tight = np.flatnonzero(vals >= vals.max() - 1e-9 * width)
    else:
        tight = np.flatnonzero(vals <= vals.min() + 1e-9 * width)
    rows, rhs = [], []
    for t in tight:
        coef = [M[t, a] if punisher else M[a, t] for a in support] + [Fraction(-1)]
        rows.append(coef)
        rhs.append(Fraction(0))
    rows.append([Fraction(1)] * support.size + [Fraction(0)])
    rhs.append(Fraction(1))
    sol = solve_unique(rows, rhs)
    if sol is None or any(v < 0 for v in sol[:-1]):
        return exact_floats
    out = [Fraction(0)] * s.size
    for a, v in zip(support, sol[:-1]):
        out[int(a)] = v
    if max(abs(float(v) - f) for v, f in zip(out, s)) > 1e-6:
        return exact_floats
    return out


def weakly_dominates(mix: np.ndarray, u: np.ndarray, a: int, tol: float, weak: bool) -> float:
    """Violation of "mixture ``mix`` (over u's rows) dominates row ``a``" (<= tol: it
    does): weak dominance asks every entry to be at least as good (a shortfall of at most
    tol) and one to be better by at least tol; strict dominance every entry better by at
    least tol."""
    diff = mix @ u - u[a]
    if weak:
        return max(float(-diff.min()), 2 * tol - float(diff.max()))
    return 2 * tol - float(diff.min())


def verify_dominance(res, *, tol: float | None = None, exact: bool = False) -> Certificate:
    """The checks of :meth:`DominanceResult.verify` (see there)."""
    tol = res.tol if tol is None else float(tol)
    payoffs = np.asarray(res.game.payoffs, dtype=float)
    N = payoffs.shape[0]
    scales = payoff_scale(payoffs, N)
    alive = [np.ones(m, dtype=bool) for m in payoffs.shape[1:]]
    worst_dom = 0.0
    steps = list(res.steps)
    rounds = sorted({s[0] for s in steps})
    for r in rounds:
        batch = [s for s in steps if s[0] == r]
        snapshot = [a.copy() for a in alive]
        for _, i, a, mix in batch:
            ref = alive if res.order == "sequential" else snapshot
            if not ref[i][a]:
                worst_dom = float("inf")
                continue
            sub = payoffs[(slice(None),) + np.ix_(*[np.flatnonzero(x) for x in ref])]
            u = np.moveaxis(sub[i], i, 0).reshape(int(ref[i].sum()), -1) / scales[i]
            mix = np.asarray(mix, dtype=float)
            if np.any(mix[~ref[i]] > 0) or abs(mix.sum() - 1) > 1e-9 or mix.min() < 0:
                worst_dom = float("inf")
                continue
            pos = int(np.flatnonzero(np.flatnonzero(ref[i]) == a)[0])
            worst_dom = max(worst_dom, weakly_dominates(mix[ref[i]], u, pos, tol,
                                                         res.weak))
            alive[i][a] = False
    kept_ok = all(np.array_equal(np.flatnonzero(al), np.asarray(k))
                  for al, k in zip(alive, res.kept))
    sub = payoffs[(slice(None),) + np.ix_(*[np.asarray(k) for k in res.kept])]
    kept_ok = kept_ok and np.array_equal(np.asarray(res.reduced.payoffs), sub)
    complete = 0.0
    for i in range(N):
        u = np.moveaxis(sub[i], i, 0).reshape(len(res.kept[i]), -1) / scales[i]
        for a in range(u.shape[0]):
            for b in range(u.shape[0]):
                diff = u[b] - u[a]
                if a != b and (np.all(diff > tol) or (res.weak and np.all(
                        diff >= -tol) and np.any(diff > tol))):
                    complete = float("inf")       # a kept action is dominated
    checks = {"dominance": worst_dom, "kept": 0.0 if kept_ok else float("inf"),
              "complete": complete}
    return Certificate.from_violations(checks, tol)

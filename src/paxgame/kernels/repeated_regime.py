"""Kernels for regime (stochastic) games with finitely many regimes.

A regime game is given per regime s by flat stage payoffs ``u[s]`` (P_s, N) over its
pure profiles (C order), the transition rows ``trans[s]`` (P_s, K) and, per player i,
``dev[s][i]`` (P_s, m_i^s): the flat index of the profile where player i plays action k
and the others keep theirs. Values are normalised: V = (1 − δ) Σ_t δ^t u_t.
"""

from __future__ import annotations

import numpy as np

from .lp import solve_lp

__all__ = ["deviation_index", "stationary_values", "relative_values", "deviation_values",
           "pure_markov_candidates", "matrix_game", "shapley_iteration", "hoffman_karp",
           "cartesian"]


def cartesian(choices: list[np.ndarray], cap: int) -> np.ndarray:
    """Every combination of one entry per list, as rows (C, K) (the first list varies
    slowest), built two columns at a time (no K-dimensional temporaries); ``None`` when
    there would be more than ``cap`` rows."""
    total = 1
    for c in choices:
        total *= len(c)
        if total > cap:
            return None
    out = np.zeros((1, 0), dtype=np.intp)
    for c in choices:
        c = np.asarray(c, dtype=np.intp)
        out = np.column_stack([np.repeat(out, len(c), axis=0), np.tile(c, len(out))])
    return out


def deviation_index(shape: tuple[int, ...]) -> list[np.ndarray]:
    """For a profile space of the given shape: per player i an array (P, m_i) of the flat
    indices of (k, a_−i) for every flat profile a and action k."""
    n = len(shape)
    prof = np.array(np.unravel_index(np.arange(int(np.prod(shape))), shape)).T  # (P, N)
    out = []
    for i in range(n):
        m = shape[i]
        alt = np.repeat(prof[:, None, :], m, axis=1)
        alt[:, :, i] = np.arange(m)[None, :]
        out.append(np.ravel_multi_index(tuple(alt[..., j] for j in range(n)), shape))
    return out


def stationary_values(u: np.ndarray, p: np.ndarray, delta: float) -> np.ndarray:
    """Normalised values of stationary profiles: u (C, K, N) flows, p (C, K, K)
    transitions; returns (C, K, N) = (1 − δ)(I − δP)^{-1} u."""
    k = p.shape[-1]
    eye = np.eye(k)[None]
    return (1 - delta) * np.linalg.solve(eye - delta * p, u)


def relative_values(u: np.ndarray, p: np.ndarray, delta: float):
    """Normalised values of stationary profiles split as V = m + (1 − δ) h, well
    conditioned as δ -> 1: m (C, N) and h (C, K, N) solve the bordered system
    (I − δP) h + m 1 = u, h_0 = 0 (u (C, K, N) flows, p (C, K, K) transitions). The
    matrix is non-singular for every δ < 1 (its Schur complement is −1/(1 − δ))."""
    c, k, n = u.shape
    a = np.zeros((c, k + 1, k + 1))
    a[:, :k, :k] = np.eye(k)[None] - delta * p
    a[:, :k, k] = 1.0
    a[:, k, 0] = 1.0
    rhs = np.zeros((c, k + 1, n))
    rhs[:, :k] = u
    sol = np.linalg.solve(a, rhs)
    return sol[:, k, :], sol[:, :k, :]


def deviation_values(u_s, trans_s, dev_s, delta, cont, profiles_s, player):
    """Payoff of every action of ``player`` in regime s against the others' actions in
    ``profiles_s`` (C,), with continuation values ``cont`` (C, K) of that player:
    (1 − δ)u + δ Σ_s' P(s') cont(s'). Returns (C, m_i)."""
    idx = dev_s[player][profiles_s]  # (C, m)
    flow = u_s[idx, player]
    nxt = np.einsum("cmk,ck->cm", trans_s[idx], cont)
    return (1 - delta) * flow + delta * nxt


def pure_markov_candidates(u, trans, dev, delta, candidates, tol):
    """Check stationary pure profiles for Markov perfection.

    candidates : (C, K) flat profile index per regime. Returns (values (C, K, N),
    regret (C,), average (C, N), relative (C, K, N)): values = average + (1 − δ) relative
    (:func:`relative_values`), and ``regret`` (C, N) is each player's largest one-shot
    gain in any regime in flow units, (u_k − u_a) + δ (P_k − P_a)·h (the normalised gain
    divided by 1 − δ, computed without the cancellation that division would bring near
    δ = 1); <= the player's tolerance for a Markov perfect equilibrium. ``tol`` is not
    used (kept for the signature).
    """
    c, k = candidates.shape
    n = u[0].shape[1]
    uu = np.stack([u[s][candidates[:, s]] for s in range(k)], axis=1)  # (C, K, N)
    pp = np.stack([trans[s][candidates[:, s]] for s in range(k)], axis=1)  # (C, K, K)
    m, h = relative_values(uu, pp, delta)
    vals = m[:, None, :] + (1 - delta) * h
    regret = np.zeros((c, n))
    for s in range(k):
        for i in range(n):
            idx = dev[s][i][candidates[:, s]]  # (C, m_i)
            flow = u[s][idx, i] - uu[:, s, i][:, None]
            nxt = np.einsum("cmk,ck->cm", trans[s][idx] - pp[:, s, None, :], h[:, :, i])
            regret[:, i] = np.maximum(regret[:, i], (flow + delta * nxt).max(axis=1))
    return vals, regret, m, h


def matrix_game(m: np.ndarray):
    """Value and optimal strategies (x for the row maximiser, y for the column minimiser)
    of the zero-sum matrix game m, by two LPs. Returns (value, x, y, status)."""
    rows, cols = m.shape
    shift = float(m.min()) - 1.0
    a = m - shift  # positive: value > 0
    # row player: min sum(z) s.t. a^T z >= 1, z >= 0; value = 1/sum(z)
    sol = solve_lp(np.ones(rows), -a.T, -np.ones(cols), bounds=(0, None))
    if not sol.success:
        return float("nan"), None, None, sol.status
    value = 1.0 / sol.fun
    x = sol.x * value
    sol2 = solve_lp(-np.ones(cols), a, np.ones(rows), bounds=(0, None))
    if not sol2.success:
        return float("nan"), None, None, sol2.status
    y = sol2.x / (-sol2.fun)
    return value + shift, x, y, "optimal"


def _value_only(m: np.ndarray) -> float:
    rows, cols = m.shape
    shift = float(m.min()) - 1.0
    sol = solve_lp(np.ones(rows), -(m - shift).T, -np.ones(cols), bounds=(0, None))
    if not sol.success:
        return float("nan")
    return 1.0 / sol.fun + shift


def shapley_iteration(a_list, trans_list, delta, *, tol, max_iter, v0=None):
    """Shapley's (1953) value iteration for a two-player zero-sum stochastic game.

    a_list[s] : (m_s, n_s) row player's payoffs; trans_list[s] : (m_s, n_s, K).
    v <- val[(1 − δ)A_s + δ Σ_s' P(s'|s, ·) v_s'] (normalised). Returns (values (K,),
    iterations, change, status).
    """
    k = len(a_list)
    v = np.zeros(k) if v0 is None else np.asarray(v0, float).copy()
    change = np.inf
    for it in range(1, max_iter + 1):
        new = np.array([_value_only((1 - delta) * a_list[s] + delta * trans_list[s] @ v)
                        for s in range(k)])
        if np.any(np.isnan(new)):
            return v, it, change, "inaccurate"
        change = float(np.max(np.abs(new - v)))
        v = new
        # contraction modulus δ: the distance to the fixed point is <= δ/(1−δ) × change
        if change * delta / (1 - delta) <= tol:
            return v, it, change, "optimal"
    return v, max_iter, change, "not_converged"


def hoffman_karp(a_list, trans_list, delta, *, tol, max_iter):
    """Hoffman & Karp's (1966) strategy iteration for a two-player zero-sum stochastic game,
    on normalised values split as v = m + (1 − δ) h (see :func:`relative_values`).

    Each round fixes the column player's stationary strategy y, solves the row player's
    Markov decision problem against it exactly (policy iteration, each policy valued by
    the bordered linear system), and replaces y by an optimal column strategy of the
    matrix games A_s + δ Σ_s' P(s' | s, ·) h_s' (the Shapley games (1 − δ)A_s + δ P v
    less the constant δ m, divided by 1 − δ: well scaled however close δ is to 1). It
    stops when the row player's value no longer falls by more than ``tol`` (flow units).
    a_list[s] : (m_s, n_s); trans_list[s] : (m_s, n_s, K). Returns (m, h (K,), rounds,
    change, status).
    """
    k = len(a_list)
    y = [np.full(a.shape[1], 1.0 / a.shape[1]) for a in a_list]
    prev = None
    change = np.inf
    for it in range(1, max_iter + 1):
        m, h, st = _best_response_mdp(a_list, trans_list, delta, y, max_iter)
        if st != "optimal":
            return m, h, it, change, st
        cur = m + (1 - delta) * h  # normalised values
        if prev is not None:
            change = float(np.max(np.abs(prev - cur)) / (1 - delta))
            if change <= tol:
                return m, h, it, change, "optimal"
        prev = cur
        new_y = []
        for s in range(k):
            _, _, ys, st = matrix_game(a_list[s] + delta * trans_list[s] @ h)
            if st != "optimal":
                return m, h, it, change, st
            new_y.append(ys)
        y = new_y
    return m, h, max_iter, change, "not_converged"


def _best_response_mdp(a_list, trans_list, delta, y, max_iter):
    """The row player's optimal stationary policy against the column strategies y, by
    policy iteration: returns (m, h (K,), status), values m + (1 − δ) h."""
    k = len(a_list)
    flows = [a @ ys for a, ys in zip(a_list, y)]  # (m_s,)
    trans = [np.einsum("abk,b->ak", t, ys) for t, ys in zip(trans_list, y)]  # (m_s, K)
    pol = np.array([int(np.argmax(f)) for f in flows])
    for _ in range(max(10, max_iter)):
        uu = np.array([flows[s][pol[s]] for s in range(k)])[None, :, None]
        pp = np.array([trans[s][pol[s]] for s in range(k)])[None]
        m, h = relative_values(uu, pp, delta)
        m, h = float(m[0, 0]), h[0, :, 0]
        new = pol.copy()
        for s in range(k):
            q = flows[s] + delta * trans[s] @ h
            best = int(np.argmax(q))
            scale = max(1.0, float(np.max(np.abs(q))))
            if q[best] > q[pol[s]] + 1e-12 * scale:
                new[s] = best
        if np.array_equal(new, pol):
            return m, h, "optimal"
        pol = new
    return m, h, "not_converged"

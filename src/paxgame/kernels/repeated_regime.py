"""Kernels for regime (stochastic) games with finitely many regimes.

A regime game is given per regime s by flat stage payoffs ``u[s]`` (P_s, N) over its
pure profiles (C order), the transition rows ``trans[s]`` (P_s, K) and, per player i,
``dev[s][i]`` (P_s, m_i^s): the flat index of the profile where player i plays action k
and the others keep theirs. Values are normalised: V = (1 − δ) Σ_t δ^t u_t.
"""

from __future__ import annotations

import numpy as np

from .lp import solve_lp

__all__ = ["deviation_index", "stationary_values", "deviation_values",
           "pure_markov_candidates", "matrix_game", "shapley_iteration"]


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
    regret (C,)): the largest one-shot gain of any player in any regime (<= tol for a
    Markov perfect equilibrium).
    """
    c, k = candidates.shape
    n = u[0].shape[1]
    uu = np.stack([u[s][candidates[:, s]] for s in range(k)], axis=1)  # (C, K, N)
    pp = np.stack([trans[s][candidates[:, s]] for s in range(k)], axis=1)  # (C, K, K)
    vals = stationary_values(uu, pp, delta)
    regret = np.zeros(c)
    for s in range(k):
        for i in range(n):
            dv = deviation_values(u[s], trans[s], dev[s], delta, vals[:, :, i],
                                  candidates[:, s], i)
            regret = np.maximum(regret, dv.max(axis=1) - vals[:, s, i])
    return vals, regret


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

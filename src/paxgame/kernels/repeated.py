"""Batch kernels for repeated games: stage payoffs at a profile, deviation payoffs, and the
critical discount factor of Nash reversion.

Shapes: ``payoffs`` is (batch, N, m_1, ..., m_N), ``profiles`` is (batch, N) of action
indices, punishment payoffs are (batch, N). Everything is vectorised over the batch; the
only Python loop runs over the N players.
"""

from __future__ import annotations

import numpy as np

__all__ = ["profile_payoffs", "deviation_payoffs", "pure_equilibrium_mask",
           "nash_reversion_punishment", "critical_delta", "critical_delta_ratios",
           "sustaining_bounds", "sustaining_interval",
           "pure_minmax", "DEFAULT_CHUNK"]

#: Games per chunk in :func:`critical_delta` (bounds the temporary arrays).
DEFAULT_CHUNK = 1 << 16
#: Games per block inside a chunk: the temporaries of one block stay in the L2 cache.
_BLOCK = 4096


def profile_payoffs(payoffs: np.ndarray, profiles: np.ndarray) -> np.ndarray:
    """u(a) for every game of the batch: shape (batch, N)."""
    b = payoffs.shape[0]
    idx = (np.arange(b), slice(None)) + tuple(profiles[:, j] for j in range(profiles.shape[1]))
    return payoffs[idx]


def deviation_payoffs(payoffs: np.ndarray, profiles: np.ndarray, *,
                      exclude_own: bool = False) -> np.ndarray:
    """d_i(a) = max over a_i' of u_i(a_i', a_-i), shape (batch, N).

    With ``exclude_own`` the maximum runs over the other actions a_i' != a_i only (-inf
    for a player with a single action): the best payoff of an actual deviation.
    """
    b, n = payoffs.shape[0], payoffs.shape[1]
    rows = np.arange(b)
    out = np.empty((b, n), dtype=float)
    for i in range(n):
        idx = (rows, i) + tuple(profiles[:, j] if j != i else slice(None) for j in range(n))
        vals = payoffs[idx]  # (batch, m_i)
        if exclude_own:
            vals = vals.copy()
            vals[rows, profiles[:, i]] = -np.inf
        out[:, i] = vals.max(axis=-1)
    return out


def _best_along(arr: np.ndarray, axis: int, keepdims: bool = True) -> np.ndarray:
    """max along a short axis as a chain of elementwise maxima (faster than a strided
    reduction for the few actions of a stage game)."""
    m = arr.shape[axis]
    best = np.take(arr, 0, axis=axis)
    for k in range(1, m):
        np.maximum(best, np.take(arr, k, axis=axis), out=best)
    return np.expand_dims(best, axis) if keepdims else best


def pure_equilibrium_mask(payoffs: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """Boolean array (batch, m_1, ..., m_N): True where the pure profile is a stage Nash
    equilibrium (no player gains more than ``tol`` by a unilateral deviation)."""
    n = payoffs.shape[1]
    mask = np.ones((payoffs.shape[0],) + payoffs.shape[2:], dtype=bool)
    for i in range(n):
        best = _best_along(payoffs[:, i], 1 + i)
        mask &= payoffs[:, i] >= best - tol
    return mask


def pure_minmax(payoffs: np.ndarray) -> np.ndarray:
    """Pure minmax value of every player, shape (batch, N): min over the others' pure
    profiles of the player's best-response payoff (a lower bound on every pure SPE payoff)."""
    n = payoffs.shape[1]
    out = np.empty(payoffs.shape[:2])
    for i in range(n):
        best = payoffs[:, i].max(axis=1 + i)
        out[:, i] = best.reshape(best.shape[0], -1).min(axis=1)
    return out


def critical_delta_ratios(u: np.ndarray, d: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Per-player critical δ_i of reversion to punishment payoffs w (broadcasting).

    ``d`` is the best payoff of an actual deviation (a_i' != a_i; -inf when there is
    none). Player i is deterred at δ iff (1 − δ)(d_i − u_i) <= δ (u_i − w_i), so

    - δ_i = 0 when i has no deviation or none that gains (d_i <= u_i) and w_i <= u_i;
    - δ_i = (d_i − u_i) / (d_i − w_i) when d_i > u_i and w_i <= u_i (>= 1 when w_i = u_i:
      no δ < 1 deters);
    - δ_i = inf when w_i > u_i and i has a deviation: the punishment rewards i, who then
      deviates to trigger it once δ is close enough to 1, so no threshold δ* has the
      profile sustained on all of [δ*, 1).
    """
    u = np.asarray(u, float)
    d = np.asarray(d, float)
    gain = np.maximum(d - u, 0.0)  # -inf - u -> 0 for players without a deviation
    u_cmp = np.where(np.isfinite(d), u, np.inf)
    # w <= u and gain > 0 imply d - w >= gain > 0; with gain = 0 any positive floor gives 0
    ratio = gain / np.maximum(d - w, np.finfo(float).tiny)
    return np.where(w > u_cmp, np.inf, ratio)


def sustaining_bounds(u, d, w) -> tuple[np.ndarray, np.ndarray]:
    """Per-player bounds of the discount factors at which reversion to punishment payoffs
    w deters player i's best deviation (broadcasting u, d, w).

    Player i is deterred at δ iff d_i − u_i <= δ (d_i − w_i): linear in δ, so the set is
    [lo_i, hi_i] ∩ (0, 1) with, for g = d_i − u_i and h = d_i − w_i,

    - no deviation (d_i = −inf), or g <= 0 <= h: every δ, [0, 1];
    - h > 0: [g / h, 1] (empty in (0, 1) when g >= h);
    - h < 0 (the punishment pays i more than the best deviation): [0, g / h], empty when
      g >= 0, bounded above by (u_i − d_i) / (w_i − d_i) < 1 otherwise;
    - h = 0 and g > 0: empty.

    Empty sets come out as lo = inf, hi = 0.
    """
    u = np.asarray(u, float)
    d = np.asarray(d, float)
    w = np.asarray(w, float)
    dev = np.isfinite(d)
    g = np.where(dev, d - u, 0.0)
    h = np.where(dev, d - w, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = g / np.where(h != 0, h, 1.0)
    lo = np.where(h > 0, np.maximum(r, 0.0), 0.0)
    hi = np.where(h < 0, r, 1.0)
    empty = ((h > 0) & (r >= 1)) | ((h < 0) & (r <= 0)) | ((h == 0) & (g > 0))
    return np.where(empty, np.inf, lo), np.where(empty, 0.0, hi)


def sustaining_interval(u, d, w, axis: int = -1) -> tuple[np.ndarray, np.ndarray]:
    """The closed interval [lo, hi] of δ in (0, 1) at which reversion to w sustains the
    profile for every player (the intersection over ``axis`` of
    :func:`sustaining_bounds`); lo = inf and hi = 0 when it is empty. lo = 0 means every
    small δ sustains (the set is (0, hi])."""
    lo, hi = sustaining_bounds(u, d, w)
    lo, hi = lo.max(axis=axis), hi.min(axis=axis)
    empty = ~(lo <= hi) | (lo >= 1) | (hi <= 0)
    return np.where(empty, np.inf, lo), np.where(empty, 0.0, hi)


_INF_BITS = np.array(np.inf).view(np.uint64)


def _flag_inf(flag: np.ndarray) -> np.ndarray:
    """+inf where ``flag`` is True, +0.0 elsewhere (bit arithmetic, no branches)."""
    return (flag.astype(np.uint64) * _INF_BITS).view(np.float64)


def _batch_last(payoffs: np.ndarray, profiles: np.ndarray, punishment, tol: float):
    """The critical-δ computation with the batch axis last (long contiguous inner loops).

    Returns (critical δ (B,), punishment payoffs used (B, N), found (B,)).
    Gathers use flat indices into the batch-last copy (one index array per gather), and
    the per-candidate loops write into preallocated buffers.
    """
    b, n = payoffs.shape[:2]
    shape = payoffs.shape[2:]
    m_all = int(np.prod(shape))
    pt = np.ascontiguousarray(np.moveaxis(payoffs, 0, -1))  # (N, m_1..m_N, B)
    flat = pt.reshape(n, m_all, b)
    lin = flat.reshape(-1)
    strides = np.array([int(np.prod(shape[i + 1:])) for i in range(n)], dtype=np.intp)
    f = profiles @ strides  # flat profile index per game
    cols = np.arange(b)
    # position of (player i, profile p, game g) in ``lin``: (i m_all + p) b + g
    at = f * b + cols
    u = np.stack([np.take(lin, at + i * m_all * b) for i in range(n)])  # (N, B)
    d = np.full((n, b), -np.inf)
    for i in range(n):
        base = at + (i * m_all - profiles[:, i] * strides[i]) * b
        own = profiles[:, i]
        for k in range(shape[i]):
            val = np.take(lin, base + k * strides[i] * b)
            np.maximum(d[i], np.where(own == k, -np.inf, val), out=d[i])
    if punishment is not None:
        w = np.asarray(punishment, float).T  # (N, B)
        found = np.ones(b, bool)
    else:
        mask = np.empty((m_all, b), dtype=bool)
        scratch = np.empty((m_all, b), dtype=bool)
        for i in range(n):
            pi = pt[i]  # (m_1..m_N, B)
            best = np.take(pi, 0, axis=i).copy()
            for k in range(1, shape[i]):
                np.maximum(best, np.take(pi, k, axis=i), out=best)
            best -= tol
            target = mask if i == 0 else scratch
            np.greater_equal(pi, np.expand_dims(best, i), out=target.reshape(pi.shape))
            if i:
                np.logical_and(mask, scratch, out=mask)
        # masked selections below are arithmetic on bit patterns (no branches on random
        # masks): True -> the float whose bits are ``_INF_BITS`` (+inf), False -> +0.0
        # per candidate σ the infimum of its sustaining set (sustaining_interval): the
        # largest lower bound, +inf when it passes the smallest upper bound
        worst = np.zeros((m_all, b))
        upper = np.ones((m_all, b))
        for i in range(n):
            lo_i, hi_i = sustaining_bounds(u[i], d[i], flat[i])
            np.maximum(worst, lo_i, out=worst)
            np.minimum(upper, hi_i, out=upper)
        empty = ~(worst <= upper) | (worst >= 1) | (upper <= 0)
        # an equilibrium whose set is empty still beats a non-equilibrium (+inf below):
        # the largest float, so that the selection never lands on a non-equilibrium
        big = np.finfo(float).max
        np.minimum(worst, big, out=worst)
        np.maximum(worst, empty * big, out=worst)
        # profiles that are not equilibria are excluded: +inf
        np.maximum(worst, _flag_inf(~mask), out=worst)
        # argmin over the profiles (the first minimum wins, as np.argmin)
        low = worst.min(axis=0)
        best_idx = np.zeros(b, dtype=np.intp)
        step = np.empty(b, dtype=np.intp)
        for p in range(m_all - 1, 0, -1):
            np.subtract(best_idx, p, out=step)
            step *= worst[p] == low
            best_idx -= step
        best_idx *= ~(worst[0] == low)
        found = mask.any(axis=0)
        w = np.stack([np.take(lin, (i * m_all + best_idx) * b + cols) for i in range(n)])
        w[:, ~found] = np.nan
    ratio, _ = sustaining_interval(u, d, np.where(np.isnan(w), 0.0, w), axis=0)
    ratio[~found] = np.nan
    return ratio, w.T, found


def nash_reversion_punishment(payoffs: np.ndarray, profiles: np.ndarray, tol: float = 1e-9
                              ) -> tuple[np.ndarray, np.ndarray]:
    """Choose, per game, the pure stage equilibrium σ whose reversion sustains the profile
    at the lowest critical δ, i.e. σ minimising max_i (d_i − u_i)/(d_i − u_i(σ)) (ties:
    the first equilibrium in C order).

    Returns ``(w, found)``: punishment payoffs (batch, N) (NaN where the game has no pure
    equilibrium) and a boolean (batch,) mask of games with one.
    """
    _, w, found = _batch_last(np.asarray(payoffs, float), np.asarray(profiles, np.intp),
                              None, tol)
    return w, found


def critical_delta(payoffs, profiles, punishment=None, *, chunk: int = DEFAULT_CHUNK,
                   tol: float = 1e-9) -> np.ndarray:
    """Critical discount factor of Nash reversion for a batch of games and profiles.

    δ*(a) is the infimum of the set of δ in (0, 1) at which reversion to the punishment
    payoffs w sustains a (:func:`sustaining_interval`: an interval, possibly bounded above
    when w pays some player more than the target); inf when the set is empty; 0 when every
    small δ sustains a. When ``punishment`` is None, w is the payoff of the pure stage
    Nash equilibrium with the lowest δ* (NaN if the game has no pure equilibrium).

    The batch is processed in blocks of at most ``min(chunk, 4096)`` games with the batch
    axis moved last, so that every elementwise pass runs over long contiguous rows and the
    temporaries stay in the L2 cache; masked selections are done with bit arithmetic
    rather than boolean indexing (branches on random masks cost several ns per element).

    Parameters
    ----------
    payoffs : ndarray (batch, N, m_1, ..., m_N)
    profiles : ndarray of int (batch, N)
    punishment : ndarray (batch, N) or None
    chunk : int
        Games per chunk (peak memory O(chunk × N × m_1 ⋯ m_N)).

    Returns
    -------
    ndarray (batch,)
    """
    payoffs = np.asarray(payoffs, dtype=float)
    profiles = np.asarray(profiles, dtype=np.intp)
    b = payoffs.shape[0]
    out = np.empty(b)
    # blocks of at most _BLOCK games whatever ``chunk`` says: smaller blocks only lower
    # the peak memory, and they keep every temporary in the cache
    step = min(max(1, int(chunk)), _BLOCK)
    for start in range(0, b, step):
        sl = slice(start, min(b, start + step))
        w = None if punishment is None else np.asarray(punishment, dtype=float)[sl]
        out[sl] = _batch_last(payoffs[sl], profiles[sl], w, tol)[0]
    return out

"""Validated batch entry points of the repeated family (re-exported by :mod:`paxgame.batch`)."""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_chunk
from ..kernels import repeated as _kr

__all__ = ["critical_delta"]


def critical_delta(payoffs, profiles, punishment=None, *, chunk: int = _kr.DEFAULT_CHUNK
                   ) -> np.ndarray:
    """Critical discount factors of Nash reversion for a batch of games and profiles.

    For game b and pure profile a = profiles[b],

        δ*_b = inf { δ in (0, 1) : u_i(a) >= (1 − δ) d_i(a) + δ w_i for every i },

    d_i(a) the best payoff of a deviation from a_i: each condition is linear in δ, so the
    set is an interval, [max_i (d_i − u_i)/(d_i − w_i), 1) when the punishment hurts
    everyone, bounded above when it pays some player more than the target (see
    :meth:`paxgame.RepeatedGame.sustaining_deltas` for the set itself). inf when no δ in
    (0, 1) sustains a; 0 when every small δ does.

    Punishments: ``punishment`` (batch, N) gives w directly. When it is None, w is the
    payoff vector of the pure stage Nash equilibrium σ of game b whose reversion gives the
    lowest δ* (ties: the first σ in C order);
    games without a pure equilibrium get NaN. Mixed-equilibrium reversion is available
    through :meth:`paxgame.RepeatedGame.critical_delta` or by passing its payoffs here.

    Parameters
    ----------
    payoffs : array_like (batch, N, m_1, ..., m_N)
    profiles : array_like of int (batch, N)
    punishment : array_like (batch, N), optional
    chunk : int
        Games per chunk: temporary memory is O(chunk × N × m_1 ⋯ m_N) floats.

    Returns
    -------
    ndarray (batch,)

    Examples
    --------
    >>> import numpy as np
    >>> import paxgame as pg
    >>> pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], float)
    >>> pg.batch.critical_delta(np.stack([pd, 2 * pd]), [[0, 0], [0, 0]])
    array([0.5, 0.5])
    >>> pg.batch.critical_delta(pd[None], [[0, 0]], punishment=[[0, 0]])
    array([0.4])
    """
    func = "batch.critical_delta"
    pay = as_float_array(func, "payoffs", payoffs, min_ndim=4)
    b, n = pay.shape[0], pay.shape[1]
    if pay.ndim != n + 2:
        raise ValueError(f"{func}: payoffs must have shape (batch, N, m_1, ..., m_N) with one "
                         f"action axis per player, got shape {pay.shape}")
    prof = np.asarray(profiles)
    if prof.dtype.kind not in "iu":
        raise TypeError(f"{func}: profiles must be integer action indices, got dtype "
                        f"{prof.dtype}")
    if prof.shape != (b, n):
        raise ValueError(f"{func}: profiles must have shape {(b, n)}, got {prof.shape}")
    m = np.array(pay.shape[2:])
    bad = np.argwhere((prof < 0) | (prof >= m[None, :]))
    if len(bad):
        g, i = bad[0]
        raise ValueError(f"{func}: profiles[{g}, {i}] = {prof[g, i]} is out of range "
                         f"0..{m[i] - 1}")
    w = None
    if punishment is not None:
        w = as_float_array(func, "punishment", punishment, shape=(b, n))
    chunk = check_chunk(func, chunk)
    return _kr.critical_delta(pay, prof, w, chunk=chunk)

"""Pure-strategy Nash equilibria of a batch of N-player games.

A pure profile a is a Nash equilibrium when every player's payoff u_i(a) attains the maximum
of u_i over the player's own axis (its best-response payoff against a_-i). The kernel takes the
maximum of each player's payoff array along that player's axis, compares, and ANDs the N
boolean arrays: a few passes over the input, no Python loop over games or profiles. Games are
processed in chunks of ``chunk`` games, each transposed to put the games on the contiguous
axis, so that the temporaries stay in cache and peak extra memory is about one chunk.

Cost (3-player 4x4x4 games, 2-core machine): the transposing copy is the largest single
cost; it runs in slabs of 64 games, whose source rows stay in the L1 cache (a whole
256-game chunk copied at once costs about three times as much per game). The best responses
are one maximum-reduction per player into a preallocated buffer (faster than a chain of
binary maxima over strided slices), one comparison per player writes into that player's
boolean plane, one AND-reduction over the planes gives the mask, and the mask goes back to
the games-first layout in one copy per chunk.
"""

from __future__ import annotations

import numpy as np

from .payoffs import payoff_scale

__all__ = ["pure_nash", "pure_nash_profiles"]

_DEFAULT_CHUNK = 256
_SLAB = 64


def pure_nash(payoffs, tol: float = 0.0, chunk: int | None = None) -> np.ndarray:
    """Boolean mask of the pure Nash equilibria of each game of a batch.

    Parameters
    ----------
    payoffs : array_like, shape (batch, N, m_1, ..., m_N)
        Stacked payoff arrays: ``payoffs[b, i]`` is player i's payoff in game b.
    tol : float
        Relative tolerance, per player: a profile is an equilibrium when no player gains
        more than ``tol`` times *its own* payoff scale
        (:func:`paxgame.kernels.payoffs.payoff_scale`, the range of its payoffs in that
        game) by deviating. ``tol=0`` (the default) compares payoffs exactly.
    chunk : int, optional
        Games per chunk (default 256): each chunk is transposed so that the games run along
        the contiguous axis, the layout in which numpy's elementwise loops are long; peak
        extra memory is about one chunk of payoffs plus the boolean output.

    Returns
    -------
    ndarray of bool, shape (batch, m_1, ..., m_N)

    Examples
    --------
    >>> import numpy as np
    >>> pd = np.array([[[[3, 0], [5, 1]], [[3, 5], [0, 1]]]], dtype=float)
    >>> pure_nash(pd)[0]
    array([[False, False],
           [False,  True]])
    """
    P = np.asarray(payoffs)
    if P.dtype.kind not in "fiu" or (tol and P.dtype.kind != "f"):
        P = P.astype(float)
    if P.ndim < 4 or P.shape[1] != P.ndim - 2:
        raise ValueError(f"pure_nash: payoffs must have shape (batch, N, m_1, ..., m_N), "
                         f"got {P.shape}")
    G, N = P.shape[:2]
    shape = P.shape[2:]
    size = int(np.prod(shape))
    step = _DEFAULT_CHUNK if chunk is None else max(1, int(chunk))
    step = min(step, max(G, 1))
    out = np.empty((G, size), dtype=bool)
    flat = P.reshape(G, N * size)
    # each chunk is transposed so that the games run along the last, contiguous axis: every
    # elementwise operation below then has long inner loops (the player axes are short)
    work = np.empty((N * size, step), dtype=P.dtype)
    mask = np.empty((size, step), dtype=bool)
    conds = np.empty((N, size, step), dtype=bool)
    bests = [np.empty(shape[:i] + shape[i + 1:] + (step,), dtype=P.dtype) for i in range(N)]

    def views(b):
        """The per-chunk views of the buffers for a chunk of b games."""
        T = work[:, :b]
        U = T.reshape((N,) + shape + (b,))
        players = []
        for i in range(N):
            pre = (slice(None),) * i
            best = bests[i][..., :b]
            players.append((U[i], best, best[pre + (None,)]))
        return (T, players, mask[:, :b], conds[:, :, :b],
                [conds[i, :, :b].reshape(shape + (b,)) for i in range(N)], mask[:, :b].T)

    full = views(step)
    for lo in range(0, G, step):
        block = flat[lo:lo + step]
        b = block.shape[0]
        T, players, m_, c_, c_i, back = full if b == step else views(b)
        # the transposing copy runs in slabs of _SLAB games: a slab's source rows stay in
        # the L1 cache while its columns are written out (measured about 3x faster per game
        # than one copy of a whole chunk)
        for s0 in range(0, b, _SLAB):
            np.copyto(T[:, s0:s0 + _SLAB], block[s0:s0 + _SLAB].T)
        slack = tol * payoff_scale(block.reshape(b, N, size), 1) if tol else None  # (b, N)
        for i, (u, best, best_b) in enumerate(players):
            np.maximum.reduce(u, axis=i, out=best)
            if tol:
                best -= slack[:, i]
            np.greater_equal(u, best_b, out=c_i[i])
        np.logical_and.reduce(c_, axis=0, out=m_)
        np.copyto(out[lo:lo + b], back)
    out = out.reshape((G,) + shape)
    return out


def pure_nash_profiles(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(game index (k,), profiles (k, N)) of a mask from :func:`pure_nash`, in C order.

    Within a game the profiles come out in lexicographic order of the action indices.
    """
    idx = np.argwhere(mask)
    return idx[:, 0], idx[:, 1:]

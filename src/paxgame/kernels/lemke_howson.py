"""One Nash equilibrium per (game, starting label) by the Lemke-Howson algorithm, batched.

Algorithm
---------
Lemke & Howson (1964) in the tableau form of von Stengel (2007, section 3.6 and 3.7). With
each player's payoffs shifted and scaled into [1, 2] (which changes no equilibrium), the
best-response polytopes are P = {x >= 0 : B'x <= 1} and Q = {y >= 0 : A y <= 1}, written as
the two systems

    B'x + s = 1   (n rows; variables x_0..x_{m-1}, s_0..s_{n-1}; labels 0..m+n-1)
    r + A y = 1   (m rows; variables r_0..r_{m-1}, y_0..y_{n-1}; labels 0..m+n-1)

where variable columns are numbered by their labels. A label is present when its variable
is non-basic in some system. Starting from the artificial equilibrium (0, 0), the missing
label k enters its system; the ratio test names the variable that leaves, whose label then
enters the other system; the path ends when label k leaves. Each tableau is kept whole
(including the slack columns, which hold the inverse of the current basis), so the ratio
test is *lexicographic*: ties in the minimum ratio are broken by the rows of the basis
inverse divided by the pivot column, which makes every pivot unique and the path free of
cycles in degenerate games (von Stengel 2007, section 3.7).

Batching: every game of the batch runs its own path in lockstep with the others: one pivot
per step in each game still running, as one vectorised rank-one update of the stacked
tableaux; games whose path ended leave the working set. Paths are capped at ``max_iter``
pivots, after which a game is reported as not converged.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .payoffs import positive_unit

__all__ = ["LemkeHowsonResult", "lemke_howson"]

_PIVOT = 1e-12   # pivot column entries above this are eligible in the ratio test
_TIE = 1e-12     # relative tie tolerance of the (lexicographic) ratio test


class LemkeHowsonResult(NamedTuple):
    """Lemke-Howson end points of a batch.

    Attributes
    ----------
    x, y : ndarray, shapes (batch, m) and (batch, n)
        The mixed strategies (rows of zeros where the path did not end).
    pivots : ndarray of int, shape (batch,)
        Pivots taken.
    converged : ndarray of bool, shape (batch,)
        False where the pivot cap was reached first.
    """

    x: np.ndarray
    y: np.ndarray
    pivots: np.ndarray
    converged: np.ndarray


def _ratio_rows(T: np.ndarray, col: np.ndarray, slack: slice) -> np.ndarray:
    """Lexicographic minimum-ratio row of each tableau T (g, rows, cols+1) for pivot column
    ``col`` (g, rows); ``slack`` selects the columns of the basis inverse."""
    g, rows = col.shape
    ok = col > _PIVOT
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(ok, T[:, :, -1] / np.where(ok, col, 1.0), np.inf)
    best = ratio.min(axis=1)
    tie = ok & (ratio <= best[:, None] + _TIE * np.maximum(np.abs(best), 1.0)[:, None])
    many = tie.sum(axis=1) > 1
    if np.any(many):
        inv = T[:, :, slack]
        for c in range(inv.shape[2]):
            idx = np.flatnonzero(many)
            if idx.size == 0:
                break
            with np.errstate(divide="ignore", invalid="ignore"):
                r = np.where(tie[idx], inv[idx, :, c] / np.where(tie[idx], col[idx], 1.0),
                             np.inf)
            low = r.min(axis=1)
            tie[idx] &= r <= low[:, None] + _TIE * np.maximum(np.abs(low), 1.0)[:, None]
            many[idx] = tie[idx].sum(axis=1) > 1
    return np.argmax(tie, axis=1)


def _pivot(T: np.ndarray, basis: np.ndarray, enter: np.ndarray, slack: slice,
           buf: np.ndarray):
    """One lexicographic pivot in each tableau (in place); returns the leaving labels."""
    g = np.arange(T.shape[0])
    col = T[g, :, enter]                                          # (g, rows)
    row = _ratio_rows(T, col, slack)
    piv_row = T[g, row]
    piv_row /= col[g, row][:, None]                               # (g, cols+1)
    work = buf[:T.shape[0]]
    np.einsum("gi,gj->gij", col, piv_row, out=work)     # faster than a broadcast multiply
    T -= work
    T[g, row] = piv_row
    leave = basis[g, row].copy()
    basis[g, row] = enter
    return leave


def _run(A: np.ndarray, B: np.ndarray, labels: np.ndarray, max_iter: int):
    G, m, n = A.shape
    TP = np.zeros((G, n, m + n + 1))
    TP[:, :, :m] = np.swapaxes(B, 1, 2)
    TP[:, :, m:m + n] = np.eye(n)
    TP[:, :, -1] = 1.0
    TQ = np.zeros((G, m, m + n + 1))
    TQ[:, :, :m] = np.eye(m)
    TQ[:, :, m:m + n] = A
    TQ[:, :, -1] = 1.0
    buf_p = np.empty_like(TP)
    buf_q = np.empty_like(TQ)
    basis_p = np.tile(np.arange(m, m + n), (G, 1))
    basis_q = np.tile(np.arange(m), (G, 1))
    x = np.zeros((G, m))
    y = np.zeros((G, n))
    pivots = np.zeros(G, dtype=np.int64)
    converged = np.zeros(G, dtype=bool)
    active = np.arange(G)                  # game of each working row
    running = np.ones(G, dtype=bool)       # working rows whose path has not ended
    enter = labels.copy()
    in_p = bool(labels[0] < m) if G else True                     # all start on one side
    steps = 0
    with np.errstate(divide="ignore", invalid="ignore"):
        while running.any() and steps < max_iter:
            if in_p:
                leave = _pivot(TP, basis_p, enter, slice(m, m + n), buf_p)
            else:
                leave = _pivot(TQ, basis_q, enter, slice(0, m), buf_q)
            steps += 1
            done = running & (leave == labels)
            if np.any(done):
                for k in np.flatnonzero(done):
                    gk = active[k]
                    bp, bq = basis_p[k], basis_q[k]
                    rp, rq = bp < m, bq >= m
                    x[gk, bp[rp]] = TP[k, rp, -1]
                    y[gk, bq[rq] - m] = TQ[k, rq, -1]
                    converged[gk] = True
                    pivots[gk] = steps
                running &= ~done
                # finished rows keep pivoting harmlessly until a quarter of the working
                # set has finished; then the working set is compacted
                if (~running).sum() * 4 >= running.size:
                    keep = running
                    active, TP, TQ = active[keep], TP[keep], TQ[keep]
                    basis_p, basis_q, labels = basis_p[keep], basis_q[keep], labels[keep]
                    leave, running = leave[keep], running[keep]
            enter = np.where(running, leave, labels)
            in_p = not in_p
    pivots[active[running]] = steps
    sx = x.sum(axis=1, keepdims=True)
    sy = y.sum(axis=1, keepdims=True)
    x = np.divide(x, sx, out=np.zeros_like(x), where=sx > 0)
    y = np.divide(y, sy, out=np.zeros_like(y), where=sy > 0)
    return x, y, pivots, converged


def lemke_howson(A, B, labels, max_iter: int = 10_000,
                 chunk: int | None = None) -> LemkeHowsonResult:
    """The Lemke-Howson end point of each game of a batch from its starting label.

    Parameters
    ----------
    A, B : array_like, shape (batch, m, n)
        Row and column players' payoffs (any real numbers: each matrix is mapped into
        [1, 2] by a positive affine map first).
    labels : int or array_like of int, shape (batch,)
        Starting (dropped) label of each game: 0..m-1 a row action, m..m+n-1 a column
        action.
    max_iter : int
        Pivot cap per path; a path that reaches it is reported as not converged.
    chunk : int, optional
        Games per lockstep batch (default 256, fewer for large games: at most about
        2**23 entries, 64 MiB, per stacked tableau).

    Returns
    -------
    LemkeHowsonResult

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[[3., 0.], [0., 2.]]])          # battle of the sexes
    >>> B = np.array([[[2., 0.], [0., 3.]]])
    >>> res = lemke_howson(A, B, 0)
    >>> res.x, res.y, res.converged
    (array([[1., 0.]]), array([[1., 0.]]), array([ True]))
    """
    A = positive_unit(np.asarray(A, dtype=float))
    B = positive_unit(np.asarray(B, dtype=float))
    if A.ndim != 3 or A.shape != B.shape:
        raise ValueError(f"lemke_howson: A and B must have the same shape (batch, m, n), "
                         f"got {A.shape} and {B.shape}")
    G, m, n = A.shape
    labels = np.broadcast_to(np.asarray(labels, dtype=np.int64), (G,)).copy()
    if np.any((labels < 0) | (labels >= m + n)):
        raise ValueError(f"lemke_howson: labels must lie in 0..{m + n - 1}")
    # about 2**23 tableau entries (64 MiB per tableau) per chunk at most
    step = (max(1, min(256, 2 ** 23 // (max(m, n) * (m + n + 1)))) if chunk is None
            else max(1, int(chunk)))
    x = np.zeros((G, m))
    y = np.zeros((G, n))
    pivots = np.zeros(G, dtype=np.int64)
    converged = np.zeros(G, dtype=bool)
    for side in (labels < m, labels >= m):
        idx = np.flatnonzero(side)
        for lo in range(0, idx.size, step):
            part = idx[lo:lo + step]
            x[part], y[part], pivots[part], converged[part] = _run(
                A[part], B[part], labels[part], int(max_iter))
    return LemkeHowsonResult(x, y, pivots, converged)

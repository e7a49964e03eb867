"""All extreme Nash equilibria of bimatrix games by vertex enumeration of the best-response
polytopes, degenerate games included.

Algorithm
---------
With both payoff matrices made positive (a shift of each player's payoffs, which changes no
equilibrium), the best-response polytopes are (von Stengel 2007, section 3.5)

    P = {x in R^m : x >= 0, B'x <= 1},        Q = {y in R^n : A y <= 1, y >= 0}.

A point of P has label i (i < m) when x_i = 0 and label m + j when (B'x)_j = 1; a point of Q
has label i when (A y)_i = 1 and label m + j when y_j = 0. A pair (x, y) of vertices other
than (0, 0) is *completely labelled* (every label 0..m+n-1 belongs to x or to y) exactly when
(x / 1'x, y / 1'y) is an extreme Nash equilibrium (Mangasarian 1964; Avis, Rosenberg,
Savani & von Stengel 2010). The kernel

1. lists the vertices of P and of Q with Qhull's halfspace intersection (Barber, Dobkin &
   Huhdanpaa 1996, through :class:`scipy.spatial.HalfspaceIntersection`) from an interior
   point; a polytope in one dimension is a segment and is listed directly;
2. reads every label of each vertex from all m + n constraints (not only those of the
   facet Qhull reports), re-solves the vertex on its tight constraints (least squares) to
   remove Qhull's round-off and deduplicates vertices by their label sets (a degenerate
   vertex, with more than d tight constraints, is reported by Qhull once per simplex of its
   triangulation);
3. pairs the vertices: a vertex of P with exactly m labels pairs only with the vertex of Q
   whose labels are the complement (a hash join on label sets); every pair involving a
   degenerate vertex is tested explicitly (labels of x united with labels of y cover every
   label). So every completely labelled vertex pair is found, with no silent drops in
   degenerate games.

A vertex with two or more partners lies on a continuum of equilibria (the segment between
its partners consists of equilibria), which sets ``finite`` to False for that game.

Tolerance: the kernel works on payoffs mapped by the caller to a common scale (the scalar
solver passes each player's payoffs mapped to [0, 1]); a constraint is tight when it holds
within max(tol, 1e-10) after the shift that makes payoffs lie in [1, 2].

Cost: Qhull's output-sensitive enumeration of both polytopes per game, plus linear work per
vertex and a join; games are processed one after another (Qhull handles one polytope at a
time), every step inside a game is vectorised.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import HalfspaceIntersection, QhullError

from .support_enumeration import BatchEquilibria

__all__ = ["vertex_enumeration", "polytope_vertices"]

_TIGHT = 1e-10   # floor of the tolerance for a tight constraint (payoffs in [1, 2])


def polytope_vertices(M: np.ndarray, tol: float = 1e-9) -> tuple[np.ndarray, np.ndarray]:
    """Vertices of {x in R^d : x >= 0, M'x <= 1} (M of shape (d, k), entries > 0) and their
    label masks.

    Returns
    -------
    vertices : ndarray, shape (V, d)
    labels : ndarray of bool, shape (V, d + k)
        ``labels[v, i]`` for i < d: x_i = 0; for i = d + j: (M'x)_j = 1.
    """
    d, k = M.shape
    eps = max(tol, _TIGHT)
    if d == 1:
        pts = np.array([[0.0], [1.0 / M[0].max()]])
    else:
        # halfspaces a.x + b <= 0: -x_i <= 0 and M[:, j].x - 1 <= 0
        halfspaces = np.zeros((d + k, d + 1))
        halfspaces[:d, :d] = -np.eye(d)
        halfspaces[d:, :d] = M.T
        halfspaces[d:, d] = -1.0
        interior = np.full(d, 0.5 / M.sum(axis=0).max())       # M'x <= 1/2, x > 0
        try:
            pts = HalfspaceIntersection(halfspaces, interior).intersections
        except QhullError:
            # a numerically hard polytope: joggled input, then every vertex is re-solved
            pts = HalfspaceIntersection(halfspaces, interior, qhull_options="QJ").intersections
    pts = np.where(np.abs(pts) <= eps, 0.0, pts)
    labels = np.concatenate([pts <= eps, pts @ M >= 1.0 - eps], axis=1)
    # re-solve each vertex on its tight constraints (removes Qhull's round-off)
    system = np.concatenate([np.eye(d), M.T], axis=0)             # rows: x_i, (M'x)_j
    rhs = np.concatenate([np.zeros(d), np.ones(k)])
    keys, first = np.unique(np.packbits(labels, axis=1), axis=0, return_index=True)
    del keys
    out_pts, out_lab = [], []
    for v in np.sort(first):
        rows = labels[v]
        if rows.sum() < d:
            continue                                            # not a vertex (round-off)
        sol, *_ = np.linalg.lstsq(system[rows], rhs[rows], rcond=None)
        if np.all(sol >= -eps) and np.all(sol @ M <= 1.0 + eps) and np.allclose(
                system[rows] @ sol, rhs[rows], atol=eps):
            sol = np.clip(sol, 0.0, None)
            out_pts.append(sol)
            out_lab.append(np.concatenate([sol <= eps, sol @ M >= 1.0 - eps]))
    if not out_pts:
        return np.zeros((0, d)), np.zeros((0, d + k), dtype=bool)
    pts = np.array(out_pts)
    labels = np.array(out_lab)
    _, first = np.unique(np.packbits(labels, axis=1), axis=0, return_index=True)
    first = np.sort(first)
    return pts[first], labels[first]


def _pairs(lx: np.ndarray, ly: np.ndarray, m: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices (i, j) of completely labelled pairs: lx (Vx, m+n) | ly (Vy, m+n) all True."""
    simple_x = lx.sum(axis=1) == m
    simple_y = ly.sum(axis=1) == n
    xi, yi = [], []
    # simple x with simple y: y's labels are exactly the complement of x's
    sx, sy = np.flatnonzero(simple_x), np.flatnonzero(simple_y)
    if sx.size and sy.size:
        kx = np.packbits(~lx[sx], axis=1)
        ky = np.packbits(ly[sy], axis=1)
        table = {row.tobytes(): j for row, j in zip(ky, sy)}
        for row, i in zip(kx, sx):
            j = table.get(row.tobytes())
            if j is not None:
                xi.append(i)
                yi.append(j)
    # every pair with a degenerate vertex, tested explicitly
    dx, dy = np.flatnonzero(~simple_x), np.flatnonzero(~simple_y)
    for rows_x, rows_y in ((dx, np.arange(ly.shape[0])), (sx, dy)):
        if rows_x.size == 0 or rows_y.size == 0:
            continue
        for lo in range(0, rows_x.size, 256):
            block = rows_x[lo:lo + 256]
            cover = np.all(lx[block][:, None, :] | ly[rows_y][None, :, :], axis=2)
            bi, bj = np.nonzero(cover)
            xi.extend(block[bi].tolist())
            yi.extend(rows_y[bj].tolist())
    return np.array(xi, dtype=np.intp), np.array(yi, dtype=np.intp)


def _one_game(A: np.ndarray, B: np.ndarray, tol: float):
    m, n = A.shape
    # positive payoffs in [1, 2] (per player: a shift and a positive scaling)
    def positive(P):
        low, span = P.min(), np.ptp(P)
        return 1.0 + (P - low) / (span if span > 0 else 1.0)
    Ap, Bp = positive(A), positive(B)
    xv, xl = polytope_vertices(Bp, tol)                    # P: labels i (x_i=0), m+j
    yv, yl_own = polytope_vertices(Ap.T, tol)              # Q: own labels j (y_j=0), n+i
    # Q's labels in the common numbering: i for (A y)_i = 1, m + j for y_j = 0
    yl = np.concatenate([yl_own[:, n:], yl_own[:, :n]], axis=1)
    keep_x = xv.sum(axis=1) > 0
    keep_y = yv.sum(axis=1) > 0
    xv, xl = xv[keep_x], xl[keep_x]
    yv, yl = yv[keep_y], yl[keep_y]
    xi, yi = _pairs(xl, yl, m, n)
    x = xv[xi] / xv[xi].sum(axis=1, keepdims=True)
    y = yv[yi] / yv[yi].sum(axis=1, keepdims=True)
    finite = not ((np.bincount(xi).max(initial=0) > 1) or (np.bincount(yi).max(initial=0) > 1))
    return x, y, finite


def vertex_enumeration(A, B, tol: float = 1e-9) -> BatchEquilibria:
    """Extreme Nash equilibria of a batch of bimatrix games (see the module docstring).

    Parameters
    ----------
    A, B : array_like, shape (batch, m, n)
        Row and column players' payoffs.
    tol : float
        Tolerance for tight constraints, relative to each player's payoff range (floor
        1e-10, so ``tol=0`` is accepted).

    Returns
    -------
    BatchEquilibria
        As :func:`paxgame.kernels.support_enumeration.support_enumeration`: every extreme
        equilibrium, and ``finite`` False where the equilibrium set is a continuum.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[[3., 0.], [0., 2.]]])          # battle of the sexes
    >>> B = np.array([[[2., 0.], [0., 3.]]])
    >>> res = vertex_enumeration(A, B)
    >>> res.counts
    array([3])
    >>> np.round(res.x[np.lexsort(res.x.T)], 3)
    array([[1. , 0. ],
           [0.6, 0.4],
           [0. , 1. ]])
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    if A.ndim != 3 or A.shape != B.shape:
        raise ValueError(f"vertex_enumeration: A and B must have the same shape "
                         f"(batch, m, n), got {A.shape} and {B.shape}")
    G, m, n = A.shape
    games, xs, ys, pays = [], [], [], []
    finite = np.ones(G, dtype=bool)
    for g in range(G):
        x, y, fin = _one_game(A[g], B[g], tol)
        # deterministic order: support size, then lexicographically (largest first)
        order = np.lexsort(tuple((-np.round(np.concatenate([x, y], axis=1), 12)).T[::-1]) + (
            (x > 0).sum(axis=1) + (y > 0).sum(axis=1),)) if x.shape[0] else np.zeros(0, int)
        x, y = x[order], y[order]
        games.append(np.full(x.shape[0], g))
        xs.append(x)
        ys.append(y)
        pays.append(np.stack([np.einsum("ki,ij,kj->k", x, A[g], y),
                              np.einsum("ki,ij,kj->k", x, B[g], y)], axis=1))
        finite[g] = fin
    game = np.concatenate(games) if G else np.zeros(0, dtype=int)
    counts = np.bincount(game, minlength=G)
    return BatchEquilibria(game.astype(np.intp), np.concatenate(xs).reshape(-1, m) if G else
                           np.zeros((0, m)), np.concatenate(ys).reshape(-1, n) if G else
                           np.zeros((0, n)), np.concatenate(pays).reshape(-1, 2) if G else
                           np.zeros((0, 2)), counts, finite)

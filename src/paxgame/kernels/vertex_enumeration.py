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

1. lists the vertices of P and of Q as the facets of the polar polytope (translated so that
   an interior point is the origin): Qhull's convex hull (Barber, Dobkin & Huhdanpaa 1996,
   through :class:`scipy.spatial.ConvexHull`), the route QuantEcon takes too; a polytope in
   one dimension is a segment and is listed directly;
2. reads every label of each vertex from all m + n constraints (not only those of the
   facet Qhull reports) and deduplicates the degenerate vertices (more than d tight
   constraints) by their label sets: Qhull reports one per simplex of their facet's
   triangulation;
3. pairs the vertices: a vertex of P with exactly m labels pairs only with the vertex of Q
   whose labels are the complement (a hash join on label sets); every pair involving a
   degenerate vertex is tested explicitly (labels of x united with labels of y cover every
   label). So every completely labelled vertex pair is found, with no silent drops in
   degenerate games;
4. re-solves the paired vertices on their tight constraints (removes Qhull's round-off).

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
from scipy.spatial import ConvexHull, QhullError

from .payoffs import as_bimatrix, positive_unit
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
        # polar duality (as QuantEcon does): with x = z + c 1, c small, the polytope is
        # {z : D z <= 1}, and its vertices are the facets of the convex hull of D's rows
        c = 0.5 / M.sum(axis=0).max()                            # M'(c 1) <= 1/2
        D = np.concatenate([np.eye(d) * (-1.0 / c),
                            M.T / (1.0 - c * M.sum(axis=0))[:, None]], axis=0)
        try:
            eq = ConvexHull(D).equations
        except QhullError:
            # a numerically hard polytope: joggled input; every vertex is re-solved below
            eq = ConvexHull(D, qhull_options="QJ").equations
        pts = -eq[:, :-1] / eq[:, -1:] + c
    pts = np.where(np.abs(pts) <= eps, 0.0, pts)
    labels = np.concatenate([pts <= eps, pts @ M >= 1.0 - eps], axis=1)
    count = labels.sum(axis=1)
    keep = count == d
    degenerate = np.flatnonzero(count > d)
    if degenerate.size:
        # a degenerate vertex comes once per simplex of its facet's triangulation
        _, first = np.unique(np.packbits(labels[degenerate], axis=1), axis=0,
                             return_index=True)
        keep[degenerate[first]] = True
    return pts[keep], labels[keep]


def _resolve(M: np.ndarray, pts: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Each vertex re-solved on its tight constraints (removes Qhull's round-off): a square
    solve where exactly d constraints are tight, least squares where more are."""
    d, k = M.shape
    system = np.concatenate([np.eye(d), M.T], axis=0)             # rows: x_i, (M'x)_j
    rhs = np.concatenate([np.zeros(d), np.ones(k)])
    out = pts.copy()
    count = labels.sum(axis=1)
    simple = np.flatnonzero(count == d)
    if simple.size:
        rows = np.nonzero(labels[simple])[1].reshape(simple.size, d)
        mats = system[rows]
        ok = np.abs(np.linalg.det(mats)) > 0
        if np.any(ok):
            out[simple[ok]] = np.linalg.solve(mats[ok], rhs[rows[ok]][..., None])[..., 0]
    for v in np.flatnonzero(count > d):
        rows = labels[v]
        out[v] = np.linalg.lstsq(system[rows], rhs[rows], rcond=None)[0]
    # keep Qhull's point where re-solving went wrong (a singular tight system)
    bad = ~np.all(np.isfinite(out), axis=1) | (np.abs(out - pts).max(axis=1, initial=0.0)
                                               > 1e-6)
    out[bad] = pts[bad]
    out[labels[:, :d]] = 0.0                     # tight x_i = 0: exactly zero
    return np.clip(out, 0.0, None)


def _pairs(lx: np.ndarray, ly: np.ndarray, m: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices (i, j) of completely labelled pairs: lx (Vx, m+n) | ly (Vy, m+n) all True."""
    simple_x = lx.sum(axis=1) == m
    simple_y = ly.sum(axis=1) == n
    xi, yi = [], []
    # simple x with simple y: y's labels are exactly the complement of x's
    sx, sy = np.flatnonzero(simple_x), np.flatnonzero(simple_y)
    if sx.size and sy.size and m + n <= 62:
        weights = np.int64(1) << np.arange(m + n, dtype=np.int64)
        kx = (~lx[sx]).astype(np.int64) @ weights
        ky = ly[sy].astype(np.int64) @ weights
        order = np.argsort(ky)
        pos = np.searchsorted(ky[order], kx).clip(max=ky.size - 1)
        hit = ky[order][pos] == kx
        xi.extend(sx[hit].tolist())
        yi.extend(sy[order[pos[hit]]].tolist())
    elif sx.size and sy.size:
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


def _row_shifted(P: np.ndarray) -> np.ndarray:
    """P (own actions x opponent actions: the opponent's payoffs) scaled by its range, each
    row shifted to minimum 0 (a constant row to 1). Adding a constant to the opponent's
    payoffs along an own action adds the same to all of the opponent's replies, so best
    responses and equilibria stay, and the polytope has fewer vertices than under one
    common shift (QuantEcon shifts this way too)."""
    span = np.ptp(P)
    P = P / (span if span > 0 else 1.0)
    P = P - P.min(axis=1, keepdims=True)
    P[np.all(P == 0, axis=1)] = 1.0
    return P


def _partners(A1, B1, game, xl, eps):
    """Equilibria through the non-degenerate vertices of P, one small solve per vertex.

    A vertex of P with exactly m labels has a support I and best-response set J with
    |I| = |J| = k; the only point of Q that can complete its labels has y_J solving
    A[I, J] y_J = 1 and y = 0 elsewhere, and x itself solves x_I' B[I, J] = 1 (A and B
    mapped into [1, 2]). Systems are grouped by k over the whole batch. Returns the games,
    x, y of the completely labelled pairs and a boolean per game: True where a system was
    singular (scale-invariantly: determinant below 1e-12 x Hadamard's bound), which
    happens in degenerate games only, and the game must be enumerated fully.
    """
    G, m, n = A1.shape
    support = ~xl[:, :m]
    best = xl[:, m:]
    size = support.sum(axis=1)
    singular = np.zeros(G, dtype=bool)
    out_g, out_x, out_y = [], [], []
    for k in np.unique(size):
        idx = np.flatnonzero(size == k)
        rows = np.nonzero(support[idx])[1].reshape(-1, k)
        cols = np.nonzero(best[idx])[1].reshape(-1, k)
        g = game[idx]
        gi = (g[:, None, None], rows[:, :, None], cols[:, None, :])
        Ay = A1[gi]                                              # (v, k, k)
        det = np.linalg.det(Ay)
        bound = np.prod(np.sqrt(np.einsum("vij,vij->vi", Ay, Ay)), axis=1)
        bad = ~(np.abs(det) > 1e-12 * bound)
        singular[g[bad]] = True
        good = np.flatnonzero(~bad)
        if good.size == 0:
            continue
        ysol = np.linalg.solve(Ay[good], np.ones((good.size, k, 1)))[..., 0]
        y = np.zeros((good.size, n))
        y[np.arange(good.size)[:, None], cols[good]] = ysol
        ok = np.all(ysol >= -eps, axis=1) & np.all(
            np.einsum("vij,vj->vi", A1[g[good]], y) <= 1.0 + eps, axis=1)
        good, y = good[ok], y[ok]
        if good.size == 0:
            continue
        # x of a vertex of P: its k x k system is non-singular (the vertex is simple)
        Bx = np.swapaxes(B1[g[good][:, None, None], rows[good][:, :, None],
                            cols[good][:, None, :]], 1, 2)
        xsol = np.linalg.solve(Bx, np.ones((good.size, k, 1)))[..., 0]
        x = np.zeros((good.size, m))
        x[np.arange(good.size)[:, None], rows[good]] = xsol
        out_g.append(g[good])
        out_x.append(np.clip(x, 0.0, None))
        out_y.append(np.clip(y, 0.0, None))
    if not out_g:
        return np.zeros(0, dtype=np.intp), np.zeros((0, m)), np.zeros((0, n)), singular
    return np.concatenate(out_g), np.concatenate(out_x), np.concatenate(out_y), singular


def _full(A: np.ndarray, B: np.ndarray, tol: float):
    """Every completely labelled pair of one game, both polytopes enumerated by Qhull and
    every pair with a degenerate vertex tested explicitly."""
    m, n = A.shape
    Bp, Ap = _row_shifted(B), _row_shifted(A.T)             # P from B, Q from A'
    xv, xl = polytope_vertices(Bp, tol)                     # P: labels i (x_i=0), m+j
    yv, yl_own = polytope_vertices(Ap, tol)                 # Q: own labels j (y_j=0), n+i
    keep_x, keep_y = xv.sum(axis=1) > 0, yv.sum(axis=1) > 0
    xv, xl, yv, yl_own = xv[keep_x], xl[keep_x], yv[keep_y], yl_own[keep_y]
    # Q's labels in the common numbering: i for (A y)_i = 1, m + j for y_j = 0
    yl = np.concatenate([yl_own[:, n:], yl_own[:, :n]], axis=1)
    xi, yi = _pairs(xl, yl, m, n)
    return _resolve(Bp, xv[xi], xl[xi]), _resolve(Ap, yv[yi], yl_own[yi])


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
    A, B = as_bimatrix("vertex_enumeration", A, B)
    G, m, n = A.shape
    eps = max(tol, _TIGHT)
    A1, B1 = positive_unit(A), positive_unit(B)
    # 1. the vertices of P (Qhull, one game at a time)
    games, labels = [], []
    full = np.zeros(G, dtype=bool)
    for g in range(G):
        xv, xl = polytope_vertices(_row_shifted(B[g]), tol)
        xl = xl[xv.sum(axis=1) > 0]
        if np.any(xl.sum(axis=1) > m):
            full[g] = True                       # a degenerate vertex of P
            continue
        games.append(np.full(xl.shape[0], g))
        labels.append(xl)
    # 2. partners of P's vertices by small batched solves
    if games:
        gx, xs, ys, singular = _partners(A1, B1, np.concatenate(games),
                                         np.concatenate(labels), eps)
        full |= singular
        keep = ~full[gx]
        gx, xs, ys = gx[keep], xs[keep], ys[keep]
    else:
        gx, xs, ys = np.zeros(0, dtype=np.intp), np.zeros((0, m)), np.zeros((0, n))
    # 3. degenerate games: both polytopes and every pair
    parts = [(gx, xs, ys)]
    for g in np.flatnonzero(full):
        x, y = _full(A[g], B[g], tol)
        parts.append((np.full(x.shape[0], g), x, y))
    game = np.concatenate([p[0] for p in parts]).astype(np.intp)
    x = np.concatenate([p[1] for p in parts])
    y = np.concatenate([p[2] for p in parts])
    x = x / x.sum(axis=1, keepdims=True)
    y = y / y.sum(axis=1, keepdims=True)
    # a vertex with two partners lies on a segment of equilibria: the set is infinite
    finite = np.ones(G, dtype=bool)
    for v in (x, y):
        if game.size:
            _, ids, counts = np.unique(np.concatenate([game[:, None], np.round(v, 9)],
                                                      axis=1), axis=0, return_inverse=True,
                                       return_counts=True)
            finite[game[counts[ids.ravel()] > 1]] = False
    # deterministic order: by game, support size, then lexicographically (largest first)
    keys = tuple((-np.round(np.concatenate([x, y], axis=1), 12)).T[::-1]) + (
        (x > 0).sum(axis=1) + (y > 0).sum(axis=1), game)
    order = np.lexsort(keys) if game.size else np.zeros(0, dtype=np.intp)
    game, x, y = game[order], x[order], y[order]
    pay = np.stack([np.einsum("ki,kij,kj->k", x, A[game], y),
                    np.einsum("ki,kij,kj->k", x, B[game], y)], axis=1)
    return BatchEquilibria(game, x, y, pay, np.bincount(game, minlength=G), finite)

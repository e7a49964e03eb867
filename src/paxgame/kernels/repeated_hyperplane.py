"""Hyperplane (support-function) approximations of subgame-perfect payoff sets, any N.

Judd, Yeltekin & Conklin (2003, Econometrica 71(4)): the outer approximation keeps a set
W = {x : H x <= c} described by levels c in fixed directions H and updates each level to
the support of B(W) in its direction; the inner approximation keeps a finite point set Z
and adds, per direction, the point of B(co Z) that is furthest in that direction.

With public randomisation the support of B(W) in direction h is

    max  h · Σ_a [(1−δ)∘u(a) p_a + δ∘y_a]
    s.t. y_a ∈ p_a W,  y_a >= p_a IC(a),  Σ_a p_a = 1,  p >= 0,

the perspective form of "max over profiles a and continuations x ∈ W with x >= IC(a)": the
optimum puts all weight on one profile, so this single LP per direction replaces one LP per
(direction, profile). All directions of an iteration are stacked into one block-diagonal LP
(the blocks are independent, so the sum of their optima is the optimum of the sum): one
HiGHS call per iteration.
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy import sparse
from scipy.spatial import ConvexHull, QhullError

from .lp import solve_lp
from .repeated_polygon import hull2d

__all__ = ["default_directions", "outer_iteration", "inner_iteration", "support_lp_values",
           "prune_points"]


def default_directions(n: int, count: int | None = None) -> np.ndarray:
    """Unit directions: ``count`` equally spaced angles in 2-d (default 32, always including
    the axes); in N-d the axes, the pairwise diagonals and the 2^N orthant diagonals."""
    if n == 2:
        count = 32 if count is None else int(count)
        count = max(4, count - count % 4)
        ang = 2 * np.pi * np.arange(count) / count
        h = np.column_stack([np.cos(ang), np.sin(ang)])
        h[np.abs(h) < 1e-15] = 0.0
        return h
    rows = []
    eye = np.eye(n)
    rows.extend(eye)
    rows.extend(-eye)
    for i, j in itertools.combinations(range(n), 2):
        for si, sj in itertools.product((1, -1), repeat=2):
            r = np.zeros(n)
            r[i], r[j] = si, sj
            rows.append(r / np.sqrt(2))
    for signs in itertools.product((1, -1), repeat=n):
        rows.append(np.array(signs, float) / np.sqrt(n))
    return np.array(rows)


def _ic(u, gain, delta, w):
    """Continuation lower bounds IC_i(a) = w_i + (1−δ_i)/δ_i (d_i(a) − u_i(a)), (P, N)."""
    return w[None, :] + (1 - delta) / delta * gain


def outer_iteration(u, gain, delta, directions, levels, *, tol, max_iter):
    """Iterate the outer (hyperplane) APS operator from ``levels`` (a superset's support).

    u, gain : (P, N); delta : (N,); directions : (L, N) unit rows, containing ±e_i;
    levels : (L,). Returns ``(levels, points, status, iterations, change, message)`` where
    points (L, N) are the support points of the last B(W).
    """
    u = np.asarray(u, float)
    p_count, n = u.shape
    h = np.asarray(directions, float)
    n_dir = h.shape[0]
    axis_neg = [int(np.flatnonzero(np.all(np.isclose(h, -np.eye(n)[i]), axis=1))[0])
                for i in range(n)]
    nv = n + 1  # variables per (block, profile): p and y
    nblock = n_dir * p_count
    nvar = nblock * nv
    blk = np.arange(nblock)
    base = blk * nv
    # (1) H y - c p <= 0 for every block and every direction r
    r_idx = np.arange(n_dir)
    rows1 = (blk[:, None] * n_dir + r_idx[None, :])  # (nblock, L)
    rows_y = np.repeat(rows1[:, :, None], n, axis=2)  # (nblock, L, N)
    cols_y = np.broadcast_to(base[:, None, None] + 1 + np.arange(n)[None, None, :],
                             rows_y.shape)
    data_y = np.broadcast_to(h[None, :, :], rows_y.shape)
    cols_p1 = np.broadcast_to(base[:, None], rows1.shape)
    # (2) -y_i + IC_i p <= 0
    off2 = nblock * n_dir
    rows2 = off2 + blk[:, None] * n + np.arange(n)[None, :]  # (nblock, N)
    cols2y = base[:, None] + 1 + np.arange(n)[None, :]
    cols2p = np.broadcast_to(base[:, None], rows2.shape)
    n_rows = off2 + nblock * n
    a_eq = sparse.csr_matrix(
        (np.ones(nblock), (np.repeat(np.arange(n_dir), p_count), base)),
        shape=(n_dir, nvar))
    b_eq = np.ones(n_dir)
    prof = np.tile(np.arange(p_count), n_dir)  # profile of each block
    dirs = np.repeat(np.arange(n_dir), p_count)  # direction of each block
    cost = np.zeros(nvar)
    cost[base] = -np.einsum("bn,bn->b", h[dirs], (1 - delta)[None, :] * u[prof])
    cost[(base[:, None] + 1 + np.arange(n)[None, :]).ravel()] = -(h[dirs] * delta).ravel()
    bounds = np.zeros((nvar, 2))
    bounds[:, 1] = np.inf
    ymask = np.ones(nvar, bool)
    ymask[base] = False
    bounds[ymask, 0] = -np.inf
    levels = np.asarray(levels, float).copy()
    change = np.inf
    points = np.zeros((n_dir, n))
    status, message = "not_converged", ""
    for it in range(1, max_iter + 1):
        w = -levels[axis_neg]
        ic = _ic(u, gain, delta, w)  # (P, N)
        data_p1 = -np.broadcast_to(levels[None, :], rows1.shape)
        data2p = ic[prof]
        rows = np.concatenate([rows_y.ravel(), rows1.ravel(), rows2.ravel(), rows2.ravel()])
        cols = np.concatenate([cols_y.ravel(), cols_p1.ravel(), cols2y.ravel(),
                               cols2p.ravel()])
        data = np.concatenate([data_y.ravel(), data_p1.ravel(),
                               -np.ones(rows2.size), data2p.ravel()])
        a_ub = sparse.csr_matrix((data, (rows, cols)), shape=(n_rows, nvar))
        sol = solve_lp(cost, a_ub, np.zeros(n_rows), a_eq, b_eq, bounds)
        if sol.status == "infeasible":
            return levels, points, "empty", it, change, (
                "no action profile is enforceable with continuations in the current set")
        if not sol.success:
            return levels, points, sol.status, it, change, f"LP: {sol.message}"
        x = sol.x.reshape(nblock, nv)
        gen = (1 - delta)[None, :] * u[prof] * x[:, :1] + delta[None, :] * x[:, 1:]
        points = gen.reshape(n_dir, p_count, n).sum(axis=1)
        new = np.einsum("ln,ln->l", h, points)
        change = float(np.max(np.abs(new - levels)))
        levels = np.minimum(new, levels)
        if change <= tol:
            status = "optimal"
            return levels, points, status, it, change, message
    return levels, points, status, max_iter, change, (
        f"the level change {change:.3g} is above tol after {max_iter} iterations")


def support_lp_values(u, gain, delta, directions, levels, w):
    """Support of B(W) per direction by one small LP per (direction, profile) (used to
    re-verify an outer set independently of the batched formulation). Returns (L,)."""
    u = np.asarray(u, float)
    h = np.asarray(directions, float)
    ic = _ic(u, gain, delta, w)
    out = np.full(h.shape[0], -np.inf)
    for a in range(u.shape[0]):
        bounds = [(lo, None) for lo in ic[a]]
        for ell in range(h.shape[0]):
            sol = solve_lp(-(h[ell] * delta), h, levels, bounds=bounds)
            if sol.success:
                val = float(h[ell] @ ((1 - delta) * u[a])) - sol.fun
                out[ell] = max(out[ell], val)
    return out


def prune_points(z: np.ndarray, eps: float) -> np.ndarray:
    """The extreme points of a finite point set (all unique points if it is flat)."""
    z = np.unique(z, axis=0) if len(z) else z
    if len(z) <= z.shape[1]:
        return z
    if z.shape[1] == 2:
        return hull2d(z, eps)
    try:
        return z[ConvexHull(z).vertices]
    except QhullError:
        # flat in N-d: qhull needs a full-dimensional cloud; keep every point
        return z


def inner_iteration(u, gain, delta, directions, seed, *, tol, max_iter, eps):
    """Grow a self-generating point set from ``seed`` (points whose hull is
    self-generating, e.g. pure stage-equilibrium payoffs).

    Each iteration adds, per direction, the point of B(co Z) furthest in that direction
    (punishments: the minima over Z). Since co Z ⊆ B(co Z) and B is monotone, every
    iterate stays self-generating, hence inside the SPE payoff set (APS 1990).
    Returns ``(points, status, iterations, change, message)``.
    """
    u = np.asarray(u, float)
    p_count, n = u.shape
    h = np.asarray(directions, float)
    n_dir = h.shape[0]
    z = prune_points(np.asarray(seed, float), eps)
    change = np.inf
    for it in range(1, max_iter + 1):
        k = len(z)
        w = z.min(axis=0)
        ic = _ic(u, gain, delta, w)  # (P, N)
        nvar = n_dir * p_count * k
        # variable (l, a, j) at index (l * P + a) * k + j
        gen = (1 - delta)[None, None, :] * u[:, None, :] + delta[None, None, :] * z[None, :, :]
        cost = -np.einsum("ln,ajn->laj", h, gen).ravel()
        lidx = np.repeat(np.arange(n_dir), p_count * k)
        a_eq = sparse.csr_matrix((np.ones(nvar), (lidx, np.arange(nvar))), shape=(n_dir, nvar))
        # IC rows: for (l, a, i): sum_j mu_{l,a,j} (IC_{a,i} - z_{j,i}) <= 0
        coef = ic[:, None, :] - z[None, :, :]  # (P, k, N)
        rows = (np.arange(n_dir * p_count)[:, None, None] * n
                + np.arange(n)[None, None, :]).repeat(k, axis=1)  # (LP, k, N)
        cols = np.broadcast_to(np.arange(nvar).reshape(n_dir * p_count, k)[:, :, None],
                               rows.shape)
        data = np.broadcast_to(np.tile(coef, (n_dir, 1, 1)), rows.shape)
        a_ub = sparse.csr_matrix((data.ravel(), (rows.ravel(), cols.ravel())),
                                 shape=(n_dir * p_count * n, nvar))
        sol = solve_lp(cost, a_ub, np.zeros(a_ub.shape[0]), a_eq, np.ones(n_dir), (0, None))
        if not sol.success:
            return z, sol.status, it, change, f"LP: {sol.message}"
        mu = sol.x.reshape(n_dir, p_count * k)
        new_pts = mu @ gen.reshape(p_count * k, n)
        old_support = (z @ h.T).max(axis=0)
        new_support = (new_pts * h).sum(axis=1)
        change = float(np.max(new_support - old_support))
        z = prune_points(np.vstack([z, new_pts]), eps)
        if change <= tol:
            return z, "optimal", it, change, ""
    return z, "not_converged", max_iter, change, (
        f"the support still grew by {change:.3g} after {max_iter} iterations")

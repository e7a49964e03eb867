"""Planar convex sets for two-player repeated games: hulls that accept degenerate input,
containment, Hausdorff distance, and the exact APS operator on polygons.

A convex set in the plane is stored as its vertices in counter-clockwise order: one row
(a point), two rows (a segment) or three or more (a polygon). The hull step accepts any
point cloud: collinear or coincident points give a segment or a point, never an error.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import ConvexHull, QhullError

from .payoffs import abs_scale

__all__ = ["canonical", "hull2d", "contains2d", "distance2d", "hausdorff2d", "area2d", "dimension2d",
           "clip_halfplane", "aps_step", "abreu_sannikov"]


def _scale(points: np.ndarray) -> float:
    return abs_scale(points)


def _simplify(v: np.ndarray, eps: float, *, index: bool = False) -> np.ndarray:
    """Drop vertices within eps of the segment joining their neighbours (the segment, not
    its line: a vertex beyond its neighbours is extreme and stays); ``v`` is a
    counter-clockwise polygon. Each pass drops the offending vertices no two of which are
    neighbours, so every drop is judged against neighbours that stay. With ``index`` the
    indices of the kept vertices are returned instead."""
    keep = np.arange(len(v))
    while len(keep) >= 3:
        w = v[keep]
        prev = np.concatenate((w[-1:], w[:-1]))
        ab = np.concatenate((w[1:], w[:1])) - prev
        ll = np.einsum("ij,ij->i", ab, ab)
        t = np.einsum("ij,ij->i", w - prev, ab) / np.where(ll > 0, ll, 1.0)
        t = np.clip(np.where(ll > 0, t, 0.0), 0.0, 1.0)
        dist = np.hypot(*(w - prev - t[:, None] * ab).T)
        bad = np.flatnonzero(dist <= eps)
        if not bad.size:
            break
        # an independent set of offenders: skip one whose predecessor is dropped too
        drop = [int(bad[0])]
        for j in bad[1:]:
            if j - 1 != drop[-1] and not (j == len(keep) - 1 and drop[0] == 0):
                drop.append(int(j))
        keep = np.delete(keep, drop)
    return keep if index else v[keep]


def _farthest_pair(pts: np.ndarray) -> np.ndarray:
    """The two points of a (nearly) collinear cloud that are farthest apart."""
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    k = int(np.argmax(hi - lo))
    p0, p1 = pts[np.argmin(pts[:, k])], pts[np.argmax(pts[:, k])]
    t = (pts - p0) @ (p1 - p0)
    return np.array([pts[np.argmin(t)], pts[np.argmax(t)]])


def hull2d(points, eps: float | None = None, *, simplify: bool = True) -> np.ndarray:
    """Convex hull of planar points as counter-clockwise vertices (k, 2).

    k = 0 for no points, 1 for a point, 2 for a segment, >= 3 for a polygon. A cloud whose
    hull has width at most ``eps`` (default 1e-12 × the largest coordinate) is a segment, one
    whose extent is at most ``eps`` a point: degenerate input never raises. With
    ``simplify``, vertices within ``eps`` of the segment joining their neighbours are dropped.
    """
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(pts) == 0:
        return pts
    if eps is None:
        eps = 1e-12 * _scale(pts)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    extent = float(np.max(hi - lo))
    if extent <= eps:
        return ((lo + hi) / 2)[None, :]
    if len(pts) < 3:
        return _farthest_pair(pts)
    if len(pts) <= _SMALL:
        v = _monotone_chain(pts, eps)
        if len(v) >= 3 and simplify:
            v = _simplify(v, eps)
        if len(v) == 3 and area2d(v) <= eps * extent:
            return _farthest_pair(v)
        return v if len(v) != 2 else _farthest_pair(v)
    try:
        hull = ConvexHull(pts)
    except QhullError:
        # qhull refuses flat input ("initial simplex is flat"): the hull is a segment
        return _farthest_pair(pts)
    v = pts[hull.vertices]  # counter-clockwise for 2-d input
    # a hull thinner than eps is a segment (area <= eps x its length)
    if hull.volume <= eps * extent:
        return _farthest_pair(v)
    if simplify:
        v = _simplify(v, eps)
        if len(v) < 3:
            return _farthest_pair(v)
    return v


#: Point clouds up to this size are hulled by a plain monotone chain (cheaper than qhull's
#: set-up for the few dozen points an APS step produces).
_SMALL = 64


def _monotone_chain(pts: np.ndarray, eps: float) -> np.ndarray:
    """Andrew's monotone chain (counter-clockwise, collinear points dropped within eps)."""
    order = np.lexsort((pts[:, 1], pts[:, 0]))
    p = pts[order].tolist()

    def half(seq):
        out = []
        for x, y in seq:
            while len(out) >= 2:
                (ax, ay), (bx, by) = out[-2], out[-1]
                # drop b unless a -> b -> (x, y) turns strictly left (exact sign: a
                # tolerance here could drop a true vertex; _simplify applies eps after)
                if (bx - ax) * (y - ay) - (by - ay) * (x - ax) <= 0:
                    out.pop()
                else:
                    break
            out.append((x, y))
        return out

    lower = half(p)
    upper = half(reversed(p))
    hull = lower[:-1] + upper[:-1]
    if len(hull) < 3:
        return _farthest_pair(pts)
    return np.array(hull)


def dimension2d(v: np.ndarray) -> int:
    """0 (point), 1 (segment) or 2 (polygon); -1 for the empty set."""
    return min(len(v), 3) - 1


def area2d(v: np.ndarray) -> float:
    """Area of a counter-clockwise polygon (0 for points and segments)."""
    if len(v) < 3:
        return 0.0
    x, y = v[:, 0], v[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) + x[-1] * y[0] - np.dot(y[:-1], x[1:])
                       - y[-1] * x[0])


def _segment_distance(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance of points p (n, 2) to segments a->b (k, 2): shape (n, k)."""
    ab = b - a
    ll = np.einsum("ij,ij->i", ab, ab)
    ap = p[:, None, :] - a[None, :, :]
    t = np.einsum("nkj,kj->nk", ap, ab) / np.where(ll > 0, ll, 1.0)
    t = np.clip(np.where(ll > 0, t, 0.0), 0.0, 1.0)
    closest = a[None] + t[..., None] * ab[None]
    return np.hypot(*(p[:, None, :] - closest).transpose(2, 0, 1))


def distance2d(points, v: np.ndarray) -> np.ndarray:
    """Euclidean distance of each point (n, 2) to the convex set with vertices v."""
    p = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(v) == 0:
        return np.full(len(p), np.inf)
    if len(v) == 1:
        return np.hypot(*(p - v[0]).T)
    a, b = v, np.concatenate((v[1:], v[:1]))
    dist = _segment_distance(p, a, b).min(axis=1)
    if len(v) >= 3:
        e = b - a
        cross = e[None, :, 0] * (p[:, None, 1] - a[None, :, 1]) - \
            e[None, :, 1] * (p[:, None, 0] - a[None, :, 0])
        inside = np.all(cross >= 0, axis=1)
        dist = np.where(inside, 0.0, dist)
    return dist


def contains2d(points, v: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """True for points within ``tol`` of the convex set with vertices v."""
    return distance2d(points, v) <= tol


def hausdorff2d(v1: np.ndarray, v2: np.ndarray) -> float:
    """Hausdorff distance of two planar convex sets given by their vertices (attained at
    vertices, since the distance to a convex set is a convex function)."""
    if len(v1) == 0 or len(v2) == 0:
        return 0.0 if len(v1) == len(v2) else np.inf
    return float(max(distance2d(v1, v2).max(), distance2d(v2, v1).max()))


def clip_halfplane(v: np.ndarray, normal: np.ndarray, level: float, eps: float = 0.0
                   ) -> np.ndarray:
    """Intersection of a convex set (vertices v) with {x : normal·x <= level}."""
    if len(v) == 0:
        return v
    s = v @ normal - level
    if np.all(s <= eps):
        return v
    if np.all(s > eps):
        return v[:0]
    if len(v) == 1:
        return v
    out = []
    k = len(v)
    edges = range(k) if k >= 3 else range(1)
    if k == 2:
        a, b = v
        sa, sb = s
        pts = [p for p, sp in ((a, sa), (b, sb)) if sp <= eps]
        if (sa > eps) != (sb > eps):
            t = sa / (sa - sb)
            pts.append(a + t * (b - a))
        return hull2d(np.array(pts))
    for j in edges:
        a, b = v[j], v[(j + 1) % k]
        sa, sb = s[j], s[(j + 1) % k]
        if sa <= eps:
            out.append(a)
        if (sa > eps) != (sb > eps):
            t = sa / (sa - sb)
            out.append(a + t * (b - a))
    return hull2d(np.array(out))


def _continuations(v: np.ndarray, ic: np.ndarray, eps: float, *, meta: bool = False):
    """Extreme points of W ∩ {x >= ic[a]} for every action profile a.

    W has vertices v (k, 2) in counter-clockwise order; ic is (P, 2). These are the
    vertices of W inside the quadrant, the points where W's boundary crosses the lines
    x_c = ic[a, c] inside the quadrant, and the corner ic[a] when it lies in W. Returns
    (points (M, 2), owner (M,)) with owner[m] the profile whose quadrant holds the point;
    with ``meta`` also (kind (M,), index (M,), coord (M,)): kind 0 is vertex ``index`` of
    W, kind 1 the corner ic[owner], kind 2 the crossing of edge ``index`` (from vertex
    ``index`` to the next) with the line x_coord = ic[owner, coord].
    """
    k = len(v)
    ok = (v[None, :, 0] >= ic[:, None, 0] - eps) & (v[None, :, 1] >= ic[:, None, 1] - eps)
    a_idx, j_idx = np.nonzero(ok)
    pts = [v[j_idx]]
    own = [a_idx]
    kind = [np.zeros(len(a_idx), np.intp)]
    index = [j_idx]
    coord = [np.zeros(len(a_idx), np.intp)]
    if k == 1:
        out = (pts[0], own[0])
        return out + (kind[0], index[0], coord[0]) if meta else out
    a1 = np.concatenate((v[1:], v[:1])) if k >= 3 else v[::-1]
    e = a1 - v  # edge vectors (k, 2)
    if k >= 3:
        cross = e[None, :, 0] * (ic[:, None, 1] - v[None, :, 1]) - \
            e[None, :, 1] * (ic[:, None, 0] - v[None, :, 0])
        length = np.hypot(e[:, 0], e[:, 1])
        inside = (cross >= -eps * length[None, :]).all(axis=1)
    else:
        inside = distance2d(ic, v) <= eps
    corner = np.flatnonzero(inside)
    pts.append(ic[inside])
    own.append(corner)
    kind.append(np.ones(len(corner), np.intp))
    index.append(np.zeros(len(corner), np.intp))
    coord.append(np.zeros(len(corner), np.intp))
    # boundary crossings of the lines x_c = ic[a, c], both c at once: t (P, k, 2) is the
    # edge parameter where edge j meets line c, ``other`` the other coordinate there
    safe = e != 0
    t = (ic[:, None, :] - v[None, :, :]) / np.where(safe, e, 1.0)[None, :, :]
    other = v[None, :, ::-1] + t * e[None, :, ::-1]
    valid = safe[None] & (t >= 0) & (t <= 1) & (other >= ic[:, None, ::-1] - eps)
    ai, ji, ci = np.nonzero(valid)
    if len(ai):
        q = np.empty((len(ai), 2))
        rows = np.arange(len(ai))
        q[rows, ci] = ic[ai, ci]
        q[rows, 1 - ci] = other[ai, ji, ci]
        pts.append(q)
        own.append(ai)
        kind.append(np.full(len(ai), 2, np.intp))
        index.append(ji)
        coord.append(ci)
    out = (np.concatenate(pts), np.concatenate(own))
    if meta:
        out += (np.concatenate(kind), np.concatenate(index), np.concatenate(coord))
    return out


def canonical(v: np.ndarray) -> np.ndarray:
    """Rotate a counter-clockwise vertex list to start at its lowest-leftmost vertex."""
    if len(v) < 2:
        return v
    scale = abs_scale(v)
    r = np.round(v / (1e-9 * scale))
    j = int(np.lexsort((r[:, 0], r[:, 1]))[0])
    return v if j == 0 else np.concatenate([v[j:], v[:j]])


def aps_step(v: np.ndarray, u: np.ndarray, gain: np.ndarray, delta: np.ndarray,
             eps: float, *, simplify: bool = True) -> np.ndarray:
    """One application of the APS operator B to the planar convex set with vertices v.

    u : (P, 2) stage payoffs of every pure profile; gain : (P, 2) deviation gains
    d_i(a) − u_i(a); delta : (2,). The punishments are the set's own minima
    w_i = min over W of x_i. Returns the counter-clockwise vertices of
    B(W) = co{(1−δ)u(a) + δx : x ∈ W, x_i >= w_i + (1−δ_i)/δ_i (d_i(a) − u_i(a))} (empty
    when no profile is enforceable).
    """
    w = v.min(axis=0)
    ic = w[None, :] + (1 - delta) / delta * gain
    x, owner = _continuations(v, ic, eps)
    if len(x) == 0:
        return x
    gen = (1 - delta) * u[owner] + delta * x
    return canonical(hull2d(gen, eps, simplify=simplify))


def self_generation_gap(v: np.ndarray, u: np.ndarray, gain: np.ndarray,
                        delta: np.ndarray, tol: float = 0.0) -> float:
    """The largest violation of APS self-generation over the vertices of the convex set v:
    for each vertex, the best profile's max(distance of its continuation to the set,
    incentive shortfall); 0 when every vertex is generated by the set itself. Points
    within ``tol`` of the set count as inside (distances are computed only for vertices
    that have no such continuation)."""
    w = v.min(axis=0)
    ic = w[None, :] + (1 - delta) / delta * gain  # (P, 2)
    x = (v[:, None, :] - (1 - delta) * u[None, :, :]) / delta  # (k, P, 2)
    short = np.max(ic[None, :, :] - x, axis=2).clip(min=0)  # (k, P)
    k = len(v)
    if k >= 3:
        e = v[np.r_[1:k, 0]] - v
        length = np.hypot(e[:, 0], e[:, 1])
        cross = (e[None, None, :, 0] * (x[:, :, None, 1] - v[None, None, :, 1])
                 - e[None, None, :, 1] * (x[:, :, None, 0] - v[None, None, :, 0]))
        inside = np.all(cross >= -tol * length[None, None, :], axis=2)
        best = np.where(inside, short, np.inf).min(axis=1)  # (k,)
    else:
        best = np.full(k, np.inf)
    todo = np.flatnonzero(best > tol)
    for j in todo:
        dist = distance2d(x[j], v)
        best[j] = float(np.min(np.maximum(dist, short[j])))
    return float(best.max()) if k else 0.0


def _rotation(v: np.ndarray) -> int:
    """The index at which :func:`canonical` starts the vertex list."""
    if len(v) < 2:
        return 0
    scale = abs_scale(v)
    r = np.round(v / (1e-9 * scale))
    return int(np.lexsort((r[:, 0], r[:, 1]))[0])


def _akl_toussaint(pts: np.ndarray) -> np.ndarray:
    """Indices of the points not strictly inside the octagon of the extreme points in the
    directions x, y, x + y, x − y (Akl & Toussaint 1978): no hull vertex is dropped."""
    if len(pts) <= 48:
        return np.arange(len(pts))
    x, y = pts[:, 0], pts[:, 1]
    ext = np.unique(np.array([np.argmin(x), np.argmin(x + y), np.argmin(y), np.argmax(x - y),
                              np.argmax(x), np.argmax(x + y), np.argmax(y),
                              np.argmin(x - y)]))
    poly = pts[ext]
    c = poly.mean(axis=0)
    ang = np.arctan2(poly[:, 1] - c[1], poly[:, 0] - c[0])
    poly = poly[np.argsort(ang)]
    if len(poly) < 3:
        return np.arange(len(pts))
    e = np.concatenate((poly[1:], poly[:1])) - poly
    cross = e[None, :, 0] * (y[:, None] - poly[None, :, 1]) - \
        e[None, :, 1] * (x[:, None] - poly[None, :, 0])
    inside = np.all(cross > 0, axis=1)
    return np.flatnonzero(~inside)


def _hull_index(pts: np.ndarray) -> np.ndarray | None:
    """Counter-clockwise indices of the strict convex hull of ``pts`` (collinear points
    dropped), or None when the hull is degenerate (fewer than three vertices)."""
    cand = _akl_toussaint(pts)
    if len(cand) < len(pts):
        sub = _hull_index(pts[cand])
        return None if sub is None else cand[sub]
    if len(pts) > _SMALL:
        try:
            hull = ConvexHull(pts)
        except QhullError:
            return None
        return hull.vertices
    order = np.lexsort((pts[:, 1], pts[:, 0]))
    p = pts.tolist()

    def half(seq):
        out = []
        for j in seq:
            x, y = p[j]
            while len(out) >= 2:
                (ax, ay), (bx, by) = p[out[-2]], p[out[-1]]
                if (bx - ax) * (y - ay) - (by - ay) * (x - ax) <= 0:
                    out.pop()
                else:
                    break
            out.append(j)
        return out

    hull = half(order)[:-1] + half(order[::-1])[:-1]
    return np.array(hull) if len(hull) >= 3 else None


def _aps_step_traced(v, u, gain, delta, eps, merge=0.0):
    """:func:`aps_step` (no simplification) that also says how each vertex of B(W) was
    generated: returns (vertices, signature, enforceable profiles) where the signature is
    (profile, kind, index, coord, argmin) per :func:`_continuations` plus the indices of
    W's vertices holding its minima; profiles index ``u``."""
    mins = np.argmin(v, axis=0)
    w = v[mins, [0, 1]]
    ic = w[None, :] + (1 - delta) / delta * gain
    x, owner, kind, index, coord = _continuations(v, ic, eps, meta=True)
    if len(x) == 0:
        return x, None, owner
    gen = (1 - delta) * u[owner] + delta * x
    pick = _hull_index(gen)
    if pick is not None:
        pick = pick[_simplify(gen[pick], max(eps, merge), index=True)]
    if pick is None or len(pick) < 3 or area2d(gen[pick]) <= eps * float(np.ptp(gen)):
        # a degenerate hull (point or segment): hull2d's careful path, rows matched back
        hv = hull2d(gen, max(eps, merge), simplify=True)
        pick = np.argmin(np.abs(gen[None, :, :] - hv[:, None, :]).sum(axis=2), axis=1)
    hv = gen[pick]
    j = _rotation(hv)
    pick = np.concatenate((pick[j:], pick[:j]))
    sig = (owner[pick], kind[pick], index[pick], coord[pick], mins)
    used = np.zeros(len(u), bool)
    used[owner] = True
    return gen[pick], sig, np.flatnonzero(used)


def _same_signature(a, b) -> bool:
    return (a is not None and b is not None and len(a[0]) == len(b[0])
            and all(np.array_equal(x, y) for x, y in zip(a, b)))


def _reduced_map(z, u_sig, ic_off, kind, index, coord, mins, delta):
    """The APS operator restricted to a settled vertex structure: vertex r of B(W) is
    (1 − δ)u(a_r) + δ x_r(W), x_r a vertex of W, the corner w + ic_off_r, or the crossing
    of edge index_r with the line x_c = w_c + ic_off_r,c. ``z`` (B, k, 2) stacks vertex
    arrays; returns (B, k, 2)."""
    k = z.shape[1]
    w = np.stack([z[:, mins[0], 0], z[:, mins[1], 1]], axis=1)  # (B, 2)
    ic = w[:, None, :] + ic_off[None]  # (B, k, 2)
    a = z[:, index]
    b = z[:, (index + 1) % k]
    r = np.arange(k)
    c, o = coord, 1 - coord
    ac, bc = a[:, r, c], b[:, r, c]
    den = bc - ac
    t = (ic[:, r, c] - ac) / np.where(den != 0, den, 1.0)
    cross = np.empty_like(z)
    cross[:, r, c] = ic[:, r, c]
    cross[:, r, o] = a[:, r, o] + t * (b[:, r, o] - a[:, r, o])
    x = np.where((kind == 0)[None, :, None], a, np.where((kind == 1)[None, :, None], ic, cross))
    return (1 - delta) * u_sig[None] + delta * x


def _settled_fixed_point(v, sig, u, gain, delta, max_steps: int = 12):
    """Newton's method on W = F(W), F the APS operator restricted to the settled vertex
    structure ``sig`` (see :func:`_reduced_map`), from the iterate ``v``. Returns the
    vertices (k, 2) or None when Newton does not converge."""
    owner, kind, index, coord, mins = sig
    k = len(v)
    u_sig = u[owner]
    ic_off = (1 - delta) / delta * gain[owner]
    scale = _scale(v)
    h = 1e-7 * scale
    n = 2 * k
    z = v.copy()
    pert = np.zeros((n + 1, k, 2))
    pert[1:].reshape(n, n)[np.arange(n), np.arange(n)] = h
    for _ in range(max_steps):
        f = _reduced_map(z[None] + pert, u_sig, ic_off, kind, index, coord, mins, delta)
        g = (f[0] - z).reshape(-1)
        if not np.all(np.isfinite(f)):
            return None
        if float(np.max(np.abs(g))) <= 8 * np.finfo(float).eps * scale:
            return z
        jac = ((f[1:] - f[0]).reshape(n, n).T) / h - np.eye(n)
        try:
            step = np.linalg.solve(jac, -g)
        except np.linalg.LinAlgError:
            return None
        z = z + step.reshape(k, 2)
    f = _reduced_map(z[None], u_sig, ic_off, kind, index, coord, mins, delta)[0]
    return z if float(np.max(np.abs(f - z))) <= 64 * np.finfo(float).eps * scale else None


#: Vertices of an iterate within this fraction of the last change of the segment joining
#: their neighbours are merged (a chain of vertices converging to one vertex of the limit
#: would otherwise keep the vertex structure from settling).
MERGE = 1e-3


def aps_eps(delta) -> float:
    """The geometric tolerance of the APS operator on payoffs in units of each player's
    scale: 1e-12, shrinking with 1 − δ below δ = 0.999 (the incentive offsets
    (1 − δ)/δ × gain shrink with 1 − δ, so must the tolerance that compares against
    them), never below 1e-15."""
    return max(1e-15, 1e-12 * min(1.0, 1e3 * float(1 - np.max(delta))))


def stop_tolerance(tol: float, delta: np.ndarray, scale: float = 1.0) -> float:
    """The Hausdorff change between iterates at which the APS iteration stops: ``tol`` ×
    (1 − δ)/δ (the contraction bound then puts the limit within ``tol``), but never below
    64 machine epsilons × the payoff scale (an iterate that moves less is a fixed point in
    floating point)."""
    dmax = float(np.max(delta))
    return max(tol * (1 - dmax) / dmax, 64 * np.finfo(float).eps * scale)


def abreu_sannikov(u: np.ndarray, gain: np.ndarray, delta: np.ndarray, start: np.ndarray,
                   *, tol: float, max_iter: int, eps: float, check: float | None = None):
    """Iterate the APS operator from the convex set ``start`` (a superset of the SPE payoff
    set) until successive sets are within Hausdorff distance :func:`stop_tolerance`.

    The iterates decrease (B is monotone and the start contains its image), so the
    Hausdorff distance of W_n and W_{n+1} is the largest distance of W_n's vertices to
    W_{n+1}; when the vertex lists match one to one their largest coordinate difference
    bounds it and is used instead. A profile that no continuation in W_n enforces is
    enforced by none in the smaller later iterates and is dropped.

    Settled structure (Abreu & Sannikov 2014, section 5: near the fixed point each vertex
    is generated by the same profile from the same kind of continuation): once two
    successive steps generate their vertices the same way, the vertex equations
    W = F(W) of that structure are solved by Newton's method. The solution W* is accepted
    only if the full operator maps it onto itself (Hausdorff distance of B(W*) and W* at
    most the stopping tolerance: the APS check, so W* is self-generating, W* ⊆ V), it lies
    in the current iterate W_n (which contains V) and W_n is within the contraction bound
    δ/(1 − δ) × last change of it (W* is the limit the iteration is heading to).

    Before an answer is labelled "optimal" the full operator is applied to it once more:
    when B(W) and W differ by more than ``check`` (default the stopping tolerance) the
    status is "uncertified" (a Newton solution has passed this check already).

    Returns ``(vertices, status, iterations, last_change)``; status is "optimal",
    "uncertified", "not_converged" or "empty".
    """
    v = canonical(start)
    # a profile whose incentive corner lies beyond W's bounding box has no continuation
    # in W (nor in the smaller iterates): drop it before the first step
    ic0 = v.min(axis=0)[None, :] + (1 - delta) / delta * gain
    active = np.flatnonzero(np.all(ic0 <= v.max(axis=0)[None, :] + eps, axis=1))
    scale = _scale(v)
    stop = stop_tolerance(tol, delta, scale)
    resolution = max(eps, stop)
    change = np.inf
    prev_sig = failed = None
    next_try = 2
    dmax = float(np.max(delta))
    merged = 0.0  # the sum of merge tolerances: how far an iterate may lie inside V
    for it in range(1, max_iter + 1):
        merge = 0.0 if change == np.inf else MERGE * change
        merged += merge
        new, sig, enforce = _aps_step_traced(v, u[active], gain[active], delta, eps, merge)
        if len(new) == 0:
            return new, "empty", it, change
        # the signature refers to the active profiles: map to the full list
        sig = (active[sig[0]],) + sig[1:]
        active = active[enforce]
        if new.shape == v.shape:
            change = float(np.max(np.abs(new - v)))
            if stop < change <= 1e3 * stop:
                change = min(change, float(distance2d(v, new).max()))
        else:
            change = float(distance2d(v, new).max())
        old, v = v, new
        if change <= stop:
            out = canonical(hull2d(v, resolution, simplify=True))
            image = aps_step(out, u[active], gain[active], delta, eps, simplify=False)
            gap = hausdorff2d(image, out) if len(image) else np.inf
            limit = stop if check is None else max(check, stop)
            return out, ("optimal" if gap <= limit else "uncertified"), it, change
        if (len(v) >= 3 and old.shape == v.shape and not _same_signature(sig, failed)
                and (it >= next_try or _same_signature(sig, prev_sig))):
            star = _settled_fixed_point(v, sig, u, gain, delta)
            ok = None if star is None else _accept(star, v, u[active], gain[active], delta,
                                                   eps, stop, dmax / (1 - dmax) * change,
                                                   merged)
            if ok is not None:
                out = hull2d(ok[0], resolution, simplify=True)
                return canonical(out), "optimal", it, ok[1]
            failed = sig
            next_try = it + 2
        prev_sig = sig
    return canonical(hull2d(v, eps)), "not_converged", max_iter, change


def _accept(star, v, u, gain, delta, eps, stop, bound, merged):
    """The checks of a settled-structure solution ``star`` against the iterate ``v``;
    returns (the convex hull of ``star``, the Hausdorff distance of its image under B) or
    None. Vertices of the structure that meet in the limit merge in the hull."""
    star = canonical(hull2d(star, max(eps, stop), simplify=True))
    if len(star) < 3:
        return None
    if float(distance2d(star, v).max()) > stop + merged:
        return None
    if float(distance2d(v, star).max()) > max(stop, 10 * bound):
        return None
    image = aps_step(star, u, gain, delta, eps, simplify=False)
    if len(image) == 0:
        return None
    gap = hausdorff2d(image, star)
    return (star, gap) if gap <= stop else None

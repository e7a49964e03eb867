"""Planar convex sets for two-player repeated games: hulls that accept degenerate input,
containment, Hausdorff distance, and the exact APS operator on polygons.

A convex set in the plane is stored as its vertices in counter-clockwise order: one row
(a point), two rows (a segment) or three or more (a polygon). The hull step accepts any
point cloud: collinear or coincident points give a segment or a point, never an error.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import ConvexHull, QhullError

__all__ = ["hull2d", "contains2d", "distance2d", "hausdorff2d", "area2d", "dimension2d",
           "clip_halfplane", "aps_step", "abreu_sannikov"]


def _scale(points: np.ndarray) -> float:
    s = float(np.max(np.abs(points))) if points.size else 1.0
    return s if s > 0 else 1.0


def _simplify(v: np.ndarray, eps: float) -> np.ndarray:
    """Drop vertices within eps of the segment joining their neighbours (the segment, not
    its line: a vertex beyond its neighbours is extreme and stays), one at a time; ``v`` is
    a counter-clockwise polygon."""
    while len(v) >= 3:
        prev = np.roll(v, 1, axis=0)
        nxt = np.roll(v, -1, axis=0)
        ab = nxt - prev
        ll = np.einsum("ij,ij->i", ab, ab)
        t = np.einsum("ij,ij->i", v - prev, ab) / np.where(ll > 0, ll, 1.0)
        t = np.clip(np.where(ll > 0, t, 0.0), 0.0, 1.0)
        dist = np.hypot(*(v - prev - t[:, None] * ab).T)
        bad = np.flatnonzero(dist <= eps)
        if not bad.size:
            break
        v = np.delete(v, bad[0], axis=0)
    return v


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
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


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
    a, b = v, np.roll(v, -1, axis=0)
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


def _continuations(v: np.ndarray, ic: np.ndarray, eps: float):
    """Extreme points of W ∩ {x >= ic[a]} for every action profile a.

    W has vertices v (k, 2) in counter-clockwise order; ic is (P, 2). These are the
    vertices of W inside the quadrant, the points where W's boundary crosses the lines
    x_c = ic[a, c] inside the quadrant, and the corner ic[a] when it lies in W. Returns
    (points (M, 2), owner (M,)) with owner[m] the profile whose quadrant holds the point.
    """
    k = len(v)
    ok = (v[None, :, 0] >= ic[:, None, 0] - eps) & (v[None, :, 1] >= ic[:, None, 1] - eps)
    a_idx, j_idx = np.nonzero(ok)
    pts = [v[j_idx]]
    own = [a_idx]
    if k == 1:
        return pts[0], own[0]
    a1 = v[np.r_[1:k, 0]] if k >= 3 else v[::-1]
    e = a1 - v  # edge vectors (k, 2)
    if k >= 3:
        cross = e[None, :, 0] * (ic[:, None, 1] - v[None, :, 1]) - \
            e[None, :, 1] * (ic[:, None, 0] - v[None, :, 0])
        length = np.hypot(e[:, 0], e[:, 1])
        inside = np.all(cross >= -eps * length[None, :], axis=1)
    else:
        inside = distance2d(ic, v) <= eps
    pts.append(ic[inside])
    own.append(np.flatnonzero(inside))
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
    return np.concatenate(pts), np.concatenate(own)


def _canonical(v: np.ndarray) -> np.ndarray:
    """Rotate a counter-clockwise vertex list to start at its lowest-leftmost vertex."""
    if len(v) < 2:
        return v
    scale = float(np.max(np.abs(v))) or 1.0
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
    return _canonical(hull2d(gen, eps, simplify=simplify))


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


def _extrapolate(h0: np.ndarray, h1: np.ndarray, h2: np.ndarray) -> np.ndarray:
    """Aitken's Δ² extrapolation of three iterates with matching vertices, coordinate by
    coordinate (coordinates that do not move geometrically are left as they are)."""
    d1, d2 = h1 - h0, h2 - h1
    den = d2 - d1
    ok = (np.abs(den) > 1e-300) & (d1 * d2 > 0) & (np.abs(d2) < np.abs(d1))
    return np.where(ok, h2 - d2 * d2 / np.where(ok, den, 1.0), h2)


def _geometric(changes: list[float]) -> bool:
    """Whether the last three changes shrink at a steady ratio (within 5%)."""
    if len(changes) < 3 or not changes[-3] > changes[-2] > changes[-1] > 0:
        return False
    r1, r2 = changes[-2] / changes[-3], changes[-1] / changes[-2]
    return abs(r2 - r1) <= 0.05 * r2


def abreu_sannikov(u: np.ndarray, gain: np.ndarray, delta: np.ndarray, start: np.ndarray,
                   *, tol: float, max_iter: int, eps: float):
    """Iterate the APS operator from the convex set ``start`` (a superset of the SPE payoff
    set) until successive sets are within Hausdorff distance ``tol``.

    The iterates decrease (B is monotone and the start contains its image), so the
    Hausdorff distance of W_n and W_{n+1} is the largest distance of W_n's vertices to
    W_{n+1}; when the vertex lists match one to one their largest coordinate difference
    bounds it and is used instead.

    Acceleration: once three successive iterates have matching vertices, Aitken's Δ²
    extrapolation proposes a limit W*. It is accepted only if it is a fixed point of B to
    within ``tol`` (vertex by vertex), self-generating to within ``tol`` (hence inside the
    SPE payoff set, by APS) and inside the current iterate W_n (which contains the SPE
    payoff set): then W* ⊆ V ⊆ W_n up to ``tol``.

    Returns ``(vertices, status, iterations, last_change)``; status is "optimal",
    "not_converged" or "empty".
    """
    v = _canonical(start)
    change = np.inf
    hist: list[np.ndarray] = []
    changes: list[float] = []
    next_try = 0
    for it in range(1, max_iter + 1):
        new = aps_step(v, u, gain, delta, eps, simplify=False)
        if len(new) == 0:
            return new, "empty", it, change
        if new.shape == v.shape:
            change = float(np.max(np.abs(new - v)))
            if tol < change <= 1e3 * tol:
                change = min(change, float(distance2d(v, new).max()))
        else:
            change = float(distance2d(v, new).max())
        v = new
        if change <= tol:
            # the iterate is within about tol / (1 - δ) of the limit: features thinner than
            # that (a sliver around a segment, a near-duplicate vertex) are not resolved
            resolution = max(eps, 10 * tol / (1 - float(np.max(delta))))
            out = hull2d(v, resolution, simplify=True)
            return _canonical(out), "optimal", it, change
        hist = hist[-4:] + [v] if hist and hist[-1].shape == v.shape else [v]
        changes = changes[-2:] + [change]
        if len(hist) >= 3 and len(v) >= 3 and it >= next_try and _geometric(changes):
            # Aitken on the last three iterates, and on three Aitken values once five
            # iterates match (removes the next geometric mode too)
            first = _extrapolate(*hist[-3:])
            if len(hist) == 5:
                a0, a1 = _extrapolate(*hist[0:3]), _extrapolate(*hist[1:4])
                second = _extrapolate(a0, a1, first)
                if np.all(np.isfinite(second)):
                    first = second
            # vertices converging to one point merge in the limit: simplify first
            star = hull2d(first, max(eps, tol), simplify=True)
            if float(distance2d(star, v).max()) <= tol:
                image = aps_step(star, u, gain, delta, eps, simplify=False)
                gap = hausdorff2d(image, star) if len(image) else np.inf
                if gap <= tol and self_generation_gap(star, u, gain, delta, tol) <= tol:
                    return _canonical(star), "optimal", it, gap
            next_try = it + 2
    return _canonical(hull2d(v, eps)), "not_converged", max_iter, change

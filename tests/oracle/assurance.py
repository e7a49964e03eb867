"""Brute-force minimum credible assurance (grid plus bisection) on the oracle's model.

Search spaces are "axes": each axis is a list of (partner, instrument) cells that share one
level t (all other cells are 0). One axis: the level of one partner (or a common level for
several); two axes: two instruments of one partner, or one instrument of two partners.

Objective (lexicographic): (1) net cost sum kappa_j y[i, j] / (1 - delta), kappa = carry -
coproduction; (2) commitment sum y[i, j] / s_j, s_j = cap_j if finite else 1.

Statuses: "optimal" (with ``y``, ``cost``, ``commitment``), "not_constructible" (no point of
the grid meets the target in the box; an infinite cap is replaced by ``bound``),
"unbounded" (an uncapped axis with negative net cost whose level ``big`` still meets the
target, named by ``axis``).  Resolution: a boundary point is located to ``xtol`` times the
box side by bisection; a minimum at a kink of a 2-D boundary is found by intersecting the
two boundary lines fitted on either side of the best grid sample.
"""

import math

import numpy as np

from .revocation import sizes, solve

BOUND = 60.0
BIG = 1000.0
#: Relative resolution of a located boundary (bisection plus the tie band of the model).
RES = 1e-7


def target_met(d, y, target):
    """The target on the selected equilibrium at the full set (False without one)."""
    res = solve(d, y)
    if res["status"] != "optimal":
        return False
    if not res["stay"].all():
        return False
    if target == "continuity":
        return bool(res["maintain"].all())
    if target != "participation":
        raise ValueError(f"target_met: unknown target {target!r}")
    return True


class Problem:
    def __init__(self, d, target, axes, bound=BOUND, big=BIG, xtol=1e-9):
        self.d, self.target, self.axes = d, target, [list(a) for a in axes]
        n, K, J = sizes(d)
        self.shape = (n, J)
        delta = d["delta"]
        kappa = d["c"] - d["p"]
        scap = np.where(np.isfinite(d["cap"]), d["cap"], 1.0)
        self.k = [sum(kappa[j] for _, j in a) / (1 - delta) for a in self.axes]
        self.m = [sum(1.0 / scap[j] if scap[j] > 0 else 0.0 for _, j in a) for a in self.axes]
        self.cap = [min(d["cap"][j] for _, j in a) for a in self.axes]
        self.hi = [c if math.isfinite(c) else bound for c in self.cap]
        self.big, self.xtol = big, xtol
        self.cache = {}
        self.solves = 0

    def y(self, t):
        y = np.zeros(self.shape)
        for a, ta in zip(self.axes, t):
            for i, j in a:
                y[i, j] = ta
        return y

    def met(self, t):
        key = tuple(float(x) for x in t)
        if key not in self.cache:
            self.solves += 1
            self.cache[key] = target_met(self.d, self.y(t), self.target)
        return self.cache[key]

    def obj(self, t):
        return (sum(k * x for k, x in zip(self.k, t)), sum(m * x for m, x in zip(self.m, t)))

    def ctol(self, cost):
        # oracle resolution: bisection error on each axis times its unit cost
        res = sum(abs(k) * max(1.0, h) for k, h in zip(self.k, self.hi)) * RES
        return 1e-9 * max(1.0, abs(cost)) + 1e-12 + res

    def better(self, a, b):
        """Objective pair a lexicographically better than b (with the oracle's tolerance)."""
        if b is None:
            return True
        if a[0] < b[0] - self.ctol(b[0]):
            return True
        if a[0] > b[0] + self.ctol(b[0]):
            return False
        mres = sum(abs(m) * max(1.0, h) for m, h in zip(self.m, self.hi)) * RES
        return a[1] < b[1] - mres - 1e-12

    def bisect(self, f_lo, f_hi, met_at, lo, hi):
        """Boundary between lo and hi (met_at(lo) == f_lo != met_at(hi) == f_hi); returns
        the end on the feasible side."""
        width = self.xtol * max(1.0, *self.hi)
        while abs(hi - lo) > width:
            mid = 0.5 * (lo + hi)
            if met_at(mid) == f_lo:
                lo = mid
            else:
                hi = mid
        return lo if f_lo else hi


def _wanted_low(k):
    return k >= 0


def minimum(d, target, axes, grid=None, **kw):
    """Lexicographic minimum over one or two axes; see the module notes."""
    pb = Problem(d, target, axes, **kw)
    if len(pb.axes) == 1:
        out = _minimum_1d(pb, grid or 401)
    elif len(pb.axes) == 2:
        out = _minimum_2d(pb, grid or 21)
    else:
        raise ValueError("minimum: one or two axes")
    out["solves"] = pb.solves
    return out


def _unbounded_axes(pb, others):
    """Uncapped axes with negative net cost that stay feasible at a large level."""
    for a, (k, cap) in enumerate(zip(pb.k, pb.cap)):
        if k < 0 and not math.isfinite(cap):
            for t in others(a):
                if pb.met(t):
                    return a
    return None


def _minimum_1d(pb, G):
    a = _unbounded_axes(pb, lambda a: [(pb.big,)])
    if a is not None:
        return dict(status="unbounded", axis=a)
    k, h = pb.k[0], pb.hi[0]
    grid = list(np.linspace(0.0, h, G))
    if k < 0 and not math.isfinite(pb.cap[0]):
        grid += list(np.linspace(h, pb.big, 101)[1:])
    feas = [pb.met((t,)) for t in grid]
    if not any(feas):
        return dict(status="not_constructible")
    met_at = lambda x: pb.met((x,))  # noqa: E731
    if _wanted_low(k):
        i = feas.index(True)
        t = grid[0] if i == 0 else pb.bisect(False, True, met_at, grid[i - 1], grid[i])
    else:
        i = len(feas) - 1 - feas[::-1].index(True)
        t = grid[-1] if i == len(grid) - 1 else pb.bisect(True, False, met_at, grid[i],
                                                          grid[i + 1])
    t = (t,)
    c, m = pb.obj(t)
    return dict(status="optimal", t=t, y=pb.y(t), cost=c, commitment=m)


def _minimum_2d(pb, G):
    g = [np.linspace(0.0, h, G) for h in pb.hi]

    def others(a):
        b = 1 - a
        for tb in g[b]:
            yield (pb.big, tb) if a == 0 else (tb, pb.big)
    a = _unbounded_axes(pb, others)
    if a is not None:
        return dict(status="unbounded", axis=a)
    F = np.array([[pb.met((t0, t1)) for t1 in g[1]] for t0 in g[0]])
    if not F.any():
        return dict(status="not_constructible")
    best_t, best_o = None, None

    def consider(t):
        nonlocal best_t, best_o
        o = pb.obj(t)
        if pb.better(o, best_o):
            best_t, best_o = t, o

    for outer in (0, 1):
        inner = 1 - outer
        low = _wanted_low(pb.k[inner])

        def pt(to, ti, outer=outer):
            return (to, ti) if outer == 0 else (ti, to)

        def boundary(to, lo_i, hi_i, outer=outer, low=low):
            """Inner boundary at outer level to, bracketed by grid indices (None if the
            bracket does not hold at to)."""
            met_at = lambda x: pb.met(pt(to, x))  # noqa: E731
            gi = g[1 - outer]
            if low:
                if lo_i < 0:
                    return gi[0] if met_at(gi[0]) else None
                a_, b_ = gi[lo_i], gi[hi_i]
                fa, fb = met_at(a_), met_at(b_)
                if fa:
                    return a_ if lo_i == 0 else None
                if not fb:
                    return None
                return pb.bisect(False, True, met_at, a_, b_)
            if hi_i >= len(gi):
                return gi[-1] if met_at(gi[-1]) else None
            a_, b_ = gi[lo_i], gi[hi_i]
            fa, fb = met_at(a_), met_at(b_)
            if fb:
                return b_ if hi_i == len(gi) - 1 else None
            if not fa:
                return None
            return pb.bisect(True, False, met_at, a_, b_)

        samples = []   # (outer level, inner boundary) on the grid
        for u, to in enumerate(g[outer]):
            col = F[u, :] if outer == 0 else F[:, u]
            if not col.any():
                continue
            if low:
                j = int(np.argmax(col))
                ti = boundary(to, j - 1, j)
            else:
                j = len(col) - 1 - int(np.argmax(col[::-1]))
                ti = boundary(to, j, j + 1)
            if ti is None:
                continue
            samples.append((u, to, ti))
            consider(pt(to, ti))
        # ends of the boundary's domain: where a run of feasible columns starts or stops,
        # move the outer level to the edge at the sample's inner level
        have = {u for u, _, _ in samples}
        for u, to, ti in list(samples):
            for nb in (u - 1, u + 1):
                if 0 <= nb < G and nb not in have:
                    met_at = lambda x, ti=ti: pb.met(pt(x, ti))  # noqa: E731
                    if not met_at(g[outer][nb]):
                        edge = pb.bisect(False, True, met_at, g[outer][nb], to)
                        consider(pt(edge, ti))
                        # and the inner boundary at that edge
                        gi = g[inner]
                        mi = lambda z, edge=edge: pb.met(pt(edge, z))  # noqa: E731
                        if low and ti > gi[0] and not mi(gi[0]):
                            consider(pt(edge, pb.bisect(False, True, mi, gi[0], ti)))
                        elif not low and ti < gi[-1] and not mi(gi[-1]):
                            consider(pt(edge, pb.bisect(True, False, mi, ti, gi[-1])))
        # kinks: intersect the lines through consecutive samples near the best one
        if len(samples) < 2:
            continue
        obj_of = [pb.obj(pt(to, ti)) for _, to, ti in samples]
        kbest = 0
        for k in range(1, len(samples)):
            if pb.better(obj_of[k], obj_of[kbest]):
                kbest = k
        lines = []
        for m in range(max(0, kbest - 3), min(len(samples) - 1, kbest + 3)):
            (u1, x1, y1), (u2, x2, y2) = samples[m], samples[m + 1]
            if u2 == u1 + 1 and x2 != x1:
                lines.append((x1, y1, (y2 - y1) / (x2 - x1)))
        lo_x = samples[max(0, kbest - 1)][1]
        hi_x = samples[min(len(samples) - 1, kbest + 1)][1]
        for p1 in range(len(lines)):
            for p2 in range(p1 + 1, len(lines)):
                x1, y1, s1 = lines[p1]
                x2, y2, s2 = lines[p2]
                if abs(s1 - s2) < 1e-12:
                    continue
                x = (y2 - y1 + s1 * x1 - s2 * x2) / (s1 - s2)
                if not lo_x < x < hi_x:
                    continue
                # bracket the inner boundary around the line value, then bisect
                yhat = y1 + s1 * (x - x1)
                gi = g[inner]
                step = gi[1] - gi[0]
                a_, b_ = max(0.0, yhat - 2 * step), min(gi[-1], yhat + 2 * step)
                met_at = lambda z, x=x: pb.met(pt(x, z))  # noqa: E731
                fa, fb = met_at(a_), met_at(b_)
                if low and not fa and fb:
                    consider(pt(x, pb.bisect(False, True, met_at, a_, b_)))
                elif not low and fa and not fb:
                    consider(pt(x, pb.bisect(True, False, met_at, a_, b_)))
                elif low and fa and a_ == 0.0:
                    consider(pt(x, 0.0))
                elif not low and fb and b_ == gi[-1]:
                    consider(pt(x, gi[-1]))
    if best_t is None:
        # every feasible grid point lies inside the region: take the best grid point
        for u in range(G):
            for v in range(G):
                if F[u, v]:
                    consider((g[0][u], g[1][v]))
    c, m = best_o
    return dict(status="optimal", t=best_t, y=pb.y(best_t), cost=c, commitment=m)

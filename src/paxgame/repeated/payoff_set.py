"""The result object of payoff-set solvers: a convex set of payoff vectors."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from .._results import Certificate, SolverResult, to_fraction_array
from ..kernels import repeated_polygon as _poly
from ..kernels.lp import solve_lp

__all__ = ["PayoffSet"]


@dataclass(frozen=True, kw_only=True)
class PayoffSet(SolverResult):
    """A convex set of normalised payoff vectors of a repeated game (MODEL.md section 2).

    Attributes
    ----------
    vertices : ndarray (k, N)
        Extreme points; counter-clockwise from the lowest-leftmost one in two dimensions.
        Empty (0, N) when the set is empty.
    dimension : int
        0 a point, 1 a segment, 2 a polygon, N a full-dimensional polytope; -1 empty.
    method : str
        "abreu_sannikov", "outer" or "inner".
    delta : ndarray (N,)
        The discount factors.
    punishments : ndarray (N,)
        min over the set of each coordinate: the worst payoff of each player (the optimal
        penal code values, for the exact set).
    iterations : int
        Iterations of the set operator.
    change : float
        The last change between iterates (Hausdorff distance or largest level change).
    halfspaces : ndarray (L, N+1) or None
        For the outer approximation: rows (h, c) of the constraints h·x <= c.
    status, message
        "optimal", "not_converged", "empty", "uncertified" (inner set whose
        self-generation check failed), or an LP status.
    """

    vertices: np.ndarray
    dimension: int
    method: str
    delta: np.ndarray
    punishments: np.ndarray
    iterations: int = 0
    change: float = float("nan")
    tol: float = 0.0
    halfspaces: np.ndarray | None = None
    stage_payoffs: np.ndarray = field(default=None, repr=False)  # (P, N) u(a)
    deviation_gains: np.ndarray = field(default=None, repr=False)  # (P, N) d(a) - u(a)
    game_payoffs: np.ndarray = field(default=None, repr=False)  # (N, m_1, ..., m_N)

    # -- geometry ------------------------------------------------------------------------------
    @property
    def n_players(self) -> int:
        return int(self.vertices.shape[1])

    @property
    def area(self) -> float:
        """Area of a two-dimensional set (0 for points and segments)."""
        if self.n_players != 2:
            raise ValueError(f"area: the set lives in {self.n_players} dimensions; "
                             f"use volume")
        return _poly.area2d(self.vertices)

    @property
    def volume(self) -> float:
        """N-dimensional volume (area in two dimensions; 0 for lower-dimensional sets)."""
        if self.n_players == 2:
            return _poly.area2d(self.vertices)
        if self.dimension < self.n_players:
            return 0.0
        from scipy.spatial import ConvexHull

        return float(ConvexHull(self.vertices).volume)

    @property
    def is_empty(self) -> bool:
        return len(self.vertices) == 0

    def _scale(self) -> float:
        if self.stage_payoffs is None:
            return 1.0
        s = float(np.max(np.abs(self.stage_payoffs)))
        return s if s > 0 else 1.0

    def distance(self, points) -> np.ndarray:
        """Euclidean distance of each point to the set (0 inside)."""
        p = np.atleast_2d(np.asarray(points, dtype=float))
        if p.shape[1] != self.n_players:
            raise ValueError(f"distance: points must have {self.n_players} coordinates, "
                             f"got {p.shape[1]}")
        if self.n_players == 2:
            return _poly.distance2d(p, self.vertices)
        if self.is_empty:
            return np.full(len(p), np.inf)
        return np.array([_hull_distance(x, self.vertices) for x in p])

    def contains(self, point, tol: float = 1e-9) -> bool | np.ndarray:
        """Whether a point (or each row of an array of points) lies in the set, within
        ``tol`` (Euclidean distance; for the outer approximation, constraint violation)."""
        p = np.asarray(point, dtype=float)
        single = p.ndim == 1
        p = np.atleast_2d(p)
        if self.method == "outer" and self.halfspaces is not None and self.n_players > 2:
            h, c = self.halfspaces[:, :-1], self.halfspaces[:, -1]
            out = np.all(p @ h.T <= c[None, :] + tol, axis=1)
        else:
            out = self.distance(p) <= tol
        return bool(out[0]) if single else out

    def hausdorff(self, other: "PayoffSet") -> float:
        """Hausdorff distance to another payoff set (attained at vertices, both convex)."""
        if not isinstance(other, PayoffSet):
            raise TypeError(f"hausdorff: expected a PayoffSet, got {type(other).__name__}")
        if other.n_players != self.n_players:
            raise ValueError(f"hausdorff: the sets live in {self.n_players} and "
                             f"{other.n_players} dimensions")
        if self.n_players == 2:
            return _poly.hausdorff2d(self.vertices, other.vertices)
        if self.is_empty or other.is_empty:
            return 0.0 if self.is_empty and other.is_empty else float("inf")
        return float(max(other.distance(self.vertices).max(),
                         self.distance(other.vertices).max()))

    def plot(self, ax=None, **kwargs):
        """Draw a two-player set with matplotlib (an optional dependency); returns the axes."""
        if self.n_players != 2:
            raise ValueError(f"plot: only two-player sets can be drawn, this one has "
                             f"{self.n_players} players")
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        v = self.vertices
        if len(v) >= 3:
            ax.fill(v[:, 0], v[:, 1], alpha=kwargs.pop("alpha", 0.4), **kwargs)
        elif len(v) == 2:
            ax.plot(v[:, 0], v[:, 1], **kwargs)
        elif len(v) == 1:
            ax.plot(v[:, 0], v[:, 1], "o", **kwargs)
        ax.set_xlabel("player 1 payoff")
        ax.set_ylabel("player 2 payoff")
        return ax

    # -- certificate ---------------------------------------------------------------------------
    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-check the set, independently of the solver that produced it.

        For the Abreu–Sannikov and inner sets: APS self-generation of the vertices — each
        vertex v equals (1 − δ)u(a) + δx for some pure profile a and a continuation x in the
        set with x_i >= w_i + (1 − δ_i)/δ_i (d_i(a) − u_i(a)), w the set's own minima
        (checks ``in_set`` and ``incentive``). For the outer set: every level is at least
        the support of B(W) in its direction, computed by one small LP per (direction,
        profile) (check ``contains_image``). ``exact=True`` (two players) redoes the
        self-generation check in rational arithmetic, tolerance-free, with the vertices read
        as the nearest fractions with denominators up to 10^9 or, failing that, as the
        floats' exact values. When the exact set has irrational vertices the float polygon
        is not exactly self-generating and the exact certificate fails by the rounding
        (about 1e-16): exactness cannot be certified for such sets.

        The outer set's levels are LP optima, not rational data: ``exact=True`` there
        returns a failing exact certificate with the single check
        ``"exact_check_unavailable: ..."`` rather than claim an exact check.

        Default ``tol``: the solver's tolerance in payoff units (``self.tol``, i.e. the
        ``tol`` option × the largest absolute stage payoff), at least 1e-8 × that payoff
        scale — the tolerance to which the solver certified its status. The outer check's
        LPs run on the payoffs divided by the payoff scale.
        """
        scale = self._scale()
        tol = max(float(self.tol), 1e-8 * scale) if tol is None else float(tol)
        if self.is_empty:
            return Certificate.from_violations({"empty": 0.0}, tol, exact)
        if self.method == "outer":
            if exact:
                return Certificate.from_violations(
                    {"exact_check_unavailable: the outer levels are floating-point LP "
                     "optima": 1}, 0.0, exact=True)
            from ..kernels.repeated_hyperplane import support_lp_values

            h, c = self.halfspaces[:, :-1], self.halfspaces[:, -1]
            sup = support_lp_values(self.stage_payoffs / scale, self.deviation_gains / scale,
                                    np.asarray(self.delta, float), h, c / scale,
                                    self.punishments / scale)
            return Certificate.from_violations(
                {"contains_image": float(np.max(sup - c / scale)) * scale}, tol, False)
        if exact:
            if self.n_players != 2:
                raise ValueError("verify: exact=True is available for two-player sets only")
            return self._verify_exact()
        in_set, incentive = self._self_generation(tol)
        return Certificate.from_violations({"in_set": in_set, "incentive": incentive}, tol)

    def _self_generation(self, tol: float) -> tuple[float, float]:
        v = self.vertices
        u, gain = self.stage_payoffs, self.deviation_gains
        delta = np.asarray(self.delta, float)
        w = v.min(axis=0)
        ic = w[None, :] + (1 - delta) / delta * gain  # (P, N)
        worst_set, worst_ic = 0.0, 0.0
        for x_v in v:
            x = (x_v[None, :] - (1 - delta) * u) / delta  # continuation per profile
            d_set = self.distance(x)
            d_ic = np.max(ic - x, axis=1).clip(min=0)
            score = np.maximum(d_set, d_ic)
            best = int(np.argmin(score))
            worst_set = max(worst_set, float(d_set[best]))
            worst_ic = max(worst_ic, float(d_ic[best]))
        return worst_set, worst_ic

    def _verify_exact(self) -> Certificate:
        """Exact self-generation of a rational reading of the vertices: first the nearest
        fractions with denominators up to 10^9 (recovers rational vertices such as 13/3
        from their rounding), then, if that reading fails, the floats' exact binary values
        (tolerance-free, on the very polygon returned). The better certificate is returned;
        both fail when V has irrational vertices (e.g. sqrt(1 - δ)) that the float polygon
        rounds outward."""
        best = None
        for read in (lambda x: Fraction(float(x)).limit_denominator(10**9),
                     lambda x: Fraction(float(x))):
            v = [[read(x) for x in row] for row in self.vertices]
            cert = self._verify_exact_vertices(v)
            if cert.ok:
                return cert
            if best is None or max(cert.checks.values()) < max(best.checks.values()):
                best = cert
        return best

    def _verify_exact_vertices(self, v) -> Certificate:
        delta = [Fraction(str(float(d))) for d in np.asarray(self.delta, float)]
        pay = to_fraction_array(self.game_payoffs)
        n_prof = int(np.prod(pay.shape[1:]))
        flat = pay.reshape(2, n_prof)
        u = [(flat[0, p], flat[1, p]) for p in range(n_prof)]
        dev = []
        for p, idx in enumerate(np.ndindex(*pay.shape[1:])):
            d0 = max(pay[0][(j, idx[1])] for j in range(pay.shape[1]))
            d1 = max(pay[1][(idx[0], j)] for j in range(pay.shape[2]))
            dev.append((d0, d1))
        w = [min(row[i] for row in v) for i in range(2)]
        worst_set, worst_ic = None, None
        for vert in v:
            best = None
            for p in range(n_prof):
                x = [(vert[i] - (1 - delta[i]) * u[p][i]) / delta[i] for i in range(2)]
                s = _exact_outside(x, v)
                ic = max(w[i] + (1 - delta[i]) / delta[i] * (dev[p][i] - u[p][i]) - x[i]
                         for i in range(2))
                ic = max(ic, Fraction(0))
                score = (max(s, ic), s, ic)
                if best is None or score < best:
                    best = score
            worst_set = best[1] if worst_set is None else max(worst_set, best[1])
            worst_ic = best[2] if worst_ic is None else max(worst_ic, best[2])
        return Certificate.from_violations({"in_set": worst_set, "incentive": worst_ic},
                                           0.0, exact=True)


def _exact_outside(x, v) -> Fraction:
    """A non-negative exact measure of how far x is outside the convex set with rational
    vertices v (0 iff inside): the largest violated edge cross product."""
    k = len(v)
    zero = Fraction(0)
    if k == 1:
        return max(abs(x[0] - v[0][0]), abs(x[1] - v[0][1]))
    if k == 2:
        (a0, a1), (b0, b1) = v
        e0, e1 = b0 - a0, b1 - a1
        cross = abs(e0 * (x[1] - a1) - e1 * (x[0] - a0))
        t = e0 * (x[0] - a0) + e1 * (x[1] - a1)
        length = e0 * e0 + e1 * e1
        return max(cross, -t if t < 0 else zero, t - length if t > length else zero)
    worst = zero
    for j in range(k):
        a, b = v[j], v[(j + 1) % k]
        cross = (b[0] - a[0]) * (x[1] - a[1]) - (b[1] - a[1]) * (x[0] - a[0])
        worst = max(worst, -cross)
    return worst


def _hull_distance(x: np.ndarray, z: np.ndarray) -> float:
    """L1 distance from x to the convex hull of the rows of z, by an LP."""
    k, n = z.shape
    # variables: lambda (k) >= 0, s+ (n) >= 0, s- (n) >= 0; z^T lambda + s+ - s- = x
    c = np.concatenate([np.zeros(k), np.ones(2 * n)])
    a_eq = np.zeros((n + 1, k + 2 * n))
    a_eq[:n, :k] = z.T
    a_eq[:n, k:k + n] = np.eye(n)
    a_eq[:n, k + n:] = -np.eye(n)
    a_eq[n, :k] = 1.0
    b_eq = np.concatenate([x, [1.0]])
    sol = solve_lp(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None))
    return float(sol.fun) if sol.success else float("inf")

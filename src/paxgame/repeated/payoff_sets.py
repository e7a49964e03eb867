"""Subgame-perfect payoff sets of repeated games: exact polygons and approximations.

The set of (normalised) pure-strategy SPE payoffs V(δ) with public randomisation is the
largest fixed point of the APS operator (Abreu, Pearce & Stacchetti 1990)

    B(W) = co{(1−δ)u(a) + δx : a ∈ A, x ∈ W, (1−δ_i)u_i(a) + δ_i x_i
              >= (1−δ_i) d_i(a) + δ_i min_W x_i for all i}.

Methods:

- ``abreu_sannikov`` (two players): the exact operator applied to polygons, from the
  feasible individually rational set (a superset of V), until the Hausdorff change is below
  ``tol`` × the payoff scale. Each step clips the current polygon W by the incentive
  quadrant {x >= IC(a)} of every profile (W's vertices inside, the boundary crossings of the
  lines x_i = IC_i(a) and the corner IC(a) itself when it lies in W), maps the pieces by
  x -> (1−δ)u(a) + δx and takes the convex hull. Abreu & Sannikov (2014, Theoretical
  Economics 9) show that V is a polygon with at most 4|A| vertices and that a reduced set
  of generating points suffices; we apply the exact operator, and once the way each vertex
  is generated settles, solve those vertex equations by Newton's method and accept the
  solution only if the exact operator maps it onto itself (the kernel
  ``repeated_polygon.abreu_sannikov``). Before a set is labelled
  optimal the fixed-point check of :meth:`PayoffSet.verify` runs on it (status
  "uncertified" when it fails). Points and segments are valid answers.
  With one discount factor per player the start is the box [pure minmax_i, max u_i]
  instead: unequal discounting lets players trade over time, so V can leave the stage
  game's feasible set.
- ``outer``: Judd, Yeltekin & Conklin (2003, Econometrica 71) hyperplane approximation for
  any number of players: W = {x : Hx <= c} in fixed directions H; one LP per direction
  per iteration (the perspective form of the union over profiles), all directions of an
  iteration stacked in one block-diagonal LP.
- ``inner``: a certified subset grown from a self-generating seed (the pure stage-Nash
  payoffs and the stationary profiles they sustain): every iterate W_k satisfies
  W_k ⊆ B(W_k), so W_k ⊆ V by APS self-generation; the result is re-checked by
  :meth:`PayoffSet.verify` and marked "uncertified" if that check fails.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_method, check_options, check_tolerance
from ..kernels import repeated as _kr
from ..kernels.payoffs import abs_scale
from ..kernels import repeated_hyperplane as _kh
from ..kernels import repeated_polygon as _poly
from .data import check_repeated_game
from .payoff_set import PayoffSet, guaranteed_points

__all__ = ["payoff_set", "stage_data"]


def stage_data(game):
    """Stage payoffs u (P, N), deviation gains d − u (P, N) and the stacked payoff array of
    a game, profiles in C order."""
    pay = np.asarray(game.payoffs, dtype=float)
    n = pay.shape[0]
    u = pay.reshape(n, -1).T.copy()
    profiles = np.array(np.unravel_index(np.arange(u.shape[0]), pay.shape[1:])).T
    d = np.empty_like(u)
    for i in range(n):
        best = pay[i].max(axis=i, keepdims=True)
        d[:, i] = np.broadcast_to(best, pay.shape[1:]).reshape(-1)
    return u, d - u, pay, profiles


def _options(func, options, allowed):
    check_options(func, options, allowed)


def _max_iter(func, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{func}: max_iter must be a positive integer, got {value!r}")
    return int(value)


def _empty(n, method, delta, status, message, iterations=0, **extra):
    return PayoffSet(vertices=np.empty((0, n)), dimension=-1, method=method, delta=delta,
                     punishments=np.full(n, np.nan), iterations=iterations, status=status,
                     message=message, **extra)


def _abreu_sannikov(rg, tol=1e-13, max_iter=5000):
    func = "payoff_set"
    tol = check_tolerance(func, tol)
    max_iter = _max_iter(func, max_iter)
    if rg.n_players != 2:
        raise ValueError(f"{func}: method 'abreu_sannikov' needs two players, got "
                         f"{rg.n_players}; use method='outer' or 'inner'")
    u, gain, pay, _ = stage_data(rg.game)
    delta = rg.deltas
    scale = abs_scale(u)
    extra = dict(stage_payoffs=u, deviation_gains=gain, game_payoffs=pay, tol=tol * scale)
    # the APS operator commutes with rescaling each player's payoffs: iterate in units of
    # each player's largest absolute payoff, so that tolerances mean the same thing for a
    # player paid in thousandths as for one paid in thousands
    unit = np.abs(u).max(axis=0)
    unit[unit == 0] = 1.0
    us, gs = u / unit, gain / unit
    eps = _poly.aps_eps(delta)
    # start: the feasible set cut by the pure minmax values (a superset of V). With unequal
    # discount factors intertemporal trade can leave the stage game's feasible set, and
    # the start is the box [minmax_i, max u_i] instead (each normalised payoff is an average
    # of the player's own stage payoffs)
    minmax = _kr.pure_minmax(pay[None])[0] / unit
    if np.all(delta == delta[0]):
        start = _poly.hull2d(us, eps)
    else:
        hi = us.max(axis=0)
        start = np.array([[minmax[0], minmax[1]], [hi[0], minmax[1]], [hi[0], hi[1]],
                          [minmax[0], hi[1]]])
    for i in range(2):
        normal = np.zeros(2)
        normal[i] = -1.0
        start = _poly.clip_halfplane(start, normal, -minmax[i], eps)
    if len(start) == 0:
        return _empty(2, "abreu_sannikov", delta, "empty",
                      "no feasible payoff is individually rational: no pure-strategy SPE",
                      **extra)
    # the fixed-point check of verify() (tolerance 1e-8 at least), in the per-player
    # units the kernel works in (a distance there bounds the one in payoff units / scale)
    check = _poly.stop_tolerance(max(tol, 1e-8), delta, 1.0)
    v, status, it, change = _poly.abreu_sannikov(us, gs, delta, start, tol=tol,
                                                 max_iter=max_iter, eps=eps, check=check)
    v = v * unit
    change = change * float(unit.max())
    if status == "empty":
        return _empty(2, "abreu_sannikov", delta, "empty",
                      "the APS iteration reached the empty set: no pure-strategy SPE at "
                      "this discount factor", iterations=it, **extra)
    message = (f"converged: Hausdorff change {change:.3g} <= {tol * scale:.3g}"
               if status in ("optimal", "uncertified") else
               f"not converged after {it} iterations (Hausdorff change {change:.3g})")
    ps = PayoffSet(vertices=v, dimension=_poly.dimension2d(v), method="abreu_sannikov",
                   delta=delta, punishments=v.min(axis=0), iterations=it,
                   change=float(change), status=status, message=message, **extra)
    if status == "uncertified":
        from dataclasses import replace

        ps = replace(ps, message=f"{message}; but B(W) differs from W by more than the "
                                 f"verify() tolerance (the check fixed_point): at this "
                                 f"discount factor the set is not resolved in floating point")
    return ps


#: The most directions the hyperplane methods take: each iteration solves one LP per
#: direction (outer: per direction and profile), so the work and memory grow linearly.
MAX_DIRECTIONS = 4096


def _directions(func, n, directions):
    if directions is None or isinstance(directions, (int, np.integer)) and not isinstance(
            directions, bool):
        if directions is not None and directions > MAX_DIRECTIONS:
            raise ValueError(f"{func}: directions={directions} exceeds the limit of "
                             f"{MAX_DIRECTIONS} (one LP per direction and iteration)")
        if directions is not None and (n != 2 or directions < 4):
            if n != 2:
                raise ValueError(f"{func}: an integer count of directions is for two "
                                 f"players; pass an array of directions for {n} players")
            raise ValueError(f"{func}: directions must be at least 4, got {directions}")
        return _kh.default_directions(n, directions)
    h = as_float_array(func, "directions", directions, ndim=2)
    if h.shape[0] > MAX_DIRECTIONS:
        raise ValueError(f"{func}: {h.shape[0]} directions exceed the limit of "
                         f"{MAX_DIRECTIONS} (one LP per direction and iteration)")
    if h.shape[1] != n:
        raise ValueError(f"{func}: directions must have {n} columns, got {h.shape[1]}")
    norms = np.linalg.norm(h, axis=1)
    if np.any(norms == 0):
        raise ValueError(f"{func}: directions must be non-zero")
    h = h / norms[:, None]
    # the negative axes are needed to read the punishments off the set
    for i in range(n):
        e = -np.eye(n)[i]
        if not np.any(np.all(np.isclose(h, e), axis=1)):
            h = np.vstack([h, e])
    return h


def _hyperplane_setup(rg, tol, max_iter, directions):
    """Validated options and the stage data of the hyperplane methods (outer and inner).

    Both methods iterate on the payoffs divided by their scale (the LP solver's tolerances
    are absolute) and map the answer back: the APS operator commutes with rescaling.
    """
    func = "payoff_set"
    tol = check_tolerance(func, tol)
    max_iter = _max_iter(func, max_iter)
    u, gain, pay, _ = stage_data(rg.game)
    h = _directions(func, rg.n_players, directions)
    scale = abs_scale(u)
    extra = dict(stage_payoffs=u, deviation_gains=gain, game_payoffs=pay, tol=tol * scale)
    return func, tol, max_iter, rg.n_players, u, gain, pay, rg.deltas, h, scale, extra


def _outer(rg, tol=1e-8, max_iter=1000, directions=None):
    func, tol, max_iter, n, u, gain, pay, delta, h, scale, extra = _hyperplane_setup(
        rg, tol, max_iter, directions)
    us, gs = u / scale, gain / scale
    if np.all(delta == delta[0]):
        levels0 = (us @ h.T).max(axis=0)  # support of the feasible set
    else:
        # unequal discounting: support of the box [min u_i, max u_i] (see _abreu_sannikov)
        lo, hi = us.min(axis=0), us.max(axis=0)
        levels0 = np.maximum(h * lo, h * hi).sum(axis=1)
    levels, points, status, it, change, msg = _kh.outer_iteration(
        us, gs, delta, h, levels0, tol=tol, max_iter=max_iter)
    excess = _outer_image_excess(us, gs, delta, h, levels) if status == "optimal" else 0.0
    if excess > tol:
        # the level change is below tol but B(W) still leaves W by more than tol (the
        # certificate of PayoffSet.verify): iterate on with a tenfold smaller stopping rule
        levels, points, status, it2, change, msg = _kh.outer_iteration(
            us, gs, delta, h, levels, tol=tol / 10, max_iter=max(1, max_iter - it))
        it += it2
        excess = _outer_image_excess(us, gs, delta, h, levels) if status == "optimal" else 0.0
    change = change * scale
    halfspaces = np.column_stack([h, levels * scale])
    if status == "empty":
        return _empty(n, "outer", delta, "empty", msg, iterations=it,
                      halfspaces=halfspaces, **extra)
    vertices, dim = _outer_vertices(h, levels, points, 1.0)
    vertices = vertices * scale
    message = msg or f"converged: largest level change {change:.3g} <= {tol * scale:.3g}"
    if status == "optimal" and excess > tol:
        status = "uncertified"
        message += (f"; but B(W) exceeds W by {excess * scale:.3g} > tol x payoff scale "
                    f"{tol * scale:.3g} (the verify() check contains_image)")
    return PayoffSet(vertices=vertices, dimension=dim, method="outer", delta=delta,
                     punishments=np.array([-levels[_neg_axis(h, i)] for i in range(n)]) * scale,
                     iterations=it, change=float(change), status=status, message=message,
                     halfspaces=halfspaces, **extra)


def _outer_image_excess(us, gs, delta, h, levels) -> float:
    """How far the support of B(W) exceeds W's levels (payoffs in scale units)."""
    w = np.array([-levels[_neg_axis(h, i)] for i in range(h.shape[1])])
    return float(np.max(_kh.support_lp_values(us, gs, np.asarray(delta, float), h, levels, w)
                        - levels))


def _neg_axis(h, i):
    return int(np.flatnonzero(np.all(np.isclose(h, -np.eye(h.shape[1])[i]), axis=1))[0])


def _outer_vertices(h, levels, points, scale):
    n = h.shape[1]
    slack = 1e-9 * scale
    if n == 2:
        lo, hi = points.min(axis=0) - 1 - scale, points.max(axis=0) + 1 + scale
        v = np.array([[lo[0], lo[1]], [hi[0], lo[1]], [hi[0], hi[1]], [lo[0], hi[1]]])
        for normal, level in zip(h, levels):
            v = _poly.clip_halfplane(v, normal, level, slack)
        # the levels are LP optima (accurate to about 1e-9): merge what they cannot tell apart
        v = _poly.canonical(_poly.hull2d(v, 1e-7 * scale))
        return v, _poly.dimension2d(v)
    from scipy.optimize import linprog
    from scipy.spatial import HalfspaceIntersection

    # Chebyshev centre: max r s.t. h x + r |h| <= c
    norms = np.linalg.norm(h, axis=1)
    res = linprog(np.r_[np.zeros(n), -1.0], A_ub=np.column_stack([h, norms]), b_ub=levels,
                  bounds=[(None, None)] * n + [(0, None)], method="highs")
    if res.status == 0 and res.x[-1] > slack:
        hs = HalfspaceIntersection(np.column_stack([h, -levels]), res.x[:n])
        pts = hs.intersections
        # vertices where more than N planes meet come out once per plane triple
        _, first = np.unique(np.round(pts / (1e-9 * scale)), axis=0, return_index=True)
        v = _kh.prune_points(pts[np.sort(first)], 1e-12 * scale)
        return v, n
    # a flat set: its support points are the best description we keep
    v = np.unique(points, axis=0)
    rank = np.linalg.matrix_rank(v - v.mean(axis=0), tol=slack) if len(v) > 1 else 0
    return v, int(rank)


def _inner(rg, tol=1e-8, max_iter=1000, directions=None, seed=None):
    func, tol, max_iter, n, u, gain, pay, delta, h, scale, extra = _hyperplane_setup(
        rg, tol, max_iter, directions)
    us, gs = u / scale, gain / scale
    if seed is None:
        z0 = guaranteed_points(us, gs, delta, pay / scale, 1.0)
        if len(z0) == 0:
            return _empty(n, "inner", delta, "uncertified",
                          "the stage game has no pure Nash equilibrium to seed the inner "
                          "approximation; pass seed= (points whose hull is self-generating)",
                          **extra)
    else:
        z0 = as_float_array(func, "seed", seed, ndim=2)
        if z0.shape[1] != n or len(z0) == 0:
            raise ValueError(f"{func}: seed must have shape (k, {n}) with k >= 1, got "
                             f"{z0.shape}")
        z0 = z0 / scale
    ps = _inner_from(rg, us, gs, delta, h, z0, tol, max_iter, scale, extra,
                     default_seed=seed is None)
    if seed is not None or ps.dimension == n or ps.status != "optimal":
        return ps
    # the default seed can sit at a lower-dimensional fixed point of B (e.g. the stage
    # equilibrium alone) inside a full-dimensional SPE set: seed again with the exact set
    # (two players) or the outer approximation shrunk towards that point, kept only where
    # the shrunk copy passes the self-generation check
    # a superset to shrink: the exact set for two players (fast), else the outer bound
    outer = (_abreu_sannikov(rg) if n == 2 else
             _outer(rg, tol=tol, max_iter=max_iter, directions=h))
    if outer.status != "optimal" or outer.dimension < n:
        return ps
    centre = ps.vertices.mean(axis=0) / scale
    ov = outer.vertices / scale
    for shrink in _SHRINK:
        trial = centre + shrink * (ov - centre)
        cand = PayoffSet(vertices=trial * scale, dimension=n, method="inner", delta=delta,
                         punishments=trial.min(axis=0) * scale, status="optimal",
                         default_seed=False, **extra)
        if not cand.verify():
            continue
        grown = _inner_from(rg, us, gs, delta, h, np.vstack([z0, trial]), tol, max_iter,
                            scale, extra, default_seed=True)
        if grown.status == "optimal" and grown.dimension == n:
            from dataclasses import replace

            return replace(grown, message=grown.message + f"; seeded with the "
                                                          f"{outer.method} set shrunk by "
                                                          f"{shrink}")
    from dataclasses import replace

    return replace(ps, status="uncertified",
                   message=f"the inner set has dimension {ps.dimension} but the "
                           f"{outer.method} set is full-dimensional and no shrunk copy of "
                           f"it was self-generating: the inner set is not certified to be "
                           f"the full-dimensional subset it should be")


#: Factors tried when the inner set is seeded with a shrunk outer approximation.
_SHRINK = (1 - 1e-6, 0.999, 0.99, 0.9, 0.7, 0.5)


def _inner_from(rg, us, gs, delta, h, z0, tol, max_iter, scale, extra, *, default_seed):
    n = us.shape[1]
    z, status, it, change, msg = _kh.inner_iteration(us, gs, delta, h, z0, tol=tol,
                                                    max_iter=max_iter, eps=1e-12)
    change = change * scale
    if n == 2:
        # the points are LP solutions (accurate to about 1e-9): merge what they cannot resolve
        z = _poly.canonical(_poly.hull2d(z, 1e-9))
        dim = _poly.dimension2d(z)
    else:
        rank = np.linalg.matrix_rank(z - z.mean(axis=0), tol=1e-9) if len(z) > 1 else 0
        dim = int(rank)
    z = z * scale
    ps = PayoffSet(vertices=z, dimension=dim, method="inner", delta=delta,
                   punishments=z.min(axis=0), iterations=it, change=float(change),
                   status=status, message=msg or f"converged: support growth {change:.3g}",
                   default_seed=default_seed, **extra)
    cert = ps.verify()
    if status == "optimal" and not cert.ok:
        from dataclasses import replace

        ps = replace(ps, status="uncertified",
                     message=f"the self-generation check failed: {cert}")
    return ps


_METHODS = {"abreu_sannikov": _abreu_sannikov, "outer": _outer, "inner": _inner}
_OPTIONS = {"abreu_sannikov": {"tol", "max_iter"},
            "outer": {"tol", "max_iter", "directions"},
            "inner": {"tol", "max_iter", "directions", "seed"}}


def payoff_set(rg, method: str = "abreu_sannikov", **options) -> PayoffSet:
    """The set of pure-strategy subgame-perfect payoff vectors (normalised units).

    Parameters
    ----------
    rg : RepeatedGame
    method : {"abreu_sannikov", "outer", "inner"}
        "abreu_sannikov": the exact set for two players (Abreu & Sannikov 2014);
        "outer": Judd–Yeltekin–Conklin (2003) outer approximation, any N; "inner": a
        certified subset, any N.
    **options
        ``tol`` (convergence tolerance relative to the largest absolute stage payoff;
        default 1e-13 for abreu_sannikov, 1e-8 for the LP-based methods), ``max_iter``
        (iteration cap; reaching it gives status "not_converged"), ``directions`` (outer,
        inner: a count in two dimensions, default 32, or an array of directions; the
        negative axes are added; at most 4096), ``seed`` (inner: starting points whose convex hull is
        self-generating; default the pure stage-Nash payoffs and the stationary profiles
        that Nash reversion sustains; when that default grows only to a lower-dimensional
        set while the exact (two players) or outer set is full-dimensional, the solver
        seeds again with that set shrunk towards it (factors 1 − 1e-6 down to 0.5, each
        copy kept only if it passes the self-generation check), and reports
        ``uncertified`` if none works).

    Returns
    -------
    PayoffSet
        Status "empty" when there is no pure-strategy SPE (abreu_sannikov, outer).

    Examples
    --------
    >>> import paxgame as pg
    >>> pd = pg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> s = pg.RepeatedGame(pd, 0.49).payoff_set()
    >>> s.vertices.round(6), s.dimension, s.status
    (array([[1., 1.],
           [4., 1.],
           [1., 4.]]), 2, 'optimal')
    >>> bool(s.verify())
    True
    """
    func = "payoff_set"
    check_repeated_game(func, rg)
    solver = check_method(func, method, _METHODS)
    _options(func, options, _OPTIONS[method.lower()])
    return solver(rg, **options)

"""Critical discount factors, sustainability and optimal punishments of stationary profiles.

Nash reversion (Friedman 1971): after any deviation the players revert forever to a stage
Nash equilibrium σ; the stationary profile a is subgame perfect iff for every player i

    u_i(a) >= (1 − δ) d_i(a) + δ u_i(σ),    d_i(a) = max over a_i' != a_i of u_i(a_i', a_−i).

Each condition is linear in δ, so the sustaining δ form an interval (bounded above when σ
pays some player more than the target), and the critical δ is its infimum. Optimal penal
codes (Abreu 1988) replace u_i(σ) by player i's worst subgame-perfect payoff w_i(δ), read
off the Abreu–Sannikov payoff set; the set of sustaining δ is then found on a grid.
"""

from __future__ import annotations

import numpy as np

from dataclasses import dataclass

from .. import stage
from .._results import Certificate, SolverResult
from .._validation import as_float_array, check_method
from ..games.normal_form import check_pure_profile
from ..kernels import repeated as _kr
from ..kernels.bisection import bisect
from ..kernels.payoffs import player_abs_scales
from .data import check_repeated_game
from .payoff_sets import payoff_set

__all__ = ["critical_delta", "sustainable", "worst_payoffs", "punishment_payoffs",
           "sustaining_deltas", "SustainingDeltas"]

_PUNISHMENTS = ("nash", "optimal")


def _profile(func: str, rg, profile) -> tuple[int, ...]:
    return check_pure_profile(func, rg.game, profile)


def punishment_payoffs(rg, profile, punishment="nash", *, func: str = "critical_delta"
                       ) -> np.ndarray:
    """The payoff vector w that punishes deviations from ``profile`` under Nash reversion.

    ``punishment="nash"``: the payoffs of the pure stage Nash equilibrium whose reversion
    sustains ``profile`` at the lowest δ; when the stage game has no pure equilibrium and
    has two players, mixed equilibria from :func:`paxgame.nash` (support enumeration) are
    used when that solver is available. An array of N numbers is taken as the punishment
    payoffs themselves.
    """
    n = rg.n_players
    if not isinstance(punishment, str):
        return as_float_array(func, "punishment", punishment, shape=(n,))
    check_method(func, punishment, _PUNISHMENTS)
    a = np.asarray(_profile(func, rg, profile), dtype=np.intp)[None]
    pay = np.asarray(rg.game.payoffs)[None]
    u = _kr.profile_payoffs(pay, a)
    d = _kr.deviation_payoffs(pay, a, exclude_own=True)
    w, found = _kr.nash_reversion_punishment(pay, a)
    if found[0]:
        return w[0]
    mixed = _mixed_equilibrium_payoffs(rg)
    if len(mixed) == 0:
        raise ValueError(f"{func}: the stage game has no pure Nash equilibrium to revert to; "
                         f"pass the punishment payoffs explicitly (punishment=[...])")
    lows, _ = _kr.sustaining_interval(u, d, mixed)
    return mixed[int(np.argmin(lows))]


def _mixed_equilibrium_payoffs(rg) -> np.ndarray:
    """Payoff vectors of the stage game's mixed equilibria (two players, when the stage
    solver is available); shape (k, N)."""
    nash = getattr(stage, "nash", None)
    if rg.n_players != 2 or nash is None:
        return np.empty((0, rg.n_players))
    try:
        eqs = nash(rg.game, method="support")
    except ValueError as err:
        shape = "x".join(str(m) for m in rg.game.num_actions)
        raise ValueError(
            f"critical_delta: the {shape} stage game has no pure Nash equilibrium and its "
            f"mixed equilibria cannot be enumerated (paxgame.nash(method='support') "
            f"refuses games this large); pass the punishment payoffs explicitly "
            f"(punishment=[...])") from err
    out = []
    for eq in eqs:
        strategies = getattr(eq, "strategies", None)
        if strategies is None:
            continue
        out.append(rg.game.expected_payoffs(strategies))
    return np.array(out).reshape(-1, rg.n_players)


def critical_delta(rg, profile, punishment="nash") -> float:
    """The infimum of the discount factors at which repeating ``profile`` is an SPE.

    The set of sustaining δ is :func:`sustaining_deltas`; this is its ``critical``
    attribute, the fast path for Nash reversion and fixed punishments.

    Parameters
    ----------
    rg : RepeatedGame
    profile : sequence of int or str
        One action (index or name) per player.
    punishment : {"nash", "optimal"} or array_like (N,)
        "nash": reversion to the pure stage equilibrium with the lowest critical δ (mixed
        equilibria for two-player games without a pure one); "optimal": Abreu's (1988)
        optimal penal codes, the worst SPE payoffs w(δ), two players only; an array:
        fixed punishment payoffs.

    Returns
    -------
    float
        inf { δ in (0, 1) : the profile is sustained at δ }. ``inf`` means that no δ in
        (0, 1) sustains the profile; 0 that every small δ does (e.g. a stage
        equilibrium). The set need not reach 1: when the punishment pays some player more
        than the target it is bounded above (see :func:`sustaining_deltas`), so a finite
        value does not promise that every larger δ sustains the profile.

    Notes
    -----
    Nash reversion and fixed punishments use the closed form of
    :func:`paxgame.batch.critical_delta` on a batch of one game.

    Examples
    --------
    >>> import paxgame as pg
    >>> pd = pg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> rg = pg.RepeatedGame(pd, 0.9)
    >>> rg.critical_delta((0, 0))
    0.5
    >>> rg.critical_delta((0, 0), punishment=[0, 0])
    0.4
    """
    func = "critical_delta"
    check_repeated_game(func, rg)
    a = _profile(func, rg, profile)
    if isinstance(punishment, str) and check_method(func, punishment, _PUNISHMENTS) == "optimal":
        return _sustaining_optimal(rg, a, *_ud(rg, a), 64, 1e-10, func=func).critical
    w = punishment_payoffs(rg, a, punishment, func=func)
    pay = np.asarray(rg.game.payoffs)[None]
    if isinstance(punishment, str):
        found = _kr.nash_reversion_punishment(pay, np.asarray(a)[None])[1][0]
        if not found:  # mixed equilibria: the best of them
            return sustaining_deltas(rg, a, "nash").critical
    return float(_kr.critical_delta(pay, np.asarray(a)[None], w[None])[0])


@dataclass(frozen=True, kw_only=True)
class SustainingDeltas(SolverResult):
    """The discount factors at which repeating a stationary profile is subgame perfect.

    Attributes
    ----------
    delta_set : tuple of (float, float)
        Disjoint closed intervals [lo, hi], in increasing order, whose union (within
        (0, 1)) is the set of sustaining δ; empty when no δ sustains the profile. lo = 0
        stands for "every small δ" (the set is open at 0), hi = 1 for "up to 1".
    critical : float
        The infimum of the set (``delta_set[0][0]``); inf when the set is empty.
    profile : tuple of int
    punishments : ndarray (k, N)
        The punishment payoff vectors considered (Nash reversion: every stage
        equilibrium; a union over them); for ``"optimal"`` empty (w(δ) moves with δ).
    method : str
        "closed_form" (Nash reversion, fixed punishments) or "grid" (optimal penal codes:
        ``grid`` points in (0, 1), each decided by a certified payoff set, the boundaries
        refined by bisection to ``tol``).
    tol : float
        Bisection tolerance of the grid method (0 for the closed form).
    """

    delta_set: tuple
    critical: float
    profile: tuple
    punishments: np.ndarray
    method: str = "closed_form"
    tol: float = 0.0
    game: object = None

    def __repr__(self) -> str:
        parts = ", ".join(f"[{lo:.6g}, {hi:.6g}]" for lo, hi in self.delta_set) or "empty"
        return (f"SustainingDeltas({parts}; critical={self.critical:.6g}, "
                f"status={self.status!r})")

    def contains(self, delta: float) -> bool:
        """Whether δ lies in the set."""
        return any(lo <= delta <= hi and 0 < delta < 1 for lo, hi in self.delta_set)

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-check the set against the incentive constraints, independently of how it was
        found: at each interval's end points and midpoint (inside (0, 1)) the profile is
        sustained (``inside``), at the midpoints of the gaps between intervals and of the
        stretches to 0 and 1 it is not (``outside``), and ``critical`` is the least end
        point (``critical``). Violations are incentive shortfalls in payoff units
        (default tolerance 1e-9 × the payoff scale); for the grid method the end points
        are checked ``tol`` inside. ``exact=True`` is unavailable (returns a failing
        exact certificate)."""
        if exact:
            return Certificate.from_violations(
                {"exact_check_unavailable: the sets are checked in floating point": 1}, 0.0,
                exact=True)
        rg = self.game
        pay = np.asarray(rg.game.payoffs, float)
        scale = max(float(np.max(np.abs(pay))), 1e-300)
        tol = 1e-9 * scale if tol is None else float(tol)
        inset = [(lo, hi) for lo, hi in self.delta_set]
        lo_all = min((lo for lo, _ in inset), default=np.inf)
        crit = 0.0 if (self.critical == lo_all or (np.isinf(self.critical)
                                                   and not inset)) else np.inf
        inside, outside = 0.0, 0.0
        pad = self.tol
        for lo, hi in inset:
            for x in (lo + pad, 0.5 * (lo + hi), hi - pad):
                x = min(max(x, 1e-9), 1 - 1e-9)
                if lo <= x <= hi:
                    inside = max(inside, self._shortfall(x))
        edges = [0.0] + [e for iv in inset for e in iv] + [1.0]
        for j in range(0, len(edges), 2):
            a, b = edges[j], edges[j + 1]
            if b - a > 2 * pad + 1e-12:
                x = 0.5 * (a + b)
                # not sustained: the shortfall must be positive
                outside = max(outside, tol if self._shortfall(x) <= 0 else 0.0)
        return Certificate.from_violations({"inside": inside, "outside": outside,
                                            "critical": crit}, tol)

    def _shortfall(self, delta: float) -> float:
        """The largest incentive shortfall max_i (1 − δ) d_i + δ w_i − u_i at δ (<= 0 when
        the profile is sustained), with the best of the punishments considered."""
        rg = self.game
        pay = np.asarray(rg.game.payoffs, float)[None]
        a = np.asarray(self.profile)[None]
        u = _kr.profile_payoffs(pay, a)[0]
        d = _kr.deviation_payoffs(pay, a, exclude_own=True)[0]
        d = np.where(np.isfinite(d), d, u)
        if self.method == "grid":
            ps = payoff_set(rg.replace(delta=delta), method="abreu_sannikov")
            if ps.status != "optimal":
                return np.inf
            ws = np.asarray(ps.punishments, float)[None]
        else:
            ws = np.asarray(self.punishments, float)
        if len(ws) == 0:
            return np.inf
        # each player's shortfall in units of its own payoff scale, times the largest scale
        scales = player_abs_scales(rg.game.payoffs)
        rel = ((1 - delta) * d[None, :] + delta * ws - u[None, :]) / scales[None, :]
        return float(rel.max(axis=1).min() * scales.max())


def sustaining_deltas(rg, profile, punishment="nash", *, grid: int = 64,
                      tol: float = 1e-10) -> SustainingDeltas:
    """The set of discount factors at which repeating ``profile`` forever is an SPE.

    Nash reversion to σ sustains a iff u_i(a) >= (1 − δ) d_i(a) + δ u_i(σ) for every
    player: linear in δ, so for one σ the set is a closed interval within (0, 1), or empty;
    it is bounded above when σ pays some player more than the target and that player's
    best deviation pays less than the target (near δ = 1 the player would deviate to
    trigger the punishment). With ``punishment="nash"`` reversion may go to any stage
    equilibrium, and the set is the union of their intervals (closed-form end points).

    With optimal penal codes (``punishment="optimal"``, two players) the worst SPE payoffs
    w(δ) move with δ and the set is a union of intervals, found on ``grid`` equally spaced
    points in (0, 1) plus 1 − 1e-9, each decided with the Abreu–Sannikov payoff set at
    that δ (a point whose set is not certified optimal counts as not sustaining and makes
    the status ``uncertified``), the boundaries refined by bisection to ``tol``. An
    interval shorter than the grid spacing that falls between two grid points is missed.

    Parameters
    ----------
    rg : RepeatedGame
    profile : sequence of int or str
    punishment : {"nash", "optimal"} or array_like (N,)
    grid : int
        Grid points of the ``"optimal"`` method (at least 4).
    tol : float
        Bisection tolerance of the ``"optimal"`` method.

    Returns
    -------
    SustainingDeltas
        ``delta_set`` (the intervals) and ``critical`` (their infimum; inf when empty).
        Fields: ``delta_set``, ``critical``, ``profile``, ``punishments``, ``method``,
        ``tol``, ``status``, ``message`` (see :class:`~paxgame.SustainingDeltas`;
        ``to_dict()`` gives them as JSON data).

    Examples
    --------
    A punishment that pays player 1 more than the target bounds the set above:

    >>> import paxgame as pg
    >>> g = pg.NormalFormGame([[[2, 0], [1, 0]], [[2, 3], [0, 0]]])
    >>> s = pg.RepeatedGame(g, 0.4).sustaining_deltas((0, 0), punishment=[3, 0])
    >>> [(round(lo, 12), round(hi, 12)) for lo, hi in s.delta_set], round(s.critical, 12)
    ([(0.333333333333, 0.5)], 0.333333333333)
    >>> bool(s.verify())
    True
    """
    func = "sustaining_deltas"
    check_repeated_game(func, rg)
    a = _profile(func, rg, profile)
    if isinstance(grid, bool) or not isinstance(grid, (int, np.integer)) or grid < 4:
        raise ValueError(f"{func}: grid must be an integer >= 4, got {grid!r}")
    if not (isinstance(tol, (int, float, np.floating)) and 0 < float(tol) < 0.1):
        raise ValueError(f"{func}: tol must be a number in (0, 0.1), got {tol!r}")
    pay = np.asarray(rg.game.payoffs, float)
    ar = np.asarray(a)[None]
    u = _kr.profile_payoffs(pay[None], ar)[0]
    d = _kr.deviation_payoffs(pay[None], ar, exclude_own=True)[0]
    if isinstance(punishment, str) and check_method(func, punishment, _PUNISHMENTS) == "optimal":
        return _sustaining_optimal(rg, a, u, d, int(grid), float(tol))
    if isinstance(punishment, str):
        mask = _kr.pure_equilibrium_mask(pay[None])[0]
        ws = pay.reshape(pay.shape[0], -1).T[mask.reshape(-1)]
        if len(ws) == 0:
            ws = _mixed_equilibrium_payoffs(rg)
            if len(ws) == 0:
                raise ValueError(f"{func}: the stage game has no pure Nash equilibrium to "
                                 f"revert to; pass the punishment payoffs explicitly "
                                 f"(punishment=[...])")
    else:
        ws = as_float_array(func, "punishment", punishment, shape=(rg.n_players,))[None]
    lo, hi = _kr.sustaining_interval(u[None, :], d[None, :], ws)
    intervals = _merge([(float(x), float(y)) for x, y in zip(lo, hi) if np.isfinite(x)])
    crit = intervals[0][0] if intervals else float("inf")
    msg = ("no discount factor in (0, 1) sustains the profile" if not intervals else
           f"sustained for delta in {_describe(intervals)}")
    return SustainingDeltas(delta_set=tuple(intervals), critical=crit, profile=tuple(a),
                            punishments=ws, method="closed_form", game=rg, message=msg)


def _merge(intervals):
    out = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _describe(intervals) -> str:
    return " U ".join(f"[{lo:.12g}, {hi:.12g}]" for lo, hi in intervals)


def _ud(rg, a):
    pay = np.asarray(rg.game.payoffs, float)[None]
    ar = np.asarray(a)[None]
    return (_kr.profile_payoffs(pay, ar)[0],
            _kr.deviation_payoffs(pay, ar, exclude_own=True)[0])


def _sustaining_optimal(rg, a, u, d, grid, tol, func="sustaining_deltas"):
    if rg.n_players != 2:
        raise ValueError(f"{func}: punishment='optimal' needs the exact payoff set of a "
                         f"two-player game, got {rg.n_players} players; use "
                         f"punishment='nash' or explicit punishment payoffs")
    scales = player_abs_scales(rg.game.payoffs)
    uncertain = []
    dd = np.where(np.isfinite(d), d, u)

    def ok(delta):
        ps = payoff_set(rg.replace(delta=delta), method="abreu_sannikov")
        if ps.status == "empty":
            return False
        if ps.status != "optimal":
            uncertain.append(delta)
            return False
        return _sustained(u, dd, ps.punishments, delta, 1e-12 * scales)

    points = np.r_[np.linspace(0, 1, grid + 1)[1:-1], 1 - 1e-9]
    good = [ok(x) for x in points]
    intervals = []
    j = 0
    while j < len(points):
        if not good[j]:
            j += 1
            continue
        k = j
        while k + 1 < len(points) and good[k + 1]:
            k += 1
        lo = 0.0 if j == 0 and ok(1e-9) else (
            _bisect(ok, points[j - 1] if j else 1e-9, points[j], tol, rising=True))
        hi = 1.0 if k == len(points) - 1 else _bisect(ok, points[k], points[k + 1], tol,
                                                       rising=False)
        intervals.append((lo, hi))
        j = k + 1
    crit = intervals[0][0] if intervals else float("inf")
    status = "uncertified" if uncertain else "optimal"
    msg = ("no grid point sustains the profile" if not intervals else
           f"sustained for delta in {_describe(intervals)} (grid of {grid} points, "
           f"boundaries to {tol:g})")
    if uncertain:
        msg += (f"; the payoff set was not certified at {len(uncertain)} discount factors "
                f"(e.g. {uncertain[0]:.12g}), counted as not sustaining")
    return SustainingDeltas(delta_set=tuple(intervals), critical=crit, profile=tuple(a),
                            punishments=np.empty((0, 2)), method="grid", tol=tol, game=rg,
                            status=status, message=msg)


def _bisect(ok, lo: float, hi: float, tol: float, *, rising: bool) -> float:
    """The boundary in [lo, hi] where ``ok`` switches (rising: false at lo, true at hi;
    returns the sustaining side)."""
    if rising:
        return bisect(ok, lo, hi, xtol=tol).hi
    return bisect(lambda x: not ok(x), lo, hi, xtol=tol).lo


def _sustained(u, d, w, delta, tol) -> bool:
    return bool(np.all(u >= (1 - delta) * d + delta * w - tol))


def bisect_threshold(ok, lo: float, hi: float, tol: float) -> float:
    """The smallest δ in (lo, hi] with ``ok(δ)``, to ``tol``, given ``not ok(lo)`` and ``ok(hi)``.

    Bisection is exact to ``tol`` when the set where ``ok`` holds is an interval ending at
    or above ``hi`` (the caller's bracket proof); it returns the upper end of the last bracket.
    """
    return bisect(ok, lo, hi, xtol=tol).hi


def sustainable(rg, profile, punishment="nash", *, tol: float = 1e-9) -> bool:
    """Whether repeating ``profile`` forever is subgame perfect at ``rg``'s discount factors.

    Checks u_i(a) >= (1 − δ_i) d_i(a) + δ_i w_i for every player (within ``tol`` × that
    player's own payoff scale, its largest absolute payoff), with w the Nash-reversion payoffs, the worst SPE payoffs
    (``punishment="optimal"``) or given punishment payoffs.

    Examples
    --------
    >>> import paxgame as pg
    >>> pd = pg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> pg.RepeatedGame(pd, 0.4).sustainable((0, 0))
    False
    """
    func = "sustainable"
    check_repeated_game(func, rg)
    a = _profile(func, rg, profile)
    pay = np.asarray(rg.game.payoffs)
    ar = np.asarray(a)[None]
    u = _kr.profile_payoffs(pay[None], ar)[0]
    d = _kr.deviation_payoffs(pay[None], ar, exclude_own=True)[0]
    if isinstance(punishment, str) and check_method(func, punishment, _PUNISHMENTS) == "optimal":
        w = worst_payoffs(rg)
        if np.any(np.isnan(w)):
            return False
    else:
        w = punishment_payoffs(rg, a, punishment, func=func)
    return _sustained(u, d, w, rg.deltas, tol * player_abs_scales(pay))


def worst_payoffs(rg, **options) -> np.ndarray:
    """Each player's worst subgame-perfect payoff w_i (Abreu's optimal penal code values).

    Read off the payoff set: the exact Abreu–Sannikov polygon for two players; for more
    players the outer (Judd–Yeltekin–Conklin) approximation, whose minima are lower bounds
    of the true values. NaN when there is no pure-strategy SPE.

    Examples
    --------
    >>> import paxgame as pg
    >>> pd = pg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> pg.RepeatedGame(pd, 0.6).worst_payoffs()
    array([1., 1.])
    """
    check_repeated_game("worst_payoffs", rg)
    method = "abreu_sannikov" if rg.n_players == 2 else "outer"
    ps = payoff_set(rg, method=method, **options)
    return np.array(ps.punishments, dtype=float)

"""Critical discount factors, sustainability and optimal punishments of stationary profiles.

Nash reversion (Friedman 1971): after any deviation the players revert forever to a stage
Nash equilibrium σ; the stationary profile a is subgame perfect iff for every player i

    u_i(a) >= (1 − δ) d_i(a) + δ u_i(σ),    d_i(a) = max over a_i' of u_i(a_i', a_−i),

so the critical δ is max_i (d_i − u_i(a)) / (d_i − u_i(σ)) (0 for players with nothing to
gain). Optimal penal codes (Abreu 1988) replace u_i(σ) by player i's worst subgame-perfect
payoff w_i(δ), read off the Abreu–Sannikov payoff set.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_method
from ..kernels import repeated as _kr

__all__ = ["critical_delta", "sustainable", "worst_payoffs", "punishment_payoffs"]

_PUNISHMENTS = ("nash", "optimal")


def _profile(func: str, rg, profile) -> tuple[int, ...]:
    return rg.game._check_pure_profile(func, profile)


def _check_rg(func: str, rg):
    from ..games.repeated_game import RepeatedGame

    if not isinstance(rg, RepeatedGame):
        raise TypeError(f"{func}: expected a RepeatedGame, got {type(rg).__name__}")


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
    ratios = _kr.critical_delta_ratios(u, d, mixed).max(axis=1)
    return mixed[int(np.argmin(ratios))]


def _mixed_equilibrium_payoffs(rg) -> np.ndarray:
    """Payoff vectors of the stage game's mixed equilibria (two players, when the stage
    solver is available); shape (k, N)."""
    from .. import stage

    nash = getattr(stage, "nash", None)
    if rg.n_players != 2 or nash is None:
        return np.empty((0, rg.n_players))
    eqs = nash(rg.game, method="support")
    out = []
    for eq in eqs:
        strategies = getattr(eq, "strategies", None)
        if strategies is None:
            continue
        out.append(rg.game.expected_payoffs(strategies))
    return np.array(out).reshape(-1, rg.n_players)


def critical_delta(rg, profile, punishment="nash") -> float:
    """The smallest common discount factor at which repeating ``profile`` is an SPE.

    Parameters
    ----------
    rg : RepeatedGame
    profile : sequence of int or str
        One action (index or name) per player.
    punishment : {"nash", "optimal"} or array_like (N,)
        "nash": reversion to the pure stage equilibrium that sustains the profile at the
        lowest δ (mixed equilibria for two-player games without a pure one); "optimal":
        Abreu's (1988) optimal penal codes, the worst SPE payoffs w(δ), two players only,
        found by bisection on δ (sustainability is monotone in δ because the SPE payoff
        set grows with δ); an array: fixed punishment payoffs.

    Returns
    -------
    float
        δ* = max_i (d_i − u_i(a)) / (d_i − w_i). A value >= 1 (or inf) means that no δ in
        (0, 1) sustains the profile; 0 means the profile is a stage equilibrium.

    Notes
    -----
    The computation for fixed punishments is :func:`paxgame.batch.critical_delta` on a
    batch of one game.

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
    _check_rg(func, rg)
    a = _profile(func, rg, profile)
    if isinstance(punishment, str) and check_method(func, punishment, _PUNISHMENTS) == "optimal":
        return _critical_delta_optimal(rg, a)
    w = punishment_payoffs(rg, a, punishment, func=func)
    pay = np.asarray(rg.game.payoffs)[None]
    return float(_kr.critical_delta(pay, np.asarray(a)[None], w[None])[0])


def _sustained(u, d, w, delta, tol) -> bool:
    return bool(np.all(u >= (1 - delta) * d + delta * w - tol))


def _critical_delta_optimal(rg, a, *, tol: float = 1e-10) -> float:
    func = "critical_delta"
    if rg.n_players != 2:
        raise ValueError(f"{func}: punishment='optimal' needs the exact payoff set of a "
                         f"two-player game, got {rg.n_players} players; use "
                         f"punishment='nash' or explicit punishment payoffs")
    pay = np.asarray(rg.game.payoffs)
    ar = np.asarray(a)[None]
    u = _kr.profile_payoffs(pay[None], ar)[0]
    d = _kr.deviation_payoffs(pay[None], ar, exclude_own=True)[0]
    if np.all(d <= u):
        return 0.0
    scale = max(float(np.max(np.abs(pay))), 1e-300)
    # a lower bound: every pure SPE payoff is at least the pure minmax value
    lo = float(_kr.critical_delta_ratios(u, d, _kr.pure_minmax(pay[None])[0]).max())
    if lo >= 1:
        return lo
    def ok(delta):
        ps = rg.replace(delta=delta).payoff_set(method="abreu_sannikov")
        if ps.status == "empty":
            return False
        return _sustained(u, d, ps.punishments, delta, 1e-12 * scale)

    hi = 1.0 - 1e-9
    try:
        nash_w = punishment_payoffs(rg, a, "nash", func=func)
        dn = float(_kr.critical_delta_ratios(u, d, nash_w).max())
        if dn < 1:
            hi = min(hi, dn)
    except ValueError:
        # no stage equilibrium to revert to: the bracket starts at 1 - 1e-9
        pass
    if not ok(hi):
        return float("inf")
    lo = max(lo, 1e-9)
    if ok(lo):
        return lo
    return bisect_threshold(ok, lo, hi, tol)


def bisect_threshold(ok, lo: float, hi: float, tol: float) -> float:
    """The smallest δ in (lo, hi] with ``ok(δ)``, to ``tol``, given ``not ok(lo)`` and ``ok(hi)``.

    Bisection is exact to ``tol`` when the set where ``ok`` holds is an interval ending at
    or above ``hi`` (the caller's bracket proof); it returns the upper end of the last bracket.
    """
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return float(hi)


def sustainable(rg, profile, punishment="nash", *, tol: float = 1e-9) -> bool:
    """Whether repeating ``profile`` forever is subgame perfect at ``rg``'s discount factors.

    Checks u_i(a) >= (1 − δ_i) d_i(a) + δ_i w_i for every player (within ``tol`` × the
    payoff scale), with w the Nash-reversion payoffs, the worst SPE payoffs
    (``punishment="optimal"``) or given punishment payoffs.

    Examples
    --------
    >>> import paxgame as pg
    >>> pd = pg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> pg.RepeatedGame(pd, 0.4).sustainable((0, 0))
    False
    """
    func = "sustainable"
    _check_rg(func, rg)
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
    scale = max(float(np.max(np.abs(pay))), 1.0)
    return _sustained(u, d, w, rg.deltas, tol * scale)


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
    _check_rg("worst_payoffs", rg)
    method = "abreu_sannikov" if rg.n_players == 2 else "outer"
    ps = rg.payoff_set(method=method, **options)
    return np.array(ps.punishments, dtype=float)

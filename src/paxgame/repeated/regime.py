"""Solvers for regime (stochastic) games: stationary Markov equilibria, critical discount
factors of stationary profiles under grim-trigger reversion, and Shapley's value iteration
for two-player zero-sum regime games."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .._results import Certificate, SolverResult
from .._validation import as_float_array, check_discount, check_method, check_tolerance
from ..games.normal_form import check_pure_profile
from ..kernels import repeated_regime as _kg
from ..kernels.payoffs import abs_scale, player_abs_scales
from .critical import bisect_threshold
from .data import check_regime_game

__all__ = ["MarkovEquilibrium", "ZeroSumValue", "critical_delta", "markov_equilibria",
           "zero_sum_value"]


def _data(game):
    u = [np.asarray(g.payoffs, float).reshape(g.n_players, -1).T for g in game.stage_games]
    trans = [np.asarray(t, float).reshape(-1, game.n_regimes) for t in game.transitions]
    dev = [_kg.deviation_index(g.num_actions) for g in game.stage_games]
    return u, trans, dev


@dataclass(frozen=True, kw_only=True)
class MarkovEquilibrium(SolverResult):
    """A pure stationary Markov perfect equilibrium of a regime game.

    Attributes
    ----------
    profiles : tuple of tuple of int
        The pure profile played in each regime.
    values : ndarray (K, N)
        Normalised values per regime and player.
    regret : float
        The largest one-shot gain of any player in any regime (<= tol).
    """

    profiles: tuple
    values: np.ndarray
    regret: float
    delta: float = 0.0
    game: object = field(default=None, repr=False)
    average: np.ndarray | None = field(default=None, repr=False)  # (N,) m
    relative_values: np.ndarray | None = field(default=None, repr=False)  # (K, N) h

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-check by residuals, not the linear solve the solver used. The values are
        stored as V = m + (1 − δ) h (``average`` m, ``relative_values`` h, well scaled as
        δ -> 1); checks: ``values`` (V equals m + (1 − δ) h), ``bellman`` (the relative
        Bellman equation m + h_s = u_s + δ Σ P(s' | s) h_s' of the profile, in flow
        units), ``regret`` (no one-shot deviation gains: (u_k − u_a) + δ (P_k − P_a)·h,
        flow units) and ``reported_regret`` (the ``regret`` field is that gain).
        Default tolerance 1e-8 × the payoff scale.

        ``exact=True``: not available (floating-point linear algebra); returns a failing
        exact certificate with the single check ``"exact_check_unavailable: ..."`` rather
        than claim an exact check."""
        if exact:
            return Certificate.from_violations(
                {"exact_check_unavailable: regime-game values by floating-point linear "
                 "algebra": 1}, 0.0, exact=True)
        u, trans, dev = _data(self.game)
        tol = 1e-8 * abs_scale(*u) if tol is None else float(tol)
        k = len(u)
        flat = [int(np.ravel_multi_index(p, g.num_actions))
                for p, g in zip(self.profiles, self.game.stage_games)]
        uu = np.array([u[s][flat[s]] for s in range(k)])  # (K, N)
        pp = np.array([trans[s][flat[s]] for s in range(k)])  # (K, K)
        m = np.asarray(self.average, float)
        h = np.asarray(self.relative_values, float)
        d = self.delta
        bellman = float(np.max(np.abs(m[None, :] + h - uu - d * pp @ h)))
        vals = float(np.max(np.abs(m[None, :] + (1 - d) * h - self.values)))
        gain, rel = -np.inf, -np.inf
        scales = player_abs_scales(u)
        for s in range(k):
            for i in range(uu.shape[1]):
                idx = dev[s][i][flat[s]]
                g = (u[s][idx, i] - uu[s, i]) + d * (trans[s][idx] - pp[s]) @ h[:, i]
                gain = max(gain, float(g.max()))
                rel = max(rel, float(g.max()) / scales[i])
        # the regret check is per player: gains in units of each player's own payoff
        # scale, reported times the largest scale (the unit of ``tol``)
        return Certificate.from_violations(
            {"values": vals, "bellman": bellman, "regret": max(rel, 0.0) * scales.max(),
             "reported_regret": abs(max(gain, 0.0) - float(self.regret))}, tol)


@dataclass(frozen=True, kw_only=True)
class ZeroSumValue(SolverResult):
    """The value of a two-player zero-sum regime game (Shapley 1953).

    Attributes
    ----------
    values : ndarray (K,)
        Normalised value of each regime for player 1 (the row player).
    strategies : tuple of (ndarray, ndarray)
        Per regime the stationary optimal mixed strategies (row, column).
    iterations : int
    change : float
        The last sup-norm change of the value iteration.
    """

    values: np.ndarray
    strategies: tuple
    iterations: int = 0
    change: float = float("nan")
    delta: float = 0.0
    game: object = field(default=None, repr=False)
    average: float = float("nan")
    relative_values: np.ndarray | None = field(default=None, repr=False)  # (K,) h

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-check the Shapley equation at the returned values, in flow units (well
        scaled however close δ is to 1): with v = m + (1 − δ) h (``average`` m,
        ``relative_values`` h; check ``values``), in every regime the row strategy
        guarantees at least m + h_s and the column strategy concedes at most m + h_s in the
        matrix game A_s + δ Σ P h (``row_guarantee``, ``column_guarantee``; this is the
        Shapley game (1 − δ)A_s + δ Σ P v less δ m, divided by 1 − δ), and the strategies
        are probability vectors (``strategies``). Default tolerance 1e-7 × the payoff
        scale.

        ``exact=True``: not available; returns a failing exact certificate with the single
        check ``"exact_check_unavailable: ..."`` rather than claim an exact check."""
        if exact:
            return Certificate.from_violations(
                {"exact_check_unavailable: Shapley value by floating-point linear "
                 "algebra": 1}, 0.0, exact=True)
        a_list, t_list = _zero_sum_data(self.game)
        tol = 1e-7 * abs_scale(*a_list) if tol is None else float(tol)
        if self.relative_values is None or any(x is None for st in self.strategies
                                               for x in st):
            return Certificate.from_violations({"certificate_data_missing": np.inf}, tol)
        m, h, d = float(self.average), np.asarray(self.relative_values, float), self.delta
        vals = float(np.max(np.abs(m + (1 - d) * h - np.asarray(self.values, float))))
        row_gap = col_gap = simplex = 0.0
        for s, (a, t) in enumerate(zip(a_list, t_list)):
            g = a + d * t @ h
            x, y = (np.asarray(z, float) for z in self.strategies[s])
            simplex = max(simplex, abs(float(x.sum()) - 1), abs(float(y.sum()) - 1),
                          float(-x.min()), float(-y.min()))
            row_gap = max(row_gap, float(m + h[s] - (x @ g).min()))
            col_gap = max(col_gap, float((g @ y).max() - m - h[s]))
        return Certificate.from_violations({"values": vals, "row_guarantee": max(row_gap, 0.0),
                                            "column_guarantee": max(col_gap, 0.0),
                                            "strategies": simplex}, tol)


def _candidates(u, cap, func, hint="; use method='policy'"):
    sizes = [x.shape[0] for x in u]
    cand = _kg.cartesian([np.arange(m) for m in sizes], cap)
    if cand is None:
        total = float(np.prod(sizes, dtype=float))
        raise ValueError(f"{func}: {total:.4g} stationary pure profiles exceed max_profiles="
                         f"{cap}{hint}")
    return cand


def _unflatten(game, flat):
    return tuple(tuple(int(x) for x in np.unravel_index(int(p), g.num_actions))
                 for p, g in zip(flat, game.stage_games))


def markov_equilibria(game, method: str = "enumerate", *, delta=None, tol: float = 1e-9,
                      max_profiles: int = 200_000, max_iter: int = 1000,
                      start=None) -> list[MarkovEquilibrium]:
    """Pure stationary Markov perfect equilibria of a regime game.

    Parameters
    ----------
    game : RegimeGame
    method : {"enumerate", "policy"}
        "enumerate": every stationary pure profile (one per regime) is valued by a linear
        solve and checked for one-shot deviations (all pure equilibria; vectorised over the
        candidates); "policy": best-response (policy) iteration from ``start`` (default the
        first action of everyone), returning the equilibrium it reaches, if any.
    delta : float, optional
        Discount factor (default the game's).
    tol : float
        Largest one-shot gain tolerated (flow units), relative to each player's own payoff
        scale (its largest absolute payoff).

    Returns
    -------
    list of MarkovEquilibrium
        Empty when there is no pure stationary equilibrium.

    Examples
    --------
    >>> import paxgame as pg
    >>> pd = pg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> eqs = pg.RegimeGame([pd, pd], [[0.9, 0.1], [0.2, 0.8]], 0.9).markov_equilibria()
    >>> [e.profiles for e in eqs]
    [((1, 1), (1, 1))]
    """
    func = "markov_equilibria"
    check_regime_game(func, game)
    method = check_method(func, method, ("enumerate", "policy"))
    delta = game.delta if delta is None else check_discount(func, delta, "delta")
    tol = check_tolerance(func, tol)
    u, trans, dev = _data(game)
    tol_abs = tol * player_abs_scales(u)  # (N,): each player's own payoff scale
    if method == "enumerate":
        cand = _candidates(u, int(max_profiles), func)
        vals, regret, avg, rel = _kg.pure_markov_candidates(u, trans, dev, delta, cand,
                                                            tol_abs)
        keep = np.flatnonzero(np.all(regret <= tol_abs[None, :], axis=1))
        return [MarkovEquilibrium(profiles=_unflatten(game, cand[c]), values=vals[c],
                                  regret=float(max(regret[c].max(), 0.0)), delta=delta, game=game,
                                  average=avg[c], relative_values=rel[c],
                                  message="pure stationary Markov perfect equilibrium "
                                          "(enumeration)")
                for c in keep]
    k, n = len(u), u[0].shape[1]
    if start is None:
        cur = np.zeros(k, dtype=np.intp)
    else:
        cur = np.array([np.ravel_multi_index(tuple(p), g.num_actions)
                        for p, g in zip(start, game.stage_games)], dtype=np.intp)
    seen = set()
    for _ in range(int(max_iter)):
        vals, regret, avg, rel = _kg.pure_markov_candidates(u, trans, dev, delta, cur[None],
                                                            tol_abs)
        if np.all(regret[0] <= tol_abs):
            return [MarkovEquilibrium(profiles=_unflatten(game, cur), values=vals[0],
                                      regret=float(max(regret[0].max(), 0.0)), delta=delta,
                                      game=game, average=avg[0], relative_values=rel[0],
                                      message="reached by best-response (policy) "
                                              "iteration")]
        key = tuple(cur)
        if key in seen:
            break
        seen.add(key)
        new = cur.copy()
        shapes = [g.num_actions for g in game.stage_games]
        for s in range(k):
            prof = list(np.unravel_index(int(cur[s]), shapes[s]))
            for i in range(n):
                # one-shot gains in flow units on the relative values (well scaled at δ -> 1)
                idx = dev[s][i][cur[s]]
                gain = (u[s][idx, i] - u[s][cur[s], i]) + delta * (
                    trans[s][idx] - trans[s][cur[s]]) @ rel[0, :, i]
                if gain.max() > tol_abs[i]:
                    prof[i] = int(np.argmax(gain))
            new[s] = np.ravel_multi_index(tuple(prof), shapes[s])
        cur = new
    return []


def _profiles_arg(func, game, profiles):
    if isinstance(profiles, (str, bytes)) or not isinstance(profiles, Sequence):
        raise TypeError(f"{func}: profiles must be a sequence with one pure profile per "
                        f"regime, got {type(profiles).__name__}")
    if len(profiles) != game.n_regimes:
        raise ValueError(f"{func}: profiles must have {game.n_regimes} entries (one per "
                         f"regime), got {len(profiles)}")
    return [check_pure_profile(f"{func}", g, p) for p, g in zip(profiles, game.stage_games)]


def _punishment_values(game, delta, data, exo_candidates):
    """Values (C, K, N) of the pure Markov perfect equilibria at δ."""
    u, trans, dev = data
    if exo_candidates is not None:
        # exogenous regimes: actions do not move the state, so the Markov perfect equilibria
        # are exactly the stage equilibria per regime, at every δ
        if len(exo_candidates) == 0:
            return np.empty((0, len(u), u[0].shape[1]))
        return _kg.pure_markov_candidates(u, trans, dev, delta, exo_candidates, 0.0)[0]
    tol_abs = 1e-9 * player_abs_scales(u)
    cand = _candidates(u, 200_000, "critical_delta",
                       "; with action-dependent transitions the punishments are found by "
                       "enumeration: pass the punishment values explicitly (punishment=...)")
    vals, regret, _, _ = _kg.pure_markov_candidates(u, trans, dev, delta, cand, tol_abs)
    return vals[np.all(regret <= tol_abs[None, :], axis=1)]


def _exogenous_candidates(game, u, dev, tol_abs):
    """Per regime the stage pure equilibria (flat indices); their product as (C, K)."""
    per = []
    for s, g in enumerate(game.stage_games):
        pay = np.asarray(g.payoffs, float)
        ok = np.ones(u[s].shape[0], bool)
        for i in range(g.n_players):
            best = u[s][dev[s][i], i].max(axis=1)
            ok &= u[s][:, i] >= best - tol_abs[i]
        per.append(np.flatnonzero(ok))
    if any(len(x) == 0 for x in per):
        return np.empty((0, len(per)), dtype=np.intp)
    cand = _kg.cartesian(per, 200_000)
    if cand is None:
        total = float(np.prod([len(x) for x in per], dtype=float))
        raise ValueError(f"critical_delta: {total:.4g} combinations of the regimes' stage "
                         f"equilibria exceed the limit of 200000 punishments; pass the "
                         f"punishment values explicitly (punishment=...)")
    return cand


def _sustained(target_flat, delta, data, punishments, tol_abs) -> bool:
    """Whether the stationary target (flat profile per regime) is sustained at δ by
    reversion to any of the punishment value arrays (C, K, N)."""
    u, trans, dev = data
    k, n = len(u), u[0].shape[1]
    if len(punishments) == 0:
        return False
    v = _kg.pure_markov_candidates(u, trans, dev, delta, target_flat[None], tol_abs)[0][0]
    c = len(punishments)
    ok = np.ones(c, bool)
    for s in range(k):
        prof = np.unravel_index(int(target_flat[s]), tuple(dev[s][i].shape[1]
                                                           for i in range(n)))
        for i in range(n):
            dv = _kg.deviation_values(u[s], trans[s], dev[s], delta, punishments[:, :, i],
                                      np.full(c, target_flat[s]), i)  # (C, m_i)
            dv[:, int(prof[i])] = -np.inf  # only true deviations
            ok &= dv.max(axis=1) <= v[s, i] + tol_abs[i]
    return bool(ok.any())


def critical_delta(game, profiles, punishment="nash", *, tol: float = 1e-12,
                   grid: int = 100) -> float:
    """The smallest δ at which playing ``profiles`` (one pure profile per regime) forever is
    subgame perfect under grim-trigger reversion.

    After any deviation play reverts forever to a pure stationary Markov perfect
    equilibrium (``punishment="nash"``: any of them, the one that deters best at each δ;
    with exogenous regimes these are the stage equilibria of each regime; or an array
    (K, N) of fixed normalised punishment values). The incentive constraint of player i
    in regime s compares the profile's value V_i(s) with the best deviation
    (1 − δ)u_i^s(k, a_−i) + δ Σ_s' P(s' | s, k, a_−i) Z_i(s').

    The critical δ is the infimum of the sustaining discount factors, as for
    :meth:`RepeatedGame.critical_delta`. The set need not be an interval when punishment
    values change with δ (and it is bounded above when a punishment pays some player
    more than the target), so it is found on a grid of ``grid`` points in (0, 1) plus
    1 − 1e-9: the first sustaining grid point and the failing one before it bracket the
    infimum, refined by bisection to ``tol`` (a sustaining stretch narrower than the grid
    spacing that lies before the first sustaining grid point is missed). Returns inf when
    no grid point sustains the profiles, 0 when every small δ does.

    Examples
    --------
    >>> import paxgame as pg
    >>> pd = pg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> calm = pg.NormalFormGame([[[3, 0], [4, 1]], [[3, 4], [0, 1]]])
    >>> rg = pg.RegimeGame([pd, calm], [[0.5, 0.5], [0.5, 0.5]], 0.9)
    >>> round(rg.critical_delta([(0, 0), (0, 0)]), 6)
    0.5
    """
    func = "critical_delta"
    check_regime_game(func, game)
    target = _profiles_arg(func, game, profiles)
    u, trans, dev = data = _data(game)
    tol_abs = 1e-13 * player_abs_scales(u)
    flat = np.array([np.ravel_multi_index(p, g.num_actions)
                     for p, g in zip(target, game.stage_games)], dtype=np.intp)
    if isinstance(punishment, str):
        check_method(func, punishment, ("nash",))
        exo = (_exogenous_candidates(game, u, dev, 1e-9 * player_abs_scales(u)) if game.exogenous
               else None)

        def ok(d):
            return _sustained(flat, d, data, _punishment_values(game, d, data, exo), tol_abs)
    else:
        pun = as_float_array(func, "punishment", punishment,
                             shape=(game.n_regimes, game.n_players))[None]

        def ok(d):
            return _sustained(flat, d, data, pun, tol_abs)

    points = np.r_[np.linspace(0, 1, int(grid) + 2)[1:-1], 1 - 1e-9]
    good = np.array([ok(d) for d in points])
    if not good.any():
        return float("inf")
    first = int(np.flatnonzero(good)[0])
    if first == 0:
        if ok(1e-12):
            return 0.0
        lo, hi = 0.0, points[0]
    else:
        lo, hi = points[first - 1], points[first]
    return bisect_threshold(ok, lo, hi, tol)


def _zero_sum_data(game):
    a_list, t_list = [], []
    for s, (g, t) in enumerate(zip(game.stage_games, game.transitions)):
        a_list.append(np.asarray(g.payoffs[0], float))
        t_list.append(np.asarray(t, float))
    return a_list, t_list


def zero_sum_value(game, *, tol: float = 1e-10, max_iter: int = 1000) -> ZeroSumValue:
    """Value and stationary optimal strategies of a two-player zero-sum regime game.

    The values solve Shapley's (1953) equation v_s = val[(1 − δ)A_s + δ Σ_s' P(s' | s, ·)
    v_s']. Value iteration contracts only at rate δ (about 1/(1 − δ) rounds), so the
    solver uses Hoffman & Karp's (1966) strategy iteration instead: fix the column
    player's stationary strategy, solve the row player's decision problem against it
    exactly (policy iteration), and replace the column strategy by an optimal one of the
    matrix games at the new values; it stops when the values fall by at most ``tol`` ×
    the payoff scale (flow units) and is capped at ``max_iter`` rounds
    (``not_converged``). Values are kept as v = m + (1 − δ) h, which stays well
    conditioned as δ -> 1, and the answer is certified by :meth:`ZeroSumValue.verify`
    (status ``uncertified`` when that check fails).

    Returns
    -------
    ZeroSumValue
        Fields: ``values``, ``strategies``, ``iterations``, ``change``, ``delta``,
        ``average``, ``status``, ``message`` (see :class:`~paxgame.ZeroSumValue`;
        ``to_dict()`` gives them as JSON data).

    Raises
    ------
    ValueError
        If the game does not have two players or some regime is not zero-sum.

    Examples
    --------
    Matching pennies in one regime:

    >>> import paxgame as pg
    >>> mp = pg.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> r = pg.RegimeGame([mp], [[1.0]], 0.9).zero_sum_value()
    >>> r.values.round(9) + 0.0, r.strategies[0][0].round(6)
    (array([0.]), array([0.5, 0.5]))
    """
    func = "zero_sum_value"
    check_regime_game(func, game)
    if game.n_players != 2:
        raise ValueError(f"{func}: needs two players, got {game.n_players}")
    for s, g in enumerate(game.stage_games):
        pay = np.asarray(g.payoffs)
        if not np.allclose(pay[0] + pay[1], 0, atol=1e-12 * (np.max(np.abs(pay)) or 1)):
            raise ValueError(f"{func}: stage_games[{s}] is not zero-sum (payoffs[1] must "
                             f"equal -payoffs[0])")
    tol = check_tolerance(func, tol)
    a_list, t_list = _zero_sum_data(game)
    delta = game.delta
    m, h, it, change, status = _kg.hoffman_karp(a_list, t_list, delta,
                                                 tol=tol * abs_scale(*a_list),
                                                 max_iter=int(max_iter))
    v = m + (1 - delta) * h
    strategies = []
    for s in range(len(a_list)):
        _, x, y, st = _kg.matrix_game(a_list[s] + delta * t_list[s] @ h)
        if st != "optimal":
            status = st
            x = y = None
        strategies.append((x, y))
    message = (f"strategy iteration converged in {it} rounds" if status == "optimal"
               else f"strategy iteration stopped: {status} after {it} rounds")
    res = ZeroSumValue(values=v, strategies=tuple(strategies), iterations=it,
                       change=float(change), delta=delta, game=game, status=status,
                       message=message, average=float(m), relative_values=h)
    if status == "optimal":
        cert = res.verify()
        if not cert.ok:
            from dataclasses import replace

            res = replace(res, status="uncertified",
                          message=f"{message}, but the Shapley-equation check failed: {cert}")
    return res

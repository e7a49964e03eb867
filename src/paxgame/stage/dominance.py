"""Iterated elimination of dominated actions: strict (pure and mixed domination) and weak."""

from __future__ import annotations

import numpy as np

from .._validation import check_tolerance
from ..errors import SolverError
from ..kernels.lp import solve_lp
from ..kernels.payoffs import payoff_scale
from .nash import check_game
from ._results import DominanceResult

__all__ = ["eliminate_dominated", "eliminate_weakly_dominated"]


def _dominated_by_pure(u: np.ndarray, tol: float) -> np.ndarray:
    """u (m, K): action a is dominated when some other row beats it by > tol everywhere."""
    beats = np.all(u[None, :, :] > u[:, None, :] + tol, axis=2)       # beats[a, b]: b beats a
    return beats.any(axis=1)


def _dominated_by_mixture(u: np.ndarray, a: int, tol: float) -> bool:
    """One LP (HiGHS): max eps s.t. sum_b s_b u[b] >= u[a] + eps, s in simplex over b != a."""
    others = [b for b in range(u.shape[0]) if b != a]
    if not others:
        return False
    V = u[others]                                                        # (k, K)
    k, K = V.shape
    c = np.zeros(k + 1)
    c[-1] = -1.0
    res = solve_lp(c, A_ub=np.hstack([-V.T, np.ones((K, 1))]), b_ub=-u[a],
                   A_eq=np.hstack([np.ones((1, k)), np.zeros((1, 1))]), b_eq=[1.0],
                   bounds=[(0, None)] * k + [(None, None)])
    if not res.success:
        raise SolverError(f"eliminate_dominated: the domination LP ended with status "
                          f"{res.status}: {res.message}")
    return -res.fun > tol


def eliminate_dominated(game, mixed: bool = True, *, tol: float = 1e-9):
    """Iterated elimination of strictly dominated actions.

    Each round removes, for every player at once, the actions strictly dominated (by more
    than ``tol`` against every remaining profile of the others) by another pure action or,
    with ``mixed=True``, by a mixture of the player's other remaining actions (one LP per
    action, HiGHS). Rounds repeat until nothing is removed. For strict dominance the result
    does not depend on the order of elimination (Gilboa, Kalai & Zemel 1990), and every
    Nash equilibrium of the game survives.

    Parameters
    ----------
    game : NormalFormGame
    mixed : bool
        Also eliminate actions dominated by mixtures (for two or more players; domination
        is tested against the others' pure profiles, which is equivalent).
    tol : float
        Relative margin: domination must exceed tol x s_i, s_i player i's payoff scale
        (the range of its payoffs, :func:`paxgame.kernels.payoffs.payoff_scale`); the
        comparisons and LPs run on each player's payoffs divided by s_i, so the answer
        does not depend on the payoffs' units. ``tol=0`` compares exactly.

    Returns
    -------
    reduced : NormalFormGame
        The game restricted to the surviving actions (names kept).
    kept : tuple of ndarray
        For each player, the original indices of the surviving actions.

    Examples
    --------
    In the prisoner's dilemma cooperation is strictly dominated:

    >>> import paxgame as pg
    >>> reduced, kept = pg.eliminate_dominated(pg.load("games/classic/prisoners_dilemma.toml"))
    >>> kept
    (array([1]), array([1]))
    >>> reduced.actions
    (('defect',), ('defect',))
    """
    func = "eliminate_dominated"
    game = check_game(func, game)
    if not isinstance(mixed, (bool, np.bool_)):
        raise TypeError(f"{func}: mixed must be True or False, got {type(mixed).__name__}")
    tol = check_tolerance(func, tol, zero_ok=True)
    payoffs = _per_player_scaled(game)
    N = game.n_players
    kept = [np.arange(m) for m in game.num_actions]
    while True:
        sub = payoffs[(slice(None),) + np.ix_(*kept)]
        removed = False
        new_kept = []
        for i in range(N):
            u = np.moveaxis(sub[i], i, 0).reshape(len(kept[i]), -1)
            dominated = _dominated_by_pure(u, tol)
            if mixed and len(kept[i]) > 2:
                for a in np.flatnonzero(~dominated):
                    dominated[a] = _dominated_by_mixture(u, int(a), tol)
            if dominated.all():  # cannot happen for strict dominance; keep the game valid
                dominated[:] = False
            removed |= bool(dominated.any())
            new_kept.append(kept[i][~dominated])
        kept = new_kept
        if not removed:
            break
    reduced = _subgame(game, kept)
    return reduced, tuple(kept)


def _subgame(game, kept):
    """The subgame on the kept actions, with the original names."""
    payoffs = np.asarray(game.payoffs)[(slice(None),) + np.ix_(*kept)]
    actions = [[game.actions[i][a] for a in k] for i, k in enumerate(kept)]
    return game.replace(payoffs=np.ascontiguousarray(payoffs), actions=actions)


def _per_player_scaled(game) -> np.ndarray:
    """Each player's payoffs divided by its own payoff scale (tolerances are per player)."""
    payoffs = np.asarray(game.payoffs, dtype=float)
    N = game.n_players
    return payoffs / payoff_scale(payoffs, N).reshape((N,) + (1,) * N)


def _weak_dominator_pure(u: np.ndarray, a: int, tol: float):
    """The first other row that weakly dominates row a (>= everywhere within tol, > tol
    somewhere), or None."""
    for b in range(u.shape[0]):
        if b != a and np.all(u[b] >= u[a] - tol) and np.any(u[b] > u[a] + tol):
            return b
    return None


def _weak_dominator_mixed(u: np.ndarray, a: int, tol: float):
    """A mixture of the other rows that weakly dominates row a, or None: one LP (HiGHS),
    max sum_k (s'u - u[a])_k s.t. s'u >= u[a], s in the simplex over rows b != a."""
    others = [b for b in range(u.shape[0]) if b != a]
    if not others:
        return None
    V = u[others]                                                        # (k, K)
    k, K = V.shape
    res = solve_lp(-V.sum(axis=1), A_ub=-V.T, b_ub=-u[a], A_eq=np.ones((1, k)),
                   b_eq=[1.0], bounds=[(0, None)] * k)
    if not res.success:
        return None                                  # infeasible: no mixture is >= row a
    mix = np.zeros(u.shape[0])
    mix[others] = np.clip(res.x, 0.0, None)
    mix /= mix.sum()
    diff = mix @ u - u[a]
    if diff.min() >= -tol and diff.max() > tol:
        return mix
    return None


def eliminate_weakly_dominated(game, mixed: bool = False, *, order: str = "simultaneous",
                               tol: float = 1e-9) -> DominanceResult:
    """Iterated elimination of weakly dominated actions, with the elimination order.

    An action is weakly dominated when another action (or, with ``mixed=True``, a mixture
    of the player's other remaining actions) does at least as well against every
    remaining profile of the others and strictly better against at least one. Unlike
    strict dominance, the outcome of iterated *weak* dominance depends on the order of
    elimination (Samuelson 1992; Osborne & Rubinstein 1994, section 4.2): the reduced game,
    and which equilibria survive, can change with it. Pure Nash equilibria can be lost
    (a weakly dominated action can be part of an equilibrium), but at least one Nash
    equilibrium of the reduced game is one of the original game. So the result records
    every step.

    Parameters
    ----------
    game : NormalFormGame
    mixed : bool
        Also eliminate actions weakly dominated by mixtures (one LP per action, HiGHS).
    order : {"simultaneous", "sequential"}
        ``"simultaneous"``: each round removes every weakly dominated action of every
        player at once, judged in the game left by the previous round (rounds repeat
        until nothing is removed). ``"sequential"``: one action at a time, the first
        dominated one in (player, action) order, judged in the game left by the previous
        step.
    tol : float
        Relative margin, per player (times the player's payoff scale): "at least as good"
        allows a shortfall of tol, "strictly better" needs more than tol. ``tol=0``
        compares exactly.

    Returns
    -------
    DominanceResult
        ``reduced``, ``kept``, ``steps`` (round, player, action, dominating mixture) and
        ``verify()``, which replays the steps.
        Fields: ``reduced``, ``kept``, ``steps``, ``weak``, ``mixed``, ``order``, ``tol``,
        ``status``, ``message`` (see :class:`~paxgame.DominanceResult`; ``to_dict()`` gives
        them as JSON data).

    Examples
    --------
    Middle weakly dominates top and bottom (a textbook case of order dependence: Osborne
    & Rubinstein 1994, exercise 63.2 has the same structure):

    >>> import paxgame as pg
    >>> A = [[1, 0], [1, 2], [0, 2]]
    >>> B = [[1, 0], [1, 1], [0, 1]]
    >>> res = pg.eliminate_weakly_dominated(pg.NormalFormGame([A, B]))
    >>> res.kept
    (array([1]), array([0, 1]))
    >>> [(r, i, a) for r, i, a, _ in res.steps]
    [(1, 0, 0), (1, 0, 2)]

    The order matters: here both orders remove bottom first, but in round one the
    column player's right action is weakly dominated only while bottom is still there:

    >>> g = pg.NormalFormGame([[[1, 1], [1, 0]], [[1, 1], [1, 0]]])
    >>> pg.eliminate_weakly_dominated(g).kept
    (array([0]), array([0]))
    >>> pg.eliminate_weakly_dominated(g, order="sequential").kept
    (array([0]), array([0, 1]))
    >>> res.verify().ok
    True
    """
    func = "eliminate_weakly_dominated"
    game = check_game(func, game)
    if not isinstance(mixed, (bool, np.bool_)):
        raise TypeError(f"{func}: mixed must be True or False, got {type(mixed).__name__}")
    if order not in ("simultaneous", "sequential"):
        raise ValueError(f"{func}: order must be 'simultaneous' or 'sequential', "
                         f"got {order!r}")
    tol = check_tolerance(func, tol, zero_ok=True)
    payoffs = _per_player_scaled(game)
    N = game.n_players
    kept = [np.arange(m) for m in game.num_actions]
    steps = []
    rnd = 0
    while True:
        rnd += 1
        sub = payoffs[(slice(None),) + np.ix_(*kept)]
        found = []
        for i in range(N):
            if len(kept[i]) < 2:
                continue
            u = np.moveaxis(sub[i], i, 0).reshape(len(kept[i]), -1)
            for a in range(u.shape[0]):
                b = _weak_dominator_pure(u, a, tol)
                if b is not None:
                    mix = np.zeros(u.shape[0])
                    mix[b] = 1.0
                elif mixed and u.shape[0] > 2:
                    mix = _weak_dominator_mixed(u, a, tol)
                else:
                    mix = None
                if mix is None:
                    continue
                full = np.zeros(game.num_actions[i])
                full[kept[i]] = mix
                found.append((i, a, full))
                if order == "sequential":
                    break
            if found and order == "sequential":
                break
        if not found:
            break
        if order == "simultaneous":
            # a player keeps at least its undominated actions; never all removed
            for i in range(N):
                mine = [a for j, a, _ in found if j == i]
                if len(mine) == len(kept[i]):
                    found = [f for f in found if not (f[0] == i and f[1] == mine[-1])]
        new_kept = list(kept)
        for i, a, full in found:
            steps.append((rnd, i, int(kept[i][a]), full))
        for i in range(N):
            drop = {a for j, a, _ in found if j == i}
            new_kept[i] = np.array([k for p, k in enumerate(kept[i]) if p not in drop],
                                   dtype=int)
        kept = new_kept
    reduced = _subgame(game, kept)
    message = (f"{len(steps)} action(s) eliminated in {rnd - 1} round(s) "
               f"({order}); iterated weak dominance depends on the order of elimination")
    res = DominanceResult(reduced=reduced, kept=tuple(kept), steps=tuple(steps), weak=True,
                          mixed=bool(mixed), order=order, tol=tol, game=game,
                          message=message)
    if not res.verify().ok:                       # never optimal unless certified
        from dataclasses import replace  # local: only on the failure path
        res = replace(res, status="uncertified",
                      message=message + "; the replay of the steps failed: "
                      + ", ".join(res.verify().failures()))
    return res

"""Iterated elimination of strictly dominated actions (pure and mixed domination)."""

from __future__ import annotations

import numpy as np

from ..kernels.lp import solve_lp
from .nash import _check_game

__all__ = ["eliminate_dominated"]


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
        raise RuntimeError(f"eliminate_dominated: the domination LP ended with status "
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
        Relative margin: domination must exceed tol x s, s the largest absolute payoff
        (1 for the all-zero game); the comparisons and LPs run on the payoffs divided by
        s, so the answer does not depend on the payoffs' units.

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
    game = _check_game(func, game)
    if not isinstance(mixed, (bool, np.bool_)):
        raise TypeError(f"{func}: mixed must be True or False, got {type(mixed).__name__}")
    payoffs = np.asarray(game.payoffs, dtype=float)
    top = float(np.abs(payoffs).max())
    payoffs = payoffs / (top if top > 0 else 1.0)  # tol is relative to the payoff scale
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

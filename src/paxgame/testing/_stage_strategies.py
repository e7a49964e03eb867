"""Hypothesis strategies for normal-form games.

Guarantees of :func:`normal_form_games` (each checked by
``tests/property/test_stage_strategies.py``):

- the result is a valid :class:`~paxgame.NormalFormGame` with ``n_players`` players and
  between ``min_actions`` and ``max_actions`` actions per player;
- payoffs are finite;
- ``degenerate=False``: payoffs are standard normal draws (numpy Generator seeded by
  hypothesis, so examples replay and shrink by seed), non-degenerate with probability one;
  every drawn game is also *checked*: for two players no mixed strategy with k actions in
  its support has more than k pure best responses (the test of
  :func:`paxgame.is_degenerate`); for N >= 3 players no player
  has two equal payoffs along its own axis (no ties between best responses);
- ``degenerate=True``: the game is degenerate: some pure action of one player has two
  pure best responses of the opponent (for N >= 3: some player has a tie between two best
  responses); needs ``max_actions >= 2``;
- ``degenerate=None``: anything, ties included (small integer payoffs, so ties and
  degenerate games are frequent).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import paxgame as pg

__all__ = ["normal_form_games"]


def _shape(draw, n_players, min_actions, max_actions):
    return tuple(draw(st.integers(min_actions, max_actions)) for _ in range(n_players))


def _generic(payoffs: np.ndarray, tol: float = 1e-9) -> bool:
    N = payoffs.shape[0]
    if N == 2:
        return not pg.is_degenerate(pg.NormalFormGame(payoffs), tol=tol)
    for i in range(N):
        u = np.sort(np.moveaxis(payoffs[i], i, 0), axis=0)
        if u.shape[0] > 1 and np.any(np.diff(u, axis=0) <= tol):
            return False
    return True


def normal_form_games(n_players: int = 2, max_actions: int = 4, degenerate=None,
                      min_actions: int = 1, payoffs=None):
    """Normal-form games for property tests (see the module docstring for the guarantees).

    Parameters
    ----------
    n_players : int
        Number of players (>= 2).
    max_actions, min_actions : int
        Bounds on each player's number of actions.
    degenerate : bool or None
        ``False``: generic (non-degenerate, checked); ``True``: degenerate (constructed);
        ``None``: unconstrained.
    payoffs : hypothesis strategy of floats, optional
        Element strategy for the payoff entries when ``degenerate`` is None or True (default:
        integers in [-5, 5]). Ignored for ``degenerate=False``.

    Examples
    --------
    >>> from hypothesis import given
    >>> from paxgame.testing.strategies import normal_form_games
    >>> @given(normal_form_games(degenerate=False))
    ... def test_regret(g):
    ...     import paxgame as pg
    ...     assert pg.nash(g).verify().ok
    >>> test_regret()
    """
    if n_players < 2:
        raise ValueError(f"normal_form_games: n_players must be >= 2, got {n_players}")
    if not 1 <= min_actions <= max_actions:
        raise ValueError(f"normal_form_games: need 1 <= min_actions <= max_actions, got "
                         f"{min_actions} and {max_actions}")
    if degenerate is True and max_actions < 2:
        raise ValueError("normal_form_games: degenerate=True needs max_actions >= 2")
    if degenerate not in (None, True, False):
        raise TypeError(f"normal_form_games: degenerate must be None, True or False, got "
                        f"{degenerate!r}")
    return _games(n_players, max_actions, degenerate, min_actions, payoffs)


@st.composite
def _games(draw, n_players, max_actions, degenerate, min_actions, payoffs):
    if degenerate is False:
        for _ in range(20):
            shape = _shape(draw, n_players, min_actions, max_actions)
            seed = draw(st.integers(0, 2 ** 32 - 1))
            arr = np.random.default_rng(seed).standard_normal((n_players,) + shape)
            if _generic(arr):
                return pg.NormalFormGame(arr)
        raise RuntimeError("normal_form_games: 20 Gaussian draws in a row were degenerate")
    elements = st.integers(-5, 5).map(float) if payoffs is None else payoffs
    lo = max(min_actions, 2) if degenerate else min_actions
    shape = list(_shape(draw, n_players, lo, max_actions))
    if degenerate:
        # make sure some player has at least two actions to tie
        if all(m < 2 for m in shape):
            shape[0] = 2
    size = int(np.prod(shape)) * n_players
    values = draw(st.lists(elements, min_size=size, max_size=size))
    arr = np.array(values, dtype=float).reshape((n_players,) + tuple(shape))
    if degenerate:
        # player `tier` gets two equal best responses against one profile of the others
        tier = draw(st.sampled_from([i for i in range(n_players) if shape[i] >= 2]))
        u = np.moveaxis(arr[tier], tier, 0)           # view: (m_tier, others...)
        rest = tuple(draw(st.integers(0, m - 1)) for j, m in enumerate(shape) if j != tier)
        a, b = draw(st.lists(st.integers(0, shape[tier] - 1), min_size=2, max_size=2,
                             unique=True))
        top = float(u[(slice(None),) + rest].max())
        u[(a,) + rest] = top
        u[(b,) + rest] = top
    return pg.NormalFormGame(arr)

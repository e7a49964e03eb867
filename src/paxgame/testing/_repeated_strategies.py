"""Hypothesis strategies for repeated and regime games.

Guarantees (each is tested in tests/property/test_repeated_strategies.py):

- :func:`two_player_stage_games`: a :class:`~paxgame.NormalFormGame` with two players,
  ``min_actions``..``max_actions`` actions each and integer payoffs in
  [``low``, ``high``] (so ``verify(exact=True)`` applies); with ``pure_nash=True`` the game
  has at least one pure Nash equilibrium.
- :func:`discount_factors`: a float in [lo, hi] ⊂ (0, 1) on a grid of step 1/100 (short
  decimals, exact as fractions).
- :func:`repeated_games`: a :class:`~paxgame.RepeatedGame` built from the two above.
- :func:`prisoners_dilemmas`: integers T > R > P > S with 2R > T + S, and the game
  [[R, S], [T, P]] for the row player (symmetric), action 0 = cooperate.
- :func:`regime_games`: a :class:`~paxgame.RegimeGame` with 1..``max_regimes`` regimes of
  two-player integer games and an exogenous transition matrix with rows summing to 1
  exactly in binary (entries are multiples of 1/4).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import paxgame as pg

__all__ = ["two_player_stage_games", "discount_factors", "repeated_games",
           "prisoners_dilemmas", "regime_games"]


@st.composite
def two_player_stage_games(draw, min_actions: int = 2, max_actions: int = 3, low: int = -3,
                           high: int = 6, pure_nash: bool = False):
    """Two-player games with small integer payoffs (see the module docstring)."""
    m1 = draw(st.integers(min_actions, max_actions))
    m2 = draw(st.integers(min_actions, max_actions))
    cells = st.integers(low, high)
    a = np.array(draw(st.lists(cells, min_size=m1 * m2, max_size=m1 * m2)), float)
    b = np.array(draw(st.lists(cells, min_size=m1 * m2, max_size=m1 * m2)), float)
    a, b = a.reshape(m1, m2), b.reshape(m1, m2)
    if pure_nash:
        # make a drawn cell a pure equilibrium: raise its payoffs to the column/row maxima
        i = draw(st.integers(0, m1 - 1))
        j = draw(st.integers(0, m2 - 1))
        a[i, j] = a[:, j].max()
        b[i, j] = b[i, :].max()
    return pg.NormalFormGame([a, b])


def discount_factors(lo: float = 0.05, hi: float = 0.95):
    """Discount factors on a 1/100 grid in [lo, hi]."""
    return st.integers(int(round(lo * 100)), int(round(hi * 100))).map(lambda k: k / 100)


@st.composite
def repeated_games(draw, min_actions: int = 2, max_actions: int = 3, pure_nash: bool = False,
                   lo: float = 0.05, hi: float = 0.95):
    """Two-player repeated games with integer payoffs (see the module docstring)."""
    g = draw(two_player_stage_games(min_actions, max_actions, pure_nash=pure_nash))
    return pg.RepeatedGame(g, draw(discount_factors(lo, hi)))


@st.composite
def prisoners_dilemmas(draw, high: int = 12):
    """(game, (T, R, P, S)) with T > R > P > S and 2R > T + S."""
    s = draw(st.integers(-high, high - 3))
    p = draw(st.integers(s + 1, high - 2))
    r = draw(st.integers(p + 1, high - 1))
    t = draw(st.integers(r + 1, high).filter(lambda t: 2 * r > t + s))
    game = pg.NormalFormGame([[[r, s], [t, p]], [[r, t], [s, p]]])
    return game, (t, r, p, s)


@st.composite
def regime_games(draw, max_regimes: int = 2, max_actions: int = 2):
    """Regime games with exogenous transitions (see the module docstring)."""
    k = draw(st.integers(1, max_regimes))
    games = [draw(two_player_stage_games(2, max_actions, pure_nash=True)) for _ in range(k)]
    rows = []
    for _ in range(k):
        w = np.array(draw(st.lists(st.integers(0, 4), min_size=k, max_size=k)
                          .filter(lambda x: sum(x) > 0)), float)
        # quarters: renormalise in exact binary fractions
        q = np.floor(w / w.sum() * 4)
        q[int(np.argmax(w))] += 4 - q.sum()
        rows.append(q / 4)
    return pg.RegimeGame(games, np.array(rows), draw(discount_factors(0.1, 0.9)))

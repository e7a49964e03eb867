"""Hypothesis strategies for TU coalition games.

>>> from paxgame.testing.strategies import tu_games
>>> from hypothesis import given
>>> @given(tu_games(n_players=3, convex=True))
... def test(tu):
...     assert tu.is_convex()
>>> test()
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume, strategies as st
from scipy.optimize import linprog
import paxgame as pg

__all__ = ["tu_games", "tu_value_batches"]


def _members(n: int) -> np.ndarray:
    masks = np.arange(1 << n)
    return ((masks[:, None] >> np.arange(n)) & 1).astype(float)


def _min_total(v: np.ndarray, n: int) -> float:
    """The Bondareva–Shapley LP min x(N) s.t. x(S) >= v(S), all rows (independent of
    paxgame's constraint-generation solver)."""
    rows = _members(n)[1:]
    res = linprog(np.ones(n), A_ub=-rows, b_ub=-v[1:], bounds=[(None, None)] * n,
                  method="highs")
    return float(res.fun)


def _superadditive_cover(v: np.ndarray, n: int) -> np.ndarray:
    """v*(S) = max over partitions of S of the sum of v over the parts (O(3**n))."""
    out = v.copy()
    for S in range(1, 1 << n):
        low = S & -S
        T = (S - 1) & S
        while T:
            if T & low:
                cand = out[T] + out[S ^ T]
                if cand > out[S]:
                    out[S] = cand
            T = (T - 1) & S
    return out


def _is_convex(v: np.ndarray, n: int) -> bool:
    for S in range(1 << n):
        for i in range(n):
            for j in range(i + 1, n):
                if (S >> i) & 1 or (S >> j) & 1:
                    continue
                a, b = 1 << i, 1 << j
                if v[S | a | b] - v[S | a] - v[S | b] + v[S] < -1e-9:
                    return False
    return True


def _is_superadditive(v: np.ndarray, n: int) -> bool:
    return bool(np.all(_superadditive_cover(v, n) <= v + 1e-9))


@st.composite
def tu_games(draw, n_players=(2, 5), *, convex: bool | None = None,
             superadditive: bool | None = None, empty_core: bool | None = None,
             max_value: int = 20):
    """TU games with integer worths (so ``verify(exact=True)`` applies).

    Parameters
    ----------
    n_players : int or (int, int)
        The number of players, or an inclusive range (at most 7: the guarantees are checked
        by enumeration).
    convex, superadditive, empty_core : bool or None
        ``True`` guarantees the property, ``False`` guarantees its negation, ``None`` (the
        default) leaves it to chance.  ``convex=True`` games are built from non-negative
        Harsanyi dividends (totally monotone, hence convex, superadditive, with a non-empty
        core); ``superadditive=True`` games are superadditive covers of random games;
        ``empty_core=True`` lowers v(N) below the Bondareva–Shapley bound,
        ``empty_core=False`` raises it to that bound when needed.
    max_value : int
        Worths are integers between 0 and about ``max_value`` times the coalition size.

    Notes
    -----
    Guarantees: every game is a valid :class:`paxgame.TUGame` with v(empty) = 0 and integer worths, and
    satisfies each property asked for (checked by enumeration before it is returned).
    ``convex=True`` with ``empty_core=True`` is impossible (convex games have a non-empty
    core) and raises ValueError; so does ``convex=True, superadditive=False``, and
    ``superadditive=True, empty_core=True`` with fewer than 3 players (a superadditive
    two-player game has a non-empty core).
    """
    if convex and empty_core:
        raise ValueError("tu_games: convex games have a non-empty core; convex=True and "
                         "empty_core=True cannot both hold")
    if convex and superadditive is False:
        raise ValueError("tu_games: convex games are superadditive; convex=True and "
                         "superadditive=False cannot both hold")
    if isinstance(n_players, int):
        lo = hi = n_players
    else:
        lo, hi = n_players
    if not 1 <= lo <= hi <= 7:
        raise ValueError(f"tu_games: n_players must lie in 1..7, got {n_players}")
    if superadditive and empty_core:
        if hi < 3:
            raise ValueError("tu_games: a superadditive game with an empty core needs at "
                             "least 3 players")
        lo = max(lo, 3)
    n = draw(st.integers(lo, hi))
    size = 1 << n
    if empty_core and n < 2:
        n = 2
        size = 4
    if convex:
        dividends = draw(st.lists(st.integers(0, max_value), min_size=size - 1,
                                  max_size=size - 1))
        d = np.zeros(size)
        mask = draw(st.lists(st.booleans(), min_size=size - 1, max_size=size - 1))
        d[1:] = np.where(mask, dividends, 0)
        v = np.zeros(size)
        for S in range(1, size):
            T = S
            while T:
                v[S] += d[T]
                T = (T - 1) & S
    else:
        raw = draw(st.lists(st.integers(0, max_value * n), min_size=size - 1,
                            max_size=size - 1))
        v = np.zeros(size)
        v[1:] = raw
        if superadditive and empty_core:
            # a majority component: disjoint majorities are impossible, so the best
            # partition of N falls short of the balanced bound and v(N) has room
            bump = draw(st.integers(max_value, 3 * max_value)) * n
            sizes = _members(n).sum(axis=1)
            v[(sizes > n // 2) & (sizes < n)] += bump
        if superadditive:
            v = _superadditive_cover(v, n)
    if empty_core is not None and n >= 2:
        bound = _min_total(v, n)
        if empty_core:
            # v(N) below the bound; keep superadditivity if asked (needs room above the best
            # partition of N into smaller coalitions)
            low = -np.inf
            if superadditive:
                cov = _superadditive_cover(v, n)   # covers of proper coalitions ignore v(N)
                full = size - 1
                T = (full - 1) & full
                while T:
                    low = max(low, cov[T] + cov[full ^ T])
                    T = (T - 1) & full
            target = int(np.ceil(bound)) - 1
            assume(target >= low)
            v[-1] = target
        elif v[-1] < bound:
            v[-1] = float(np.ceil(bound - 1e-9))
    if convex is False:
        assume(not _is_convex(v, n))
    if superadditive is False:
        assume(not _is_superadditive(v, n))
    if superadditive and not _is_superadditive(v, n):
        assume(False)
    if empty_core is not None and n >= 2:
        empty = _min_total(v, n) > v[-1] + 1e-9
        assume(empty == bool(empty_core))
    return pg.TUGame(v)


@st.composite
def tu_value_batches(draw, n_players=(1, 5), batch=(1, 6), max_value: int = 50):
    """Arrays of shape (batch, 2**n) of TU value vectors with v(empty) = 0 (floats, ties
    and zero rows included), for testing the batch kernels against the scalar path."""
    n = draw(st.integers(*n_players) if not isinstance(n_players, int) else st.just(n_players))
    b = draw(st.integers(*batch) if not isinstance(batch, int) else st.just(batch))
    size = 1 << n
    flat = draw(st.lists(st.sampled_from([0.0, 1.0, 2.5]) | st.floats(0, max_value),
                         min_size=b * size, max_size=b * size))
    arr = np.array(flat, dtype=float).reshape(b, size)
    arr[:, 0] = 0.0
    return arr

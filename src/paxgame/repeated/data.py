"""The data of repeated and regime games: validation, fields, equality; no solver.

:class:`~paxgame.RepeatedGame` and :class:`~paxgame.RegimeGame` add their solver methods
on top of these classes (in :mod:`paxgame.repeated.repeated_game` and
:mod:`paxgame.repeated.regime_game`), so the algorithms of this package take the data
classes and never import the classes that call them: the imports run one way,
data -> algorithms -> game classes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._validation import as_float_array, check_discount, check_stochastic
from ..games.normal_form import NormalFormGame

__all__ = ["RepeatedGameData", "RegimeGameData", "check_repeated_game", "check_regime_game"]


def check_repeated_game(func: str, rg) -> None:
    """Raise ``TypeError`` (led by ``func``) unless ``rg`` is a repeated game."""
    if not isinstance(rg, RepeatedGameData):
        raise TypeError(f"{func}: expected a RepeatedGame, got {type(rg).__name__}")


def check_regime_game(func: str, game) -> None:
    """Raise ``TypeError`` (led by ``func``) unless ``game`` is a regime game."""
    if not isinstance(game, RegimeGameData):
        raise TypeError(f"{func}: expected a RegimeGame, got {type(game).__name__}")


class RepeatedGameData:
    """The data of an infinitely repeated game (stage game, discount factors); the public
    class is :class:`~paxgame.RepeatedGame`, which adds the solvers."""

    __slots__ = ("_game", "_delta")

    def __init__(self, game, delta):
        if not isinstance(game, NormalFormGame):
            try:
                game = NormalFormGame(game)
            except (TypeError, ValueError) as err:  # the caller's name leads the message
                raise type(err)(f"RepeatedGame: game must be a NormalFormGame or its payoff "
                                f"arrays; {err}") from err
        deltas = check_discount("RepeatedGame", delta, "delta", per_player=game.n_players)
        if isinstance(deltas, np.ndarray):
            deltas = deltas.copy()
            deltas.setflags(write=False)
        object.__setattr__(self, "_game", game)
        object.__setattr__(self, "_delta", deltas)

    # -- data ---------------------------------------------------------------------------------
    @property
    def game(self) -> NormalFormGame:
        """The stage game."""
        return self._game

    @property
    def stage_game(self) -> NormalFormGame:
        """The stage game (alias of :attr:`game`)."""
        return self._game

    @property
    def delta(self):
        """The discount factor: a float, or a read-only array with one per player."""
        return self._delta

    @property
    def deltas(self) -> np.ndarray:
        """One discount factor per player, shape (N,)."""
        return np.broadcast_to(np.asarray(self._delta, dtype=float),
                               (self._game.n_players,)).copy()

    @property
    def n_players(self) -> int:
        return self._game.n_players

    # -- transforms ---------------------------------------------------------------------------
    def replace(self, *, game=None, delta=None) -> "RepeatedGameData":
        """A copy with the stage game or the discount factor changed."""
        return type(self)(self._game if game is None else game,
                            self._delta if delta is None else delta)

    # -- dunder -------------------------------------------------------------------------------
    def __eq__(self, other) -> bool:
        if not isinstance(other, RepeatedGameData):
            return NotImplemented
        return self._game == other._game and np.array_equal(self.deltas, other.deltas)

    def __hash__(self) -> int:
        return hash((self._game, self.deltas.tobytes()))

    def __repr__(self) -> str:
        d = self._delta
        dtxt = f"{d:g}" if isinstance(d, float) else "[" + ", ".join(f"{x:g}" for x in d) + "]"
        return f"{type(self).__name__}({self._game!r}, delta={dtxt})"

    def __setattr__(self, key, value):
        raise AttributeError(f"{type(self).__name__} is immutable; use replace()")


class RegimeGameData:
    """The data of a regime (stochastic) game (stage games, transition law, discount
    factor); the public class is :class:`~paxgame.RegimeGame`, which adds the solvers."""

    __slots__ = ("_games", "_trans", "_delta", "_exogenous", "_matrix")

    def __init__(self, stage_games, transition, delta):
        func = "RegimeGame"
        if isinstance(stage_games, (NormalFormGame, str, bytes)) or not isinstance(
                stage_games, Sequence):
            raise TypeError(f"{func}: stage_games must be a sequence of games, one per "
                            f"regime, got {type(stage_games).__name__}")
        if len(stage_games) == 0:
            raise ValueError(f"{func}: stage_games must hold at least one regime")
        games = []
        for s_, g in enumerate(stage_games):
            if isinstance(g, NormalFormGame):
                games.append(g)
                continue
            try:
                games.append(NormalFormGame(g))
            except (TypeError, ValueError) as err:  # the caller's name leads the message
                raise type(err)(f"{func}: stage_games[{s_}] must be a NormalFormGame or its "
                                f"payoff arrays; {err}") from err
        games = tuple(games)
        n = games[0].n_players
        for s, g in enumerate(games):
            if g.n_players != n:
                raise ValueError(f"{func}: stage_games[{s}] has {g.n_players} players, "
                                 f"stage_games[0] has {n}")
        k = len(games)
        delta = check_discount(func, delta, "delta")
        matrix = None
        if _is_matrix(transition):
            tol = _sum_tolerance(transition, k)
            matrix = check_stochastic(func, "transition", transition, size=k, tol=tol)
            if tol > 1e-9:
                # rows given in a lower precision sum to 1 only within it: rescale them
                matrix = matrix / matrix.sum(axis=1, keepdims=True)
            trans = tuple(np.broadcast_to(matrix[s], g.num_actions + (k,)).copy()
                          for s, g in enumerate(games))
            exogenous = True
        else:
            if isinstance(transition, np.ndarray) and transition.ndim >= 3:
                transition = list(transition)
            if isinstance(transition, (str, bytes)) or not isinstance(transition, Sequence):
                raise TypeError(f"{func}: transition must be a K x K matrix or a list of "
                                f"K arrays, got {type(transition).__name__}")
            if len(transition) != k:
                raise ValueError(f"{func}: transition must have {k} entries (one per "
                                 f"regime), got {len(transition)}")
            trans = []
            for s, (t, g) in enumerate(zip(transition, games)):
                arr = as_float_array(func, f"transition[{s}]", t,
                                     shape=g.num_actions + (k,))
                if np.any(arr < 0):
                    bad = tuple(int(x) for x in np.argwhere(arr < 0)[0])
                    raise ValueError(f"{func}: transition[{s}]{list(bad)} is a negative "
                                     f"probability ({float(arr[bad])})")
                sums = arr.sum(axis=-1)
                tol = _sum_tolerance(t, k)
                if np.any(np.abs(sums - 1) > tol):
                    bad = tuple(int(x) for x in np.argwhere(np.abs(sums - 1) > tol)[0])
                    raise ValueError(f"{func}: transition[{s}]{list(bad)} sums to "
                                     f"{float(sums[bad])!r}, not 1 (tolerance {tol:g})")
                trans.append(arr / sums[..., None] if tol > 1e-9 else arr)
            trans = tuple(trans)
            exogenous = all(np.allclose(t, t.reshape(-1, k)[0]) for t in trans)
            if exogenous:
                matrix = np.array([t.reshape(-1, k)[0] for t in trans])
        for t in trans:
            t.setflags(write=False)
        if matrix is not None:
            matrix.setflags(write=False)
        object.__setattr__(self, "_games", games)
        object.__setattr__(self, "_trans", trans)
        object.__setattr__(self, "_delta", delta)
        object.__setattr__(self, "_exogenous", exogenous)
        object.__setattr__(self, "_matrix", matrix)

    # -- data ---------------------------------------------------------------------------------
    @property
    def stage_games(self) -> tuple[NormalFormGame, ...]:
        return self._games

    @property
    def transitions(self) -> tuple[np.ndarray, ...]:
        """Per regime the next-regime probabilities, shape (m_1^s, ..., m_N^s, K)."""
        return self._trans

    @property
    def transition_matrix(self) -> np.ndarray | None:
        """The K×K matrix when the regime process is exogenous, else None."""
        return self._matrix

    @property
    def exogenous(self) -> bool:
        return self._exogenous

    @property
    def delta(self) -> float:
        return self._delta

    @property
    def n_regimes(self) -> int:
        return len(self._games)

    @property
    def n_players(self) -> int:
        return self._games[0].n_players

    def replace(self, *, stage_games=None, transition=None, delta=None) -> "RegimeGameData":
        """A copy with some fields changed."""
        return type(self)(self._games if stage_games is None else stage_games,
                          (self._matrix if self._exogenous else list(self._trans))
                          if transition is None else transition,
                          self._delta if delta is None else delta)

    def __eq__(self, other) -> bool:
        if not isinstance(other, RegimeGameData):
            return NotImplemented
        return (self._games == other._games and self._delta == other._delta and
                all(np.array_equal(a, b) for a, b in zip(self._trans, other._trans)))

    def __hash__(self) -> int:
        return hash((self._games, self._delta, tuple(t.tobytes() for t in self._trans)))

    def __repr__(self) -> str:
        kind = "exogenous" if self._exogenous else "action-dependent"
        return (f"{type(self).__name__}({self.n_regimes} regimes, {self.n_players} players, {kind} "
                f"transitions, delta={self._delta:g})")

    def __setattr__(self, key, value):
        raise AttributeError(f"{type(self).__name__} is immutable; use replace()")

def _sum_tolerance(values, k: int) -> float:
    """How far from 1 a row of ``k`` probabilities may sum: 1e-9 for double precision and
    exact input, 4 k machine epsilons of the input's own float type when that is coarser
    (a float32 row is exact only to about 1e-7)."""
    dtype = getattr(values, "dtype", None)
    if dtype is None:
        try:
            dtype = np.asarray(values).dtype
        except (ValueError, TypeError):
            return 1e-9
    if np.issubdtype(dtype, np.floating):
        return max(1e-9, 4 * k * float(np.finfo(dtype).eps))
    return 1e-9


def _is_matrix(transition) -> bool:
    """True when ``transition`` reads as one numeric 2-d array (an exogenous matrix)."""
    if isinstance(transition, (str, bytes)):
        return False
    try:
        arr = np.asarray(transition)
    except ValueError:  # ragged: a list of per-regime arrays of different shapes
        return False
    if arr.ndim != 2:
        return False
    # an object array of scalars (e.g. holding a string) is a malformed matrix, which
    # check_stochastic reports as such; an object array of arrays is a per-regime list
    return arr.dtype != object or not any(np.ndim(x) > 0 for x in arr.flat)

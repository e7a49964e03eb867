"""Finite normal-form (strategic-form) games."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._validation import as_float_array, check_names
from ..kernels import payoffs as _kp

__all__ = ["NormalFormGame"]


def check_pure_profile(func: str, game: "NormalFormGame", profile) -> tuple[int, ...]:
    """``profile`` (one action index or name per player) as a tuple of action indices of
    ``game``; the errors are led by ``func``, the public function that was called."""
    if isinstance(profile, (str, bytes)) or np.ndim(profile) != 1:
        raise TypeError(f"{func}: profile must be a sequence of {game.n_players} action "
                        f"indices")
    profile = tuple(profile)
    if len(profile) != game.n_players:
        raise ValueError(f"{func}: profile must have {game.n_players} entries, "
                         f"got {len(profile)}")
    out = []
    for i, a in enumerate(profile):
        if isinstance(a, str):
            if a not in game.actions[i]:
                raise ValueError(f"{func}: profile[{i}] names no action of "
                                 f"{game.players[i]!r}: {a!r}")
            a = game.actions[i].index(a)
        if isinstance(a, bool) or not isinstance(a, (int, np.integer)):
            raise TypeError(f"{func}: profile[{i}] must be an action index, got {a!r}")
        if not 0 <= a < game.num_actions[i]:
            raise ValueError(f"{func}: profile[{i}] = {a} is out of range "
                             f"0..{game.num_actions[i] - 1}")
        out.append(int(a))
    return tuple(out)


class NormalFormGame:
    """A finite N-player game in normal form, immutable.

    Parameters
    ----------
    payoffs : sequence of array_like, or array_like
        One payoff array per player, each of shape (m_1, ..., m_N) where m_i is the number of
        actions of player i; or a single array of shape (N, m_1, ..., m_N).
    players : sequence of str, optional
        N distinct player names; default ``("player 1", ..., "player N")``.
    actions : sequence of sequence of str, optional
        For each player, m_i distinct action names; default ``("1", ..., "m_i")``.
    name : str, optional
        A title for the game.

    Raises
    ------
    TypeError
        Non-numeric payoffs or names that are not strings.
    ValueError
        Fewer than two players, ragged or mismatched shapes, an empty action set, non-finite
        payoffs, or names of the wrong count.

    Examples
    --------
    The prisoner's dilemma (actions cooperate, defect):

    >>> import paxgame as pg
    >>> g = pg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]],
    ...                       actions=[["C", "D"], ["C", "D"]])
    >>> g.num_actions
    (2, 2)
    >>> g.payoff_profile((1, 1))
    array([1., 1.])
    """

    __slots__ = ("_payoffs", "_players", "_actions", "_name")

    def __init__(self, payoffs, players=None, actions=None, name: str = ""):
        func = "NormalFormGame"
        if isinstance(payoffs, NormalFormGame):
            payoffs = payoffs.payoffs
        if isinstance(payoffs, np.ndarray) and payoffs.dtype != object:
            stacked = as_float_array(func, "payoffs", payoffs, min_ndim=1)
            if stacked.ndim < 3 or stacked.shape[0] != stacked.ndim - 1:
                raise ValueError(
                    f"{func}: a single payoff array must have shape (N, m_1, ..., m_N) with "
                    f"N >= 2 players, got shape {stacked.shape}")
        else:
            if isinstance(payoffs, (str, bytes)) or not isinstance(payoffs, Sequence) and not (
                    isinstance(payoffs, np.ndarray)):
                raise TypeError(f"{func}: payoffs must be a sequence of arrays, one per player, "
                                f"got {type(payoffs).__name__}")
            arrays = [as_float_array(func, f"payoffs[{i}]", p) for i, p in enumerate(payoffs)]
            if len(arrays) < 2:
                raise ValueError(f"{func}: a game needs at least two players, got {len(arrays)}")
            n = len(arrays)
            for i, arr in enumerate(arrays):
                if arr.ndim != n:
                    raise ValueError(
                        f"{func}: payoffs[{i}] must have {n} dimensions (one per player), "
                        f"got shape {arr.shape}")
                if arr.shape != arrays[0].shape:
                    raise ValueError(
                        f"{func}: payoffs[{i}] has shape {arr.shape}, but payoffs[0] has "
                        f"shape {arrays[0].shape}")
            stacked = np.stack(arrays)
        n = stacked.shape[0]
        if n < 2:
            raise ValueError(f"{func}: a game needs at least two players, got {n}")
        for i, m in enumerate(stacked.shape[1:]):
            if m == 0:
                raise ValueError(f"{func}: player {i} has an empty action set")
        stacked.setflags(write=False)
        self._payoffs = stacked
        if players is None:
            self._players = tuple(f"player {i + 1}" for i in range(n))
        else:
            self._players = check_names(func, "players", players, n)
        if actions is None:
            self._actions = tuple(tuple(str(j + 1) for j in range(m)) for m in stacked.shape[1:])
        else:
            if isinstance(actions, str) or not isinstance(actions, Sequence):
                raise TypeError(f"{func}: actions must be a sequence of name lists, one per "
                                f"player, got {type(actions).__name__}")
            if len(actions) != n:
                raise ValueError(f"{func}: actions must have {n} entries (one per player), "
                                 f"got {len(actions)}")
            self._actions = tuple(check_names(func, f"actions[{i}]", a, stacked.shape[1 + i])
                                  for i, a in enumerate(actions))
        if not isinstance(name, str):
            raise TypeError(f"{func}: name must be a string, got {type(name).__name__}")
        self._name = name

    # -- data ---------------------------------------------------------------------------------
    @property
    def payoffs(self) -> np.ndarray:
        """The stacked payoff array, shape (N, m_1, ..., m_N), read-only."""
        return self._payoffs

    @property
    def payoff_arrays(self) -> tuple[np.ndarray, ...]:
        """One read-only payoff array per player."""
        return tuple(self._payoffs[i] for i in range(self.n_players))

    @property
    def n_players(self) -> int:
        return int(self._payoffs.shape[0])

    @property
    def num_actions(self) -> tuple[int, ...]:
        return tuple(int(m) for m in self._payoffs.shape[1:])

    @property
    def players(self) -> tuple[str, ...]:
        return self._players

    @property
    def actions(self) -> tuple[tuple[str, ...], ...]:
        return self._actions

    @property
    def name(self) -> str:
        return self._name

    # -- payoffs ------------------------------------------------------------------------------
    def payoff_profile(self, profile) -> np.ndarray:
        """Payoff vector (N,) of a pure profile given as action indices."""
        profile = check_pure_profile("payoff_profile", self, profile)
        return self._payoffs[(slice(None),) + profile].copy()

    def _check_mixed_profile(self, func: str, strategies) -> list[np.ndarray]:
        if len(strategies) != self.n_players:
            raise ValueError(f"{func}: strategies must have {self.n_players} entries, "
                             f"got {len(strategies)}")
        out = []
        for i, s in enumerate(strategies):
            s = as_float_array(func, f"strategies[{i}]", s, shape=(self.num_actions[i],))
            if np.any(s < -1e-12) or abs(s.sum() - 1.0) > 1e-9:
                raise ValueError(f"{func}: strategies[{i}] must be a probability vector, "
                                 f"got {s}")
            out.append(s)
        return out

    def expected_payoffs(self, strategies) -> np.ndarray:
        """Expected payoffs (N,) of a mixed profile (one probability vector per player)."""
        s = self._check_mixed_profile("expected_payoffs", strategies)
        return _kp.expected_payoffs(self._payoffs, s)

    def action_values(self, strategies, player: int) -> np.ndarray:
        """Payoff of each pure action of ``player`` against the others' mixtures."""
        s = self._check_mixed_profile("action_values", strategies)
        return _kp.action_values(self._payoffs, s, int(player))

    def regret(self, strategies) -> float:
        """max over players of (best-response payoff - expected payoff) at a mixed profile."""
        s = self._check_mixed_profile("regret", strategies)
        return _kp.regret(self._payoffs, s)

    def is_zero_sum(self, tol: float = 1e-9) -> bool:
        """True for two players whose payoffs sum to a constant (within ``tol``)."""
        if self.n_players != 2:
            return False
        total = self._payoffs[0] + self._payoffs[1]
        return bool(np.ptp(total) <= tol)

    # -- transforms ---------------------------------------------------------------------------
    def replace(self, *, payoffs=None, players=None, actions=None, name=None) -> "NormalFormGame":
        """A copy with some fields changed (the game itself is immutable)."""
        return NormalFormGame(self._payoffs if payoffs is None else payoffs,
                              players=self._players if players is None else players,
                              actions=self._actions if actions is None else actions,
                              name=self._name if name is None else name)

    def to_nashpy(self):
        """The equivalent ``nashpy.Game`` (two players only)."""
        if self.n_players != 2:
            raise ValueError(f"to_nashpy: nashpy handles two-player games only, this game has "
                             f"{self.n_players} players")
        import nashpy

        return nashpy.Game(np.array(self._payoffs[0]), np.array(self._payoffs[1]))

    # -- dunder -------------------------------------------------------------------------------
    def __eq__(self, other) -> bool:
        if not isinstance(other, NormalFormGame):
            return NotImplemented
        return (self._payoffs.shape == other._payoffs.shape
                and np.array_equal(self._payoffs, other._payoffs)
                and self._players == other._players and self._actions == other._actions)

    def __hash__(self) -> int:
        return hash((self._payoffs.shape, self._payoffs.tobytes(), self._players, self._actions))

    def __repr__(self) -> str:
        title = f"'{self._name}', " if self._name else ""
        return (f"NormalFormGame({title}{self.n_players} players, actions "
                f"{'x'.join(map(str, self.num_actions))})")

    def __setattr__(self, key, value):
        if hasattr(self, "_name") and key in self.__slots__:
            raise AttributeError("NormalFormGame is immutable; use replace()")
        object.__setattr__(self, key, value)

"""Infinitely repeated games with perfect monitoring and public randomisation."""

from __future__ import annotations

import numpy as np

from .._validation import check_discount
from .normal_form import NormalFormGame

__all__ = ["RepeatedGame"]


class RepeatedGame:
    """The infinitely repeated game of a stage game G with discount factor δ, immutable.

    Perfect monitoring, a public randomisation device each period, pure stage actions.
    Payoffs of the repeated game are normalised: (1 − δ) Σ_t δ^t u(a_t).

    Parameters
    ----------
    game : NormalFormGame or array_like
        The stage game (or anything :class:`NormalFormGame` accepts).
    delta : float or sequence of float
        The common discount factor in (0, 1), or one per player.

    Raises
    ------
    ValueError
        If a discount factor is outside (0, 1) or the count differs from the players'.

    Examples
    --------
    >>> import paxgame as pg
    >>> pd = pg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> rg = pg.RepeatedGame(pd, 0.6)
    >>> rg.critical_delta((0, 0))   # grim trigger: (T - R) / (T - P)
    0.5
    >>> rg.sustainable((0, 0))
    True
    >>> rg.payoff_set().vertices.round(4)
    array([[1.    , 1.    ],
           [4.3333, 1.    ],
           [3.    , 3.    ],
           [1.    , 4.3333]])
    """

    __slots__ = ("_game", "_delta")

    def __init__(self, game, delta):
        if not isinstance(game, NormalFormGame):
            game = NormalFormGame(game)
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

    # -- solvers ------------------------------------------------------------------------------
    def critical_delta(self, profile, punishment="nash") -> float:
        """The infimum of the discount factors at which the stationary profile is subgame
        perfect (inf when none in (0, 1) is; the set may be bounded above: see
        :meth:`sustaining_deltas`).

        See :func:`paxgame.repeated.critical_delta`.
        """
        from ..repeated.critical import critical_delta

        return critical_delta(self, profile, punishment=punishment)

    def sustaining_deltas(self, profile, punishment="nash", **options):
        """The set of discount factors at which the stationary profile is subgame perfect
        (intervals ``delta_set`` and their infimum ``critical``).

        See :func:`paxgame.repeated.sustaining_deltas`.
        """
        from ..repeated.critical import sustaining_deltas

        return sustaining_deltas(self, profile, punishment=punishment, **options)

    def sustainable(self, profile, punishment="nash") -> bool:
        """Whether repeating ``profile`` forever is subgame perfect at this game's δ.

        See :func:`paxgame.repeated.sustainable`.
        """
        from ..repeated.critical import sustainable

        return sustainable(self, profile, punishment=punishment)

    def worst_payoffs(self, **options) -> np.ndarray:
        """Each player's worst subgame-perfect payoff (the optimal penal code values).

        See :func:`paxgame.repeated.worst_payoffs`.
        """
        from ..repeated.critical import worst_payoffs

        return worst_payoffs(self, **options)

    def payoff_set(self, method: str = "abreu_sannikov", **options):
        """The set of subgame-perfect payoff vectors, see :func:`paxgame.repeated.payoff_set`."""
        from ..repeated.payoff_sets import payoff_set

        return payoff_set(self, method=method, **options)

    # -- transforms ---------------------------------------------------------------------------
    def replace(self, *, game=None, delta=None) -> "RepeatedGame":
        """A copy with the stage game or the discount factor changed."""
        return RepeatedGame(self._game if game is None else game,
                            self._delta if delta is None else delta)

    # -- dunder -------------------------------------------------------------------------------
    def __eq__(self, other) -> bool:
        if not isinstance(other, RepeatedGame):
            return NotImplemented
        return self._game == other._game and np.array_equal(self.deltas, other.deltas)

    def __hash__(self) -> int:
        return hash((self._game, self.deltas.tobytes()))

    def __repr__(self) -> str:
        d = self._delta
        dtxt = f"{d:g}" if isinstance(d, float) else "[" + ", ".join(f"{x:g}" for x in d) + "]"
        return f"RepeatedGame({self._game!r}, delta={dtxt})"

    def __setattr__(self, key, value):
        raise AttributeError("RepeatedGame is immutable; use replace()")

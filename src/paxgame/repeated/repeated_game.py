"""Infinitely repeated games with perfect monitoring and public randomisation."""

from __future__ import annotations

import numpy as np

from . import critical, payoff_sets
from .data import RepeatedGameData

__all__ = ["RepeatedGame"]


class RepeatedGame(RepeatedGameData):
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

    __slots__ = ()

    # -- solvers (each delegates to its algorithm's module) -----------------------------
    def critical_delta(self, profile, punishment="nash") -> float:
        """The infimum of the discount factors at which the stationary profile is subgame
        perfect (inf when none in (0, 1) is; the set may be bounded above: see
        :meth:`sustaining_deltas`).

        See :func:`paxgame.repeated.critical_delta`.

        Returns
        -------
        float
        """

        return critical.critical_delta(self, profile, punishment=punishment)

    def sustaining_deltas(self, profile, punishment="nash", **options):
        """The set of discount factors at which the stationary profile is subgame perfect
        (intervals ``delta_set`` and their infimum ``critical``).

        See :func:`paxgame.repeated.sustaining_deltas`.

        Returns
        -------
        SustainingDeltas
        """

        return critical.sustaining_deltas(self, profile, punishment=punishment, **options)

    def sustainable(self, profile, punishment="nash") -> bool:
        """Whether repeating ``profile`` forever is subgame perfect at this game's δ.

        See :func:`paxgame.repeated.sustainable`.

        Returns
        -------
        bool
        """

        return critical.sustainable(self, profile, punishment=punishment)

    def worst_payoffs(self, **options) -> np.ndarray:
        """Each player's worst subgame-perfect payoff (the optimal penal code values).

        See :func:`paxgame.repeated.worst_payoffs`.

        Returns
        -------
        ndarray (N,)
        """

        return critical.worst_payoffs(self, **options)

    def payoff_set(self, method: str = "abreu_sannikov", **options):
        """The set of subgame-perfect payoff vectors, see :func:`paxgame.repeated.payoff_set`.

        Returns
        -------
        PayoffSet
        """

        return payoff_sets.payoff_set(self, method=method, **options)

"""Regime (stochastic) games: a stage game per regime and a Markov regime process."""

from __future__ import annotations

from . import regime
from .data import RegimeGameData

__all__ = ["RegimeGame"]


class RegimeGame(RegimeGameData):
    """A stochastic game with K regimes, immutable.

    In regime s the players play the stage game G_s (action counts may differ between
    regimes); the next regime is drawn from the transition law, which is either exogenous
    (a K×K row-stochastic matrix Π: elections, political shifts) or action-dependent (per
    regime an array of shape (m_1^s, ..., m_N^s, K) of next-regime probabilities;
    absorbing regimes allowed). Values are normalised: (1 − δ) Σ_t δ^t u_t.

    Parameters
    ----------
    stage_games : sequence of NormalFormGame or array_like
        One stage game per regime, all with the same number of players.
    transition : array_like (K, K) or sequence of K array_like
        Exogenous transition matrix, or one action-dependent array per regime.
    delta : float
        Discount factor in (0, 1).

    Examples
    --------
    >>> import paxgame as pg
    >>> pd = pg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> rg = pg.RegimeGame([pd], [[1.0]], 0.9)
    >>> round(rg.critical_delta([(0, 0)]), 9)   # one regime: the repeated game's answer
    0.5
    """

    __slots__ = ()

    # -- solvers (each delegates to its algorithm's module) -----------------------------
    def critical_delta(self, profiles, punishment="nash") -> float:
        """See :func:`paxgame.repeated.regime.critical_delta`.

        Returns
        -------
        float
        """

        return regime.critical_delta(self, profiles, punishment=punishment)

    def markov_equilibria(self, **options):
        """See :func:`paxgame.repeated.regime.markov_equilibria`.

        Returns
        -------
        list of MarkovEquilibrium
        """

        return regime.markov_equilibria(self, **options)

    def zero_sum_value(self, **options):
        """See :func:`paxgame.repeated.regime.zero_sum_value`.

        Returns
        -------
        ZeroSumValue
        """

        return regime.zero_sum_value(self, **options)

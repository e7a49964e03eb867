"""Repeated and regime (stochastic) games: critical discount factors, optimal punishments,
subgame-perfect payoff sets (Abreu–Sannikov, Judd–Yeltekin–Conklin outer and inner
approximations), minimum transfers, and regime-game solvers."""

from .critical import (SustainingDeltas, critical_delta, punishment_payoffs, sustainable,
                       sustaining_deltas, worst_payoffs)
from .payoff_set import PayoffSet
from .payoff_sets import payoff_set
from .regime import MarkovEquilibrium, ZeroSumValue
from .regime_game import RegimeGame
from .repeated_game import RepeatedGame
from .transfer import TransferResult, minimum_transfer

__all__ = ["MarkovEquilibrium", "PayoffSet", "RegimeGame", "RepeatedGame", "SustainingDeltas",
           "TransferResult", "ZeroSumValue", "minimum_transfer", "sustaining_deltas"]

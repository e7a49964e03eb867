"""Game objects and the builders of classic TU games: data and validation only (solvers
live in the family packages; :class:`~paxgame.RepeatedGame` and
:class:`~paxgame.RegimeGame` live beside their algorithms in :mod:`paxgame.repeated`)."""

from .builders import airport_game, bankruptcy, capability_pool, glove_game, weighted_voting
from .normal_form import NormalFormGame
from .scenario import Scenario
from .tu import TUGame

__all__ = ["NormalFormGame", "Scenario", "TUGame", "airport_game", "bankruptcy",
           "capability_pool", "glove_game", "weighted_voting"]

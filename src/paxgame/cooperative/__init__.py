"""Cooperative (TU) coalition games: values, core, least core, nucleolus, cost of stability
(the theory page "Cooperative (TU) coalition games").

The builders of classic games live with the game data in :mod:`paxgame.games` (their
names stay importable from here).
"""

from ..games.builders import (airport_game, bankruptcy, capability_pool,  # noqa: F401
                              glove_game, weighted_voting)
from .core import (CoreResult, CostOfStabilityResult, LeastCoreResult, core, cost_of_stability,
                   least_core)
from .nucleolus import NucleolusResult, kohlberg_check, nucleolus
from .values import (BanzhafResult, PowerIndexResult, ShapleyResult, banzhaf, banzhaf_index,
                     shapley, shapley_shubik_index)

__all__ = [
    "ShapleyResult", "BanzhafResult", "PowerIndexResult", "CoreResult", "LeastCoreResult",
    "CostOfStabilityResult", "NucleolusResult",
    "shapley", "banzhaf", "shapley_shubik_index", "banzhaf_index",
    "core", "least_core", "nucleolus", "kohlberg_check", "cost_of_stability",
]

"""Stage-game solvers: Nash equilibria, correlated equilibria, minmax, dominance.

Every solver validates its input, converts it, and calls the vectorised kernels of
:mod:`paxgame.kernels` (the same kernels :mod:`paxgame.batch` exposes for many games at once).
"""

from ._results import (CorrelatedResult, DominanceResult, Equilibrium, MinmaxResult,
                       NashResult)
from .correlated import correlated
from .dominance import eliminate_dominated, eliminate_weakly_dominated
from .minmax import minmax
from .nash import is_degenerate, nash, pure_nash
from .qre import QREResult, logit_qre

__all__ = ["nash", "pure_nash", "is_degenerate", "correlated", "minmax", "eliminate_dominated",
           "eliminate_weakly_dominated", "logit_qre", "Equilibrium", "NashResult",
           "CorrelatedResult", "MinmaxResult", "DominanceResult", "QREResult"]

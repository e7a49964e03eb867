"""Game objects: data and validation only (solvers live in the family packages)."""

from .normal_form import NormalFormGame
from .tu import TUGame
from .scenario import Scenario
from .repeated_game import RepeatedGame
from .regime_game import RegimeGame

__all__ = ["NormalFormGame", "TUGame"]
__all__ += ["Scenario"]
__all__ += ["RepeatedGame", "RegimeGame"]

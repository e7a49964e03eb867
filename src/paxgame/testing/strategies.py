"""Hypothesis strategies that generate valid paxgame inputs, with documented guarantees.

Each strategy is itself tested (tests/property/test_strategies*.py): every generated object
satisfies the guarantees its docstring states.
"""

from ._stage_strategies import *  # noqa: F401,F403
from ._stage_strategies import __all__ as _a
from ._repeated_strategies import *  # noqa: F401,F403
from ._repeated_strategies import __all__ as _b
from ._scenario_strategies import *  # noqa: F401,F403
from ._scenario_strategies import __all__ as _c
from ._tu_strategies import *  # noqa: F401,F403
from ._tu_strategies import __all__ as _d

__all__ = [*_a, *_b, *_c, *_d]

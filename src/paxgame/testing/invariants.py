"""Invariant assertions (the theory page "Invariants") for users' own property tests.

Each ``check_*`` function raises ``AssertionError`` with a precise message when an invariant
fails, so it can be called directly inside a hypothesis test.
"""

from ._stage_invariants import *  # noqa: F401,F403
from ._stage_invariants import __all__ as _a
from ._repeated_invariants import *  # noqa: F401,F403
from ._repeated_invariants import __all__ as _b
from ._scenario_invariants import *  # noqa: F401,F403
from ._scenario_invariants import __all__ as _c
from ._tu_invariants import *  # noqa: F401,F403
from ._tu_invariants import __all__ as _d

__all__ = [*_a, *_b, *_c, *_d]

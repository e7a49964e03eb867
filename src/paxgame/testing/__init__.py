"""Hypothesis strategies and invariant assertions for property-testing game solvers.

The package uses the public API only (``import paxgame as pg``), as a user's test suite
would: it builds games with the public constructors and recomputes what it checks from the
definitions (obedience, pure minmax values, the distance to the feasible set, whether an
equilibrium meets a target) rather than reusing the solvers' internals, so a defect there
cannot hide behind a check that shares it. ``.importlinter`` states the rule.

>>> from paxgame.testing import strategies, invariants
"""

from . import invariants, strategies

__all__ = ["invariants", "strategies"]

"""Hypothesis strategies and invariant assertions for property-testing game solvers.

>>> from paxgame.testing import strategies, invariants
"""

from . import invariants, strategies

__all__ = ["invariants", "strategies"]

"""Exceptions raised by paxgame.

Invalid input raises the built-in ``ValueError`` or ``TypeError`` (or a subclass of them
defined here); a solver that fails to produce any answer raises :class:`SolverError` naming
the solver. Infeasibility is never an exception: it is a result status.
"""

from __future__ import annotations

__all__ = ["GameFileError", "SolverError", "CheckpointError", "StoreError", "PerformanceWarning"]


class GameFileError(ValueError):
    """A game or scenario file is unreadable or breaks its schema.

    The message names the file, the key (a dotted path) and the rule broken, e.g.
    ``load: games/x.toml: key 'regimes.transition': row 1 sums to 0.9, not 1``.
    """


class SolverError(RuntimeError):
    """An external solver raised instead of returning a status (the solver is named)."""


class CheckpointError(ValueError):
    """A checkpoint directory does not belong to the sweep that tries to resume from it."""


class StoreError(ValueError):
    """A sweep's output path cannot be written or read safely.

    Raised before anything is written when the target is a user's file or directory (paxgame
    deletes only stores it wrote), a symbolic link, or a paxgame store that may not be
    overwritten; and by readers of a store whose writer did not finish.
    """


class PerformanceWarning(UserWarning):
    """A computation runs on a slower path than the batch kernel (said once per process)."""

"""Exceptions raised by paxgame.

The policy, one line each (every message is led by the public function's name):

- ``ValueError`` (or a subclass defined here) for a bad value: out of range, wrong shape,
  an unknown method, option or name (with a "did you mean" hint);
- ``TypeError`` for a value of the wrong type (a string where numbers belong, a game where
  a repeated game belongs);
- :class:`SolverError` for a defect: an external solver raised instead of returning a
  status, or an answer failed an invariant the code guarantees (please report it).

Infeasibility, non-convergence and an uncertified answer are never exceptions: they are
result statuses.
"""

from __future__ import annotations

__all__ = ["GameFileError", "SolverError", "CheckpointError", "StoreError", "PerformanceWarning"]


class GameFileError(ValueError):
    """A game or scenario file is unreadable or breaks its schema.

    The message names the file, the key (a dotted path) and the rule broken, e.g.
    ``load: games/x.toml: key 'regimes.transition': row 1 sums to 0.9, not 1``.
    """


class SolverError(RuntimeError):
    """A defect, not a bad input: an external solver raised instead of returning a status
    (the solver is named), or an answer broke an invariant the code guarantees."""


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

"""Per-player payoff scales: the unit in which each player's tolerances are read."""

from __future__ import annotations

import numpy as np

__all__ = ["player_scales"]


def player_scales(payoffs) -> np.ndarray:
    """Each player's own payoff scale: the largest absolute payoff of that player (1 for a
    player whose payoffs are all zero), shape (N,).

    ``payoffs`` is a stacked array (N, m_1, ..., m_N) or a list of flat per-regime arrays
    (P_s, N) (profiles in rows, players in columns). A tolerance ``tol`` on player i's
    payoffs means ``tol × player_scales(...)[i]``: one global scale would let a player
    paid in thousands swamp the incentives of a player paid in thousandths.

    Examples
    --------
    >>> import numpy as np
    >>> player_scales(np.array([[[1, -1], [0, 0]], [[0, 1e-6], [1e-6, 0]]]) * [[[1e9]], [[1]]])
    array([1.e+09, 1.e-06])
    """
    if isinstance(payoffs, (list, tuple)):
        flat = np.concatenate([np.abs(np.asarray(x, float)) for x in payoffs], axis=0)
        s = flat.max(axis=0)
    else:
        arr = np.abs(np.asarray(payoffs, float))
        s = arr.reshape(arr.shape[0], -1).max(axis=1)
    return np.where(s > 0, s, 1.0)

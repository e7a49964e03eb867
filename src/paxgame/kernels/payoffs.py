"""Expected payoffs, action values and regret of mixed profiles in N-player games.

``payoffs`` is always the stacked array of shape (N, m_1, ..., m_N); a mixed profile is a
sequence of N probability vectors. Batched forms take a leading batch axis on both.
"""

from __future__ import annotations

import numpy as np

__all__ = ["action_values", "expected_payoffs", "regret", "deviation_payoffs_pure"]


def _contract_others(payoff: np.ndarray, strategies, keep: int) -> np.ndarray:
    """Contract one player's payoff array with every strategy except player ``keep``'s."""
    out = payoff
    # contract from the last axis down so that axis numbers stay valid
    for j in range(len(strategies) - 1, -1, -1):
        if j == keep:
            continue
        out = np.tensordot(out, strategies[j], axes=([j], [0]))
    return out


def action_values(payoffs: np.ndarray, strategies, player: int) -> np.ndarray:
    """Payoff to ``player`` of each of its pure actions against the others' mixtures."""
    return _contract_others(payoffs[player], strategies, player)


def expected_payoffs(payoffs: np.ndarray, strategies) -> np.ndarray:
    """Expected payoff of every player under the mixed profile, shape (N,)."""
    n = payoffs.shape[0]
    return np.array([action_values(payoffs, strategies, i) @ strategies[i] for i in range(n)])


def regret(payoffs: np.ndarray, strategies) -> float:
    """max over players of (best-response payoff - expected payoff); 0 at a Nash equilibrium."""
    n = payoffs.shape[0]
    worst = 0.0
    for i in range(n):
        vals = action_values(payoffs, strategies, i)
        worst = max(worst, float(vals.max() - vals @ strategies[i]))
    return worst


def deviation_payoffs_pure(payoffs: np.ndarray) -> np.ndarray:
    """d_i(a) = max over a_i' of u_i(a_i', a_-i) for every pure profile a, shape (N, m_1..m_N)."""
    n = payoffs.shape[0]
    out = np.empty_like(payoffs)
    for i in range(n):
        out[i] = payoffs[i].max(axis=i, keepdims=True)
    return out

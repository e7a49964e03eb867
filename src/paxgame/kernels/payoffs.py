"""Expected payoffs, action values and regret of mixed profiles in N-player games.

``payoffs`` is always the stacked array of shape (N, m_1, ..., m_N); a mixed profile is a
sequence of N probability vectors. Batched forms take a leading batch axis on both.
"""

from __future__ import annotations

import numpy as np

__all__ = ["positive_unit", "action_values", "expected_payoffs", "regret", "deviation_payoffs_pure",
           "payoff_scale", "abs_scale", "player_abs_scales", "as_bimatrix"]


def payoff_scale(u, ndim: int) -> np.ndarray:
    """Each payoff array's own scale: its range (max - min) over the last ``ndim`` axes.

    This is the one definition of the payoff scale that relative tolerances multiply, for
    every stage solver and stage kernel: a player's tolerance is ``tol x`` *that player's*
    scale, so a player whose payoffs are in the billions cannot swamp one whose payoffs are
    of order one, and the scale is invariant under adding a constant to a player's payoffs
    and equivariant under multiplying them by k > 0. A constant array (range 0) has scale
    its largest absolute entry, and the all-zero array scale 1.

    Parameters
    ----------
    u : array_like, shape (..., d_1, ..., d_ndim)
        Payoff arrays, e.g. ``(N, m_1, ..., m_N)`` with ``ndim=N`` (one scale per player)
        or a batch of matrices ``(G, m, n)`` with ``ndim=2`` (one scale per game).
    ndim : int
        Number of trailing axes that hold one payoff array.

    Returns
    -------
    ndarray, shape (...)

    Examples
    --------
    >>> payoff_scale(np.array([[[1e9, -1e9], [0, 0]], [[0, 1], [1, 0]]]), 2)
    array([2.e+09, 1.e+00])
    """
    u = np.asarray(u, dtype=float)
    lead = u.shape[:u.ndim - ndim]
    flat = u.reshape(lead + (-1,))
    if flat.shape[-1] == 0:
        return np.ones(lead)
    top, low = flat.max(axis=-1), flat.min(axis=-1)
    span = top - low
    absolute = np.maximum(np.abs(top), np.abs(low))
    return np.where(span > 0, span, np.where(absolute > 0, absolute, 1.0))


def as_bimatrix(func: str, A, B) -> tuple[np.ndarray, np.ndarray]:
    """A batch of bimatrix games as two float arrays of one shape (batch, m, n); the
    ``ValueError`` is led by ``func``, the calling kernel."""
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    if A.ndim != 3 or A.shape != B.shape:
        raise ValueError(f"{func}: A and B must have the same shape (batch, m, n), "
                         f"got {A.shape} and {B.shape}")
    return A, B


def abs_scale(*arrays) -> float:
    """The largest absolute entry of ``arrays`` (1 when all are zero or empty).

    The one home of the magnitude scale that relative tolerances of the repeated, regime and
    coalition solvers multiply (the stage solvers use the range, :func:`payoff_scale`).

    Examples
    --------
    >>> abs_scale(np.array([[-3.0, 2.0]]), [0.5]), abs_scale(np.zeros(2))
    (3.0, 1.0)
    """
    top = max((float(np.max(np.abs(np.asarray(a, dtype=float)), initial=0.0))
               for a in arrays), default=0.0)
    return top if top > 0 else 1.0


def player_abs_scales(payoffs) -> np.ndarray:
    """Each player's own payoff scale: the largest absolute payoff of that player (1 for a
    player whose payoffs are all zero), shape (N,).

    ``payoffs`` is a stacked array (N, m_1, ..., m_N) or a list of flat per-regime arrays
    (P_s, N) (profiles in rows, players in columns). A tolerance ``tol`` on player i's
    payoffs means ``tol x player_abs_scales(...)[i]``: one global scale would let a player
    paid in thousands swamp the incentives of a player paid in thousandths.

    Examples
    --------
    >>> player_abs_scales(np.array([[[1, -1], [0, 0]], [[0, 1e-6], [1e-6, 0]]]) * [[[1e9]], [[1]]])
    array([1.e+09, 1.e-06])
    """
    if isinstance(payoffs, (list, tuple)):
        s = np.concatenate([np.abs(np.asarray(x, float)) for x in payoffs], axis=0).max(axis=0)
    else:
        arr = np.abs(np.asarray(payoffs, float))
        s = arr.reshape(arr.shape[0], -1).max(axis=1)
    return np.where(s > 0, s, 1.0)


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


def positive_unit(P: np.ndarray) -> np.ndarray:
    """Each game's matrix of a stack (G, m, n) mapped into [1, 2] by a positive affine map
    (the shift and scale vertex enumeration and Lemke-Howson need; equilibria unchanged)."""
    G = P.shape[0]
    flat = P.reshape(G, -1)
    low = flat.min(axis=1)
    span = flat.max(axis=1) - low
    span = np.where(span > 0, span, 1.0)
    return 1.0 + (P - low[:, None, None]) / span[:, None, None]

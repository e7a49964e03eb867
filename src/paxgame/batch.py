"""The vectorised core's public face: one call solves many games or parameter points.

Every function takes stacked arrays with a leading batch axis (or arrays that broadcast like
numpy) and returns stacked results; the scalar solvers of paxgame call these same kernels.
"""

import numpy as _np

from . import _validation
from .kernels import tu as _ktu
from .revocation.batch import minimum_assurance, revocation_equilibrium
from .repeated.batch import critical_delta
from .kernels import pure_nash as _kpure
from .kernels import lemke_howson as _klh
from .kernels import payoffs as _kpayoffs
from .kernels import support_enumeration as _ksupport
from .kernels import vertex_enumeration as _kvertex

__all__: list[str] = []
__all__ += ["shapley", "banzhaf", "coalition_sums"]
__all__ += ["minimum_assurance", "revocation_equilibrium"]
__all__ += ["critical_delta"]
__all__ += ["pure_nash", "support_enumeration", "vertex_enumeration", "lemke_howson"]


def _payoff_array(func: str, name: str, value) -> _np.ndarray:
    """Validated real, finite payoffs. A float64 array whose sum is finite is passed on
    uncopied (one cheap pass); anything else goes through ``as_float_array``, which
    converts it or raises the library's error naming the culprit entry."""
    if isinstance(value, _np.ndarray) and value.dtype == _np.float64 and _np.isfinite(
            value.sum()):
        return value
    return _validation.as_float_array(func, name, value)


def shapley(values, *, block_bits: int = _ktu.BLOCK_BITS):
    return _ktu.shapley(values, block_bits=block_bits, func="batch.shapley")


def banzhaf(values, *, block_bits: int = _ktu.BLOCK_BITS):
    return _ktu.banzhaf(values, block_bits=block_bits, func="batch.banzhaf")


def coalition_sums(x, *, out=None):
    return _ktu.coalition_sums(x, out=out, func="batch.coalition_sums")


# the kernels document the parameters; their messages carry the public name given here
shapley.__doc__ = _ktu.shapley.__doc__
banzhaf.__doc__ = _ktu.banzhaf.__doc__
coalition_sums.__doc__ = _ktu.coalition_sums.__doc__


def _check_batch_options(func: str, tol, chunk) -> float:
    tol = _validation.as_real(func, "tol", tol)
    if tol < 0:
        raise ValueError(f"{func}: tol must be non-negative, got {tol}")
    _validation.check_chunk(func, chunk)
    return tol


def pure_nash(payoffs, tol: float = 0.0, chunk: int | None = None):
    """Boolean mask of the pure Nash equilibria of each game of a batch (validated).

    Validates the payoffs (real, finite, shape (batch, N, m_1, ..., m_N)), then calls
    :func:`paxgame.kernels.pure_nash.pure_nash`, which documents the parameters.

    Examples
    --------
    >>> import numpy as np
    >>> import paxgame as pg
    >>> pd = np.array([[[[3, 0], [5, 1]], [[3, 5], [0, 1]]]])
    >>> pg.batch.pure_nash(pd)[0]
    array([[False, False],
           [False,  True]])
    """
    func = "batch.pure_nash"
    if isinstance(payoffs, _np.ndarray) and payoffs.dtype.kind in "iu":
        P = payoffs  # integers are finite; the kernel compares them exactly
    else:
        P = _payoff_array(func, "payoffs", payoffs)
    if P.ndim < 4 or P.shape[1] != P.ndim - 2:
        raise ValueError(f"{func}: payoffs must have shape (batch, N, m_1, ..., m_N), "
                         f"got {P.shape}")
    tol = _check_batch_options(func, tol, chunk)
    return _kpure.pure_nash(P, tol=tol, chunk=chunk)


def support_enumeration(A, B, tol: float = 1e-9, chunk: int | None = None):
    """Extreme Nash equilibria of a batch of bimatrix games (validated).

    Validates ``A`` and ``B`` (real, finite, equal shapes (batch, m, n)), then calls
    :func:`paxgame.kernels.support_enumeration.support_enumeration`, which documents the
    parameters and the returned :class:`~paxgame.kernels.support_enumeration.BatchEquilibria`.

    Examples
    --------
    >>> import numpy as np
    >>> import paxgame as pg
    >>> res = pg.batch.support_enumeration([[[3, 0], [0, 2]]], [[[2, 0], [0, 3]]])
    >>> res.counts
    array([3])
    """
    func = "batch.support_enumeration"
    A, B = _bimatrix(func, A, B)
    tol = _check_batch_options(func, tol, chunk)
    m, n = A.shape[1:]
    work = _ksupport.support_work(m, n)
    if work > _ksupport.WORK_LIMIT:
        # refused before any allocation: memory and time grow with the number of systems
        raise ValueError(f"{func}: {m}x{n} games mean up to {work:.2g} square systems per "
                         f"game (limit {_ksupport.WORK_LIMIT:.0e}, about 13x13); use "
                         f"batch.vertex_enumeration (every extreme equilibrium) or "
                         f"batch.lemke_howson (one equilibrium per starting label), which "
                         f"scale to larger games")
    return _ksupport.support_enumeration(A, B, tol=tol, chunk=chunk)


def _bimatrix(func: str, A, B):
    A = _payoff_array(func, "A", A)
    B = _payoff_array(func, "B", B)
    if A.ndim != 3 or A.shape != B.shape:
        raise ValueError(f"{func}: A and B must have the same shape (batch, m, n), "
                         f"got {A.shape} and {B.shape}")
    if min(A.shape[1:], default=0) < 1:
        raise ValueError(f"{func}: every player needs at least one action, got games of "
                         f"shape {A.shape[1]}x{A.shape[2]}")
    if A.shape[0] == 0:
        raise ValueError(f"{func}: the batch holds no game (A and B have shape {A.shape}); "
                         f"pass at least one")
    return A, B


def vertex_enumeration(A, B, tol: float = 1e-9):
    """Extreme Nash equilibria of a batch of bimatrix games by vertex enumeration (validated).

    Validates ``A`` and ``B`` (real, finite, equal shapes (batch, m, n)), then calls
    :func:`paxgame.kernels.vertex_enumeration.vertex_enumeration`, which documents the
    algorithm and returns a
    :class:`~paxgame.kernels.support_enumeration.BatchEquilibria`. The tolerance is
    relative to each player's payoff range in each game.

    Examples
    --------
    >>> import paxgame as pg
    >>> res = pg.batch.vertex_enumeration([[[3, 0], [0, 2]]], [[[2, 0], [0, 3]]])
    >>> res.counts
    array([3])
    """
    func = "batch.vertex_enumeration"
    A, B = _bimatrix(func, A, B)
    tol = _check_batch_options(func, tol, None)
    # each player's payoffs to [0, 1]: the kernel's tolerance is then per player
    res = _kvertex.vertex_enumeration(_unit_range(A), _unit_range(B), tol=tol)
    return _with_payoffs(res, A, B)


def _unit_range(P):
    G = P.shape[0]
    flat = P.reshape(G, -1)
    low = flat.min(axis=1)[:, None, None]
    span = _kpayoffs.payoff_scale(P, 2)[:, None, None]
    return P / span - low / span


def _with_payoffs(res, A, B):
    """The result with equilibrium payoffs recomputed on the caller's matrices."""
    g = res.game
    pay = _np.stack([_np.einsum("ki,kij,kj->k", res.x, A[g], res.y),
                     _np.einsum("ki,kij,kj->k", res.x, B[g], res.y)], axis=1)
    return res._replace(payoffs=pay.reshape(-1, 2))


def lemke_howson(A, B, labels=0, max_iter: int = 10_000):
    """One Nash equilibrium per game of a batch by Lemke-Howson (validated).

    Validates the input, then calls :func:`paxgame.kernels.lemke_howson.lemke_howson`
    (lexicographic pivoting, a pivot cap per path).

    Parameters
    ----------
    A, B : array_like, shape (batch, m, n)
    labels : int or array_like of int, shape (batch,)
        Starting label of each game's path (0..m-1 a row action, m..m+n-1 a column action).
    max_iter : int
        Pivot cap per path; ``converged`` is False where it was reached.

    Returns
    -------
    LemkeHowsonResult
        ``x``, ``y``, ``pivots``, ``converged``.

    Examples
    --------
    >>> import paxgame as pg
    >>> res = pg.batch.lemke_howson([[[3, 0], [0, 2]]], [[[2, 0], [0, 3]]], labels=0)
    >>> res.x, res.converged
    (array([[1., 0.]]), array([ True]))
    """
    func = "batch.lemke_howson"
    A, B = _bimatrix(func, A, B)
    G, m, n = A.shape
    try:
        lab = _np.broadcast_to(_np.asarray(labels), (G,))
    except ValueError as err:
        raise ValueError(f"{func}: labels must be one integer or one per game ({G}), "
                         f"got shape {_np.shape(labels)}") from err
    if lab.dtype.kind not in "iu" or _np.any((lab < 0) | (lab >= m + n)):
        raise ValueError(f"{func}: labels must be integers in 0..{m + n - 1}, "
                         f"got {labels!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, _np.integer)) or (
            max_iter < 1):
        raise ValueError(f"{func}: max_iter must be a positive integer, got {max_iter!r}")
    return _klh.lemke_howson(A, B, lab, max_iter=int(max_iter))

"""The vectorised core's public face: one call solves many games or parameter points.

Every function takes stacked arrays with a leading batch axis (or arrays that broadcast like
numpy) and returns stacked results; the scalar solvers of paxgame call these same kernels.
"""

import numpy as _np

from . import _validation
from .kernels.tu import banzhaf, coalition_sums, shapley
from .revocation.batch import minimum_assurance, revocation_equilibrium
from .repeated.batch import critical_delta
from .kernels import pure_nash as _kpure
from .kernels import support_enumeration as _ksupport

__all__: list[str] = []
__all__ += ["shapley", "banzhaf", "coalition_sums"]
__all__ += ["minimum_assurance", "revocation_equilibrium"]
__all__ += ["critical_delta"]
__all__ += ["pure_nash", "support_enumeration"]


def _payoff_array(func: str, name: str, value) -> _np.ndarray:
    """Validated real, finite payoffs. A float64 array whose sum is finite is passed on
    uncopied (one cheap pass); anything else goes through ``as_float_array``, which
    converts it or raises the library's error naming the culprit entry."""
    if isinstance(value, _np.ndarray) and value.dtype == _np.float64 and _np.isfinite(
            value.sum()):
        return value
    return _validation.as_float_array(func, name, value)


def _check_batch_options(func: str, tol, chunk) -> float:
    tol = _validation._as_real(func, "tol", tol)
    if tol < 0:
        raise ValueError(f"{func}: tol must be non-negative, got {tol}")
    if chunk is not None and (isinstance(chunk, bool) or not isinstance(
            chunk, (int, _np.integer)) or chunk < 1):
        raise ValueError(f"{func}: chunk must be a positive integer or None, got {chunk!r}")
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
    A = _payoff_array(func, "A", A)
    B = _payoff_array(func, "B", B)
    if A.ndim != 3 or A.shape != B.shape:
        raise ValueError(f"{func}: A and B must have the same shape (batch, m, n), "
                         f"got {A.shape} and {B.shape}")
    tol = _check_batch_options(func, tol, chunk)
    return _ksupport.support_enumeration(A, B, tol=tol, chunk=chunk)

"""Exact linear algebra on :class:`fractions.Fraction` arrays (for ``verify(exact=True)``)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

__all__ = ["solve", "as_fractions"]


def as_fractions(values) -> np.ndarray:
    """An object array of Fractions holding each float's exact binary value."""
    arr = np.asarray(values)
    out = np.empty(arr.shape, dtype=object)
    for idx, x in np.ndenumerate(arr):
        out[idx] = x if isinstance(x, Fraction) else Fraction(x)
    return out


def solve(A, B) -> np.ndarray:
    """Solve ``A X = B`` exactly (Gauss-Jordan with non-zero pivots).

    ``A`` is (m, m), ``B`` is (m,) or (m, k); entries are Fractions or integers.

    Raises
    ------
    ZeroDivisionError
        When ``A`` is singular.
    """
    A = np.array(A, dtype=object)
    B = np.array(B, dtype=object)
    vector = B.ndim == 1
    if vector:
        B = B[:, None]
    m = A.shape[0]
    M = [[Fraction(x) for x in A[i]] + [Fraction(x) for x in B[i]] for i in range(m)]
    for k in range(m):
        piv = next((i for i in range(k, m) if M[i][k] != 0), None)
        if piv is None:
            raise ZeroDivisionError("solve: the matrix is singular")
        M[k], M[piv] = M[piv], M[k]
        inv = 1 / M[k][k]
        M[k] = [x * inv for x in M[k]]
        for i in range(m):
            if i != k and M[i][k] != 0:
                f = M[i][k]
                M[i] = [a - f * c for a, c in zip(M[i], M[k])]
    X = np.array([row[m:] for row in M], dtype=object)
    return X[:, 0] if vector else X

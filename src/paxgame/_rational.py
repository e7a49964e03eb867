"""Exact linear algebra on :class:`fractions.Fraction` arrays (for ``verify(exact=True)``)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

__all__ = ["solve", "solve_unique", "solve_any", "row_reduce", "as_fractions"]


def as_fractions(values) -> np.ndarray:
    """An object array of Fractions holding each float's exact binary value."""
    arr = np.asarray(values)
    out = np.empty(arr.shape, dtype=object)
    for idx, x in np.ndenumerate(arr):
        out[idx] = x if isinstance(x, Fraction) else Fraction(x)
    return out


def row_reduce(rows, rhs) -> tuple[list[list[Fraction]], list[int]]:
    """Gauss-Jordan elimination of the augmented system ``[rows | rhs]`` in Fractions.

    The one home of exact rational elimination: returns the reduced rows (each pivot row
    scaled to a leading 1, every other entry of a pivot column 0) and the pivot columns, in
    order; row ``i`` of the result carries pivot ``pivots[i]``, and rows past the last pivot
    have zero coefficients (a non-zero right-hand side there means inconsistent).
    """
    n_var = len(rows[0]) if len(rows) else 0
    aug = [[Fraction(x) for x in r] + [Fraction(b)] for r, b in zip(rows, rhs)]
    return aug, _eliminate(aug, n_var)


def _eliminate(aug: list[list[Fraction]], n_var: int) -> list[int]:
    """Reduce ``aug`` (rows of ``n_var`` coefficients and any number of right-hand sides) in
    place; return the pivot columns."""
    m = len(aug)
    pivots: list[int] = []
    r = 0
    for c in range(n_var):
        if r == m:
            break
        piv = next((i for i in range(r, m) if aug[i][c] != 0), None)
        if piv is None:
            continue
        aug[r], aug[piv] = aug[piv], aug[r]
        inv = 1 / aug[r][c]
        aug[r] = [v * inv for v in aug[r]]
        for i in range(m):
            if i != r and aug[i][c] != 0:
                f = aug[i][c]
                aug[i] = [a - f * b for a, b in zip(aug[i], aug[r])]
        pivots.append(c)
        r += 1
    return pivots


def solve_unique(rows, rhs) -> list[Fraction] | None:
    """The unique solution of a consistent (possibly over-determined) rational system, or
    None when the system is inconsistent or its solution is not unique.

    Examples
    --------
    >>> solve_unique([[1, 1], [1, -1], [2, 0]], [3, 1, 4])
    [Fraction(2, 1), Fraction(1, 1)]
    >>> solve_unique([[1, 1]], [1]) is None
    True
    """
    n_var = len(rows[0]) if len(rows) else 0
    aug, pivots = row_reduce(rows, rhs)
    if len(pivots) < n_var:
        return None
    if any(aug[i][-1] != 0 for i in range(len(pivots), len(aug))):
        return None
    return [aug[i][-1] for i in range(n_var)]


def solve_any(rows, rhs) -> list[Fraction] | None:
    """A solution of a consistent rational system with its free variables at 0, or None
    when the system is inconsistent (or has no rows).

    Examples
    --------
    >>> solve_any([[1, 1]], [1])
    [Fraction(1, 1), Fraction(0, 1)]
    """
    if not len(rows):
        return None
    aug, pivots = row_reduce(rows, rhs)
    if any(aug[i][-1] != 0 for i in range(len(pivots), len(aug))):
        return None
    sol = [Fraction(0)] * len(rows[0])
    for i, col in enumerate(pivots):
        sol[col] = aug[i][-1]
    return sol


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
    aug = [[Fraction(x) for x in A[i]] + [Fraction(x) for x in B[i]] for i in range(m)]
    if len(_eliminate(aug, m)) < m:
        raise ZeroDivisionError("solve: the matrix is singular")
    X = np.array([row[m:] for row in aug], dtype=object)
    return X[:, 0] if vector else X

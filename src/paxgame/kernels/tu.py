"""Batch kernels for TU (transferable-utility) coalition games.

A TU game on n players is a value vector of length 2**n indexed by coalition bitmask
(bit i set means player i is a member).  The kernels here take stacked value vectors of
shape (batch, 2**n) and never loop over coalitions in Python.

* :func:`coalition_sums` turns allocations x (batch, n) into x(S) for every coalition S with
  the doubling recursion x(S + {i}) = x(S) + x_i, O(2**n) per game.
* :func:`shapley` and :func:`banzhaf` use one weighted pass over the value vector followed by
  a folding tree that sums, for every player i, the weighted values of the coalitions that
  contain i.  With c(S) = v(S) (w(#S-1) + w(#S)) and w(s) = s! (n-1-s)! / n!,

  phi_i = sum_{S contains i} c(S) - sum_S w(#S) v(S)

  which is Shapley's (1953) formula regrouped by coalition instead of by marginal
  contribution.  The folding tree costs about 2 * 2**n additions in total, so both values
  cost O(2**n) per game (the O(n 2**n) bound of subset enumeration, without the factor n).
  No n! permutation loop is ever used.

Memory: the value vector is processed in blocks of at most ``2**block_bits`` coalitions
(default 2**18, 2 MiB of float64 per row), so temporaries stay bounded whatever n and the
batch size are; only the input and the (batch, n) output are full size.
:func:`coalition_sums` allocates its (batch, 2**n) output, so it refuses an output larger
than :data:`MAX_OUTPUT_BYTES` before allocating (pass ``out=`` or fewer rows at a time).

Range: a row whose sums overflow (worths near the float64 limit, 1.8e308; any overflow
makes the answer inf or NaN) is solved again on its worths divided by a power of two s
(:func:`pow2_scale`, so max abs(v) / s lies in [1, 2)) and the answer multiplied by s.
Division by a power of two is exact, so the answer is the one the sums would give without
overflow, and ordinary rows cost nothing extra; a value that is itself outside the float64
range is refused with a ``ValueError`` instead of being returned as inf or NaN
(:func:`shapley_scaled` and :func:`banzhaf_scaled` return the scaled answer and s).
"""

from __future__ import annotations

from functools import lru_cache
from math import comb

import numpy as np

__all__ = ["coalition_sums", "shapley", "banzhaf", "shapley_scaled", "banzhaf_scaled",
           "popcount", "shapley_weights", "pow2_scale", "BLOCK_BITS", "MAX_OUTPUT_BYTES"]

#: log2 of the number of coalitions processed per block (bounds temporary memory).
BLOCK_BITS = 18

#: Largest output :func:`coalition_sums` allocates, in bytes (1 GiB: 2**27 float64, e.g. two
#: rows of 26 players). Read at call time.
MAX_OUTPUT_BYTES = 1 << 30


def pow2_scale(values) -> np.ndarray:
    """Per-row power of two s with max abs(v) / s in [1, 2) (1 for an all-zero row).

    ``values`` has shape (..., k); the result has shape (...,).  Dividing by s is exact
    (a change of the binary exponent), so scaled sums never overflow: a sum of 2**26 scaled
    worths is at most 2**27.
    """
    values = np.asarray(values)
    top = np.maximum(np.max(values, axis=-1), -np.min(values, axis=-1))   # no abs copy
    _, exp = np.frexp(top)
    scale = np.ldexp(1.0, exp - 1)
    return np.where(top > 0, scale, 1.0)


@lru_cache(maxsize=8)
def _popcount_cached(n: int) -> np.ndarray:
    pc = np.zeros(1, dtype=np.uint8)
    for _ in range(n):
        pc = np.concatenate([pc, pc + 1])
    pc.setflags(write=False)
    return pc


def popcount(n: int) -> np.ndarray:
    """Coalition sizes #S for every bitmask S in 0 .. 2**n - 1 (uint8, read-only)."""
    return _popcount_cached(int(n))


def shapley_weights(n: int) -> np.ndarray:
    """w(s) = s! (n-1-s)! / n! for s = 0 .. n-1 (the Shapley coalition weights)."""
    return np.array([1.0 / (n * comb(n - 1, s)) for s in range(n)], dtype=np.float64)


def _fold(c: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Sums over the coalitions containing each low bit; adds into ``out`` (b, k); returns
    the total of each row (b,)."""
    b = c.shape[0]
    cur = c
    k = c.shape[1].bit_length() - 1
    for i in range(k - 1, -1, -1):
        half = cur.reshape(b, 2, -1)
        out[:, i] += half[:, 1, :].sum(axis=1)
        cur = half[:, 0, :] + half[:, 1, :]
    return cur[:, 0]


def _real_values(values, func: str, name: str = "values") -> np.ndarray:
    """``values`` as float64, rejecting ragged, non-numeric (e.g. object) and non-finite
    entries (the batch functions are public: a NaN worth would otherwise spread
    into every player's value silently)."""
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{func}: {name} must hold real numbers only (got a "
                        f"{type(values).__name__})")
    try:
        arr = np.asarray(values)
    except ValueError as err:   # ragged nesting
        raise ValueError(f"{func}: {name} is ragged (its rows differ in length)") from err
    if arr.dtype.kind not in "biuf":
        kind = "an object" if arr.dtype.kind == "O" else f"a {arr.dtype}"
        raise TypeError(f"{func}: {name} must hold real numbers only (got {kind} array)")
    arr = arr.astype(np.float64, copy=False)
    if not np.isfinite(arr).all():
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise ValueError(f"{func}: {name}{list(bad)} must be finite, got {arr[bad]}")
    return arr


def _num_players(values: np.ndarray, func: str) -> int:
    if values.ndim == 0:
        raise ValueError(f"{func}: values must have a last axis of length 2**n with n >= 1, "
                         f"got a scalar")
    size = values.shape[-1]
    n = size.bit_length() - 1
    if size < 2 or (1 << n) != size:
        raise ValueError(f"{func}: values must have a last axis of length 2**n with n >= 1, "
                         f"got {size}")
    if values.size and np.any(values[..., 0] != 0):
        bad = tuple(int(i) for i in np.argwhere(values[..., 0] != 0)[0])
        where = f"values[{', '.join(map(str, bad + (0,)))}]"
        raise ValueError(f"{func}: {where} (the empty coalition) must be 0, got "
                         f"{values[bad + (0,)]}")
    return n


def _rescaled(func: str, what: str, scaled: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """``scaled * scale`` (scale per row), refusing a result outside the float64 range."""
    with np.errstate(over="ignore"):
        out = scaled * scale[:, None]
    if not np.all(np.isfinite(out)):
        row, col = (int(i) for i in np.argwhere(~np.isfinite(out))[0])
        raise ValueError(f"{func}: the {what} of player {col} in game {row} lies outside the "
                         f"float64 range (about {scaled[row, col]:.6g} * 2**"
                         f"{int(np.log2(scale[row]))}); divide the worths by a common factor")
    return out


def _member_sums(values: np.ndarray, coef_in: np.ndarray | None, coef_all: np.ndarray | None,
                 block_bits: int) -> tuple[np.ndarray, np.ndarray]:
    """For each row: M_i = sum_{S contains i} a(#S) v(S) and T = sum_S b(#S) v(S).

    ``coef_in`` and ``coef_all`` are tables of length n + 1 indexed by coalition size (None
    means all ones).  Blocks of the value vector are processed one at a time.
    """
    values = np.asarray(values, dtype=np.float64)
    batch = values.shape[0]
    n = values.shape[-1].bit_length() - 1
    k = min(n, block_bits)
    size_lo = 1 << k
    pc_lo = popcount(k)
    rows = max(1, (1 << block_bits) // size_lo)
    member = np.zeros((batch, n), dtype=np.float64)
    total = np.zeros(batch, dtype=np.float64)
    for r0 in range(0, batch, rows):
        r1 = min(batch, r0 + rows)
        for hi in range(1 << (n - k)):
            block = values[r0:r1, hi * size_lo:(hi + 1) * size_lo]
            p_hi = int(hi).bit_count()
            if coef_in is None:
                c = block
            else:
                c = block * coef_in[p_hi:p_hi + k + 1][pc_lo]
            s = _fold(c, member[r0:r1, :k])
            if coef_all is None and coef_in is None:
                t = s
            elif coef_all is None:
                t = block.sum(axis=1)
            else:
                t = np.einsum("ij,j->i", block, coef_all[p_hi:p_hi + k + 1][pc_lo])
            total[r0:r1] += t
            if hi:
                bits = [k + j for j in range(n - k) if (hi >> j) & 1]
                member[r0:r1, bits] += s[:, None]
    return member, total


def _shapley_rows(v2: np.ndarray, n: int, block_bits: int) -> np.ndarray:
    w = shapley_weights(n)
    w_ext = np.zeros(n + 2)
    w_ext[1:n + 1] = w          # w_ext[s + 1] = w(s); w(-1) = w(n) = 0
    sizes = np.arange(n + 1)
    coef_in = w_ext[sizes] + w_ext[sizes + 1]   # w(s - 1) + w(s)
    coef_all = w_ext[sizes + 1]                 # w(s)
    member, total = _member_sums(v2, coef_in, coef_all, block_bits)
    return member - total[:, None]


def _banzhaf_rows(v2: np.ndarray, n: int, block_bits: int) -> np.ndarray:
    member, total = _member_sums(v2, None, None, block_bits)
    return (2.0 * member - total[:, None]) / float(1 << (n - 1))


def _scaled_rows(rows, v2: np.ndarray, n: int, block_bits: int):
    """``rows(v2)`` as (answer / s, s) with one power of two s per row.

    The rows are solved as given (s = 1); a row whose sums overflowed (any overflow makes
    its answer inf or NaN) is solved again on its worths divided by a power of two
    (:func:`pow2_scale`): exact, so ordinary rows are untouched and cost nothing extra."""
    with np.errstate(over="ignore", invalid="ignore"):
        out = rows(v2, n, block_bits)
    scale = np.ones(v2.shape[0])
    bad = np.flatnonzero(~np.isfinite(out).all(axis=1))
    if bad.size:
        scale[bad] = pow2_scale(v2[bad])
        out[bad] = rows(v2[bad] / scale[bad, None], n, block_bits)
    return out, scale


def shapley_scaled(values, *, block_bits: int = BLOCK_BITS, func: str = "shapley_scaled"
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Shapley values of a batch as (phi / s, s), s a power of two per game (1 unless the
    worths are so large that the sums overflow): ``phi / s`` is finite even when phi is
    not representable. Shapes: (batch, n) and (batch,). Validates like :func:`shapley`."""
    v = _real_values(values, func)
    n = _num_players(v, func)
    v2 = v[None, :] if v.ndim == 1 else v.reshape(-1, v.shape[-1])
    return _scaled_rows(_shapley_rows, v2, n, block_bits)


def banzhaf_scaled(values, *, block_bits: int = BLOCK_BITS, func: str = "banzhaf_scaled"
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Banzhaf values of a batch as (beta / s, s); see :func:`shapley_scaled`."""
    v = _real_values(values, func)
    n = _num_players(v, func)
    v2 = v[None, :] if v.ndim == 1 else v.reshape(-1, v.shape[-1])
    return _scaled_rows(_banzhaf_rows, v2, n, block_bits)


def shapley(values, *, block_bits: int = BLOCK_BITS, func: str = "shapley") -> np.ndarray:
    """Exact Shapley values of a batch of TU games.

    Parameters
    ----------
    values : array_like, shape (batch, 2**n) or (2**n,)
        Coalition values by bitmask; v(empty) must be 0 (a ValueError names the first game
        where it is not).
    block_bits : int
        log2 of the block size (bounds temporary memory).
    func : str
        The caller's name, which leads every error message.

    Returns
    -------
    ndarray, shape (batch, n) (or (n,) for a single game)

    Raises
    ------
    ValueError
        A Shapley value outside the float64 range (worths near 1.8e308 whose marginal
        contributions do not fit), besides invalid values.
    """
    v = np.asarray(values) if isinstance(values, np.ndarray) else values
    phi_s, scale = shapley_scaled(v, block_bits=block_bits, func=func)
    phi = _rescaled(func, "Shapley value", phi_s, scale)
    shape = np.shape(v)
    return phi[0] if len(shape) == 1 else phi.reshape(shape[:-1] + (phi.shape[1],))


def banzhaf(values, *, block_bits: int = BLOCK_BITS, func: str = "banzhaf") -> np.ndarray:
    """Exact (non-normalised) Banzhaf values of a batch of TU games.

    beta_i = 2**-(n-1) * sum_{S not containing i} (v(S + i) - v(S))
           = 2**-(n-1) * (2 * sum_{S contains i} v(S) - sum_S v(S)).

    Parameters, return shape and errors as in :func:`shapley`.
    """
    v = np.asarray(values) if isinstance(values, np.ndarray) else values
    beta_s, scale = banzhaf_scaled(v, block_bits=block_bits, func=func)
    beta = _rescaled(func, "Banzhaf value", beta_s, scale)
    shape = np.shape(v)
    return beta[0] if len(shape) == 1 else beta.reshape(shape[:-1] + (beta.shape[1],))


def coalition_sums(x, *, out: np.ndarray | None = None, func: str = "coalition_sums"
                   ) -> np.ndarray:
    """x(S) = sum of x_i over i in S, for every coalition bitmask S.

    Parameters
    ----------
    x : array_like, shape (batch, n) or (n,)
    out : ndarray, optional
        Output array of shape (batch, 2**n) (or (2**n,)) to fill.
    func : str
        The caller's name, which leads every error message.

    Returns
    -------
    ndarray, shape (batch, 2**n) (or (2**n,)); O(2**n) additions per row.

    Raises
    ------
    ValueError
        When the output would exceed :data:`MAX_OUTPUT_BYTES` (checked before allocating;
        pass ``out=`` or fewer rows at a time), or ``out`` has the wrong shape.
    """
    x = _real_values(x, func, "x")
    if x.ndim == 0:
        raise ValueError(f"{func}: x must have shape (batch, n) or (n,), got a scalar")
    single = x.ndim == 1
    n = x.shape[-1]
    b = 1 if single else int(np.prod(x.shape[:-1]))
    if n > 62:
        raise ValueError(f"{func}: x has {n} players; 2**n coalitions cannot be indexed "
                         f"(at most 62)")
    x2 = x[None, :] if single else x.reshape(b, n)
    if out is None:
        need = b * (1 << n) * 8
        if need > MAX_OUTPUT_BYTES:
            raise ValueError(f"{func}: the output would hold {b} x 2**{n} float64 values "
                             f"({need / 2 ** 30:.3g} GiB), more than the limit of "
                             f"{MAX_OUTPUT_BYTES / 2 ** 30:.3g} GiB "
                             f"(paxgame.kernels.tu.MAX_OUTPUT_BYTES); pass out= or fewer rows "
                             f"at a time")
        res = np.empty((b, 1 << n), dtype=np.float64)
    else:
        if not isinstance(out, np.ndarray) or out.dtype != np.float64 or \
                out.size != b * (1 << n):
            raise ValueError(f"{func}: out must be a float64 array of {b} x 2**{n} values")
        res = out.reshape(b, 1 << n)
    res[:, 0] = 0.0
    with np.errstate(over="ignore"):
        for i in range(n):
            lo = 1 << i
            np.add(res[:, :lo], x2[:, i:i + 1], out=res[:, lo:2 * lo])
        # no sum can overflow when the sum of abs(x_i) is finite; otherwise look
        if b and not np.isfinite(np.abs(x2).sum(axis=1)).all() and \
                not np.isfinite(res).all():
            row, mask = (int(i) for i in np.argwhere(~np.isfinite(res))[0])
            raise ValueError(f"{func}: the sum over coalition {mask} (bitmask) of row {row} "
                             f"lies outside the float64 range")
    if single:
        return res[0]
    return res.reshape(x.shape[:-1] + (1 << n,))

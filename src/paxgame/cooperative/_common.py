"""Shared helpers of the cooperative solvers: argument checks and independent re-checks."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from .._validation import as_float_array, check_tolerance
from ..games.tu import TUGame
from ..kernels.payoffs import abs_scale
from ..kernels.tu import pow2_scale

__all__ = ["check_game", "check_allocation", "member_rows", "excess_scan", "exact_values",
           "resolve_tol", "EXACT_MAX_PLAYERS", "fractions", "game_scale",
           "field_checks", "finite_or_refuse", "divided", "array_scale"]

#: Largest game whose ``verify(exact=True)`` enumerates all coalitions in Fractions.
EXACT_MAX_PLAYERS = 14
#: Coalitions per block in the independent re-checks.
_BLOCK = 1 << 15


def check_game(func: str, tu) -> TUGame:
    """Reject anything but a TUGame."""
    if not isinstance(tu, TUGame):
        raise TypeError(f"{func}: expected a TUGame, got {type(tu).__name__}")
    return tu


def check_allocation(func: str, tu: TUGame, allocation) -> np.ndarray:
    """A finite allocation vector with one entry per player."""
    return as_float_array(func, "allocation", allocation, shape=(tu.num_players,))


def resolve_tol(func: str, tol, tu: TUGame) -> float:
    """``tol`` validated, or the default 1e-9 relative to max abs(v) (1e-9 for a zero game)."""
    if tol is None:
        return 1e-9 * abs_scale(tu.values)
    return check_tolerance(func, tol)


def member_rows(masks, n: int) -> np.ndarray:
    """Indicator rows 1_S of the given coalition bitmasks (float)."""
    masks = np.asarray(masks, dtype=np.int64)
    return ((masks[:, None] >> np.arange(n, dtype=np.int64)) & 1).astype(np.float64)


def excess_scan(values: np.ndarray, x: np.ndarray, *, skip_grand: bool = True):
    """Largest excess v(S) - x(S) over non-empty coalitions (N skipped unless asked) and its
    coalition, computed block by block from indicator rows (a code path independent of the
    solvers' coalition-sum kernel)."""
    size = values.shape[0]
    n = size.bit_length() - 1
    full = size - 1
    best, arg = -np.inf, -1
    for start in range(1, size, _BLOCK):
        masks = np.arange(start, min(size, start + _BLOCK), dtype=np.int64)
        if skip_grand:
            masks = masks[masks != full]
        if masks.size == 0:
            continue
        e = values[masks] - np.einsum("ij,j->i", member_rows(masks, n), x)
        j = int(np.argmax(e))
        if e[j] > best:
            best, arg = float(e[j]), int(masks[j])
    return best, arg


def fractions(values) -> list[Fraction]:
    """Floats as Fractions of their exact binary value (``Fraction(float(x))``): 0.1 becomes
    3602879701896397/36028797018963968, the number the float holds, never the decimal 1/10.
    Every exact check of the cooperative solvers reads floats this way."""
    return [Fraction(float(x)) for x in np.asarray(values, dtype=np.float64).ravel()]


def exact_values(tu: TUGame, func: str) -> list[Fraction]:
    """The game's worths as Fractions (the exact binary value of each float)."""
    if tu.num_players > EXACT_MAX_PLAYERS:
        raise ValueError(f"{func}: exact verification enumerates 2**n coalitions in Fractions "
                         f"and is limited to n <= {EXACT_MAX_PLAYERS}, got n = "
                         f"{tu.num_players}")
    return fractions(tu.values)


#: Worths up to this magnitude are re-checked as they are: sums of 2**30 of them fit.
_NO_SCALE_BELOW = 2.0 ** 990


def game_scale(tu: TUGame) -> float:
    """The power of two s the float re-checks divide worths and answers by (exactly) so
    that their sums cannot overflow: 1 for worths up to 2**990 (no copy is made, see
    :func:`divided`), else s with max abs(v) / s in [1, 2)."""
    return array_scale(tu.values)


def array_scale(values: np.ndarray) -> float:
    """:func:`game_scale` of a plain value vector."""
    top = max(float(values.max()), -float(values.min())) if values.size else 0.0
    return 1.0 if top <= _NO_SCALE_BELOW else float(pow2_scale(values))


def divided(values: np.ndarray, s: float) -> np.ndarray:
    """``values / s`` (exact for a power of two), without a copy when s is 1."""
    return values if s == 1.0 else values / s


def finite_or_refuse(func: str, what: str, value):
    """``value`` (a float or an array) when finite; otherwise the ValueError of a result
    that lies outside the float64 range (never a non-finite answer labelled optimal)."""
    if value is not None and not np.all(np.isfinite(value)):
        raise ValueError(f"{func}: the {what} lies outside the float64 range (the worths are "
                         f"too large); divide the worths by a common factor")
    return value


def field_checks(result, tu: TUGame, statuses, *, counters=()) -> dict[str, float]:
    """Checks of the fields every cooperative result reports besides its numbers: the player
    names are the game's, the status is one this result type can carry, and bookkeeping
    counters are non-negative integers (0 passes, inf fails)."""
    bad = float("inf")
    checks = {"players": 0.0 if tuple(result.players) == tu.players else bad,
              "status": 0.0 if result.status in statuses else bad}
    for name in counters:
        c = getattr(result, name)
        ok = isinstance(c, (int, np.integer)) and not isinstance(c, bool) and c >= 0
        checks[name] = 0.0 if ok else bad
    return checks


def check_random_state(func: str, random_state):
    """``random_state`` (None, a non-negative int or a numpy Generator) as a Generator."""
    if random_state is None or isinstance(random_state, np.random.Generator):
        return np.random.default_rng(random_state)
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ValueError(f"{func}: random_state must be a non-negative integer, got "
                             f"{random_state}")
        return np.random.default_rng(int(random_state))
    raise TypeError(f"{func}: random_state must be None, an int or a numpy Generator, got "
                    f"{type(random_state).__name__}")

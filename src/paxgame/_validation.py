"""Input validation shared by every public entry point.

Public functions validate and convert their input here, then call a private kernel on plain
arrays (the QuantEcon convention). Every error message starts with the name of the public
function that rejected the input and names the offending argument or entry, e.g.
``minimum_assurance: discount must lie in (0, 1), got 1.2``. Validation never uses ``assert``.
"""

from __future__ import annotations

import difflib
import numbers
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

__all__ = [
    "as_float_array",
    "as_real",
    "check_chunk",
    "check_discount",
    "check_method",
    "check_names",
    "check_nonnegative",
    "check_options",
    "check_probability",
    "check_stochastic",
    "check_tolerance",
    "did_you_mean",
    "nearest",
]


def nearest(word: str, candidates: Iterable[str]) -> str | None:
    """Return the candidate closest to ``word`` (for "did you mean" hints), or None."""
    match = difflib.get_close_matches(str(word), list(candidates), n=1, cutoff=0.6)
    return match[0] if match else None


def did_you_mean(word, candidates: Iterable[str]) -> str:
    """The hint ``" (did you mean 'x'?)"`` for the candidate nearest ``word``, or ``""``.

    The one home of the "did you mean" suffix of every error message about an unknown
    name (a method, an option, a key, a player).
    """
    hint = nearest(str(word), candidates)
    return f" (did you mean '{hint}'?)" if hint else ""


def _where(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def as_float_array(func: str, name: str, value, *, ndim: int | None = None,
                   shape: tuple[int, ...] | None = None, finite: bool = True,
                   min_ndim: int | None = None) -> np.ndarray:
    """Convert ``value`` to a float64 array, rejecting ragged, non-numeric and non-finite input.

    Raises
    ------
    TypeError
        If the entries are not real numbers (strings, objects, complex numbers).
    ValueError
        If the nesting is ragged, the shape is wrong or an entry is NaN or infinite.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{func}: {name} must be numeric, got {type(value).__name__}")
    try:
        raw = np.asarray(value)
    except ValueError as err:  # ragged nesting in numpy >= 1.24
        raise ValueError(f"{func}: {name} is ragged (its rows differ in length)") from err
    if raw.dtype == object:
        try:
            raw = np.asarray(value, dtype=float)
        except OverflowError as err:
            raise ValueError(f"{func}: {name} must be finite, got a number too large "
                             f"for a float") from err
        except (TypeError, ValueError) as err:
            raise TypeError(f"{func}: {name} must hold real numbers only "
                            f"(got an object array)") from err
    if raw.dtype.kind in "USV" or raw.dtype.kind == "M" or raw.dtype.kind == "m":
        raise TypeError(f"{func}: {name} must hold real numbers, got dtype {raw.dtype}")
    if raw.dtype.kind == "c":
        raise TypeError(f"{func}: {name} must hold real numbers, got complex dtype {raw.dtype}")
    arr = raw.astype(np.float64, copy=True)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{func}: {name} must have {ndim} dimension(s), got shape {arr.shape}")
    if min_ndim is not None and arr.ndim < min_ndim:
        raise ValueError(f"{func}: {name} must have at least {min_ndim} dimension(s), "
                         f"got shape {arr.shape}")
    if shape is not None and arr.shape != tuple(shape):
        raise ValueError(f"{func}: {name} must have shape {tuple(shape)}, got {arr.shape}")
    if finite and not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        where = _where(tuple(bad)) if arr.ndim else ""
        raise ValueError(f"{func}: {name}{where} must be finite, got {arr[tuple(bad)]}")
    return arr


def as_real(func: str, name: str, value) -> float:
    """Validate one finite real number (not a bool) and return it as a float."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "fiu":
            value = value.item()
        else:
            raise TypeError(f"{func}: {name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{func}: {name} must be finite, got {value}")
    return value


def check_discount(func: str, value, name: str = "discount", *, per_player: int | None = None):
    """Validate a discount factor in the open interval (0, 1).

    With ``per_player=N`` a sequence of N factors is accepted too and an array is returned.
    """
    if per_player is not None and not np.isscalar(value) and not (
            isinstance(value, np.ndarray) and value.ndim == 0):
        arr = as_float_array(func, name, value, ndim=1)
        if arr.shape != (per_player,):
            raise ValueError(f"{func}: {name} must be one number or one per player "
                             f"({per_player}), got {arr.shape[0]}")
        for i, d in enumerate(arr):
            if not 0.0 < d < 1.0:
                raise ValueError(f"{func}: {name}[{i}] must lie in (0, 1), got {d}")
        return arr
    value = as_real(func, name, value)
    if not 0.0 < value < 1.0:
        raise ValueError(f"{func}: {name} must lie in (0, 1), got {value}")
    return value


def check_chunk(func: str, chunk, default: int | None = None) -> int | None:
    """Validate a chunk size: a positive integer, or None for ``default``.

    Raises
    ------
    TypeError
        If ``chunk`` is not an integer (a bool is not one).
    ValueError
        If it is less than 1.
    """
    if chunk is None:
        return default
    if isinstance(chunk, bool) or not isinstance(chunk, (numbers.Integral, np.integer)):
        raise TypeError(f"{func}: chunk must be a positive integer, got {type(chunk).__name__}")
    if chunk < 1:
        raise ValueError(f"{func}: chunk must be a positive integer, got {chunk}")
    return int(chunk)


def check_probability(func: str, name: str, value) -> float:
    """Validate a probability in [0, 1]."""
    value = as_real(func, name, value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{func}: {name} must lie in [0, 1], got {value}")
    return value


def check_nonnegative(func: str, name: str, value, *, allow_inf: bool = False):
    """Validate a non-negative number or array (elementwise); returns float or array."""
    if np.ndim(value) == 0 and not isinstance(value, np.ndarray):
        if allow_inf and isinstance(value, (int, float)) and value == float("inf"):
            return float("inf")
        value = as_real(func, name, value)
        if value < 0:
            raise ValueError(f"{func}: {name} must be non-negative, got {value}")
        return value
    arr = as_float_array(func, name, value, finite=not allow_inf)
    if np.any(np.isnan(arr)):
        raise ValueError(f"{func}: {name} must not contain NaN")
    if np.any(arr < 0):
        bad = tuple(np.argwhere(arr < 0)[0])
        raise ValueError(f"{func}: {name}{_where(bad)} must be non-negative, got {arr[bad]}")
    return arr


def check_stochastic(func: str, name: str, matrix, *, size: int | None = None,
                     tol: float = 1e-9) -> np.ndarray:
    """Validate a row-stochastic square matrix (rows sum to 1 within ``tol``)."""
    arr = as_float_array(func, name, matrix, ndim=2)
    if arr.shape[0] != arr.shape[1]:
        raise ValueError(f"{func}: {name} must be square, got shape {arr.shape}")
    if size is not None and arr.shape[0] != size:
        raise ValueError(f"{func}: {name} must be {size}x{size} (one row per regime), "
                         f"got {arr.shape[0]}x{arr.shape[1]}")
    if np.any(arr < 0):
        i, j = np.argwhere(arr < 0)[0]
        raise ValueError(f"{func}: {name}[{i}, {j}] is a negative probability ({arr[i, j]})")
    if np.any(arr > 1):
        i, j = np.argwhere(arr > 1)[0]
        raise ValueError(f"{func}: {name}[{i}, {j}] exceeds 1 ({arr[i, j]})")
    sums = arr.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1.0) > tol)
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"{func}: row {i} of {name} sums to {sums[i]:.12g}, not 1 "
                         f"(tolerance {tol:g})")
    return arr


def check_method(func: str, method, table: Mapping[str, object] | Sequence[str]):
    """Resolve ``method`` in a dispatch table, scipy.optimize style."""
    names = list(table)
    if not isinstance(method, str):
        raise TypeError(f"{func}: method must be a string, got {type(method).__name__}")
    key = method.lower()
    if key not in names:
        extra = did_you_mean(key, names)
        raise ValueError(f"Unknown method '{method}' for {func}; choose one of: "
                         f"{', '.join(names)}{extra}")
    return table[key] if isinstance(table, Mapping) else key


def check_options(func: str, options, defaults, *, context: str = "") -> dict:
    """Merge an ``options`` dict into ``defaults`` after checking its keys.

    ``None`` means the defaults; an unknown key raises ``ValueError`` naming the valid ones
    (with a "did you mean" hint); a non-dict raises ``TypeError``. ``context`` follows the
    key in the message (e.g. ``" for method 'support'"``).
    """
    if options is None:
        return dict(defaults) if isinstance(defaults, Mapping) else {}
    if not isinstance(options, Mapping):
        raise TypeError(f"{func}: options must be a dict, got {type(options).__name__}")
    names = sorted(defaults) if isinstance(defaults, (set, frozenset)) else list(defaults)
    for key in options:
        if key not in names:
            raise ValueError(f"{func}: unknown option {key!r}{context}"
                             f"{did_you_mean(key, names)}; valid options: "
                             f"{', '.join(names) or 'none'}")
    return {**(defaults if isinstance(defaults, Mapping) else {}), **options}


def check_names(func: str, what: str, names, count: int) -> tuple[str, ...]:
    """Validate a list of ``count`` distinct, non-empty string names."""
    if isinstance(names, str) or not isinstance(names, Iterable):
        raise TypeError(f"{func}: {what} must be a sequence of strings, "
                        f"got {type(names).__name__}")
    names = list(names)
    if len(names) != count:
        raise ValueError(f"{func}: {what} must have {count} entries, got {len(names)}")
    for i, name in enumerate(names):
        if not isinstance(name, str):
            raise TypeError(f"{func}: {what}[{i}] must be a string, got {type(name).__name__}")
        if not name.strip():
            raise ValueError(f"{func}: {what}[{i}] must not be empty")
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in seen:
            raise ValueError(f"{func}: {what}[{i}] duplicates {what}[{seen[name]}] ({name!r})")
        seen[name] = i
    return tuple(names)


def check_tolerance(func: str, tol, name: str = "tol", *, zero_ok: bool = False) -> float:
    """Validate a positive finite tolerance (``zero_ok``: or zero, meaning exact)."""
    tol = as_real(func, name, tol)
    if tol < 0 or (tol == 0 and not zero_ok):
        raise ValueError(f"{func}: {name} must be {'non-negative' if zero_ok else 'positive'}, "
                         f"got {tol}")
    return tol

"""Result objects and certificates shared by every solver.

Every solver returns a small frozen dataclass derived from :class:`SolverResult`: the numbers,
a ``status`` (``"optimal"``, ``"infeasible"``, ``"unbounded"``, ``"inaccurate"``,
``"not_converged"``, ``"empty"``, ``"uncertified"``), a ``message`` and a ``verify()`` method
that re-checks the answer independently of the solver and returns a :class:`Certificate`.
Infeasible is a status, never an exception; invalid input raises before any solve.
"""

from __future__ import annotations

import dataclasses
import html
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

__all__ = ["STATUSES", "Certificate", "ResultDisplay", "SolverResult", "jsonable",
           "to_fraction_array", "MAX_REPR_LINES"]

#: The most lines a result's ``repr`` takes (one screen in a terminal or notebook cell).
MAX_REPR_LINES = 15
_ARRAY_INLINE = 8      # arrays with at most this many entries are printed in full
_TEXT_WIDTH = 72       # longer texts are cut with an ellipsis

#: The statuses a result may carry, with their meaning.
STATUSES = {
    "optimal": "solved and certified within tolerance",
    "infeasible": "the problem has no feasible point (a valid answer, not an error)",
    "unbounded": "the objective is unbounded",
    "inaccurate": "the solver finished but could not reach the requested accuracy",
    "not_converged": "an iteration cap was reached before convergence",
    "max_iter_reached": "a path-following or enumeration method hit its step cap before its path ended",
    "empty": "the solution set is empty (for example, no pure-strategy SPE)",
    "uncertified": "an answer was computed but its certificate failed",
}


@dataclass(frozen=True)
class Certificate:
    """The outcome of re-verifying a result.

    Attributes
    ----------
    ok : bool
        True when every check holds within ``tol`` (exactly, when ``exact``).
    checks : Mapping[str, float]
        Each check's worst violation: values <= tol pass; larger values and NaN (a check
        that could not be evaluated) fail and are named by :meth:`failures`.
    tol : float
        The tolerance used (0 for exact checks).
    exact : bool
        Whether the checks ran in exact rational arithmetic.
    """

    ok: bool
    checks: Mapping[str, float]
    tol: float
    exact: bool = False

    def __bool__(self) -> bool:
        return bool(self.ok)

    @classmethod
    def from_violations(cls, violations: Mapping[str, float], tol: float,
                        exact: bool = False) -> "Certificate":
        """Build a certificate from named worst violations (<= tol passes; exact: <= 0)."""
        limit = 0 if exact else tol
        checks = {k: (v if isinstance(v, Fraction) else float(v)) for k, v in violations.items()}
        ok = all(v <= limit for v in checks.values())
        return cls(ok=ok, checks=checks, tol=0.0 if exact else float(tol), exact=exact)

    def failures(self) -> dict[str, float]:
        """The checks that failed (a NaN violation fails: ``not v <= limit``)."""
        limit = 0 if self.exact else self.tol
        return {k: v for k, v in self.checks.items() if not v <= limit}

    def to_dict(self) -> dict:
        """The certificate as plain JSON data (violations as numbers or ``"p/q"`` text)."""
        return {"ok": bool(self.ok), "checks": jsonable(dict(self.checks)),
                "tol": float(self.tol), "exact": bool(self.exact)}

    def __str__(self) -> str:
        values = [float(v) for v in self.checks.values()]
        worst = float("nan") if any(v != v for v in values) else max(values, default=0.0)
        failed = self.failures()
        if not self.ok and not failed:  # a certificate built by hand with ok=False
            failed = {"(ok is False but no check exceeds the tolerance)": 0.0}
        state = "ok" if self.ok else "FAILED: " + ", ".join(failed)
        return f"Certificate({state}; {len(self.checks)} checks, worst violation {float(worst):.3g})"


def jsonable(value):
    """``value`` as plain JSON data, or :data:`_SKIP` when it is an input (a game, a
    scenario) or any other object that is not a number, text, array or result.

    NaN and infinities become the strings ``"nan"``, ``"inf"`` and ``"-inf"`` (so that
    ``json.dumps(..., allow_nan=False)`` accepts the output) and a :class:`~fractions.Fraction`
    its text ``"p/q"``; arrays become nested lists.
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, Fraction):
        return str(value) if value.denominator != 1 else int(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        x = float(value)
        return x if np.isfinite(x) else ("nan" if x != x else ("inf" if x > 0 else "-inf"))
    if isinstance(value, ResultDisplay) or isinstance(value, Certificate):
        return value.to_dict()
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufO":
            return value.astype(str).tolist()
        return [jsonable(v) for v in value] if value.ndim else jsonable(value.item())
    if isinstance(value, (list, tuple)):
        out = [jsonable(v) for v in value]
        return _SKIP if any(v is _SKIP for v in out) else out
    if isinstance(value, Mapping):
        out = {str(k): jsonable(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not _SKIP}
    return _SKIP


#: Marks a value that :func:`jsonable` leaves out (an input object).
_SKIP = object()


def _cut(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _TEXT_WIDTH else text[:_TEXT_WIDTH - 1] + "…"


def _brief(value) -> str | None:
    """A one-line summary of a field's value, or None for an input object (left out)."""
    if value is None or isinstance(value, (bool, np.bool_, str)):
        return _cut(repr(value) if isinstance(value, str) else str(value))
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, numbers.Real):
        return f"{float(value):.6g}" if not isinstance(value, numbers.Integral) else str(value)
    if isinstance(value, Certificate):
        return _cut(str(value))
    if isinstance(value, ResultDisplay):
        return f"{type(value).__name__}(status={value.status!r})" if isinstance(
            getattr(value, "status", None), str) else type(value).__name__
    if isinstance(value, (np.ndarray, list, tuple)):
        try:
            arr = np.asarray(value)
        except ValueError:  # ragged
            return f"{type(value).__name__} of {len(value)} entries"
        if arr.dtype == object and any(not isinstance(v, (numbers.Number, str, tuple))
                                       for v in arr.ravel()):
            return f"{len(value)} entries" if not arr.size or jsonable(list(
                arr.ravel())) is not _SKIP else None
        if arr.size > _ARRAY_INLINE or arr.ndim > 2:
            return f"array of shape {arr.shape}"
        if arr.dtype.kind == "f":
            text = np.array2string(arr, precision=6, separator=", ", suppress_small=False)
        else:
            text = str(arr.tolist())
        return _cut(text)
    if isinstance(value, Mapping):
        return f"{len(value)} entries"
    return None


class ResultDisplay:
    """One screen of a result: ``repr``, ``_repr_html_`` (the same rows as a table) and
    ``to_dict()``.

    The rows are the status, the message and the result's own numbers; inputs embedded in
    a result (the game, the scenario) are left out, arrays longer than a few entries are
    shown by their shape, and the whole fits in :data:`MAX_REPR_LINES` lines. A subclass
    lists the fields it shows in ``_summary_fields`` (default: every dataclass field that is
    shown by the dataclass ``repr``).
    """

    _summary_fields: tuple = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # a dataclass decorator writes its own __repr__ unless the class has one: keep the
        # family's one-screen summary unless the class defines a repr of its own
        if "__repr__" not in cls.__dict__:
            cls.__repr__ = ResultDisplay.__repr__

    def _field_names(self) -> list[str]:
        if self._summary_fields:
            return list(self._summary_fields)
        if dataclasses.is_dataclass(self):
            return [f.name for f in dataclasses.fields(self) if f.repr]
        return []

    def _summary_rows(self) -> list[tuple[str, str]]:
        rows = []
        message = getattr(self, "message", "")
        if message:
            rows.append(("message", _cut(message)))
        for name in self._field_names():
            if name in ("status", "message"):
                continue
            text = _brief(getattr(self, name, None))
            if text is not None and getattr(self, name, None) is not None:
                rows.append((name, text))
        return rows

    def _header(self) -> str:
        status = getattr(self, "status", None)
        if isinstance(status, str):
            return f"{type(self).__name__}(status={status!r})"
        return type(self).__name__

    def __repr__(self) -> str:
        rows = self._summary_rows()
        room = MAX_REPR_LINES - 1
        if len(rows) > room:
            rows = rows[:room - 1] + [("…", f"{len(rows) - room + 1} more fields: see "
                                            f"to_dict()")]
        width = max((len(k) for k, _ in rows), default=0)
        return "\n".join([self._header()] + [f"  {k:<{width}}  {v}" for k, v in rows])

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
                       f"<td style='text-align:left'><code>{html.escape(v)}</code></td></tr>"
                       for k, v in self._summary_rows())
        return (f"<table><caption style='text-align:left'><b>{html.escape(self._header())}"
                f"</b></caption>{rows}</table>")

    def to_dict(self) -> dict:
        """The result as plain JSON data (see :func:`jsonable`): ``type``, ``status``,
        ``success``, ``message`` and every field that is not an input object."""
        out = {"type": type(self).__name__}
        for key in ("status", "success", "message"):
            if hasattr(self, key):
                out[key] = jsonable(getattr(self, key))
        names = ([f.name for f in dataclasses.fields(self)] if dataclasses.is_dataclass(self)
                 else list(self._summary_fields))
        for name in names:
            value = jsonable(getattr(self, name, None))
            if value is not _SKIP:
                out[name] = value
        return out


@dataclass(frozen=True, kw_only=True)
class SolverResult(ResultDisplay):
    """Base of all result objects: status, message, success, ``verify()``, and the display
    of :class:`ResultDisplay` (a one-screen ``repr``, ``_repr_html_``, ``to_dict()``)."""

    status: str = "optimal"
    message: str = ""

    @property
    def success(self) -> bool:
        """True when ``status == "optimal"``."""
        return self.status == "optimal"

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-verify the result independently of the solver that produced it."""
        raise NotImplementedError(f"{type(self).__name__}.verify is not implemented")


def to_fraction_array(values, *, binary: bool = False) -> np.ndarray:
    """Convert numbers (floats that are exactly integers or short decimals) to Fractions.

    By default floats are converted by ``Fraction(str(x))`` so that 0.1 becomes 1/10: this
    is the right reading for payoffs typed as decimals in a game file. With ``binary=True``
    a float becomes its exact binary value ``Fraction(x)``: the right reading for a number a
    solver computed (its decimal string is a different, shorter number).
    """
    arr = np.asarray(values, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for idx, x in np.ndenumerate(arr):
        if isinstance(x, Fraction):
            out[idx] = x
        elif isinstance(x, (float, np.floating)):
            out[idx] = Fraction(float(x)) if binary else Fraction(str(float(x)))
        else:
            out[idx] = Fraction(x)
    return out

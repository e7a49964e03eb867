"""Public batch entry points of the revocation model (re-exported by :mod:`paxgame.batch`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_method
from ..kernels import revocation as kr

__all__ = ["minimum_assurance", "revocation_equilibrium", "BatchAssurance"]

#: Points per chunk when ``chunk`` is not given (about 100 MiB of temporaries at K = 3).
DEFAULT_CHUNK = 32_768


@dataclass(frozen=True)
class BatchAssurance:
    """Arrays of :func:`minimum_assurance`, each shaped like the broadcast batch."""

    amount: np.ndarray
    constructible: np.ndarray
    reason: np.ndarray
    total_cost: np.ndarray
    binding_regime: np.ndarray
    binding_side: np.ndarray

    def __getitem__(self, name):
        return getattr(self, name)


def _check(func: str, kw: dict) -> dict:
    unknown = set(kw) - set(kr.PARAMETERS)
    if unknown:
        from .._validation import nearest

        name = sorted(unknown)[0]
        hint = nearest(name, kr.PARAMETERS)
        extra = f" (did you mean '{hint}'?)" if hint else ""
        raise TypeError(f"{func}: unknown parameter {name!r}{extra}")
    out = {}
    for name in kr.PARAMETERS:
        default = kr.SCALARS.get(name)
        if name not in kw or kw[name] is None:
            if name in kr.SCALARS and default is not None:
                out[name] = np.asarray(default, dtype=float)
                continue
            raise TypeError(f"{func}: missing required parameter {name!r}")
        out[name] = as_float_array(func, name, kw[name], finite=name != "cap")
    d = out["discount"]
    if np.any(~((d > 0) & (d < 1))):
        bad = d[~((d > 0) & (d < 1))].ravel()[0]
        raise ValueError(f"{func}: discount must lie in (0, 1), got {bad}")
    P = out["transition"]
    if P.ndim < 2 or P.shape[-1] != P.shape[-2]:
        raise ValueError(f"{func}: transition must have shape (..., K, K), got {P.shape}")
    if np.any(P < 0) or np.any(np.abs(P.sum(axis=-1) - 1) > 1e-9):
        raise ValueError(f"{func}: transition rows must be probabilities summing to 1 "
                         f"(tolerance 1e-9)")
    for name in ("provider_value", "revocation_gain", "revocation_loss", "collateral_cost",
                 "forfeit", "compensation", "carry", "coproduction", "cap"):
        if np.any(out[name] < 0):
            raise ValueError(f"{func}: {name} must be non-negative")
    if np.any((out["adversary_hazard"] < 0) | (out["adversary_hazard"] > 1)):
        raise ValueError(f"{func}: adversary_hazard must lie in [0, 1]")
    for name in kr.REGIME:
        a = out[name]
        if a.ndim and a.shape[-1] not in (1, P.shape[-1]):
            raise ValueError(f"{func}: {name} must have the regimes ({P.shape[-1]}) on its "
                             f"last axis, got shape {a.shape}")
    return out


def _check_chunk(func, chunk):
    if chunk is None:
        return DEFAULT_CHUNK
    if isinstance(chunk, bool) or not isinstance(chunk, (int, np.integer)) or chunk < 1:
        raise ValueError(f"{func}: chunk must be a positive integer, got {chunk!r}")
    return int(chunk)


def minimum_assurance(scenario=None, *, target: str = "participation", chunk: int | None = None,
                      **params) -> BatchAssurance:
    """Exact minimum assurance of one instrument over arrays of parameters.

    Parameters broadcast like numpy: a leading batch shape, the regimes on the last axis of
    ``provider_value`` and ``revocation_gain``, ``transition`` shaped (..., K, K).

    Two call forms:

    * keyword arrays named as in the scenario file and the instrument table:
      ``discount``, ``transition``, ``provider_value``, ``revocation_gain``,
      ``access_value``, ``outside_option``, ``revocation_loss`` (required) and
      ``adversary_hazard``, ``collateral_cost``, ``forfeit`` (1), ``compensation`` (1),
      ``carry``, ``coproduction``, ``partner_flow`` (0), ``cap`` (inf);
    * a :class:`~paxgame.Scenario` first, with dotted scenario parameters (those
      :meth:`Scenario.replace` accepts) as 1-D arrays of equal length: the answer's
      ``amount`` is then the coalition's total over partners at each point. Bilateral
      scenarios with targeted revocation and one instrument run in the kernel; other
      scenarios are solved point by point with :func:`paxgame.minimum_assurance`.

    The work is cut into chunks of ``chunk`` points, so peak memory is O(chunk K^2)
    whatever the batch size (about 3 KiB per point at K = 3).

    Returns
    -------
    BatchAssurance
        ``amount`` (NaN where not constructible), ``constructible``, ``reason`` (codes of
        :data:`paxgame.kernels.revocation.REASONS`), ``total_cost``, ``binding_regime``,
        ``binding_side`` (0 none, 1 provider, 2 partner, 3 cap).

    Examples
    --------
    >>> import numpy as np, paxgame as pg
    >>> out = pg.batch.minimum_assurance(
    ...     target="continuity", discount=np.array([0.9, 0.95]), transition=[[1.0]],
    ...     provider_value=1.0, revocation_gain=12.0, access_value=3.0,
    ...     outside_option=1.2, revocation_loss=6.0)
    >>> out.amount.round(6)
    array([2., 0.])
    """
    func = "batch.minimum_assurance"
    target = check_method(func, target, ["participation", "continuity"])
    chunk = _check_chunk(func, chunk)
    if scenario is not None:
        return _scenario_form(func, scenario, target, chunk, params)
    arrays = _check(func, params)
    batch, K, padded = kr.broadcast_parameters(arrays)
    size = int(np.prod(batch)) if batch else 1
    names = ("amount", "constructible", "reason", "total_cost", "binding_regime",
             "binding_side")
    out = {n: np.empty(size, dtype=t) for n, t in zip(names, (float, bool, np.int8, float,
                                                              np.int64, np.int8))}
    for a, b in kr.chunks(size, chunk):
        rows = kr.take_rows(padded, batch, K, a, b)
        res = kr.minimum_assurance(rows, target)
        for n in names:
            out[n][a:b] = getattr(res, n)
    return BatchAssurance(**{n: v.reshape(batch) for n, v in out.items()})


def _scenario_form(func, sc, target, chunk, params):
    from ..games.scenario import Scenario
    from . import _model
    from .assurance import minimum_assurance as scalar

    if not isinstance(sc, Scenario):
        raise TypeError(f"{func}: scenario must be a Scenario, got {type(sc).__name__}")
    vals = {k: np.asarray(v) for k, v in params.items()}
    sizes = {v.size for v in vals.values()}
    if len(sizes) > 1:
        raise ValueError(f"{func}: the dotted parameter arrays must have equal lengths, got "
                         f"{sorted(sizes)}")
    size = sizes.pop() if sizes else 1
    flat = {k: v.reshape(-1) for k, v in vals.items()}
    out = {n: np.empty(size, dtype=t) for n, t in (("amount", float), ("constructible", bool),
                                                  ("reason", np.int8), ("total_cost", float),
                                                  ("binding_regime", np.int64),
                                                  ("binding_side", np.int8))}
    fast = not _model.joint(sc) and len(sc.instruments) == 1
    if size and fast:
        first = sc.replace(**{k: v[0].item() for k, v in flat.items()})
        n = first.n_partners
        for a, b in kr.chunks(size, max(1, chunk // n)):
            rows = _rows_for(sc, flat, a, b)
            res = kr.minimum_assurance(rows, target)
            m = b - a
            amt = res.amount.reshape(m, n)
            ok = res.constructible.reshape(m, n)
            out["amount"][a:b] = np.where(ok.all(axis=1), amt.sum(axis=1), np.nan)
            out["constructible"][a:b] = ok.all(axis=1)
            out["reason"][a:b] = res.reason.reshape(m, n).max(axis=1)
            out["total_cost"][a:b] = np.where(ok.all(axis=1),
                                              res.total_cost.reshape(m, n).sum(axis=1), np.nan)
            out["binding_regime"][a:b] = res.binding_regime.reshape(m, n)[:, 0]
            out["binding_side"][a:b] = res.binding_side.reshape(m, n)[:, 0]
    else:
        for k in range(size):
            r = scalar(sc.replace(**{name: v[k].item() for name, v in flat.items()}), target)
            out["amount"][k] = r.coalition_amount
            out["constructible"][k] = r.constructible
            out["reason"][k] = 0 if r.constructible else 3
            out["total_cost"][k] = r.total_cost
            out["binding_regime"][k] = -1
            out["binding_side"][k] = 0
    return BatchAssurance(**{k: v.reshape(vals[next(iter(vals))].shape) if vals else v
                             for k, v in out.items()})


def _rows_for(sc, flat, a, b):
    """Kernel rows (points a:b times partners) for dotted parameter arrays over a scenario.

    Common dotted names (discount, partner fields, per-regime entries, enforced instrument
    coefficients) are written straight into the arrays; any other name falls back to
    :meth:`Scenario.replace` point by point.
    """
    from . import _model

    m, n = b - a, sc.n_partners
    base = _model.with_instrument(_model.base_params(sc), _model.coefficients(sc), 0)
    rows = {k: np.repeat(v[None], m, axis=0) for k, v in base.items()}
    slow = {}
    for name, v in flat.items():
        if not _apply(sc, rows, name, np.asarray(v[a:b], dtype=float)):
            slow[name] = v
    if slow:
        for k in range(a, b):
            s = sc.replace(**{name: v[k].item() for name, v in flat.items()})
            one = _model.with_instrument(_model.base_params(s), _model.coefficients(s), 0)
            for key in rows:
                rows[key][k - a] = one[key]
    out = {k: v.reshape((m * n,) + v.shape[2:]) for k, v in rows.items()}
    _check("batch.minimum_assurance", {k: v for k, v in out.items()})
    return out


_PARTNER_FIELDS = ("access_value", "outside_option", "revocation_loss", "provider_value",
                   "revocation_gain")
_COEF_FIELDS = ("forfeit", "compensation", "carry", "coproduction", "partner_flow", "cap")


def _apply(sc, rows, name, v) -> bool:
    from ..games.scenario import _split

    parts = _split(name)
    if parts == ["discount"]:
        rows["discount"][:] = v[:, None]
        return True
    if len(parts) >= 3 and parts[0] == "partners" and parts[2] in _PARTNER_FIELDS:
        who = _pick(parts[1], sc.partner_names)
        if who is None:
            return False
        if parts[2] in ("provider_value", "revocation_gain"):
            if len(parts) == 3:
                reg = list(range(sc.n_regimes))
            elif len(parts) == 4 and _pick(parts[3], sc.regime_names) is not None:
                reg = _pick(parts[3], sc.regime_names)
            else:
                return False
            for i in who:
                for r in reg:
                    rows[parts[2]][:, i, r] = v
            return True
        if len(parts) != 3:
            return False
        for i in who:
            rows[parts[2]][:, i] = v
        return True
    if len(parts) == 3 and parts[0] == "instruments" and parts[2] in _COEF_FIELDS:
        ins = sc.instruments[0]
        if _pick(parts[1], sc.instrument_names) != [0] or ins.covers_collateral or not (
                ins.enforced or parts[2] in ("carry", "coproduction", "partner_flow", "cap")):
            return False
        rows[parts[2]][:] = v[:, None]
        return True
    return False


def _pick(token, names):
    if token == "*":
        return list(range(len(names)))
    if token.lstrip("-").isdigit():
        i = int(token)
        return [i % len(names)] if -len(names) <= i < len(names) else None
    return [list(names).index(token)] if token in names else None


def revocation_equilibrium(*, horizon: int = 10, start=0, level=0.0, chunk: int | None = None,
                           **params):
    """Partner-best equilibria over arrays of parameters (batched policy iteration).

    Parameters as in :func:`minimum_assurance` (keyword form), plus the instrument ``level``
    in force, the ``start`` regime index and the ``horizon`` for the reported probabilities.

    Returns
    -------
    paxgame.kernels.revocation.EquilibriumArrays
        ``maintain``, ``stay``, ``provider_value``, ``partner_value`` shaped
        (batch..., K) and ``revocation_probability``, ``exit_probability``,
        ``iterations`` shaped (batch...).

    Examples
    --------
    >>> import paxgame as pg
    >>> eq = pg.batch.revocation_equilibrium(
    ...     discount=0.9, transition=[[0.875, 0.125], [0.25, 0.75]],
    ...     provider_value=[1.0, 0.5], revocation_gain=[2.0, 12.0], access_value=3.0,
    ...     outside_option=1.2, revocation_loss=6.0)
    >>> eq.maintain
    array([ True, False])
    """
    func = "batch.revocation_equilibrium"
    chunk = _check_chunk(func, chunk)
    params = dict(params)
    params["_level"] = level
    lv = as_float_array(func, "level", level)
    if np.any(lv < 0):
        raise ValueError(f"{func}: level must be non-negative")
    params.pop("_level")
    arrays = _check(func, params)
    arrays["cap"] = lv  # carried through the broadcast as the level
    batch, K, padded = kr.broadcast_parameters(arrays)
    size = int(np.prod(batch)) if batch else 1
    start = int(start)
    if not 0 <= start < K:
        raise ValueError(f"{func}: start must be a regime index in 0..{K - 1}, got {start}")
    parts = []
    for a, b in kr.chunks(size, chunk):
        rows = kr.take_rows(padded, batch, K, a, b)
        y = rows.pop("cap")
        rows["cap"] = np.full(b - a, np.inf)
        parts.append(kr.revocation_equilibrium(rows, y, horizon=horizon,
                                               start=np.full(b - a, start)))
    fields = [np.concatenate([getattr(p, f) for p in parts]) for f in kr.EquilibriumArrays._fields]
    shaped = [f.reshape(batch + f.shape[1:]) for f in fields]
    return kr.EquilibriumArrays(*shaped)

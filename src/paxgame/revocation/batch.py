"""Public batch entry points of the revocation model (re-exported by :mod:`paxgame.batch`).

Equilibria run in the batch kernel :func:`paxgame.kernels.revocation_exact.solve_batch` (every
point's partner profiles enumerated as array axes, at most
:data:`~paxgame.revocation.equilibrium.BATCH_POINTS` points per kernel call); the scalar
:func:`paxgame.solve` is the same code on a batch of one, so a batch answer equals the scalar
answer element by element. The minimum assurance is solved point by point by the scalar
solver (its linear programs depend on each point's structures), with its equilibrium checks in
the kernel: a warning says so once per process.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass, field

import numpy as np

from .._results import ResultDisplay
from .._validation import as_float_array, check_chunk, check_method, did_you_mean
from ..errors import PerformanceWarning
from .arrays import COEFFICIENTS, ScenarioArrays
from .assurance import TARGETS, assurance_from_arrays
from .equilibrium import BATCH_POINTS, equilibria_from_arrays

__all__ = ["minimum_assurance", "revocation_equilibrium", "BatchAssurance", "BatchEquilibrium",
           "BatchScenarioEquilibrium", "STATUS_CODES", "EQUILIBRIUM_STATUS_CODES",
           "PARAMETERS", "scenario_points"]

#: Integer codes of the per-point status (stored in sweeps).
STATUS_CODES = {"optimal": 0, "infeasible": 1, "unbounded": 2, "uncertified": 3}
#: Scalar (per point) parameters of the keyword form and their defaults (None: required).
SCALARS = {"discount": None, "access_value": None, "outside_option": None,
           "revocation_loss": None, "adversary_hazard": 0.0, "collateral_cost": 0.0,
           "forfeit": 1.0, "compensation": 1.0, "carry": 0.0, "coproduction": 0.0,
           "partner_flow": 0.0, "cap": np.inf}
#: Per-regime parameters of the keyword form (regimes on the last axis).
REGIME = ("provider_value", "revocation_gain")
#: Every parameter of the keyword form.
PARAMETERS = ("transition", *REGIME, *SCALARS)


@dataclass(frozen=True)
class BatchAssurance(ResultDisplay):
    """Arrays of :func:`minimum_assurance`, one entry per point.

    Attributes
    ----------
    amount : ndarray
        The minimum level of each instrument summed over partners: shaped like the batch
        with one instrument, batch + (instruments,) with several (NaN where not
        constructible). ``result["amount:<instrument name>"]`` picks one instrument.
    constructible : ndarray of bool
    status : ndarray of int8
        Codes of :data:`STATUS_CODES` (0 optimal, 1 infeasible, 2 unbounded, 3 uncertified).
    total_cost : ndarray
        The provider's net cost of the answer.
    exact : ndarray of bool
        Whether the method is exact at that point.
    revocation_probability : ndarray
        Probability that some ally is revoked within the horizon in the equilibrium at the
        answer's levels (NaN where not constructible).
    instruments : tuple of str
    cost : ndarray
        The provider's net cost of each instrument, sum_i (c_j - p_j) y_ij / (1 - delta),
        batch + (instruments,) (NaN where not constructible; -inf where unbounded).
    level_low, level_high : ndarray
        Each instrument's level summed over partners, at its smallest and largest over the
        optimal packages (the answer's ``level_range``), batch + (instruments,).

    ``result["amount:<name>"]``, ``result["cost:<name>"]``, ``result["level_low:<name>"]``
    and ``result["level_high:<name>"]`` pick one instrument.
    """

    amount: np.ndarray
    constructible: np.ndarray
    status: np.ndarray
    total_cost: np.ndarray
    exact: np.ndarray
    revocation_probability: np.ndarray
    instruments: tuple = field(default=())
    cost: np.ndarray = None
    level_low: np.ndarray = None
    level_high: np.ndarray = None

    def __getitem__(self, name):
        if isinstance(name, str) and ":" in name and name.split(":", 1)[0] in PER_INSTRUMENT:
            kind, which = name.split(":", 1)
            if which not in self.instruments:
                extra = did_you_mean(which, self.instruments)
                raise KeyError(f"BatchAssurance: no instrument {which!r}{extra}; instruments: "
                               f"{', '.join(self.instruments)}")
            a = np.asarray(getattr(self, kind))
            if kind == "amount" and len(self.instruments) == 1:
                return a
            return a[..., self.instruments.index(which)]
        return getattr(self, name)


#: Per-instrument quantities of :class:`BatchAssurance` (``"<kind>:<instrument name>"``).
PER_INSTRUMENT = ("amount", "cost", "level_low", "level_high")
#: Quantities of :class:`BatchAssurance` a sweep can store (besides the per-instrument ones).
QUANTITIES = ("amount", "constructible", "status", "total_cost", "exact",
              "revocation_probability")


@dataclass(frozen=True)
class BatchEquilibrium(ResultDisplay):
    """Arrays of :func:`revocation_equilibrium` (one partner per point).

    ``maintain`` and ``stay`` are shaped batch + (regimes,); ``partner_value``,
    ``provider_value`` likewise; ``revocation_probability`` and ``exit_probability`` are
    shaped like the batch; ``status`` holds 0 (optimal) or 1 (no pure equilibrium).
    """

    maintain: np.ndarray
    stay: np.ndarray
    partner_value: np.ndarray
    provider_value: np.ndarray
    revocation_probability: np.ndarray
    exit_probability: np.ndarray
    status: np.ndarray


def _check(func: str, kw: dict) -> dict:
    unknown = set(kw) - set(PARAMETERS)
    if unknown:
        name = sorted(unknown)[0]
        extra = did_you_mean(name, PARAMETERS)
        raise TypeError(f"{func}: unknown parameter {name!r}{extra}")
    out = {}
    for name in PARAMETERS:
        default = SCALARS.get(name)
        if name not in kw or kw[name] is None:
            if name in SCALARS and default is not None:
                out[name] = np.asarray(default, dtype=float)
                continue
            raise TypeError(f"{func}: missing required parameter {name!r}")
        out[name] = as_float_array(func, name, kw[name], finite=name != "cap")
    if np.isnan(out["cap"]).any():
        raise ValueError(f"{func}: cap must not be NaN (use inf for no cap)")
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
    if np.any((out["adversary_hazard"] < 0) | (out["adversary_hazard"] >= 1)):
        raise ValueError(f"{func}: adversary_hazard must lie in [0, 1)")
    for name in REGIME:
        a = out[name]
        if a.ndim and a.shape[-1] not in (1, P.shape[-1]):
            raise ValueError(f"{func}: {name} must have the regimes ({P.shape[-1]}) on its "
                             f"last axis, got shape {a.shape}")
    return out


def _broadcast(func, arrays, level=None):
    """(batch shape, K, per-point getter, levels) for the keyword form."""
    K = arrays["transition"].shape[-1]
    shapes = [arrays["transition"].shape[:-2]]
    shapes += [arrays[k].shape[:-1] if arrays[k].ndim else () for k in REGIME]
    shapes += [arrays[k].shape for k in SCALARS]
    if level is not None:
        shapes.append(np.shape(level))
    try:
        batch = np.broadcast_shapes(*shapes)
    except ValueError as err:
        raise ValueError(f"{func}: parameter shapes do not broadcast: {err}") from None
    P = np.broadcast_to(arrays["transition"], batch + (K, K))
    reg = {k: np.broadcast_to(arrays[k] if arrays[k].ndim else arrays[k][None],
                              batch + (K,)) for k in REGIME}
    sca = {k: np.broadcast_to(arrays[k], batch) for k in SCALARS}
    lvb = None if level is None else np.broadcast_to(level, batch)

    def point(idx) -> ScenarioArrays:
        v = {k: float(sca[k][idx]) for k in SCALARS}
        row = lambda a: np.array([a[idx]], dtype=float)  # noqa: E731
        return ScenarioArrays(
            n=1, K=K, J=1, delta=v["discount"], transition=np.array(P[idx], dtype=float),
            start=0, horizon=10,
            access=np.full((1, K), v["access_value"] - v["collateral_cost"]),
            outside=np.full((1, K), v["outside_option"]),
            loss=np.full((1, K), v["revocation_loss"]),
            provider_flow=row(reg["provider_value"]), gain=row(reg["revocation_gain"]),
            hazard=np.array([v["adversary_hazard"]]), collateral=np.zeros(1),
            coef={k: np.array([v[k]]) for k in COEFFICIENTS},
            enforced=np.array([True]), covers=np.array([False]), cap=np.array([v["cap"]]),
            collective=False, blanket=False, precision=1.0, partner_names=("partner",),
            regime_names=tuple(f"regime {k}" for k in range(K)),
            instrument_names=("instrument",))

    return batch, K, point, lvb


def _fill(results, shape, instruments, unit=None):
    J = len(instruments)
    size = len(results)
    amount = np.full((size, J), np.nan)
    cost = np.full((size, J), np.nan)
    low = np.full((size, J), np.nan)
    high = np.full((size, J), np.nan)
    ok = np.zeros(size, dtype=bool)
    status = np.zeros(size, dtype=np.int8)
    exact = np.zeros(size, dtype=bool)
    prob = np.full(size, np.nan)
    total = np.full(size, np.nan)
    for k, r in enumerate(results):
        status[k] = STATUS_CODES[r.status]
        exact[k] = r.exact
        ok[k] = r.constructible
        if r.constructible:
            amount[k] = r.amount
            total[k] = r.total_cost
            u = unit[k] if unit is not None else None
            if u is not None:
                with np.errstate(invalid="ignore"):
                    cost[k] = np.where(np.isinf(r.amount), -np.inf, r.amount * u)
            lr = np.asarray(r.level_range, dtype=float)
            low[k], high[k] = lr[..., 0].sum(axis=0), lr[..., 1].sum(axis=0)
            if r.equilibrium is not None:
                prob[k] = r.equilibrium.any_revocation_probability
    amount = amount.reshape(shape + (J,))
    if J == 1:
        amount = amount[..., 0]
    return BatchAssurance(amount=amount, constructible=ok.reshape(shape),
                          status=status.reshape(shape), total_cost=total.reshape(shape),
                          exact=exact.reshape(shape), revocation_probability=prob.reshape(shape),
                          instruments=tuple(instruments), cost=cost.reshape(shape + (J,)),
                          level_low=low.reshape(shape + (J,)),
                          level_high=high.reshape(shape + (J,)))


def minimum_assurance(scenario=None, *, target: str = "participation", chunk: int | None = None,
                      **params) -> BatchAssurance:
    """The minimum credible assurance over arrays of parameters.

    Two call forms:

    * keyword arrays for one partner and one instrument, broadcast like numpy (regimes on
      the last axis of ``provider_value`` and ``revocation_gain``, ``transition`` shaped
      (..., K, K)): ``discount``, ``transition``, ``provider_value``, ``revocation_gain``,
      ``access_value``, ``outside_option``, ``revocation_loss`` (required) and
      ``adversary_hazard``, ``collateral_cost`` (a per-period cost while in), ``forfeit`` (1),
      ``compensation`` (1), ``carry``, ``coproduction``, ``partner_flow`` (0), ``cap`` (inf);
    * a :class:`~paxgame.Scenario` first, with dotted scenario parameters (those
      :meth:`Scenario.replace` accepts) as 1-D arrays of equal length.

    Each point is solved by :func:`paxgame.minimum_assurance` (``chunk`` is accepted for
    compatibility; memory is constant per point).

    Returns
    -------
    BatchAssurance

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
    target = check_method(func, target, list(TARGETS))
    check_chunk(func, chunk)
    if scenario is not None:
        return _scenario_form(func, scenario, target, params)
    arrays = _check(func, params)
    batch, K, point, _ = _broadcast(func, arrays)
    points = [point(idx) for idx in np.ndindex(*batch)]
    if len(points) > 1:
        warn_point_by_point(func, target)
    results = [assurance_from_arrays(ar, target) for ar in points]
    return _fill(results, batch, ("instrument",), [_unit(ar) for ar in points])


def _unit(ar: ScenarioArrays) -> np.ndarray:
    return ar.kappa / (1.0 - ar.delta)


_WARNED: set = set()


def warn_point_by_point(func: str, target: str) -> None:
    """Say once per process and target (a :class:`~paxgame.errors.PerformanceWarning`) that
    the minimum assurance of a batch or sweep is solved point by point, and why."""
    if target in _WARNED:
        return
    _WARNED.add(target)
    warnings.warn(
        f"{func}: the minimum {target} assurance is solved point by point (the linear "
        f"programs of each point's equilibrium structures are not batched; only its "
        f"equilibrium checks run in the batch kernel), so a large grid is slow; an "
        f"equilibrium sweep (paxgame.sweep.evaluate_equilibrium) runs entirely in the kernel",
        PerformanceWarning, stacklevel=4)


def _scenario_form(func, sc, target, params):
    shape, build = scenario_points(func, sc, params)
    points = build(0, int(np.prod(shape)))
    if len(points) > 1:
        warn_point_by_point(func, target)
    results = [assurance_from_arrays(ar, target) for ar in points]
    return _fill(results, shape, sc.instrument_names, [_unit(ar) for ar in points])


#: ScenarioArrays fields a dotted parameter can set directly (:func:`scenario_points`).
_DIRECT = ("delta", "transition", "access", "outside", "loss", "provider_flow", "gain",
           "hazard", "collateral", "cap", "precision")


def _flat_fields(ar: ScenarioArrays) -> dict:
    out = {k: np.asarray(getattr(ar, k), dtype=float) for k in _DIRECT + ("horizon", "start")}
    out.update({f"coef.{k}": np.asarray(v, dtype=float) for k, v in ar.coef.items()})
    return out


def _direct_positions(sc, base: dict, name: str, probes):
    """Where the dotted parameter ``name`` lands in the arrays: {field: bool mask} when every
    entry it changes equals the value put in (checked with two distinct values), else
    None."""
    seen = {}
    for v in probes:
        f = _flat_fields(ScenarioArrays.from_scenario(sc.replace(**{name: v})))
        for k, a in f.items():
            b = base[k]
            if a.shape != b.shape:
                return None
            diff = ~((a == b) | (np.isnan(a) & np.isnan(b)))
            seen.setdefault(k, []).append((a, diff))
    out = {}
    for k, pairs in seen.items():
        mask = np.zeros_like(base[k], dtype=bool)
        for _, diff in pairs:
            mask |= diff
        if mask.any():
            for (a, _), v in zip(pairs, probes):
                if not np.all(a[mask] == v):
                    return None
            out[k] = mask
    return out


def scenario_points(func: str, sc, params: dict):
    """(batch shape, build) for a scenario and dotted parameter arrays of equal shapes:
    ``build(a, b)`` gives the :class:`ScenarioArrays` of the flat points ``a:b`` (the points
    of :meth:`Scenario.replace`), so that a caller holds one slice at a time.

    A parameter that sets entries of the scenario's arrays directly (a discount, a partner's
    value in a regime, an instrument's coefficient or cap; found by replacing two of its
    values and comparing) is written into a copy of the base arrays, after each distinct
    value was checked by :meth:`Scenario.replace` (up to 16 of them; beyond, the extremes
    and the 16 smallest: the scenario's checks of a number are intervals); any other
    parameter goes through
    :meth:`Scenario.replace` point by point. Both give the same arrays.
    """
    from ..games.scenario import Scenario  # local: games imports nothing of revocation

    if not isinstance(sc, Scenario):
        raise TypeError(f"{func}: scenario must be a Scenario, got {type(sc).__name__}")
    vals = {k: np.asarray(v) for k, v in params.items()}
    shapes = {v.shape for v in vals.values()}
    if len({v.size for v in vals.values()}) > 1 or len(shapes) > 1:
        raise ValueError(f"{func}: the dotted parameter arrays must have equal lengths, got "
                         f"{sorted(v.size for v in vals.values())}")
    shape = shapes.pop() if shapes else ()
    flat = {k: v.reshape(-1) for k, v in vals.items()}
    size = int(np.prod(shape)) if vals else 1
    base_ar = ScenarioArrays.from_scenario(sc)
    if not flat:
        return (), lambda a, b: [base_ar][a:b]
    base = _flat_fields(base_ar)
    where = {}
    for name, v in flat.items():
        uniq = np.unique(v)
        picks = uniq if uniq.size <= 16 else np.unique(np.concatenate(
            [uniq[:16], uniq[[0, -1]]]))
        for x in picks:  # every value is legal on its own (raises the scenario's message)
            try:
                sc.replace(**{name: x.item()})
            except (ValueError, TypeError) as err:
                raise type(err)(f"{func}: {name}={x.item()!r}: {err}") from err
        probes = [x.item() for x in uniq[:2]] if uniq.size >= 2 else None
        pos = _direct_positions(sc, base, name, probes) if probes else None
        if probes is None or pos is None or v.dtype.kind not in "fiu":
            where = None
            break
        where[name] = pos
    if where is None:
        return shape, lambda a, b: [ScenarioArrays.from_scenario(
            sc.replace(**{name: v[k].item() for name, v in flat.items()}))
            for k in range(a, min(b, size))]
    return shape, lambda a, b: _direct_points(base_ar, base, flat, where, range(a, min(b, size)))


def _direct_points(base_ar, base, flat, where, ks):
    points = []
    for k in ks:
        fields = {}
        for name, pos in where.items():
            x = float(flat[name][k])
            for f, mask in pos.items():
                a = fields.get(f)
                if a is None:
                    a = fields[f] = base[f].copy()
                a[mask] = x
        coef = dict(base_ar.coef)
        kw = {}
        for f, a in fields.items():
            if f.startswith("coef."):
                coef[f[5:]] = a
            else:
                kw[f] = a[()] if a.ndim == 0 else a
        if "delta" in kw:
            kw["delta"] = float(kw["delta"])
        if "precision" in kw:
            kw["precision"] = float(kw["precision"])
        for f in ("horizon", "start"):
            if f in kw:
                kw[f] = int(kw[f])
        points.append(dataclasses.replace(base_ar, coef=coef, **kw))
    return points


#: Integer codes of the per-point equilibrium status.
EQUILIBRIUM_STATUS_CODES = {"optimal": 0, "no_pure_equilibrium": 1, "not_converged": 2}


@dataclass(frozen=True)
class BatchScenarioEquilibrium(ResultDisplay):
    """Arrays of :func:`revocation_equilibrium` in its scenario form, one entry per point.

    Attributes
    ----------
    stay, maintain : ndarray of bool, batch + (partners, regimes)
    partner_value, exit_value : ndarray, batch + (partners, regimes)
    provider_value : ndarray, batch + (regimes,)
    revocation_probability, exit_probability : ndarray, batch + (partners,)
        Within the scenario's horizon from its start regime.
    any_revocation_probability : ndarray, batch
    participation, continuity : ndarray of bool, batch
        Whether the equilibrium meets each target at the full coalition.
    status : ndarray of int8
        Codes of :data:`EQUILIBRIUM_STATUS_CODES` (0 optimal, 1 no pure equilibrium,
        2 not converged).
    n_equilibria : ndarray of int
    ambiguous, exact : ndarray of bool
    partners, regimes : tuple of str

    ``result["revocation_probability:<partner>"]`` and ``result["exit_probability:<partner>"]``
    pick one partner.
    """

    stay: np.ndarray
    maintain: np.ndarray
    partner_value: np.ndarray
    exit_value: np.ndarray
    provider_value: np.ndarray
    revocation_probability: np.ndarray
    exit_probability: np.ndarray
    any_revocation_probability: np.ndarray
    participation: np.ndarray
    continuity: np.ndarray
    status: np.ndarray
    n_equilibria: np.ndarray
    ambiguous: np.ndarray
    exact: np.ndarray
    partners: tuple = ()
    regimes: tuple = ()

    def __getitem__(self, name):
        if isinstance(name, str) and ":" in name:
            kind, who = name.split(":", 1)
            if kind in PER_PARTNER:
                if who not in self.partners:
                    extra = did_you_mean(who, self.partners)
                    raise KeyError(f"BatchScenarioEquilibrium: no partner {who!r}{extra}; "
                                   f"partners: {', '.join(self.partners)}")
                return np.asarray(getattr(self, kind))[..., self.partners.index(who)]
        return getattr(self, name)


#: Per-partner quantities of :class:`BatchScenarioEquilibrium` (``"<kind>:<partner name>"``).
PER_PARTNER = ("revocation_probability", "exit_probability")
#: Per-point quantities of :class:`BatchScenarioEquilibrium` a sweep can store.
EQUILIBRIUM_QUANTITIES = ("any_revocation_probability", "participation", "continuity",
                          "status", "n_equilibria", "ambiguous", "exact")


_EQ_FIELDS = {"stay": bool, "maintain": bool, "partner_value": float, "exit_value": float,
              "provider_value": float, "revocation_probability": float,
              "exit_probability": float, "any_revocation_probability": float,
              "n_equilibria": np.int64, "ambiguous": bool, "exact": bool}


def _equilibrium_arrays(build, y, shape) -> BatchScenarioEquilibrium:
    """Solve the points in slices of ``BATCH_POINTS`` (memory: the answer's arrays plus one
    slice's objects) and gather the arrays."""
    size = int(np.prod(shape))
    out: dict = {}
    first = None
    for a in range(0, size, BATCH_POINTS):
        points = build(a, a + BATCH_POINTS)
        first = first or points[0]
        eqs = equilibria_from_arrays(points, [y] * len(points))
        for name, dt in _EQ_FIELDS.items():
            if name not in out:
                out[name] = np.empty((size,) + np.shape(getattr(eqs[0], name)), dtype=dt)
            out[name][a:a + len(eqs)] = [getattr(e, name) for e in eqs]
        ok = np.array([e.status == "optimal" for e in eqs])
        stays = np.array([bool(e.stay.all()) for e in eqs])
        keeps = np.array([bool(e.maintain.all()) for e in eqs])
        for name, val in (("participation", ok & stays), ("continuity", ok & stays & keeps),
                          ("status", [EQUILIBRIUM_STATUS_CODES[e.status] for e in eqs])):
            if name not in out:
                out[name] = np.empty(size, dtype=np.int8 if name == "status" else bool)
            out[name][a:a + len(eqs)] = val
    res = {k: v.reshape(shape + v.shape[1:]) for k, v in out.items()}
    return BatchScenarioEquilibrium(**res, partners=first.partner_names,
                                    regimes=first.regime_names)


def revocation_equilibrium(scenario=None, *, horizon: int = 10, start=0, level=0.0,
                           levels=None, chunk: int | None = None, **params):
    """Selected equilibria over arrays of parameters, in the batch kernel.

    Two call forms:

    * keyword arrays of one-partner, one-instrument scenarios as in
      :func:`minimum_assurance`, plus the instrument ``level`` in force, the ``start``
      regime index and the ``horizon`` of the reported probabilities: returns
      :class:`BatchEquilibrium`;
    * a :class:`~paxgame.Scenario` first, with dotted scenario parameters as arrays of
      equal shapes and optional instrument ``levels`` (partners, instruments) in force
      everywhere: returns :class:`BatchScenarioEquilibrium` (any governance, revocation
      mode, hazard, screening and instrument mix).

    Every point equals :func:`paxgame.solve` on that point (the scalar solver is this
    kernel on a batch of one).

    Examples
    --------
    >>> import paxgame as pg
    >>> eq = pg.batch.revocation_equilibrium(
    ...     discount=0.9, transition=[[0.875, 0.125], [0.25, 0.75]],
    ...     provider_value=[1.0, 0.5], revocation_gain=[2.0, 12.0], access_value=3.0,
    ...     outside_option=1.2, revocation_loss=6.0)
    >>> eq.maintain
    array([ True, False])
    >>> sc = pg.load("games/scenarios/managed_interdependence.toml")
    >>> out = pg.batch.revocation_equilibrium(sc, discount=[0.8, 0.9, 0.95])
    >>> out.stay.shape, out.participation.tolist()
    ((3, 3, 3), [False, False, True])
    """
    func = "batch.revocation_equilibrium"
    check_chunk(func, chunk)
    if scenario is not None:
        shape, build = scenario_points(func, scenario, params)
        n, J = scenario.n_partners, len(scenario.instruments)
        y = np.zeros((n, J)) if levels is None else as_float_array(func, "levels", levels)
        if y.shape != (n, J) or np.any(y < 0):
            raise ValueError(f"{func}: levels must be non-negative with shape (partners, "
                             f"instruments) = {(n, J)}, got {y.shape}")
        return _equilibrium_arrays(build, y, shape)
    lv = as_float_array(func, "level", level)
    if np.any(lv < 0):
        raise ValueError(f"{func}: level must be non-negative")
    if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or horizon < 1:
        raise ValueError(f"{func}: horizon must be a positive integer, got {horizon!r}")
    arrays = _check(func, params)
    batch, K, point, lvb = _broadcast(func, arrays, lv)
    start = int(start)
    if not 0 <= start < K:
        raise ValueError(f"{func}: start must be a regime index in 0..{K - 1}, got {start}")
    idxs = list(np.ndindex(*batch))
    points = [_with(point(idx), start, int(horizon)) for idx in idxs]
    eqs = equilibria_from_arrays(points, [np.array([[float(lvb[idx])]]) for idx in idxs])
    out = {k: [] for k in BatchEquilibrium.__dataclass_fields__}
    for eq in eqs:
        out["maintain"].append(eq.maintain[0])
        out["stay"].append(eq.stay[0])
        out["partner_value"].append(eq.partner_value[0])
        out["provider_value"].append(eq.provider_value)
        out["revocation_probability"].append(eq.revocation_probability[0])
        out["exit_probability"].append(eq.exit_probability[0])
        out["status"].append(0 if eq.status == "optimal" else 1)
    res = {}
    for k, v in out.items():
        a = np.array(v)
        res[k] = a.reshape(batch + a.shape[1:])
    return BatchEquilibrium(**res)


def _with(ar: ScenarioArrays, start: int, horizon: int) -> ScenarioArrays:
    return dataclasses.replace(ar, start=start, horizon=horizon)

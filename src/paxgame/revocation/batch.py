"""Public batch entry points of the revocation model (re-exported by :mod:`paxgame.batch`).

Every point is solved by the exact-state solvers of :func:`paxgame.minimum_assurance` and
:func:`paxgame.solve` (one implementation: the batch functions loop over points and return
arrays), so a batch answer equals the scalar answer element by element and each is checked
on the exact state before it is labelled optimal.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from .._results import ResultDisplay
from .._validation import as_float_array, check_chunk, check_method, did_you_mean
from .arrays import COEFFICIENTS, ScenarioArrays
from .assurance import TARGETS, assurance_from_arrays
from .equilibrium import equilibrium_from_arrays

__all__ = ["minimum_assurance", "revocation_equilibrium", "BatchAssurance", "BatchEquilibrium",
           "STATUS_CODES", "PARAMETERS"]

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
    """

    amount: np.ndarray
    constructible: np.ndarray
    status: np.ndarray
    total_cost: np.ndarray
    exact: np.ndarray
    revocation_probability: np.ndarray
    instruments: tuple = field(default=())

    def __getitem__(self, name):
        if isinstance(name, str) and name.startswith("amount:"):
            which = name[len("amount:"):]
            if which not in self.instruments:
                extra = did_you_mean(which, self.instruments)
                raise KeyError(f"BatchAssurance: no instrument {which!r}{extra}; instruments: "
                               f"{', '.join(self.instruments)}")
            a = np.asarray(self.amount)
            return a if len(self.instruments) == 1 else a[..., self.instruments.index(which)]
        return getattr(self, name)


#: Quantities of :class:`BatchAssurance` a sweep can store (besides ``amount:<name>``).
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


def _fill(results, shape, instruments):
    J = len(instruments)
    size = len(results)
    amount = np.full((size, J), np.nan)
    ok = np.zeros(size, dtype=bool)
    status = np.zeros(size, dtype=np.int8)
    cost = np.full(size, np.nan)
    exact = np.zeros(size, dtype=bool)
    prob = np.full(size, np.nan)
    for k, r in enumerate(results):
        status[k] = STATUS_CODES[r.status]
        exact[k] = r.exact
        ok[k] = r.constructible
        if r.constructible:
            amount[k] = r.amount
            cost[k] = r.total_cost
            if r.equilibrium is not None:
                prob[k] = r.equilibrium.any_revocation_probability
    amount = amount.reshape(shape + (J,))
    if J == 1:
        amount = amount[..., 0]
    return BatchAssurance(amount=amount, constructible=ok.reshape(shape),
                          status=status.reshape(shape), total_cost=cost.reshape(shape),
                          exact=exact.reshape(shape), revocation_probability=prob.reshape(shape),
                          instruments=tuple(instruments))


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
    results = [assurance_from_arrays(point(idx), target) for idx in np.ndindex(*batch)]
    return _fill(results, batch, ("instrument",))


def _scenario_form(func, sc, target, params):
    from ..games.scenario import Scenario  # local: games imports nothing of revocation

    if not isinstance(sc, Scenario):
        raise TypeError(f"{func}: scenario must be a Scenario, got {type(sc).__name__}")
    vals = {k: np.asarray(v) for k, v in params.items()}
    sizes = {v.size for v in vals.values()}
    if len(sizes) > 1:
        raise ValueError(f"{func}: the dotted parameter arrays must have equal lengths, got "
                         f"{sorted(sizes)}")
    size = sizes.pop() if sizes else 1
    shape = vals[next(iter(vals))].shape if vals else ()
    flat = {k: v.reshape(-1) for k, v in vals.items()}
    results = []
    for k in range(size):
        point = sc.replace(**{name: v[k].item() for name, v in flat.items()}) if flat else sc
        results.append(assurance_from_arrays(ScenarioArrays.from_scenario(point), target,
                                             point))
    return _fill(results, shape if vals else (), sc.instrument_names)


def revocation_equilibrium(*, horizon: int = 10, start=0, level=0.0, chunk: int | None = None,
                           **params) -> BatchEquilibrium:
    """Selected equilibria of one-partner scenarios over arrays of parameters.

    Parameters as in :func:`minimum_assurance` (keyword form), plus the instrument ``level``
    in force, the ``start`` regime index and the ``horizon`` for the reported probabilities.

    Returns
    -------
    BatchEquilibrium

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
    check_chunk(func, chunk)
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
    out = {k: [] for k in BatchEquilibrium.__dataclass_fields__}
    for idx in np.ndindex(*batch):
        ar = _with(point(idx), start, int(horizon))
        eq = equilibrium_from_arrays(ar, np.array([[float(lvb[idx])]]))
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

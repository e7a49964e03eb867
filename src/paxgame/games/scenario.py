"""Revocation scenarios (the theory page "The revocation model"): immutable data and validation, no solving.

A :class:`Scenario` holds one provider, its partners, the political regimes and their
transition matrix, the assurance instruments on offer and the governance and revocation
rules. It is loaded from a TOML file with ``kind = "revocation"`` (see
:mod:`paxgame.io._scenario_schema` for the file format) or built in code, and changed only by
:meth:`Scenario.replace`, which returns a new scenario.

Dotted parameter names
----------------------
:meth:`Scenario.replace` (and :func:`paxgame.sweep`) address nested parameters by a dotted
path. Segments are separated by dots; a list element is picked by its index or its name,
either as a dotted segment or in brackets; a per-regime entry by the regime's index or name:

* ``"discount"``, ``"horizon"``, ``"governance"``, ``"screening"``
* ``"regimes.transition"``, ``"regimes.transition[1]"`` (a row), ``"regimes.start"``
* ``"partners[0].access_value"`` = ``"partners.0.access_value"`` =
  ``"partners.partner.access_value"`` (by name)
* ``"partners[0].revocation_gain[1]"`` = ``"partners.partner.revocation_gain.hawkish"``
* ``"partners[*].revocation_loss"``: every partner at once
* ``"instruments[0].cap"``, ``"instruments.escrow bond.carry"``
* ``"partners[0].sources[0].revocation_probability"``

A partner may not be named like an index (``"0"``, ``"-1"``) or the wildcard ``"*"``: such a
name would make ``"partners.0..."`` or ``"partners[*]..."`` mean two things, so the
constructor and the loader refuse it. A path segment that is both an index and the name of
another element (a regime, instrument or source named ``"1"``) is an error: address it
unambiguously (by the other element's name, or rename it).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

import numpy as np

from .._validation import (as_float_array, check_discount, check_names, check_nonnegative,
                           check_probability, check_stochastic, did_you_mean)

__all__ = ["Scenario", "Partner", "Instrument", "Source", "HedgeEvent", "PER_REGIME",
           "PRESETS", "GOVERNANCE",
           "REVOCATION", "path_name_problem", "MAX_SOURCES"]

#: Most other sources a partner may list besides the provider's stack: hedging enumerates
#: the 2^(sources + 1) joint cut-off scenarios of independent sources, so 11 sources mean
#: 4,096 scenarios (a CVaR linear program of about 4,100 variables).
MAX_SOURCES = 11

GOVERNANCE = ("bilateral", "collective")
REVOCATION = ("targeted", "blanket")

# The theory page "The revocation model" (Data) names one preset "local copies / sovereign hosting": two names, one entry
_LOCAL_HOSTING = dict(forfeit=0.5, compensation=1.0, carry=0.02, coproduction=0.0,
                      partner_flow=0.0, enforced=True)
#: Instrument presets (theory page "The revocation model", Data): per-unit coefficients; explicit keys override them.
#: The numbers of the non-bond presets are illustrative defaults, not calibrated.
PRESETS = {
    "bond": dict(forfeit=1.0, compensation=1.0, carry=0.0, coproduction=0.0,
                 partner_flow=0.0, enforced=True),
    "local_copies": _LOCAL_HOSTING,
    "sovereign_hosting": _LOCAL_HOSTING,
    "coproduction": dict(forfeit=0.0, compensation=0.0, carry=0.0, coproduction=0.1,
                         partner_flow=0.1, enforced=True),
    "treaty": dict(forfeit=1.0, compensation=0.0, carry=0.0, coproduction=0.0,
                   partner_flow=0.0, enforced=True),
    "notice_period": dict(forfeit=0.0, compensation=1.0, carry=0.0, coproduction=0.0,
                          partner_flow=0.0, enforced=True),
    "custom": dict(forfeit=0.0, compensation=0.0, carry=0.0, coproduction=0.0,
                   partner_flow=0.0, enforced=True),
}

_F = "Scenario"

_INDEX = re.compile(r"[-+]?\d+")


def path_name_problem(name) -> str | None:
    """Why ``name`` cannot name a partner in dotted parameter paths, or None when it can.

    A name that reads as an index (``"0"``, ``" -1 "``) or is the wildcard ``"*"`` would
    make ``partners.0`` or ``partners[*]`` ambiguous (see the module notes).
    """
    if not isinstance(name, str):
        return None
    token = name.strip()
    if token == "*":
        return ("is the wildcard of parameter paths (partners[*] means every partner); "
                "choose another name")
    if _INDEX.fullmatch(token):
        return (f"reads as an index in parameter paths (partners.{token} means the partner "
                f"at position {token}); use a name that is not an integer")
    return None


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a


def _real(name, value, *, lo=None, hi=None, lo_open=False, hi_open=False, func=_F) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{func}: {name} must be a real number, got {type(value).__name__}")
    x = float(value)
    if not np.isfinite(x) and not (hi is None and x == np.inf and name.endswith("cap")):
        raise ValueError(f"{func}: {name} must be finite, got {x}")
    if lo is not None and (x < lo or (lo_open and x == lo)):
        rule = ("positive" if lo_open and lo == 0 else "non-negative" if lo == 0
                else f"at least {lo}")
        raise ValueError(f"{func}: {name} must be {rule}, got {x}")
    if hi is not None and (x > hi or (hi_open and x == hi)):
        raise ValueError(f"{func}: {name} must be at most {hi}, got {x}")
    return x


def _scalar_or_regimes(name, value, *, lo=None, func=_F):
    """A real number, or one real number per regime (a frozen 1-D array; its length is
    checked against the regimes by :class:`Scenario`)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        a = as_float_array(func, name, value)
        if a.ndim != 1 or a.size == 0:
            raise ValueError(f"{func}: {name} must be a number or one number per regime, "
                             f"got shape {a.shape}")
        if lo is not None and (a < lo).any():
            raise ValueError(f"{func}: {name} must be non-negative, got {a.min()}")
        if a.size == 1:
            return float(a[0])
        return _frozen(a)
    return _real(name, value, lo=lo, func=func)


#: Partner parameters that may be one number or one number per regime.
PER_REGIME = ("access_value", "outside_option", "revocation_loss")


@dataclass(frozen=True)
class Source:
    """Another stack a partner can depend on (hedging: theory page "The revocation model",
    Hedging).

    ``access_value`` is a number or one number per regime (its service per period);
    ``revocation_probability`` is the chance of a cut within the horizon when cuts are
    independent; it may be None when the scenario's joint table of cut events
    (:class:`HedgeEvent`) gives the cuts.
    """

    name: str
    access_value: float
    revocation_loss: float
    revocation_probability: float | None = None
    cap: float = 1.0

    def __post_init__(self):
        pre = f"sources[{self.name!r}]"
        object.__setattr__(self, "access_value", _scalar_or_regimes(f"{pre}.access_value",
                                                                    self.access_value))
        object.__setattr__(self, "revocation_loss", _real(f"{pre}.revocation_loss",
                                                          self.revocation_loss, lo=0))
        if self.revocation_probability is not None:
            object.__setattr__(self, "revocation_probability", check_probability(
                _F, f"{pre}.revocation_probability", self.revocation_probability))
        object.__setattr__(self, "cap", check_probability(_F, f"{pre}.cap", self.cap))

    def __eq__(self, other):
        return isinstance(other, Source) and _as_tuple(self) == _as_tuple(other)

    __hash__ = None


@dataclass(frozen=True)
class HedgeEvent:
    """One row of the joint table of cut events: with ``probability`` (within the
    horizon) the sources named in ``cuts`` are cut together (e.g. two stacks of one bloc).

    Rows are disjoint events; the rest of the probability is "no cut".
    """

    probability: float
    cuts: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "probability", check_probability(
            _F, "hedge event probability", self.probability))
        cuts = (self.cuts,) if isinstance(self.cuts, str) else tuple(self.cuts)
        for c in cuts:
            if not isinstance(c, str):
                raise TypeError(f"{_F}: hedge event cuts must be source names, got "
                                f"{type(c).__name__}")
        if len(set(cuts)) != len(cuts):
            raise ValueError(f"{_F}: hedge event cuts list a source twice: {list(cuts)}")
        object.__setattr__(self, "cuts", cuts)


@dataclass(frozen=True)
class Partner:
    """A partner of the provider (theory page "The revocation model", Data).

    ``provider_value`` (w) and ``revocation_gain`` (G) hold one number per regime;
    ``access_value`` (v), ``outside_option`` (o) and ``revocation_loss`` (L) hold a number
    or one number per regime (a rival stack that matures is a regime with a high o).
    """

    name: str
    access_value: float | np.ndarray
    outside_option: float | np.ndarray
    revocation_loss: float | np.ndarray
    provider_value: np.ndarray
    revocation_gain: np.ndarray
    adversary_hazard: float = 0.0
    collateral_loss: float = 0.0
    sources: tuple = ()

    def __post_init__(self):
        pre = f"partner {self.name!r}"
        for k in PER_REGIME:
            object.__setattr__(self, k, _scalar_or_regimes(
                f"{pre}: {k}", getattr(self, k), lo=0 if k == "revocation_loss" else None))
        object.__setattr__(self, "collateral_loss", _real(f"{pre}: collateral_loss",
                                                          self.collateral_loss, lo=0))
        object.__setattr__(self, "adversary_hazard", check_probability(
            _F, f"{pre}: adversary_hazard", self.adversary_hazard))
        for k in ("provider_value", "revocation_gain"):
            a = check_nonnegative(_F, f"{pre}: {k}", as_float_array(_F, f"{pre}: {k}",
                                                                   getattr(self, k)))
            a = np.atleast_1d(np.asarray(a, dtype=float))
            if a.ndim != 1:
                raise ValueError(f"{_F}: {pre}: {k} must be one number per regime, "
                                 f"got shape {a.shape}")
            object.__setattr__(self, k, _frozen(a))
        srcs = tuple(s if isinstance(s, Source) else Source(**s) for s in self.sources)
        object.__setattr__(self, "sources", srcs)

    def __eq__(self, other):
        return isinstance(other, Partner) and _as_tuple(self) == _as_tuple(other)

    __hash__ = None


@dataclass(frozen=True)
class Instrument:
    """An assurance instrument (theory page "The revocation model", Data): per-unit coefficients and a cap."""

    name: str = "bond"
    preset: str = "bond"
    forfeit: float = 1.0
    compensation: float = 1.0
    carry: float = 0.0
    coproduction: float = 0.0
    partner_flow: float = 0.0
    cap: float = float("inf")
    enforced: bool = True
    covers_collateral: bool = False

    def __post_init__(self):
        pre = f"instrument {self.name!r}"
        if self.preset not in PRESETS:
            extra = did_you_mean(self.preset, PRESETS)
            raise ValueError(f"{_F}: {pre}: unknown preset {self.preset!r}{extra}; choose "
                             f"one of: {', '.join(PRESETS)}")
        for k in ("forfeit", "compensation", "carry", "coproduction"):
            object.__setattr__(self, k, _real(f"{pre}: {k}", getattr(self, k), lo=0))
        object.__setattr__(self, "partner_flow", _real(f"{pre}: partner_flow",
                                                       self.partner_flow))
        object.__setattr__(self, "cap", _real(f"{pre}: cap", self.cap, lo=0))
        for k in ("enforced", "covers_collateral"):
            if not isinstance(getattr(self, k), (bool, np.bool_)):
                raise TypeError(f"{_F}: {pre}: {k} must be true or false, "
                                f"got {type(getattr(self, k)).__name__}")

    @classmethod
    def from_preset(cls, preset: str = "bond", name: str | None = None, **overrides):
        """An instrument from a preset of :data:`PRESETS`, with explicit overrides."""
        if preset not in PRESETS:
            extra = did_you_mean(preset, PRESETS)
            raise ValueError(f"{_F}: unknown preset {preset!r}{extra}; choose one of: "
                             f"{', '.join(PRESETS)}")
        values = dict(PRESETS[preset])
        values.update(overrides)
        return cls(name=name or preset, preset=preset, **values)


def _as_tuple(obj):
    if dataclasses.is_dataclass(obj):
        return (type(obj).__name__,) + tuple(_as_tuple(getattr(obj, f.name))
                                             for f in dataclasses.fields(obj))
    if isinstance(obj, np.ndarray):
        return ("array", obj.shape, tuple(obj.ravel().tolist()))
    if isinstance(obj, (list, tuple)):
        return tuple(_as_tuple(x) for x in obj)
    return obj


@dataclass(frozen=True, eq=False)
class Scenario:
    """A revocation scenario: one provider, its partners, regimes and instruments.

    Parameters
    ----------
    partners : sequence of Partner (or dicts of Partner fields)
    discount : float
        delta in (0, 1).
    regime_names : sequence of str, optional
        One name per regime (default: ``("regime",)`` for one regime).
    transition : array_like (K, K), optional
        Row-stochastic regime transition matrix Pi (identity for one regime).
    start : str, optional
        The regime before the first period (the partner's first decision knows it);
        default the first regime.
    instruments : sequence of Instrument, optional
        Default: one enforced bond (forfeit 1, compensation 1, no carry).
    governance : {"bilateral", "collective"}
    revocation : {"targeted", "blanket"}
    screening : float
        Precision pi in [0, 1] of revocations aimed at adversaries (1 hits only them).
    horizon : int
        Periods for reported probabilities (and the unit of hedging: discounted value over
        the horizon).
    name, description : str
    absorbing_regime : str, optional
        A regime entered from every other regime with per-period probability
        ``absorbing_hazard`` and never left (e.g. "the rival stack is competitive"): the
        transition used is ``(1 - h) Pi[r] + h e_a`` for every other row ``r``; ``transition``
        holds that matrix and ``base_transition`` the one given with every other row
        renormalised outside ``a`` (row ``a`` must stay in ``a``), so that the rule applied
        to its own output changes nothing.
    absorbing_hazard : float
        ``h`` in [0, 1) (default 0).
    hedge_events : sequence of HedgeEvent, optional
        The joint table of cut events of the partners' other sources (default: each source
        cut independently with its ``revocation_probability``).
    risk_aversion : float
        The partners' weight lambda >= 0 on the CVaR of hedging losses (default 0).
    cvar_level : float
        The CVaR level alpha in [0, 1) (default 0.95).

    Examples
    --------
    >>> import paxgame as pg
    >>> sc = pg.load("games/scenarios/managed_interdependence.toml")
    >>> sc2 = sc.replace(discount=0.8)
    >>> (sc.discount, sc2.discount)
    (0.9, 0.8)
    >>> float(sc.replace(**{"partners[0].revocation_gain[1]": 20.0}).partners[0].revocation_gain[1])
    20.0
    """

    partners: tuple
    discount: float
    regime_names: tuple = ("regime",)
    transition: np.ndarray | None = None
    start: str | None = None
    instruments: tuple = ()
    governance: str = "bilateral"
    revocation: str = "targeted"
    screening: float = 1.0
    horizon: int = 10
    name: str = ""
    description: str = ""
    explicit_instruments: bool = field(default=None, repr=False)
    absorbing_regime: str | None = None
    absorbing_hazard: float = 0.0
    hedge_events: tuple = ()
    risk_aversion: float = 0.0
    cvar_level: float = 0.95
    base_transition: np.ndarray = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self):
        set_ = lambda k, v: object.__setattr__(self, k, v)  # noqa: E731
        set_("discount", check_discount(_F, self.discount))
        names = check_names(_F, "regime_names", self.regime_names, len(list(self.regime_names)))
        K = len(names)
        if K == 0:
            raise ValueError(f"{_F}: at least one regime is required")
        set_("regime_names", names)
        P = np.eye(K) if self.transition is None else self.transition
        P = np.array(check_stochastic(_F, "transition", P, size=K), dtype=float)
        h = check_probability(_F, "absorbing_hazard", self.absorbing_hazard)
        set_("absorbing_hazard", h)
        if self.absorbing_regime is not None:
            if self.absorbing_regime not in names:
                extra = did_you_mean(str(self.absorbing_regime), names)
                raise ValueError(f"{_F}: absorbing_regime {self.absorbing_regime!r} is not a "
                                 f"regime{extra}; regimes: {', '.join(names)}")
            if h >= 1:
                raise ValueError(f"{_F}: absorbing_hazard must lie in [0, 1), got {h}")
            a = names.index(self.absorbing_regime)
            if abs(P[a, a] - 1.0) > 1e-9:
                raise ValueError(f"{_F}: absorbing_regime {self.absorbing_regime!r}: its row "
                                 f"of transition must stay in it (entry [{a}, {a}] is "
                                 f"{P[a, a]!r}, not 1)")
            # the other rows are renormalised outside the absorbing regime, then enter it
            # with probability h: applying the rule to its own output changes nothing
            rest = P.sum(axis=1) - P[:, a]
            for r in range(K):
                if r != a and rest[r] <= 0:
                    raise ValueError(f"{_F}: row {r} of transition leads only to the "
                                     f"absorbing regime; give the transitions among the "
                                     f"other regimes")
            P[:, a] = 0.0
            P[a] = 0.0
            P[a, a] = 1.0
            with np.errstate(invalid="ignore", divide="ignore"):
                P = np.where(np.arange(K)[:, None] == a, P, P / np.where(rest > 0, rest,
                                                                         1.0)[:, None])
            set_("base_transition", _frozen(P))
            P = (1.0 - h) * P
            P[:, a] += h
            P[a] = 0.0
            P[a, a] = 1.0
        else:
            if h != 0:
                raise ValueError(f"{_F}: absorbing_hazard {h!r} needs an absorbing_regime")
            set_("base_transition", _frozen(P))
        set_("transition", _frozen(P))
        start = names[0] if self.start is None else self.start
        if start not in names:
            extra = did_you_mean(str(start), names)
            raise ValueError(f"{_F}: start {start!r} is not a regime{extra}; regimes: "
                             f"{', '.join(names)}")
        set_("start", start)
        partners = tuple(p if isinstance(p, Partner) else Partner(**p) for p in self.partners)
        if not partners:
            raise ValueError(f"{_F}: at least one partner is required")
        check_names(_F, "partner names", [p.name for p in partners], len(partners))
        for p in partners:
            problem = path_name_problem(p.name)
            if problem:
                raise ValueError(f"{_F}: partner name {p.name!r} {problem}")
        fixed = []
        for p in partners:
            upd = {}
            for k in ("provider_value", "revocation_gain"):
                a = getattr(p, k)
                if a.shape == (1,) and K > 1:
                    upd[k] = np.repeat(a, K)
                elif a.shape != (K,):
                    raise ValueError(f"{_F}: partner {p.name!r}: {k} must have one entry per "
                                     f"regime ({K}), got {a.shape[0]}")
            for k in PER_REGIME:
                a = getattr(p, k)
                if isinstance(a, np.ndarray) and a.shape != (K,):
                    raise ValueError(f"{_F}: partner {p.name!r}: {k} must be a number or "
                                     f"have one entry per regime ({K}), got {a.shape[0]}")
            for src in p.sources:
                a = src.access_value
                if isinstance(a, np.ndarray) and a.shape != (K,):
                    raise ValueError(f"{_F}: partner {p.name!r}: source {src.name!r}: "
                                     f"access_value must be a number or have one entry per "
                                     f"regime ({K}), got {a.shape[0]}")
            fixed.append(dataclasses.replace(p, **upd) if upd else p)
        set_("partners", tuple(fixed))
        self._check_hedge(set_)
        if self.explicit_instruments is None:
            set_("explicit_instruments", bool(self.instruments))
        instruments = tuple(i if isinstance(i, Instrument) else Instrument(**i)
                            for i in self.instruments) or (Instrument(),)
        check_names(_F, "instrument names", [i.name for i in instruments], len(instruments))
        set_("instruments", instruments)
        if self.governance not in GOVERNANCE:
            raise ValueError(f"{_F}: governance must be one of {', '.join(GOVERNANCE)}, "
                             f"got {self.governance!r}")
        if self.revocation not in REVOCATION:
            raise ValueError(f"{_F}: revocation must be one of {', '.join(REVOCATION)}, "
                             f"got {self.revocation!r}")
        set_("screening", check_probability(_F, "screening", self.screening))
        if isinstance(self.horizon, bool) or not isinstance(self.horizon, (int, np.integer)) \
                or self.horizon < 1:
            raise ValueError(f"{_F}: horizon must be a positive integer, got {self.horizon!r}")
        set_("horizon", int(self.horizon))
        set_("name", str(self.name))
        set_("description", str(self.description))

    def _check_hedge(self, set_) -> None:
        lam = self.risk_aversion
        if isinstance(lam, bool) or not isinstance(lam, (int, float, np.integer, np.floating)):
            raise TypeError(f"{_F}: risk_aversion must be a real number, got "
                            f"{type(lam).__name__}")
        set_("risk_aversion", _real("risk_aversion", lam, lo=0))
        alpha = check_probability(_F, "cvar_level", self.cvar_level)
        if alpha >= 1:
            raise ValueError(f"{_F}: cvar_level must lie in [0, 1), got {alpha}")
        set_("cvar_level", alpha)
        events = tuple(e if isinstance(e, HedgeEvent) else HedgeEvent(**e)
                       for e in self.hedge_events)
        set_("hedge_events", events)
        known = {s.name for p in self.partners for s in p.sources}
        for k, e in enumerate(events):
            for c in e.cuts:
                if c not in known:
                    extra = did_you_mean(c, sorted(known))
                    raise ValueError(f"{_F}: hedge event {k} cuts {c!r}, which is no "
                                     f"partner's source{extra}")
        total = float(np.sum([e.probability for e in events]))
        if total > 1 + 1e-9:
            raise ValueError(f"{_F}: the hedge events' probabilities sum to {total!r}, more "
                             f"than 1 (the events are disjoint)")
        for p in self.partners:
            for src in p.sources:
                marginal = float(np.sum([e.probability for e in events if src.name in e.cuts]))
                if not events and src.revocation_probability is None:
                    raise ValueError(f"{_F}: partner {p.name!r}: source {src.name!r} needs a "
                                     f"revocation_probability (or give the joint table of "
                                     f"hedge events)")
                if events and src.revocation_probability is not None and \
                        abs(src.revocation_probability - marginal) > 1e-9:
                    raise ValueError(f"{_F}: partner {p.name!r}: source {src.name!r} has "
                                     f"revocation_probability {src.revocation_probability!r} "
                                     f"but the hedge events cut it with probability "
                                     f"{marginal!r}; give one or make them agree")

    # ------------------------------------------------------------------ accessors
    @property
    def n_regimes(self) -> int:
        return len(self.regime_names)

    @property
    def n_partners(self) -> int:
        return len(self.partners)

    @property
    def start_index(self) -> int:
        return self.regime_names.index(self.start)

    @property
    def partner_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.partners)

    @property
    def instrument_names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.instruments)

    def partner_index(self, partner) -> int:
        """The index of a partner given by index or name."""
        names = self.partner_names
        if isinstance(partner, (int, np.integer)) and not isinstance(partner, bool):
            if not 0 <= partner < len(names):
                raise ValueError(f"partner index {partner} out of range (0..{len(names) - 1})")
            return int(partner)
        if partner in names:
            return names.index(partner)
        extra = did_you_mean(str(partner), names)
        raise ValueError(f"unknown partner {partner!r}{extra}; partners: {', '.join(names)}")

    def __eq__(self, other):
        return isinstance(other, Scenario) and _as_tuple(self) == _as_tuple(other)

    __hash__ = None

    def __repr__(self) -> str:
        return (f"Scenario({self.name!r}, {self.n_partners} partner(s), {self.n_regimes} "
                f"regime(s), delta={self.discount:g}, {self.governance}, {self.revocation})")

    # ------------------------------------------------------------------ replace
    def replace(self, **changes) -> "Scenario":
        """A copy with parameters changed; keys are dotted names (see the module docs).

        Examples
        --------
        >>> import paxgame as pg
        >>> sc = pg.load("games/scenarios/revocation_order.toml")
        >>> sc.replace(**{"partners[*].revocation_loss": 2.0}).partners[0].revocation_loss
        2.0
        >>> sc.replace(dicount=0.5)
        Traceback (most recent call last):
        ...
        ValueError: Scenario.replace: unknown parameter 'dicount' (did you mean 'discount'?)
        """
        data = self.to_dict()
        if not data["instruments"] and any(str(k).startswith("instruments") for k in changes):
            data["instruments"] = [dataclasses.asdict(i) for i in self.instruments]
        for key, value in changes.items():
            _assign(data, key, value, self)
        try:
            return Scenario.from_dict(data)
        except (TypeError, ValueError) as err:
            msg = str(err)
            if msg.startswith(f"{_F}: "):
                raise type(err)(f"Scenario.replace: {msg[len(_F) + 2:]}") from err
            raise

    # ------------------------------------------------------------------ dict forms
    def to_dict(self) -> dict:
        """Nested plain data (lists and floats) mirroring the file format."""
        def arr(a):
            return [float(x) for x in np.asarray(a).ravel()] if np.ndim(a) == 1 else \
                [[float(x) for x in row] for row in np.asarray(a)]

        def num(a):  # a number or one per regime
            return arr(a) if isinstance(a, np.ndarray) else a

        def source(s):
            d = dataclasses.asdict(s)
            d["access_value"] = num(s.access_value)
            return d
        partners = []
        for p in self.partners:
            partners.append({
                "name": p.name, "access_value": num(p.access_value),
                "outside_option": num(p.outside_option),
                "revocation_loss": num(p.revocation_loss),
                "provider_value": arr(p.provider_value),
                "revocation_gain": arr(p.revocation_gain),
                "adversary_hazard": p.adversary_hazard, "collateral_loss": p.collateral_loss,
                "sources": [source(s) for s in p.sources]})
        return {
            "kind": "revocation", "name": self.name, "description": self.description,
            "discount": self.discount, "horizon": self.horizon,
            "governance": self.governance, "revocation": self.revocation,
            "screening": self.screening,
            "regimes": {"names": list(self.regime_names),
                        "transition": arr(self.base_transition), "start": self.start,
                        "absorbing": self.absorbing_regime,
                        "absorbing_hazard": self.absorbing_hazard},
            "hedge": {"risk_aversion": self.risk_aversion, "alpha": self.cvar_level,
                      "events": [{"probability": e.probability, "cuts": list(e.cuts)}
                                 for e in self.hedge_events]},
            "partners": partners,
            "instruments": [dataclasses.asdict(i) for i in self.instruments]
            if self.explicit_instruments else [],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Scenario":
        """Build a scenario from :meth:`to_dict`'s nested data."""
        reg = data.get("regimes", {})
        return cls(
            partners=tuple(Partner(**{**p, "sources": tuple(Source(**s) for s in
                                                            p.get("sources", ()))})
                           for p in data["partners"]),
            discount=data["discount"], regime_names=tuple(reg.get("names", ("regime",))),
            transition=reg.get("transition"), start=reg.get("start"),
            instruments=tuple(Instrument(**i) for i in data.get("instruments", ())),
            governance=data.get("governance", "bilateral"),
            revocation=data.get("revocation", "targeted"),
            screening=data.get("screening", 1.0), horizon=data.get("horizon", 10),
            name=data.get("name", ""), description=data.get("description", ""),
            absorbing_regime=reg.get("absorbing"),
            absorbing_hazard=reg.get("absorbing_hazard", 0.0),
            hedge_events=tuple(HedgeEvent(probability=e["probability"],
                                          cuts=tuple(e.get("cuts", ())))
                               for e in data.get("hedge", {}).get("events", ())),
            risk_aversion=data.get("hedge", {}).get("risk_aversion", 0.0),
            cvar_level=data.get("hedge", {}).get("alpha", 0.95))

    def to_toml_dict(self) -> dict:
        """Data for ``tomli_w.dumps``: the file format of :mod:`paxgame.io._scenario_schema`.

        Loading the written file gives back an equal scenario (infinite caps are omitted).
        """
        d = self.to_dict()
        for p in d["partners"]:
            if not p["sources"]:
                del p["sources"]
            for src in p.get("sources", ()):
                if src["revocation_probability"] is None:
                    del src["revocation_probability"]
        if d["regimes"]["absorbing"] is None:
            del d["regimes"]["absorbing"]
            del d["regimes"]["absorbing_hazard"]
        if not d["hedge"]["events"]:
            del d["hedge"]["events"]
            if d["hedge"] == {"risk_aversion": 0.0, "alpha": 0.95}:  # the defaults
                del d["hedge"]
        for i in d["instruments"]:
            if i["cap"] == float("inf"):
                del i["cap"]
        if not d["instruments"]:
            del d["instruments"]
        if self.n_regimes == 1:
            for p in d["partners"]:
                p["provider_value"] = p["provider_value"][0]
                p["revocation_gain"] = p["revocation_gain"][0]
        return d


# ---------------------------------------------------------------------- dotted paths

_SEG = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")


def _split(key: str) -> list[str]:
    parts = []
    pos = 0
    for m in _SEG.finditer(key):
        if m.start() != pos and key[pos:m.start()] != ".":
            raise ValueError(f"Scenario.replace: cannot parse parameter name {key!r}")
        parts.append(m.group(1) if m.group(1) is not None else m.group(2).strip().strip("'\""))
        pos = m.end()
    if pos != len(key) or not parts:
        raise ValueError(f"Scenario.replace: cannot parse parameter name {key!r}")
    return parts


_TOP = {"discount", "horizon", "governance", "revocation", "screening", "name", "description",
        "regimes", "partners", "instruments", "hedge"}
_ALIASES = {"transition": ("regimes", "transition"), "start": ("regimes", "start")}


def _assign(data: dict, key: str, value, sc: Scenario) -> None:
    if not isinstance(key, str):
        raise TypeError(f"Scenario.replace: parameter names must be strings, got {key!r}")
    parts = _split(key)
    if parts[0] in _ALIASES:
        parts = [*_ALIASES[parts[0]], *parts[1:]]
    if parts[0] not in _TOP:
        extra = did_you_mean(parts[0], sorted(_TOP | set(_ALIASES)))
        raise ValueError(f"Scenario.replace: unknown parameter {key!r}{extra}")
    if isinstance(value, np.ndarray):
        value = value.tolist()
    elif isinstance(value, np.generic):
        value = value.item()
    _set(data, parts, value, key, sc)


def _index(seq: list, token: str, key: str, what: str, names) -> list[int]:
    names = list(names)
    if token in names and (token == "*" or (_INDEX.fullmatch(token) and (
            not seq or int(token) % len(seq) != names.index(token)))):
        meaning = "every " + what if token == "*" else f"the {what} at position {token}"
        raise ValueError(f"Scenario.replace: {key!r} is ambiguous: {token!r} means {meaning} "
                         f"but is also the name of {what} {names.index(token)}; rename that "
                         f"{what}")
    if token == "*":
        return list(range(len(seq)))
    if _INDEX.fullmatch(token):
        i = int(token)
        if not -len(seq) <= i < len(seq):
            raise ValueError(f"Scenario.replace: index {i} out of range for {what} in {key!r}")
        return [i % len(seq)]
    if token in names:
        return [list(names).index(token)]
    extra = did_you_mean(token, names)
    listed = ", ".join(repr(n) for n in names) or "none"
    raise ValueError(f"Scenario.replace: unknown {what} {token!r} in {key!r}{extra}; "
                     f"{what} names: {listed} (or an index, or '*' for every one)")


def _set(node, parts, value, key, sc):
    head, rest = parts[0], parts[1:]
    if isinstance(node, dict):
        if head not in node:
            extra = did_you_mean(head, list(node))
            raise ValueError(f"Scenario.replace: unknown parameter {key!r}: no field {head!r}"
                             f"{extra}")
        if not rest:
            node[head] = value
            return
        child = node[head]
        if head in ("partners", "instruments", "sources"):
            names = [c["name"] for c in child]
            for i in _index(child, rest[0], key, head.rstrip("s"), names):
                if len(rest) == 1:
                    child[i] = value
                else:
                    _set(child[i], rest[1:], value, key, sc)
            return
        if head in PER_REGIME + ("access_value",) and not isinstance(child, (list, dict)):
            child = node[head] = [child] * len(sc.regime_names)  # a number: one per regime
        if isinstance(child, list):
            regimes = list(sc.regime_names)
            if head in ("provider_value", "revocation_gain", "transition", "names"):
                if len(child) == 1 and len(regimes) > 1 and head != "names":
                    child = node[head] = child * len(regimes)
            for i in _index(child, rest[0], key, "regime", regimes):
                if len(rest) == 1:
                    child[i] = value
                else:
                    _set_list(child[i], rest[1:], value, key, regimes)
            return
        _set(child, rest, value, key, sc)
        return
    raise ValueError(f"Scenario.replace: {key!r} goes below a number")


def _set_list(row, rest, value, key, regimes):
    if not isinstance(row, list):
        raise ValueError(f"Scenario.replace: {key!r} goes below a number")
    for i in _index(row, rest[0], key, "regime", regimes):
        if len(rest) == 1:
            row[i] = value
        else:
            _set_list(row[i], rest[1:], value, key, regimes)

"""A scenario's numbers as arrays, built once and passed down to every revocation solver.

:class:`ScenarioArrays` reads a :class:`~paxgame.Scenario` once: per-partner, per-regime
payoffs, the instruments' per-unit coefficients, the governance and revocation rules. Its
:meth:`~ScenarioArrays.params` turns instrument levels into the exact-state kernel's
parameters (:class:`paxgame.kernels.revocation_exact.ExactParams`), applying the rules that
decide which payments count:

* an enforced instrument's forfeit and compensation always count;
* a self-enforcing (not enforced) instrument never counts under bilateral governance (after a
  wrongful revocation the victim leaves anyway, so nothing makes the provider pay);
* under collective governance partner ``i``'s self-enforcing instruments count in regime ``s``
  when their total forfeit ``sum_j f_j y_ij`` is at most ``delta`` times the provider's
  continuation value from the other partners, ``sum_{k != i} (Pi W_k)(s)``, where
  ``W_k = (I - delta Pi)^-1 (w_k + sum_j (p_j - c_j) y_kj)`` is the provider's value from
  partner ``k`` kept forever; above that bound refusing to pay is cheaper than losing the
  coalition, so none of them counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..kernels import revocation_exact as kx

__all__ = ["ScenarioArrays", "COEFFICIENTS", "REL_TOL"]

#: Per-unit instrument coefficients, in the scenario file's names.
COEFFICIENTS = ("forfeit", "compensation", "carry", "coproduction", "partner_flow")
#: Relative tolerance of every tie (best responses, selection, targets).
REL_TOL = 1e-9


def _per_regime(value, K: int) -> np.ndarray:
    a = np.asarray(value, dtype=float)
    return np.broadcast_to(a, (K,)).astype(float) if a.ndim <= 1 else a


@dataclass(frozen=True, eq=False)
class ScenarioArrays:
    """The numbers of a scenario (see the module docstring for the payment rules).

    Attributes
    ----------
    n, K, J : int
        Partners, regimes, instruments.
    delta : float
    transition : ndarray (K, K)
    start : int
    horizon : int
    access, outside, loss, provider_flow, gain : ndarray (n, K)
        v, o, L, w, G per partner and regime.
    hazard, collateral : ndarray (n,)
    coef : dict of str to ndarray (J,)
        Per-unit instrument coefficients (``forfeit``, ``compensation``, ``carry``,
        ``coproduction``, ``partner_flow``).
    enforced, covers : ndarray (J,) of bool
    cap : ndarray (J,)
    collective, blanket : bool
    precision : float
        Screening precision of the removal of adversaries (0 under blanket revocation).
    partner_names, regime_names, instrument_names : tuple of str
    """

    n: int
    K: int
    J: int
    delta: float
    transition: np.ndarray
    start: int
    horizon: int
    access: np.ndarray
    outside: np.ndarray
    loss: np.ndarray
    provider_flow: np.ndarray
    gain: np.ndarray
    hazard: np.ndarray
    collateral: np.ndarray
    coef: dict
    enforced: np.ndarray
    covers: np.ndarray
    cap: np.ndarray
    collective: bool
    blanket: bool
    precision: float
    partner_names: tuple
    regime_names: tuple
    instrument_names: tuple

    @classmethod
    def from_scenario(cls, sc) -> "ScenarioArrays":
        K = sc.n_regimes
        ps = sc.partners
        ins = sc.instruments
        return cls(
            n=len(ps), K=K, J=len(ins), delta=float(sc.discount),
            transition=np.array(sc.transition, dtype=float), start=sc.start_index,
            horizon=int(sc.horizon),
            access=np.array([_per_regime(p.access_value, K) for p in ps]),
            outside=np.array([_per_regime(p.outside_option, K) for p in ps]),
            loss=np.array([_per_regime(p.revocation_loss, K) for p in ps]),
            provider_flow=np.array([_per_regime(p.provider_value, K) for p in ps]),
            gain=np.array([_per_regime(p.revocation_gain, K) for p in ps]),
            hazard=np.array([p.adversary_hazard for p in ps], dtype=float),
            collateral=np.array([p.collateral_loss for p in ps], dtype=float),
            coef={k: np.array([getattr(i, k) for i in ins], dtype=float)
                  for k in COEFFICIENTS},
            enforced=np.array([bool(i.enforced) for i in ins]),
            covers=np.array([bool(i.covers_collateral) for i in ins]),
            cap=np.array([i.cap for i in ins], dtype=float),
            collective=sc.governance == "collective",
            blanket=sc.revocation == "blanket" and len(ps) > 0,
            precision=0.0 if sc.revocation == "blanket" else float(sc.screening),
            partner_names=sc.partner_names, regime_names=sc.regime_names,
            instrument_names=sc.instrument_names)

    # ------------------------------------------------------------------ scales
    @property
    def kappa(self) -> np.ndarray:
        """(J,) net per-period cost of one unit to the provider: carry - coproduction."""
        return self.coef["carry"] - self.coef["coproduction"]

    def scale(self, levels=None) -> float:
        """The value scale every tolerance is relative to: the largest per-period flow
        (access, outside option, provider flow, instrument flows) over 1 - delta plus the
        largest one-shot payment (revocation loss and gain, collateral loss, forfeit,
        compensation)."""
        flows = [np.abs(a).max(initial=0.0) for a in (self.access, self.outside,
                                                      self.provider_flow)]
        shots = [np.abs(a).max(initial=0.0) for a in (self.loss, self.gain, self.collateral)]
        if levels is not None and self.J:
            lv = np.abs(np.asarray(levels, dtype=float))
            for k in ("carry", "coproduction", "partner_flow"):
                flows.append(float((lv * np.abs(self.coef[k])).sum(axis=1).max(initial=0.0)))
            for k in ("forfeit", "compensation"):
                shots.append(float((lv * np.abs(self.coef[k])).sum(axis=1).max(initial=0.0)))
        top = max(flows) / (1.0 - self.delta) + max(shots)
        return top if top > 0 else 1.0

    def tol(self, levels=None) -> float:
        return REL_TOL * self.scale(levels)

    # ------------------------------------------------------------------ factoring
    @property
    def coupled(self) -> bool:
        """Whether partners interact: collective governance, blanket revocation, or
        collateral outages (some hazard with imperfect screening and a collateral effect)."""
        if self.n == 1:
            return False
        if self.collective or self.blanket:
            return True
        outage = (self.collateral > 0).any() or (self.covers & (self.coef["compensation"] > 0)
                                                 & self.enforced).any()
        return bool((self.hazard > 0).sum() >= 1 and self.precision < 1.0 and outage
                    and self.n > 1)

    def partner(self, i: int) -> "ScenarioArrays":
        """Partner ``i`` alone (valid when the scenario is not coupled)."""
        sel = [i]
        return ScenarioArrays(
            n=1, K=self.K, J=self.J, delta=self.delta, transition=self.transition,
            start=self.start, horizon=self.horizon, access=self.access[sel],
            outside=self.outside[sel], loss=self.loss[sel],
            provider_flow=self.provider_flow[sel], gain=self.gain[sel],
            hazard=self.hazard[sel], collateral=self.collateral[sel], coef=self.coef,
            enforced=self.enforced, covers=self.covers, cap=self.cap,
            collective=self.collective, blanket=False, precision=self.precision,
            partner_names=(self.partner_names[i],), regime_names=self.regime_names,
            instrument_names=self.instrument_names)

    # ------------------------------------------------------------------ payments
    def credible(self, levels) -> np.ndarray:
        """(n, K) bool: whether partner i's self-enforcing instruments count in regime s."""
        y = np.asarray(levels, dtype=float)
        selfe = ~self.enforced
        if not self.collective:
            return np.zeros((self.n, self.K), dtype=bool)
        if not selfe.any():
            return np.ones((self.n, self.K), dtype=bool)
        net = (y * (self.coef["coproduction"] - self.coef["carry"])).sum(axis=1)
        W = np.linalg.solve(np.eye(self.K) - self.delta * self.transition,
                            (self.provider_flow + net[:, None]).T).T
        cont = W @ self.transition.T  # (n, K): (Pi W_k)(s)
        others = cont.sum(axis=0)[None, :] - cont
        owed = (y[:, selfe] * self.coef["forfeit"][selfe]).sum(axis=1)
        return owed[:, None] <= self.delta * others + self.tol(levels)

    def params(self, levels=None, credible=None, exact: bool = False) -> kx.ExactParams:
        """The kernel's parameters at instrument ``levels`` (n, J).

        ``credible`` (n, K) bool overrides the credibility of the self-enforcing instruments
        (default: the rule of the module docstring). With ``exact=True`` every array holds
        :class:`fractions.Fraction` objects (each float read as its exact binary value;
        each transition row divided by its exact sum, so that it sums to exactly 1).
        """
        n, K, J = self.n, self.K, self.J
        y = np.zeros((n, J)) if levels is None else np.asarray(levels, dtype=float)
        cred = self.credible(y) if credible is None else np.asarray(credible, dtype=bool)
        conv = (lambda a: np.vectorize(Fraction, otypes=[object])(np.asarray(a, dtype=float))) \
            if exact else (lambda a: np.asarray(a, dtype=float))
        Y = conv(y)
        c = {k: conv(v) for k, v in self.coef.items()}
        counts = np.empty((n, K, J), dtype=bool)  # does instrument j's payment count
        counts[:] = self.enforced[None, None, :]
        counts |= (~self.enforced)[None, None, :] & cred[:, :, None]
        cnt = counts.astype(int)
        forfeit = (cnt * (Y * c["forfeit"])[:, None, :]).sum(axis=2)
        comp = (cnt * (Y * c["compensation"])[:, None, :]).sum(axis=2)
        ccomp = (cnt * (Y * c["compensation"] * self.covers.astype(int))[:, None, :]).sum(axis=2)
        pflow = (Y * c["partner_flow"]).sum(axis=1)
        net = (Y * (c["coproduction"] - c["carry"])).sum(axis=1)
        one = Fraction(1) if exact else 1.0
        miss = one - conv(self.precision)
        T = conv(self.transition)
        if exact:  # rows stored as floats sum to 1 only up to rounding: make them exact
            T = T / T.sum(axis=1, keepdims=True)
        return kx.ExactParams(
            delta=conv(self.delta)[()], transition=T,
            flow=conv(self.access) + pflow[:, None], outside=conv(self.outside),
            loss=conv(self.loss), provider_flow=conv(self.provider_flow) + net[:, None],
            gain=conv(self.gain), forfeit=forfeit, compensation=comp,
            outage=miss * (ccomp - conv(self.collateral)[:, None]),
            hazard=conv(self.hazard), collective=self.collective, blanket=self.blanket,
            tol=0 if exact else self.tol(y))

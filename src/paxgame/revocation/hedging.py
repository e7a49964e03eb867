"""Hedging across stacks (theory page "The revocation model", Hedging): the partner's CVaR-penalised portfolio of sources."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .._results import Certificate, SolverResult
from .._validation import check_nonnegative, check_probability
from ..games.scenario import MAX_SOURCES
from ..kernels import revocation_exact as kx
from ..games.scenario import Scenario
from ..kernels.bisection import bisect
from ..kernels.lp import solve_lp
from .arrays import ScenarioArrays
from .assurance import minimum_assurance
from .equilibrium import equilibrium_from_arrays

__all__ = ["HedgeResult", "ShareAssuranceResult", "hedge", "assurance_for_share"]


def _no_exact_check(kind: str) -> Certificate:
    """An exact certificate that says no exact check was made (never a silent float one)."""
    return Certificate.from_violations({f"exact_check_unavailable: {kind}": 1}, 0.0,
                                       exact=True)


@dataclass(frozen=True, kw_only=True)
class HedgeResult(SolverResult):
    """A partner's split of dependence across sources.

    Attributes
    ----------
    sources : tuple of str
        The provider's stack first, then the partner's other sources in file order.
    shares : ndarray (sources,)
        x >= 0, summing to 1, each within its cap.
    expected_value : float
        sum_k x_k v_k - E[loss].
    cvar : float
        CVaR_alpha of the loss (the mean of the worst 1 - alpha tail).
    objective : float
        expected_value - risk_aversion * cvar.
    revocation_probability : ndarray (sources,)
    """

    sources: tuple = ()
    shares: np.ndarray = None
    expected_value: float = float("nan")
    cvar: float = float("nan")
    objective: float = float("nan")
    risk_aversion: float = 0.0
    alpha: float = 0.95
    revocation_probability: np.ndarray = None
    access_value: np.ndarray = None
    loss: np.ndarray = None
    caps: np.ndarray = None

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Check feasibility of the shares, recompute E[loss] and CVaR independently of the LP
        and of the sorting that produced them (CVaR as Rockafellar and Uryasev's minimum over
        z of z + E[(loss - z)+] / (1 - alpha)), and check that no single-source corner beats
        the objective (value checks relative to the largest access value or loss).

        ``exact=True``: the shares come from a floating-point LP over float probabilities and
        no rational re-derivation exists; the certificate then fails with the single check
        ``"exact_check_unavailable: CVaR LP"`` instead of claiming an exact check."""
        if exact:
            return _no_exact_check("CVaR LP")
        tol = 1e-7 if tol is None else tol
        x = self.shares
        if x is None or not np.all(np.isfinite(x)):
            return Certificate.from_violations({"shares_finite": 1.0}, tol)
        # value checks are relative to the value scale (largest |v| or |L|), share checks
        # are absolute: the tolerance means the same whatever the unit of value. CVaR is
        # recomputed by Rockafellar and Uryasev's minimisation, not by the sorting that
        # produced it.
        unit = _value_scale(self.access_value, self.loss)
        prob, v, L, alpha = self.revocation_probability, self.access_value, self.loss, self.alpha
        cuts, pw = _scenarios(prob)
        ev = float(x @ v - pw @ (cuts @ (x * L)))
        cv = _cvar_by_minimisation(x, L, prob, alpha)
        obj = ev - self.risk_aversion * cv
        checks = {"sum_to_one": abs(x.sum() - 1), "nonnegative": float(max(0, -x.min())),
                  "caps": float(max(0, np.max(x - self.caps))),
                  "expected_value": abs(ev - self.expected_value) / unit,
                  "cvar": abs(cv - self.cvar) / unit,
                  "objective": abs(obj - self.objective) / unit}
        best_other = -np.inf
        for k in range(len(x)):
            if self.caps[k] >= 1 - 1e-12:
                e = np.zeros(len(x))
                e[k] = 1.0
                ev2 = float(v[k] - pw @ (cuts @ (e * L)))
                best_other = max(best_other,
                                 ev2 - self.risk_aversion * _cvar_by_minimisation(e, L, prob,
                                                                                  alpha))
        checks["no_better_corner"] = float(max(0.0, best_other - obj)) / unit
        return Certificate.from_violations(checks, tol)


def _value_scale(v, L) -> float:
    """The largest access value or loss in absolute value (1 when all are zero)."""
    top = float(max(np.abs(v).max(initial=0.0), np.abs(L).max(initial=0.0)))
    return top if top > 0 else 1.0


def _scenarios(prob):
    """The 2^k joint cut-off scenarios of independent sources and their probabilities."""
    k = len(prob)
    cuts = np.array(list(itertools.product([0, 1], repeat=k)), dtype=float).reshape(-1, k)
    pw = np.prod(np.where(cuts == 1, prob, 1 - prob), axis=1)
    return cuts, pw


def _tail_mean(loss, pw, alpha) -> float:
    """CVaR_alpha of a discrete loss: the mean of the worst ``1 - alpha`` of the probability.

    Losses are sorted from the worst; each atom contributes the part of its probability that
    falls inside the tail (an atom of probability 0 contributes nothing and does not end the
    scan: scenarios with a sure or impossible cut-off have weight 0).
    """
    tail = 1.0 - alpha
    order = np.argsort(-loss, kind="stable")
    w = pw[order]
    upto = np.cumsum(w)
    inside = np.clip(np.minimum(upto, tail) - (upto - w), 0.0, None)
    return float(inside @ loss[order] / tail)


def _evaluate(x, v, L, prob, alpha):
    """Expected value and CVaR of the portfolio ``x`` (CVaR by sorting the losses)."""
    cuts, pw = _scenarios(prob)
    loss = cuts @ (x * L)
    return float(x @ v - pw @ loss), _tail_mean(loss, pw, alpha)


def _cvar_by_minimisation(x, L, prob, alpha) -> float:
    """CVaR by Rockafellar and Uryasev's formula, min over z of z + E[(l - z)+] / (1 - alpha).

    The function of z is convex and piecewise linear with kinks at the losses, so its minimum
    is attained at a loss of positive probability; every such loss is tried. This does not
    sort and shares no code with :func:`_tail_mean`: :meth:`HedgeResult.verify` uses it as
    the independent check (Rockafellar and Uryasev 2000, Theorem 1).
    """
    cuts, pw = _scenarios(prob)
    loss = cuts @ (x * L)
    keep = pw > 0
    loss, pw = loss[keep], pw[keep]
    best = np.inf
    for lo in range(0, loss.size, 512):  # blocks of candidates: memory 512 x scenarios
        z = loss[lo:lo + 512, None]
        val = z[:, 0] + np.maximum(loss[None, :] - z, 0.0) @ pw / (1.0 - alpha)
        best = min(best, float(val.min()))
    return best


def _check_sources(func: str, n_sources: int) -> None:
    if n_sources > MAX_SOURCES:
        raise ValueError(f"{func}: the partner lists {n_sources} sources; at most "
                         f"{MAX_SOURCES} are supported (2^(sources + 1) joint cut-off "
                         f"scenarios are enumerated: {2 ** (MAX_SOURCES + 1)} at the limit)")


def hedge(sc, partner, risk_aversion: float = 0.0, alpha: float = 0.95,
          provider_probability=None) -> HedgeResult:
    """The partner's CVaR-penalised split of dependence across its sources.

    Maximises sum_k x_k v_k - E[l(x)] - lambda CVaR_alpha(l(x)) over x >= 0, sum x = 1,
    x_k <= cap_k, with loss l_w(x) = sum_k r_wk x_k L_k over the 2^k cut scenarios of
    independent sources, CVaR by the Rockafellar-Uryasev linear program (Rockafellar and
    Uryasev 2000), solved with HiGHS.

    Parameters
    ----------
    sc : Scenario
    partner : int or str
    risk_aversion : float
        lambda >= 0.
    alpha : float
        CVaR level in [0, 1).
    provider_probability : float, optional
        The provider's revocation probability within the horizon; by default taken from the
        scenario's partner-best equilibrium (:func:`paxgame.solve`): the chance that a
        partner who keeps depending on the provider is revoked within ``sc.horizon``
        periods, given the equilibrium maintain set.

    Returns
    -------
    HedgeResult

    Examples
    --------
    >>> import paxgame as pg
    >>> sc = pg.load("games/scenarios/plural_dependencies.toml")
    >>> res = pg.hedge(sc, 0, risk_aversion=0.0, alpha=0.9)
    >>> round(float(res.shares.sum()), 6)
    1.0
    """
    if not isinstance(sc, Scenario):
        raise TypeError(f"hedge: sc must be a Scenario, got {type(sc).__name__}")
    try:
        i = sc.partner_index(partner)
    except ValueError as err:
        raise ValueError(f"hedge: {err}") from err
    lam = float(check_nonnegative("hedge", "risk_aversion", risk_aversion))
    alpha = check_probability("hedge", "alpha", alpha)
    if alpha >= 1:
        raise ValueError(f"hedge: alpha must lie in [0, 1), got {alpha}")
    p = sc.partners[i]
    _check_sources("hedge", len(p.sources))
    if provider_probability is None:
        p0 = _provider_probability(sc, i, None)
    else:
        p0 = check_probability("hedge", "provider_probability", provider_probability)
    return _hedge(sc, i, lam, alpha, p0, p.revocation_loss)


def _hedge(sc, i, lam, alpha, p0, L0):
    p = sc.partners[i]
    names = ("provider",) + tuple(s.name for s in p.sources)
    v = np.array([p.access_value] + [s.access_value for s in p.sources])
    L = np.array([max(0.0, L0)] + [s.revocation_loss for s in p.sources])
    prob = np.array([p0] + [s.revocation_probability for s in p.sources])
    caps = np.array([1.0] + [s.cap for s in p.sources])
    k = len(v)
    cuts, pw = _scenarios(prob)
    nw = len(pw)
    # The shares do not depend on the unit of value: the LP is solved on values divided by
    # their scale, so HiGHS's absolute tolerances mean the same at 1e-9 and at 1e9.
    unit = _value_scale(v, L)
    vs, Ls = v / unit, L / unit
    # variables: x (k), zeta, u (nw); minimise -(v x - E l) + lam (zeta + sum p u / (1-a))
    c = np.concatenate([-(vs - (pw @ cuts) * Ls), [lam], lam * pw / (1 - alpha)])
    # sparse: the u block is -I, so memory grows with the scenarios, not their square
    A = sparse.hstack([sparse.csr_matrix(cuts * Ls), sparse.csr_matrix(-np.ones((nw, 1))),
                       -sparse.identity(nw, format="csr")], format="csr")
    b = np.zeros(nw)
    Aeq = np.zeros((1, k + 1 + nw))
    Aeq[0, :k] = 1.0
    bounds = [(0.0, float(cp)) for cp in caps] + [(None, None)] + [(0.0, None)] * nw
    sol = solve_lp(c, A_ub=A, b_ub=b, A_eq=Aeq, b_eq=[1.0], bounds=bounds)
    if not sol.success:
        return HedgeResult(sources=names, shares=np.full(k, np.nan), status=sol.status,
                           message=f"hedge: LP {sol.status}: {sol.message}",
                           risk_aversion=lam, alpha=alpha, revocation_probability=prob,
                           access_value=v, loss=L, caps=caps)
    x = np.clip(sol.x[:k], 0.0, None)
    x = x / x.sum()
    ev, cv = _evaluate(x, v, L, prob, alpha)
    return HedgeResult(sources=names, shares=x, expected_value=ev, cvar=cv,
                       objective=ev - lam * cv, risk_aversion=lam, alpha=alpha,
                       revocation_probability=prob, access_value=v, loss=L, caps=caps,
                       status="optimal", message="CVaR portfolio (Rockafellar-Uryasev LP)")


@dataclass(frozen=True, kw_only=True)
class ShareAssuranceResult(SolverResult):
    """The smallest level of one instrument that lifts the provider's share to a target."""

    level: float = float("nan")
    share: float = float("nan")
    target_share: float = 0.0
    constructible: bool = False
    reason: str = ""
    instrument: str = ""
    hedge: HedgeResult = None
    scenario: object = None
    partner: int = 0
    risk_aversion: float = 0.0
    alpha: float = 0.95

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Recompute the share at the level (must reach the target) and just below it.

        ``exact=True`` is not available (the level is found by bisection on a float LP): the
        certificate fails with the single check ``"exact_check_unavailable: bisection on
        the CVaR LP"``."""
        if exact:
            return _no_exact_check("bisection on the CVaR LP")
        tol = 1e-6 if tol is None else tol
        if not self.constructible:
            return Certificate.from_violations({"nothing_to_check": 0.0}, tol)
        at = _share_at(self.scenario, self.partner, self.instrument_index, self.level,
                       self.risk_aversion, self.alpha)
        checks = {"target_reached": max(0.0, self.target_share - at)}
        if self.level > 0:
            below = _share_at(self.scenario, self.partner, self.instrument_index,
                              self.level * (1 - 1e-4), self.risk_aversion, self.alpha)
            checks["lower_level_falls_short"] = float(below >= self.target_share - 1e-12)
        return Certificate.from_violations(checks, tol)

    @property
    def instrument_index(self) -> int:
        return list(self.scenario.instrument_names).index(self.instrument)


def _provider_probability(sc, i, levels) -> float:
    """Revocation probability within the horizon for a partner that keeps depending on the
    provider: the selected equilibrium's revocation policy, with the partner staying."""
    arrays = ScenarioArrays.from_scenario(sc)
    y = np.zeros((arrays.n, arrays.J)) if levels is None else np.asarray(levels, dtype=float)
    eq = equilibrium_from_arrays(arrays, y)
    for b in eq.blocks:
        if i not in b.members:
            continue
        k = b.members.index(i)
        stay = np.array(b.stay, copy=True)
        stay[:, k, :] = True
        sub = arrays if len(b.members) == arrays.n else arrays.partner(i)
        rev, _, _ = kx.horizon_probabilities(sub.params(y[list(b.members)]), stay, b.revoke,
                                             arrays.start, arrays.horizon)
        return float(rev[k])
    raise ValueError(f"hedge: partner index {i} is not in the scenario")


def _compensation(sc, j) -> float:
    """Instrument j's credible compensation per unit (self-enforcing ones count only under
    collective governance)."""
    ins = sc.instruments[j]
    return float(ins.compensation) if (ins.enforced or sc.governance == "collective") else 0.0


def _share_at(sc, i, j, y, lam, alpha):
    lv = np.zeros((sc.n_partners, len(sc.instruments)))
    lv[i, j] = y
    p0 = _provider_probability(sc, i, lv)
    r = _compensation(sc, j)
    return float(_hedge(sc, i, lam, alpha, p0, sc.partners[i].revocation_loss - r * y)
                 .shares[0])


def assurance_for_share(sc, partner, share: float, risk_aversion: float = 0.0,
                        alpha: float = 0.95, instrument=0, *, xtol: float = 1e-9
                        ) -> ShareAssuranceResult:
    """The smallest level of an instrument that lifts the provider's share to ``share``.

    An instrument at level y lowers the partner's loss on the provider's stack by r y and
    changes the equilibrium revocation probability (through :func:`paxgame.solve`). Both
    effects make the provider's stack weakly more attractive, so the share is non-decreasing
    in y under the regular conditions of :func:`paxgame.solve`; the level is found by
    bisection on a proven bracket: share(0) < target <= share(y_hi), y_hi the level at which
    the provider's stack carries no loss and no revocation risk (the larger of L / r and the
    minimum continuity assurance).

    Examples
    --------
    >>> import paxgame as pg
    >>> sc = pg.load("games/scenarios/plural_dependencies.toml")
    >>> res = pg.assurance_for_share(sc, 0, share=0.6, risk_aversion=1.0, alpha=0.9)
    >>> res.constructible, bool(res.verify())
    (True, True)
    """
    from ..games.scenario import Scenario  # local: games imports nothing of revocation

    if not isinstance(sc, Scenario):
        raise TypeError(f"assurance_for_share: sc must be a Scenario, got {type(sc).__name__}")
    try:
        i = sc.partner_index(partner)
        j = instrument if isinstance(instrument, int) else \
            list(sc.instrument_names).index(instrument)
    except ValueError as err:
        raise ValueError(f"assurance_for_share: {err}") from err
    target = check_probability("assurance_for_share", "share", share)
    lam = float(check_nonnegative("assurance_for_share", "risk_aversion", risk_aversion))
    alpha = check_probability("assurance_for_share", "alpha", alpha)
    name = sc.instrument_names[j]
    common = dict(target_share=target, instrument=name, scenario=sc, partner=i,
                  risk_aversion=lam, alpha=alpha)
    s0 = _share_at(sc, i, j, 0.0, lam, alpha)
    if s0 >= target:
        return ShareAssuranceResult(level=0.0, share=s0, constructible=True, **common,
                                    message="the provider's share already reaches the target")
    r = _compensation(sc, j)
    cont = minimum_assurance(sc, "continuity")
    cands = [sc.partners[i].revocation_loss / r if r > 0 else 0.0]
    if cont.constructible and cont.status == "optimal":
        cands.append(float(np.nansum(cont.levels[i])))
    hi = max(cands)
    cap = sc.instruments[j].cap
    hi = min(hi, cap) if np.isfinite(cap) else hi
    s_hi = _share_at(sc, i, j, hi, lam, alpha)
    if s_hi < target:
        return ShareAssuranceResult(
            level=float("nan"), share=s_hi, constructible=False, **common, status="infeasible",
            reason=f"even at level {hi:.6g} (no loss, no revocation risk or the cap) the "
                   f"provider's share is {s_hi:.6g} < {target:.6g}: the rival sources' value "
                   f"or caps decide", message="not constructible")
    # relative stopping rule: the level's unit is the scenario's unit of value, so an
    # absolute one would stop at once on values of order 1e-9 (the bracket halves at
    # least 200 times at most)
    hi = bisect(lambda y: _share_at(sc, i, j, y, lam, alpha) >= target, 0.0, hi, rtol=xtol,
                max_iter=200).hi
    return ShareAssuranceResult(level=float(hi), share=_share_at(sc, i, j, hi, lam, alpha),
                                constructible=True, **common,
                                message="bisection on the proven bracket [0, y_hi]")

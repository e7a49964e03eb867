"""Hedging across stacks (theory page "The revocation model", Hedging): the partner's
CVaR-penalised portfolio of sources, in one unit (discounted value over the horizon) and in
equilibrium with the provider's revocation policy."""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from scipy import sparse

from .._results import Certificate, SolverResult
from .._validation import check_method, check_nonnegative, check_probability, nearest
from ..games.scenario import MAX_SOURCES, Scenario
from ..kernels import revocation_exact as kx
from ..kernels.bisection import bisect
from ..kernels.lp import solve_lp
from .arrays import ScenarioArrays, _per_regime
from .assurance import TARGETS, AssuranceResult, minimum_assurance

__all__ = ["HedgeResult", "ShareAssuranceResult", "PolicyComparison", "hedge",
           "assurance_for_share", "hedge_policies", "evaluate_policies", "POLICIES",
           "POLICY_FIELDS"]


def _no_exact_check(kind: str) -> Certificate:
    """An exact certificate that says no exact check was made (never a silent float one)."""
    return Certificate.from_violations({f"exact_check_unavailable: {kind}": 1}, 0.0,
                                       exact=True)


@dataclass(frozen=True, kw_only=True)
class HedgeResult(SolverResult):
    """A partner's split of dependence across sources, in one unit: discounted value over
    the scenario's horizon.

    Attributes
    ----------
    sources : tuple of str
        The provider's stack first, then the partner's other sources in file order.
    shares : ndarray (sources,)
        x >= 0, summing to 1, each within its cap.
    expected_value : float
        sum_k x_k B_k + b - E[loss(x)]: the expected discounted service over the horizon net
        of the expected discounted cut costs.
    cvar : float
        CVaR_alpha of the loss (the mean of the worst 1 - alpha tail).
    objective : float
        expected_value - risk_aversion * cvar.
    revocation_probability : ndarray (sources,)
        Each source's probability of a cut within the horizon (the provider's from the
        revocation equilibrium at the chosen share and levels).
    value : ndarray (sources,)
        B_k: the discounted service of a whole unit of source k over the horizon, uncut.
    loss : ndarray (sources,)
        Each source's one-time cut cost L_k (the provider's: the partner's revocation loss
        in the start regime, for reference; the table uses the regime of the cut).
    caps : ndarray (sources,)
    cut_table : ndarray (scenarios, sources) of 0/1
        The joint cut events (the provider's stack independent of the others).
    scenario_probability : ndarray (scenarios,)
    cut_cost : ndarray (scenarios, sources)
        The expected discounted cost of a cut of one unit of source k in each scenario
        (one-time cost and the lost service to the end of the horizon).
    loss_constant : ndarray (scenarios,)
        Share-independent part of each scenario's loss (instrument flows lost on a cut
        minus the compensation paid).
    value_constant : float
        Share-independent discounted value (the instruments' partner flows over the
        horizon).
    in_equilibrium : bool
        Whether the provider's revocation policy was recomputed at the chosen share (the
        share scales the provider's flow from the partner and the partner's loss).
    thresholds : ndarray
        Shares of the provider's stack at which its revocation equilibrium changes (found
        on [0, 1] to 1e-12).
    provider_value, provider_cost : float
        The provider's discounted value from the partner over the horizon (flows while it
        keeps the partner, gain net of forfeit on a revocation) and its instruments' net
        cost over the horizon (carry minus co-production while it keeps the partner, plus
        forfeits paid), at the chosen share.
    levels : ndarray (partners, instruments)
        Instrument levels in force.
    """

    sources: tuple = ()
    shares: np.ndarray = None
    expected_value: float = float("nan")
    cvar: float = float("nan")
    objective: float = float("nan")
    risk_aversion: float = 0.0
    alpha: float = 0.95
    revocation_probability: np.ndarray = None
    value: np.ndarray = None
    loss: np.ndarray = None
    caps: np.ndarray = None
    cut_table: np.ndarray = None
    scenario_probability: np.ndarray = None
    cut_cost: np.ndarray = None
    loss_constant: np.ndarray = None
    value_constant: float = 0.0
    in_equilibrium: bool = False
    thresholds: np.ndarray = None
    provider_value: float = float("nan")
    provider_cost: float = float("nan")
    levels: np.ndarray = None
    partner: int = 0
    optimised: bool = True
    scenario: object = field(default=None, repr=False)

    @property
    def access_value(self) -> np.ndarray:
        """Alias of :attr:`value` (the discounted service of each source)."""
        return self.value

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Check feasibility of the shares, recompute E[loss] and CVaR from the scenario
        table independently of the LP and of the sorting that produced them (CVaR as
        Rockafellar and Uryasev's minimum over z of z + E[(loss - z)+] / (1 - alpha)), check
        that no single-source corner beats the objective, and, in equilibrium, recompute
        the provider's revocation equilibrium at the chosen share (its cut probability and
        costs must equal the table's) and check that no provider share on a grid of 21
        (equilibrium recomputed at each, the other shares re-optimised) beats the objective.
        Value checks are relative to the value scale.

        ``exact=True``: the shares come from a floating-point LP over float probabilities and
        no rational re-derivation exists; the certificate then fails with the single check
        ``"exact_check_unavailable: CVaR LP"`` instead of claiming an exact check."""
        if exact:
            return _no_exact_check("CVaR LP")
        tol = 1e-7 if tol is None else tol
        x = self.shares
        if x is None or not np.all(np.isfinite(x)):
            return Certificate.from_violations({"shares_finite": 1.0}, tol)
        tab = _Table(self.cut_table, self.scenario_probability, self.cut_cost,
                     self.loss_constant, self.value, self.value_constant)
        unit = _value_scale(tab)
        ev, cv = _evaluate(tab, x, self.alpha, by_minimisation=True)
        obj = ev - self.risk_aversion * cv
        checks = {"sum_to_one": abs(x.sum() - 1), "nonnegative": float(max(0, -x.min())),
                  "caps": float(max(0, np.max(x - self.caps))),
                  "expected_value": abs(ev - self.expected_value) / unit,
                  "cvar": abs(cv - self.cvar) / unit,
                  "objective": abs(obj - self.objective) / unit}
        if not self.optimised:  # given shares (a policy without hedge): no optimality check
            if self.in_equilibrium:
                ctx = _Context.build(self.scenario, self.partner, self.levels)
                row = ctx.provider_row(float(x[0]))
                again = None if row is None else ctx.table(row)
                checks["equilibrium_at_share"] = 1.0 if again is None else float(max(
                    np.abs(again.prob - tab.prob).max(initial=0.0),
                    np.abs(again.cost - tab.cost).max(initial=0.0) / unit))
            return Certificate.from_violations(checks, tol)
        if not self.in_equilibrium:
            best_other = -np.inf
            for k in range(len(x)):
                if self.caps[k] >= 1 - 1e-12:
                    e = np.zeros(len(x))
                    e[k] = 1.0
                    ev2, cv2 = _evaluate(tab, e, self.alpha, by_minimisation=True)
                    best_other = max(best_other, ev2 - self.risk_aversion * cv2)
            checks["no_better_corner"] = float(max(0.0, best_other - obj)) / unit
            return Certificate.from_violations(checks, tol)
        ctx = _Context.build(self.scenario, self.partner, self.levels)
        row = ctx.provider_row(float(x[0]))
        if row is None:
            checks["equilibrium_at_share"] = 1.0
            return Certificate.from_violations(checks, tol)
        again = ctx.table(row)
        checks["equilibrium_at_share"] = float(max(
            np.abs(again.prob - tab.prob).max(initial=0.0),
            np.abs(again.cost - tab.cost).max(initial=0.0) / unit,
            np.abs(again.const - tab.const).max(initial=0.0) / unit))
        best = -np.inf
        for share in np.linspace(0.0, 1.0, 21):
            r = ctx.provider_row(float(share))
            if r is None:
                continue
            sol = _solve_piece(ctx.table(r), self.caps, self.risk_aversion, self.alpha,
                               float(share), float(share))
            if sol is not None:
                best = max(best, sol[1])
        checks["no_better_share_on_grid"] = float(max(0.0, best - obj)) / unit
        return Certificate.from_violations(checks, tol)


class _Table(NamedTuple):
    """The hedge's scenario table: cuts (W, k), probabilities (W,), per-unit cut costs
    (W, k), constant losses (W,), per-unit values (k,), constant value."""

    cuts: np.ndarray
    prob: np.ndarray
    cost: np.ndarray
    const: np.ndarray
    value: np.ndarray
    value_const: float


def _value_scale(tab: _Table) -> float:
    """The largest value or cut cost in absolute value (1 when all are zero)."""
    top = float(max(np.abs(tab.value).max(initial=0.0), np.abs(tab.cost).max(initial=0.0),
                    np.abs(tab.const).max(initial=0.0), abs(tab.value_const)))
    return top if top > 0 else 1.0


def _losses(tab: _Table, x) -> np.ndarray:
    return (tab.cuts * tab.cost) @ x + tab.const


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


def _cvar_by_minimisation(loss, pw, alpha) -> float:
    """CVaR by Rockafellar and Uryasev's formula, min over z of z + E[(l - z)+] / (1 - alpha).

    The function of z is convex and piecewise linear with kinks at the losses, so its minimum
    is attained at a loss of positive probability; every such loss is tried. This does not
    sort and shares no code with :func:`_tail_mean`: :meth:`HedgeResult.verify` uses it as
    the independent check (Rockafellar and Uryasev 2000, Theorem 1).
    """
    keep = pw > 0
    loss, pw = loss[keep], pw[keep]
    best = np.inf
    for lo in range(0, loss.size, 512):  # blocks of candidates: memory 512 x scenarios
        z = loss[lo:lo + 512, None]
        val = z[:, 0] + np.maximum(loss[None, :] - z, 0.0) @ pw / (1.0 - alpha)
        best = min(best, float(val.min()))
    return best


def _evaluate(tab: _Table, x, alpha, by_minimisation=False):
    """Expected value and CVaR of the portfolio ``x``."""
    loss = _losses(tab, x)
    ev = float(x @ tab.value + tab.value_const - tab.prob @ loss)
    cv = _cvar_by_minimisation(loss, tab.prob, alpha) if by_minimisation else \
        _tail_mean(loss, tab.prob, alpha)
    return ev, cv


def _check_sources(func: str, n_sources: int) -> None:
    if n_sources > MAX_SOURCES:
        raise ValueError(f"{func}: the partner lists {n_sources} sources; at most "
                         f"{MAX_SOURCES} are supported (2^(sources + 1) joint cut-off "
                         f"scenarios are enumerated: {2 ** (MAX_SOURCES + 1)} at the limit)")


# --------------------------------------------------------------------------- one unit

def _regime_path(arrays: ScenarioArrays) -> np.ndarray:
    """(H, K): the regime distribution in periods 1..H from the start regime."""
    H, K = arrays.horizon, arrays.K
    out = np.zeros((H, K))
    m = np.zeros(K)
    m[arrays.start] = 1.0
    for t in range(H):
        m = m @ arrays.transition
        out[t] = m
    return out


def _service_to_end(arrays: ScenarioArrays, flow) -> np.ndarray:
    """(H, K): D[t, s], the discounted service of ``flow`` (K,) from period t + 1 in regime s
    to the end of the horizon, discounted to that period."""
    H = arrays.horizon
    D = np.zeros((H, arrays.K))
    nxt = np.zeros(arrays.K)
    for t in range(H - 1, -1, -1):
        D[t] = flow + arrays.delta * (arrays.transition @ nxt)
        nxt = D[t]
    return D


def _hazard_timing(prob: float, H: int) -> np.ndarray:
    """(H,): the period of a cut given that it happens within H, for a constant per-period
    hazard h with 1 - (1 - h)^H = prob."""
    if prob <= 0:
        return np.zeros(H)
    if prob >= 1:
        out = np.zeros(H)
        out[0] = 1.0
        return out
    h = 1.0 - (1.0 - prob) ** (1.0 / H)
    w = h * (1.0 - h) ** np.arange(H)
    return w / w.sum()


def _source_cost(arrays, path, timing, L, v) -> float:
    """Expected discounted cost of a cut of one unit of a source with timing (H,): the
    one-time cost L and the service v (K,) lost to the end of the horizon."""
    D = _service_to_end(arrays, v)
    disc = arrays.delta ** np.arange(arrays.horizon)
    lost = np.einsum("tk,tk->t", path, D)  # regime of the cut period: unconditional
    return float(timing @ (disc * (L + lost)))


class _ProviderRow(NamedTuple):
    prob: float          # cut (revocation) probability within H
    cost: float          # per unit share, given the cut (expected, discounted)
    const: float         # share-independent loss given the cut
    value: float         # B_0 per unit share
    value_const: float   # discounted instrument partner flows, uncut
    provider_value: float
    provider_cost: float
    signature: bytes


@dataclass
class _Context:
    """A partner's hedging problem at given instrument levels."""

    sc: object
    arrays: ScenarioArrays
    i: int
    y: np.ndarray
    names: tuple
    caps: np.ndarray
    other: _Table          # the other sources' events (without the provider's column)
    L0: float
    cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, sc, i, levels):
        arrays = ScenarioArrays.from_scenario(sc)
        y = np.zeros((arrays.n, arrays.J)) if levels is None else \
            np.asarray(levels, dtype=float)
        p = sc.partners[i]
        names = ("provider",) + tuple(s.name for s in p.sources)
        caps = np.array([1.0] + [s.cap for s in p.sources])
        path = _regime_path(arrays)
        disc = arrays.delta ** np.arange(arrays.horizon)
        m = len(p.sources)
        vals = np.array([float(disc @ (path @ _per_regime(s.access_value, arrays.K)))
                         for s in p.sources])
        if sc.hedge_events:
            rows, probs = [], []
            for e in sc.hedge_events:
                if e.probability > 0:
                    rows.append([1.0 if s.name in e.cuts else 0.0 for s in p.sources])
                    probs.append(e.probability)
            rest = 1.0 - float(np.sum(probs))
            cuts = np.array(rows + [[0.0] * m]).reshape(len(rows) + 1, m)
            prob = np.array(probs + [max(0.0, rest)])
            cost = np.zeros_like(cuts)
            for w in range(len(probs)):
                timing = _hazard_timing(probs[w], arrays.horizon)
                for k, s in enumerate(p.sources):
                    if cuts[w, k]:
                        cost[w, k] = _source_cost(arrays, path, timing, s.revocation_loss,
                                                  _per_regime(s.access_value, arrays.K))
        else:
            pk = np.array([s.revocation_probability for s in p.sources], dtype=float)
            cuts = np.array(list(itertools.product([0, 1], repeat=m)),
                            dtype=float).reshape(2 ** m, m)
            prob = np.prod(np.where(cuts == 1, pk, 1 - pk), axis=1)
            per = np.array([_source_cost(arrays, path,
                                         _hazard_timing(s.revocation_probability,
                                                        arrays.horizon),
                                         s.revocation_loss,
                                         _per_regime(s.access_value, arrays.K))
                            for s in p.sources])
            cost = cuts * per[None, :]
        other = _Table(cuts, prob, cost, np.zeros(len(prob)), vals, 0.0)
        L0 = float(_per_regime(p.revocation_loss, arrays.K)[arrays.start])
        return cls(sc, arrays, i, y, names, caps, other, L0)

    def at_share(self, x: float) -> ScenarioArrays:
        """The scenario's arrays with the provider's stack at share x for partner i: the
        provider's flow from i and i's loss scaled by x, i's flow o + x (v - o)."""
        a = self.arrays
        i = self.i
        access, loss, w = a.access.copy(), a.loss.copy(), a.provider_flow.copy()
        access[i] = a.outside[i] + x * (a.access[i] - a.outside[i])
        loss[i] = x * a.loss[i]
        w[i] = x * a.provider_flow[i]
        return dataclasses.replace(a, access=access, loss=loss, provider_flow=w)

    def _solve(self, x: float):
        """(sub-arrays, partner index in them, params, kernel solution) at share x."""
        if x in self.cache:
            return self.cache[x]
        a = self.at_share(x)
        i = self.i
        # partners that do not interact play separate games: partner i's alone decides
        sub, k, ys = (a, i, self.y) if a.n == 1 or a.coupled else \
            (a.partner(i), 0, self.y[[i]])
        prm = sub.params(ys)
        out = self.cache[x] = (sub, k, prm, kx.solve(prm))
        return out

    def signature(self, x: float):
        """What decides the provider's stack at share x: the equilibrium profile and the
        credible payments (None without a pure equilibrium)."""
        sub, k, prm, sol = self._solve(x)
        if sol.status != "optimal":
            return None
        return (sol.stay.tobytes() + sol.revoke.tobytes()
                + np.asarray(prm.compensation[k], dtype=float).tobytes()
                + np.asarray(prm.forfeit[k], dtype=float).tobytes())

    def provider_row(self, x: float) -> _ProviderRow | None:
        """The provider's stack at share x: its cut probability and per-unit costs from the
        revocation equilibrium (the partner depending on it: staying at its own decisions),
        or None when the scenario has no pure equilibrium there."""
        sub, k, prm, sol = self._solve(x)
        if sol.status != "optimal":
            return None
        i = self.i
        a = sub
        stay = np.array(sol.stay, copy=True)
        stay[:, k, :] = True
        kept, rev = kx.partner_timeline(prm, stay, sol.revoke, a.start, a.horizon, k)
        base = self.arrays
        disc = base.delta ** np.arange(base.horizon)
        v = base.access[i]
        pflow = float(prm.flow[k, 0] - sub.access[k, 0])  # instrument partner flows
        D = _service_to_end(base, v)
        Dc = _service_to_end(base, np.full(base.K, pflow))
        L = base.loss[i]
        comp = np.asarray(prm.compensation[k], dtype=float)
        forfeit = np.asarray(prm.forfeit[k], dtype=float)
        p0 = float(rev.sum())
        per_cut = disc[:, None] * (L[None, :] + D)
        const_cut = disc[:, None] * (Dc - comp[None, :])
        cost = float((rev * per_cut).sum() / p0) if p0 > 0 else 0.0
        const = float((rev * const_cut).sum() / p0) if p0 > 0 else 0.0
        path = _regime_path(base)
        value = float(disc @ (path @ v))
        value_const = float(disc @ path.sum(axis=1)) * pflow
        net = float(prm.provider_flow[k, 0] - sub.provider_flow[k, 0])  # p - c per period
        gain = np.asarray(prm.gain[k], dtype=float)
        prov = float(disc @ (kept @ (x * base.provider_flow[i] + net)
                             + rev @ (gain - forfeit)))
        pcost = float(disc @ (kept.sum(axis=1) * -net + rev @ forfeit))
        return _ProviderRow(p0, cost, const, value, value_const, prov, pcost,
                            self.signature(x))

    def fixed_row(self, p0: float) -> _ProviderRow:
        """The provider's stack with a given cut probability (constant hazard timing), the
        partner's loss and flows as in the scenario, no equilibrium feedback."""
        base = self.arrays
        path = _regime_path(base)
        disc = base.delta ** np.arange(base.horizon)
        v = base.access[self.i]
        timing = _hazard_timing(p0, base.horizon)
        D = _service_to_end(base, v)
        # the one-time loss in the regime of the cut (unconditional regime distribution)
        cost = float(timing @ (disc * np.einsum("tk,tk->t", path,
                                                base.loss[self.i][None, :] + D)))
        value = float(disc @ (path @ v))
        return _ProviderRow(p0, cost, 0.0, value, 0.0, float("nan"), float("nan"), b"")

    def table(self, row: _ProviderRow) -> _Table:
        """The joint table: the provider's cut (independent) times the other events."""
        o = self.other
        W, m = o.cuts.shape
        cuts = np.zeros((2 * W, m + 1))
        cuts[:W, 1:] = o.cuts
        cuts[W:, 1:] = o.cuts
        cuts[W:, 0] = 1.0
        prob = np.concatenate([o.prob * (1 - row.prob), o.prob * row.prob])
        cost = np.zeros_like(cuts)
        cost[:W, 1:] = o.cost
        cost[W:, 1:] = o.cost
        cost[W:, 0] = row.cost
        const = np.concatenate([np.zeros(W), np.full(W, row.const)])
        keep = prob > 0
        return _Table(cuts[keep], prob[keep], cost[keep], const[keep],
                      np.concatenate([[row.value], o.value]), row.value_const)


def _solve_piece(tab: _Table, caps, lam, alpha, lo, hi):
    """(shares, objective) of the CVaR LP with the provider's share in [lo, hi], or None.

    Variables x (k), zeta, u (W); maximise x B + b - E[l(x)] - lam (zeta + sum p u /
    (1 - alpha)) subject to u >= l(x) - zeta, u >= 0 (Rockafellar and Uryasev 2000)."""
    k = tab.cuts.shape[1]
    nw = len(tab.prob)
    unit = _value_scale(tab)
    A_cost = tab.cuts * tab.cost / unit
    c = np.concatenate([-(tab.value / unit - tab.prob @ A_cost), [lam],
                        lam * tab.prob / (1 - alpha)])
    A = sparse.hstack([sparse.csr_matrix(A_cost), sparse.csr_matrix(-np.ones((nw, 1))),
                       -sparse.identity(nw, format="csr")], format="csr")
    b = -tab.const / unit
    Aeq = np.zeros((1, k + 1 + nw))
    Aeq[0, :k] = 1.0
    bounds = [(max(0.0, lo), min(1.0, hi))] + [(0.0, float(cp)) for cp in caps[1:]] + \
        [(None, None)] + [(0.0, None)] * nw
    sol = solve_lp(c, A_ub=A, b_ub=b, A_eq=Aeq, b_eq=[1.0], bounds=bounds)
    if not sol.success:
        return None
    x = np.clip(sol.x[:k], 0.0, None)
    x[0] = min(max(x[0], lo), hi)
    x = x / x.sum()
    ev, cv = _evaluate(tab, x, alpha)
    return x, ev - lam * cv


def _pieces(ctx: _Context, grid: int = 16, xtol: float = 1e-12):
    """[(lo, hi, row)] covering [0, 1]: the provider's share intervals on which its
    revocation equilibrium is the same, and the thresholds between them.

    The shares 0, 1/grid, ..., 1 are solved; where two neighbours differ the change is
    located by bisection to ``xtol`` (recursively, so several changes between neighbours
    are all found when the middle differs from both ends)."""
    sig = ctx.signature

    points = [j / grid for j in range(grid + 1)]
    cuts = []  # (a, b): a change between a and b, b - a <= xtol

    def split(a, b):
        if sig(a) == sig(b):
            return
        if b - a <= xtol:
            cuts.append((a, b))
            return
        mid = 0.5 * (a + b)
        split(a, mid)
        split(mid, b)

    for a, b in zip(points[:-1], points[1:]):
        split(a, b)
    edges = [0.0] + [c for ab in cuts for c in ab] + [1.0]
    pieces = []
    for lo, hi in zip(edges[0::2], edges[1::2]):
        pieces.append((lo, hi, ctx.provider_row(lo)))
    return pieces, np.array([0.5 * (a + b) for a, b in cuts])


def hedge(sc, partner, risk_aversion: float | None = None, alpha: float | None = None,
          provider_probability=None, *, levels=None, equilibrium: bool = True) -> HedgeResult:
    """The partner's CVaR-penalised split of dependence across its sources, in equilibrium.

    Every quantity is in one unit: discounted value over the scenario's horizon H. Source k
    serves v_k per period (a number or one per regime) until it is cut; a cut costs L_k
    once and the lost service to the end of the horizon. The other sources' cuts come from
    the scenario's joint table of cut events (each event at a constant per-period hazard
    matching its probability within H) or, by default, are independent; the provider's
    stack is cut when the provider revokes the partner in the revocation equilibrium
    (exact-state model, the partner depending on the stack), independently of the others.

    In equilibrium (the default) the share x_P on the provider's stack scales the provider's
    flow from the partner (w x_P) and the partner's loss (L x_P; its flow is o + x_P (v - o)),
    so the provider's revocation policy depends on x_P. It changes at finitely many
    thresholds, located by bisection to 1e-12 from a grid of 17 shares; between them the
    problem is one linear program: maximise sum_k x_k B_k - E[l(x)] - lambda CVaR_alpha(l(x))
    over x >= 0, sum x = 1, x_k <= cap_k, x_P in the interval, CVaR by the
    Rockafellar-Uryasev linear program (Rockafellar and Uryasev 2000), solved with HiGHS.
    The best of the intervals is returned.

    Parameters
    ----------
    sc : Scenario
    partner : int or str
    risk_aversion : float, optional
        lambda >= 0 (default: the scenario's ``[hedge]`` value).
    alpha : float, optional
        CVaR level in [0, 1) (default: the scenario's).
    provider_probability : float, optional
        A given revocation probability of the provider's stack within the horizon (constant
        hazard timing, no equilibrium feedback); by default it comes from the equilibrium.
    levels : array_like (partners, instruments), optional
        Instrument levels in force (default none).
    equilibrium : bool
        Recompute the provider's policy at every share (default); False takes it at the
        share 1 (the partner fully dependent).

    Returns
    -------
    HedgeResult

    Examples
    --------
    >>> import paxgame as pg
    >>> sc = pg.load("games/scenarios/plural_dependencies.toml")
    >>> res = pg.hedge(sc, 0, risk_aversion=0.0, alpha=0.9)
    >>> round(float(res.shares.sum()), 6), bool(res.verify())
    (1.0, True)
    """
    if not isinstance(sc, Scenario):
        raise TypeError(f"hedge: sc must be a Scenario, got {type(sc).__name__}")
    try:
        i = sc.partner_index(partner)
    except ValueError as err:
        raise ValueError(f"hedge: {err}") from err
    lam = sc.risk_aversion if risk_aversion is None else risk_aversion
    lam = float(check_nonnegative("hedge", "risk_aversion", lam))
    alpha = check_probability("hedge", "alpha", sc.cvar_level if alpha is None else alpha)
    if alpha >= 1:
        raise ValueError(f"hedge: alpha must lie in [0, 1), got {alpha}")
    _check_sources("hedge", len(sc.partners[i].sources))
    y = _levels("hedge", sc, levels)
    ctx = _Context.build(sc, i, y)
    if provider_probability is not None:
        p0 = check_probability("hedge", "provider_probability", provider_probability)
        return _fixed(ctx, ctx.fixed_row(p0), lam, alpha)
    if not equilibrium:
        row = ctx.provider_row(1.0)
        if row is None:
            return _failed(ctx, lam, alpha, "no_pure_equilibrium",
                           "hedge: the scenario has no pure equilibrium at share 1")
        return _fixed(ctx, row, lam, alpha)
    return _hedge_in_equilibrium(ctx, lam, alpha)


def _levels(func, sc, levels):
    n, J = sc.n_partners, len(sc.instruments)
    if levels is None:
        return np.zeros((n, J))
    y = np.asarray(levels, dtype=float)
    if y.shape != (n, J) or not np.isfinite(y).all() or (y < 0).any():
        raise ValueError(f"{func}: levels must be a non-negative finite array of shape "
                         f"({n}, {J}) (partners, instruments), got {np.shape(levels)}")
    return y


def _result(ctx, tab, x, lam, alpha, row, *, in_eq, thresholds, status="optimal",
            message=""):
    ev, cv = _evaluate(tab, x, alpha)
    marg = tab.prob @ tab.cuts
    return HedgeResult(
        sources=ctx.names, shares=x, expected_value=ev, cvar=cv, objective=ev - lam * cv,
        risk_aversion=lam, alpha=alpha, revocation_probability=marg, value=tab.value,
        loss=np.array([ctx.L0] + [s.revocation_loss for s in ctx.sc.partners[ctx.i].sources]),
        caps=ctx.caps, cut_table=tab.cuts, scenario_probability=tab.prob, cut_cost=tab.cost,
        loss_constant=tab.const, value_constant=tab.value_const, in_equilibrium=in_eq,
        thresholds=np.asarray(thresholds, dtype=float), provider_value=row.provider_value,
        provider_cost=row.provider_cost, levels=ctx.y, partner=ctx.i, scenario=ctx.sc,
        status=status, message=message)


def _failed(ctx, lam, alpha, status, message):
    k = len(ctx.names)
    return HedgeResult(sources=ctx.names, shares=np.full(k, np.nan), status=status,
                       message=message, risk_aversion=lam, alpha=alpha, caps=ctx.caps,
                       levels=ctx.y, partner=ctx.i, scenario=ctx.sc,
                       thresholds=np.zeros(0))


def _corner(ctx, lam, alpha):
    """Everything on the provider's stack (no hedge), its policy at share 1."""
    row = ctx.provider_row(1.0)
    if row is None:
        return _failed(ctx, lam, alpha, "no_pure_equilibrium",
                       "hedge: the scenario has no pure equilibrium at share 1")
    tab = ctx.table(row)
    x = np.zeros(len(ctx.names))
    x[0] = 1.0
    res = _result(ctx, tab, x, lam, alpha, row, in_eq=True, thresholds=(),
                  message="no hedge: every need on the provider's stack")
    return dataclasses.replace(res, optimised=False)


def _fixed(ctx, row, lam, alpha):
    tab = ctx.table(row)
    sol = _solve_piece(tab, ctx.caps, lam, alpha, 0.0, 1.0)
    if sol is None:
        return _failed(ctx, lam, alpha, "inaccurate", "hedge: the CVaR LP failed")
    return _result(ctx, tab, sol[0], lam, alpha, row, in_eq=False, thresholds=(),
                   message="CVaR portfolio (Rockafellar-Uryasev LP) at a given revocation "
                           "policy")


def _hedge_in_equilibrium(ctx, lam, alpha):
    pieces, thresholds = _pieces(ctx)
    best = None
    for lo, hi, row in pieces:
        if row is None:
            continue
        tab = ctx.table(row)
        sol = _solve_piece(tab, ctx.caps, lam, alpha, lo, hi)
        if sol is None:
            continue
        if best is None or sol[1] > best[1] + 1e-12 * _value_scale(tab):
            best = (sol[0], sol[1], tab, row)
    if best is None:
        return _failed(ctx, lam, alpha, "no_pure_equilibrium",
                       "hedge: no share of the provider's stack has a pure equilibrium")
    x, _, tab, row = best
    at = ctx.provider_row(float(x[0]))  # the provider's value is linear in the share
    if at is None or at.signature != row.signature:
        return dataclasses.replace(
            _result(ctx, tab, x, lam, alpha, row, in_eq=True, thresholds=thresholds),
            status="uncertified", message="hedge: the equilibrium at the chosen share "
                                          "differs from its interval's (a threshold)")
    return _result(ctx, tab, x, lam, alpha, at, in_eq=True, thresholds=thresholds,
                   message=f"CVaR portfolio in equilibrium: {len(pieces)} interval(s) of the "
                           f"provider's share, one Rockafellar-Uryasev LP each")


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


def _share_at(sc, i, j, y, lam, alpha):
    """The provider's share in the partner's hedge in equilibrium with instrument j of
    partner i at level y."""
    lv = np.zeros((sc.n_partners, len(sc.instruments)))
    lv[i, j] = y
    res = hedge(sc, i, lam, alpha, levels=lv)
    return float(res.shares[0]) if res.status == "optimal" else float("nan")


def _compensation(sc, j) -> float:
    """Instrument j's credible compensation per unit (self-enforcing ones count only under
    collective governance)."""
    ins = sc.instruments[j]
    return float(ins.compensation) if (ins.enforced or sc.governance == "collective") else 0.0


def assurance_for_share(sc, partner, share: float, risk_aversion: float = 0.0,
                        alpha: float = 0.95, instrument=0, *, xtol: float = 1e-9
                        ) -> ShareAssuranceResult:
    """The smallest level of an instrument that lifts the provider's share to ``share``.

    An instrument at level y lowers the partner's loss on the provider's stack by r y and
    changes the provider's revocation policy at every share (the partner's hedge is solved
    in equilibrium, :func:`hedge`). The share need not be monotone in y: the partner may sit
    at the threshold share that keeps the provider from revoking, and a larger forfeit lowers
    that threshold. The level is the first crossing of the target on 17 levels in
    [0, y_hi], refined by bisection; y_hi is the level at which the provider's stack carries
    no loss and no revocation risk at any share (the larger of max L / r and max G / f).
    :meth:`ShareAssuranceResult.verify` checks the target at the level and its failure just
    below.

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
    f = float(sc.instruments[j].forfeit) if (sc.instruments[j].enforced
                                             or sc.governance == "collective") else 0.0
    cands = [float(np.max(sc.partners[i].revocation_loss)) / r if r > 0 else 0.0,
             float(np.max(sc.partners[i].revocation_gain)) / f if f > 0 else 0.0]
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
    # the share is not monotone in the level in equilibrium (the partner may sit at the
    # threshold share that keeps the provider from revoking, and a larger forfeit lowers that
    # threshold): the first crossing on a grid of levels, then bisection inside it
    grid = np.linspace(0.0, hi, 17)
    lo = 0.0
    for a, b in zip(grid[:-1], grid[1:]):
        if _share_at(sc, i, j, b, lam, alpha) >= target:
            lo, hi = a, b
            break
    # relative stopping rule: the level's unit is the scenario's unit of value, so an
    # absolute one would stop at once on values of order 1e-9 (the bracket halves at
    # least 200 times at most)
    hi = bisect(lambda y: _share_at(sc, i, j, y, lam, alpha) >= target, lo, hi, rtol=xtol,
                max_iter=200).hi
    return ShareAssuranceResult(level=float(hi), share=_share_at(sc, i, j, hi, lam, alpha),
                                constructible=True, **common,
                                message="first crossing on 17 levels in [0, y_hi], then "
                                        "bisection")


# --------------------------------------------------------------------------- four policies

#: The four policies of the comparison, in table order.
POLICIES = ("none", "hedge", "assurance", "both")
_LABELS = {"none": "no hedge, no assurance", "hedge": "hedge only",
           "assurance": "minimum assurance only", "both": "hedge and assurance"}
#: Per-policy fields of :class:`PolicyComparison` (and of the sweep quantities).
POLICY_FIELDS = ("share", "partner_value", "expected_value", "cvar", "provider_value",
                 "provider_cost", "revocation_probability")


@dataclass(frozen=True, kw_only=True)
class PolicyComparison(SolverResult):
    """Plural dependence against assurance: four policies in one unit (discounted value
    over the horizon), one row each (order of :data:`POLICIES`).

    Attributes
    ----------
    policies, labels : tuple of str
    share : ndarray (4,)
        The partner's share on the provider's stack.
    shares : ndarray (4, sources)
    partner_value : ndarray (4,)
        The partner's objective: expected value minus risk_aversion times CVaR.
    expected_value, cvar : ndarray (4,)
    provider_value : ndarray (4,)
        The provider's discounted value from the partner over the horizon (net of the
        instruments' costs).
    provider_cost : ndarray (4,)
        The instruments' net cost to the provider over the horizon (carry minus
        co-production while it keeps the partner, plus forfeits paid).
    revocation_probability : ndarray (4,)
        The probability that the provider revokes the partner within the horizon.
    levels : ndarray (4, partners, instruments)
    assurance : AssuranceResult
        The minimum credible assurance used by the assurance rows (levels 0 there when it is
        not constructible: no assurance is on offer).
    hedges : tuple of HedgeResult
    target : str
    risk_aversion, alpha : float
    """

    partner: str = ""
    policies: tuple = POLICIES
    labels: tuple = tuple(_LABELS[p] for p in POLICIES)
    share: np.ndarray = None
    shares: np.ndarray = None
    partner_value: np.ndarray = None
    expected_value: np.ndarray = None
    cvar: np.ndarray = None
    provider_value: np.ndarray = None
    provider_cost: np.ndarray = None
    revocation_probability: np.ndarray = None
    levels: np.ndarray = None
    assurance: object = field(default=None, repr=False)
    hedges: tuple = field(default=(), repr=False)
    target: str = "continuity"
    risk_aversion: float = 0.0
    alpha: float = 0.95

    @property
    def best(self) -> str:
        """The policy with the greatest partner value (ties: the earlier row)."""
        return self.policies[int(np.nanargmax(self.partner_value))]

    @property
    def plural_advantage(self) -> float:
        """Partner value of hedging alone minus that of the minimum assurance alone."""
        return float(self.partner_value[1] - self.partner_value[2])

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Every row's hedge re-checked (:meth:`HedgeResult.verify`), the assurance's
        certificate, and the invariants: each optimised row is at least its row without
        hedge (a hedge may keep everything on the provider), relative to the value scale."""
        if exact:
            return _no_exact_check("CVaR LP")
        tol = 1e-7 if tol is None else tol
        checks = {}
        for name, h in zip(self.policies, self.hedges):
            cert = h.verify(tol=tol)
            checks[f"{name}: hedge"] = 0.0 if cert else float(max(
                [v for v in cert.checks.values() if np.isfinite(v)] or [1.0]))
        if self.assurance is not None and self.assurance.constructible:
            checks["assurance"] = 0.0 if self.assurance.verify() else 1.0
        unit = max(1.0, float(np.nanmax(np.abs(self.partner_value))))
        checks["hedge >= none"] = max(0.0, self.partner_value[0] - self.partner_value[1]) / unit
        checks["both >= assurance"] = max(0.0, self.partner_value[2]
                                          - self.partner_value[3]) / unit
        return Certificate.from_violations(checks, tol)


def hedge_policies(sc, partner=0, *, target: str = "continuity",
                   risk_aversion: float | None = None, alpha: float | None = None,
                   assurance=None) -> PolicyComparison:
    """Is spreading dependence a better hedge than the assurance on offer? Four policies.

    1. no hedge, no assurance: everything on the provider's stack, no instruments;
    2. hedge only: the partner's CVaR hedge in equilibrium (:func:`hedge`), no instruments;
    3. minimum assurance only: the minimum credible assurance for ``target``
       (:func:`paxgame.minimum_assurance`), everything on the provider's stack;
    4. both: the same assurance in force and the partner hedging in equilibrium.

    Each row gives, in one unit (discounted value over the horizon), the partner's value
    (expected value minus risk aversion times CVaR), the provider's value and cost, and the
    probability that the provider revokes the partner within the horizon.

    Parameters
    ----------
    sc : Scenario
    partner : int or str
    target : {"participation", "continuity"}
        The target of the minimum assurance.
    risk_aversion, alpha : float, optional
        Default: the scenario's ``[hedge]`` values.
    assurance : AssuranceResult, optional
        ``minimum_assurance(sc, target)`` when the caller has it already.

    Returns
    -------
    PolicyComparison

    Examples
    --------
    >>> import paxgame as pg
    >>> sc = pg.load("games/scenarios/plural_dependencies.toml")
    >>> cmp = pg.hedge_policies(sc)
    >>> cmp.policies
    ('none', 'hedge', 'assurance', 'both')
    >>> bool(cmp.partner_value[3] >= max(cmp.partner_value[1], cmp.partner_value[2]) - 1e-9)
    True
    """
    from ..games.scenario import Scenario  # local: games imports nothing of revocation

    if not isinstance(sc, Scenario):
        raise TypeError(f"hedge_policies: sc must be a Scenario, got {type(sc).__name__}")
    try:
        i = sc.partner_index(partner)
    except ValueError as err:
        raise ValueError(f"hedge_policies: {err}") from err
    target = check_method("hedge_policies", target, list(TARGETS))
    lam = sc.risk_aversion if risk_aversion is None else risk_aversion
    lam = float(check_nonnegative("hedge_policies", "risk_aversion", lam))
    alpha = check_probability("hedge_policies", "alpha",
                              sc.cvar_level if alpha is None else alpha)
    if alpha >= 1:
        raise ValueError(f"hedge_policies: alpha must lie in [0, 1), got {alpha}")
    _check_sources("hedge_policies", len(sc.partners[i].sources))
    if assurance is None:
        assurance = minimum_assurance(sc, target)
    elif not isinstance(assurance, AssuranceResult) or assurance.target != target:
        raise TypeError(f"hedge_policies: assurance must be the AssuranceResult of "
                        f"minimum_assurance(sc, {target!r})")
    zero = np.zeros((sc.n_partners, len(sc.instruments)))
    ok = assurance.constructible and assurance.status == "optimal"
    y = np.asarray(assurance.levels, dtype=float) if ok else zero
    rows = [_corner(_Context.build(sc, i, zero), lam, alpha),
            _hedge_in_equilibrium(_Context.build(sc, i, zero), lam, alpha),
            _corner(_Context.build(sc, i, y), lam, alpha),
            _hedge_in_equilibrium(_Context.build(sc, i, y), lam, alpha)]
    # the rows with a hedge include the corner: never report less than it (the LP on the
    # interval that holds share 1 contains it; a worse answer would be a solver failure)
    get = lambda k: np.array([getattr(r, k) for r in rows], dtype=float)  # noqa: E731
    shares = np.array([r.shares for r in rows])
    status = "optimal" if all(r.status == "optimal" for r in rows) else next(
        r.status for r in rows if r.status != "optimal")
    note = "" if ok else f" (minimum assurance for {target}: {assurance.status}; rows 3 and " \
                         f"4 use no instruments)"
    return PolicyComparison(
        partner=sc.partner_names[i], share=shares[:, 0], shares=shares,
        partner_value=get("objective"), expected_value=get("expected_value"), cvar=get("cvar"),
        provider_value=get("provider_value"), provider_cost=get("provider_cost"),
        revocation_probability=np.array([r.revocation_probability[0]
                                         if r.revocation_probability is not None else np.nan
                                         for r in rows]),
        levels=np.array([zero, zero, y, y]), assurance=assurance, hedges=tuple(rows),
        target=target, risk_aversion=lam, alpha=alpha, status=status,
        message=f"four policies for {sc.partner_names[i]!r}, discounted value over "
                f"{sc.horizon} periods{note}")


def evaluate_policies(scenario, params, quantities, target):
    """A :func:`paxgame.sweep` evaluator: :func:`hedge_policies` at every point.

    Quantities are ``<policy>_<field>`` for a policy of :data:`POLICIES` and a field of
    :data:`POLICY_FIELDS` (e.g. ``"hedge_partner_value"``), ``"plural_advantage"`` (partner
    value of hedging alone minus that of the minimum assurance alone), ``"best"`` (the
    index in :data:`POLICIES` of the policy the partner values most) and
    ``"assurance_constructible"`` (1 where the minimum assurance exists, else 0). Risk aversion and the
    CVaR level are swept as ``"hedge.risk_aversion"`` and ``"hedge.alpha"``.

    Examples
    --------
    >>> import paxgame as pg
    >>> from paxgame.revocation.hedging import evaluate_policies
    >>> sc = pg.load("games/scenarios/plural_dependencies.toml")
    >>> res = pg.sweep(sc, {"hedge.risk_aversion": [0.0, 1.0]}, ["hedge_share", "best"],
    ...                evaluator=evaluate_policies)
    >>> res["hedge_share"].dims
    ('hedge.risk_aversion',)
    """
    names = list(params)
    size = len(next(iter(params.values()))) if params else 1
    out = {q: np.full(size, np.nan) for q in quantities}
    for k in range(size):
        point = scenario.replace(**{n: np.asarray(params[n])[k].item() for n in names}) \
            if names else scenario
        cmp = hedge_policies(point, 0, target=target)
        for q in quantities:
            out[q][k] = _policy_quantity(cmp, q)
    return out


def _policy_quantity(cmp: PolicyComparison, q: str) -> float:
    if q == "plural_advantage":
        return cmp.plural_advantage
    if q == "best":
        return float(POLICIES.index(cmp.best))
    if q == "assurance_constructible":
        return float(bool(cmp.assurance is not None and cmp.assurance.constructible
                          and cmp.assurance.status == "optimal"))
    pol, _, fld = q.partition("_")
    if pol in POLICIES and fld in POLICY_FIELDS:
        return float(getattr(cmp, fld)[POLICIES.index(pol)])
    known = [f"{p}_{f}" for p in POLICIES for f in POLICY_FIELDS] + [
        "plural_advantage", "best", "assurance_constructible"]
    hint = nearest(q, known)
    extra = f" (did you mean '{hint}'?)" if hint else ""
    raise ValueError(f"sweep: unknown quantity {q!r}{extra} for evaluate_policies")

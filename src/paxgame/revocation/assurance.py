"""The minimum credible assurance (MODEL.md 3.3 and 3.4)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from .._results import Certificate, SolverResult
from .._validation import check_method
from ..errors import SolverError
from ..kernels import revocation as kr
from ..kernels.lp import solve_lp
from . import _model
from .equilibrium import solve

__all__ = ["AssuranceResult", "minimum_assurance", "TARGETS"]

#: Targets of :func:`minimum_assurance`.
TARGETS = {"participation": "partners stay in every regime (revocation may still happen)",
           "continuity": "partners stay and the provider maintains in every regime"}

_TOL = 1e-9


@dataclass(frozen=True, kw_only=True)
class AssuranceResult(SolverResult):
    """The minimum credible assurance for a target.

    Attributes
    ----------
    target : str
    partners, instruments : tuple of str
    levels : ndarray (partners, instruments)
        Instrument levels (NaN for a partner whose assurance cannot be built).
    amount : ndarray (partners,)
        ``levels[:, 0]`` with one instrument; with several, the sum of the levels.
    coalition_amount : float
        Sum of ``amount`` over partners (NaN if some partner's assurance cannot be built).
    partner_cost : ndarray (partners,)
        The provider's cost sum_j (c_j - p_j) y_j / (1 - delta) for each partner.
    total_cost : float
    constructible : bool
        True when every partner's assurance can be built.
    partner_constructible : ndarray (partners,) of bool
    reason : str
        Why no assurance works (empty when constructible).
    binding : tuple of str
        The constraints that hold with equality at the answer.
    maintain : ndarray (partners, regimes) of bool
        The maintain set the answer relies on (all True for continuity).
    method : str
        ``"closed form"`` / ``"kernel"`` (exact interval per candidate maintain set),
        ``"lp"`` (one HiGHS LP per candidate maintain set) or ``"cvxpy"`` (continuity LP).
    exact : bool
        False only for participation under targeted collective governance with too many
        candidate (maintain set, revoked sets) pairs, where the answer is an upper bound
        (see the Notes of :func:`minimum_assurance`).
    """

    target: str = "participation"
    partners: tuple = ()
    instruments: tuple = ()
    levels: np.ndarray = None
    amount: np.ndarray = None
    coalition_amount: float = float("nan")
    partner_cost: np.ndarray = None
    total_cost: float = float("nan")
    constructible: bool = False
    partner_constructible: np.ndarray = None
    reason: str = ""
    binding: tuple = ()
    maintain: np.ndarray = None
    method: str = ""
    exact: bool = True
    scenario: object = None

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-solve the scenario at the returned levels and check the target holds, and that
        levels lowered by max(1e-5 relative, 1e-7 of the value scale) fail it where the answer
        is positive (minimality;
        skipped where the answer is only an upper bound or a negative-cost instrument makes
        lower levels costlier).

        ``exact=True`` redoes the checks in Fractions for bilateral targeted scenarios with
        one instrument; for other scenarios it returns a failed certificate whose only check
        is ``"exact_check_unavailable: ..."`` (an exact check was not made, so none is
        claimed)."""
        if exact:
            return self._verify_exact()
        tol = 1e-7 if tol is None else tol
        sc = self.scenario
        checks: dict[str, float] = {}
        ok_rows = np.asarray(self.partner_constructible, dtype=bool)
        if not ok_rows.any():
            return Certificate.from_violations({"nothing_to_check": 0.0}, tol)
        lv = np.where(ok_rows[:, None], np.nan_to_num(self.levels), 0.0)
        eq = solve(sc, lv)
        checks.update({f"equilibrium:{k}": v for k, v in eq.verify(tol=tol).checks.items()})
        holds = _target_holds(eq, self.target)
        checks["target_holds"] = float(np.sum(~holds[ok_rows]))
        coef = _model.coefficients(sc)
        cost_sign = (coef["carry"] - coef["coproduction"]) >= 0
        if self.exact and cost_sign.all():
            joint = _model.joint(sc)
            groups = [list(range(sc.n_partners))] if joint else [[i] for i in
                                                               range(sc.n_partners)]
            fails = 0.0
            for g in groups:
                if not ok_rows[g].all() or np.nansum(self.levels[g]) <= 1e-7:
                    continue
                low = lv.copy()
                mag = float(kr.magnitude(_model.base_params(sc, g)).max())
                low[g] = np.maximum(0.0, lv[g] - np.maximum(1e-5 * lv[g], 1e-7 * mag))
                held = _target_holds(solve(sc, low), self.target)
                fails += float(held[g].all())
            checks["lower_levels_fail"] = fails
        return Certificate.from_violations(checks, tol)


    def _verify_exact(self) -> Certificate:
        """Rational re-check (bilateral targeted scenarios with one instrument).

        Elsewhere (collective or blanket scenarios, several instruments) no exact check is
        available: the certificate then has ``exact=True``, ``ok=False`` and the single
        failing check ``"exact_check_unavailable: ..."``; use ``verify()`` (floats) there.

        For each partner the exact smallest level y* of the maintain set the answer relies
        on is recomputed in fractions; the returned level must round it (within 1e-12
        relative), the exact equilibrium at y* must meet the target, and at y* lowered by a
        relative 1e-12 it must not (where y* > 0)."""
        from fractions import Fraction

        from . import _exact

        sc = self.scenario
        if _model.joint(sc) or len(sc.instruments) != 1:
            # No rational re-derivation exists here (the answer comes from an LP over
            # several instruments or a joint coalition problem): say so instead of
            # claiming an exact check that was not made.
            kind = ("joint (collective or blanket)" if _model.joint(sc)
                    else "several instruments")
            return Certificate.from_violations({f"exact_check_unavailable: {kind}": 1},
                                               0.0, exact=True)
        fails, minimal, off = 0, 0, Fraction(0)
        for i in np.flatnonzero(self.partner_constructible):
            ystar = _exact.minimum_for(sc, i, self.maintain[i])
            if ystar is None:
                fails += 1
                continue
            gap = abs(Fraction(float(self.levels[i, 0])) - ystar)
            off = max(off, max(Fraction(0), gap - Fraction(1, 10 ** 12) * (1 + ystar)))
            M, Y = _exact.equilibrium(sc, i, [ystar])
            fails += int(not (all(Y) and (all(M) or self.target == "participation")))
            if ystar > 0:
                M2, Y2 = _exact.equilibrium(sc, i, [ystar * (1 - Fraction(1, 10 ** 12))])
                minimal += int(all(Y2) and (all(M2) or self.target == "participation"))
        return Certificate.from_violations({"target_holds": fails, "lower_levels_fail": minimal,
                                            "rounds_exact_level": off}, 0.0, exact=True)


def _target_holds(eq, target) -> np.ndarray:
    if target == "continuity":
        return eq.stay.all(axis=1) & eq.maintain.all(axis=1)
    return eq.stay.all(axis=1)


def minimum_assurance(sc, target: str = "participation") -> AssuranceResult:
    """The smallest credible assurance that meets a target, per partner and for the coalition.

    Parameters
    ----------
    sc : Scenario
    target : {"participation", "continuity"}
        Participation: partners stay in every regime (revocation may still happen).
        Continuity: additionally the provider maintains in every regime.

    Returns
    -------
    AssuranceResult

    Notes
    -----
    Exact methods (MODEL.md 3.3): for one instrument under bilateral targeted revocation the
    batch kernel :func:`paxgame.batch.minimum_assurance` enumerates the 2^K candidate
    maintain sets M (continuity: M = all); given M with Y = all the conditions are affine in
    the level, so each candidate's feasible levels are an interval and the answer is its
    smallest lower end (with a bond, delta = 0.9, w = 1, G = 12, L = 6: 2 for both
    targets). With several instruments, or when the allies are kept as one block
    (collective governance, blanket revocation), the same affine rows feed one HiGHS LP per
    candidate M (participation) or one cvxpy LP (continuity), minimising the provider's cost
    sum_j (c_j - p_j) y_j / (1 - delta) and then, among the cheapest, the total level.
    With one instrument the answer is the smallest level (the cost minimiser whenever the
    instrument's carry is at least its co-production).

    Collective governance (MODEL.md 3.4): the provider's incentive constraint in regime s is
    sum_i (1 - q_i)(w'_si + delta (Pi U_i)_s - max(w'_si, G_si - F_i)) >= 0 (revoking any ally
    makes all leave, so the best deviation revokes exactly those whose net gain exceeds
    their flow); self-enforcing forfeits count only up to f_j y_ij <= delta sum_{k != i}
    (Pi U_k)_s. For participation under targeted collective governance the LPs also
    enumerate, for each regime outside M, the set R_s of allies the provider revokes there
    (the others are kept for that period and then leave with the coalition), with linear
    constraints making R_s the provider's best deviation: one LP per (M, R), exact. When
    there are more than :data:`MAX_CANDIDATES` such candidates every ally is treated as
    revoked off M, which gives an upper bound (``exact = False``, said in ``message``).

    Conditioning: when 1 - delta < :data:`SELF_CHECK_BELOW` the answer is re-verified
    (``verify()``) before it is returned and comes back with status ``"uncertified"`` when
    the check fails: near delta = 1 float rounding of the inputs is amplified by about
    1/(1 - delta)**2 (at delta = 1 - 1e-7 an answer of 2 can be off by 5e-3).

    Examples
    --------
    >>> import paxgame as pg
    >>> sc = pg.load("games/scenarios/revocation_order.toml")
    >>> res = pg.minimum_assurance(sc, target="continuity")
    >>> res.constructible, bool(res.verify())
    (True, True)
    """
    from ..games.scenario import Scenario

    if not isinstance(sc, Scenario):
        raise TypeError(f"minimum_assurance: sc must be a Scenario, got {type(sc).__name__}")
    target = check_method("minimum_assurance", target, list(TARGETS))
    n, K, J = sc.n_partners, sc.n_regimes, len(sc.instruments)
    if not _model.joint(sc) and J == 1:
        res = _kernel_path(sc, target)
    else:
        res = _lp_path(sc, target)
    return _self_check(res)


#: Below this 1 - delta the answer is re-verified before it is returned: values are sums
#: of flows over 1/(1 - delta) periods and the minimum level is a difference of such sums,
#: so float rounding in the inputs is amplified by about 1/(1 - delta)**2.
SELF_CHECK_BELOW = 1e-3


def _self_check(res: AssuranceResult) -> AssuranceResult:
    """Downgrade an ill-conditioned answer (delta near 1) whose certificate fails to
    ``"uncertified"``, naming the failed checks, instead of returning it as optimal."""
    if res.status != "optimal" or 1.0 - res.scenario.discount >= SELF_CHECK_BELOW:
        return res
    cert = res.verify()
    if cert.ok:
        return res
    import dataclasses

    return dataclasses.replace(res, status="uncertified", message=(
        f"{res.message}; not certified: with discount {res.scenario.discount!r} float "
        f"rounding is amplified by about 1/(1 - discount)**2 and the re-check failed "
        f"({', '.join(cert.failures())})"))


def _kernel_path(sc, target) -> AssuranceResult:
    coef = _model.coefficients(sc)
    p = _model.with_instrument(_model.base_params(sc), coef, 0)
    out = kr.minimum_assurance(p, target)
    n = sc.n_partners
    binding = []
    for i in range(n):
        side = int(out.binding_side[i])
        reg = int(out.binding_regime[i])
        if side == 1:
            binding.append(f"{sc.partners[i].name}: provider indifferent in regime "
                           f"'{sc.regime_names[reg]}'")
        elif side == 2:
            binding.append(f"{sc.partners[i].name}: partner indifferent after regime "
                           f"'{sc.regime_names[reg]}'")
        elif side == 3:
            binding.append(f"{sc.partners[i].name}: cap of '{sc.instruments[0].name}'")
    levels = out.amount[:, None].copy()
    reasons = [f"{sc.partners[i].name}: {kr.REASONS[int(out.reason[i])]}"
               for i in range(n) if not out.constructible[i]]
    return _result(sc, target, levels, out.constructible, "; ".join(reasons), tuple(binding),
                   out.maintain, "kernel", True)


def _result(sc, target, levels, ok, reason, binding, maintain, method, exact):
    coef = _model.coefficients(sc)
    unit = (coef["carry"] - coef["coproduction"]) / (1 - sc.discount)
    pcost = np.where(ok, np.nansum(unit * np.nan_to_num(levels), axis=1), np.nan)
    amount = levels[:, 0].copy() if levels.shape[1] == 1 else np.where(
        ok, np.nansum(levels, axis=1), np.nan)
    allok = bool(np.all(ok))
    status = "optimal" if allok else "infeasible"
    msg = (f"minimum {target} assurance" + ("" if exact else
                                             " (upper bound: targeted collective governance)")
           if allok else f"no credible assurance meets the {target} target: {reason}")
    return AssuranceResult(
        target=target, partners=sc.partner_names, instruments=sc.instrument_names,
        levels=levels, amount=amount, coalition_amount=float(np.sum(amount)) if allok
        else float("nan"), partner_cost=pcost, total_cost=float(np.sum(pcost)) if allok
        else float("nan"), constructible=allok, partner_constructible=np.asarray(ok, bool),
        reason=reason, binding=binding, maintain=np.asarray(maintain, bool), method=method,
        exact=exact, scenario=sc, status=status, message=msg)


# --------------------------------------------------------------------------- LP path

def _pieces(sc, idx, M, R=None):
    """Affine pieces (in the levels of partners idx) for candidate maintain set M, Y = all.

    ``R`` (partners, regimes) of bool, optional: who the provider revokes off M (the others
    are kept for that period and then leave with the block). Default: everybody.
    """
    coef = _model.coefficients(sc)
    base = _model.base_params(sc, idx)
    B, K, J = len(idx), sc.n_regimes, len(sc.instruments)
    Mb = np.broadcast_to(M, (B, K))
    ones = np.ones((B, K))
    zero = _model.with_instrument(base, coef, None)
    if R is not None:
        zero = dict(zero, hit=R.astype(float),
                    stop=np.where(R, base["revocation_gain"], base["provider_value"]))
    U0 = kr._provider_policy(zero, Mb, ones, np.zeros(B))
    S0 = kr._partner_policy(zero, Mb, ones, np.zeros(B))
    U1 = np.zeros((B, J, K))
    S1 = np.zeros((B, J, K))
    for j in range(J):
        pj = _model.with_instrument(base, coef, j, idx)
        if R is not None:
            kept = base["provider_value"] + (pj["coproduction"] - pj["carry"])[:, None]
            pj = dict(pj, hit=R.astype(float), stop=np.where(
                R, base["revocation_gain"] - pj["forfeit"][:, None], kept))
        U1[:, j] = kr._provider_policy(pj, Mb, ones, np.ones(B)) - U0
        S1[:, j] = kr._partner_policy(pj, Mb, ones, np.ones(B)) - S0
    return base, {k: v[idx] for k, v in coef.items()}, U0, U1, S0, S1


def _rows(sc, idx, M, collective_targeted, R=None):
    """LP data ``A x <= b`` over x = (y (B*J), t (B*K) if targeted collective)."""
    base, coef, U0, U1, S0, S1 = _pieces(sc, idx, M, R)
    B, K, J = len(idx), sc.n_regimes, len(sc.instruments)
    d, P = sc.discount, sc.transition
    nv = B * J + (B * K if collective_targeted else 0)
    A, b, labels = [], [], []
    yi = lambda i, j: i * J + j  # noqa: E731
    ti = lambda i, s: B * J + i * K + s  # noqa: E731
    names = [sc.partners[i].name for i in idx]
    keep = (1 - base["adversary_hazard"])
    # provider incentive constraints on s in M: -(sum_i (1-q_i) gain_i) <= 0
    for s in range(K):
        if not M[s]:
            continue
        row = np.zeros(nv)
        const = 0.0
        for i in range(B):
            flow0 = base["provider_value"][i, s]
            cont0 = d * P[s] @ U0[i]
            const += keep[i] * (flow0 + cont0)
            for j in range(J):
                lin = coef["coproduction"][i, j] - coef["carry"][i, j] + d * P[s] @ U1[i, j]
                row[yi(i, j)] += keep[i] * lin
            if collective_targeted:
                row[ti(i, s)] -= keep[i]
            else:
                const -= keep[i] * base["revocation_gain"][i, s]
                for j in range(J):
                    row[yi(i, j)] += keep[i] * coef["forfeit"][i, j]
        A.append(-row)
        b.append(const)
        who = "the coalition" if B > 1 else names[0]
        labels.append(f"{who}: provider indifferent in regime '{sc.regime_names[s]}'")
        if collective_targeted:
            for i in range(B):
                # t_is >= w'_is  and  t_is >= G_is - F_i
                r1 = np.zeros(nv)
                r1[ti(i, s)] = -1
                for j in range(J):
                    r1[yi(i, j)] = coef["coproduction"][i, j] - coef["carry"][i, j]
                A.append(r1)
                b.append(-base["provider_value"][i, s])
                labels.append(f"{names[i]}: kept (not revoked) in the best deviation in "
                              f"'{sc.regime_names[s]}'")
                r2 = np.zeros(nv)
                r2[ti(i, s)] = -1
                for j in range(J):
                    r2[yi(i, j)] = -coef["forfeit"][i, j]
                A.append(r2)
                b.append(-base["revocation_gain"][i, s])
                labels.append(f"{names[i]}: revoked in the best deviation in "
                              f"'{sc.regime_names[s]}'")
    # the revoked sets R_s off M must be the provider's best deviation:
    # i in R_s iff G_si - F_i >= w'_si, i.e. sum_j (f_j + p_j - c_j) y_ij <= G_si - w_si
    if R is not None:
        for s in range(K):
            if M[s]:
                continue
            for i in range(B):
                row = np.zeros(nv)
                for j in range(J):
                    row[yi(i, j)] = (coef["forfeit"][i, j] + coef["coproduction"][i, j]
                                     - coef["carry"][i, j])
                rhs = base["revocation_gain"][i, s] - base["provider_value"][i, s]
                sign = 1.0 if R[i, s] else -1.0
                A.append(sign * row)
                b.append(sign * rhs)
                labels.append(f"{names[i]}: {'revoked' if R[i, s] else 'spared'} in the "
                              f"best deviation in '{sc.regime_names[s]}'")
    # partner stay constraints: S_r >= O
    for i in range(B):
        O = base["outside_option"][i] / (1 - d)
        for r in range(K):
            row = np.zeros(nv)
            for j in range(J):
                row[yi(i, j)] = -S1[i, j, r]
            A.append(row)
            b.append(S0[i, r] - O)
            labels.append(f"{names[i]}: partner indifferent after regime "
                          f"'{sc.regime_names[r]}'")
    # credibility of self-enforcing instruments (collective governance only)
    selfenf = _model.self_enforcing(sc)
    if B > 1 and selfenf.any():
        for i in range(B):
            for j in np.flatnonzero(selfenf):
                for s in range(K):
                    row = np.zeros(nv)
                    row[yi(i, j)] += coef["forfeit"][i, j]
                    const = 0.0
                    for k in range(B):
                        if k == i:
                            continue
                        const += d * P[s] @ U0[k]
                        for jj in range(J):
                            row[yi(k, jj)] -= d * P[s] @ U1[k, jj]
                    A.append(row)
                    b.append(const)
                    labels.append(f"{names[i]}: credibility bound of self-enforcing "
                                  f"'{sc.instruments[j].name}' in '{sc.regime_names[s]}'")
    caps = [(0.0, None if not np.isfinite(coef["cap"][i, j]) else float(coef["cap"][i, j]))
            for i in range(B) for j in range(J)]
    bounds = caps + [(None, None)] * (nv - B * J)
    cost = np.zeros(nv)
    for i in range(B):
        for j in range(J):
            cost[yi(i, j)] = (coef["carry"][i, j] - coef["coproduction"][i, j]) / (1 - d)
    return np.array(A), np.array(b), labels, bounds, cost, B * J


def _two_stage(A, b, bounds, cost, ny, use_cvxpy):
    solver = _cvxpy_lp if use_cvxpy else _highs_lp
    st, x, fun = solver(cost, A, b, bounds)
    if st != "optimal":
        return st, None
    tie = np.zeros_like(cost)
    tie[:ny] = 1.0
    A2 = np.vstack([A, cost[None]])
    b2 = np.append(b, fun + 1e-9 * (1 + abs(fun)))
    st2, x2, _ = solver(tie, A2, b2, bounds)
    return ("optimal", x2) if st2 == "optimal" else ("optimal", x)


def _highs_lp(c, A, b, bounds):
    sol = solve_lp(c, A_ub=A, b_ub=b, bounds=bounds)
    return sol.status, sol.x, sol.fun


def _cvxpy_lp(c, A, b, bounds):
    import cvxpy as cp

    n = len(c)
    x = cp.Variable(n)
    cons = [A @ x <= b]
    lo = np.array([-np.inf if l is None else l for l, _ in bounds])
    hi = np.array([np.inf if h is None else h for _, h in bounds])
    if np.isfinite(lo).any():
        m = np.isfinite(lo)
        cons.append(x[m] >= lo[m])
    if np.isfinite(hi).any():
        m = np.isfinite(hi)
        cons.append(x[m] <= hi[m])
    prob = cp.Problem(cp.Minimize(c @ x), cons)
    # A simplex solver returns a vertex (exact to machine precision), which the equilibrium
    # re-check at the returned levels needs; interior-point solvers stop ~1e-8 off.
    installed = cp.installed_solvers()
    name = "SCIPY" if "SCIPY" in installed else "CLARABEL" if "CLARABEL" in installed else None
    opts = {"scipy_options": {"method": "highs-ds"}} if name == "SCIPY" else {}
    try:
        prob.solve(solver=name, verbose=False, **opts)
    except cp.error.SolverError as err:
        raise SolverError(f"minimum_assurance: cvxpy solver {name or 'default'} failed: "
                          f"{err}") from err
    status = {"optimal": "optimal", "infeasible": "infeasible", "unbounded": "unbounded",
              "optimal_inaccurate": "inaccurate", "infeasible_inaccurate": "infeasible",
              "unbounded_inaccurate": "unbounded"}.get(prob.status, "inaccurate")
    if status != "optimal":
        return status, None, None
    return status, np.asarray(x.value, dtype=float), float(prob.value)


#: Largest number of (maintain set, revoked sets) candidates enumerated exactly for
#: participation under targeted collective governance; beyond it, a conservative bound.
MAX_CANDIDATES = 4096


def _candidates(sc, idx, target, collective_targeted):
    """(M, R) candidates and whether the enumeration is exact."""
    K, B = sc.n_regimes, len(idx)
    if target == "continuity":
        return [(np.ones(K, dtype=bool), None)], True
    Ms = [np.array(c, dtype=bool) for c in itertools.product([True, False], repeat=K)]
    if not collective_targeted:
        return [(M, None) for M in Ms], True
    total = sum((2 ** B) ** int((~M).sum()) for M in Ms)
    if total > MAX_CANDIDATES:
        return [(M, None) for M in Ms], False
    out = []
    subsets = list(itertools.product([True, False], repeat=B))
    for M in Ms:
        off = np.flatnonzero(~M)
        for combo in itertools.product(subsets, repeat=len(off)):
            R = np.zeros((B, K), dtype=bool)
            for s, sub in zip(off, combo):
                R[:, s] = sub
            out.append((M, R))
    return out, True


def _solve_group(sc, idx, target, collective_targeted):
    cands, exact = _candidates(sc, idx, target, collective_targeted)
    best = None
    for M, R in cands:
        # without R, every ally is treated as revoked off M (exact unless targeted collective)
        A, b, labels, bounds, cost, ny = _rows(sc, idx, M, collective_targeted, R)
        st, x = _two_stage(A, b, bounds, cost, ny, use_cvxpy=(target == "continuity"))
        if st != "optimal":
            continue
        key = (round(float(cost @ x), 9), round(float(x[:ny].sum()), 9))
        if best is None or key < best[0]:
            slack = b - A @ x
            bind = [labels[k] for k in np.flatnonzero(np.abs(slack) <= 1e-7 * (1 + np.abs(b)))
                    if "best deviation" not in labels[k]]
            best = (key, x[:ny], M, bind)
    return best, exact


def _scaled(sc, k: float):
    """The scenario with every value divided by k (levels scale by k too): LP tolerances are
    absolute, so the LPs are solved on payoffs of order one and the levels scaled back."""
    import dataclasses

    ps = tuple(dataclasses.replace(
        p, access_value=p.access_value / k, outside_option=p.outside_option / k,
        revocation_loss=p.revocation_loss / k, collateral_loss=p.collateral_loss / k,
        provider_value=p.provider_value / k, revocation_gain=p.revocation_gain / k)
        for p in sc.partners)
    ins = tuple(dataclasses.replace(i, cap=i.cap / k) for i in sc.instruments)
    return dataclasses.replace(sc, partners=ps, instruments=ins,
                               explicit_instruments=sc.explicit_instruments)


def _lp_path(sc, target) -> AssuranceResult:
    k = float(kr.magnitude(_model.base_params(sc) | {"discount": np.full(
        sc.n_partners, 0.0)}).max())
    if not 1e-3 <= k <= 1e3:
        res = _lp_path_unscaled(_scaled(sc, k), target)
        levels = res.levels * k
        return _result(sc, target, levels, res.partner_constructible, res.reason, res.binding,
                       res.maintain, res.method, res.exact)
    return _lp_path_unscaled(sc, target)


def _lp_path_unscaled(sc, target) -> AssuranceResult:
    n, K, J = sc.n_partners, sc.n_regimes, len(sc.instruments)
    joint = _model.joint(sc)
    collective_targeted = joint and sc.governance == "collective" and sc.revocation == "targeted"
    groups = [list(range(n))] if joint else [[i] for i in range(n)]
    levels = np.full((n, J), np.nan)
    ok = np.zeros(n, dtype=bool)
    maintain = np.zeros((n, K), dtype=bool)
    binding, reasons = [], []
    exact = True
    for g in groups:
        best, exact_g = _solve_group(sc, g, target, collective_targeted)
        exact = exact and exact_g
        if best is None:
            reasons.append(_why(sc, g, target, collective_targeted))
            continue
        _, x, M, bind = best
        coefs = _model.coefficients(sc)
        caps = coefs["cap"][g]
        x = x.reshape(len(g), J)
        # the tie-breaking stage may leave levels within solver tolerance of a bound: snap
        x = np.where(np.isfinite(caps) & (np.abs(x - caps) <= 1e-8 * (1 + caps)), caps, x)
        levels[g] = x
        ok[g] = True
        maintain[g] = M
        binding.extend(bind)
        coef = _model.coefficients(sc)
        for i in g:
            for j in range(J):
                if np.isfinite(coef["cap"][i, j]) and abs(levels[i, j] - coef["cap"][i, j]) \
                        <= 1e-7 * (1 + coef["cap"][i, j]) and levels[i, j] > 0:
                    binding.append(f"{sc.partners[i].name}: cap of '{sc.instruments[j].name}'")
    levels = np.where(np.abs(levels) < 1e-11, 0.0, levels)
    method = "cvxpy" if target == "continuity" else "lp"
    return _result(sc, target, levels, ok, "; ".join(reasons), tuple(binding), maintain,
                   method, exact)


def _why(sc, g, target, collective_targeted) -> str:
    who = ", ".join(sc.partners[i].name for i in g)
    K = sc.n_regimes
    M = np.ones(K, dtype=bool)
    A, b, labels, bounds, cost, ny = _rows(sc, g, M, collective_targeted)
    free = [(lo, None) for lo, _ in bounds[:ny]] + bounds[ny:]
    partner_rows = [k for k, lab in enumerate(labels) if "partner indifferent" in lab]
    st, _, _ = _highs_lp(np.zeros(len(cost)), A[partner_rows], b[partner_rows], bounds)
    if st != "optimal":
        return f"{who}: {kr.REASONS[1]}"
    st, _, _ = _highs_lp(np.zeros(len(cost)), A, b, free)
    if st == "optimal":
        return f"{who}: {kr.REASONS[3]}"
    return f"{who}: no combination of the instruments can deter revocation"

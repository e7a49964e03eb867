"""The partner-best equilibrium of a revocation scenario (MODEL.md 3.1 and 3.4)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._results import Certificate, SolverResult
from .._validation import as_float_array, check_nonnegative
from ..kernels import revocation as kr
from . import _model

__all__ = ["ScenarioEquilibrium", "solve"]

_TOL = 1e-9


@dataclass(frozen=True, kw_only=True)
class ScenarioEquilibrium(SolverResult):
    """The partner-best equilibrium of a scenario, per partner and regime.

    Attributes
    ----------
    partners, regimes : tuple of str
    maintain : ndarray (partners, regimes) of bool
        M: regimes in which the provider maintains the partner's access.
    stay : ndarray (partners, regimes) of bool
        Y: previous regimes after which the partner stays in.
    provider_value : ndarray (partners, regimes)
        U_s: the provider's value from the partner, in regime s before its choice.
    partner_value : ndarray (partners, regimes)
        V_s = max(O, Stay_s): the partner's value after regime s.
    revocation_probability, exit_probability : ndarray (partners,)
        Probability that the partner is revoked (or exits) within ``horizon`` periods,
        starting after the scenario's start regime.
    horizon : int
    joint : bool
        True when the provider keeps or revokes the allies as one block (collective
        governance, or blanket revocation with several partners).
    levels : ndarray (partners, instruments)
        The instrument levels the equilibrium was computed at.
    partner_best : bool
        Always True: several equilibria can exist (unravelling); this is the greatest one,
        found by iterating best responses from M = Y = all regimes.
    """

    partners: tuple = ()
    regimes: tuple = ()
    maintain: np.ndarray = None
    stay: np.ndarray = None
    provider_value: np.ndarray = None
    partner_value: np.ndarray = None
    revocation_probability: np.ndarray = None
    exit_probability: np.ndarray = None
    horizon: int = 10
    joint: bool = False
    levels: np.ndarray = None
    partner_best: bool = True
    scenario: object = None

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-check both sides' one-shot deviation conditions with dense linear algebra.

        With ``exact=True`` (bilateral targeted scenarios) the partner-best equilibrium is
        recomputed in rational arithmetic (every number read as the simplest fraction within
        float rounding) and its sets must equal the result's. Under collective governance
        or blanket revocation no exact check exists: the certificate then fails with the
        single check ``"exact_check_unavailable: ..."`` rather than claim one.

        Policy values are recomputed with :func:`numpy.linalg.solve` (not the kernel); the
        provider must weakly prefer maintaining on M and strictly prefer revoking off M, the
        partner weakly prefer staying on Y and strictly prefer exit off Y (within ``tol``,
        relative to the scenario's value scale max|payoff| / (1 - delta)).
        """
        if exact:
            return _exact_check(self)
        tol = _TOL * 1e3 if tol is None else tol
        return Certificate.from_violations(_deviation_checks(self.scenario, self), tol)


def _exact_check(eq) -> Certificate:
    """Recompute each partner's partner-best equilibrium in rational arithmetic."""
    from . import _exact

    sc = eq.scenario
    if _model.joint(sc):
        # allies kept or revoked as a block have no rational re-derivation: report that no
        # exact check was made instead of claiming one (verify() checks them in floats)
        return Certificate.from_violations(
            {"exact_check_unavailable: joint (collective or blanket)": 1}, 0.0, exact=True)
    wrong = 0
    for i in range(sc.n_partners):
        M, Y = _exact.equilibrium(sc, i, [_exact.rational(x) for x in eq.levels[i]])
        wrong += int(list(eq.maintain[i]) != M) + int(list(eq.stay[i]) != Y)
    return Certificate.from_violations({"sets_differ_from_exact_equilibrium": wrong}, 0.0,
                                       exact=True)


def _levels(func, sc, levels):
    n, J = sc.n_partners, len(sc.instruments)
    if levels is None:
        return np.zeros((n, J))
    lv = as_float_array(func, "levels", levels)
    if lv.ndim == 1 and J == 1 and lv.shape == (n,):
        lv = lv[:, None]
    if lv.shape != (n, J):
        raise ValueError(f"{func}: levels must have shape (partners, instruments) = {(n, J)}, "
                         f"got {lv.shape}")
    return check_nonnegative(func, "levels", lv)


def solve(sc, levels=None) -> ScenarioEquilibrium:
    """The partner-best equilibrium of a revocation scenario.

    Iterates best responses from M = Y = all regimes (each best response is an optimal
    stopping problem solved by policy iteration); the limit is the greatest fixed point, the
    partner-best of possibly several equilibria (Tarski 1955; MODEL.md 3.1). Under bilateral
    targeted revocation each partner is solved alone by the batch kernel
    :func:`paxgame.batch.revocation_equilibrium`; under collective governance or blanket
    revocation the provider keeps or revokes the allies as one block.

    Parameters
    ----------
    sc : Scenario
    levels : array_like (partners, instruments), optional
        Instrument levels in force (default none).

    Returns
    -------
    ScenarioEquilibrium

    Notes
    -----
    The best-response map is monotone (so the iteration from the top finds the greatest
    fixed point) when every flow stays non-negative at the given levels (w_s + (p - c) y
    >= 0) and the partner never prefers being revoked to being kept (v - e + q y >= o - L
    + r y). Outside this regular region best responses can cycle (a provider losing money
    on a partner prefers it to leave); the result then has status ``"not_converged"``, and
    otherwise is still an equilibrium (``verify`` checks it) that may not be the partner-best
    one.

    Examples
    --------
    >>> import paxgame as pg
    >>> sc = pg.load("games/scenarios/revocation_order.toml")
    >>> eq = pg.solve(sc)
    >>> eq.partner_best
    True
    >>> bool(eq.verify())
    True
    """
    from ..games.scenario import Scenario

    if not isinstance(sc, Scenario):
        raise TypeError(f"solve: sc must be a Scenario, got {type(sc).__name__}")
    lv = _levels("solve", sc, levels)
    coef = _model.coefficients(sc)
    base = _model.base_params(sc)
    p = _model.with_levels(base, coef, lv)
    n, K = sc.n_partners, sc.n_regimes
    start = np.full(n, sc.start_index)
    if not _model.joint(sc):
        eq = kr.revocation_equilibrium(p, np.ones(n), horizon=sc.horizon, start=start)
        maintain, stay, U, V, prev, pexit = (eq.maintain, eq.stay, eq.provider_value,
                                            eq.partner_value, eq.revocation_probability,
                                            eq.exit_probability)
        converged = bool(eq.converged.all())
    else:
        maintain, stay, U, V, prev, pexit, converged = _joint_equilibrium(sc, p)
    msg = ("partner-best equilibrium (the greatest of possibly several), "
           + ("allies kept or revoked as one block" if _model.joint(sc) else
              "each partner solved alone"))
    status = "optimal"
    if not converged:
        status = "not_converged"
        msg = ("best responses cycle: outside the regular region (negative flows at these "
               "levels, or a partner preferring revocation) no pure stationary equilibrium "
               "was found by best-response iteration; the arrays are the last iterate")
    return ScenarioEquilibrium(
        partners=sc.partner_names, regimes=sc.regime_names, maintain=maintain, stay=stay,
        provider_value=U, partner_value=V, revocation_probability=prev,
        exit_probability=pexit, horizon=sc.horizon, joint=_model.joint(sc), levels=lv,
        scenario=sc, status=status, message=msg)


def _stop_and_hit(sc, p):
    """Per partner and regime: the provider's payoff when it revokes, and who is hit."""
    y = np.ones(p["discount"].shape[0])
    flow = p["provider_value"] + ((p["coproduction"] - p["carry"]) * y)[:, None]
    revoke = p["revocation_gain"] - (p["forfeit"] * y)[:, None]
    if sc.revocation == "blanket":
        return revoke, np.ones_like(revoke)
    hit = revoke > flow
    return np.where(hit, revoke, flow), hit.astype(float)


def _joint_policy(sc, p, M, stay):
    """Per-partner values under the common maintain set M; the block's gain from keeping.

    Each partner's continuation uses its own stay set; the block decision weighs every
    partner's gain (exact when every partner stays, as at the assurance targets).
    """
    n, K = p["provider_value"].shape
    stop, hit = _stop_and_hit(sc, p)
    q = dict(p, stop=stop)
    Mb = np.broadcast_to(M, (n, K))
    st = stay.astype(float)
    U = kr._provider_policy(q, Mb, st, np.ones(n))
    flow = p["provider_value"] + (p["coproduction"] - p["carry"])[:, None]
    gain = (1 - p["adversary_hazard"])[:, None] * (
        flow + p["discount"][:, None] * st * np.einsum("brs,bs->br", p["transition"], U) - stop)
    return U, gain.sum(axis=0), hit


def _joint_equilibrium(sc, p, tol=kr._TIE):
    n, K = p["provider_value"].shape
    stay = np.ones((n, K), dtype=bool)
    converged = False
    for _ in range(2 * K + 3):
        M = np.ones(K, dtype=bool)
        for _ in range(K + 2):
            U, gain, hit = _joint_policy(sc, p, M, stay)
            new = gain >= -tol * kr.magnitude(p).sum()
            if np.array_equal(new, M):
                break
            M = new
        q = dict(p, hit=hit)
        new_stay, S = kr._partner_best_response(q, np.broadcast_to(M, (n, K)), np.ones(n), tol)
        if np.array_equal(new_stay, stay):
            converged = True
            break
        stay = new_stay
    O = (p["outside_option"] / (1 - p["discount"]))[:, None]
    V = np.where(stay, S, O)
    maintain = np.broadcast_to(M, (n, K)).copy()
    # probabilities: partner i is revoked when s is outside M and i is hit, or as adversary
    P, qh = sc.transition, p["adversary_hazard"]
    x = np.zeros((n, K))
    x[:, sc.start_index] = 1.0
    prev = np.zeros(n)
    pexit = np.zeros(n)
    for _ in range(sc.horizon):
        pexit += (x * ~stay).sum(axis=1)
        x = x * stay
        nxt = x @ P
        prev += (nxt * (qh[:, None] + (1 - qh)[:, None] * (~M) * hit)).sum(axis=1)
        pexit += (nxt * (1 - qh)[:, None] * (~M) * (1 - hit)).sum(axis=1)
        x = nxt * (1 - qh)[:, None] * M
    return maintain, stay, U, V, prev, pexit, converged


def _deviation_checks(sc, eq) -> dict[str, float]:
    """Worst violations of the one-shot deviation conditions (dense numpy)."""
    coef = _model.coefficients(sc)
    p = _model.with_levels(_model.base_params(sc), coef, eq.levels)
    n, K = sc.n_partners, sc.n_regimes
    d, P = sc.discount, sc.transition
    prov, part = 0.0, 0.0
    joint = _model.joint(sc)
    if joint:
        stop, hit = _stop_and_hit(sc, p)
    gains = np.zeros(K)
    for i in range(n):
        q = p["adversary_hazard"][i]
        m = eq.maintain[i].astype(float)
        y = eq.stay[i].astype(float)
        flow = p["provider_value"][i] + p["coproduction"][i] - p["carry"][i]
        if joint:
            st = stop[i]
        else:
            st = p["revocation_gain"][i] - p["forfeit"][i]
        A = np.eye(K) - d * (1 - q) * (m * y)[:, None] * P
        U = np.linalg.solve(A, q * p["revocation_gain"][i] + (1 - q) * (m * flow + (1 - m) * st))
        g = (1 - q) * (flow + d * y * (P @ U) - st)
        if joint:
            gains += g
        else:
            prov = max(prov, float(np.max(np.where(eq.maintain[i], -g, g + 0.0), initial=0)))
        # partner
        O = p["outside_option"][i] / (1 - d)
        h = hit[i] if joint else np.ones(K)
        inflow = p["access_value"][i] - p["collateral_cost"][i] + p["partner_flow"][i]
        rev = p["outside_option"][i] - p["revocation_loss"][i] + p["compensation"][i] + d * O
        rev = h * rev + (1 - h) * (inflow + d * O)
        adv = p["outside_option"][i] - p["revocation_loss"][i] + d * O
        ys = eq.stay[i].astype(float)
        A = np.eye(K) - d * (1 - q) * P * (m * ys)[None, :]
        rhs = P @ (q * adv + (1 - q) * (m * (inflow + d * O * (1 - ys)) + (1 - m) * rev))
        S = np.linalg.solve(A, rhs)
        part = max(part, float(np.max(np.where(eq.stay[i], O - S, S - O), initial=0)))
    if joint:
        prov = float(np.max(np.where(eq.maintain[0], -gains, gains), initial=0))
    # off-set conditions are strict (ties maintain / stay): a zero gap off the set is allowed
    # only within tolerance. Violations are relative to the value scale of the scenario.
    mag = float(kr.magnitude(p).max())
    return {"provider_one_shot_deviation": prov / mag, "partner_one_shot_deviation": part / mag}

"""The bilateral, targeted, single-instrument batch kernel of paxgame 0.1.0, kept here (not in
the package) as the throughput reference of the scenario benchmarks: a one-partner, one-
instrument relationship solved by Bellman equations on the regime alone. The package
replaced it by the exact-state kernel, which also covers collective governance, blanket
revocation, hazard with screening and several instruments.

Its original module notes follow.


Plain arrays in and out. One scenario point is one provider-partner relationship with K
regimes and one assurance instrument (level ``y``); a batch is any number of such points
stacked on a leading axis. Per point:

* ``discount`` delta, ``transition`` Pi (K, K), ``provider_value`` w (K,), ``revocation_gain``
  G (K,), ``access_value`` v, ``outside_option`` o, ``revocation_loss`` L,
  ``adversary_hazard`` q (per period, absorbing: the partner turns adversarial and is revoked
  with no forfeit and no compensation), ``collateral_cost`` e (the ally's expected per-period
  cost of collateral outages, already multiplied by the chance of an outage);
* the instrument's per-unit coefficients ``forfeit`` f, ``compensation`` r, ``carry`` c,
  ``coproduction`` p, ``partner_flow`` qf and ``cap``.

Bellman equations for a fixed maintain set M (provider) and stay set Y (partner), regimes on
the last axis (the partner decides knowing the previous regime r; then s ~ Pi[r]):

    U_s = q G_s + (1-q) [s in M] (w_s + (p-c) y + delta [s in Y] (Pi U)_s)
                + (1-q) [s not in M] (G_s - f y)
    Stay_r = sum_s Pi[r,s] ( q A + (1-q) [s in M] (v - e + qf y + delta V_s)
                               + (1-q) [s not in M] (o - L + r y + delta O) )
    V_s = [s in Y] Stay_s + [s not in Y] O,   O = o / (1-delta),   A = o - L + delta O.

The matrices I - delta (1-q) D Pi are strictly diagonally dominant by rows, so Gaussian
elimination without pivoting (vectorised over the batch, a Python loop over K only) is stable.

Layout of the minimum-assurance path: the points of a block (at most ``_BLOCK``) are moved to
the LAST axis once (transition (K, K, B), per-regime arrays (K, B)), so that every
elementwise operation is one long contiguous loop, the maxima over regimes reduce across
rows, and the temporaries of a block stay in the L2 cache. For the candidate M = all the
provider's and the partner's systems have the same matrix I - delta (1-q) Pi, solved once
with four right-hand sides. All linear solves (the equilibrium path's too, through
:func:`_solve`) run in :func:`_solve_last`: Cramer's rule for K <= 3, elimination without
pivoting beyond. For K <= 3 the answers are bit for bit those of the earlier batch-first
evaluation; for K >= 4 the back-substitution sums associate differently (differences in
the last bits of values, about 1e-14 relative).
"""

from __future__ import annotations

import itertools
import math
from typing import NamedTuple

import numpy as np

__all__ = [
    "PARAMETERS", "INSTRUMENT_DEFAULTS", "EquilibriumArrays", "AssuranceArrays",
    "policy_rows", "revocation_equilibrium", "minimum_assurance", "broadcast_parameters",
    "REASONS",
]

#: Scalar (per point) parameters and their defaults (None: required).
SCALARS = {"discount": None, "access_value": None, "outside_option": None,
           "revocation_loss": None, "adversary_hazard": 0.0, "collateral_cost": 0.0,
           "forfeit": 1.0, "compensation": 1.0, "carry": 0.0, "coproduction": 0.0,
           "partner_flow": 0.0, "cap": np.inf}
#: Per-regime parameters (last axis K).
REGIME = ("provider_value", "revocation_gain")
#: All kernel parameters.
PARAMETERS = ("transition", *REGIME, *SCALARS)
#: The instrument coefficients of the default instrument (one enforced bond, theta = 1).
INSTRUMENT_DEFAULTS = {k: SCALARS[k] for k in ("forfeit", "compensation", "carry",
                                               "coproduction", "partner_flow", "cap")}

#: Reason codes of :func:`minimum_assurance`.
REASONS = {
    0: "an assurance within the cap meets the target",
    1: "the partner prefers its outside option at every level within the cap",
    2: "the instrument cannot deter revocation (its carrying cost outgrows its forfeit)",
    3: "the level needed exceeds the instrument's cap",
}

_TOL = 1e-9
#: Relative tolerance of the best-response comparisons (ties maintain / stay): ties computed
#: along different paths agree to ~1e-15 of the value scale.
_TIE = 1e-12


class EquilibriumArrays(NamedTuple):
    """Partner-best equilibrium of a batch (leading axis B, regimes last)."""

    maintain: np.ndarray            # (B, K) bool
    stay: np.ndarray                # (B, K) bool
    provider_value: np.ndarray      # (B, K) U
    partner_value: np.ndarray       # (B, K) V
    revocation_probability: np.ndarray  # (B,) within the horizon, from the start regime
    exit_probability: np.ndarray    # (B,)
    iterations: np.ndarray          # (B,) outer best-response rounds
    converged: np.ndarray           # (B,) bool: the last best responses form a fixed point


class AssuranceArrays(NamedTuple):
    """Minimum assurance of a batch (one instrument per point)."""

    amount: np.ndarray          # (B,) smallest level meeting the target (nan if none)
    constructible: np.ndarray   # (B,) bool
    reason: np.ndarray          # (B,) int8 code, see REASONS
    total_cost: np.ndarray      # (B,) (c - p) amount / (1 - delta)
    maintain: np.ndarray        # (B, K) bool: the maintain set the answer relies on
    binding_regime: np.ndarray  # (B,) int: regime of the binding constraint (-1: none)
    binding_side: np.ndarray    # (B,) int8: 0 none, 1 provider, 2 partner, 3 cap


# --------------------------------------------------------------------------- linear algebra

def _solve(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve A x = b for a batch of strictly row-diagonally-dominant matrices.

    A: (B, K, K), b: (B, K, m) -> x (B, K, m). The batch-first face of :func:`_solve_last`
    (one implementation): the batch is moved to the last axis, where every formula runs as
    one long contiguous loop.
    """
    x = _solve_last(np.ascontiguousarray(np.moveaxis(A, 0, -1)),
                    np.ascontiguousarray(np.moveaxis(b, 0, -1)))
    return np.moveaxis(x, -1, 0)


# --------------------------------------------------------------------------- building blocks

def _provider_system(p, maintain, stay):
    """(A, r0, r1): provider values solve A U = r0 + y r1 for a fixed policy."""
    d, P, q = p["discount"], p["transition"], p["adversary_hazard"]
    m = maintain.astype(float)
    cont = (m * stay)[:, :, None] * P                               # D_M D_Y Pi
    A = np.eye(P.shape[-1])[None] - (d * (1 - q))[:, None, None] * cont
    G = p["revocation_gain"]
    if "stop" in p:  # per-regime revocation payoffs given explicitly (allies as a block)
        stop0, stop1 = p["stop"], np.zeros_like(G)
    else:
        stop0, stop1 = G, -np.broadcast_to(p["forfeit"][:, None], G.shape)
    keep = (1 - q)[:, None]
    r0 = q[:, None] * G + keep * (m * p["provider_value"] + (1 - m) * stop0)
    r1 = keep * (m * (p["coproduction"] - p["carry"])[:, None] + (1 - m) * stop1)
    return A, r0, r1


def _provider_policy(p, maintain, stay, y):
    """Provider values U for a fixed policy (maintain, stay) at level y: (B, K)."""
    A, r0, r1 = _provider_system(p, maintain, stay)
    return _solve(A, (r0 + y[:, None] * r1)[:, :, None])[:, :, 0]


def _partner_system(p, maintain, stay):
    """(A, r0, r1): partner stay values solve A S = r0 + y r1 for a fixed policy."""
    d, P, q = p["discount"], p["transition"], p["adversary_hazard"]
    m = maintain.astype(float)
    O = p["outside_option"] / (1 - d)
    keep = (1 - q)[:, None]
    adv = (q * (p["outside_option"] - p["revocation_loss"] + d * O))[:, None]
    in0 = (p["access_value"] - p["collateral_cost"])[:, None] + (d * O)[:, None] * (1 - stay)
    in1 = p["partner_flow"][:, None]
    rev0 = (p["outside_option"] - p["revocation_loss"] + d * O)[:, None]
    rev1 = p["compensation"][:, None]
    if "hit" in p:  # per-regime: 1 revoked, 0 spared while the block dissolves
        h = p["hit"]
        rev0 = h * rev0 + (1 - h) * (p["access_value"] - p["collateral_cost"] + d * O)[:, None]
        rev1 = h * rev1 + (1 - h) * in1
    per0 = adv + keep * (m * in0 + (1 - m) * rev0)
    per1 = keep * (m * in1 + (1 - m) * rev1)
    cont = P * (m * stay)[:, None, :]                               # Pi D_M D_Y
    A = np.eye(P.shape[-1])[None] - (d * (1 - q))[:, None, None] * cont
    r0 = np.einsum("brs,bs->br", P, per0)
    r1 = np.einsum("brs,bs->br", P, np.broadcast_to(per1, per0.shape))
    return A, r0, r1


def _partner_policy(p, maintain, stay, y):
    """Partner stay values Stay_r for a fixed policy at level y: (B, K)."""
    A, r0, r1 = _partner_system(p, maintain, stay)
    return _solve(A, (r0 + y[:, None] * r1)[:, :, None])[:, :, 0]


def magnitude(p) -> np.ndarray:
    """Per-point value scale (B,): tolerances are relative to it (payoffs may be 1e-9 or 1e9)."""
    flows = np.maximum(np.abs(p["provider_value"]).max(axis=1),
                       np.abs(p["revocation_gain"]).max(axis=1))
    flows = np.maximum(flows, np.maximum(np.abs(p["access_value"]), np.abs(p["outside_option"])))
    flows = np.maximum(flows, np.abs(p["revocation_loss"]))
    mag = flows / (1 - p["discount"])
    return np.where(mag > 0, mag, 1.0)


def _provider_best_response(p, stay, y, tol):
    B, K = p["provider_value"].shape
    maintain = np.ones((B, K), dtype=bool)
    for _ in range(K + 2):
        U = _provider_policy(p, maintain, stay, y)
        C = stay * np.einsum("brs,bs->br", p["transition"], U)
        keep = (p["provider_value"] + ((p["coproduction"] - p["carry"]) * y)[:, None]
                + p["discount"][:, None] * C
                >= p["revocation_gain"] - (p["forfeit"] * y)[:, None]
                - tol * magnitude(p)[:, None])  # tol: relative tie tolerance
        if np.array_equal(keep, maintain):
            break
        maintain = keep
    return maintain, U


def _partner_best_response(p, maintain, y, tol):
    B, K = maintain.shape
    O = (p["outside_option"] / (1 - p["discount"]))[:, None]
    stay = np.ones((B, K))
    for _ in range(K + 2):
        S = _partner_policy(p, maintain, stay, y)
        new = (S >= O - tol * magnitude(p)[:, None]).astype(float)
        if np.array_equal(new, stay):
            break
        stay = new
    return stay.astype(bool), S


def revocation_equilibrium(params: dict, level=None, *, horizon: int = 10, start=None,
                           tol: float = _TIE) -> EquilibriumArrays:
    """Partner-best equilibrium of a batch by best-response iteration from M = Y = all.

    Each best response is itself solved by policy iteration (an optimal-stopping problem with
    at most K + 1 improvement steps); the outer loop is monotone (Tarski) under the regular
    conditions documented in :mod:`paxgame.revocation` and stops after at most 2K rounds.

    Parameters
    ----------
    params : dict of ndarray
        Kernel parameters with a leading batch axis B (see :data:`PARAMETERS`).
    level : ndarray (B,), optional
        The instrument level (0 when omitted).
    horizon : int
        Periods for the reported revocation and exit probabilities.
    start : ndarray (B,) of int, optional
        The regime before the first period (default 0).

    Examples
    --------
    >>> import numpy as np
    >>> p = dict(discount=np.array([0.9]), transition=np.array([[[0.875, 0.125],
    ...          [0.25, 0.75]]]), provider_value=np.array([[1.0, 0.5]]),
    ...          revocation_gain=np.array([[2.0, 12.0]]), access_value=np.array([3.0]),
    ...          outside_option=np.array([1.2]), revocation_loss=np.array([6.0]))
    >>> p.update({k: np.array([v]) for k, v in SCALARS.items() if k not in p})
    >>> eq = revocation_equilibrium(p)
    >>> eq.maintain, eq.stay
    (array([[ True, False]]), array([[ True, False]]))
    """
    B, K = params["provider_value"].shape
    y = np.zeros(B) if level is None else np.asarray(level, dtype=float)
    stay = np.ones((B, K))
    rounds = np.zeros(B, dtype=np.int64)
    maintain = np.ones((B, K), dtype=bool)
    for it in range(2 * K + 3):
        maintain, U = _provider_best_response(params, stay, y, tol)
        new_stay, S = _partner_best_response(params, maintain, y, tol)
        changed = np.any(new_stay != stay.astype(bool), axis=1)
        rounds += changed
        stay = new_stay.astype(float)
        if not changed.any():
            break
    maintain, U = _provider_best_response(params, stay, y, tol)
    stay_b, S = _partner_best_response(params, maintain, y, tol)
    converged = np.all(stay_b == stay.astype(bool), axis=1)
    O = (params["outside_option"] / (1 - params["discount"]))[:, None]
    V = np.where(stay_b, S, O)
    start = np.zeros(B, dtype=np.int64) if start is None else np.asarray(start, dtype=np.int64)
    prob_rev, prob_exit = _probabilities(params, maintain, stay_b, horizon, start)
    return EquilibriumArrays(maintain, stay_b, U, V, prob_rev, prob_exit, rounds + 1, converged)


def _probabilities(p, maintain, stay, horizon, start):
    """Probability of revocation (and of exit) within ``horizon`` periods."""
    B, K = maintain.shape
    P, q = p["transition"], p["adversary_hazard"][:, None]
    x = np.zeros((B, K))
    x[np.arange(B), start] = 1.0
    rev = np.zeros(B)
    out = np.zeros(B)
    for _ in range(int(horizon)):
        leaving = (x * ~stay).sum(axis=1)
        out += leaving
        x = x * stay
        nxt = np.einsum("br,brs->bs", x, P)
        rev += (nxt * (q + (1 - q) * ~maintain)).sum(axis=1)
        x = nxt * (1 - q) * maintain
    return rev, out


def policy_rows(params: dict, maintain: np.ndarray, level_columns: int = 1):
    """The target conditions for a fixed maintain set with Y = all, as affine rows in y.

    Returns ``(alpha_p, beta_p, alpha_q, beta_q)``: the provider's maintain conditions
    ``alpha_p + beta_p * y >= 0`` (meaningful on regimes in ``maintain``) and the partner's
    stay conditions ``alpha_q + beta_q * y >= 0`` (every previous regime), each (B, K),
    valid for one instrument per point (its coefficients in ``params``).
    """
    B, K = maintain.shape
    stay = np.ones((B, K))
    A, r0, r1 = _provider_system(params, maintain, stay)
    U = _solve(A, np.stack([r0, r1], axis=2))
    U0, U1 = U[:, :, 0], U[:, :, 1]
    A, r0, r1 = _partner_system(params, maintain, stay)
    S = _solve(A, np.stack([r0, r1], axis=2))
    S0, S1 = S[:, :, 0], S[:, :, 1]
    P, d = params["transition"], params["discount"][:, None]
    alpha_p = params["provider_value"] - params["revocation_gain"] + d * np.einsum(
        "brs,bs->br", P, U0)
    beta_p = (params["coproduction"] - params["carry"] + params["forfeit"])[:, None] + d * \
        np.einsum("brs,bs->br", P, U1)
    O = (params["outside_option"] / (1 - params["discount"]))[:, None]
    return alpha_p, beta_p, S0 - O, S1


class _Shared(NamedTuple):
    """Candidate-independent pieces of a batch, batch axis LAST (computed once per chunk).

    The assurance path keeps every array with the points on the last, contiguous axis:
    each elementwise operation below then runs one long inner loop over the chunk instead
    of many loops of length K, and no small-matrix routine is called per point.
    """

    c: np.ndarray        # delta (1 - q)          (B,)
    qG: np.ndarray       # q G                    (K, B)
    keep: np.ndarray     # 1 - q                  (B,)
    w: np.ndarray        # w                      (K, B)
    G: np.ndarray        # G                      (K, B)
    pc: np.ndarray       # p - c                  (B,)
    f: np.ndarray        # forfeit                (B,)
    a1: np.ndarray       # partner's per-period value when kept   (B,)
    a0: np.ndarray       # ... when revoked                        (B,)
    b1: np.ndarray       # its slope in the level when kept        (B,)
    b0: np.ndarray       # ... when revoked                        (B,)
    O: np.ndarray        # o / (1 - delta)        (B,)
    P: np.ndarray        # Pi                     (K, K, B)
    dP: np.ndarray       # delta Pi               (K, K, B)
    cP: np.ndarray       # delta (1 - q) Pi       (K, K, B)


def _shared(p) -> _Shared:
    d, q = p["discount"], p["adversary_hazard"]
    keep = 1 - q
    O = p["outside_option"] / (1 - d)
    adv = q * (p["outside_option"] - p["revocation_loss"] + d * O)
    a1 = adv + (1 - q) * (p["access_value"] - p["collateral_cost"])
    a0 = adv + (1 - q) * (p["outside_option"] - p["revocation_loss"] + d * O)
    P = np.ascontiguousarray(np.moveaxis(p["transition"], 0, -1))     # (K, K, B)
    w = np.ascontiguousarray(p["provider_value"].T)
    G = np.ascontiguousarray(p["revocation_gain"].T)
    c = d * (1 - q)
    return _Shared(c, q * G, keep, w, G, p["coproduction"] - p["carry"], p["forfeit"],
                   a1, a0, (1 - q) * p["partner_flow"], (1 - q) * p["compensation"], O,
                   P, d * P, c * P)


def _magnitude_last(p, sh: _Shared) -> np.ndarray:
    """:func:`magnitude` from the batch-last arrays (the same numbers; the maxima over the
    regimes run across contiguous rows instead of along a short last axis)."""
    flows = np.maximum(np.abs(sh.w).max(axis=0), np.abs(sh.G).max(axis=0))
    flows = np.maximum(flows, np.maximum(np.abs(p["access_value"]), np.abs(p["outside_option"])))
    flows = np.maximum(flows, np.abs(p["revocation_loss"]))
    mag = flows / (1 - p["discount"])
    return np.where(mag > 0, mag, 1.0)


def _solve_last(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:func:`_solve` with the batch axis last: A (K, K, B), b (K, m, B) -> x (K, m, B).

    The same formulas as :func:`_solve` (Cramer's rule for K <= 3, Gaussian elimination
    without pivoting beyond), evaluated on contiguous per-entry rows of the batch.
    """
    K = A.shape[0]
    if K == 1:
        return b / A[0, 0]
    if K == 2:
        a, bb, c, d = A[0, 0], A[0, 1], A[1, 0], A[1, 1]
        det = a * d - bb * c
        x = np.empty_like(b)
        np.divide(d * b[0] - bb * b[1], det, out=x[0])
        np.divide(a * b[1] - c * b[0], det, out=x[1])
        return x
    if K == 3:
        a = A
        c00 = a[1, 1] * a[2, 2] - a[1, 2] * a[2, 1]
        c01 = a[1, 2] * a[2, 0] - a[1, 0] * a[2, 2]
        c02 = a[1, 0] * a[2, 1] - a[1, 1] * a[2, 0]
        c10 = a[0, 2] * a[2, 1] - a[0, 1] * a[2, 2]
        c11 = a[0, 0] * a[2, 2] - a[0, 2] * a[2, 0]
        c12 = a[0, 1] * a[2, 0] - a[0, 0] * a[2, 1]
        c20 = a[0, 1] * a[1, 2] - a[0, 2] * a[1, 1]
        c21 = a[0, 2] * a[1, 0] - a[0, 0] * a[1, 2]
        c22 = a[0, 0] * a[1, 1] - a[0, 1] * a[1, 0]
        inv_det = 1.0 / (a[0, 0] * c00 + a[0, 1] * c01 + a[0, 2] * c02)
        b0, b1, b2 = b[0], b[1], b[2]
        x = np.empty_like(b)
        x[0] = (c00 * b0 + c10 * b1 + c20 * b2) * inv_det
        x[1] = (c01 * b0 + c11 * b1 + c21 * b2) * inv_det
        x[2] = (c02 * b0 + c12 * b1 + c22 * b2) * inv_det
        return x
    A = A.copy()
    b = b.copy()
    for k in range(K):
        piv = A[k, k]
        if k + 1 < K:
            f = A[k + 1:, k] / piv                                  # (K-k-1, B)
            A[k + 1:, k:] -= f[:, None] * A[None, k, k:]
            b[k + 1:] -= f[:, None] * b[None, k]
    x = np.empty_like(b)
    for k in range(K - 1, -1, -1):
        if k + 1 < K:
            dot = A[k, k + 1] * x[k + 1]
            for j in range(k + 2, K):
                dot += A[k, j] * x[j]
            x[k] = (b[k] - dot) / A[k, k]
        else:
            x[k] = b[k] / A[k, k]
    return x


def _candidate_rows(sh: _Shared, m: np.ndarray):
    """policy_rows for one maintain set ``m`` (K,) shared by the batch, with Y = all.

    Returns the active rows (alpha, beta), each (|M| + K, B): the provider's conditions on
    the regimes of M, then the partner's stay conditions after every regime.
    """
    K, B = sh.w.shape
    P, cP = sh.P, sh.cP
    # provider: (I - c D_M Pi) U = qG + keep (m w + (1-m) G) + y keep (m (p-c) - (1-m) f);
    # a row outside M is the identity row (c * 0 = 0 exactly)
    Ap = np.zeros((K, K, B))
    rp = np.empty((K, 2, B))
    neg_f = -sh.f
    for r in range(K):
        if m[r]:
            np.subtract(0.0, cP[r], out=Ap[r])
            Ap[r, r] += 1.0
            np.add(sh.qG[r], sh.keep * sh.w[r], out=rp[r, 0])
            np.multiply(sh.keep, sh.pc, out=rp[r, 1])
        else:
            Ap[r, r] = 1.0
            np.add(sh.qG[r], sh.keep * sh.G[r], out=rp[r, 0])
            np.multiply(sh.keep, neg_f, out=rp[r, 1])
    # partner: (I - c Pi D_M) S = a1 Pi m + a0 (1 - Pi m) + y (b1 Pi m + b0 (1 - Pi m))
    sel = np.flatnonzero(m)
    PM = np.zeros((K, B))
    for s in sel:
        PM += P[:, s]
    rq = np.empty((K, 2, B))
    np.add(sh.a0, (sh.a1 - sh.a0) * PM, out=rq[:, 0])
    np.add(sh.b0, (sh.b1 - sh.b0) * PM, out=rq[:, 1])
    if sel.size == K:
        # M = all: both systems have the matrix I - c Pi, entry for entry, so one solve
        # with four right-hand sides gives the same numbers as two solves
        X = _solve_last(Ap, np.concatenate([rp, rq], axis=1))      # (K, 4, B)
        U, S = X[:, :2], X[:, 2:]
    else:
        U = _solve_last(Ap, rp)                                     # (K, 2, B)
        Aq = np.zeros((K, K, B))
        for s in range(K):
            if m[s]:
                np.subtract(0.0, cP[:, s], out=Aq[:, s])
        for r in range(K):
            Aq[r, r] += 1.0
        S = _solve_last(Aq, rq)                                     # (K, 2, B)
    nm = sel.size
    alpha = np.empty((nm + K, B))
    beta = np.empty((nm + K, B))
    pcf = sh.pc + sh.f
    for j, r in enumerate(sel):
        dPU = sh.dP[r, 0] * U[0]                                    # (2, B)
        for s in range(1, K):
            dPU += sh.dP[r, s] * U[s]
        np.add(sh.w[r] - sh.G[r], dPU[0], out=alpha[j])
        np.add(pcf, dPU[1], out=beta[j])
    np.subtract(S[:, 0], sh.O, out=alpha[nm:])
    beta[nm:] = S[:, 1]
    return alpha, beta, sel


def _interval_all(alpha, beta, cap, tol, mag):
    """Smallest y in [0, cap] with alpha + beta y >= 0 on every row (rows first, batch last);
    returns (lo, feasible, arg): arg is the first binding row (-1 when lo = 0)."""
    pos = beta > tol
    neg = beta < -tol
    with np.errstate(divide="ignore", invalid="ignore"):
        root = -alpha / beta
    lower = np.where(pos, root, -np.inf)
    low = lower.max(axis=0)
    # the first row attaining the maximum, as argmax (no NaN here: beta > tol on ``pos``)
    arg_l = np.zeros(low.shape, dtype=np.intp)
    step = np.empty(low.shape, dtype=np.intp)
    for r in range(lower.shape[0] - 1, 0, -1):
        np.subtract(arg_l, r, out=step)
        step *= lower[r] == low
        arg_l -= step
    arg_l *= lower[0] != low
    lo = np.maximum(0.0, low)
    arg = np.where(low > 0, arg_l, -1)
    hi = np.minimum(cap, np.where(neg, root, np.inf).min(axis=0))
    flat_bad = (~pos & ~neg & (alpha < -tol * mag)).any(axis=0)
    ok = (lo <= hi + tol * (mag + np.abs(lo))) & ~flat_bad
    return lo, ok, arg


def minimum_assurance(params: dict, target: str, *, tol: float = _TOL) -> AssuranceArrays:
    """Exact minimum assurance (one instrument per point) for a batch.

    Continuity: the single candidate M = all. Participation: the smallest level over the 2^K
    candidate maintain sets M (with Y = all); each candidate's feasible levels are an
    interval cut out by affine conditions, so the answer is exact (no bisection).

    Examples
    --------
    The textbook bond: delta = 0.9, w = 1, G = 12, L = 6 and a bond gives 2 for both targets.

    >>> import numpy as np
    >>> p = dict(discount=np.array([0.9]), transition=np.ones((1, 1, 1)),
    ...          provider_value=np.array([[1.0]]), revocation_gain=np.array([[12.0]]),
    ...          access_value=np.array([3.0]), outside_option=np.array([1.2]),
    ...          revocation_loss=np.array([6.0]))
    >>> p.update({k: np.array([v]) for k, v in SCALARS.items() if k not in p})
    >>> [float(minimum_assurance(p, t).amount[0]) for t in ("participation", "continuity")]
    [2.0, 2.0]
    """
    B, K = params["provider_value"].shape
    if B > _BLOCK:
        parts = [_assurance_block({k: v[a:a + _BLOCK] for k, v in params.items()}, target, tol)
                 for a in range(0, B, _BLOCK)]
        return AssuranceArrays(*(np.concatenate(f) for f in zip(*parts)))
    return _assurance_block(params, target, tol)


#: Points per block inside :func:`minimum_assurance`: the temporaries of one block (a few
#: dozen arrays of _BLOCK doubles) stay in the L2 cache and are recycled by the allocator.
_BLOCK = 8192


def _assurance_block(params: dict, target: str, tol: float) -> AssuranceArrays:
    B, K = params["provider_value"].shape
    cap = params["cap"]
    if target == "continuity":
        candidates = [np.ones(K, dtype=bool)]
    else:
        candidates = [np.array(bits, dtype=bool)
                      for bits in itertools.product([True, False], repeat=K)]
    best = np.full(B, np.inf)
    best_m = np.zeros((B, K), dtype=bool)
    b_reg = np.full(B, -1)
    b_side = np.zeros(B, dtype=np.int8)
    reason = np.zeros(B, dtype=np.int8)
    sh = _shared(params)
    mag = _magnitude_last(params, sh)
    for idx, cand in enumerate(candidates):
        alpha, beta, sel = _candidate_rows(sh, cand)
        lo, ok, arg = _interval_all(alpha, beta, cap, tol, mag)
        nm = sel.size
        if idx == 0:
            reason = _reason_rows(alpha, beta, cap, nm, tol, mag)
        better = ok & (lo < best - tol * (mag + np.abs(lo)))
        if not better.any():
            continue
        np.copyto(best, lo, where=better)
        best_m[better] = cand
        reg = np.where(arg < 0, -1, np.where(arg < nm, sel[np.minimum(arg, max(nm - 1, 0))]
                                             if nm else -1, arg - nm))
        np.copyto(b_reg, reg, where=better)
        b_side = np.where(better, np.where(arg < 0, 0, np.where(arg < nm, 1, 2)), b_side)
    constructible = np.isfinite(best)
    reason = np.where(constructible, 0, np.where(reason == 0, 3, reason)).astype(np.int8)
    amount = np.where(constructible, best, np.nan) + 0.0  # no negative zeros
    b_side = np.where(constructible & np.isfinite(cap) & (amount > 0)
                      & (np.abs(amount - cap) <= tol * (mag + np.abs(amount))),
                      3, b_side).astype(np.int8)
    cost = (params["carry"] - params["coproduction"]) * amount / (1 - params["discount"])
    return AssuranceArrays(amount, constructible, reason, cost, best_m, b_reg, b_side)


def _reason_rows(alpha, beta, cap, n_provider, tol, mag):
    """Why the first candidate fails: partner (1), cannot deter (2), cap (3), ok (0).

    Rows first, batch last (as :func:`_candidate_rows` returns them)."""
    violated = alpha < -tol * mag
    hopeless = violated & (beta <= tol)
    partner_hopeless = hopeless[n_provider:].any(axis=0)
    provider_hopeless = hopeless[:n_provider].any(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        need = np.where(violated & (beta > tol), -alpha / np.where(beta > tol, beta, 1), 0.0)
    over = (need > cap + tol * mag).any(axis=0)
    return np.where(partner_hopeless, 1, np.where(provider_hopeless, 2,
                                                  np.where(over, 3, 0))).astype(np.int8)


# --------------------------------------------------------------------------- broadcasting

def broadcast_parameters(arrays: dict) -> tuple[tuple[int, ...], int, dict]:
    """Batch shape, K and the arrays padded for chunked indexing.

    ``transition`` has shape (..., K, K); per-regime arrays (..., K) or (..., 1) or scalars;
    the rest are scalars per point (...). Returns arrays reshaped so that their leading
    dimensions align with the batch shape (size-1 where they broadcast).
    """
    P = np.asarray(arrays["transition"], dtype=float)
    K = P.shape[-1]
    shapes = [P.shape[:-2]]
    fixed = {"transition": (P, 2)}
    for name, value in arrays.items():
        if name == "transition":
            continue
        a = np.asarray(value, dtype=float)
        if name in REGIME:
            if a.ndim == 0:
                a = a[None]
            fixed[name] = (a, 1)
            shapes.append(a.shape[:-1])
        else:
            fixed[name] = (a, 0)
            shapes.append(a.shape)
    batch = np.broadcast_shapes(*shapes)
    out = {}
    for name, (a, tail) in fixed.items():
        lead = a.shape[:a.ndim - tail]
        a = a.reshape((1,) * (len(batch) - len(lead)) + lead + a.shape[a.ndim - tail:])
        out[name] = a
    return batch, K, out


def take_rows(padded: dict, batch: tuple[int, ...], K: int, start: int, stop: int) -> dict:
    """The flattened batch rows start:stop of broadcast-padded arrays (no full copy)."""
    n = stop - start
    out = {}
    if len(batch) == 1:
        # one batch axis: the rows are a slice (a view) of every full-length array
        for name, a in padded.items():
            v = a[start:stop] if a.shape[0] == batch[0] else a
            out[name] = _rows(name, np.broadcast_to(v, (n,) + a.shape[1:]), n, K)
        return out
    idx = np.unravel_index(np.arange(start, stop), batch) if batch else ()
    for name, a in padded.items():
        sel = tuple(np.zeros(n, dtype=np.intp) if a.shape[d] == 1 else idx[d]
                    for d in range(len(batch)))
        v = a[sel] if batch else np.broadcast_to(a, (n,) + a.shape)
        out[name] = _rows(name, v, n, K)
    return out


def _rows(name: str, v: np.ndarray, n: int, K: int) -> np.ndarray:
    """One parameter's rows as a contiguous float array: (n, K) per regime, (n,) scalar,
    (n, K, K) for the transition."""
    if name in REGIME:
        v = np.broadcast_to(v, (n, K))
    elif name != "transition":
        v = np.broadcast_to(v, (n,))
    return np.ascontiguousarray(v, dtype=float)


def chunks(size: int, chunk: int):
    """Consecutive (start, stop) ranges of at most ``chunk`` points."""
    for start in range(0, size, chunk):
        yield start, min(size, start + chunk)


def n_chunks(size: int, chunk: int) -> int:
    return max(1, math.ceil(size / chunk))

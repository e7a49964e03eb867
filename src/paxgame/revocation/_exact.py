"""Exact (rational) re-verification for ``verify(exact=True)``: one partner at a time.

The partner-best equilibrium is recomputed in :class:`fractions.Fraction` arithmetic by
the same best-response iteration (policy iteration for each side, both from "all regimes"),
with dense Gaussian elimination on fractions. Used for bilateral targeted scenarios whose
numbers are rationals with small denominators (every number is read as the simplest
fraction within float rounding, so 0.1 is 1/10 and 0.857142857142857 is 6/7).
"""

from __future__ import annotations

from fractions import Fraction

from . import _model


def _solve(A, b):
    n = len(b)
    M = [list(A[i]) + [b[i]] for i in range(n)]
    for k in range(n):
        piv = next(i for i in range(k, n) if M[i][k] != 0)
        M[k], M[piv] = M[piv], M[k]
        for i in range(n):
            if i != k and M[i][k] != 0:
                f = M[i][k] / M[k][k]
                M[i] = [a - f * c for a, c in zip(M[i], M[k])]
    return [M[i][n] / M[i][i] for i in range(n)]


def partner_rows(sc, i: int):
    """The exact parameters of partner i (instrument coefficients per unit, per instrument)."""
    p = _model.base_params(sc, [i])
    coef = _model.coefficients(sc)
    F = lambda a: _rationals(a)  # noqa: E731
    out = {k: F(v[0]) for k, v in p.items()}
    out["coef"] = {k: F(coef[k][i]) for k in _model.COEFS}
    return out


def equilibrium(sc, i: int, levels):
    """Exact partner-best (maintain, stay) of partner i at rational ``levels`` (per instrument)."""
    r = partner_rows(sc, i)
    K = sc.n_regimes
    d, P, q = r["discount"], r["transition"], r["adversary_hazard"]
    y = [Fraction(x) for x in levels]
    lin = {k: sum((c * yy for c, yy in zip(r["coef"][k], y)), Fraction(0)) for k in r["coef"]}
    w = [r["provider_value"][s] + lin["coproduction"] - lin["carry"] for s in range(K)]
    stop = [r["revocation_gain"][s] - lin["forfeit"] for s in range(K)]
    G = r["revocation_gain"]
    O = r["outside_option"] / (1 - d)
    adv = r["outside_option"] - r["revocation_loss"] + d * O
    inflow = r["access_value"] - r["collateral_cost"] + lin["partner_flow"]
    rev = r["outside_option"] - r["revocation_loss"] + lin["compensation"] + d * O

    def provider(stay):
        M = [True] * K
        for _ in range(K + 2):
            A = [[(1 if s == t else 0) - (d * (1 - q) * P[s][t] if M[s] and stay[s] else 0)
                  for t in range(K)] for s in range(K)]
            b = [q * G[s] + (1 - q) * (w[s] if M[s] else stop[s]) for s in range(K)]
            U = _solve(A, b)
            keep = [w[s] + (d * sum(P[s][t] * U[t] for t in range(K)) if stay[s] else 0)
                    >= stop[s] for s in range(K)]
            if keep == M:
                return M
            M = keep
        return M

    def partner(M):
        Y = [True] * K
        for _ in range(K + 2):
            per = [q * adv + (1 - q) * ((inflow + (0 if Y[s] else d * O)) if M[s] else rev)
                   for s in range(K)]
            A = [[(1 if r_ == t else 0) - (d * (1 - q) * P[r_][t] if M[t] and Y[t] else 0)
                  for t in range(K)] for r_ in range(K)]
            b = [sum(P[r_][s] * per[s] for s in range(K)) for r_ in range(K)]
            S = _solve(A, b)
            new = [S[s] >= O for s in range(K)]
            if new == Y:
                return Y
            Y = new
        return Y

    stay = [True] * K
    for _ in range(2 * K + 3):
        M = provider(stay)
        new = partner(M)
        if new == stay:
            return M, stay
        stay = new
    return provider(stay), stay


def _rationals(a):
    import numpy as np

    arr = np.asarray(a, dtype=float)
    if arr.ndim == 0:
        return rational(float(arr))
    return [_rationals(x) for x in arr]


def rational(x: float, denominator: int = 10 ** 9) -> Fraction:
    """The rational a float stands for.

    The closest fraction with denominator <= ``denominator`` when it lies within 4 ulps of
    x (recovers e.g. 31/7 from 4.428571428571429 and 6/7 from 0.857142857142857); otherwise
    the decimal reading of x's shortest repr (so 1e-12 is 1/10**12, not 0, and
    1 - 1e-12 is 999999999999/10**12, not 1: nearly reducible transition matrices keep
    their small entries).
    """
    import math

    x = float(x)
    near = Fraction(x).limit_denominator(denominator)
    if abs(near - Fraction(x)) <= 4 * Fraction(math.ulp(x)):
        return near
    return Fraction(repr(x))


def minimum_for(sc, i: int, maintain) -> Fraction | None:
    """The exact smallest level of the (single) instrument for which the maintain set
    ``maintain`` with stay everywhere meets the provider's and partner's conditions
    (the kernel's interval for that candidate, in rational arithmetic); None if empty."""
    r = partner_rows(sc, i)
    K = sc.n_regimes
    d, P, q = r["discount"], r["transition"], r["adversary_hazard"]
    cf = {k: v[0] for k, v in r["coef"].items()}
    G, w = r["revocation_gain"], r["provider_value"]
    O = r["outside_option"] / (1 - d)
    adv = r["outside_option"] - r["revocation_loss"] + d * O
    M = list(maintain)
    A = [[(1 if s == t else 0) - (d * (1 - q) * P[s][t] if M[s] else 0) for t in range(K)]
         for s in range(K)]
    U0 = _solve(A, [q * G[s] + (1 - q) * (w[s] if M[s] else G[s]) for s in range(K)])
    U1 = _solve(A, [(1 - q) * ((cf["coproduction"] - cf["carry"]) if M[s] else -cf["forfeit"])
                    for s in range(K)])
    rows = []
    for s in range(K):
        if M[s]:
            rows.append((w[s] - G[s] + d * sum(P[s][t] * U0[t] for t in range(K)),
                         cf["coproduction"] - cf["carry"] + cf["forfeit"]
                         + d * sum(P[s][t] * U1[t] for t in range(K))))
    inflow = r["access_value"] - r["collateral_cost"]
    rev = r["outside_option"] - r["revocation_loss"] + d * O
    Aq = [[(1 if a == t else 0) - (d * (1 - q) * P[a][t] if M[t] else 0) for t in range(K)]
          for a in range(K)]
    per0 = [q * adv + (1 - q) * (inflow if M[s] else rev) for s in range(K)]
    per1 = [(1 - q) * (cf["partner_flow"] if M[s] else cf["compensation"]) for s in range(K)]
    S0 = _solve(Aq, [sum(P[a][s] * per0[s] for s in range(K)) for a in range(K)])
    S1 = _solve(Aq, [sum(P[a][s] * per1[s] for s in range(K)) for a in range(K)])
    rows += [(S0[a] - O, S1[a]) for a in range(K)]
    lo, hi = Fraction(0), None
    for alpha, beta in rows:
        if beta > 0:
            lo = max(lo, -alpha / beta)
        elif beta < 0:
            hi = -alpha / beta if hi is None else min(hi, -alpha / beta)
        elif alpha < 0:
            return None
    if hi is not None and lo > hi:
        return None
    return lo

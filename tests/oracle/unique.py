"""Brute force for the unique targets: every equilibrium of the whole game, and the cheapest
package on a grid at which every equilibrium keeps the partners in.

Independent of paxgame (numpy, itertools only, plus the oracle's own ``revocation``).

An equilibrium of the whole exact-state game assigns to every set P an equilibrium of the
subgame at P given what it assigns to the sets strictly inside P (a pure Markov perfect
equilibrium, by the one-shot deviation principle). ``all_equilibria`` walks the sets from
the smallest up and branches over every subgame equilibrium instead of the selected one.
"""

import itertools

import numpy as np

from .revocation import Subgame, derived, members, popcount, sizes

MAX = 20000


def all_equilibria(d, y, cap=MAX):
    """Every pure Markov perfect equilibrium of the whole game at levels ``y``: a list of
    dicts P -> profile record (see ``revocation.Subgame.evaluate``)."""
    n, K, J = sizes(d)
    y = np.asarray(y, dtype=float).reshape(n, J)
    e = derived(d, y)
    N = (1 << n) - 1
    order = sorted(range(1, N + 1), key=lambda m: (popcount(m), m))
    out = []

    def rec(k, sel):
        if len(out) >= cap:
            raise RuntimeError("oracle: too many equilibria")
        if k == len(order):
            out.append(dict(sel))
            return
        P = order[k]
        sg = Subgame(d, e, P, sel)
        for bits in itertools.product((0, 1), repeat=len(sg.mem) * K):
            sigma = {i: tuple(bits[a * K:(a + 1) * K]) for a, i in enumerate(sg.mem)}
            record, ok = sg.evaluate(sigma)
            if ok:
                sel2 = dict(sel)
                sel2[P] = record
                rec(k + 1, sel2)

    rec(0, {})
    return out


def good(d, sel, target):
    """Whether one equilibrium keeps every partner in at the full set (and, for
    ``unique_continuity``, the provider keeps them all)."""
    n, K, _ = sizes(d)
    N = (1 << n) - 1
    top = sel[N]
    if any(not top["sigma"][i][r] for i in range(n) for r in range(K)):
        return False
    if target == "unique_continuity":
        return all(R == 0 for R in top["R"])
    if target != "unique_participation":
        raise ValueError(f"good: unknown target {target!r}")
    return True


def unique_met(d, y, target):
    """(met, count): at least one equilibrium and every one is good."""
    eqs = all_equilibria(d, y)
    return bool(eqs) and all(good(d, s, target) for s in eqs), len(eqs)


def cost_and_commitment(d, y):
    y = np.asarray(y, dtype=float)
    kappa = (d["c"] - d["p"]) / (1 - d["delta"])
    s = np.where(np.isfinite(d["cap"]), d["cap"], 1.0)
    s = np.where(s > 0, s, np.inf)
    return float((y * kappa[None, :]).sum()), float((y / s[None, :]).sum())


def grid_minimum(d, target, values, below=None):
    """The cheapest grid package (one instrument; every partner's level from ``values``,
    clipped to the cap) at which every equilibrium is good, by (cost, commitment).

    With ``below`` = (cost, commitment) only points strictly cheaper (lexicographically,
    beyond a relative 1e-6) are tried, and the first one found is returned.
    Returns (y, cost, commitment) or None.
    """
    n, K, J = sizes(d)
    if J != 1:
        raise ValueError("grid_minimum: one instrument only")
    vals = sorted({min(float(v), float(d["cap"][0])) for v in values})
    pts = []
    for combo in itertools.product(vals, repeat=n):
        y = np.array(combo, dtype=float).reshape(n, 1)
        pts.append((cost_and_commitment(d, y), y))
    pts.sort(key=lambda t: t[0])
    for (cost, com), y in pts:
        if below is not None:
            bc, bm = below
            tc = 1e-6 * (1 + abs(bc))
            if cost > bc + tc or (cost > bc - tc and com >= bm - 1e-6 * (1 + abs(bm))):
                return None
        if unique_met(d, y, target)[0]:
            return y, cost, com
    return None


def ranking_gain(d, y, sel, before, i):
    """Partner i's least gain (over regimes) from staying at the full set when exactly
    ``before`` stay with it (the others leave), the smaller sets playing ``sel`` (and, when
    everyone stays, the provider revoking as in ``sel``'s full-set record)."""
    n, K, J = sizes(d)
    e = derived(d, np.asarray(y, dtype=float).reshape(n, J))
    N = (1 << n) - 1
    sg = Subgame(d, e, N, sel)
    S = sum(1 << k for k in list(before) + [i])
    top = sel[N]
    Vi = top["V"][i]
    worst = np.inf
    for r in range(K):
        worst = min(worst, sg.stay_value(i, r, S, top["R"], Vi) - e["X"][i, r])
    return worst, e["tol"]


__all__ = ["all_equilibria", "good", "unique_met", "grid_minimum", "cost_and_commitment",
           "ranking_gain", "members"]

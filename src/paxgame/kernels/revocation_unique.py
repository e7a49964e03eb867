"""Every pure Markov perfect equilibrium of the exact-state revocation game.

:func:`paxgame.kernels.revocation_exact.solve` fixes every smaller coalition to the
equilibrium it selects and enumerates the profiles of the full coalition against those.
Here no subgame is fixed: the sets ``P`` are visited from the smallest up and, for every
combination of equilibria already chosen on the sets strictly inside ``P`` (a *context*),
every partner profile at ``P`` is tried against the provider's optimal policy; each
equilibrium found extends the combination. The leaves are the pure Markov perfect
equilibria of the whole game (a profile is one iff it is an equilibrium of every subgame
given its own play on the smaller sets, by the one-shot deviation principle).

The subgame at ``P`` depends only on the play strictly inside ``P``, so its equilibria are
cached by the choices made on those sets. Enumeration stops after ``max_equilibria``
leaves (``complete`` False).
"""

from __future__ import annotations

import copy
from typing import NamedTuple

import numpy as np

from . import revocation_exact as kx

__all__ = ["AllEquilibria", "all_equilibria", "full_set_outcomes", "MAX_EQUILIBRIA"]

#: Largest number of equilibria of the whole game enumerated before stopping.
MAX_EQUILIBRIA = 4096


class AllEquilibria(NamedTuple):
    """The pure Markov perfect equilibria of the whole exact-state game.

    ``profiles`` lists each as ``(stay (2^n, n, K) bool, revoke (2^n, K) int, V (n, K) at
    the full set)``. ``complete`` is False when enumeration stopped (a subgame too large to
    enumerate, or more than ``max_equilibria`` equilibria). ``empty_subgame`` is the first
    set (bitmask) met with no equilibrium in some context (0 if none).
    """

    profiles: list
    complete: bool
    empty_subgame: int


def _subgame_equilibria(p, t, P, cache):
    """Every equilibrium of subgame ``P`` given the tables ``t`` (a batch of one point):
    ([(stayer masks (K,), keep (K,), U (K,), V (n, K))], the subgame's constants)."""
    sg = kx._Subgame(p, t, P, cache)
    K = t.K
    nS = len(sg.subsets)
    G = nS ** K
    found = []
    for a in range(0, G, kx.PROFILE_BUDGET):
        rows = kx._grid_block(nS, K, a, min(G, a + kx.PROFILE_BUDGET))[None]
        ok, keep, U, V, _ = sg.evaluate(rows)
        for g in np.flatnonzero(ok[0]):
            found.append((sg.masks[rows[0, g]], keep[0, g].copy(), U[0, g].copy(),
                          V[0, g].copy()))
    return found, sg


def _fill(p, t, P, sg, item):
    """Write one subgame equilibrium into the tables (as the selection does)."""
    masks, keep, U, V = item
    for i in sg.mem:
        t.stay[0, P, i] = (masks >> i & 1).astype(bool)
    t.U[0, P] = U
    t.V[0, P] = V
    t.revoke[0, P] = np.where(keep, 0, sg.brev_R[0])
    t.D[0, P] = np.where(keep, sg.keep_flow[0] + p.delta[0] * U, sg.brev_v[0])
    for i in sg.mem:
        t.node[0, P, i] = np.where(keep, p.flow[0, i] + p.delta[0] * V[i], sg.node_rev[0, i])


def all_equilibria(p: kx.ExactParams, limit: int = kx.ENUMERATION_LIMIT,
                   max_equilibria: int = MAX_EQUILIBRIA) -> AllEquilibria:
    """Every pure Markov perfect equilibrium of the exact-state game (see module notes).

    Parameters
    ----------
    p : ExactParams
    limit : int
        Largest number of partner profiles enumerated in one subgame; a larger subgame
        stops the enumeration (``complete`` False).
    max_equilibria : int

    Returns
    -------
    AllEquilibria
    """
    n, K = p.flow.shape
    full = (1 << n) - 1
    order = sorted(range(1, full + 1), key=lambda m: (kx.popcount(m), m))
    for P in order:
        if (1 << (kx.popcount(P) * K)) > limit:
            return AllEquilibria([], False, 0)
    inside = {P: [k for k, Q in enumerate(order) if Q != P and Q & ~P == 0] for P in order}
    cache: dict = {}
    out: list = []
    state = {"complete": True, "empty": 0}

    def visit(k, t, choice):
        if len(out) >= max_equilibria:
            state["complete"] = False
            return
        if k == len(order):
            out.append((t.stay[0].copy(), t.revoke[0].copy(), t.V[0, full].copy()))
            return
        P = order[k]
        key = (P, tuple(choice[m] for m in inside[P]))
        if key not in found_at:
            found_at[key] = _subgame_equilibria(pb, t, P, cache)
        found, sg = found_at[key]
        if not found and not state["empty"]:
            state["empty"] = P
        for idx, item in enumerate(found):
            t2 = copy.deepcopy(t) if idx < len(found) - 1 else t
            _fill(pb, t2, P, sg, item)
            visit(k + 1, t2, choice + [idx])

    pb = kx.stack_params([p])
    found_at: dict = {}
    visit(0, kx._BatchTables(pb), [])
    return AllEquilibria(out, state["complete"], state["empty"])


def full_set_outcomes(eqs: AllEquilibria, n: int) -> np.ndarray:
    """(m, n, K) stay decisions at the full set, one row per equilibrium."""
    full = (1 << n) - 1
    if not eqs.profiles:
        return np.zeros((0, n, 0), dtype=bool)
    return np.array([st[full] for st, _, _ in eqs.profiles])

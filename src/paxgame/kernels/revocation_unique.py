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


def _fill(p, t, P, K, found_item, brev, keep_flow):
    """Write one subgame equilibrium into the tables (as the selection does)."""
    Srows, keep, U, V = found_item
    mem = kx.members(P)
    for r, S in enumerate(Srows):
        for i in mem:
            t.stay[P, i, r] = bool(S >> i & 1)
    t.U[P] = U
    t.V[P] = V
    for s in range(K):
        if keep[s]:
            t.revoke[P, s] = 0
            t.D[P, s] = keep_flow[s] + p.delta * U[s]
        else:
            t.revoke[P, s] = brev[s][1]
            t.D[P, s] = brev[s][0]
        for i in mem:
            t.node[P, i, s] = kx._node_partner_value(p, t, s, P, int(t.revoke[P, s]), i,
                                                     V[i, s])


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
            out.append((t.stay.copy(), t.revoke.copy(), t.V[full].copy()))
            return
        P = order[k]
        key = (P, tuple(choice[m] for m in inside[P]))
        if key not in cache:
            found, brev, keep_flow, _ = kx._solve_subgame(p, t, P, True)
            cache[key] = (found, brev, keep_flow)
        found, brev, keep_flow = cache[key]
        if not found and not state["empty"]:
            state["empty"] = P
        for idx, item in enumerate(found):
            t2 = copy.deepcopy(t) if idx < len(found) - 1 else t
            _fill(p, t2, P, K, item, brev, keep_flow)
            visit(k + 1, t2, choice + [idx])

    visit(0, kx._Tables(p), [])
    return AllEquilibria(out, state["complete"], state["empty"])


def full_set_outcomes(eqs: AllEquilibria, n: int) -> np.ndarray:
    """(m, n, K) stay decisions at the full set, one row per equilibrium."""
    full = (1 << n) - 1
    if not eqs.profiles:
        return np.zeros((0, n, 0), dtype=bool)
    return np.array([st[full] for st, _, _ in eqs.profiles])

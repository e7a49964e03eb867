"""The revocation game on its exact state: equilibria, profile values, one-shot gains.

Plain arrays in and out (numpy only). A scenario with ``n`` partners and ``K`` regimes is
played on the exact state ``(r, P)``: ``r`` the previous regime, ``P`` the set of partners
still present, stored as a bitmask (bit ``i`` set when partner ``i`` is in). A period:

1. every partner in ``P`` stays or exits (exit pays ``X[i, r]`` in total);
2. regime ``s ~ transition[r]``;
3. every stayer turns adversarial with probability ``hazard[i]`` and is removed (the provider
   takes ``gain[i, s]``; the adversary gets ``Obar[i, s] - loss[i, s]``); when some stayer
   turned adversarial every remaining ally gets ``outage[i, s]`` (an expected one-period
   collateral cost, possibly compensated);
4. the provider, at the decision node ``(s, Q)`` (``Q`` the allies left), revokes a set
   ``R`` (any subset, or with ``blanket`` only the empty set or ``Q``). A revoked partner gets
   ``Obar - loss + compensation`` in total, the provider ``gain - forfeit``; a spared one
   gets ``flow`` and the provider ``provider_flow``; then the state is ``(s, Q - R)``, except
   that with ``collective`` governance and ``R`` non-empty the spared allies take the
   period's flow and leave (they get ``delta * X[i, s]`` afterwards, the provider nothing).

Here ``Obar = (I - delta Pi)^-1 o`` is the value of the outside option from a regime on and
``X[i, r] = sum_s Pi[r, s] Obar[i, s]`` the value of exiting after regime ``r``.

A *profile* is ``stay`` (2^n, n, K) of bool (``stay[P, i, r]``: partner ``i`` stays at state
``(r, P)``; only ``i`` in ``P`` is read) and ``revoke`` (2^n, K) of int (the bitmask revoked
at node ``(s, Q)``, indexed by ``Q``). Values: ``V`` (2^n, n, K) for partners, ``U`` (2^n, K)
for the provider, at the start of a period in each state.

:func:`solve` finds the selected pure Markov perfect equilibrium by enumeration, subgame by
subgame from the smallest sets up: in subgame ``P`` every partner profile is tried (the
provider's best response is the optimal policy of its Markov decision problem, found by
policy iteration), the equilibria kept, and the one with the greatest sum of the partners'
values selected (ties: more staying, then the lexicographically largest stay pattern).
:func:`profile_values` evaluates any profile on the whole state space with one linear
solve per player, and :func:`one_shot_gains` gives every one-shot deviation gain; together
they are the independent check of an equilibrium.
"""

from __future__ import annotations

import functools
import itertools
from typing import NamedTuple

import numpy as np

__all__ = ["ExactParams", "ExactSolution", "solve", "profile_values", "one_shot_gains",
           "horizon_probabilities", "exit_values", "popcount", "members", "ENUMERATION_LIMIT",
           "partner_timeline"]

#: Largest number of partner profiles enumerated in one subgame (2^(|P| K)).
ENUMERATION_LIMIT = 2 ** 16


class ExactParams(NamedTuple):
    """One scenario at given instrument levels (all instrument effects already applied).

    Shapes: ``(n, K)`` for per-partner, per-regime arrays; ``(n,)`` for ``hazard``.
    ``flow`` is the partner's flow while maintained (access value plus instrument flows),
    ``provider_flow`` the provider's flow from the partner net of instrument costs,
    ``forfeit`` and ``compensation`` the credible payments on a revocation, ``outage`` the
    ally's expected one-period payoff when another partner is removed as an adversary.
    """

    delta: float
    transition: np.ndarray
    flow: np.ndarray
    outside: np.ndarray
    loss: np.ndarray
    provider_flow: np.ndarray
    gain: np.ndarray
    forfeit: np.ndarray
    compensation: np.ndarray
    outage: np.ndarray
    hazard: np.ndarray
    collective: bool
    blanket: bool
    tol: float


class ExactSolution(NamedTuple):
    """The selected equilibrium on every subgame, and what was enumerated at the full set.

    ``status`` is ``"optimal"``, ``"no_pure_equilibrium"`` (some subgame has none) or
    ``"not_converged"`` (a subgame too large to enumerate where best responses cycled).
    ``equilibria`` lists, for the full set, every equilibrium found as ``(stay (n, K),
    keep (K,) bool, V (n, K))``; ``selected`` is its index. ``exact`` is False when some
    subgame was too large to enumerate (best-response iteration from "everyone stays").
    """

    status: str
    stay: np.ndarray
    revoke: np.ndarray
    V: np.ndarray
    U: np.ndarray
    equilibria: list
    selected: int
    exact: bool


def popcount(mask: int) -> int:
    return bin(mask).count("1")


@functools.lru_cache(maxsize=4096)
def members(mask: int) -> tuple[int, ...]:
    return tuple(i for i in range(int(mask).bit_length()) if mask >> i & 1)


def exit_values(delta, transition: np.ndarray, outside: np.ndarray, linsolve=np.linalg.solve):
    """``Obar`` (n, K) = (I - delta Pi)^-1 o per partner and ``X`` (n, K) = Pi Obar.

    ``linsolve`` solves ``A x = B`` (default numpy's; pass a rational solver with object
    arrays of fractions for exact arithmetic)."""
    K = transition.shape[0]
    obar = linsolve(np.eye(K, dtype=transition.dtype) - delta * transition, outside.T).T
    return obar, obar @ transition.T


def _adversary_sets(p: ExactParams, S: int):
    """[(A, probability)] over the subsets A of S that turn adversarial."""
    return _adversary_table(tuple(p.hazard.tolist()), int(S))


@functools.lru_cache(maxsize=65536)
def _adversary_table(hazard: tuple, S: int):
    out = []
    mem = members(S)
    for bits in itertools.product((0, 1), repeat=len(mem)):
        A, pr = 0, 1
        for i, b in zip(mem, bits):
            if b:
                A |= 1 << i
                pr = pr * hazard[i]
            else:
                pr = pr * (1 - hazard[i])
        if pr > 0:
            out.append((A, pr))
    return tuple(out)


def _allowed(p: ExactParams, Q: int) -> list[int]:
    """Non-empty revocation sets at node Q, in tie-rule order (fewer, then lower indices)."""
    if Q == 0:
        return []
    if p.blanket:
        return [Q]
    mem = members(Q)
    sets = []
    for size in range(1, len(mem) + 1):
        for combo in itertools.combinations(mem, size):
            sets.append(sum(1 << i for i in combo))
    return sets


def _revocation_value(p, s, Q, R, U):
    """The provider's value at node (s, Q) from revoking the non-empty set R."""
    val = 0.0
    for i in members(Q):
        val += (p.gain[i, s] - p.forfeit[i, s]) if R >> i & 1 else p.provider_flow[i, s]
    if not p.collective:
        val += p.delta * U[Q & ~R, s]
    return val


class _Tables:
    """Selected-subgame quantities, filled by increasing set size."""

    def __init__(self, p: ExactParams):
        n, K = p.flow.shape
        self.n, self.K = n, K
        size = 1 << n
        self.stay = np.zeros((size, n, K), dtype=bool)
        self.revoke = np.zeros((size, K), dtype=np.int64)
        self.V = np.zeros((size, n, K))
        self.U = np.zeros((size, K))
        self.D = np.zeros((size, K))             # provider's value at node (s, Q)
        self.node = np.zeros((size, n, K))       # partner's value at node (s, Q)
        self.obar, self.X = exit_values(p.delta, p.transition, p.outside)


def _node_partner_value(p, t, s, Q, R, i, V_same):
    """Partner i's value at node (s, Q) when R is revoked (V_same: V_i(s, Q) if R empty)."""
    if R >> i & 1:
        return t.obar[i, s] - p.loss[i, s] + p.compensation[i, s]
    if R == 0:
        return p.flow[i, s] + p.delta * V_same
    if p.collective:
        return p.flow[i, s] + p.delta * t.X[i, s]
    return p.flow[i, s] + p.delta * t.V[Q & ~R, i, s]


def _best_revocation(p, t, P, s):
    """(value, set) of the best non-empty revocation at node (s, P) (subgames known)."""
    best_v, best_R = -np.inf, 0
    for R in _allowed(p, P):
        v = _revocation_value(p, s, P, R, t.U)
        if v > best_v + p.tol:
            best_v, best_R = v, R
    return best_v, best_R


def _solve_subgame(p: ExactParams, t: _Tables, P: int, enumerate_all: bool):
    n, K, d, Pi = t.n, t.K, p.delta, p.transition
    mem = members(P)
    keep_flow = np.array([sum(p.provider_flow[i, s] for i in mem) for s in range(K)])
    brev = [_best_revocation(p, t, P, s) for s in range(K)]
    subsets = list(range(P + 1))
    subsets = [S for S in subsets if S & ~P == 0]
    advs = {S: _adversary_sets(p, S) for S in subsets}
    alpha = {S: sum(pr for A, pr in advs[S] if A == 0) for S in subsets}

    # provider: per start row r and stayer set S, constant part and the weight on D(s, P)
    u_const = np.zeros((K, len(subsets)))
    sidx = {S: k for k, S in enumerate(subsets)}
    for r in range(K):
        for S in subsets:
            tot = 0.0
            for s in range(K):
                if Pi[r, s] == 0.0:
                    continue
                acc = 0.0
                for A, pr in advs[S]:
                    Q = S & ~A
                    if Q == P:
                        continue  # the unknown node (s, P): weight alpha[P]
                    acc += pr * (sum(p.gain[i, s] for i in members(A)) + t.D[Q, s])
                tot += Pi[r, s] * acc
            u_const[r, sidx[S]] = tot

    # partner i's stay value given stayer set S (i in S): constant part; for S = P the
    # node (s, P) term has weight (1 - q_i) alpha[P - i] Pi[r, s]
    v_const = np.zeros((K, len(subsets), n))
    for r in range(K):
        for S in subsets:
            for i in members(S):
                others = S & ~(1 << i)
                tot = 0.0
                for s in range(K):
                    if Pi[r, s] == 0.0:
                        continue
                    acc = p.hazard[i] * (t.obar[i, s] - p.loss[i, s])
                    for A, pr in advs[others]:
                        Q = S & ~A
                        w = (1.0 - p.hazard[i]) * pr
                        if A:
                            acc += w * p.outage[i, s]
                        if Q == P:
                            continue
                        acc += w * t.node[Q, i, s]
                    tot += Pi[r, s] * acc
                v_const[r, sidx[S], i] = tot
    a_i = np.array([(1.0 - p.hazard[i]) * alpha[P & ~(1 << i)] if P >> i & 1 else 0.0
                    for i in range(n)])

    brev_v = np.array([b[0] for b in brev])
    full = sidx[P]
    masks = np.array(subsets, dtype=np.int64)
    lookup = np.full(P + 1, -1, dtype=np.int64)
    lookup[masks] = np.arange(len(subsets))
    # partner i's value at node (s, P) when the provider revokes there (known constants)
    node_rev = np.array([[_node_partner_value(p, t, s, P, brev[s][1], i, 0.0)
                          if P >> i & 1 else 0.0 for s in range(K)] for i in range(n)])
    eye = np.eye(K)

    def provider(Srows, keep0=None):
        """The provider's optimal keep sets at the nodes (s, P) for a batch of partner
        profiles (B, K) of stayer-set indices: policy iteration from "keep everywhere",
        switching a node only when the other action is better by more than the tolerance
        (so it terminates, and ties stay at "keep")."""
        B = Srows.shape[0]
        rows_full = Srows == full
        u_out = u_const[np.arange(K)[None, :], Srows]
        W = alpha[P] * Pi[None, :, :] * rows_full[:, :, None]
        keep = np.ones((B, K), dtype=bool) if keep0 is None else keep0.copy()

        def values(kp):
            pay = np.where(kp, keep_flow[None, :], brev_v[None, :])
            c = np.where(rows_full, u_const[:, full][None, :] + (W * pay[:, None, :]).sum(-1),
                         u_out)
            A = eye[None] - d * W * kp[:, None, :]
            return np.linalg.solve(A, c[..., None])[..., 0]

        for _ in range(K * K + 4 * K + 8):
            U = values(keep)
            margin = keep_flow[None, :] + d * U - brev_v[None, :]
            new = (keep & ~(margin < -p.tol)) | (~keep & (margin > p.tol))
            if np.array_equal(new, keep):
                tie = ~keep & (margin >= -p.tol)
                rows = tie.any(axis=1)
                if rows.any():
                    trial = keep | tie
                    Ut = values(trial)
                    good = rows & np.where(trial, keep_flow[None, :] + d * Ut - brev_v[None, :]
                                           >= -p.tol, True).all(axis=1)
                    keep = np.where(good[:, None], trial, keep)
                    U = np.where(good[:, None], Ut, U)
                return keep, U
            keep = new
        raise ArithmeticError("revocation kernel: policy iteration did not terminate")

    def evaluate_all(Srows):
        """(ok, keep, U, V) for a batch of partner profiles (B, K) of stayer-set indices."""
        B = Srows.shape[0]
        keep, U = provider(Srows)
        rows_full = Srows == full
        Smask = masks[Srows]
        V = np.zeros((B, n, K))
        ok = np.ones(B, dtype=bool)
        rr = np.arange(K)[None, :]
        for i in mem:
            inS = (Smask >> i & 1).astype(bool)
            Wi = a_i[i] * Pi[None, :, :] * (rows_full & inS)[:, :, None]
            pay = np.where(keep, p.flow[i][None, :], node_rev[i][None, :])
            c = np.where(inS, v_const[rr, Srows, i] + (Wi * pay[:, None, :]).sum(-1),
                         t.X[i][None, :])
            A = eye[None] - d * Wi * keep[:, None, :]
            V[:, i] = np.linalg.solve(A, c[..., None])[..., 0]
        for i in mem:
            inS = (Smask >> i & 1).astype(bool)
            Sd = lookup[Smask | (1 << i)]
            node = np.where(keep, p.flow[i][None, :] + d * V[:, i], node_rev[i][None, :])
            st = v_const[rr, Sd, i] + np.where(Sd == full, a_i[i] * (node @ Pi.T), 0.0)
            ok &= (inS == (st >= t.X[i][None, :] - p.tol)).all(axis=1)
        return ok, keep, U, V

    def evaluate(Srows):
        """(ok, keep, U, V) of one partner profile given as a list of stayer sets."""
        idx = np.array([[sidx[S] for S in Srows]], dtype=np.int64)
        ok, keep, U, V = evaluate_all(idx)
        return bool(ok[0]), keep[0], U[0], V[0]

    found = []
    if enumerate_all:
        nS = len(subsets)
        grid = np.array(list(itertools.product(range(nS), repeat=K)), dtype=np.int64)
        for a in range(0, grid.shape[0], 8192):
            block = grid[a:a + 8192]
            ok, keep, U, V = evaluate_all(block)
            for b in np.flatnonzero(ok):
                found.append(([int(subsets[k]) for k in block[b]], keep[b], U[b], V[b]))
        exact = True
    else:  # best-response iteration from "everyone stays" (documented heuristic)
        Srows = [P] * K
        seen = set()
        exact = False
        while tuple(Srows) not in seen:
            seen.add(tuple(Srows))
            ok, keep, U, V = evaluate(Srows)
            if ok:
                found.append((list(Srows), keep, U, V))
                break
            new = []
            for r in range(K):
                S = 0
                for i in mem:
                    Sd = Srows[r] | (1 << i)
                    st = v_const[r, sidx[Sd], i]
                    if Sd == P:
                        for s in range(K):
                            w = a_i[i] * Pi[r, s]
                            if w:
                                R = 0 if keep[s] else brev[s][1]
                                st += w * _node_partner_value(p, t, s, P, R, i, V[i, s])
                    if st >= t.X[i, r] - p.tol:
                        S |= 1 << i
                new.append(S)
            Srows = new
    return found, brev, keep_flow, exact


def _select(found, mem, K, tol):
    def key(item):
        Srows, keep, U, V = item
        total = float(sum(V[i].sum() for i in mem))
        stays = sum(popcount(S) for S in Srows)
        pattern = tuple(bool(S >> i & 1) for i in mem for S in Srows)
        return total, stays, pattern

    keys = [key(f) for f in found]
    best = 0
    for k in range(1, len(found)):
        a, b = keys[k], keys[best]
        if a[0] > b[0] + tol * max(1, len(mem) * K):
            best = k
        elif abs(a[0] - b[0]) <= tol * max(1, len(mem) * K) and (a[1], a[2]) > (b[1], b[2]):
            best = k
    return best


def solve(p: ExactParams, limit: int = ENUMERATION_LIMIT) -> ExactSolution:
    """The selected pure Markov perfect equilibrium on the exact state.

    Parameters
    ----------
    p : ExactParams
    limit : int
        Subgames with more than ``limit`` partner profiles are not enumerated: best
        responses are iterated from "everyone stays" instead, and ``exact`` is False.

    Returns
    -------
    ExactSolution
    """
    n, K = p.flow.shape
    t = _Tables(p)
    full = (1 << n) - 1
    order = sorted(range(1, full + 1), key=lambda m: (popcount(m), m))
    equilibria, selected, exact, status = [], -1, True, "optimal"
    for P in order:
        mem = members(P)
        enum = (1 << (len(mem) * K)) <= limit
        found, brev, keep_flow, sub_exact = _solve_subgame(p, t, P, enum)
        exact &= sub_exact
        if not found:
            status = "no_pure_equilibrium" if sub_exact else "not_converged"
            return ExactSolution(status, t.stay, t.revoke, t.V, t.U, [], -1, exact)
        best = _select(found, mem, K, p.tol)
        Srows, keep, U, V = found[best]
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
                t.node[P, i, s] = _node_partner_value(p, t, s, P, int(t.revoke[P, s]), i,
                                                      V[i, s])
        if P == full:
            equilibria = [(np.array([[bool(S >> i & 1) for S in f[0]] for i in range(n)]),
                           f[1].copy(), f[3].copy()) for f in found]
            selected = best
    return ExactSolution(status, t.stay, t.revoke, t.V, t.U, equilibria, selected, exact)


# --------------------------------------------------------------------------- evaluation

def _transitions(p: ExactParams, stay, revoke, obar, X):
    """One period from every state under a profile: rewards and next-state weights.

    Returns (Rp (states, n), Ru (states,), T (states, states)) with states indexed
    ``P * K + r``; Rp holds each partner's expected total this period (terminal payments
    included), T the probability of each next state (exits, revocations into the outside
    option and dissolutions are absorbed into the rewards).
    """
    n, K = p.flow.shape
    size = 1 << n
    nst = size * K
    dt = p.flow.dtype  # float, or object (fractions) for exact checks
    Rp = np.zeros((nst, n), dtype=dt)
    Ru = np.zeros(nst, dtype=dt)
    T = np.zeros((nst, nst), dtype=dt)
    d = p.delta
    for P in range(size):
        for r in range(K):
            row = P * K + r
            S = 0
            for i in members(P):
                if stay[P, i, r]:
                    S |= 1 << i
                else:
                    Rp[row, i] += X[i, r]
            for s in range(K):
                ps = p.transition[r, s]
                if ps == 0:
                    continue
                for A, pa in _adversary_sets(p, S):
                    w = ps * pa
                    Q = S & ~A
                    for i in members(A):
                        Ru[row] += w * p.gain[i, s]
                        Rp[row, i] += w * (obar[i, s] - p.loss[i, s])
                    if A:
                        for i in members(Q):
                            Rp[row, i] += w * p.outage[i, s]
                    if Q == 0:
                        continue
                    R = int(revoke[Q, s])
                    for i in members(Q):
                        if R >> i & 1:
                            Ru[row] += w * (p.gain[i, s] - p.forfeit[i, s])
                            Rp[row, i] += w * (obar[i, s] - p.loss[i, s]
                                               + p.compensation[i, s])
                        else:
                            Ru[row] += w * p.provider_flow[i, s]
                            Rp[row, i] += w * p.flow[i, s]
                            if R and p.collective:
                                Rp[row, i] += w * d * X[i, s]
                    if R and p.collective:
                        continue
                    T[row, (Q & ~R) * K + s] += w
    return Rp, Ru, T


def profile_values(p: ExactParams, stay, revoke, linsolve=np.linalg.solve):
    """Values of a profile on every exact state, by one linear solve.

    Returns ``V`` (2^n, n, K) and ``U`` (2^n, K) (entries for partners not in the set are 0).
    With object arrays of fractions in ``p`` and a rational ``linsolve`` the values are
    exact.
    """
    n, K = p.flow.shape
    obar, X = exit_values(p.delta, p.transition, p.outside, linsolve)
    Rp, Ru, T = _transitions(p, stay, revoke, obar, X)
    M = np.eye(T.shape[0], dtype=T.dtype) - p.delta * T
    sol = linsolve(M, np.column_stack([Rp, Ru]))
    size = 1 << n
    V = sol[:, :n].reshape(size, K, n).transpose(0, 2, 1).copy()
    U = sol[:, n].reshape(size, K).copy()
    for P in range(size):
        for i in range(n):
            if not P >> i & 1:
                V[P, i] = 0.0
    return V, U


def one_shot_gains(p: ExactParams, stay, revoke, V, U, linsolve=np.linalg.solve):
    """Every one-shot deviation gain under a profile with values (V, U).

    Returns ``(stay_gain, node_values)``: ``stay_gain`` (2^n, n, K) is partner i's value of
    staying at state (r, P) this period (then following the profile) minus its exit value
    (NaN for i not in P); ``node_values`` maps ``(Q, s)`` to ``{R: provider's value of
    revoking R at node (s, Q)}`` over every allowed R (the empty set included).
    """
    n, K = p.flow.shape
    obar, X = exit_values(p.delta, p.transition, p.outside, linsolve)
    size = 1 << n
    d = p.delta
    gain = np.full((size, n, K), np.nan, dtype=object if p.flow.dtype == object else float)

    def node_partner(i, s, Q, R):
        if R >> i & 1:
            return obar[i, s] - p.loss[i, s] + p.compensation[i, s]
        if R and p.collective:
            return p.flow[i, s] + d * X[i, s]
        return p.flow[i, s] + d * V[Q & ~R, i, s]

    for P in range(1, size):
        for r in range(K):
            S = sum(1 << i for i in members(P) if stay[P, i, r])
            for i in members(P):
                Sd = S | (1 << i)
                others = Sd & ~(1 << i)
                val = 0
                for s in range(K):
                    ps = p.transition[r, s]
                    if ps == 0:
                        continue
                    acc = p.hazard[i] * (obar[i, s] - p.loss[i, s])
                    for A, pa in _adversary_sets(p, others):
                        w = (1.0 - p.hazard[i]) * pa
                        Q = Sd & ~A
                        if A:
                            acc += w * p.outage[i, s]
                        acc += w * node_partner(i, s, Q, int(revoke[Q, s]))
                    val += ps * acc
                gain[P, i, r] = val - X[i, r]
    nodes = {}
    for Q in range(1, size):
        for s in range(K):
            vals = {}
            for R in [0] + _allowed(p, Q):
                v = 0
                for i in members(Q):
                    v += (p.gain[i, s] - p.forfeit[i, s]) if R >> i & 1 else p.provider_flow[i, s]
                if R == 0 or not p.collective:
                    v += d * U[Q & ~R, s]
                vals[R] = v
            nodes[(Q, s)] = vals
    return gain, nodes


def horizon_probabilities(p: ExactParams, stay, revoke, start: int, horizon: int):
    """Probabilities, within ``horizon`` periods from state (start, everyone), that each
    partner is revoked (wrongfully: adversary removals excluded), that each exits, and
    that some ally is revoked.

    Computed on the absorbing Markov chain over exact states with matrix powers (repeated
    squaring), so any horizon costs O(log horizon) products.

    Returns
    -------
    revoked (n,), exited (n,), any_revoked float
    """
    n, K = p.flow.shape
    size = 1 << n
    nst = size * K

    def chain(event):
        # states 0..nst-1 transient, nst: absorbed (event happened)
        T = np.zeros((nst + 1, nst + 1))
        T[nst, nst] = 1.0
        for P in range(size):
            for r in range(K):
                row = P * K + r
                S = 0
                hit = 0.0
                for i in members(P):
                    if stay[P, i, r]:
                        S |= 1 << i
                    elif event == ("exit", i):
                        hit = 1.0
                if hit:
                    T[row, nst] = 1.0
                    continue
                for s in range(K):
                    ps = p.transition[r, s]
                    if ps == 0.0:
                        continue
                    for A, pa in _adversary_sets(p, S):
                        w = ps * pa
                        Q = S & ~A
                        R = int(revoke[Q, s]) if Q else 0
                        if event == ("any", None) and R:
                            T[row, nst] += w
                            continue
                        if event[0] == "revoke" and R >> event[1] & 1:
                            T[row, nst] += w
                            continue
                        nxt = 0 if (R and p.collective) else Q & ~R
                        T[row, nxt * K + s] += w
        Th = np.linalg.matrix_power(T, int(horizon))
        return float(min(1.0, max(0.0, Th[(size - 1) * K + start, nst])))

    revoked = np.array([chain(("revoke", i)) for i in range(n)])
    exited = np.array([chain(("exit", i)) for i in range(n)])
    return revoked, exited, chain(("any", None))


def partner_timeline(p: ExactParams, stay, revoke, start: int, horizon: int, i: int):
    """When partner ``i`` is maintained and when it is revoked, period by period.

    Follows the profile forward from state (start, everyone) for ``horizon`` periods on the
    exact state (the same chain as :func:`horizon_probabilities`, with partner ``i``'s
    revocation absorbing).

    Returns
    -------
    kept : ndarray (horizon, K)
        ``kept[t, s]``: probability that in period ``t + 1`` the regime is ``s`` and ``i`` is
        an ally the provider maintains (it takes its flow).
    revoked : ndarray (horizon, K)
        ``revoked[t, s]``: probability that ``i`` is revoked (wrongfully) in period ``t + 1``
        in regime ``s``.
    """
    n, K = p.flow.shape
    size = 1 << n
    nst = size * K
    T = np.zeros((nst, nst))
    Kp = np.zeros((nst, K))
    Rv = np.zeros((nst, K))
    for P in range(size):
        for r in range(K):
            row = P * K + r
            S = sum(1 << j for j in members(P) if stay[P, j, r])
            for s in range(K):
                ps = p.transition[r, s]
                if ps == 0.0:
                    continue
                for A, pa in _adversary_sets(p, S):
                    w = ps * pa
                    Q = S & ~A
                    R = int(revoke[Q, s]) if Q else 0
                    if Q >> i & 1:
                        if R >> i & 1:
                            Rv[row, s] += w
                            continue
                        Kp[row, s] += w
                    if R and p.collective:
                        continue
                    T[row, (Q & ~R) * K + s] += w
    dist = np.zeros(nst)
    dist[(size - 1) * K + start] = 1.0
    kept = np.zeros((int(horizon), K))
    revoked = np.zeros((int(horizon), K))
    for t in range(int(horizon)):
        kept[t] = dist @ Kp
        revoked[t] = dist @ Rv
        dist = dist @ T
    return kept, revoked

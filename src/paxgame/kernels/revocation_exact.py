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

__all__ = ["ExactParams", "ExactSolution", "BatchSolution", "solve", "solve_batch",
           "stack_params", "take_points", "profile_values", "one_shot_gains",
           "horizon_probabilities", "horizon_batch", "exit_values", "popcount", "members",
           "ENUMERATION_LIMIT", "PROFILE_BUDGET", "TABLE_BUDGET", "STATUSES",
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


# --------------------------------------------------------------------------- batch solve

#: Profile evaluations (points x partner profiles) held in memory at once by
#: :func:`solve_batch`; each takes about ``(3 K^2 + 8 K) * 8`` bytes of scratch.
PROFILE_BUDGET = 2 ** 15

#: Floats of subgame tables (2^n (3 n K + 3 K) per point) and of horizon chains
#: ((2 n + 1) (2^n K + 1)^2 per point) held at once: larger batches run in slices.
TABLE_BUDGET = 2 ** 22

#: Status codes of :class:`BatchSolution`.
STATUSES = ("optimal", "no_pure_equilibrium", "not_converged")


class BatchSolution(NamedTuple):
    """:func:`solve_batch`'s answer for ``B`` points (leading axis of every array).

    ``status`` (B,) int codes of :data:`STATUSES`; ``stay`` (B, 2^n, n, K), ``revoke``
    (B, 2^n, K), ``V`` (B, 2^n, n, K), ``U`` (B, 2^n, K) the selected profile and its
    values on every subgame; ``n_equilibria`` (B,) the equilibria at the full set;
    ``dominant`` (B,) whether the selected one gives every partner, after every regime,
    at least its value in every other equilibrium at the full set (within the tolerance);
    ``exact`` (B,) False where some subgame was too large to enumerate; a point with a
    non-finite parameter gets status ``not_converged`` (no answer);
    ``equilibria`` (only with ``equilibria=True``) per point the list of the full set's
    equilibria ``(stay (n, K), keep (K,), V (n, K))`` and ``selected`` (B,) the index of
    the selected one.
    """

    status: np.ndarray
    stay: np.ndarray
    revoke: np.ndarray
    V: np.ndarray
    U: np.ndarray
    n_equilibria: np.ndarray
    dominant: np.ndarray
    exact: np.ndarray
    equilibria: list
    selected: np.ndarray


def stack_params(items) -> ExactParams:
    """One :class:`ExactParams` with a leading batch axis from a sequence of points of equal
    shapes, governance and revocation mode (``delta`` and ``tol`` become (B,) arrays)."""
    items = list(items)
    if not items:
        raise ValueError("stack_params: no points given")
    first = items[0]
    if any(x.collective != first.collective or x.blanket != first.blanket
           or x.flow.shape != first.flow.shape for x in items):
        raise ValueError("stack_params: points differ in shape, governance or revocation mode")
    out = {}
    for name in ExactParams._fields:
        if name in ("collective", "blanket"):
            out[name] = bool(getattr(first, name))
        else:
            out[name] = np.array([np.asarray(getattr(x, name), dtype=float) for x in items])
    return ExactParams(**out)


def _pick(a, idx):
    """a[b, ..., idx[b, g, r]] for a (B, K, nS) and idx (B, G, K): returns (B, G, K)."""
    B = a.shape[0]
    if idx.shape[0] == 1:  # one profile grid shared by every point
        return a[:, np.arange(a.shape[1])[None, :], idx[0]]
    out = np.take_along_axis(a, idx.transpose(0, 2, 1), axis=2)
    return out.transpose(0, 2, 1)


def _rowdot(x, M):
    """out[..., r] = sum_s M[..., r, s] x[..., s], summed in a fixed order (elementwise
    operations only, so every point's result is the same in any batch)."""
    K = M.shape[-1]
    out = M[..., 0] * x[..., 0, None]
    for s in range(1, K):
        out = out + M[..., s] * x[..., s, None]
    return out


def _solve_dd(A, b):
    """Solve A x = b for stacks (..., K, K) of strictly diagonally dominant matrices by
    Gaussian elimination without pivoting (stable for such matrices; Golub and Van Loan,
    Matrix Computations, 4th ed., section 3.4.3), elementwise over the stack."""
    K = A.shape[-1]
    A = [[A[..., i, j] for j in range(K)] for i in range(K)]
    x = [b[..., i] for i in range(K)]
    for k in range(K):
        for i in range(k + 1, K):
            f = A[i][k] / A[k][k]
            for j in range(k + 1, K):
                A[i][j] = A[i][j] - f * A[k][j]
            x[i] = x[i] - f * x[k]
    for k in range(K - 1, -1, -1):
        v = x[k]
        for j in range(k + 1, K):
            v = v - A[k][j] * x[j]
        x[k] = v / A[k][k]
    return np.stack(x, axis=-1)


class _BatchTables:
    def __init__(self, p: ExactParams):
        B, n, K = p.flow.shape
        size = 1 << n
        self.B, self.n, self.K = B, n, K
        self.stay = np.zeros((B, size, n, K), dtype=bool)
        self.revoke = np.zeros((B, size, K), dtype=np.int64)
        self.V = np.zeros((B, size, n, K))
        self.U = np.zeros((B, size, K))
        self.D = np.zeros((B, size, K))
        self.node = np.zeros((B, size, n, K))
        d = p.delta[:, None, None]
        A = np.eye(K)[None] - d * p.transition
        self.obar = _solve_dd(A[:, None], p.outside)
        self.X = _rowdot(self.obar, p.transition[:, None])


def _subset_probabilities(hazard, S: int):
    """[(A, pr (B,))] for every subset A of S (members' order), pr = P(exactly A adversarial)."""
    mem = members(S)
    out = []
    for bits in itertools.product((0, 1), repeat=len(mem)):
        A = 0
        pr = np.ones(hazard.shape[0])
        for i, b in zip(mem, bits):
            if b:
                A |= 1 << i
                pr = pr * hazard[:, i]
            else:
                pr = pr * (1.0 - hazard[:, i])
        out.append((A, pr))
    return out


class _Subgame:
    """Subgame ``P`` for a batch of points: constants, then profile evaluation."""

    def __init__(self, p: ExactParams, t: _BatchTables, P: int, cache: dict):
        B, n, K = t.B, t.n, t.K
        self.p, self.t, self.P = p, t, P
        self.mem = mem = members(P)
        d = p.delta
        subsets = [S for S in range(P + 1) if S & ~P == 0]
        self.subsets = subsets
        self.masks = np.array(subsets, dtype=np.int64)
        self.full = len(subsets) - 1
        self.lookup = np.full(P + 1, -1, dtype=np.int64)
        self.lookup[self.masks] = np.arange(len(subsets))
        self.keep_flow = np.zeros((B, K))
        for i in mem:
            self.keep_flow = self.keep_flow + p.provider_flow[:, i]
        # the best non-empty revocation at (s, P): ties to fewer, then lower indices
        best_v = np.full((B, K), -np.inf)
        best_R = np.zeros((B, K), dtype=np.int64)
        tol = p.tol[:, None]
        for R in _allowed(p, P):
            v = np.zeros((B, K))
            for i in mem:
                v = v + ((p.gain[:, i] - p.forfeit[:, i]) if R >> i & 1 else p.provider_flow[:, i])
            if not p.collective:
                v = v + d[:, None] * t.U[:, P & ~R]
            better = v > best_v + tol
            best_v = np.where(better, v, best_v)
            best_R = np.where(better, R, best_R)
        self.brev_v, self.brev_R = best_v, best_R
        nS = len(subsets)
        probs, gsum = cache.setdefault("probs", {}), cache.setdefault("gsum", {})
        for S in subsets:  # shared by every subgame of the solve
            if S not in probs:
                probs[S] = _subset_probabilities(p.hazard, S)
            if S not in gsum:
                g = np.zeros((B, K))
                for i in members(S):
                    g = g + p.gain[:, i]
                gsum[S] = g
        self.alpha_P = probs[P][0][1]
        acc = np.zeros((B, nS, K))
        for k, S in enumerate(subsets):
            a = np.zeros((B, K))
            for A, pr in probs[S]:
                Q = S & ~A
                if Q == P:
                    continue
                a = a + pr[:, None] * (gsum[A] + t.D[:, Q])
            acc[:, k] = a
        Pi = p.transition
        self.u_const = _rowdot(acc, Pi[:, None]).transpose(0, 2, 1)    # (B, K_r, nS)
        vacc = np.zeros((B, nS, n, K))
        for k, S in enumerate(subsets):
            for i in members(S):
                others = S & ~(1 << i)
                qi = p.hazard[:, i][:, None]
                a = qi * (t.obar[:, i] - p.loss[:, i])
                for A, pr in probs[others]:
                    Q = S & ~A
                    w = (1.0 - qi) * pr[:, None]
                    if A:
                        a = a + w * p.outage[:, i]
                    if Q != P:
                        a = a + w * t.node[:, Q, i]
                vacc[:, k, i] = a
        # v_const[b, i, r, S]
        self.v_const = _rowdot(vacc.transpose(0, 2, 1, 3), Pi[:, None, None]).transpose(
            0, 1, 3, 2)
        self.a = np.zeros((B, n))
        for i in mem:
            self.a[:, i] = (1.0 - p.hazard[:, i]) * probs[P & ~(1 << i)][0][1]
        # partner i's value at node (s, P) when the provider revokes brev_R there
        self.node_rev = np.zeros((B, n, K))
        R = self.brev_R
        for i in mem:
            hit = (R >> i & 1).astype(bool)
            rest = P & ~R
            if p.collective:
                spared = p.flow[:, i] + d[:, None] * t.X[:, i]
            else:
                Vq = np.take_along_axis(t.V[:, :, i], rest[:, None, :], axis=1)[:, 0]
                spared = p.flow[:, i] + d[:, None] * Vq
            self.node_rev[:, i] = np.where(hit, t.obar[:, i] - p.loss[:, i]
                                           + p.compensation[:, i], spared)

    def provider(self, Srows):
        """Optimal keep sets (B, G, K) at the nodes (s, P) and the provider's values, for
        partner profiles ``Srows`` (B or 1, G, K) of stayer-set indices: policy iteration
        from "keep everywhere", switching a node only when the other action is better by
        more than the tolerance; then nodes tied at "revoke" are kept when that stays
        optimal (ties go to fewer revocations)."""
        p = self.p
        B, K = self.t.B, self.t.K
        G = Srows.shape[1]
        d = p.delta[:, None, None]
        tol = p.tol[:, None, None]
        rows_full = Srows == self.full
        u_out = _pick(self.u_const, Srows)
        u_full = self.u_const[:, :, self.full][:, None, :]
        wt = self.alpha_P[:, None, None] * rows_full            # (B, G, K) row weights
        Pi = p.transition[:, None]
        eye = np.eye(K)
        kf = self.keep_flow[:, None, :]
        bv = self.brev_v[:, None, :]

        def values(kp):
            pay = np.where(kp, kf, bv)
            c = np.where(rows_full, u_full + wt * _rowdot(pay, Pi), u_out)
            A = eye - (d * wt)[..., None] * Pi * kp[:, :, None, :]
            return _solve_dd(A, c)

        keep = np.ones((B, G, K), dtype=bool)
        for _ in range(K * K + 4 * K + 8):
            U = values(keep)
            margin = kf + d * U - bv
            new = (keep & ~(margin < -tol)) | (~keep & (margin > tol))
            if np.array_equal(new, keep):
                tie = ~keep & (margin >= -tol)
                rows = tie.any(axis=2)
                if rows.any():
                    trial = keep | tie
                    Ut = values(trial)
                    good = rows & np.where(trial, kf + d * Ut - bv >= -tol, True).all(axis=2)
                    keep = np.where(good[..., None], trial, keep)
                    U = np.where(good[..., None], Ut, U)
                return keep, U
            keep = new
        raise ArithmeticError("revocation kernel: policy iteration did not terminate")

    def evaluate(self, Srows):
        """(ok (B, G), keep, U, V (B, G, n, K), stay bits (B, G, K)) for partner profiles
        ``Srows`` (B or 1, G, K); ``stay bits`` are each partner's best responses."""
        p, t = self.p, self.t
        B, n, K = t.B, t.n, t.K
        G = Srows.shape[1]
        keep, U = self.provider(Srows)
        d = p.delta[:, None, None]
        tol = p.tol[:, None, None]
        rows_full = Srows == self.full
        Smask = self.masks[Srows]
        eye = np.eye(K)
        Pi = p.transition[:, None]
        V = np.zeros((B, G, n, K))
        for i in self.mem:
            inS = (Smask >> i & 1).astype(bool)
            wi = self.a[:, i][:, None, None] * rows_full
            pay = np.where(keep, p.flow[:, i][:, None, :], self.node_rev[:, i][:, None, :])
            c = np.where(inS, _pick(self.v_const[:, i], Srows) + wi * _rowdot(pay, Pi),
                         t.X[:, i][:, None, :])
            A = eye - (d * wi)[..., None] * Pi * keep[:, :, None, :]
            V[:, :, i] = _solve_dd(A, c)
        ok = np.ones((B, G), dtype=bool)
        best = np.zeros((B, G, K), dtype=np.int64)
        Pi = p.transition[:, None]
        for i in self.mem:
            inS = (Smask >> i & 1).astype(bool)
            Sd = self.lookup[Smask | (1 << i)]
            node = np.where(keep, p.flow[:, i][:, None, :] + d * V[:, :, i],
                            self.node_rev[:, i][:, None, :])
            st = _pick(self.v_const[:, i], Sd) + np.where(
                Sd == self.full, self.a[:, i][:, None, None] * _rowdot(node, Pi), 0.0)
            stays = st >= t.X[:, i][:, None, :] - tol
            ok &= (inS == stays).all(axis=2)
            best |= stays.astype(np.int64) << i
        return ok, keep, U, V, best


def _grid_block(nS: int, K: int, a: int, b: int) -> np.ndarray:
    """Rows a:b of the product grid range(nS)^K (C order, last regime fastest)."""
    idx = np.arange(a, b, dtype=np.int64)
    out = np.empty((b - a, K), dtype=np.int64)
    for r in range(K - 1, -1, -1):
        idx, out[:, r] = np.divmod(idx, nS)
    return out


def _stay_pattern(Srows, mem, K):
    """(count of stay decisions, stay-bit vector as an integer ordered by (partner,
    regime), first most significant) of profiles (B, G, K) of stayer masks."""
    stays = np.zeros(Srows.shape[:-1], dtype=np.int64)
    pattern = np.zeros(Srows.shape[:-1], dtype=np.int64)
    for i in mem:
        for r in range(K):
            bit = Srows[..., r] >> i & 1
            stays += bit
            pattern = (pattern << 1) | bit
    return stays, pattern


def solve_batch(p: ExactParams, limit: int = ENUMERATION_LIMIT, equilibria: bool = False,
                budget: int = PROFILE_BUDGET) -> BatchSolution:
    """The selected pure Markov perfect equilibrium of every point of a batch.

    ``p`` is stacked (:func:`stack_params`): every array has a leading batch axis ``B``;
    ``delta`` and ``tol`` are (B,). Each subgame's partner profiles are an array axis
    evaluated for all points at once, in blocks of at most ``budget`` (point, profile)
    pairs. Peak memory is bounded for any batch size: about ``budget * (3 K^2 + 8 K) * 8``
    bytes of scratch plus ``8 * TABLE_BUDGET`` bytes (32 MiB) of subgame tables (points run
    in slices of ``TABLE_BUDGET / (2^n (3 n K + 3 K))``), besides the answer itself
    (``B * 2^n * (2 n K + 2 K) * 8`` bytes).
    Subgames with more than ``limit`` profiles are not enumerated: best responses are
    iterated from "everyone stays" for each point (``exact`` False there).

    The provider's best response to each profile is found by policy iteration (Howard,
    R. A. (1960), *Dynamic Programming and Markov Processes*, MIT Press), every partner
    profile of a subgame being enumerated (Maskin and Tirole 2001, Markov perfect
    equilibrium); the linear systems are solved by elimination without pivoting, elementwise
    over the batch, so a point's answer does not depend on the rest of its batch.

    Examples
    --------
    One partner, one regime: keeping it is worth 1/(1 - 0.9) = 10 to the provider, more
    than the gain 5 from revoking, so the partner stays and is kept; with a gain of 12 the
    provider revokes, and the partner (its exit worth 1.2/0.1 = 12) leaves.

    >>> import numpy as np
    >>> def point(gain):
    ...     one = lambda x: np.array([[x]])
    ...     return ExactParams(delta=0.9, transition=np.eye(1), flow=one(3.0),
    ...                           outside=one(1.2), loss=one(6.0), provider_flow=one(1.0),
    ...                           gain=one(gain), forfeit=one(0.0), compensation=one(0.0),
    ...                           outage=one(0.0), hazard=np.zeros(1), collective=False,
    ...                           blanket=False, tol=1e-8)
    >>> sol = solve_batch(stack_params([point(5.0), point(12.0)]))
    >>> sol.stay[:, 1, 0, 0].tolist(), sol.revoke[:, 1, 0].tolist()
    ([True, False], [0, 1])
    """
    B, n, K = p.flow.shape
    step = max(1, TABLE_BUDGET // ((1 << n) * (3 * n * K + 3 * K)))
    if B > step:  # bounded tables: points in slices, answers concatenated
        parts = [_solve_slice(take_points(p, slice(a, a + step)), limit, equilibria, budget)
                 for a in range(0, B, step)]
        return BatchSolution(*[
            sum((x[k] for x in parts), []) if k == 8 else np.concatenate([x[k] for x in parts])
            for k in range(len(BatchSolution._fields))])
    return _solve_slice(p, limit, equilibria, budget)


def take_points(p: ExactParams, idx) -> ExactParams:
    """Points ``idx`` of a stacked :class:`ExactParams`."""
    return ExactParams(**{k: (v if k in ("collective", "blanket") else v[idx])
                          for k, v in p._asdict().items()})


def _solve_slice(p: ExactParams, limit, equilibria, budget) -> BatchSolution:
    B, n, K = p.flow.shape
    full_set = (1 << n) - 1
    order = sorted(range(1, full_set + 1), key=lambda m: (popcount(m), m))
    status = np.zeros(B, dtype=np.int8)
    exact = np.ones(B, dtype=bool)
    n_eq = np.zeros(B, dtype=np.int64)
    dominant = np.ones(B, dtype=bool)
    found_lists = [[] for _ in range(B)] if equilibria else []
    selected = np.full(B, -1, dtype=np.int64)
    # a point with a non-finite number has no answer (its values would be NaN)
    finite = np.ones(B, dtype=bool)
    for name in ("delta", "transition", "flow", "outside", "loss", "provider_flow", "gain",
                 "forfeit", "compensation", "outage", "hazard", "tol"):
        a = np.asarray(getattr(p, name), dtype=float)
        finite &= np.isfinite(a.reshape(B, -1)).all(axis=1)
    status[~finite] = 2
    if not finite.all():  # solve a harmless stand-in there, reported as no answer
        p = p._replace(**{k: np.where(finite.reshape((B,) + (1,) * (np.ndim(v) - 1)), v,
                                      0.5 if k == "delta" else
                                      np.eye(K) if k == "transition" else 0.0)
                          for k, v in p._asdict().items() if k not in ("collective",
                                                                       "blanket")})
    t = _BatchTables(p)
    cache: dict = {}
    for P in order:
        sg = _Subgame(p, t, P, cache)
        mem = sg.mem
        m = len(mem)
        nS = len(sg.subsets)
        G = nS ** K
        alive = status == 0
        has = np.zeros(B, dtype=bool)
        b_total = np.zeros(B)
        b_stays = np.zeros(B, dtype=np.int64)
        b_pat = np.zeros(B, dtype=np.int64)
        b_rows = np.zeros((B, K), dtype=np.int64)
        b_keep = np.ones((B, K), dtype=bool)
        b_U = np.zeros((B, K))
        b_V = np.zeros((B, n, K))
        vmax = np.full((B, n, K), -np.inf)
        count = np.zeros(B, dtype=np.int64)
        sel_tol = p.tol * max(1, m * K)
        if G <= limit:
            step = max(1, budget // B)
            for a in range(0, G, step):
                rows = _grid_block(nS, K, a, min(G, a + step))[None]
                ok, keep, U, V, _ = sg.evaluate(rows)
                ok &= alive[:, None]
                if not ok.any():
                    continue
                Smask = sg.masks[rows]
                stays, pat = _stay_pattern(Smask, mem, K)
                total = np.zeros(ok.shape)
                for i in mem:
                    total = total + V[:, :, i].sum(axis=-1)
                count += ok.sum(axis=1)
                vmax = np.where(ok.any(axis=1)[:, None, None],
                                np.maximum(vmax, np.where(ok[:, :, None, None], V,
                                                          -np.inf).max(axis=1)), vmax)
                for g in np.flatnonzero(ok.any(axis=0)):
                    og = ok[:, g]
                    tg, sg_, pg_ = total[:, g], stays[0, g], pat[0, g]
                    take = og & (~has | (tg > b_total + sel_tol) | (
                        (np.abs(tg - b_total) <= sel_tol)
                        & ((sg_ > b_stays) | ((sg_ == b_stays) & (pg_ > b_pat)))))
                    if take.any():
                        has |= take
                        b_total = np.where(take, tg, b_total)
                        b_stays = np.where(take, sg_, b_stays)
                        b_pat = np.where(take, pg_, b_pat)
                        b_rows = np.where(take[:, None], Smask[0, g][None], b_rows)
                        b_keep = np.where(take[:, None], keep[:, g], b_keep)
                        b_U = np.where(take[:, None], U[:, g], b_U)
                        b_V = np.where(take[:, None, None], V[:, g], b_V)
                        if equilibria and P == full_set:
                            selected[take] = [len(found_lists[b]) for b in np.flatnonzero(take)]
                    if equilibria and P == full_set:
                        for b in np.flatnonzero(og):
                            st = np.array([[bool(S >> i & 1) for S in Smask[0, g]]
                                           for i in range(n)])
                            found_lists[b].append((st, keep[b, g].copy(), V[b, g].copy()))
            status[alive & ~has] = 1
        else:
            exact[alive] = False
            has, b_rows, b_keep, b_U, b_V = _iterate_best_responses(sg, alive)
            status[alive & ~has] = 2
            count = has.astype(np.int64)
            vmax = b_V.copy()
            if equilibria and P == full_set:
                for b in np.flatnonzero(has):
                    st = np.array([[bool(S >> i & 1) for S in b_rows[b]] for i in range(n)])
                    found_lists[b].append((st, b_keep[b].copy(), b_V[b].copy()))
                    selected[b] = 0
        w = alive & has
        if not w.any():
            continue
        wk = w[:, None]
        for i in mem:
            t.stay[:, P, i] = np.where(wk, (b_rows >> i & 1).astype(bool), t.stay[:, P, i])
        t.U[:, P] = np.where(wk, b_U, t.U[:, P])
        t.V[:, P] = np.where(w[:, None, None], b_V, t.V[:, P])
        t.revoke[:, P] = np.where(wk, np.where(b_keep, 0, sg.brev_R), t.revoke[:, P])
        t.D[:, P] = np.where(wk, np.where(b_keep, sg.keep_flow + p.delta[:, None] * b_U,
                                          sg.brev_v), t.D[:, P])
        for i in mem:
            nv = np.where(b_keep, p.flow[:, i] + p.delta[:, None] * b_V[:, i],
                          sg.node_rev[:, i])
            t.node[:, P, i] = np.where(wk, nv, t.node[:, P, i])
        if P == full_set:
            n_eq = np.where(w, count, 0)
            dominant = ~w | (b_V >= vmax - p.tol[:, None, None]).all(axis=(1, 2))
    return BatchSolution(status, t.stay, t.revoke, t.V, t.U, n_eq, dominant, exact,
                         found_lists, selected)


def _iterate_best_responses(sg: _Subgame, alive):
    """Best-response iteration from "everyone stays" for each point (a subgame too large to
    enumerate): (found, rows, keep, U, V) with rows (B, K) of stayer masks."""
    t = sg.t
    B, n, K = t.B, t.n, t.K
    idx = np.full((B, 1, K), sg.full, dtype=np.int64)
    found = np.zeros(B, dtype=bool)
    active = alive.copy()
    seen = [set() for _ in range(B)]
    rows = np.zeros((B, K), dtype=np.int64)
    keep_o = np.ones((B, K), dtype=bool)
    U_o = np.zeros((B, K))
    V_o = np.zeros((B, n, K))
    while active.any():
        for b in np.flatnonzero(active):
            key = tuple(idx[b, 0].tolist())
            if key in seen[b]:
                active[b] = False
            seen[b].add(key)
        if not active.any():
            break
        ok, keep, U, V, best = sg.evaluate(idx)
        ok = ok[:, 0] & active
        a = active[:, None]
        rows = np.where(ok[:, None], sg.masks[idx[:, 0]], rows)
        keep_o = np.where(ok[:, None], keep[:, 0], keep_o)
        U_o = np.where(ok[:, None], U[:, 0], U_o)
        V_o = np.where(ok[:, None, None], V[:, 0], V_o)
        found |= ok
        active &= ~ok
        idx = np.where(a[:, None], sg.lookup[best][:, :, :], idx)
    return found, rows, keep_o, U_o, V_o


def solve(p: ExactParams, limit: int = ENUMERATION_LIMIT) -> ExactSolution:
    """The selected pure Markov perfect equilibrium on the exact state (one point).

    This is :func:`solve_batch` on a batch of one point.

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
    sol = solve_batch(stack_params([p]), limit=limit, equilibria=True)
    status = STATUSES[int(sol.status[0])]
    ok = status == "optimal"
    return ExactSolution(status, sol.stay[0], sol.revoke[0], sol.V[0], sol.U[0],
                         sol.equilibria[0] if ok else [], int(sol.selected[0]) if ok else -1,
                         bool(sol.exact[0]))


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
    that some ally is revoked: :func:`horizon_batch` on a batch of one point.

    Returns
    -------
    revoked (n,), exited (n,), any_revoked float
    """
    rev, ext, anyr = horizon_batch(stack_params([p]), np.asarray(stay)[None],
                                   np.asarray(revoke)[None], start, horizon)
    return rev[0], ext[0], float(anyr[0])


def horizon_batch(p: ExactParams, stay, revoke, start: int, horizon: int):
    """:func:`horizon_probabilities` for a stacked batch (``stay`` (B, 2^n, n, K),
    ``revoke`` (B, 2^n, K)).

    Each event (partner i revoked, partner i exits, some ally revoked) is an absorbing
    state added to the Markov chain over exact states; the probability of absorption
    within ``horizon`` periods is read after propagating the start state's distribution
    period by period, or, when that is costlier, from the ``horizon``-th matrix power by
    repeated squaring. Memory: at most ``TABLE_BUDGET`` floats (32 MiB) of chains at once
    (points in slices), or one point's ``(2n + 1) (2^n K + 1)^2`` when that is larger.

    Returns
    -------
    revoked (B, n), exited (B, n), any_revoked (B,)
    """
    B, n, K = p.flow.shape
    step = max(1, TABLE_BUDGET // ((2 * n + 1) * ((1 << n) * K + 1) ** 2))
    if B > step:  # bounded chains: points in slices
        parts = [horizon_batch(take_points(p, slice(a, a + step)), stay[a:a + step],
                               revoke[a:a + step], start, horizon) for a in range(0, B, step)]
        return tuple(np.concatenate([x[k] for x in parts]) for k in range(3))
    size = 1 << n
    nst = size * K
    M = nst + 1
    E = 2 * n + 1
    stay = np.asarray(stay, dtype=bool)
    revoke = np.asarray(revoke, dtype=np.int64)
    T = np.zeros((B, E, M, M))
    T[:, :, nst, nst] = 1.0
    rows, ws, cols, Rs = [], [], [], []   # every (state, regime, adversary set) transition
    exits = []
    for P in range(size):
        for r in range(K):
            row = P * K + r
            Smask = np.zeros(B, dtype=np.int64)
            for i in members(P):
                Smask |= stay[:, P, i, r].astype(np.int64) << i
            for S in np.unique(Smask).tolist():
                sel = Smask == S
                probs = _subset_probabilities(p.hazard, S)
                for s in range(K):
                    ps = p.transition[:, r, s] * sel
                    for A, pa in probs:
                        Q = S & ~A
                        R = revoke[:, Q, s] if Q else np.zeros(B, dtype=np.int64)
                        nxt = np.where((R != 0) & p.collective, 0, Q & ~R)
                        rows.append(row)
                        ws.append(ps * pa)
                        cols.append(nxt * K + s)
                        Rs.append(R)
            for i in members(P):
                exits.append((row, i, ~stay[:, P, i, r]))
    rows = np.broadcast_to(np.array(rows, dtype=np.int64)[None, :], (B, len(rows)))
    w = np.stack(ws, axis=1)
    col = np.stack(cols, axis=1)
    R = np.stack(Rs, axis=1)
    bidx = np.broadcast_to(np.arange(B)[:, None], rows.shape)
    for e in range(E):
        if e < n:
            target = np.where((R >> e & 1).astype(bool), nst, col)
        elif e < 2 * n:
            target = col
        else:
            target = np.where(R != 0, nst, col)
        np.add.at(T[:, e], (bidx, rows, target), w)
    for row, i, out in exits:  # partner i exits here: the row is absorbed at once
        T[out, n + i, row, :] = 0.0
        T[out, n + i, row, nst] = 1.0
    h = int(horizon)
    first = (size - 1) * K + start
    if h <= 2 * M * max(1, h.bit_length()):
        dist = np.zeros((B, E, 1, M))
        dist[:, :, 0, first] = 1.0
        for _ in range(h):
            dist = dist @ T
        hit = dist[:, :, 0, nst]
    else:
        hit = np.linalg.matrix_power(T, h)[:, :, first, nst]
    hit = np.clip(hit, 0.0, 1.0)
    return hit[:, :n], hit[:, n:2 * n], hit[:, 2 * n]


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

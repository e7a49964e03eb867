"""All extreme Nash equilibria of a batch of equal-shaped bimatrix games, by support enumeration.

The kernel works on stacked payoff matrices ``A`` and ``B`` of shape (batch, m, n) and returns
every *extreme* equilibrium of every game: all equilibria of a non-degenerate game, and the
extreme points of every maximal Nash subset (component) of a degenerate one.

Algorithm
---------
Classical support enumeration (Dickhaut & Kaplan 1991; von Stengel 2007, section 3.4) solves,
for every pair of equal-sized supports (I, J), the two indifference systems and keeps the
solutions that are non-negative best responses. It is complete for non-degenerate games only.
This kernel splits the pair: an extreme equilibrium (x, y) is a pair of vertices of the two
best-response polytopes that are *complementary* (Mangasarian 1964; Avis, Rosenberg, Savani
& von Stengel 2010),

    supp(y) ⊆ T(x)   and   supp(x) ⊆ T(y),

where T(x) is the set of the column player's pure best responses to x. Every such vertex x
with support I solves a *square* system on I and some set L ⊆ T(x) with |L| = |I|:
``x_I' B[I, L] = v 1, 1' x_I = 1`` (and symmetrically for y). So the kernel

1. removes actions strictly dominated by pure actions (three rounds of iterated
   elimination; no equilibrium plays them or has them among its best responses);
2. enumerates, for every support size k, all pairs (J, K) of column support J and row set
   K with |J| = |K| = k, for all games at once, skipping pairs where an action of K is
   strictly dominated on J; for k <= 4 the solution of each square system is the
   normalised generalised cross product of k - 1 difference vectors (no pivoting, and a
   solution that is positive is automatically well conditioned), beyond that one batched
   LU solve; it keeps the positive solutions whose
   tight rows are best responses: the candidates y with their tight sets T(y);
3. does the same for x, but only on row supports I contained in T(y) of some candidate y of
   the same game (a necessary condition for being part of an equilibrium), which prunes most
   systems;
4. pairs the candidates of each game by the complementarity test above (bit masks; a join
   on the key (supp, T) = (T, supp) in games without degenerate candidates), after
   deduplicating by (support, tight set).

Everything is vectorised across games and support pairs: one array operation per support size
and side, no Python loop over games or supports. In a non-degenerate game |T(x)| = |supp(x)|
and the pairing reduces to classical support enumeration. In a degenerate game a vertex
paired with two or more partners lies on a continuum of equilibria (the segment between the
partners is made of equilibria), so the kernel reports per game whether the equilibrium set is
finite.

Tolerance: ``tol`` is relative and per player: payoffs of one player count as tied when they
differ by at most max(tol, 1e-12) x that player's payoff scale (the range of its payoff
matrix in that game, :func:`paxgame.kernels.payoffs.payoff_scale`; the floor 1e-12 absorbs
round-off, so ``tol=0`` is accepted), and a probability is positive when it exceeds tol.
Singular indifference systems are recognised scale-invariantly (determinant against
Hadamard's bound), so the equilibria found do not change when a player's payoffs are
multiplied by a positive number or shifted by a constant.

Memory: the games are processed in chunks of ``chunk`` games (by default as many as keep the
square systems of a chunk near 2**18 matrix entries), and the systems of one support size are
solved in blocks of at most 2**22 entries, so peak extra memory stays within a few tens of
MiB whatever the batch size (measured: under 10 MiB for 10,000 4x4 games).
"""

from __future__ import annotations

from functools import lru_cache
from math import comb
from itertools import combinations
from typing import NamedTuple

import numpy as np

from .payoffs import as_bimatrix, payoff_scale

__all__ = ["BatchEquilibria", "support_enumeration", "vertex_candidates", "is_degenerate",
           "support_work", "WORK_LIMIT"]

#: Most square systems per game the kernel solves (sum over k of C(m, k) C(n, k)): 13x13
#: games (1.0e7) pass, 14x14 (4.0e7) do not.
WORK_LIMIT = 2 * 10 ** 7


def support_work(m: int, n: int) -> int:
    """Square systems per game and side in the worst case: sum_k C(m, k) C(n, k) =
    C(m + n, m) (Vandermonde's identity); time and memory grow with it."""
    return comb(m + n, m)

_SINGULAR = 1e-14       # |det| <= _SINGULAR x Hadamard's bound: a singular system
_ZERO = 1e-12           # solution entries this small are round-off zeros (LU path)
_ROUNDOFF = 1e-12       # floor of the relative tie tolerance (tol=0: round-off only)
_DEFAULT_CHUNK = 2 ** 18  # matrix entries of the square systems of one chunk of games
_BLOCK_ENTRIES = 2 ** 22   # matrix entries of square systems solved in one step


class BatchEquilibria(NamedTuple):
    """Extreme equilibria of a batch of bimatrix games, stacked.

    Attributes
    ----------
    game : ndarray of int, shape (k,)
        Index of the game each equilibrium belongs to (sorted ascending).
    x, y : ndarray, shapes (k, m) and (k, n)
        The row and column players' mixed strategies.
    payoffs : ndarray, shape (k, 2)
        The equilibrium payoffs (x'Ay, x'By).
    counts : ndarray of int, shape (batch,)
        Number of extreme equilibria per game.
    finite : ndarray of bool, shape (batch,)
        False where the game has a continuum of equilibria (then the rows are its extreme
        equilibria, the vertices of its Nash components).
    """

    game: np.ndarray
    x: np.ndarray
    y: np.ndarray
    payoffs: np.ndarray
    counts: np.ndarray
    finite: np.ndarray


class _Candidates(NamedTuple):
    game: np.ndarray      # (c,) int
    strategy: np.ndarray  # (c, m)
    value: np.ndarray     # (c,) the opponent's best-response payoff
    support: np.ndarray   # (c,) int64 bit mask over the strategy's actions
    tight: np.ndarray     # (c,) int64 bit mask over the opponent's best responses


@lru_cache(maxsize=256)
def _combos(m: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """All k-subsets of range(m) as an index array (C, k) and their bit masks (C,)."""
    idx = np.array(list(combinations(range(m), k)), dtype=np.intp).reshape(-1, k)
    masks = (np.int64(1) << idx.astype(np.int64)).sum(axis=1).astype(np.int64)
    idx.setflags(write=False)
    masks.setflags(write=False)
    return idx, masks


def _popcount(masks: np.ndarray) -> np.ndarray:
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(masks).astype(np.int64)
    out = np.zeros(masks.shape, dtype=np.int64)
    work = masks.copy()
    while np.any(work):
        out += (work & 1).astype(np.int64)
        work >>= 1
    return out


def _bits(flags: np.ndarray) -> np.ndarray:
    """Bit masks of boolean rows (..., n) -> (...,) int64."""
    n = flags.shape[-1]
    if n > 8:
        weights = np.int64(1) << np.arange(n, dtype=np.int64)
        return flags.astype(np.int64) @ weights
    out = flags[..., 0].astype(np.int64)
    for j in range(1, n):
        out |= flags[..., j].astype(np.int64) << j
    return out


def _reduce_last(op, arr: np.ndarray) -> np.ndarray:
    """``op.reduce`` over a short last axis, unrolled (numpy is slow on short inner axes)."""
    if arr.shape[-1] > 8:
        return op.reduce(arr, axis=-1)
    out = arr[..., 0].copy()
    for j in range(1, arr.shape[-1]):
        op(out, arr[..., j], out=out)
    return out


def _cross(diff: np.ndarray) -> np.ndarray:
    """Generalised cross product: diff (..., k, k-1) -> (..., k), orthogonal to every column.

    Component r is (-1)^r times the determinant of ``diff`` without row r, so the vector is
    the last row of the adjugate of the square matrix [diff | 1]: the normalised solution of
    ``diff' x = 0, 1'x = 1``.
    """
    k = diff.shape[-2]
    if k == 2:
        return np.stack([diff[..., 1, 0], -diff[..., 0, 0]], axis=-1)
    if k == 3:
        a0, a1, a2 = diff[..., 0, 0], diff[..., 1, 0], diff[..., 2, 0]
        b0, b1, b2 = diff[..., 0, 1], diff[..., 1, 1], diff[..., 2, 1]
        return np.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)
    if k == 4:
        r = [diff[..., i, :] for i in range(4)]                            # rows, (..., 3)

        def det3(a, b, c):
            return (a[..., 0] * (b[..., 1] * c[..., 2] - b[..., 2] * c[..., 1])
                    - a[..., 1] * (b[..., 0] * c[..., 2] - b[..., 2] * c[..., 0])
                    + a[..., 2] * (b[..., 0] * c[..., 1] - b[..., 1] * c[..., 0]))
        return np.stack([det3(r[1], r[2], r[3]), -det3(r[0], r[2], r[3]),
                         det3(r[0], r[1], r[3]), -det3(r[0], r[1], r[2])], axis=-1)
    rows = np.arange(k)
    minors = np.stack([diff[..., rows != i, :] for i in range(k)], axis=-3)
    dets = np.linalg.det(minors)
    signs = np.where(rows % 2 == 0, 1.0, -1.0)
    return dets * signs


def _indifferent(vals: np.ndarray, tol: float) -> np.ndarray:
    """Solve ``x' vals = v 1, 1'x = 1`` for each square block vals (c, k, k) -> x (c, k).

    Small k: the normalised generalised cross product of the column differences; k >= 5:
    one batched LU solve of the bordered system. Singular systems give nan, decided
    scale-invariantly: a system counts as singular when its determinant is below
    ``_SINGULAR`` times Hadamard's bound (the product of the column norms of the bordered
    matrix), which multiplying the payoffs by any k > 0 leaves unchanged. Entries that are
    round-off (a cofactor below the same relative bound, or |x_r| <= _ZERO) are not
    positive: their solutions come out non-positive or nan.
    """
    c_, k, _ = vals.shape
    diff = vals[..., 1:] - vals[..., :1]                                   # (c, k, k-1)
    if k <= 4:
        c = _cross(diff)
        total = c.sum(axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            x = c / total[:, None]
        # a positive x must come from same-sign cofactors ...
        good = _reduce_last(np.logical_and, c * np.sign(total)[:, None] > tol * np.abs(
            total)[:, None])
        x[~good] = np.nan
        # ... that are not round-off: tested on the few positive candidates only
        cand = np.flatnonzero(good)
        if cand.size:
            floor = _SINGULAR * _hadamard(diff[cand])
            ok = (np.abs(total[cand]) > floor) & _reduce_last(
                np.logical_and, np.abs(c[cand]) > floor[:, None])
            x[cand[~ok]] = np.nan
        return x
    M = np.concatenate([np.swapaxes(diff, 1, 2), np.ones((c_, 1, k))], axis=1)  # (c, k, k)
    rhs = np.zeros((c_, k, 1))
    rhs[:, -1] = 1.0
    try:
        x = np.linalg.solve(M, rhs)[..., 0]
    except np.linalg.LinAlgError:
        # some systems are exactly singular: solve the others, mark those nan
        singular = ~(np.abs(np.linalg.det(M)) > _SINGULAR * _hadamard(diff))
        M[singular] = np.eye(k)
        x = np.linalg.solve(M, rhs)[..., 0]
        x[singular] = np.nan
    x[~(np.abs(x) > _ZERO)] = 0.0
    # near-singular systems give round-off solutions: tested on positive candidates only
    cand = np.flatnonzero(_reduce_last(np.logical_and, x > 0))
    if cand.size:
        bad = ~(np.abs(np.linalg.det(M[cand])) > _SINGULAR * _hadamard(diff[cand]))
        x[cand[bad]] = np.nan
    return x


def _hadamard(diff: np.ndarray) -> np.ndarray:
    """Hadamard's bound on the determinant of the bordered matrices [diff | 1]: the product
    of their column norms (scale-invariant companion of the determinant)."""
    k = diff.shape[-2]
    return np.sqrt(np.float64(k)) * np.prod(np.sqrt(np.einsum("cij,cij->cj", diff, diff)),
                                            axis=-1)


def _payoff_tol(P: np.ndarray, tol: float) -> np.ndarray:
    """Per-game tolerance in payoff units: max(tol, _ROUNDOFF) x the payoff scale of ``P``
    (its range, :func:`paxgame.kernels.payoffs.payoff_scale`): one player's payoffs only."""
    return max(tol, _ROUNDOFF) * payoff_scale(P, 2)


def _side(P: np.ndarray, tol: float, allowed: dict | None = None,
          opp_alive: np.ndarray | None = None, pt: np.ndarray | None = None,
          dominators: np.ndarray | None = None) -> _Candidates:
    """Vertices of the upper envelope of the opponent's payoffs, for strategies over axis 1.

    ``P`` has shape (G, m, n): m own actions, n opponent actions, P[g, i, j] the opponent's
    payoff. A candidate is a mixed strategy x over the m actions that is the unique solution
    of ``x_I' P[I, L] = v 1, 1'x_I = 1`` with L among the opponent's best responses.
    ``allowed`` maps k to a boolean array (G, C(m, k)) of admissible supports;
    ``opp_alive`` (G,) bit masks of the opponent actions that may be best responses; ``pt``
    the per-game payoff tolerance; ``dominators`` (G, m, n) the bit masks described below,
    when already computed.
    """
    P = np.ascontiguousarray(P)
    G, m, n = P.shape
    pt = _payoff_tol(P, tol) if pt is None else pt                         # (G,)
    games, strategies, values, supports, tights = [], [], [], [], []
    # support size one: every pure strategy is a vertex
    best = _reduce_last(np.maximum, P)                                     # (G, m)
    tight1 = _bits(P >= best[:, :, None] - pt[:, None, None])                           # (G, m)
    g1 = np.repeat(np.arange(G), m)
    a1 = np.tile(np.arange(m), G)
    keep = np.ones(G * m, dtype=bool) if allowed is None else allowed[1].ravel()
    eye = np.eye(m)
    games.append(g1[keep])
    strategies.append(eye[a1[keep]])
    values.append(best.ravel()[keep])
    supports.append((np.int64(1) << a1[keep].astype(np.int64)))
    tights.append(tight1.ravel()[keep])
    if min(m, n) >= 2 and dominators is None:
        # dominators[g, i, l]: bit mask of the opponent actions l' with P[g,i,l'] > P[g,i,l] + tol
        dominators = _bits(P[:, :, None, :] > P[:, :, :, None] + pt[:, None, None, None])
    for k in range(2, min(m, n) + 1):
        I, Imask = _combos(m, k)
        L, Lmask = _combos(n, k)
        if allowed is None:
            owner = np.repeat(np.arange(G), len(I))
            which = np.tile(np.arange(len(I)), G)
            Psub = np.take(P, I, axis=1).reshape(-1, k, n)                 # (s, k, n)
            dom = np.take(dominators, I, axis=1).reshape(-1, k, n)
        else:
            owner, which = np.nonzero(allowed[k])
            if owner.size == 0:
                continue
            flat = owner[:, None] * m + I[which]                           # (s, k)
            Psub = P.reshape(G * m, n).take(flat, axis=0)                  # (s, k, n)
            dom = dominators.reshape(G * m, n).take(flat, axis=0)
        # an opponent action strictly dominated on the support is never a best response
        common = _reduce_last(np.bitwise_and, np.moveaxis(dom, 1, 2))       # (s, n)
        undominated = _bits(common == 0)                                   # (s,)
        if opp_alive is not None:
            undominated &= opp_alive[owner]
        ok = (Lmask[None, :] & ~undominated[:, None]) == 0                 # (s, CL)
        si_all, li_all = np.nonzero(ok)
        offsets = (np.arange(k) * n)[None, :, None] + L[:, None, :]        # (CL, k, k)
        block = max(1, _BLOCK_ENTRIES // (k * k))
        for lo in range(0, si_all.size, block):
            si, li = si_all[lo:lo + block], li_all[lo:lo + block]
            vals = Psub.reshape(-1).take((si * (k * n))[:, None, None] + offsets[li])
            x_sub = _indifferent(vals, tol)                                # (c, k) or nan
            pos = np.flatnonzero(_reduce_last(np.logical_and, x_sub > tol))
            if pos.size == 0:
                continue
            si, li, x_sub = si[pos], li[pos], x_sub[pos]
            rows = Psub[si]                                                # (c, k, n)
            w = x_sub[:, 0, None] * rows[:, 0]                             # (c, n)
            for r in range(1, k):
                w += x_sub[:, r, None] * rows[:, r]
            top = _reduce_last(np.maximum, w)
            tight = _bits(w >= top[:, None] - pt[owner[si]][:, None])
            good = (Lmask[li] & ~tight) == 0
            if not np.any(good):
                continue
            g_c, a_c = owner[si[good]], which[si[good]]
            full = np.zeros((g_c.size, m))
            full.reshape(-1)[(np.arange(g_c.size) * m)[:, None] + I[a_c]] = x_sub[good]
            games.append(g_c)
            strategies.append(full)
            values.append(top[good])
            supports.append(Imask[a_c])
            tights.append(tight[good])
    cand = _Candidates(np.concatenate(games), np.concatenate(strategies),
                       np.concatenate(values), np.concatenate(supports),
                       np.concatenate(tights))
    return _dedupe(cand, m, n)


def _surviving(A: np.ndarray, B: np.ndarray, ta: np.ndarray, tb: np.ndarray,
               rounds: int | None = None):
    """Actions surviving iterated elimination of actions strictly dominated by pure actions.

    Returns boolean arrays (G, m) and (G, n) (and, as by-products, the dominator bit masks
    of both sides, see :func:`_side`). Every Nash equilibrium is supported on these
    actions, and its best responses lie among them too.
    """
    G, m, n = A.shape
    # beats[g, i, i2, j]: row i2 beats row i by more than tol against column j
    beats = A[:, None, :, :] > A[:, :, None, :] + ta[:, None, None, None]
    row_beats = _bits(beats)                                               # (G, m, m)
    # the same comparisons packed per (column j, row i) over rows i2: the column side's
    # dominator masks of _side
    dom_y = _bits(np.transpose(beats, (0, 3, 1, 2)))                       # (G, n, m)
    Bt = np.swapaxes(B, 1, 2)
    beats = Bt[:, None, :, :] > Bt[:, :, None, :] + tb[:, None, None, None]  # [g, j, j2, i]
    col_beats = _bits(beats)                                               # (G, n, n)
    dom_x = _bits(np.transpose(beats, (0, 3, 1, 2)))                       # (G, m, n)
    rows = np.ones((G, m), dtype=bool)
    cols = np.ones((G, n), dtype=bool)
    for _ in range(m + n if rounds is None else rounds):
        cb, rb = _bits(cols), _bits(rows)
        row_dom = np.any(((~row_beats & cb[:, None, None]) == 0) & rows[:, None, :], axis=2)
        col_dom = np.any(((~col_beats & rb[:, None, None]) == 0) & cols[:, None, :], axis=2)
        if not (np.any(row_dom & rows) or np.any(col_dom & cols)):
            break
        rows = rows & ~row_dom
        cols = cols & ~col_dom
    return rows, cols, dom_y, dom_x


def _dedupe(cand: _Candidates, m: int, n: int) -> _Candidates:
    """Drop repeated (game, support, tight set): one candidate per vertex.

    A vertex with |T| = |supp| solves exactly one square system, so only the others (in
    degenerate games) can repeat.
    """
    multiple = np.flatnonzero(_popcount(cand.tight) > _popcount(cand.support))
    if multiple.size == 0:
        return cand
    key = ((cand.game[multiple].astype(np.int64) << (m + n)) | (cand.support[multiple] << n)
           | cand.tight[multiple])
    _, first = np.unique(key, return_index=True)
    keep = np.ones(cand.game.size, dtype=bool)
    keep[multiple] = False
    keep[multiple[first]] = True
    return _Candidates(*(a[keep] for a in cand))


def _allowed_supports(ycand: _Candidates, G: int, m: int, n: int) -> dict:
    """Row supports I (per size) contained in T(y) of some candidate y of the same game."""
    allowed = {}
    if m <= 16:
        # table[g, S]: S is a subset of some T(y); closed downwards one bit at a time
        table = np.zeros((G, 1 << m), dtype=bool)
        table[ycand.game, ycand.tight] = True
        for bit in range(m):
            view = table.reshape(G, -1, 2, 1 << bit)
            view[:, :, 0, :] |= view[:, :, 1, :]
        for k in range(1, min(m, n) + 1):
            allowed[k] = table[:, _combos(m, k)[1]]
        return allowed
    for k in range(1, min(m, n) + 1):
        _, Imask = _combos(m, k)
        inside = (Imask[None, :] & ~ycand.tight[:, None]) == 0            # (cy, C)
        per_game = np.zeros((G, len(Imask)), dtype=bool)
        gi, ai = np.nonzero(inside)
        per_game[ycand.game[gi], ai] = True
        allowed[k] = per_game
    return allowed


def vertex_candidates(A: np.ndarray, B: np.ndarray, tol: float = 1e-9):
    """Candidate vertices of both players (no pairing, no pruning).

    Returns two tuples ``(game, strategy, value, support, tight)`` of arrays: the row
    player's strategies x (tight = the column player's best responses) and the column
    player's strategies y (tight = the row player's best responses).
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    _, m, n = A.shape
    xc = _side(B, tol)
    yc = _side(np.swapaxes(A, 1, 2), tol)
    return tuple(xc), tuple(yc)


def is_degenerate(A: np.ndarray, B: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """Degeneracy of each game of a batch, shape (batch,).

    A bimatrix game is degenerate when some mixed strategy with k actions in its support has
    more than k pure best responses (von Stengel 2007, definition 3.2). It suffices to test
    the vertices of the best-response polytopes, which this function enumerates.
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    G = A.shape[0]
    out = np.zeros(G, dtype=bool)
    for cand in vertex_candidates(A, B, tol):
        game, _, _, support, tight = cand
        bad = _popcount(tight) > _popcount(support)
        out[game[bad]] = True
    return out


def _pair(xc: _Candidates, yc: _Candidates, G: int, m: int, n: int):
    """All complementary (x, y) candidate pairs of the same game: indices into xc and yc.

    Candidates with |T| = |supp| ("simple") pair only with a candidate whose support and
    tight set are theirs swapped, so they are joined on that key; games with a candidate of
    another kind (degenerate games) are paired exhaustively.
    """
    simple_x = _popcount(xc.tight) == _popcount(xc.support)
    simple_y = _popcount(yc.tight) == _popcount(yc.support)
    general = np.zeros(G, dtype=bool)
    general[xc.game[~simple_x]] = True
    general[yc.game[~simple_y]] = True
    # join on the key (game, supp x = T y, T x = supp y)
    fx = np.flatnonzero(~general[xc.game])
    fy = np.flatnonzero(~general[yc.game])
    kx = (xc.game[fx].astype(np.int64) << (m + n)) | (xc.support[fx] << n) | xc.tight[fx]
    ky = (yc.game[fy].astype(np.int64) << (m + n)) | (yc.tight[fy] << n) | yc.support[fy]
    order = np.argsort(ky, kind="stable")
    pos = np.searchsorted(ky[order], kx).clip(max=max(ky.size - 1, 0))
    hit = ky[order][pos] == kx if ky.size else np.zeros(kx.size, dtype=bool)
    xi_fast, yi_fast = fx[hit], fy[order[pos[hit]]]
    if not np.any(general):
        return xi_fast, yi_fast
    # exhaustive pairing inside degenerate games
    gx = np.flatnonzero(general[xc.game])
    gy = np.flatnonzero(general[yc.game])
    gy = gy[np.argsort(yc.game[gy], kind="stable")]
    cy = np.bincount(yc.game[gy], minlength=G)
    sy = np.concatenate([[0], np.cumsum(cy)[:-1]])
    reps = cy[xc.game[gx]]
    total = int(reps.sum())
    xi = np.repeat(gx, reps)
    offset = np.arange(total) - np.repeat(np.cumsum(reps) - reps, reps)
    yi = gy[sy[xc.game[xi]] + offset]
    ok = ((yc.support[yi] & ~xc.tight[xi]) == 0) & ((xc.support[xi] & ~yc.tight[yi]) == 0)
    return np.concatenate([xi_fast, xi[ok]]), np.concatenate([yi_fast, yi[ok]])


def _chunk_size(m: int, n: int, chunk: int | None) -> int:
    """Games per chunk: ``chunk`` if given, else about _DEFAULT_CHUNK matrix entries."""
    if chunk is not None:
        return max(1, int(chunk))
    entries = sum(len(_combos(m, k)[0]) * len(_combos(n, k)[0]) * k * k
                  for k in range(1, min(m, n) + 1))
    games = max(1, _DEFAULT_CHUNK // max(entries, 1))
    # larger games: keep at least a few hundred games per chunk while the chunk stays
    # within _BLOCK_ENTRIES, so that per-chunk Python overhead stays small
    return max(games, min(256, _BLOCK_ENTRIES // max(entries, 1)))


def support_enumeration(A, B, tol: float = 1e-9, chunk: int | None = None) -> BatchEquilibria:
    """Extreme Nash equilibria of a batch of bimatrix games (see the module docstring).

    Parameters
    ----------
    A, B : array_like, shape (batch, m, n)
        Row and column players' payoffs.
    tol : float
        Relative tolerance for ties (scaled by max(1, largest absolute payoff) per game)
        and absolute tolerance for positive probabilities.
    chunk : int, optional
        Games per chunk (default: as many as keep the square systems of a chunk near
        2**18 matrix entries, about 800 games of 4x4: small enough to stay in cache).

    Returns
    -------
    BatchEquilibria

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[[3., 0.], [0., 2.]]])          # battle of the sexes
    >>> B = np.array([[[2., 0.], [0., 3.]]])
    >>> res = support_enumeration(A, B)
    >>> res.counts
    array([3])
    >>> np.round(res.x, 3)
    array([[1. , 0. ],
           [0. , 1. ],
           [0.6, 0.4]])
    """
    A, B = as_bimatrix("support_enumeration", A, B)
    G, m, n = A.shape
    if support_work(m, n) > WORK_LIMIT:
        raise ValueError(f"support_enumeration: a {m}x{n} game means up to "
                         f"{support_work(m, n):.2g} square systems per game (limit "
                         f"{WORK_LIMIT:.0e}, about 13x13); vertex enumeration and "
                         f"Lemke-Howson scale to larger games")
    step = _chunk_size(m, n, chunk)
    parts = []
    for lo in range(0, G, step):
        parts.append(_solve_chunk(A[lo:lo + step], B[lo:lo + step], tol, lo))
    game = np.concatenate([p[0] for p in parts])
    x = np.concatenate([p[1] for p in parts]).reshape(-1, m)
    y = np.concatenate([p[2] for p in parts]).reshape(-1, n)
    pay = np.concatenate([p[3] for p in parts]).reshape(-1, 2)
    finite = np.concatenate([p[4] for p in parts]) if parts else np.ones(0, dtype=bool)
    counts = np.bincount(game, minlength=G)
    return BatchEquilibria(game, x, y, pay, counts, finite)


def _solve_chunk(A, B, tol, offset):
    G, m, n = A.shape
    ta, tb = _payoff_tol(A, tol), _payoff_tol(B, tol)
    # a few rounds prune most dominated actions; full convergence is not needed
    rows, cols, dom_y, dom_x = _surviving(A, B, ta, tb, rounds=3)
    row_bits, col_bits = _bits(rows), _bits(cols)
    yallowed = {k: (_combos(n, k)[1][None, :] & ~col_bits[:, None]) == 0
                for k in range(1, min(m, n) + 1)}
    yc = _side(np.swapaxes(A, 1, 2), tol, allowed=yallowed, opp_alive=row_bits, pt=ta,
               dominators=dom_y)
    xallowed = _allowed_supports(yc, G, m, n)
    for k, table in xallowed.items():
        table &= (_combos(m, k)[1][None, :] & ~row_bits[:, None]) == 0
    xc = _side(B, tol, allowed=xallowed, opp_alive=col_bits, pt=tb,
               dominators=dom_x)
    xi, yi = _pair(xc, yc, G, m, n)
    game = xc.game[xi]
    x = xc.strategy[xi]
    y = yc.strategy[yi]
    pay = np.stack([yc.value[yi], xc.value[xi]], axis=1)
    # a vertex with two partners lies on a segment of equilibria
    finite = np.ones(G, dtype=bool)
    for idx, games in ((xi, game), (yi, game)):
        if idx.size:
            multi = np.bincount(idx) > 1
            finite[games[multi[idx]]] = False
    # deterministic order: by game, then support size, then lexicographically by x, y
    size = _popcount(xc.support[xi]) + _popcount(yc.support[yi])
    order = np.lexsort((size, game))
    return (game[order] + offset, x[order], y[order], pay[order], finite)

"""Assurance that leaves no bad equilibrium: unique participation and unique continuity.

The ordinary targets of :func:`paxgame.minimum_assurance` are read on the *selected*
equilibrium. The targets ``unique_participation`` and ``unique_continuity`` ask that *every*
pure Markov perfect equilibrium of the exact-state game (every subgame free to play any of
its own equilibria, not only the selected one) keeps every partner in after every regime at
the full coalition (and, for continuity, that the provider keeps every ally there), and
that there is at least one.

Method (exact for at most 4 partners and 4 regimes). For a fixed *profile* (stay decisions
and revocation sets at every exact state) every value is affine in the levels, so the levels
at which that profile is an equilibrium form a polyhedron ``{y : g(y) <= 0}``, one row per
decision. The levels sought avoid the polyhedron of every *bad* equilibrium (one with an
exit, or a revocation, at the full set): a union of complements, not convex. A best-first
branch and bound solves it. A node holds linear constraints; its bound is the
lexicographic LP (least cost, then least commitment) over them. At the LP's point every
equilibrium of the whole game is enumerated
(:func:`paxgame.kernels.revocation_unique.all_equilibria`). If all are good (and there is
one) the point is the answer: no open node has a lower bound. Otherwise one bad equilibrium
found there is *broken* in every possible way: one child per row of its polyhedron that the
levels move, with that row reversed by a margin of ten times the tie tolerance. Every level
set free of bad equilibria lies in some child, so the search is exact; where no
equilibrium exists at the point the children ask for one with everyone in (the provider's
pattern at the full set from the ordinary target's candidates, the smaller coalitions as
enumerated there), which is where exactness can be lost (``exact`` False).

Divide and conquer (Segal 2003; Winter 2004): levels form a *ranking* in the order
``pi_1, ..., pi_n`` when partner ``pi_1`` strictly prefers staying at the full set even if
every other partner leaves that period, ``pi_2`` when only ``pi_1`` stays with it, and so
on, against every play of the smaller coalitions that is an equilibrium at the levels.
The result reports the first such order (partners by decreasing cost first) or none, and
the price of uniqueness: the unique target's cost minus the ordinary target's.

References
----------
Segal, I. (2003), "Coordination and discrimination in contracting with externalities:
divide and conquer?", Journal of Economic Theory 113(2), 147-181.
Winter, E. (2004), "Incentives and discrimination", American Economic Review 94(3),
764-773.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import time
from dataclasses import dataclass, field

import numpy as np

from .._results import Certificate
from ..kernels import revocation_exact as kx
from ..kernels import revocation_unique as ku
from .arrays import ScenarioArrays
from .assurance import (AssuranceResult, _affine, _credibility_rows, _FAR, _lp, _patterns,
                        _ranges, _snap, _round_up, assurance_from_arrays)
from .equilibrium import equilibrium_from_arrays

__all__ = ["UniqueAssuranceResult", "UNIQUE_TARGETS", "unique_from_arrays", "ranking",
           "unique_met", "MAX_NODES"]

#: The unique targets and the ordinary target each strengthens.
UNIQUE_TARGETS = {"unique_participation": "participation",
                  "unique_continuity": "continuity"}
#: Exact range: partners and regimes.
MAX_PARTNERS, MAX_REGIMES = 4, 4
#: Largest number of branch-and-bound nodes whose point is checked by enumeration.
MAX_NODES = 4000
#: A broken row is reversed by this many tie tolerances.
MARGIN = 10.0


@dataclass(frozen=True, kw_only=True)
class UniqueAssuranceResult(AssuranceResult):
    """The least-cost assurance under which every equilibrium meets the target.

    Besides the fields of :class:`~paxgame.revocation.AssuranceResult`:

    Attributes
    ----------
    n_equilibria : int
        Pure Markov perfect equilibria of the whole exact-state game at the levels (the
        certificate: each keeps every partner in, and maintained for continuity).
    all_good : bool
        Every enumerated equilibrium meets the target (and there is at least one).
    ordinary : AssuranceResult
        The ordinary target's answer (selected equilibrium only).
    price_of_uniqueness : float
        ``total_cost - ordinary.total_cost`` (NaN when either is not constructible).
    extra_commitment : float
        ``commitment - ordinary.commitment`` (the price when instruments cost nothing).
    ranking : tuple of str
        Partners in divide-and-conquer order when the levels form a ranking, else ().
    ranking_margins : ndarray (partners,)
        In ranking order, each partner's least gain from staying (over regimes and over the
        smaller coalitions' equilibria) in its defining situation; empty without ranking.
    nodes : int
        Branch-and-bound nodes checked by enumeration.
    """

    n_equilibria: int = 0
    all_good: bool = False
    ordinary: AssuranceResult | None = field(default=None, repr=False)
    price_of_uniqueness: float = float("nan")
    extra_commitment: float = float("nan")
    ranking: tuple = ()
    ranking_margins: np.ndarray = None
    nodes: int = 0

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-check the answer independently of the search.

        * levels within [0, cap]; ``amount``, ``partner_cost``, ``total_cost``,
          ``commitment``, the price of uniqueness follow from the levels and ``ordinary``;
        * a constructible answer: every pure Markov perfect equilibrium of the whole game is
          enumerated again at the levels; their number is ``n_equilibria``, there is one,
          and each meets the target; the selected one meets the ordinary target, and the
          unique cost is not below the ordinary one;
        * a reported ranking satisfies its defining inequalities (recomputed);
        * local minimality: lowering any costly level by a relative 1e-6 leaves a bad
          equilibrium (or none);
        * the ordinary answer verifies.

        ``exact`` is accepted for symmetry; the enumeration runs in floats with the tie
        tolerance of the model.
        """
        return _verify(self, tol)


def unique_met(arrays: ScenarioArrays, y, target: str):
    """(met, all equilibria, first bad profile or None) at levels ``y``.

    ``met``: the enumeration is complete, finds at least one equilibrium, and each keeps
    every partner in at the full set after every regime (``unique_continuity``: and the
    provider keeps everyone there).
    """
    n = arrays.n
    full = (1 << n) - 1
    eqs = ku.all_equilibria(arrays.params(np.asarray(y, dtype=float)))
    bad = None
    for st, rv, _ in eqs.profiles:
        good = bool(st[full].all())
        if target == "unique_continuity":
            good &= bool((rv[full] == 0).all())
        if not good:
            bad = (st, rv)
            break
    met = eqs.complete and bool(eqs.profiles) and bad is None
    return met, eqs, bad


def _in_range(arrays) -> bool:
    return (arrays.n <= MAX_PARTNERS and arrays.K <= MAX_REGIMES
            and (1 << (arrays.n * arrays.K)) <= kx.ENUMERATION_LIMIT)


def unique_from_arrays(arrays: ScenarioArrays, target: str,
                       scenario=None) -> UniqueAssuranceResult:
    """The unique target's answer (see the module notes) on a scenario's arrays."""
    base = UNIQUE_TARGETS[target]
    ordinary = assurance_from_arrays(arrays, base, scenario)
    if _in_range(arrays):
        shortcut = _ordinary_suffices(arrays, target, ordinary)
        if shortcut is not None and shortcut.exact:
            found = shortcut
        else:
            found = _search(arrays, target, ordinary)
            if found.status == "uncertified" and shortcut is not None:
                found = dataclasses.replace(shortcut, nodes=shortcut.nodes + found.nodes,
                                            method=shortcut.method + " (the exact search "
                                            "stopped at its node budget)")
    else:
        found = _beyond(arrays, target)
    return _result(arrays, target, ordinary, found, scenario)


# --------------------------------------------------------------------------- the search

@dataclass
class _Found:
    status: str
    levels: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    reason: str
    exact: bool
    method: str
    nodes: int
    n_equilibria: int = 0
    unbounded: tuple = ()


def _lex(arrays, g0, G1, cred, caps):
    """(cost, commitment, x, face) of the lexicographic LP, or None when infeasible."""
    st, x, _ = _lp(arrays, g0, G1, cred, caps)
    if st != "optimal":
        return None
    nv = arrays.n * arrays.J
    kap = np.tile(arrays.kappa, arrays.n) / (1.0 - arrays.delta)
    cost = float(kap @ x)
    st, x2, face = _lp(arrays, g0, G1, cred, caps, cost + 1e-12 * abs(cost) + 1e-12)
    if st != "optimal":
        x2, face = x, None
    noise = 1e-12 * arrays.scale() * (1.0 - arrays.delta)
    x2 = np.where(x2 < max(noise, 1e-10 * float(np.max(x2, initial=0.0))), 0.0, x2)
    s = np.where(np.isfinite(arrays.cap), np.maximum(arrays.cap, 1e-300), 1.0)
    com = float(np.tile(1.0 / s, arrays.n) @ x2)
    return float(kap @ x2), com, x2.reshape(nv), face


def _settle(arrays, x, caps, target):
    """The first of x rounded to 12 digits, x, x raised by a relative 1e-9 meeting the
    target; else (x, False, the last enumeration, its bad profile)."""
    n, J = arrays.n, arrays.J
    last = None
    for cand in (_snap(x, caps), x, _round_up(x)):
        y = np.clip(cand, 0.0, caps).reshape(n, J)
        met, eqs, bad = unique_met(arrays, y, target)
        if met:
            return y, True, eqs, None
        if last is None:
            last = (y, eqs, bad)
    return last[0], False, last[1], last[2]


def _good_profiles(arrays, target, eqs, y):
    """Candidate profiles with everyone in at the full set: the provider's patterns there
    (none for continuity), the smaller coalitions as in an enumerated equilibrium, or as
    selected at ``y``."""
    n, K = arrays.n, arrays.K
    full = (1 << n) - 1
    pats, _ = _patterns(arrays, UNIQUE_TARGETS[target])
    pats = pats or [tuple([0] * K)]
    bases = [(st, rv) for st, rv, _ in eqs.profiles[:4]]
    sol = kx.solve(arrays.params(y))  # the selected play (partial when a subgame has none)
    bases.append((sol.stay, sol.revoke))
    out = []
    for st, rv in bases:
        for pat in pats:
            s2, r2 = st.copy(), rv.copy()
            s2[full] = True
            r2[full] = np.asarray(pat, dtype=np.int64)
            out.append((s2, r2))
    return out


def _search(arrays, target, ordinary) -> _Found:
    n, K, J = arrays.n, arrays.K, arrays.J
    nv = n * J
    caps = np.tile(arrays.cap, n)
    free = ~np.isfinite(caps) & (np.tile(arrays.kappa, n) < 0)
    caps_far = np.where(free, _FAR, caps)
    selfe = bool((~arrays.enforced).any() and arrays.collective)
    variants = [np.ones((n, K), bool)] + ([np.zeros((n, K), bool)] if selfe else [])
    exact = not selfe
    margin = MARGIN * arrays.tol()
    method = ("best-first branch and bound over the bad equilibria (one LP per node, each "
              "node's point checked by enumerating every equilibrium of the whole game)")
    # a node: (cost, commitment, tick, solved, variant, rows g0, G1, margins m, lp, keys,
    # had_good); rows g0 + G1 y <= 0, and g0 - m + G1 y <= 0 the same rows closed
    heap, tick = [], itertools.count()
    seen = set()
    creds = []
    for v, cred in enumerate(variants):
        creds.append(_credibility_rows(arrays, cred) if selfe and cred.any() else
                     (np.zeros((0, nv)), np.zeros(0)))
        heapq.heappush(heap, (-np.inf, -np.inf, next(tick), False, v, np.zeros(0),
                              np.zeros((0, nv)), np.zeros(0), None, frozenset(), False))
    nodes = 0
    last_bad = None
    t0 = time.monotonic()
    while heap and nodes < MAX_NODES:
        cost, com, _, solved, v, g0, G1, m, lp, keys, had_good = heapq.heappop(heap)
        if not solved:
            lp = _lex(arrays, g0, G1, creds[v], caps_far)
            if lp is None and m.any():  # reversed only on the boundary (e.g. at a cap):
                g0, m = g0 - m, np.zeros_like(m)  # closed, the tie rules decide there
                lp = _lex(arrays, g0, G1, creds[v], caps_far)
            if lp is not None:
                heapq.heappush(heap, (lp[0], lp[1], next(tick), True, v, g0, G1, m, lp, keys,
                                      had_good))
            continue
        nodes += 1
        x, face = lp[2], lp[3]
        y, met, eqs, bad = _settle(arrays, x, caps_far, target)
        exact &= eqs.complete
        if met:
            if m.any():  # the same node with its broken rows closed (ties decide there)
                closed = _lex(arrays, g0 - m, G1, creds[v], caps_far)
                if closed is not None and (closed[0], closed[1]) <= (lp[0], lp[1]):
                    y2, met2, eqs2, _ = _settle(arrays, closed[2], caps_far, target)
                    if met2:
                        y, eqs, face = y2, eqs2, closed[3]
            if face is not None:
                lo, hi = _ranges(face, nv)
                lo, hi = np.minimum(lo, y.ravel()), np.maximum(hi, y.ravel())
            else:
                lo, hi = y.ravel().copy(), y.ravel().copy()
            status, unb = "optimal", ()
            far = free & (y.ravel() >= 0.5 * _FAR)
            if far.any():
                status = "unbounded"
                unb = tuple(sorted({arrays.instrument_names[k % J] for k in np.flatnonzero(far)}))
            return _Found(status, y, lo.reshape(n, J), hi.reshape(n, J), "", exact, method,
                          nodes, len(eqs.profiles), unb)
        cred = variants[v]
        children = []
        if bad is not None:
            last_bad = bad
            children = _break_children(arrays, eqs, target, cred, caps_far, margin)
            if any(c[0] in keys for c in children):
                # this node was to break that equilibrium with one of these conditions,
                # closed on its boundary where the tie rules keep the equilibrium: the
                # other conditions are the node's siblings
                continue
        elif not had_good:
            for st, rv in _good_profiles(arrays, target, eqs, y):
                a0, A1 = _affine(arrays, st, rv, cred, True)
                children.append((b"good" + _row_key(a0, A1), a0, A1, np.zeros(a0.size)))
            exact = False
        else:
            exact = False  # no equilibrium where a good profile's conditions hold
            continue
        for key, c0, C1, cm in children:
            nk = keys | {key}
            if nk in seen:
                continue
            seen.add(nk)
            # children are solved when they reach the top (their bound is the parent's)
            heapq.heappush(heap, (cost, com, next(tick), False, v, np.concatenate([g0, c0]),
                                  np.vstack([G1, C1]), np.concatenate([m, cm]), None, nk,
                                  had_good or key[:4] == b"good"))
    nan = np.full((n, J), np.nan)
    if heap:  # node budget spent
        return _Found("uncertified", nan, nan, nan,
                      f"the search stopped after {nodes} nodes ({time.monotonic() - t0:.1f} s) "
                      f"without a package free of bad equilibria", False, method, nodes)
    return _Found("infeasible", nan, nan, nan, _reason(arrays, target, last_bad), exact,
                  method, nodes)


def _row_key(c0, C1):
    return np.round(np.concatenate([c0, C1.ravel()]), 12).tobytes()


def _break_children(arrays, eqs, target, cred, caps, margin, tries=6):
    """The children breaking one bad equilibrium at the point: of the first ``tries`` bad
    equilibria enumerated there, the one with the fewest rows that can be reversed within
    the caps; one child per such row (keyed by the row's content, so that a row shared by
    several bad equilibria is one branch)."""
    n = arrays.n
    full = (1 << n) - 1
    best = None
    done = 0
    hi = np.where(np.isfinite(caps), caps, _FAR)
    for st, rv, _ in eqs.profiles:
        good = bool(st[full].all()) and (target != "unique_continuity"
                                         or bool((rv[full] == 0).all()))
        if good:
            continue
        b0, B1 = _affine(arrays, st, rv, cred, True)
        movable = np.abs(B1).max(axis=1, initial=0.0) * max(
            1.0, arrays.scale() * (1 - arrays.delta)) > 1e-12 * arrays.scale()
        out = []
        for k in np.flatnonzero(movable):
            c0, C1 = margin - b0[k:k + 1], -B1[k:k + 1]
            # the row can reach 0 somewhere in the box (its largest value there, less the
            # margin, is top; the margin is dropped on the boundary, see _search)
            top = -(c0[0] + float(np.minimum(C1[0] * hi, 0.0).sum()))
            if top + 2.0 * margin < 0:
                continue
            out.append((_row_key(c0, C1), c0, C1, np.array([margin])))
        if best is None or len(out) < len(best):
            best = out
        done += 1
        if done >= tries or not best:
            break
    return best or []


def _ordinary_suffices(arrays, target, ordinary):
    """The ordinary answer when every equilibrium at its levels is good: it is the least
    (cost, commitment) over a larger set, so it is the unique target's answer as well
    (exact when the ordinary answer is)."""
    if ordinary is None:
        return None
    if ordinary.status == "infeasible" and ordinary.exact:  # a larger set is empty already
        nan = np.full((arrays.n, arrays.J), np.nan)
        return _Found("infeasible", nan, nan, nan,
                      f"{target}: even the selected equilibrium fails the ordinary target "
                      f"({ordinary.reason})", True, "the ordinary target is infeasible", 0)
    if ordinary.status != "optimal":
        return None
    y = np.asarray(ordinary.levels, dtype=float)
    met, eqs, _ = unique_met(arrays, y, target)
    if not met:
        return None
    lr = np.asarray(ordinary.level_range, dtype=float)
    return _Found("optimal", y, lr[..., 0], lr[..., 1], "", bool(ordinary.exact),
                  "the ordinary answer, every equilibrium at its levels enumerated and good",
                  1, len(eqs.profiles))


def _reason(arrays, target, bad) -> str:
    what = "stays in" if target == "unique_participation" else "stays in and is kept"
    if bad is None:
        return (f"{target}: no level within the caps gives an equilibrium in which everyone "
                f"{what}")
    st, rv = bad
    n, K = arrays.n, arrays.K
    full = (1 << n) - 1
    exits = [f"'{arrays.partner_names[i]}' after '{arrays.regime_names[r]}'"
             for i in range(n) for r in range(K) if not st[full, i, r]]
    if exits:
        return (f"{target}: at every level within the caps some equilibrium has a partner "
                f"leaving (e.g. {', '.join(exits[:3])})")
    revs = [f"'{arrays.regime_names[s]}'" for s in range(K) if rv[full, s]]
    return (f"{target}: at every level within the caps some equilibrium has the provider "
            f"revoking at the full coalition (e.g. in regime {', '.join(revs[:3])})")


def _beyond(arrays, target) -> _Found:
    """Beyond the exact range: each partner's unique levels in its own one-partner game;
    uniqueness on the joint game is not enumerated (status ``uncertified``)."""
    n, J = arrays.n, arrays.J
    levels, lo, hi = np.zeros((n, J)), np.zeros((n, J)), np.zeros((n, J))
    nodes = 0
    for i in range(n):
        f = _search(arrays.partner(i), target, None)
        nodes += f.nodes
        if f.status not in ("optimal",):
            nan = np.full((n, J), np.nan)
            return _Found("uncertified", nan, nan, nan,
                          f"partner '{arrays.partner_names[i]}' alone: {f.status}", False,
                          "per-partner unique levels", nodes)
        levels[i], lo[i], hi[i] = f.levels[0], f.lo[0], f.hi[0]
    return _Found("uncertified", levels, lo, hi,
                  f"beyond {MAX_PARTNERS} partners and {MAX_REGIMES} regimes the equilibria "
                  f"of the joint game are not enumerated", False,
                  "per-partner unique levels (each partner's one-partner game); uniqueness "
                  "on the joint game not enumerated", nodes)


# --------------------------------------------------------------------------- ranking

def _contexts(eqs, n):
    """Distinct plays of the smaller coalitions among the equilibria, each with one
    equilibrium's revocation sets at the full set."""
    full = (1 << n) - 1
    out = {}
    for st, rv, _ in eqs.profiles:
        key = (st[:full].tobytes(), rv[:full].tobytes())
        out.setdefault(key, (st, rv))
    return list(out.values())


def ranking_gain(p, ctx, before: tuple, i: int, n: int) -> float:
    """Partner ``i``'s least gain (over regimes) from staying at the full set when exactly
    the partners ``before`` stay with it this period and the others leave, the smaller
    coalitions playing ``ctx`` (with everyone staying, the revocation sets of ``ctx``)."""
    full = (1 << n) - 1
    st, rv = ctx[0].copy(), ctx[1].copy()
    st[full] = False
    for k in before + (i,):
        st[full, k] = True
    V, U = kx.profile_values(p, st, rv)
    gain, _ = kx.one_shot_gains(p, st, rv, V, U)
    return float(np.min(gain[full, i]))


def ranking(arrays: ScenarioArrays, y, eqs=None):
    """(order, margins): the first divide-and-conquer order the levels ``y`` satisfy
    (partners by decreasing cost tried first), with each partner's least staying gain in
    its defining situation; ((), empty) when none does (or nothing was enumerated)."""
    n = arrays.n
    y = np.asarray(y, dtype=float)
    p = arrays.params(y)
    eqs = ku.all_equilibria(p) if eqs is None else eqs
    ctxs = _contexts(eqs, n)
    if not ctxs or not eqs.complete:
        return (), np.zeros(0)
    tol = p.tol
    memo = {}

    def worst(before, i):
        k = (frozenset(before), i)
        if k not in memo:
            memo[k] = min(ranking_gain(p, c, tuple(sorted(before)), i, n) for c in ctxs)
        return memo[k]

    cost = (y * arrays.kappa[None, :]).sum(axis=1)
    s = np.where(np.isfinite(arrays.cap), np.maximum(arrays.cap, 1e-300), 1.0)
    com = (y / s[None, :]).sum(axis=1)
    start = sorted(range(n), key=lambda i: (-cost[i], -com[i], i))
    for perm in itertools.permutations(start):
        margins = []
        for k, i in enumerate(perm):
            g = worst(perm[:k], i)
            if g < -tol:
                break
            margins.append(g)
        else:
            return tuple(perm), np.array(margins)
    return (), np.zeros(0)


# --------------------------------------------------------------------------- result

def _result(arrays, target, ordinary, found: _Found, scenario) -> UniqueAssuranceResult:
    n, J = arrays.n, arrays.J
    constructible = found.status in ("optimal", "unbounded")
    unit = arrays.kappa / (1.0 - arrays.delta)
    s = np.where(np.isfinite(arrays.cap), np.maximum(arrays.cap, 1e-300), 1.0)
    levels = found.levels
    if constructible:
        y = np.where(np.isinf(levels), _FAR, levels)
        pcost = (levels * unit).sum(axis=1)
        total = float(pcost.sum()) if found.status == "optimal" else -np.inf
        commit = float((levels / s).sum())
        amount = levels.sum(axis=0)
        eq = equilibrium_from_arrays(arrays, y, scenario)
        order, margins = ranking(arrays, y) if found.status == "optimal" else ((), None)
        names = tuple(arrays.partner_names[i] for i in order)
    elif found.status == "uncertified" and np.isfinite(levels).all():
        pcost = (levels * unit).sum(axis=1)
        total, commit, amount = float(pcost.sum()), float((levels / s).sum()), levels.sum(0)
        eq = equilibrium_from_arrays(arrays, levels, scenario)
        names, margins = (), np.zeros(0)
    else:
        pcost, total, commit = np.full(n, np.nan), float("nan"), float("nan")
        amount, eq, names, margins = np.full(J, np.nan), None, (), np.zeros(0)
    if found.status == "optimal" and ordinary.status == "optimal":
        price = total - ordinary.total_cost
        extra = commit - ordinary.commitment
    else:
        price, extra = float("nan"), float("nan")
    if found.status == "optimal":
        msg = (f"minimum {target} assurance: all {found.n_equilibria} pure Markov perfect "
               f"equilibria of the exact-state game at the levels meet the target"
               + ("" if found.exact else " (the method is not exact here: a cheaper "
                  "package may exist)"))
        if ordinary.status == "optimal":
            msg += f"; price of uniqueness {price:.6g}"
    elif found.status == "unbounded":
        msg = (f"the cost is unbounded below: self-financing instrument(s) without a cap "
               f"({', '.join(found.unbounded)}) meet the {target} target at any larger level")
    elif found.status == "uncertified":
        msg = f"not certified: {found.reason}"
    else:
        msg = f"no credible assurance meets the {target} target: {found.reason}"
    return UniqueAssuranceResult(
        target=target, partners=arrays.partner_names, instruments=arrays.instrument_names,
        levels=levels, amount=amount, level_range=np.stack([found.lo, found.hi], axis=-1),
        partner_cost=pcost, total_cost=total, commitment=commit,
        constructible=constructible, reason=found.reason if not constructible else "",
        unbounded=found.unbounded, equilibrium=eq, exact=found.exact, method=found.method,
        scenario=scenario, status=found.status, message=msg,
        n_equilibria=found.n_equilibria, all_good=found.status == "optimal",
        ordinary=ordinary, price_of_uniqueness=price, extra_commitment=extra,
        ranking=names, ranking_margins=margins, nodes=found.nodes)


# --------------------------------------------------------------------------- verify

def _verify(res: UniqueAssuranceResult, tol) -> Certificate:
    sc = res.scenario
    if sc is None:
        return Certificate.from_violations({"scenario_missing": 1}, 0.0)
    arrays = ScenarioArrays.from_scenario(sc)
    n, J = arrays.n, arrays.J
    ftol = 1e-7 if tol is None else float(tol)
    checks: dict = {"target": int(res.target not in UNIQUE_TARGETS)}
    if res.target not in UNIQUE_TARGETS:
        return Certificate.from_violations(checks, ftol)
    if res.ordinary is None:
        checks["ordinary_missing"] = 1
        return Certificate.from_violations(checks, ftol)
    checks["ordinary_certificate"] = int(not res.ordinary.verify().ok)
    if not res.constructible:
        checks["levels_missing"] = int(res.status == "infeasible"
                                       and not np.isnan(np.asarray(res.levels, float)).all())
        checks["reason_given"] = int(not res.reason)
        if res.status == "infeasible":  # re-derived (an uncertified search is not re-run)
            again = unique_from_arrays(arrays, res.target, sc)
            checks["status"] = int(again.status != res.status)
        return Certificate.from_violations(checks, ftol)
    y = np.where(np.isinf(res.levels), _FAR, np.asarray(res.levels, dtype=float))
    scale = arrays.scale(y)
    unit = arrays.kappa / (1.0 - arrays.delta)
    s = np.where(np.isfinite(arrays.cap), np.maximum(arrays.cap, 1e-300), 1.0)
    checks["levels_nonnegative"] = float(max(0.0, -y.min(initial=0.0)))
    checks["levels_within_caps"] = float(np.max(y - arrays.cap[None, :], initial=0.0))
    if res.status == "optimal":
        checks["amount"] = float(np.abs(res.amount - y.sum(axis=0)).max(initial=0.0)) / scale
        checks["partner_cost"] = float(np.abs(res.partner_cost - (y * unit).sum(axis=1))
                                       .max(initial=0.0)) / scale
        checks["total_cost"] = abs(res.total_cost - float((y * unit).sum())) / scale
        checks["commitment"] = abs(res.commitment - float((y / s).sum()))
        lr = np.asarray(res.level_range, dtype=float)
        checks["level_range_brackets_levels"] = float(max(
            np.max(lr[..., 0] - y, initial=0.0), np.max(y - lr[..., 1], initial=0.0)))
        if res.ordinary.status == "optimal":
            checks["price_of_uniqueness"] = abs(
                res.price_of_uniqueness - (res.total_cost - res.ordinary.total_cost)) / scale
            checks["unique_not_below_ordinary"] = max(
                0.0, res.ordinary.total_cost - res.total_cost) / scale
    met, eqs, _ = unique_met(arrays, y, res.target)
    checks["every_equilibrium_meets_target"] = int(not met)
    checks["n_equilibria"] = int(len(eqs.profiles) != res.n_equilibria)
    eq = equilibrium_from_arrays(arrays, y, sc)
    checks["selected_meets_ordinary_target"] = int(
        eq.status != "optimal" or not eq.stay.all()
        or (res.target == "unique_continuity" and not eq.maintain.all()))
    checks["equilibrium_certificate"] = int(not eq.verify().ok)
    if res.ranking:
        p = arrays.params(y)
        order = [res.partners.index(nm) for nm in res.ranking]
        ctxs = _contexts(eqs, n)
        worst = 0.0
        for k, i in enumerate(order):
            g = min(ranking_gain(p, c, tuple(sorted(order[:k])), i, n) for c in ctxs)
            worst = max(worst, -g - p.tol)
            worst = max(worst, abs(g - float(res.ranking_margins[k])) - 1e-9 * scale)
        checks["ranking_inequalities"] = worst / scale
    if res.status == "optimal":
        broken = 0
        for i in range(n):
            for j in range(J):
                k = arrays.kappa[j]
                if y[i, j] <= 0 or k < 0:
                    continue
                z = y.copy()
                z[i, j] = y[i, j] * (1.0 - 1e-6) - 1e-9 * scale * (1 - arrays.delta)
                z[i, j] = max(0.0, z[i, j])
                broken += int(unique_met(arrays, z, res.target)[0])
        checks["local_minimality"] = broken
    return Certificate.from_violations(checks, ftol)

"""The minimum credible assurance: the cheapest instrument levels that meet a target.

The targets are read on the selected equilibrium of the exact-state game at the full
coalition (:func:`paxgame.solve`): *participation* (every partner stays after every regime)
and *continuity* (also: the provider keeps every ally in every regime).

Method. Fix a *structure*: the partners' stay decisions and the provider's revocation set
at every exact state. Given a structure every value is an affine function of the levels, so
"this structure is an equilibrium and meets the target" is a polyhedron of levels, and the
cheapest package in it is a linear program (HiGHS). The structures tried are every
revocation pattern of the provider at the full coalition (continuity: none), with the
smaller coalitions playing the equilibrium they select at the candidate levels (found by a
fixed-point iteration). Dropping the requirement that the structure be the *selected*
equilibrium makes each LP a relaxation: when the cheapest LP answer passes the exact-state
check (the selected equilibrium at those levels meets the target) it is the minimum. This is
exact when the smaller coalitions cannot be reached from the full one along the target's
path (no adversary hazard with several partners, no collateral coupling) and every pattern
was enumerated; otherwise ``exact`` is False.

Two cases are solved exactly beyond the structure LPs. With one partner and one instrument,
the level axis is cut at every point where some structure starts or stops being an
equilibrium and where two structures' values cross; between cuts the selected equilibrium
is one structure, so the cheapest piece whose structure meets the target holds the
minimum (used when the LPs leave the answer uncertified or not exact). With two partners,
one instrument and some adversary hazard, each partner's level axis is cut the same way by
its one-partner subgame (reached when the other turns adversarial), and the full
coalition's LPs run on each pair of pieces, cheapest first. An instrument that moves no
payoff (no flow, and payments that never count) is left at zero.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from .._results import Certificate, SolverResult
from .._validation import check_method
from ..kernels import revocation_exact as kx
from ..kernels.lp import solve_lp
from .arrays import ScenarioArrays
from .equilibrium import (ScenarioEquilibrium, _check_size, equilibrium_from_arrays)

__all__ = ["AssuranceResult", "minimum_assurance", "TARGETS", "ORDINARY_TARGETS", "MAX_PATTERNS",
           "target_met"]

#: Targets of :func:`minimum_assurance`.
TARGETS = {"participation": "partners stay in every regime (revocation may still happen)",
           "continuity": "partners stay and the provider maintains in every regime",
           "unique_participation": "every equilibrium keeps every partner in",
           "unique_continuity": "every equilibrium keeps every partner in and maintained"}
#: The targets read on the selected equilibrium (the others ask it of every equilibrium).
ORDINARY_TARGETS = ("participation", "continuity")
#: Largest number of provider revocation patterns at the full coalition tried one by one;
#: beyond, the pattern is found by a fixed-point iteration and ``exact`` is False.
MAX_PATTERNS = 64
#: Relative step by which returned levels are raised so that the target holds strictly.
ROUND_UP = 1e-9
#: Bound standing in for an infinite cap when a self-financing instrument is tested for
#: unboundedness.
_FAR = 1e6


@dataclass(frozen=True, kw_only=True)
class AssuranceResult(SolverResult):
    """The minimum credible assurance for a target.

    Attributes
    ----------
    target : str
    partners, instruments : tuple of str
    levels : ndarray (partners, instruments)
        The cheapest levels (NaN when not constructible). Levels are rounded up by at most
        a relative 1e-9 so that the target holds strictly at them.
    amount : ndarray (instruments,)
        Each instrument's level summed over partners (levels of different instruments are
        never added).
    level_range : ndarray (partners, instruments, 2)
        For each level its smallest and largest value over the optimal packages (least
        cost, then least commitment) of the answer's structure: how much room the answer
        leaves, e.g. how a collective assurance may be split among partners.
    partner_cost : ndarray (partners,)
        The provider's net cost sum_j (c_j - p_j) y_ij / (1 - delta) per partner.
    total_cost : float
        The objective: the provider's total net cost (negative when self-financing).
    commitment : float
        The tie-break: sum of levels, each instrument scaled by its cap where finite.
    constructible : bool
    reason : str
        Why not (the target, the partner, the regime and the cap or rule that stops it).
    unbounded : tuple of str
        Self-financing instruments without a cap that make the cost unbounded below.
    equilibrium : ScenarioEquilibrium or None
        The selected equilibrium at the levels (the certificate of the target).
    exact : bool
        True when the method is exact for this scenario (see the module notes).
    method : str
    """

    target: str = "participation"
    partners: tuple = ()
    instruments: tuple = ()
    levels: np.ndarray = None
    amount: np.ndarray = None
    level_range: np.ndarray = None
    partner_cost: np.ndarray = None
    total_cost: float = float("nan")
    commitment: float = float("nan")
    constructible: bool = False
    reason: str = ""
    unbounded: tuple = ()
    equilibrium: ScenarioEquilibrium | None = field(default=None, repr=False)
    exact: bool = True
    method: str = ""
    scenario: object = field(default=None, repr=False)

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-check every field.

        * the levels lie in [0, cap], ``amount``, ``partner_cost``, ``total_cost`` and
          ``commitment`` follow from them, and ``level_range`` brackets them;
        * a constructible answer: the selected equilibrium at the levels, re-solved and
          itself verified, meets the target (with ``exact=True`` the equilibrium at the
          levels is verified in fractions, or else at the levels moved a relative 1e-9
          into the target's region: the reported floats round a boundary point, and the
          region lies above it, or below it for a self-financing instrument (then raised
          levels are tried last); moving any
          level in the direction that lowers the cost (or the commitment) by a relative
          1e-6 breaks the target (local minimality, which catches a package that is not the
          cheapest);
        * a "not constructible" or "unbounded" claim and the levels are re-derived by the
          solver and compared.
        """
        return _verify(self, tol, exact)


def target_met(eq: ScenarioEquilibrium, target: str) -> bool:
    """Whether an equilibrium meets a target at the full coalition."""
    if eq.status != "optimal":
        return False
    ok = bool(eq.stay.all())
    if target == "continuity":
        ok &= bool(eq.maintain.all())
    return ok


def minimum_assurance(sc, target: str = "participation") -> AssuranceResult:
    """The cheapest instrument levels at which the selected equilibrium meets a target.

    Parameters
    ----------
    sc : Scenario
    target : {"participation", "continuity", "unique_participation", "unique_continuity"}
        Participation: every partner stays after every regime (revocation may still
        happen: an assurance is not a guarantee). Continuity: also, the provider keeps
        every ally in every regime. The ``unique_`` targets ask the same of *every* pure
        Markov perfect equilibrium of the exact-state game, not only the selected one,
        and return a :class:`~paxgame.revocation.unique.UniqueAssuranceResult` (with the
        count of equilibria, the divide-and-conquer ranking and the price of uniqueness).

    Returns
    -------
    AssuranceResult
        Status ``"optimal"`` (levels found and the target checked on the exact state at
        them), ``"infeasible"`` (not constructible: ``reason`` says why), ``"unbounded"`` (a
        self-financing instrument without a cap lowers the cost without end: named in
        ``unbounded``) or ``"uncertified"`` (the LP answer failed the exact-state check).

    Notes
    -----
    The objective is lexicographic: first the provider's net cost
    sum_ij (c_j - p_j) y_ij / (1 - delta), then among the cheapest packages the commitment
    sum_ij y_ij / s_j (s_j the cap where finite, else 1), both with a relative tolerance of
    1e-9. Partners that do not interact (bilateral governance, targeted revocation, no
    collateral outages) are solved one at a time. The closed forms of the one-partner bond
    (delta = 0.9, w = 1, G = 12, L = 6 gives 2 for both targets) are reproduced. See the
    module notes for the method and when it is exact.

    Examples
    --------
    >>> import paxgame as pg
    >>> sc = pg.load("games/scenarios/revocation_order.toml")
    >>> res = pg.minimum_assurance(sc, target="continuity")
    >>> res.status, round(float(res.amount.sum()), 3)
    ('optimal', 14.257)
    >>> bool(res.verify())
    True
    """
    from ..games.scenario import Scenario  # local: games imports nothing of revocation

    if not isinstance(sc, Scenario):
        raise TypeError(f"minimum_assurance: sc must be a Scenario, got {type(sc).__name__}")
    target = check_method("minimum_assurance", target, list(TARGETS))
    arrays = ScenarioArrays.from_scenario(sc)
    _check_size("minimum_assurance", arrays)
    return assurance_from_arrays(arrays, target, scenario=sc)


#: Levels are certified to this relative precision (the tie tolerance over the gains'
#: sensitivity to the level); coarser answers (a discount very near 1) are "uncertified".
LEVEL_PRECISION = 1e-3


def assurance_from_arrays(arrays: ScenarioArrays, target: str, scenario=None) -> AssuranceResult:
    """:func:`minimum_assurance` on a scenario's arrays."""
    if target.startswith("unique_"):
        from .unique import unique_from_arrays  # local: unique builds on this module

        return unique_from_arrays(arrays, target, scenario)
    if arrays.n > 1 and not arrays.coupled:
        parts = [_solve_block(arrays.partner(i), target) for i in range(arrays.n)]
        res = _combine(arrays, target, parts, scenario)
    else:
        res = _combine(arrays, target, [_solve_block(arrays, target)], scenario)
    return _precision_check(arrays, res)


def _precision_check(arrays, res: AssuranceResult) -> AssuranceResult:
    """Downgrade an answer whose levels the float model cannot pin down to
    :data:`LEVEL_PRECISION` (ties are decided within a tolerance relative to the value scale;
    near discount 1 that tolerance is large against the gains' sensitivity to a level)."""
    if res.status != "optimal" or res.equilibrium is None:
        return res
    y = np.asarray(res.levels, dtype=float)
    tol = arrays.tol(y)
    worst = 0.0
    for i in range(arrays.n):
        for j in range(arrays.J):
            if y[i, j] <= 0:
                continue
            e = np.zeros_like(y)
            e[i, j] = 1.0
            slope = _slope(arrays, y, e, list(res.equilibrium.blocks))
            if slope > 0:
                worst = max(worst, tol / slope / y[i, j])
    if worst <= LEVEL_PRECISION:
        return res
    return dataclasses.replace(res, status="uncertified", message=(
        f"{res.message}; not certified: the levels are determined only to a relative "
        f"{worst:.1g} (ties are decided within {tol:.2g}, about 1e-9 of the value scale, "
        f"and the discount {arrays.delta!r} makes values large against a level's effect)"))


# --------------------------------------------------------------------------- structures

@dataclass
class _Answer:
    status: str            # optimal / infeasible / unbounded / uncertified
    levels: np.ndarray     # (m, J)
    lo: np.ndarray
    hi: np.ndarray
    reason: str
    unbounded: tuple
    exact: bool
    method: str


def _profile(sol: kx.ExactSolution, n: int, K: int, pattern) -> tuple:
    """Everyone stays at the full set and the provider revokes ``pattern[s]`` there; the
    smaller sets play ``sol``'s selected profile."""
    full = (1 << n) - 1
    stay = sol.stay.copy()
    revoke = sol.revoke.copy()
    stay[full] = True
    revoke[full] = np.asarray(pattern, dtype=np.int64)
    return stay, revoke


def _gains(p, stay, revoke, every_set, names=None):
    """Constraint values (<= 0 when the structure is an equilibrium) and, with ``names``
    (partner names, regime names), a label for each. Rows: each partner's stay or exit at
    each state, then the provider's chosen set against each other set at each node; only
    the full coalition's rows unless ``every_set`` (True: every set; a set of bitmasks:
    those sets)."""
    V, U = kx.profile_values(p, stay, revoke)
    gain, nodes = kx.one_shot_gains(p, stay, revoke, V, U)
    n, K = p.flow.shape
    full = (1 << n) - 1
    wanted = (lambda P: P in every_set) if isinstance(every_set, (set, frozenset)) else (
        lambda P: P == full or every_set)
    rows, labels = [], []
    for P in range(1, full + 1):
        if not wanted(P):
            continue
        for i in kx.members(P):
            for r in range(K):
                rows.append(-gain[P, i, r] if stay[P, i, r] else gain[P, i, r])
                if names == "keys":
                    labels.append(("partner", P, i, r))
                elif names:
                    pn, rn = names
                    where = "" if P == full else (
                        f" (with only {', '.join(pn[k] for k in kx.members(P))} left)")
                    labels.append(
                        f"partner '{pn[i]}' prefers its outside option to staying after "
                        f"regime '{rn[r]}'{where}" if stay[P, i, r] else
                        f"partner '{pn[i]}' prefers staying to exit after regime "
                        f"'{rn[r]}'{where}")
    for (Q, s), vals in sorted(nodes.items()):
        if not wanted(Q):
            continue
        c = int(revoke[Q, s])
        for R, v in sorted(vals.items()):
            if R == c:
                continue
            rows.append(v - vals[c])
            if names == "keys":
                labels.append(("node", Q, s, R))
            elif names:
                pn, rn = names
                who = ", ".join(pn[k] for k in kx.members(R)) or "nobody"
                labels.append(f"the provider prefers revoking {{{who}}} in regime '{rn[s]}' "
                              f"(no forfeit within the caps deters it)")
    return np.array(rows, dtype=float), labels


def _affine(arrays, stay, revoke, credible, every_set):
    """(G0, G1): constraint vector g(y) = G0 + G1 @ y.ravel() <= 0 for a fixed structure
    (every value is affine in the levels once the structure is fixed)."""
    n, J = arrays.n, arrays.J
    y0 = np.zeros((n, J))
    g0, _ = _gains(arrays.params(y0, credible), stay, revoke, every_set)
    G1 = np.zeros((g0.size, n * J))
    # the map is affine, so any step gives the slope; a step of the payoffs' own size keeps
    # the difference free of cancellation when values are large
    h = arrays.scale() * (1.0 - arrays.delta)
    for k in range(n * J):
        e = np.zeros(n * J)
        e[k] = h
        G1[:, k] = (_gains(arrays.params(e.reshape(n, J), credible), stay, revoke,
                           every_set)[0] - g0) / h
    return g0, G1


def _credibility_rows(arrays, credible):
    """Rows A y <= b making the self-enforcing forfeits credible where ``credible``."""
    n, K, J = arrays.n, arrays.K, arrays.J
    selfe = ~arrays.enforced
    if not arrays.collective or not selfe.any():
        return np.zeros((0, n * J)), np.zeros(0)
    d = arrays.delta
    Pi = arrays.transition
    inv = np.linalg.inv(np.eye(K) - d * Pi)
    cont = Pi @ inv  # (Pi W_k)(s) = cont @ (w_k + net_k)
    A, b = [], []
    unit = arrays.coef["coproduction"] - arrays.coef["carry"]
    for i in range(n):
        for s in range(K):
            if not credible[i, s]:
                continue
            row = np.zeros((n, J))
            row[i, selfe] += arrays.coef["forfeit"][selfe]
            const = 0.0
            for k in range(n):
                if k == i:
                    continue
                const += d * cont[s] @ arrays.provider_flow[k]
                row[k] -= d * cont[s].sum() * unit
            A.append(row.ravel())
            b.append(const)
    return np.array(A), np.array(b)


def _lp(arrays, g0, G1, cred_rows, caps, limit=None, lower=None):
    """One structure's LP: the least net cost (``limit`` None), or with the cost capped at
    ``limit`` the least commitment, over levels in [``lower`` (default 0), ``caps``].
    Returns (status, levels, face) where ``face`` holds the constraints of the optimal face
    (for the level ranges)."""
    n, J = arrays.n, arrays.J
    kappa = np.tile(arrays.kappa, n) / (1.0 - arrays.delta)
    s = np.where(np.isfinite(arrays.cap), np.maximum(arrays.cap, 1e-300), 1.0)
    commit = np.tile(1.0 / s, n)
    # a row no level moves is a yes/no condition, decided like the equilibrium's ties
    # (within the tolerance); the others bound the levels exactly
    fixed = np.abs(G1).max(axis=1, initial=0.0) * max(1.0, arrays.scale() * (1 - arrays.delta)) \
        <= 1e-12 * arrays.scale()
    if (g0[fixed] > arrays.tol()).any():
        return "infeasible", None, None
    G1, g0 = G1[~fixed], g0[~fixed]
    A = np.vstack([G1, cred_rows[0]]) if cred_rows[0].size else G1
    b = np.concatenate([-g0, cred_rows[1]]) if cred_rows[0].size else -g0
    if A.shape[0] == 0:
        A, b = np.zeros((1, n * J)), np.zeros(1)
    low = np.zeros(n * J) if lower is None else np.asarray(lower, dtype=float)
    if A.shape[1] == 1:
        scale = np.maximum(1e-300, np.abs(A).max(axis=1, initial=0.0))
        return _lp_1d(A[:, 0] / scale, b / scale, float(caps[0]), kappa[0], limit,
                      float(low[0]))
    # HiGHS's tolerances are absolute: solve in units of the payoffs' size, rows and
    # objective normalised, so that the tolerances are relative to the problem
    unit = max(arrays.scale() * (1.0 - arrays.delta), 1e-300)
    A = A * unit
    rs = np.abs(A).max(axis=1, initial=0.0)
    rs = np.where(rs > 0, rs, 1.0)
    A, b = A / rs[:, None], b / rs
    bounds = [(float(lo) / unit, None if not np.isfinite(c) else float(c) / unit)
              for lo, c in zip(low, caps)]
    ku = kappa * unit
    kn = max(float(np.abs(ku).max(initial=0.0)), 1e-300)
    if limit is None:
        first = solve_lp(ku / kn, A, b, bounds=bounds)
        return first.status, None if first.x is None else first.x * unit, None
    A2 = np.vstack([A, (ku / kn)[None, :]])
    b2 = np.concatenate([b, [limit / kn]])
    cu = commit * unit
    cn = cu / max(float(np.abs(cu).max(initial=0.0)), 1e-300)
    second = solve_lp(cn, A2, b2, bounds=bounds)
    if second.x is None:
        return second.status, None, None
    # the optimal face: least cost, then least commitment (for the level ranges)
    best = float(cn @ second.x)
    A3 = np.vstack([A2, cn[None, :]])
    b3 = np.concatenate([b2, [best + 1e-9 * max(abs(best), 1e-12)]])
    return second.status, second.x * unit, (A3, b3, bounds, unit)


def _lp_1d(a, b, cap, kappa, limit, lower=0.0):
    """The same LP with one level: the feasible interval of a x <= b within [lower, cap]."""
    lo, hi = lower, cap
    for ak, bk in zip(a, b):
        tol = 1e-12 * max(1.0, abs(bk))
        if ak > 0:
            hi = min(hi, bk / ak)
        elif ak < 0:
            lo = max(lo, bk / ak)
        elif bk < -tol:
            return "infeasible", None, None
    if lo > hi + 1e-12 * max(1.0, abs(hi)):
        return "infeasible", None, None
    hi = max(hi, lo)
    if limit is not None and kappa > 0:
        hi = min(hi, max(lo, limit / kappa))
    elif limit is not None and kappa < 0:
        lo = max(lo, min(hi, limit / kappa))
    if kappa < 0 and not np.isfinite(hi):
        return "unbounded", None, None
    if limit is None:
        x = hi if kappa < 0 else lo
        return "optimal", np.array([x]), None
    x = lo  # least commitment among the cheapest: the face is one point
    A2 = np.array([[-1.0], [1.0]])
    b2 = np.array([-lo, lo])
    return "optimal", np.array([x]), (A2, b2, [(0.0, None if not np.isfinite(cap) else cap)])


def _cost_limit(cost: float) -> float:
    """The stage-1 optimum plus its relative tolerance (1e-9; 1e-12 absolute)."""
    return cost + 1e-9 * abs(cost) + 1e-12


def _ranges(face, nv):
    A2, b2, bounds = face[:3]
    if nv == 1 and A2.shape == (2, 1):  # the one-level face [lo, hi] of _lp_1d
        return np.array([-b2[0]]), np.array([b2[1]])
    unit = face[3]
    lo, hi = np.zeros(nv), np.zeros(nv)
    for k in range(nv):
        c = np.zeros(nv)
        c[k] = 1.0
        a = solve_lp(c, A2, b2, bounds=bounds)
        z = solve_lp(-c, A2, b2, bounds=bounds)
        lo[k] = a.x[k] * unit if a.success else np.nan
        hi[k] = z.x[k] * unit if z.success else np.inf if z.status == "unbounded" else np.nan
    return lo, hi


def _certify(arrays, y, target):
    eq = equilibrium_from_arrays(arrays, y, probabilities=False)  # the profile suffices
    return target_met(eq, target), eq


def _round_up(y):
    return y * (1.0 + ROUND_UP)


def _snap(x, caps=None):
    """``x`` rounded to 12 significant digits, and levels within 1e-9 of a cap moved onto
    it (the LP's last-bit noise removed)."""
    mag = np.maximum(np.abs(x), 1e-300)
    digits = 11 - np.floor(np.log10(mag))
    out = np.array([round(float(v), int(d)) if v else 0.0 for v, d in zip(x, digits)])
    if caps is not None:
        near = np.isfinite(caps) & (np.abs(out - caps) <= 1e-9 * np.maximum(np.abs(caps), 1.0))
        out = np.where(near, caps, out)
    return out


def _settle(arrays, x, caps, target):
    """The first of: ``x`` rounded to 12 digits, ``x`` as found, ``x`` raised by a relative
    1e-9, at which the target holds on the exact state (levels stay within the caps)."""
    n, J = arrays.n, arrays.J
    last = None
    for cand in (_snap(x, caps), x, _round_up(x)):
        y = np.clip(cand, 0.0, caps).reshape(n, J)
        ok, eq = _certify(arrays, y, target)
        if ok:
            return y, True, eq
        last = (y, eq)
    return last[0], False, last[1]


def _patterns(arrays, target):
    n, K = arrays.n, arrays.K
    full = (1 << n) - 1
    if target == "continuity":
        return [tuple([0] * K)], True
    choices = [0] + ([full] if arrays.blanket else list(range(1, full + 1)))
    count = len(choices) ** K
    if count > MAX_PATTERNS:
        return None, False
    return list(itertools.product(choices, repeat=K)), True


def _commitment(arrays, x):
    s = np.where(np.isfinite(arrays.cap), np.maximum(arrays.cap, 1e-300), 1.0)
    return float(np.tile(1.0 / s, arrays.n) @ x)


def _stage_one(arrays, reference, pats, variants, selfe, caps, target, lower=None):
    """Stage-1 LP of every structure: [(cost, g0, G1, cred_rows, pattern)], unbounded ones
    (levels within [``lower``, ``caps``])."""
    n, K, J = arrays.n, arrays.K, arrays.J
    nv = n * J
    first, unbounded = [], []
    for cred in variants:
        cred_rows = _credibility_rows(arrays, cred) if cred.any() and selfe else \
            (np.zeros((0, nv)), np.zeros(0))
        for pat in pats:
            stay, revoke = _profile(reference, n, K, pat)
            g0, G1 = _affine(arrays, stay, revoke, cred, False)
            st, x, _ = _lp(arrays, g0, G1, cred_rows, caps, lower=lower)
            if st == "unbounded":
                far = np.where(np.isfinite(caps), caps, _FAR)
                st2, x2, _ = _lp(arrays, g0, G1, cred_rows, far, lower=lower)
                if st2 == "optimal":
                    unbounded.append(x2)
            elif st == "optimal":
                cost = float(np.tile(arrays.kappa, n) @ x) / (1 - arrays.delta)
                first.append((cost, g0, G1, cred_rows, pat))
    return first, unbounded


def _ordered(arrays, first, caps, lower=None):
    """Stage-2 answers, cheapest cost group first, least commitment first within a group:
    [(group index, cost, commitment, x, face)]."""
    out = []
    rest = sorted(first, key=lambda f: f[0])
    group = 0
    while rest:
        lim = _cost_limit(rest[0][0])
        now = [f for f in rest if f[0] <= lim]
        rest = [f for f in rest if f[0] > lim]
        batch = []
        for cost, g0, G1, cred_rows, pat in now:
            # the commitment is minimised at this structure's own least cost (no slack to
            # trade: a 1e-9 cost allowance would move a self-financing level off its cap)
            st, x, face = _lp(arrays, g0, G1, cred_rows, caps, cost + 1e-12 * abs(cost),
                              lower=lower)
            if st != "optimal":
                continue
            # LP noise: a level below 1e-12 of the value scale (in level units) is zero
            noise = 1e-12 * arrays.scale() * (1.0 - arrays.delta)
            x = np.where(x < max(noise, 1e-10 * float(np.max(x, initial=0.0))), 0.0, x)
            batch.append((group, cost, _commitment(arrays, x), x, face))
        out += sorted(batch, key=lambda b: b[2])
        group += 1
    return out


def _unbounded_answer(arrays, target, points, caps, names, exact, method):
    """The ``unbounded`` answer when one of the far ``points`` (LP answers with the uncapped
    self-financing levels at a far bound) meets the target on the exact state, else None:
    certified at the far point, those levels are reported as infinite."""
    n, J = arrays.n, arrays.J
    for x in points:
        y = np.clip(x, 0.0, caps).reshape(n, J)
        ok, _ = _certify(arrays, y, target)
        if ok:
            free = np.tile(~np.isfinite(arrays.cap) & (arrays.kappa < 0), n).reshape(n, J)
            y = np.where(free, np.inf, y)
            return _Answer("unbounded", y, y.copy(), np.full((n, J), np.inf), "", names,
                           exact, method)
    return None


def _signature(sol):
    return (sol.stay[:-1].tobytes(), sol.revoke[:-1].tobytes())


class _Base(NamedTuple):
    """Stay decisions and revocation sets on every exact state (the smaller coalitions'
    part is what :func:`_profile` keeps)."""

    stay: np.ndarray
    revoke: np.ndarray


def _partitionable(arrays) -> bool:
    """Whether the one-partner subgames can be partitioned exactly: two partners with one
    instrument, some adversary hazard (so the subgames are reached), and no self-enforcing
    instrument whose credibility would tie one partner's subgame to the other's level."""
    return bool(arrays.n == 2 and arrays.J == 1 and (arrays.hazard > 0).any()
                and not (arrays.collective and (~arrays.enforced).any()))


def _one_partner_structures(arrays, i):
    """Every structure of partner ``i``'s one-partner subgame with the interval of its level
    on which it is an equilibrium: [(stay row, revoke row, lo, hi, value0, value slope)]
    (the value is sum_r V_i(r, {i}), affine in the level)."""
    n, K = arrays.n, arrays.K
    P = 1 << i
    cap = float(arrays.cap[0])
    h = arrays.scale() * (1.0 - arrays.delta)
    tol = arrays.tol()
    out = []

    def evaluate(t, stay, revoke):
        y = np.zeros((n, 1))
        y[i, 0] = t
        p = arrays.params(y)
        g, _ = _gains(p, stay, revoke, {P})
        V, _ = kx.profile_values(p, stay, revoke)
        return g, float(V[P, i].sum())

    for bits in itertools.product((False, True), repeat=K):
        for pat in itertools.product((0, P), repeat=K):
            stay = np.zeros((1 << n, n, K), dtype=bool)
            revoke = np.zeros((1 << n, K), dtype=np.int64)
            stay[P, i] = bits
            revoke[P] = pat
            g0, v0 = evaluate(0.0, stay, revoke)
            g1, v1 = evaluate(h, stay, revoke)
            slope = (g1 - g0) / h
            lo, hi = 0.0, cap
            feasible = True
            for a, b in zip(slope, g0):  # a t + b <= 0 (a row no level moves: <= tol)
                if abs(a) * h <= 1e-12 * max(abs(b), h, 1.0):
                    feasible &= b <= tol
                elif a > 0:
                    hi = min(hi, -b / a)
                else:
                    lo = max(lo, -b / a)
            if feasible and lo <= hi:
                out.append((np.array(bits), np.array(pat), lo, hi, v0, (v1 - v0) / h))
    return out


def _one_partner_pieces(arrays, i):
    """Partner ``i``'s level axis [0, cap] cut into pieces on which the selected equilibrium
    of its one-partner subgame is one structure: [(lo, hi, stay row, revoke row)], or None
    where some piece has no pure equilibrium (such levels cannot meet a target)."""
    n, J = arrays.n, arrays.J
    P = 1 << i
    cap = float(arrays.cap[0])
    structs = _one_partner_structures(arrays, i)
    cuts = {0.0}
    for _, _, lo, hi, _, _ in structs:
        cuts.update(t for t in (lo, hi) if np.isfinite(t))
    for a, b in itertools.combinations(structs, 2):
        if a[5] != b[5]:
            t = (b[4] - a[4]) / (a[5] - b[5])
            if max(a[2], b[2]) <= t <= min(a[3], b[3]):
                cuts.add(t)
    if np.isfinite(cap):
        cuts.add(cap)
    cuts = sorted(t for t in cuts if 0.0 <= t <= cap)
    # each cut point is a piece of its own, and so is each open interval between cuts
    probes = []
    for k, t in enumerate(cuts):
        probes.append((t, t, t))
        nxt = cuts[k + 1] if k + 1 < len(cuts) else (np.inf if not np.isfinite(cap) else None)
        if nxt is None:
            continue
        mid = 0.5 * (t + nxt) if np.isfinite(nxt) else 2.0 * t + 1.0
        probes.append((t, nxt, mid))
    pieces = []
    for lo, hi, t in probes:
        closed = lo == hi  # a cut point is a closed piece, the gap between cuts an open one
        y = np.zeros((n, J))
        y[i, 0] = t
        p = arrays.params(y)
        alone = p._replace(**{k: getattr(p, k)[[i]] for k in _PARTNER_FIELDS})
        sol = kx.solve(alone)
        if sol.status != "optimal":
            continue  # no pure equilibrium in the subgame: no target is met here
        row = (sol.stay[1, 0].copy(), np.where(sol.revoke[1] != 0, P, 0))
        if pieces and all((a == b).all() for a, b in zip(pieces[-1][2:4], row)) \
                and pieces[-1][1] == lo:
            pieces[-1] = (pieces[-1][0], hi) + pieces[-1][2:4] + (pieces[-1][4], closed)
        else:
            pieces.append((lo, hi) + row + (closed, closed))
    return pieces


def _inside(piece):
    """LP bounds of a piece: an open end moved inward by a relative 1e-7 (the cut itself
    is a piece of its own, and within the ties' tolerance of a cut the selection may differ;
    the LPs' own feasibility tolerance is 1e-7 of the rows too)."""
    lo, hi, _, _, lo_closed, hi_closed = piece
    step = lambda t: 1e-7 * max(abs(t), 1.0)  # noqa: E731
    a = lo if lo_closed else lo + step(lo)
    b = hi if hi_closed or not np.isfinite(hi) else hi - step(hi)
    return (a, b) if a <= b else (lo, hi)


#: The kernel parameters with one row per partner (sliced to get a one-partner subgame).
_PARTNER_FIELDS = ("flow", "outside", "loss", "provider_flow", "gain", "forfeit",
                   "compensation", "outage", "hazard")


def _solve_partitioned(arrays: ScenarioArrays, target: str) -> _Answer:
    """Two partners, one instrument, some hazard: the one-partner subgames are reached, and
    their selected equilibria change with the levels. Each partner's level axis is cut into
    pieces on which its subgame's selection is fixed (every structure's equilibrium interval
    and every crossing of two structures' values is a cut); on each pair of pieces the
    full-coalition structures' LPs run within the pieces' bounds, cheapest bound first."""
    n, K, J = arrays.n, arrays.K, arrays.J
    caps = np.tile(arrays.cap, n)
    patterns, complete = _patterns(arrays, target)
    method = ("exact partition of each partner's level by its one-partner subgame's "
              "selected equilibrium; on each pair of pieces, branch and bound over the full "
              "coalition's selection from one LP per revocation pattern")
    names = tuple(arrays.instrument_names[j] for j in range(J)
                  if arrays.kappa[j] < 0 and not np.isfinite(arrays.cap[j]))
    pieces = [_one_partner_pieces(arrays, i) for i in range(n)]
    kappa = float(arrays.kappa[0]) / (1.0 - arrays.delta)
    s = float(arrays.cap[0]) if np.isfinite(arrays.cap[0]) and arrays.cap[0] > 0 else 1.0

    def bound(region):
        cost = sum(min(kappa * a[0], kappa * a[1]) if np.isfinite(a[1]) or kappa >= 0
                   else -np.inf for a in region)
        return cost, sum(a[0] for a in region) / s

    regions = sorted(itertools.product(*pieces), key=bound)
    found, holes, failed = [], [], None
    ctol = lambda c: 1e-9 * abs(c) + 1e-12  # noqa: E731
    for region in regions:
        cb, mb = bound(region)
        if found:
            bc, bm = min((f[0], f[1]) for f in found)
            if cb > bc + ctol(bc) or (cb >= bc - ctol(bc) and mb > bm + 1e-9 * abs(bm) + 1e-12):
                break
        stay = np.zeros((1 << n, n, K), dtype=bool)
        revoke = np.zeros((1 << n, K), dtype=np.int64)
        for i, a in enumerate(region):
            stay[1 << i, i] = a[2]
            revoke[1 << i] = a[3]
        lower = np.array([_inside(a)[0] for a in region])
        upper = np.array([_inside(a)[1] for a in region])
        answer, root, complete_here, unbounded, miss = _branch_and_bound(
            arrays, target, _Base(stay, revoke), patterns, lower, upper, caps)
        found_far = _unbounded_answer(arrays, target, unbounded, caps, names, complete, method)
        if found_far is not None:
            return found_far
        if unbounded and root is not None:
            holes.append(root)  # an unbounded structure whose far point fails: inconclusive
        if answer is not None:
            found.append(answer)
        if not complete_here and root is not None:
            holes.append(root)  # this pair of pieces may hold a cheaper answer
        if answer is None and miss is not None:
            failed = failed or miss
    if found:
        lim = _cost_limit(min(f[0] for f in found))
        cost, com, y, lo, hi = min((f for f in found if f[0] <= lim), key=lambda f: f[1])
        below = [h for h in holes if h[0] < cost - ctol(cost) or (
            h[0] <= cost + ctol(cost) and h[1] < com - 1e-9 * abs(com) - 1e-12)]
        return _Answer("optimal", y, lo, hi, "", (), complete and not below, method)
    if failed is not None:
        y, eq = failed
        return _Answer("uncertified", y, y, y, _uncertified_reason(arrays, eq, target), (),
                       False, method)
    reference = kx.solve(arrays.params(np.zeros((n, J))))
    return _Answer("infeasible", np.full((n, J), np.nan), np.full((n, J), np.nan),
                   np.full((n, J), np.nan),
                   _reason(arrays, target, reference, [np.ones((n, K), bool)], False),
                   (), complete, method)


#: Largest number of branch-and-bound nodes per block; beyond, the answer is not exact.
MAX_NODES = 400


def _value_sum(arrays, stay, revoke):
    """(v0, slope): the partners' total value sum_{i, r} V_i(r, N) of a structure, affine in
    the levels (the selection's criterion)."""
    n, J = arrays.n, arrays.J
    full = (1 << n) - 1
    h = arrays.scale() * (1.0 - arrays.delta)

    def total(y):
        V, _ = kx.profile_values(arrays.params(y), stay, revoke)
        return float(V[full].sum())

    v0 = total(np.zeros((n, J)))
    slope = np.zeros(n * J)
    for k in range(n * J):
        e = np.zeros(n * J)
        e[k] = h
        slope[k] = (total(e.reshape(n, J)) - v0) / h
    return v0, slope


def _tie_choice(vals, tol):
    """The provider's choice at a node by the tie rule: best value within ``tol``, then
    fewest revocations, then the smallest sorted index tuple."""
    best = max(vals.values())
    return min((R for R, v in vals.items() if v >= best - tol),
               key=lambda R: (kx.popcount(R), kx.members(R)))


def _branches(arrays, stay, revoke, g0, G1, y):
    """Why a structure that passes its LP is not the selected equilibrium at ``y``, as a
    disjunction of linear rows (one child per row, each added to the structure's LP); the
    exact-state solution where the smaller coalitions select otherwise at ``y``; None where
    the reason lies elsewhere."""
    n, K = arrays.n, arrays.K
    full = (1 << n) - 1
    p = arrays.params(y)
    tol = arrays.tol(y)
    margin = 2.0 * tol
    sol = kx.solve(p)
    if sol.status == "optimal" and not (np.array_equal(sol.stay[:full], stay[:full]) and
                                        np.array_equal(sol.revoke[:full], revoke[:full])):
        return sol  # the smaller coalitions select otherwise here
    V, U = kx.profile_values(p, stay, revoke)
    _, nodes = kx.one_shot_gains(p, stay, revoke, V, U)
    _, keys = _gains(p, stay, revoke, False, "keys")
    index = {k: m for m, k in enumerate(keys)}
    for s in range(K):
        vals = nodes.get((full, s))
        if not vals:
            continue
        tie = _tie_choice(vals, tol)
        if tie != int(revoke[full, s]):
            # the structure's revocation must beat the tie rule's choice strictly
            m = index[("node", full, s, tie)]
            return [(g0[m] + margin, G1[m])]
    if sol.status != "optimal":
        return None
    if (sol.stay[full] == stay[full]).all() and (sol.revoke[full] == revoke[full]).all():
        return None
    # another equilibrium E' is selected: either it fails one of its conditions, or it is
    # worth no more to the partners (ties go to the structure: it has more stay decisions)
    st2, rv2 = stay.copy(), revoke.copy()
    st2[full], rv2[full] = sol.stay[full], sol.revoke[full]
    h0, H1 = _affine(arrays, st2, rv2, np.ones((n, K), bool), False)
    kids = []
    for m in range(h0.size):
        if np.abs(H1[m]).max(initial=0.0) * arrays.scale() * (1 - arrays.delta) > \
                1e-12 * arrays.scale():
            kids.append((margin - h0[m], -H1[m]))
    a0, a1 = _value_sum(arrays, st2, rv2)
    b0, b1 = _value_sum(arrays, stay, revoke)
    kids.append((a0 - b0 - tol, a1 - b1))
    return kids


def _branch_and_bound(arrays, target, base, patterns, lower, upper, caps):
    """Best-first branch and bound over the full coalition's selection: the roots are the
    target's structures (everyone stays, each revocation pattern) with the smaller
    coalitions as in ``base``; a node's LP gives its cheapest point, which either passes
    the exact-state check (the first to pass is the minimum) or names the equilibrium
    selected instead, and the node splits on the reasons that equilibrium could lose.

    ``base`` may be a list of such structures (several roots' smaller coalitions).

    Returns (answer or None, bound, complete, unbounded points, failed) where ``answer`` is
    (cost, commitment, y, lo, hi), ``bound`` the least root key (cost, commitment) and
    ``complete`` False when some node could not be split or the node budget ran out."""
    n, K, J = arrays.n, arrays.K, arrays.J
    nv = n * J
    no_rows = (np.zeros((0, nv)), np.zeros(0))
    heap, tick = [], itertools.count()
    state = {"complete": True, "unbounded": []}
    noise = 1e-12 * arrays.scale() * (1.0 - arrays.delta)

    def push(stay, revoke, g0, G1):
        st, x, _ = _lp(arrays, g0, G1, no_rows, upper, lower=lower)
        if st == "unbounded":
            far = np.where(np.isfinite(upper), upper, _FAR)
            st2, x2, _ = _lp(arrays, g0, G1, no_rows, far, lower=lower)
            if st2 == "optimal":
                state["unbounded"].append(x2)
            return
        if st != "optimal":
            state["complete"] &= st == "infeasible"
            return
        cost = float(np.tile(arrays.kappa, n) @ x) / (1 - arrays.delta)
        st, x, face = _lp(arrays, g0, G1, no_rows, upper, cost + 1e-12 * abs(cost),
                          lower=lower)
        if st != "optimal":
            state["complete"] = False
            return
        x = np.where(x < max(noise, 1e-10 * float(np.max(x, initial=0.0))), 0.0, x)
        heapq.heappush(heap, (cost, _commitment(arrays, x), next(tick), stay, revoke, g0,
                              G1, x, face))

    def roots(base):
        for pat in patterns:
            stay, revoke = _profile(base, n, K, pat)
            g0, G1 = _affine(arrays, stay, revoke, np.ones((n, K), bool), False)
            push(stay, revoke, g0, G1)

    seen = set()
    for b in (base if isinstance(base, list) else [base]):
        if _signature(b) not in seen:
            seen.add(_signature(b))
            roots(b)
    bound = (heap[0][0], heap[0][1]) if heap else None
    failed, count = None, 0
    while heap:
        if count >= MAX_NODES:
            state["complete"] = False
            break
        count += 1
        cost, com, _, stay, revoke, g0, G1, x, face = heapq.heappop(heap)
        y, ok, eq = _settle(arrays, x, caps, target)
        if ok:
            lo, hi = _ranges(face, nv)
            return ((cost, com, y, lo.reshape(n, J), hi.reshape(n, J)), bound,
                    state["complete"], state["unbounded"], None)
        failed = failed or (y, eq)
        kids = _branches(arrays, stay, revoke, g0, G1,
                         np.clip(x, 0.0, caps).reshape(n, J))
        if isinstance(kids, kx.ExactSolution):
            # the smaller coalitions' selection moved: their new selection as new roots
            # (a relaxation again; whether it covers every selection is not proven)
            state["complete"] = False
            if _signature(kids) not in seen and len(seen) < 8:
                seen.add(_signature(kids))
                roots(kids)
            continue
        if kids is None:
            state["complete"] = False
            continue
        for a0, a1 in kids:
            push(stay, revoke, np.append(g0, a0), np.vstack([G1, a1[None, :]]))
    return None, bound, state["complete"], state["unbounded"], failed


def _meets(stay_row, revoke_row, target) -> bool:
    return bool(np.all(stay_row)) and (target != "continuity" or not np.any(revoke_row))


def _solve_one_dim(arrays: ScenarioArrays, target: str) -> _Answer:
    """One partner, one instrument: the level axis cut into the pieces on which the selected
    equilibrium is one structure (see :func:`_one_partner_pieces`); the cheapest piece whose
    structure meets the target holds the minimum, at its cheaper end (an open end, where the
    infimum is not attained, within a relative 1e-6 of the cut)."""
    kappa = float(arrays.kappa[0])
    method = ("exact partition of the level axis by the selected equilibrium (every "
              "structure's equilibrium interval and every crossing of two structures' "
              "values is a cut)")
    cap = float(arrays.cap[0])
    good = [pc for pc in _one_partner_pieces(arrays, 0) if _meets(pc[2], pc[3], target)]
    if kappa < 0:
        good.sort(key=lambda pc: -pc[1])
    else:
        good.sort(key=lambda pc: pc[0])
    failed = None
    for lo, hi, _, _, lo_closed, hi_closed in good:
        if kappa < 0 and not np.isfinite(hi):
            y = np.array([[np.inf]])
            return _Answer("unbounded", y, y.copy(), y.copy(), "",
                           (arrays.instrument_names[0],), True, method)
        end, closed = (hi, hi_closed) if kappa < 0 else (lo, lo_closed)
        sign = -1.0 if kappa < 0 else 1.0
        # an open end is approached from inside, past the ties' band around the cut
        # (relative 1e-9 to 1e-6 of the level)
        steps = ([0.0] if closed else []) + [1e-9, 1e-7, 1e-6]
        for x in (end + sign * st * max(abs(end), 1.0) for st in steps):
            y, ok, eq = _settle(arrays, np.array([min(max(x, lo), hi, cap)]), np.array([cap]),
                                target)
            if ok:
                return _Answer("optimal", y, y.copy(), y.copy(), "", (), True, method)
            failed = failed or (y, eq)
    if failed is not None:
        return _Answer("uncertified", failed[0], failed[0], failed[0],
                       _uncertified_reason(arrays, failed[1], target), (), False, method)
    reference = kx.solve(arrays.params(np.zeros((1, 1))))
    return _Answer("infeasible", np.full((1, 1), np.nan), np.full((1, 1), np.nan),
                   np.full((1, 1), np.nan),
                   _reason(arrays, target, reference, [np.ones((1, arrays.K), bool)], False),
                   (), True, method)


def _effective(arrays) -> np.ndarray:
    """(J,) bool: instruments that move some payoff. An instrument with no flow (carry,
    coproduction, partner flow) whose payments never count (zero, or self-enforcing under
    bilateral governance) changes nothing but the commitment: its least level is 0."""
    c = arrays.coef
    flows = (c["carry"] != 0) | (c["coproduction"] != 0) | (c["partner_flow"] != 0)
    pays = (c["forfeit"] != 0) | (c["compensation"] != 0)
    counted = arrays.enforced | arrays.collective
    return flows | (pays & counted)


def _solve_fixed(arrays: ScenarioArrays, target: str) -> _Answer:
    """No instrument moves a payoff: the target holds at no assurance or at no level."""
    n, K, J = arrays.n, arrays.K, arrays.J
    y = np.zeros((n, J))
    method = "no instrument moves a payoff: the exact state at no assurance decides"
    ok, eq = _certify(arrays, y, target)
    if ok:
        return _Answer("optimal", y, y.copy(), y.copy(), "", (), True, method)
    useless = ", ".join(arrays.instrument_names) or "none"
    return _Answer("infeasible", np.full((n, J), np.nan), np.full((n, J), np.nan),
                   np.full((n, J), np.nan),
                   f"{target}: it fails at no assurance and no instrument can change a payoff "
                   f"(instruments: {useless}; a self-enforcing payment never counts under "
                   f"bilateral governance)", (), True, method)


def _solve_block(arrays: ScenarioArrays, target: str) -> _Answer:
    """The minimum of one block: the structure LPs, and where they leave the answer
    uncertified or not exact with one partner and one instrument, the exact partition of
    the level axis."""
    if not _effective(arrays).any():
        return _solve_fixed(arrays, target)
    ans = _solve_structures(arrays, target)
    settled = ans.status in ("optimal", "infeasible", "unbounded") and ans.exact
    if settled:
        return ans
    if arrays.n == 1 and arrays.J == 1:
        return _solve_one_dim(arrays, target)
    selfe = bool((~arrays.enforced).any() and arrays.collective)
    if ans.status == "uncertified" or (arrays.n == 1 and ans.status == "optimal"
                                       and not selfe):
        return _solve_branching(arrays, target, ans)
    return ans


def _solve_branching(arrays: ScenarioArrays, target: str, previous: _Answer) -> _Answer:
    """Branch and bound over the full coalition's selection (:func:`_branch_and_bound`),
    the smaller coalitions as selected at the previous answer's levels. Exact with one
    partner (no smaller coalition) and every revocation pattern enumerated; with several
    partners the smaller coalitions' selection may change with the levels, so a certified
    answer is ``exact=False``. Returns ``previous`` where it finds nothing better."""
    n, K, J = arrays.n, arrays.K, arrays.J
    if (~arrays.enforced).any() and arrays.collective:
        return previous
    patterns, complete = _patterns(arrays, target)
    big = np.minimum(np.full((n, J), 10.0 * arrays.scale() * (1.0 - arrays.delta)),
                     arrays.cap[None, :])
    seeds = [np.nan_to_num(previous.levels, nan=0.0, posinf=_FAR), np.zeros((n, J)), big]
    bases = [b for b in (kx.solve(arrays.params(y0)) for y0 in seeds) if b.status == "optimal"]
    if not bases:
        return previous
    reference = bases[0]
    if patterns is None:
        patterns = [tuple(int(x) for x in reference.revoke[(1 << n) - 1])]
    caps = np.tile(arrays.cap, n)
    answer, _, whole, unbounded, failed = _branch_and_bound(
        arrays, target, bases, patterns, np.zeros(n * J), caps, caps)
    names = tuple(arrays.instrument_names[j] for j in range(J)
                  if arrays.kappa[j] < 0 and not np.isfinite(arrays.cap[j]))
    found_far = _unbounded_answer(arrays, target, unbounded, caps, names,
                                  complete and n == 1, previous.method)
    if found_far is not None:
        return found_far
    exact = complete and whole and n == 1 and not unbounded
    method = previous.method + ("; branch and bound over the full coalition's selection" +
                                ("" if n == 1 else " with the smaller coalitions as selected "
                                 "at the relaxation's answer"))
    if answer is not None:
        cost, com, y, lo, hi = answer
        return _Answer("optimal", y, lo, hi, "", (), exact, method)
    if not unbounded and failed is None and exact:
        return _Answer("infeasible", np.full((n, J), np.nan), np.full((n, J), np.nan),
                       np.full((n, J), np.nan),
                       _reason(arrays, target, reference, [np.ones((n, K), bool)], False),
                       (), True, method)
    return previous


def _solve_structures(arrays: ScenarioArrays, target: str) -> _Answer:
    n, K, J = arrays.n, arrays.K, arrays.J
    nv = n * J
    caps = np.tile(arrays.cap, n)
    subgames_matter = n > 1 and (arrays.hazard > 0).any()
    if subgames_matter and _partitionable(arrays):
        return _solve_partitioned(arrays, target)
    patterns, complete = _patterns(arrays, target)
    selfe = bool((~arrays.enforced).any() and arrays.collective)
    variants = [np.ones((n, K), bool)] + ([np.zeros((n, K), bool)] if selfe else [])
    method = ("one LP per revocation pattern at the full coalition" if complete else
              "LP with the revocation pattern found by fixed-point iteration")
    seeds = [np.zeros((n, J))]
    if subgames_matter:
        method += ("; the smaller coalitions' equilibria by fixed-point iteration from no "
                   "assurance and from a large one")
        big = 10.0 * arrays.scale() * (1.0 - arrays.delta)
        seeds.append(np.minimum(np.full((n, J), big), arrays.cap[None, :]))
    found = []       # certified answers: (cost, commitment, y, lo, hi, first_group)
    far_miss = False
    failed = None
    names = tuple(arrays.instrument_names[j] for j in range(J)
                  if arrays.kappa[j] < 0 and not np.isfinite(arrays.cap[j]))
    queue = [kx.solve(arrays.params(y0)) for y0 in seeds]
    queue = [q for q in queue if q.status == "optimal"] or queue[:1]
    seen = set()
    reference = queue[0]
    while queue and len(seen) < 8:
        reference = queue.pop(0)
        if _signature(reference) in seen:
            continue
        seen.add(_signature(reference))
        pats = patterns if patterns is not None else [
            tuple(int(x) for x in reference.revoke[(1 << n) - 1])]
        first, unbounded = _stage_one(arrays, reference, pats, variants, selfe, caps, target)
        found_far = _unbounded_answer(arrays, target, unbounded, caps, names,
                                      complete and not subgames_matter, method)
        if found_far is not None:
            return found_far
        # a structure whose LP is unbounded but whose far point selects another equilibrium
        # may still hold levels that meet the target: the relaxation is then inconclusive
        far_miss |= bool(unbounded)
        for group, cost, com, x, face in _ordered(arrays, first, caps):
            y, ok, eq = _settle(arrays, x, caps, target)
            if subgames_matter:
                realized = kx.solve(arrays.params(y))
                if realized.status == "optimal" and _signature(realized) not in seen:
                    queue.append(realized)
            if not ok:
                failed = failed or (y, eq)
                continue
            lo, hi = _ranges(face, nv)
            found.append((cost, com, y, lo.reshape(n, J), hi.reshape(n, J), group == 0))
            break
    if found:
        lim = _cost_limit(min(f[0] for f in found))
        cost, com, y, lo, hi, first_group = min((f for f in found if f[0] <= lim),
                                                key=lambda f: f[1])
        exact = complete and not subgames_matter and first_group and not far_miss
        return _Answer("optimal", y, lo, hi, "", (), exact, method)
    if failed is not None:
        return _Answer("uncertified", failed[0], failed[0], failed[0],
                       _uncertified_reason(arrays, failed[1], target), (), False, method)
    if far_miss:
        nan = np.full((n, J), np.nan)
        return _Answer("uncertified", nan, nan.copy(), nan.copy(),
                       f"the {target} target holds on an unbounded structure's LP but not at "
                       f"its far point (another equilibrium is selected there)", (), False,
                       method)
    return _Answer("infeasible", np.full((n, J), np.nan), np.full((n, J), np.nan),
                   np.full((n, J), np.nan),
                   _reason(arrays, target, reference, variants, False),
                   (), complete and not subgames_matter, method)


def _finite_levels(levels):
    """Levels with the unbounded (infinite) ones at the far bound used to certify them."""
    return np.where(np.isinf(levels), _FAR, levels)


def _uncertified_reason(arrays, eq, target) -> str:
    if eq.status == "no_pure_equilibrium":
        return ("the cheapest package meeting the equilibrium conditions has no pure "
                "equilibrium: " + eq.message)
    return (f"the {target} target fails on the exact state at the cheapest package of the "
            f"relaxation (another equilibrium is selected there)")


def _reason(arrays, target, reference, variants, every_set) -> str:
    """Name what stops the target: the caps, else the constraint an elastic LP over the
    keep-everyone structure violates most."""
    n, K, J = arrays.n, arrays.K, arrays.J
    stay, revoke = _profile(reference, n, K, tuple([0] * K))
    cred = variants[0]
    p0 = arrays.params(np.zeros((n, J)), cred)
    _, labels = _gains(p0, stay, revoke, every_set, (arrays.partner_names,
                                                      arrays.regime_names))
    g0, G1 = _affine(arrays, stay, revoke, cred, every_set)
    caps = np.tile(arrays.cap, n)
    nv = n * J
    st, x, _ = _lp(arrays, g0, G1, (np.zeros((0, nv)), np.zeros(0)), np.full(nv, np.inf))
    if st == "optimal":
        over = [(i, j) for i in range(n) for j in range(J)
                if x[i * J + j] > caps[i * J + j] * (1 + 1e-9)]
        if over:
            i, j = over[0]
            return (f"{target}: partner '{arrays.partner_names[i]}' would need "
                    f"'{arrays.instrument_names[j]}' at {x[i * J + j]:.6g}, above its cap "
                    f"{arrays.cap[j]:g}")
    m = g0.size
    c = np.concatenate([np.zeros(nv), np.ones(m)])
    A = np.hstack([G1, -np.eye(m)])
    bounds = [(0.0, None if not np.isfinite(cp) else float(cp)) for cp in caps] + \
        [(0.0, None)] * m
    res = solve_lp(c, A, -g0, bounds=bounds)
    if res.success:
        slack = res.x[nv:]
        k = int(np.argmax(slack))
        if slack[k] > 0:
            why = f"{target}: {labels[k]}, at every level within the caps"
            if "provider prefers revoking" in labels[k]:
                f, c = arrays.coef["forfeit"], arrays.coef["carry"]
                outgrown = [arrays.instrument_names[j] for j in range(J)
                            if f[j] > 0 and c[j] / (1 - arrays.delta) >= f[j]]
                if outgrown:
                    why += (f"; the carrying cost of one unit over the relationship, "
                            f"c / (1 - discount), outgrows its forfeit for "
                            f"{', '.join(outgrown)}")
            return why
    return (f"{target}: no level within the caps meets it on the exact state (the "
            f"equilibrium conditions hold only where another equilibrium is selected)")


def _combine(arrays, target, parts, scenario) -> AssuranceResult:
    n, J = arrays.n, arrays.J
    if len(parts) == 1 and parts[0].levels.shape[0] == n:
        levels, lo, hi = parts[0].levels, parts[0].lo, parts[0].hi
    else:
        levels = np.vstack([p.levels for p in parts])
        lo = np.vstack([p.lo for p in parts])
        hi = np.vstack([p.hi for p in parts])
    statuses = [p.status for p in parts]
    reasons = [(arrays.partner_names[k] + ": " if len(parts) > 1 else "") + p.reason
               for k, p in enumerate(parts) if p.reason]
    unb = tuple(sorted({u for p in parts for u in p.unbounded}))
    exact = all(p.exact for p in parts)
    method = parts[0].method
    if "infeasible" in statuses:
        status = "infeasible"
    elif "uncertified" in statuses:
        status = "uncertified"
    elif "unbounded" in statuses:
        status = "unbounded"
    else:
        status = "optimal"
    constructible = status in ("optimal", "unbounded")
    unit = arrays.kappa / (1.0 - arrays.delta)
    if constructible:
        pcost = (levels * unit).sum(axis=1)
        total = float(pcost.sum()) if status == "optimal" else -np.inf
        s = np.where(np.isfinite(arrays.cap), np.maximum(arrays.cap, 1e-300), 1.0)
        commit = float((levels / s).sum())
        amount = levels.sum(axis=0)
        # an unbounded answer is certified with its free levels at a far bound
        eq = equilibrium_from_arrays(arrays, _finite_levels(levels), scenario)
    else:
        pcost = np.full(n, np.nan)
        total, commit = float("nan"), float("nan")
        amount = np.full(J, np.nan)
        eq = None
        levels = np.full((n, J), np.nan)
    if status == "optimal":
        msg = f"minimum {target} assurance, checked on the exact state" + (
            "" if exact else " (the method is not exact here: a cheaper package may exist)")
    elif status == "unbounded":
        msg = (f"the cost is unbounded below: self-financing instrument(s) without a cap "
               f"({', '.join(unb)}) meet the {target} target at any larger level")
    elif status == "uncertified":
        msg = f"not certified: {'; '.join(reasons)}"
    else:
        msg = f"no credible assurance meets the {target} target: {'; '.join(reasons)}"
    return AssuranceResult(
        target=target, partners=arrays.partner_names, instruments=arrays.instrument_names,
        levels=levels, amount=amount, level_range=np.stack([lo, hi], axis=-1),
        partner_cost=pcost, total_cost=total, commitment=commit,
        constructible=constructible, reason="; ".join(reasons) if not constructible else "",
        unbounded=unb, equilibrium=eq, exact=exact, method=method, scenario=scenario,
        status=status, message=msg)


# --------------------------------------------------------------------------- verify

def _decisive_moves(arrays, y, eq):
    """Levels moved by a relative 1e-6 (at least) in the direction that lowers the cost, or
    at equal cost the commitment, one level at a time, where the move is decisive."""
    n, J = arrays.n, arrays.J
    out = []
    tol = arrays.tol(y)
    stays = [b for b in eq.blocks]
    for i in range(n):
        for j in range(J):
            k = arrays.kappa[j]
            if k > 0 or (k == 0 and y[i, j] > 0):
                sign = -1.0
            elif k < 0 and y[i, j] < arrays.cap[j]:
                sign = 1.0
            else:
                continue
            e = np.zeros((n, J))
            e[i, j] = 1.0
            slope = _slope(arrays, y, e, stays)
            if slope <= 0:
                continue
            step = max(1e-6 * max(abs(y[i, j]), 1e-9), 10.0 * tol / slope)
            if step > 1e-3 * (abs(y[i, j]) + 1e-3 * arrays.scale(y) * (1 - arrays.delta)):
                continue
            z = y.copy()
            z[i, j] = min(arrays.cap[j], max(0.0, y[i, j] + sign * step))
            if not np.array_equal(z, y):
                out.append((i, j, z))
    return out


def _slope(arrays, y, e, blocks) -> float:
    """The largest change of a one-shot gain per unit of the level along ``e`` (the
    equilibrium's structure held fixed)."""
    if len(blocks) != 1:
        i = int(np.argmax(e.sum(axis=1)))
        b = next(b for b in blocks if i in b.members)
        sub = arrays.partner(i)
        y, e = y[[i]], e[[i]]
    else:
        b, sub = blocks[0], arrays
    h = sub.scale(y) * (1.0 - sub.delta)
    g0, _ = _gains(sub.params(y), b.stay, b.revoke, True)
    g1, _ = _gains(sub.params(y + h * e), b.stay, b.revoke, True)
    return float(np.max(np.abs(g1 - g0), initial=0.0)) / h


def _verify(res: AssuranceResult, tol, exact) -> Certificate:
    sc = res.scenario
    if sc is None:
        return Certificate.from_violations({"scenario_missing": 1}, 0.0, exact=exact)
    arrays = ScenarioArrays.from_scenario(sc)
    n, J = arrays.n, arrays.J
    checks: dict = {}
    again = assurance_from_arrays(arrays, res.target, sc)
    checks["status"] = int(again.status != res.status)
    checks["constructible"] = int(bool(again.constructible) != bool(res.constructible))
    checks["unbounded"] = int(tuple(again.unbounded) != tuple(res.unbounded))
    checks["target"] = int(res.target not in TARGETS)
    checks["exact_flag"] = int(bool(again.exact) != bool(res.exact))
    if not res.constructible:
        checks["levels_missing"] = int(not np.isnan(np.asarray(res.levels, float)).all())
        checks["amount_missing"] = int(not np.isnan(np.asarray(res.amount, float)).all())
        checks["reason_given"] = int(not res.reason)
        return Certificate.from_violations(checks, 0.0 if exact else 1e-9, exact=exact)
    unbounded = res.status == "unbounded"
    y = _finite_levels(np.asarray(res.levels, dtype=float)) if unbounded else \
        np.asarray(res.levels, dtype=float)
    scale = arrays.scale(y)
    ftol = 1e-7 if tol is None else float(tol)
    checks["levels_nonnegative"] = float(max(0.0, -y.min(initial=0.0)))
    checks["levels_within_caps"] = float(np.max(y - arrays.cap[None, :], initial=0.0))
    if not unbounded:
        checks["levels_finite"] = int(not np.isfinite(y).all())
    unit = arrays.kappa / (1.0 - arrays.delta)
    if unbounded:
        lv = np.asarray(res.levels, dtype=float)
        free = np.isinf(lv)
        names = {arrays.instrument_names[j] for j in range(J) if free[:, j].any()}
        checks["unbounded_levels_free"] = int(
            names != set(res.unbounded) or not all(
                arrays.kappa[j] < 0 and not np.isfinite(arrays.cap[j])
                for j in range(J) if free[:, j].any()))
        checks["levels_finite"] = int(not np.isfinite(lv[~free]).all())
        checks["amount"] = int(not np.array_equal(np.asarray(res.amount), lv.sum(axis=0)))
    else:
        checks["amount"] = float(np.abs(np.asarray(res.amount) - y.sum(axis=0)).max(initial=0))
        checks["partner_cost"] = float(np.abs(np.asarray(res.partner_cost)
                                              - (y * unit).sum(axis=1)).max(initial=0))
    if res.status == "optimal":
        checks["total_cost"] = abs(res.total_cost - float((y * unit).sum()))
        s = np.where(np.isfinite(arrays.cap), np.maximum(arrays.cap, 1e-300), 1.0)
        checks["commitment"] = abs(res.commitment - float((y / s).sum()))
    lr = np.asarray(res.level_range, dtype=float)
    lvs = np.asarray(res.levels, dtype=float)
    with np.errstate(invalid="ignore"):
        checks["level_range_brackets_levels"] = float(max(
            np.nanmax(np.where(np.isinf(lvs), 0.0, lr[..., 0] - lvs), initial=0.0),
            np.nanmax(np.where(np.isinf(lvs), 0.0, lvs - lr[..., 1]), initial=0.0)))
        checks["levels_match_resolve"] = float(np.nanmax(np.where(
            np.isinf(lvs) & np.isinf(again.levels), 0.0, np.abs(again.levels - lvs)),
            initial=0.0)) if again.constructible else 1.0
    # the target at the levels, on the exact state (exactly: just above them, at the levels
    # raised by a relative 1e-9, since the reported floats round a boundary point)
    eq = equilibrium_from_arrays(arrays, y, sc)
    checks["target_holds"] = int(not target_met(eq, res.target))
    if exact:
        # the reported floats round a boundary point of the target's region; the region lies
        # above it for a level that costs (kappa >= 0) and below it for a self-financing one
        # (kappa < 0: the cheapest package is the largest that meets the target)
        inward = y * (1.0 + ROUND_UP * np.where(arrays.kappa < 0, -1.0, 1.0))[None, :]
        for z in (y, inward, _round_up(y)):
            up = equilibrium_from_arrays(arrays, z, sc)
            cert = up.verify(exact=True)
            if cert.ok and target_met(up, res.target):
                break
        checks["target_holds_exactly_above"] = int(not target_met(up, res.target))
    else:
        cert = eq.verify()
    checks["equilibrium_certificate"] = int(not cert.ok)
    if res.equilibrium is not None:
        checks["equilibrium_field"] = int(
            not (np.array_equal(res.equilibrium.stay, eq.stay)
                 and np.array_equal(res.equilibrium.maintain, eq.maintain)))
    # local minimality: a cheaper (or, at equal cost, smaller) move breaks the target.
    # A move is decisive only where it shifts some one-shot gain by more than ten times
    # the tie tolerance; indecisive moves (an ill-conditioned discount) are not probed.
    if res.status == "optimal":
        worse = 0
        moves = _decisive_moves(arrays, y, eq)
        for i, j, z in moves:
            ok, _ = _certify(arrays, z, res.target)
            worse += int(ok)
        checks["local_minimality"] = worse
    if exact:
        from fractions import Fraction

        return Certificate.from_violations(
            {k: (v if isinstance(v, (int, Fraction)) else Fraction(max(0.0, v - ftol * scale)))
             for k, v in checks.items()}, 0.0, exact=True)
    return Certificate.from_violations({k: float(v) / (min(scale, 1e308) if k in (
        "amount", "partner_cost", "total_cost") else 1.0) for k, v in checks.items()}, ftol)

"""The selected equilibrium of a revocation scenario, solved on the exact state.

The game is played on the state (previous regime, set of partners still present); see
:mod:`paxgame.kernels.revocation_exact` for the period's timing and
:mod:`paxgame.revocation.arrays` for which payments count. :func:`solve` returns the selected
pure Markov perfect equilibrium: in every subgame (a set of partners still present), from the
smallest up, the equilibrium with the greatest sum of the partners' values, the smaller
subgames playing their own selected equilibria.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from .. import _rational
from .._results import Certificate, SolverResult
from .._validation import as_float_array, check_nonnegative
from ..kernels import revocation_exact as kx
from .arrays import ScenarioArrays

__all__ = ["ScenarioEquilibrium", "solve", "MAX_JOINT_PARTNERS", "Block", "block_layout",
           "equilibrium_from_arrays", "equilibria_from_arrays", "BATCH_POINTS"]

#: Largest coalition solved jointly (2^n subgames; every subgame enumerated up to
#: ``kernels.revocation_exact.ENUMERATION_LIMIT`` partner profiles).
MAX_JOINT_PARTNERS = 8
#: Largest coalition whose joint horizon probabilities are computed when partners factor.
_MAX_JOINT_CHAIN = 6
#: Partners solved one by one are counted together (``n_equilibria``, ``ambiguous`` of the
#: joint game) when the full coalition has at most this many partner profiles.
_JOINT_COUNT_LIMIT = 2 ** 12
#: Largest number of partner profiles re-enumerated by ``verify`` to re-check the selection.
_VERIFY_ENUMERATION = 64


@dataclass(frozen=True)
class Block:
    """Partners solved together, with the selected profile on their exact states.

    ``members`` are partner indices; ``stay`` (2^m, m, K) and ``revoke`` (2^m, K) are the
    profile in the block's own numbering (bit k of a set is ``members[k]``).
    """

    members: tuple
    stay: np.ndarray
    revoke: np.ndarray
    status: str
    n_equilibria: int
    ambiguous: bool
    exact: bool


def block_layout(arrays: ScenarioArrays) -> list[list[int]]:
    """The partner groups solved together: everyone when partners interact (collective
    governance, blanket revocation, collateral outages), else one group per partner."""
    return [list(range(arrays.n))] if arrays.coupled else [[i] for i in range(arrays.n)]


def _joint_count(arrays: ScenarioArrays, y, counts: int, amb: bool) -> tuple[int, bool]:
    """``n_equilibria`` and ``ambiguous`` of the joint game of partners solved one by one
    (the product of their own counts and their flags beyond :data:`_JOINT_COUNT_LIMIT`)."""
    if (1 << (arrays.n * arrays.K)) > _JOINT_COUNT_LIMIT:
        return counts, amb
    p = arrays.params(y)
    sol = kx.solve(p)
    if sol.status != "optimal":
        return counts, amb
    sel = sol.equilibria[sol.selected][2]
    return len(sol.equilibria), not all((sel >= e[2] - p.tol).all() for e in sol.equilibria)


def _block_arrays(arrays: ScenarioArrays, members) -> ScenarioArrays:
    return arrays if len(members) == arrays.n else arrays.partner(members[0])


@dataclass(frozen=True, kw_only=True)
class ScenarioEquilibrium(SolverResult):
    """The selected equilibrium of a scenario at given instrument levels.

    Attributes
    ----------
    partners, regimes : tuple of str
    stay : ndarray (partners, regimes) of bool
        Whether each partner stays in at the full coalition after each previous regime.
    maintain : ndarray (partners, regimes) of bool
        Whether the provider keeps each partner at the full coalition in each regime
        (False: revoked there).
    partner_value : ndarray (partners, regimes)
        Each partner's value at the start of a period with the full coalition, after each
        previous regime.
    exit_value : ndarray (partners, regimes)
        The value of exiting then (the outside option from that period on).
    provider_value : ndarray (regimes,)
        The provider's value at the same states.
    revocation_probability, exit_probability : ndarray (partners,)
        Probability that each partner is revoked (wrongfully: the removal of an adversary
        does not count) or exits within ``horizon`` periods from the start regime.
    any_revocation_probability : float
        Probability that some ally is revoked within the horizon (NaN when not computed).
    horizon : int
    levels : ndarray (partners, instruments)
        The instrument levels in force.
    n_equilibria : int
        Equilibria at the full coalition (the smaller subgames playing their selected ones).
        Partners who do not interact are solved one by one; their count is still that of
        the joint game (a partner indifferent in its own game may be pinned down by the
        others' subgames) while the full coalition has at most 4096 partner profiles
        (2 ** (partners x regimes)), and the product of the one-partner counts beyond.
    ambiguous : bool
        True when the selected equilibrium does not give every partner, after every regime,
        at least its value in each other equilibrium.
    exact : bool
        False when some subgame was too large to enumerate.
    self_enforcing : bool or None
        Under collective governance: whether every ally spared by a revocation prefers
        leaving (the coalition's rule) to staying on; None otherwise.
    blocks : tuple of Block
        The full profile (for :meth:`verify`).
    """

    partners: tuple = ()
    regimes: tuple = ()
    stay: np.ndarray = None
    maintain: np.ndarray = None
    partner_value: np.ndarray = None
    exit_value: np.ndarray = None
    provider_value: np.ndarray = None
    revocation_probability: np.ndarray = None
    exit_probability: np.ndarray = None
    any_revocation_probability: float = float("nan")
    horizon: int = 10
    levels: np.ndarray = None
    n_equilibria: int = 0
    ambiguous: bool = False
    exact: bool = True
    self_enforcing: bool | None = None
    blocks: tuple = field(default=(), repr=False)
    scenario: object = field(default=None, repr=False)

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-check every field on the exact state, independently of the solver.

        Each block's profile is evaluated by one linear solve over all its exact states
        (not the solver's subgame recursion); every one-shot deviation of every partner and
        of the provider is checked with the tie rules; the reported stay/maintain sets,
        values and exit values must equal the profile's at the full coalition; the
        horizon probabilities are recomputed by propagating the state distribution period
        by period; and where the full coalition has at most 64 partner profiles they are
        re-enumerated to check the selection, ``n_equilibria`` and ``ambiguous``.

        With ``exact=True`` the checks run in fractions (each float read as its exact
        binary value) with the tie rules applied exactly; horizon probabilities are then
        checked exactly for horizons up to 64 periods (beyond, the check named
        ``...(float)`` runs in floats).
        """
        return _verify_equilibrium(self, tol, exact)


def _levels(func, sc, levels):
    n, J = sc.n_partners, len(sc.instruments)
    if levels is None:
        return np.zeros((n, J))
    lv = as_float_array(func, "levels", levels)
    if lv.ndim == 1 and J == 1 and lv.shape == (n,):
        lv = lv[:, None]
    if lv.shape != (n, J):
        raise ValueError(f"{func}: levels must have shape (partners, instruments) = {(n, J)}, "
                         f"got {lv.shape}")
    return check_nonnegative(func, "levels", lv)


def _check_size(func, arrays):
    if arrays.coupled and arrays.n > MAX_JOINT_PARTNERS:
        raise ValueError(
            f"{func}: {arrays.n} partners interact (collective governance, blanket revocation "
            f"or collateral outages) and are solved jointly on 2^n exact states; at most "
            f"{MAX_JOINT_PARTNERS} are supported")


def solve(sc, levels=None) -> ScenarioEquilibrium:
    """The selected equilibrium of a revocation scenario, on the exact state.

    The state is (previous regime, set of partners still present). Partners stay or exit,
    the regime is drawn, partners may turn adversarial (and are removed), and the provider
    keeps or revokes each ally; under collective governance a wrongful revocation makes the
    spared allies leave after the period. In every subgame, from the smallest up, every pure
    Markov profile of the partners is enumerated, the provider best-responds (ties: fewer
    revocations, then lower partner indices), the equilibria (no profitable one-shot
    deviation, ties stay) are kept and the one with the greatest sum of the partners' values
    is selected (ties: more staying). Partners that do not interact (bilateral governance,
    targeted revocation, no collateral outages) are solved one at a time, exactly for any
    number of partners.

    Parameters
    ----------
    sc : Scenario
    levels : array_like (partners, instruments), optional
        Instrument levels in force (default none).

    Returns
    -------
    ScenarioEquilibrium
        Status ``"optimal"``, ``"no_pure_equilibrium"`` (legal: the game has no pure
        Markov perfect equilibrium; the arrays are then NaN/False for the partners
        concerned) or ``"not_converged"`` (a subgame beyond enumeration where best
        responses cycled).

    References
    ----------
    Maskin, E. and Tirole, J. (2001), "Markov perfect equilibrium I. Observable actions",
    Journal of Economic Theory 100(2), 191-219.

    Examples
    --------
    >>> import paxgame as pg
    >>> sc = pg.load("games/scenarios/innovation_sovereignty.toml")
    >>> eq = pg.solve(sc)
    >>> eq.stay[:, 0].tolist(), eq.revocation_probability.tolist()
    ([False, True, True], [0.0, 0.0, 0.0])
    >>> [round(float(v), 6) for v in eq.partner_value[1:, 0]]
    [15.0, 12.5]
    >>> bool(eq.verify())
    True
    """
    from ..games.scenario import Scenario  # local: games imports nothing of revocation

    if not isinstance(sc, Scenario):
        raise TypeError(f"solve: sc must be a Scenario, got {type(sc).__name__}")
    y = _levels("solve", sc, levels)
    arrays = ScenarioArrays.from_scenario(sc)
    _check_size("solve", arrays)
    return equilibrium_from_arrays(arrays, y, scenario=sc)


def equilibrium_from_arrays(arrays: ScenarioArrays, y, scenario=None, *,
                            probabilities: bool = True) -> ScenarioEquilibrium:
    """:func:`solve` on a scenario's arrays (the minimum-assurance solver calls this): a
    batch of one point of :func:`equilibria_from_arrays`."""
    return equilibria_from_arrays([arrays], [y], [scenario], probabilities=probabilities)[0]


def _layout_key(arrays: ScenarioArrays):
    return (arrays.n, arrays.K, arrays.collective, arrays.blanket, arrays.coupled)


#: Points solved together by :func:`equilibria_from_arrays` (bounds the kernel's tables).
BATCH_POINTS = 4096


def equilibria_from_arrays(arrays_list, levels, scenarios=None, *,
                           probabilities: bool = True) -> list[ScenarioEquilibrium]:
    """The selected equilibrium of many points at once (one kernel call per group of points
    with the same layout, at most :data:`BATCH_POINTS` points per call); each answer equals
    :func:`equilibrium_from_arrays` on that point alone, bit for bit (it is the same code).
    With ``probabilities=False`` the horizon probabilities are left NaN (a target check
    needs only the profile)."""
    arrays_list = list(arrays_list)
    levels = [np.asarray(y, dtype=float) for y in levels]
    scenarios = [None] * len(arrays_list) if scenarios is None else list(scenarios)
    out: list = [None] * len(arrays_list)
    groups: dict = {}
    for k, ar in enumerate(arrays_list):
        groups.setdefault(_layout_key(ar), []).append(k)
    for idx in groups.values():
        for a in range(0, len(idx), BATCH_POINTS):
            part = idx[a:a + BATCH_POINTS]
            res = _equilibria_group([arrays_list[k] for k in part], [levels[k] for k in part],
                                    [scenarios[k] for k in part], probabilities)
            for k, r in zip(part, res):
                out[k] = r
    return out


def _equilibria_group(arrays_list, ys, scenarios, probabilities=True):
    first = arrays_list[0]
    n, K = first.n, first.K
    B = len(arrays_list)
    layout = block_layout(first)
    stay = np.zeros((B, n, K), dtype=bool)
    maintain = np.zeros((B, n, K), dtype=bool)
    V = np.full((B, n, K), np.nan)
    U = np.zeros((B, K))
    X = np.zeros((B, n, K))
    counts = np.ones(B, dtype=np.int64)
    amb = np.zeros(B, dtype=bool)
    exact = np.ones(B, dtype=bool)
    statuses = [[] for _ in range(B)]
    blocks = [[] for _ in range(B)]
    self_enf = [None] * B
    block_params = []
    for mem in layout:
        ps = [_block_arrays(ar, mem).params(y[mem]) for ar, y in zip(arrays_list, ys)]
        sp = kx.stack_params(ps)
        sol = kx.solve_batch(sp)
        block_params.append((mem, ps, sp, sol))
        m = len(mem)
        full = (1 << m) - 1
        for b in range(B):
            _, Xb = kx.exit_values(ps[b].delta, ps[b].transition, ps[b].outside)
            X[b, mem] = Xb
            st = kx.STATUSES[int(sol.status[b])]
            exact[b] &= bool(sol.exact[b])
            statuses[b].append(st)
            if st != "optimal":
                blocks[b].append(Block(tuple(mem), sol.stay[b], sol.revoke[b], st, 0, False,
                                       bool(sol.exact[b])))
                counts[b] = 0
                continue
            stay[b, mem] = sol.stay[b, full]
            for k, i in enumerate(mem):
                maintain[b, i] = [not (sol.revoke[b, full, s] >> k & 1) for s in range(K)]
            V[b, mem] = sol.V[b, full]
            U[b] += sol.U[b, full]
            dom = bool(sol.dominant[b])
            amb[b] |= not dom
            counts[b] *= int(sol.n_equilibria[b])
            blocks[b].append(Block(tuple(mem), sol.stay[b], sol.revoke[b], "optimal",
                                   int(sol.n_equilibria[b]), not dom, bool(sol.exact[b])))
            if first.collective and m > 1:
                like = kx.ExactSolution("optimal", sol.stay[b], sol.revoke[b], sol.V[b],
                                        sol.U[b], [], -1, bool(sol.exact[b]))
                self_enf[b] = _self_enforcing(ps[b], like, Xb)
    status = []
    for b in range(B):
        st = "optimal"
        for s in ("not_converged", "no_pure_equilibrium"):
            if s in statuses[b]:
                st = s
        status.append(st)
    ok = np.array([s == "optimal" for s in status])
    if len(layout) > 1 and (1 << (n * K)) <= _JOINT_COUNT_LIMIT and ok.any():
        # partners solved one by one: the count and the flag of the joint game
        idx = np.flatnonzero(ok)
        joint = kx.solve_batch(kx.stack_params([arrays_list[b].params(ys[b]) for b in idx]))
        for k, b in enumerate(idx):
            if kx.STATUSES[int(joint.status[k])] == "optimal":
                counts[b] = int(joint.n_equilibria[k])
                amb[b] = not bool(joint.dominant[k])
    rev = np.full((B, n), np.nan)
    ext = np.full((B, n), np.nan)
    anyr = np.full(B, np.nan)
    if ok.any() and probabilities:
        _probabilities_batch(arrays_list, ys, blocks, block_params, ok, rev, ext, anyr)
    out = []
    for b in range(B):
        ar = arrays_list[b]
        Ub = U[b] if ok[b] else np.full(K, np.nan)
        msg = _message(ar, status[b], int(counts[b]), bool(amb[b]), bool(exact[b]), blocks[b])
        out.append(ScenarioEquilibrium(
            partners=ar.partner_names, regimes=ar.regime_names, stay=stay[b],
            maintain=maintain[b], partner_value=V[b], exit_value=X[b], provider_value=Ub,
            revocation_probability=rev[b], exit_probability=ext[b],
            any_revocation_probability=float(anyr[b]), horizon=ar.horizon,
            levels=np.array(ys[b], dtype=float), n_equilibria=int(counts[b]),
            ambiguous=bool(amb[b]), exact=bool(exact[b]), self_enforcing=self_enf[b],
            blocks=tuple(blocks[b]), scenario=scenarios[b], status=status[b], message=msg))
    return out


def _probabilities_batch(arrays_list, ys, blocks, block_params, ok, rev, ext, anyr):
    """Horizon probabilities of the points ``ok`` (grouped by start regime and horizon)."""
    first = arrays_list[0]
    n = first.n
    keys: dict = {}
    for b in np.flatnonzero(ok):
        keys.setdefault((arrays_list[b].start, arrays_list[b].horizon), []).append(b)
    for (start, horizon), idx in keys.items():
        idx = np.array(idx)
        if len(block_params) == 1:
            mem, ps, sp, sol = block_params[0]
            r, e, a = kx.horizon_batch(kx.take_points(sp, idx), sol.stay[idx], sol.revoke[idx], start,
                                       horizon)
            rev[idx], ext[idx], anyr[idx] = r, e, a
            continue
        for mem, ps, sp, sol in block_params:
            i = mem[0]
            r, e, _ = kx.horizon_batch(kx.take_points(sp, idx), sol.stay[idx], sol.revoke[idx], start,
                                       horizon)
            rev[idx, i], ext[idx, i] = r[:, 0], e[:, 0]
        if n <= _MAX_JOINT_CHAIN:
            joint = [_joint_profile(arrays_list[b], blocks[b]) for b in idx]
            sp = kx.stack_params([arrays_list[b].params(ys[b]) for b in idx])
            _, _, a = kx.horizon_batch(sp, np.array([j[0] for j in joint]),
                                       np.array([j[1] for j in joint]), start, horizon)
            anyr[idx] = a


def _message(arrays, status, counts, amb, exact, blocks) -> str:
    if status == "no_pure_equilibrium":
        who = [", ".join(arrays.partner_names[i] for i in b.members) for b in blocks
               if b.status == "no_pure_equilibrium"]
        return (f"no pure Markov perfect equilibrium (partners: {'; '.join(who)}): best "
                f"responses cycle at these levels")
    if status == "not_converged":
        return ("a subgame too large to enumerate: best-response iteration from 'everyone "
                "stays' cycled; no equilibrium was found")
    how = "exact enumeration" if exact else "best-response iteration in the largest subgames"
    many = ("the only equilibrium" if counts == 1 else
            f"selected among {counts} equilibria (greatest total partner value)")
    tail = ("; ambiguous: another equilibrium is better for some partner" if amb else "")
    return f"{many}, by {how}{tail}"


def _self_enforcing(p, sol, X) -> bool:
    n, K = p.flow.shape
    full = (1 << n) - 1
    for s in range(K):
        R = int(sol.revoke[full, s])
        if not R:
            continue
        for i in kx.members(full & ~R):
            if X[i, s] < sol.V[full & ~R, i, s] - p.tol:
                return False
    return True


def _joint_profile(arrays, blocks):
    """The full profile over all 2^n sets built from independent one-partner blocks."""
    n, K = arrays.n, arrays.K
    size = 1 << n
    stay = np.zeros((size, n, K), dtype=bool)
    revoke = np.zeros((size, K), dtype=np.int64)
    for b in blocks:
        i = b.members[0]
        for P in range(size):
            if P >> i & 1:
                stay[P, i] = b.stay[1, 0]
                for s in range(K):
                    if b.revoke[1, s]:
                        revoke[P, s] |= 1 << i
    return stay, revoke


# --------------------------------------------------------------------------- verification

def _forward_probabilities(p, stay, revoke, start, horizon, one):
    """Horizon probabilities by propagating the state distribution period by period."""
    n, K = p.flow.shape
    size = 1 << n
    zero = one - one
    dist = {((size - 1), start, 0, 0): one}  # (P, r, revoked-bits, exited-bits)
    for _ in range(horizon):
        nxt = {}
        for (P, r, rv, ex), pr in dist.items():
            S = 0
            for i in kx.members(P):
                if stay[P, i, r]:
                    S |= 1 << i
                else:
                    ex |= 1 << i
            for s in range(K):
                ps = p.transition[r, s]
                if ps == 0:
                    continue
                mem = kx.members(S)
                for bits in range(1 << len(mem)):
                    A, pa = 0, one
                    for k, i in enumerate(mem):
                        if bits >> k & 1:
                            A |= 1 << i
                            pa = pa * p.hazard[i]
                        else:
                            pa = pa * (one - p.hazard[i])
                    if pa == 0:
                        continue
                    Q = S & ~A
                    R = int(revoke[Q, s]) if Q else 0
                    P2 = 0 if (R and p.collective) else Q & ~R
                    key = (P2, s, rv | R, ex)
                    nxt[key] = nxt.get(key, zero) + pr * ps * pa
        dist = nxt
    rev = [sum((pr for (P, r, rv, ex), pr in dist.items() if rv >> i & 1), zero)
           for i in range(n)]
    ext = [sum((pr for (P, r, rv, ex), pr in dist.items() if ex >> i & 1), zero)
           for i in range(n)]
    anyr = sum((pr for (P, r, rv, ex), pr in dist.items() if rv), zero)
    return rev, ext, anyr


def _tie_order(R: int):
    return (kx.popcount(R), kx.members(R))


def _block_checks(p, b: Block, rep, exact, tol, linsolve, start, horizon):
    """Violations for one block: best responses, reported fields, probabilities."""
    m, K = p.flow.shape
    full = (1 << m) - 1
    V, U = kx.profile_values(p, b.stay, b.revoke, linsolve)
    gain, nodes = kx.one_shot_gains(p, b.stay, b.revoke, V, U, linsolve)
    part = 0
    for P in range(1, full + 1):
        for i in kx.members(P):
            for r in range(K):
                g = gain[P, i, r]
                if b.stay[P, i, r]:
                    part = max(part, -g)
                elif exact:
                    part = max(part, g + (1 if g >= 0 else 0))  # exit needs a strict loss
                else:
                    part = max(part, g)
    prov = 0
    for (Q, s), vals in nodes.items():
        chosen = int(b.revoke[Q, s])
        best = max(vals.values())
        v = best - vals[chosen]
        if exact and v == 0:
            # tie rule: no equally good set that is preferred (fewer, then lower indices)
            if any(val == best and _tie_order(R) < _tie_order(chosen) for R, val in vals.items()):
                v = 1
        prov = max(prov, v)
    checks = {"partner_best_response": part, "provider_best_response": prov}
    mem = list(b.members)
    conv = (lambda a: _rational.as_fractions(a)) if exact else (lambda a: np.asarray(a, float))
    obar, X = kx.exit_values(p.delta, p.transition, p.outside, linsolve)
    slack = Fraction(1, 10 ** 9) * Fraction(_scale(p)) if exact else 0

    def diff(a, c):  # reported floats against recomputed values (exact: within 1e-9 scale)
        worst = max((abs(x) for x in np.ravel(conv(a) - c)), default=0)
        return max(0, worst - slack) if exact else worst

    checks["partner_value"] = diff(rep.partner_value[mem], V[full])
    checks["exit_value"] = diff(rep.exit_value[mem], X)
    revoked = np.array([[bool(b.revoke[full, s] >> k & 1) for s in range(K)]
                        for k in range(m)])
    checks["stay"] = int((rep.stay[mem] != b.stay[full]).sum())
    checks["maintain"] = int((rep.maintain[mem] == revoked).sum())
    checks["_U"] = U[full]  # summed over blocks by the caller
    if exact and horizon > 64:
        pf = _float_params(p)
        rv, ex, anyr = _forward_probabilities(pf, b.stay, b.revoke, start, horizon, 1.0) \
            if horizon <= 10_000 else kx.horizon_probabilities(pf, b.stay, b.revoke, start,
                                                               horizon)
        suffix = " (float)"
    else:
        one = Fraction(1) if exact else 1.0
        rv, ex, anyr = _forward_probabilities(p, b.stay, b.revoke, start, horizon, one) \
            if horizon <= 10_000 else kx.horizon_probabilities(p, b.stay, b.revoke, start,
                                                               horizon)
        suffix = ""
    checks["_probabilities"] = (suffix, rv, ex, anyr)
    return checks


def _scale(p) -> float:
    f = lambda a: float(np.max(np.abs(np.asarray(a, dtype=float)), initial=0.0))  # noqa: E731
    top = max(f(p.flow), f(p.outside), f(p.provider_flow)) / (1.0 - float(p.delta)) + max(
        f(p.loss), f(p.gain), f(p.forfeit), f(p.compensation), f(p.outage))
    return top if top > 0 else 1.0


def _float_params(p):
    return kx.ExactParams(*[np.asarray(x, dtype=float) if isinstance(x, np.ndarray)
                            else (float(x) if isinstance(x, Fraction) else x) for x in p])


def _provider_response(p, st, revoke, full, exact, tol, linsolve):
    """The provider's best response at the nodes (s, full) to partner profile ``st`` (policy
    iteration on the profile's values; ties: fewer revocations, then lower indices)."""
    m, K = p.flow.shape
    rv = revoke.copy()
    rv[full] = 0
    lim = 0 if exact else tol
    for _ in range(4 * K + 8):
        V, U = kx.profile_values(p, st, rv, linsolve)
        gain, nodes = kx.one_shot_gains(p, st, rv, V, U, linsolve)
        new = rv[full].copy()
        for s in range(K):
            vals = nodes[(full, s)]
            top = max(vals.values())
            new[s] = min((R for R, val in vals.items() if val >= top - lim), key=_tie_order)
        if (new == rv[full]).all():
            return rv, V, gain
        rv[full] = new
    return None


def _selection_checks(p, b: Block, rep_count, rep_amb, tol, exact, linsolve):
    """Re-enumerate the partner profiles at the block's full set (subgames as reported)."""
    m, K = p.flow.shape
    full = (1 << m) - 1
    if (1 << (m * K)) > _VERIFY_ENUMERATION:
        return {}
    lim = 0 if exact else tol
    found = []
    for bits in itertools.product((False, True), repeat=m * K):
        st = b.stay.copy()
        st[full] = np.array(bits, dtype=bool).reshape(m, K)
        best = _provider_response(p, st, b.revoke, full, exact, tol, linsolve)
        if best is None:
            continue
        rv, V, gain = best
        if all(st[full, i, r] == (gain[full, i, r] >= -lim) for i in range(m) for r in range(K)):
            found.append((st[full], V[full]))
    checks = {"n_equilibria": abs(len(found) - rep_count)}
    if found:
        sel = next((k for k, f in enumerate(found) if (f[0] == b.stay[full]).all()), None)
        if sel is None:
            checks["selected_is_equilibrium"] = 1
            return checks
        tot = [sum(f[1].ravel()) for f in found]
        better = max((t - tot[sel] for k, t in enumerate(tot) if k != sel), default=-1)
        checks["selection_total_value"] = max(0, better - lim * m * K)
        dominated = any((f[1] > found[sel][1] + lim).any() for f in found)
        checks["ambiguous"] = int(dominated != rep_amb)
    return checks


def _verify_equilibrium(eq: ScenarioEquilibrium, tol, exact) -> Certificate:
    sc = eq.scenario
    if sc is None:
        return Certificate.from_violations({"scenario_missing": 1}, 0.0, exact=exact)
    arrays = ScenarioArrays.from_scenario(sc)
    y = np.asarray(eq.levels, dtype=float)
    linsolve = _rational.solve if exact else np.linalg.solve
    scale = arrays.scale(y)
    tol = arrays.tol(y) * 1e2 if tol is None else float(tol) * scale
    checks: dict = {}
    layout = block_layout(arrays)
    if [list(b.members) for b in eq.blocks] != layout:
        return Certificate.from_violations({"blocks_match_scenario": 1}, 0.0, exact=exact)
    if eq.status != "optimal":
        if eq.status == "no_pure_equilibrium":
            return _verify_no_equilibrium(eq, arrays, y, tol, exact, linsolve)
        return Certificate.from_violations({f"exact_check_unavailable: status {eq.status}": 1},
                                           0.0, exact=exact)
    Utot = 0
    rev = [None] * arrays.n
    ext = [None] * arrays.n
    anyr = None
    count, amb = 1, False
    for b in eq.blocks:
        mem = list(b.members)
        sub = _block_arrays(arrays, mem)
        p = sub.params(y[mem], exact=exact)
        c = _block_checks(p, b, eq, exact, tol, linsolve, arrays.start, eq.horizon)
        Utot = Utot + c.pop("_U")
        suffix, rv, ex, an = c.pop("_probabilities")
        for k, i in enumerate(mem):
            rev[i], ext[i] = rv[k], ex[k]
        if len(eq.blocks) == 1:
            anyr = an
        for k, v in c.items():
            checks[k] = max(checks.get(k, 0), v)
        sel = _selection_checks(p, b, b.n_equilibria, b.ambiguous, tol, exact, linsolve)
        for k, v in sel.items():
            checks[k] = max(checks.get(k, 0), v)
        count *= b.n_equilibria
        amb |= b.ambiguous
    conv = (lambda a: _rational.as_fractions(a)) if exact else (lambda a: np.asarray(a, float))
    worst = max(abs(x) for x in np.ravel(conv(eq.provider_value) - Utot))
    checks["provider_value"] = max(0, worst - Fraction(1, 10 ** 9) * Fraction(scale)) \
        if exact else worst
    if len(eq.blocks) > 1:
        count, amb = _joint_count(arrays, y, count, amb)
    checks["n_equilibria_product" if len(eq.blocks) > 1 and (
        1 << (arrays.n * arrays.K)) > _JOINT_COUNT_LIMIT else "n_equilibria"] = \
        abs(count - eq.n_equilibria)
    checks["ambiguous_flag"] = int(amb != eq.ambiguous)
    name = "horizon_probabilities" + suffix
    pr = max(max(abs(conv(eq.revocation_probability[i])[()] - rev[i]),
                 abs(conv(eq.exit_probability[i])[()] - ext[i])) for i in range(arrays.n))
    if anyr is not None:
        pr = max(pr, abs(conv(eq.any_revocation_probability)[()] - anyr))
    elif len(eq.blocks) > 1 and arrays.n <= _MAX_JOINT_CHAIN:
        stay, revoke = _joint_profile(arrays, eq.blocks)
        pf = arrays.params(y)
        _, _, an = kx.horizon_probabilities(pf, stay, revoke, arrays.start, eq.horizon)
        checks["any_revocation_probability (float)"] = abs(an - eq.any_revocation_probability)
    # reported probabilities are floats: pass within float rounding (1e-12)
    checks[name] = max(0, pr - Fraction(1, 10 ** 12)) if exact else pr
    if "any_revocation_probability (float)" in checks:
        checks["any_revocation_probability (float)"] = max(
            0, float(checks["any_revocation_probability (float)"]) - (0 if not exact else 1e-12))
    checks["horizon"] = int(eq.horizon != arrays.horizon)
    if arrays.collective and arrays.n > 1:
        b = eq.blocks[0]
        p = arrays.params(y)
        sol_like = kx.ExactSolution("optimal", b.stay, b.revoke, *kx.profile_values(
            p, b.stay, b.revoke), [], -1, b.exact)
        _, Xb = kx.exit_values(p.delta, p.transition, p.outside)
        checks["self_enforcing"] = int(eq.self_enforcing != _self_enforcing(p, sol_like, Xb))
    else:
        checks["self_enforcing"] = int(eq.self_enforcing is not None)
    checks["levels_within_caps"] = float(np.max(y - arrays.cap[None, :], initial=0.0))
    checks["levels_nonnegative"] = float(max(0.0, -np.min(y, initial=0.0)))
    checks["exact_flag"] = int(eq.exact != all(b.exact for b in eq.blocks))
    if exact:
        checks = {k: (Fraction(v) if isinstance(v, (int, float)) and not isinstance(v, bool)
                      else v) for k, v in checks.items()}
        return Certificate.from_violations(checks, 0.0, exact=True)
    return Certificate.from_violations({k: float(v) for k, v in checks.items()}, tol)


def _verify_no_equilibrium(eq, arrays, y, tol, exact, linsolve) -> Certificate:
    """A 'no pure equilibrium' claim: re-solve and require that no block profile passes."""
    checks = {}
    for b in eq.blocks:
        if b.status != "no_pure_equilibrium":
            continue
        mem = list(b.members)
        sub = _block_arrays(arrays, mem)
        p = sub.params(y[mem])
        again = kx.solve(p)
        checks["no_pure_equilibrium_confirmed"] = int(again.status != "no_pure_equilibrium")
    return Certificate.from_violations(checks or {"no_block_without_equilibrium": 1}, 0.0,
                                       exact=exact)

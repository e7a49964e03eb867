"""Mixed Nash equilibria of N-player games: ``nash(method="logit")`` and
``nash(method="support_newton")``.

Both methods work on each player's payoffs mapped to [0, 1] by that player's own positive
affine map (u_i - min u_i) / (max u_i - min u_i), which leaves the Nash equilibria unchanged,
so their answers are invariant under positive affine payoff maps applied player by player.
Both certify every answer on the game's own payoffs: player i's regret must not exceed
tol x s_i, with s_i the largest absolute payoff of player i (1 when all are zero).
"""

from __future__ import annotations

import numbers

import numpy as np

from ..games.normal_form import NormalFormGame
from ..kernels import nplayer as _knp
from ..kernels.payoffs import abs_scale, player_abs_scales
from ..kernels.qre import LogitBranch
from ._results import Equilibrium, NashResult
from .checks import regret_float

__all__: list[str] = []

#: Default options of the two methods (the ``nash`` method table reads them).
LOGIT_OPTIONS = {"max_steps": 2000, "lam_max": 1e7, "first_step": 0.1, "max_accel": 2.0,
                 "scaling": "player"}
SUPPORT_NEWTON_OPTIONS = {"starts": 8, "max_supports": 100_000, "max_iter": 50,
                          "random_state": 0}


# -- shared pieces -----------------------------------------------------------------------------


def unit_payoffs(payoffs: np.ndarray):
    """Each player's payoffs mapped to [0, 1] by (u_i - min u_i) / range_i; returns the mapped
    array and the ranges (a player with constant payoffs gets all zeros and range 1)."""
    n = payoffs.shape[0]
    flat = payoffs.reshape(n, -1)
    low = flat.min(axis=1)
    span = flat.max(axis=1) - low
    span = np.where(span > 0, span, 1.0)
    shape = (n,) + (1,) * (payoffs.ndim - 1)
    return (payoffs - low.reshape(shape)) / span.reshape(shape), span


def _tolerances(game: NormalFormGame, tol_abs: float):
    """(relative tol, per-player absolute tolerances, per-player tolerances on [0, 1] payoffs)."""
    payoffs = np.asarray(game.payoffs, dtype=float)
    tol_rel = tol_abs / abs_scale(payoffs)
    per_player = tol_rel * player_abs_scales(payoffs)
    _, span = unit_payoffs(payoffs)
    return tol_rel, per_player, per_player / span


def certified_equilibrium(game: NormalFormGame, flat: np.ndarray, tol_abs: float):
    """An :class:`Equilibrium` from a flat profile, and whether every player's regret is within
    its tolerance (``tol_abs`` is the solver's absolute tolerance, tol x the payoff scale)."""
    payoffs = np.asarray(game.payoffs, dtype=float)
    tol_rel, per_player, _ = _tolerances(game, tol_abs)
    flat = _knp.normalise(np.asarray(flat, dtype=float)[None], game.num_actions)
    player_regret = _knp.regrets(payoffs, flat)[0]
    off = _knp.offsets(game.num_actions)
    strategies = tuple(flat[0, off[i]:off[i + 1]].copy() for i in range(game.n_players))
    regret, pay = regret_float(payoffs, strategies)
    support = tuple(np.flatnonzero(s > tol_rel) for s in strategies)
    eq = Equilibrium(strategies=strategies, payoffs=pay, regret=regret, support=support,
                     tol=tol_abs, game=game)
    return eq, bool(np.all(player_regret <= per_player))


def _order(equilibria: list[Equilibrium]) -> list[Equilibrium]:
    def key(eq):
        return (sum(len(s) for s in eq.support),
                tuple(-round(float(p), 9) for s in eq.strategies for p in s))
    return sorted(equilibria, key=key)


def _int_option(name: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral,)) or value < low:
        raise ValueError(f"nash: options[{name!r}] must be an integer >= {low}, got {value!r}")
    return int(value)


def _positive_option(name: str, value, low: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (
            np.isfinite(value) and value > low):
        raise ValueError(f"nash: options[{name!r}] must be a finite number > {low:g}, "
                         f"got {value!r}")
    return float(value)


# -- logit: the QRE principal branch to its Nash limit ----------------------------------------
def nash_logit(game: NormalFormGame, tol_abs: float, options: dict) -> NashResult:
    """One equilibrium: the limit of the logit QRE principal branch (see :func:`nash`)."""
    max_steps = _int_option("max_steps", options["max_steps"], 1)
    lam_max = _positive_option("lam_max", options["lam_max"])
    first_step = _positive_option("first_step", options["first_step"])
    max_accel = _positive_option("max_accel", options["max_accel"], 1.0)
    scaling = options["scaling"]
    if scaling not in ("player", "common"):
        raise ValueError(f"nash: options['scaling'] must be 'player' or 'common', "
                         f"got {scaling!r}")
    payoffs = np.asarray(game.payoffs, dtype=float)
    unit, span = unit_payoffs(payoffs)
    _, _, unit_tol = _tolerances(game, tol_abs)
    if scaling == "common":  # one precision for all: every player's range divided by the largest
        unit = unit * (span / span.max()).reshape((-1,) + (1,) * (unit.ndim - 1))
        unit_tol = unit_tol * span / span.max()
    branch = LogitBranch(unit, first_step=first_step, max_accel=max_accel)
    next_try, reason, found = 1.0, "max_steps", None
    while branch.steps < max_steps:
        if not branch.advance():
            reason = "collapse"
            break
        if branch.lam >= next_try or branch.lam >= lam_max:
            found, tried = _polish_near(unit, branch, unit_tol, final=branch.lam >= lam_max)
            if found is not None:
                reason = "polished"
                break
            if tried:  # Newton ran without success: wait until lambda doubles
                next_try = 2.0 * branch.lam
        if branch.lam >= lam_max:
            reason = "lam_max"
            break
    early = None
    if found is None and reason != "lam_max":
        # the trace stopped early (step cap or collapse): an equilibrium certified near the
        # last branch point is still an answer, though not shown to be the branch's limit
        found, _ = _polish_near(unit, branch, unit_tol, final=True)
        early = reason if found is not None else None
    where = (f"lambda {branch.lam:.4g} on payoffs "
             + ("mapped to [0, 1]" if scaling == "player" else "divided by the largest range")
             + f", {branch.steps} steps")
    why = {"max_steps": f"the step cap options['max_steps'] = {max_steps} was reached",
           "lam_max": f"lambda reached options['lam_max'] = {lam_max:g}",
           "collapse": "the path-following step length collapsed (a bifurcation or a "
                       "singular point of the branch)"}
    if found is not None:
        eq, ok = certified_equilibrium(game, found[0], tol_abs)
        if ok and early is None:
            return NashResult([eq], method="logit", status="optimal",
                              message=f"the Nash limit of the logit QRE principal branch: "
                                      f"traced to {where}, then Newton on the support "
                                      f"(moved every probability by at most "
                                      f"{found[1]:.2g})",
                              complete=False, finite=None, game=game, tol=tol_abs)
        if ok:
            return NashResult([eq], method="logit",
                              status="max_iter_reached" if early == "max_steps" else "optimal",
                              message=f"an equilibrium near the last point of the traced "
                                      f"branch, not shown to be its limit: {why[early]} "
                                      f"({where}); Newton on the support moved every "
                                      f"probability by at most {found[1]:.2g}",
                              complete=False, finite=None, game=game, tol=tol_abs)
    eq, ok = certified_equilibrium(game, branch.profile, tol_abs)
    if ok:  # the branch point itself is within tolerance
        return NashResult([eq], method="logit",
                          status="max_iter_reached" if reason == "max_steps" else "optimal",
                          message=f"a point of the logit QRE principal branch with regret "
                                  f"within tolerance ({where})",
                          complete=False, finite=None, game=game, tol=tol_abs)
    status = "max_iter_reached" if reason == "max_steps" else "uncertified"
    why = why[reason]
    return NashResult([], method="logit", status=status,
                      message=f"no certified equilibrium: {why} ({where}); the last branch "
                              f"point has regret {eq.regret:.3g} > tol {tol_abs:g}",
                      complete=False, finite=None, game=game, tol=tol_abs)


#: Polished points further than this (largest probability change) from the branch point are
#: not accepted as the branch's limit: tracing continues.
_POLISH_DISTANCE = 0.05


def _polish_near(unit: np.ndarray, branch: LogitBranch, unit_tol: np.ndarray, *,
                 final: bool = False):
    """The certified equilibrium nearest the branch point, if the branch has settled there;
    returns (the point and its distance, or None; whether Newton was run).

    Settled: lam x |dp/dlam| (how far the branch still moves, at its current rate, by the
    time lam doubles) is at most ``_POLISH_DISTANCE``, and the polished point is no farther
    from the branch point than twice that (plus 1e-6). For a branch converging to its limit
    p* as p* + C / lam both quantities equal |C| / lam, so the test accepts the limit and
    rejects an equilibrium the branch merely passes near. A polished point whose support
    system is singular lies in a continuum of equilibria, and Newton stops at the point of
    the continuum nearest the branch point rather than at the branch's limit: such a point
    is accepted only within 1e-6 of the branch point. At ``lam_max`` (``final``) only the
    distance ``_POLISH_DISTANCE`` is required.
    """
    p = branch.profile
    t_x, t_lam = branch.tangent[:-1], branch.tangent[-1]
    if t_lam > 0:
        settled = branch.lam * float(np.abs(p * t_x / t_lam).max())
    else:  # at or past a fold of the branch: not settled
        settled = np.inf
    if not final and settled > _POLISH_DISTANCE:
        return None, False
    P, ok, distance, regular = _knp.polish(unit, p, unit_tol, max_iter=20)
    if final:
        limit = np.full(distance.shape, _POLISH_DISTANCE)
    else:
        limit = np.where(regular, min(_POLISH_DISTANCE, 2.0 * settled + 1e-6), 1e-6)
    good = np.flatnonzero(ok & (distance <= limit))
    if good.size == 0:
        return None, True
    best = good[np.argmin(distance[good])]
    return (P[best], float(distance[best])), True


# -- support enumeration with Newton on the indifference systems -------------------------------
def nash_support_newton(game: NormalFormGame, tol_abs: float, options: dict) -> NashResult:
    """Equilibria by support enumeration with Newton from several starts (see :func:`nash`)."""
    starts = _int_option("starts", options["starts"], 1)
    max_supports = _int_option("max_supports", options["max_supports"], 1)
    max_iter = _int_option("max_iter", options["max_iter"], 1)
    seed = options["random_state"]
    if not (seed is None or isinstance(seed, np.random.Generator) or (
            isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed >= 0)):
        raise ValueError(f"nash: options['random_state'] must be None, a non-negative integer "
                         f"or a numpy Generator, got {seed!r}")
    rng = np.random.default_rng(seed)
    payoffs = np.asarray(game.payoffs, dtype=float)
    unit, _ = unit_payoffs(payoffs)
    _, _, unit_tol = _tolerances(game, tol_abs)
    m = game.num_actions
    total = int(np.prod([2 ** k - 1 for k in m], dtype=float))
    capped = total > max_supports
    if capped:
        # the smallest supports first (support_masks' order), without building them all
        masks = _first_supports(m, max_supports)
    else:
        masks = _knp.support_masks(m)
    found: list[np.ndarray] = []
    examined = 0
    for lo in range(0, masks.shape[0], 2048):
        chunk = masks[lo:lo + 2048]
        examined += chunk.shape[0]
        chunk = chunk[_knp.prune_dominated(unit, chunk)]
        if chunk.shape[0] == 0:
            continue
        sizes = np.add.reduceat(chunk, _knp.offsets(m)[:-1], axis=1)
        pure = (sizes == 1).all(axis=1)
        reps = np.where(pure, 1, starts)
        rep_masks = np.repeat(chunk, reps, axis=0)
        which = np.concatenate([np.arange(r) for r in reps])
        start = _starts(rep_masks, m, which, rng)
        P, _, converged = _knp.support_newton(unit, rep_masks, start, max_iter=max_iter)
        P = _knp.normalise(np.where(rep_masks, P, 0.0)[converged], m)
        if P.shape[0] == 0:
            continue
        ok = (_knp.regrets(unit, P) <= unit_tol[None]).all(axis=1)
        P, Pm, which = P[ok], rep_masks[converged][ok], which[converged][ok]
        if P.shape[0] == 0:
            continue
        # a singular support system has a continuum of solutions, and each start lands on
        # another point of it: keep the point from the first start only
        iso = _knp.isolated(unit, Pm, P)
        keep = iso | (which == 0)
        found.extend(zip(P[keep], iso[keep]))
    eqs, in_continua = [], 0
    for flat, iso in _distinct(found):
        eq, ok = certified_equilibrium(game, flat, tol_abs)
        if ok:
            eqs.append(eq)
            in_continua += not iso
    eqs = _order(eqs)
    message = (f"{len(eqs)} equilibria from {examined} support profiles (Newton from up to "
               f"{starts} starts on each; not guaranteed to find every equilibrium)")
    if in_continua:
        message += (f"; {in_continua} of them solve a singular support system: they are "
                    f"sample points of continua of equilibria, not the whole sets")
    status = "optimal"
    if capped:
        status = "max_iter_reached"
        message += (f"; stopped at options['max_supports'] = {max_supports} of {total:.0f} "
                    f"support profiles (the smallest first)")
    elif not eqs:
        status = "uncertified"
        message += "; none found, but every finite game has one (try more starts)"
    return NashResult(eqs, method="support_newton", status=status, message=message,
                      complete=False, finite=None, game=game, tol=tol_abs)


def _first_supports(num_actions, count: int) -> np.ndarray:
    """The first ``count`` support profiles in :func:`support_masks` order when there are too
    many to list: profiles of the smallest total sizes (every player's subsets of size up to
    the total), trimmed."""
    total_size = len(num_actions)
    while True:
        per_player = []
        for m in num_actions:
            codes = np.arange(1, 2 ** m)
            bits = ((codes[:, None] >> np.arange(m)) & 1).astype(bool)
            per_player.append(bits[bits.sum(axis=1) <= total_size - len(num_actions) + 1])
        size = np.prod([len(s) for s in per_player], dtype=float)
        if size >= count or total_size >= sum(num_actions):
            break
        total_size += 1
    grids = np.meshgrid(*[np.arange(len(s)) for s in per_player], indexing="ij")
    index = np.stack([g.ravel() for g in grids], axis=1)
    masks = np.concatenate([s[index[:, k]] for k, s in enumerate(per_player)], axis=1)
    sizes = np.stack([s.sum(axis=1)[index[:, k]] for k, s in enumerate(per_player)], axis=1)
    order = np.lexsort((sizes.max(axis=1) - sizes.min(axis=1), sizes.sum(axis=1)))
    return masks[order][:count]


def _starts(masks: np.ndarray, num_actions, which: np.ndarray, rng) -> np.ndarray:
    """Start 0 of a support is uniform on it; the others are uniform draws from it."""
    draws = rng.exponential(size=masks.shape)
    draws[which == 0] = 1.0
    return _knp.normalise(np.where(masks, draws, 0.0), num_actions)


def _distinct(found, atol: float = 1e-6) -> list:
    """(profile, isolated) pairs with profiles farther apart than atol (isolated if any copy
    is)."""
    out: list = []
    for p, iso in found:
        for k, (q, iso_q) in enumerate(out):
            if np.abs(p - q).max() <= atol:
                out[k] = (q, iso_q or iso)
                break
        else:
            out.append((p, bool(iso)))
    return out

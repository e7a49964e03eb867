"""Invariant checks for stage-game solvers (the theory page "Invariants").

Each ``check_*`` raises ``AssertionError`` with a precise message when the invariant fails.
"""

from __future__ import annotations

import numpy as np

import paxgame as pg

__all__ = [
    "check_nash_equilibrium",
    "check_nash_result",
    "check_affine_invariance",
    "check_relabelling_invariance",
    "check_pure_among_mixed",
    "check_nash_is_correlated",
    "check_same_equilibria",
]


def _fail(message: str):
    raise AssertionError(message)


def check_nash_equilibrium(game, equilibrium, tol: float = 1e-9) -> None:
    """The profile is a Nash equilibrium of ``game``: regret <= tol, probabilities valid,
    and the stored payoffs and regret match a recomputation from the game."""
    strategies = [np.asarray(s, dtype=float) for s in equilibrium.strategies]
    for i, s in enumerate(strategies):
        if s.shape != (game.num_actions[i],):
            _fail(f"strategy of player {i} has shape {s.shape}, expected "
                  f"({game.num_actions[i]},)")
        if s.min() < -tol or abs(s.sum() - 1) > tol:
            _fail(f"strategy of player {i} is not a probability vector: {s}")
    regret = game.regret(strategies)
    if regret > tol:
        _fail(f"regret {regret:.3g} exceeds tol {tol:g} at {strategies}")
    pay = game.expected_payoffs(strategies)
    if np.max(np.abs(pay - np.asarray(equilibrium.payoffs))) > max(tol, 1e-9) * max(
            1.0, float(np.abs(pay).max())):
        _fail(f"stored payoffs {equilibrium.payoffs} differ from expected payoffs {pay}")
    if abs(float(equilibrium.regret) - regret) > max(tol, 1e-9):
        _fail(f"stored regret {equilibrium.regret} differs from recomputed regret {regret}")


def check_nash_result(game, result, tol: float | None = None) -> None:
    """Every equilibrium of a NashResult passes :func:`check_nash_equilibrium` (at the
    relative ``tol`` times the largest per-player payoff scale, in payoff units), and the
    result's own ``verify()`` agrees (per player, relative: ``tol`` is relative, as the
    solvers' is; default the result's)."""
    tol = result.tol if tol is None else tol
    for eq in result:
        check_nash_equilibrium(game, eq, max(tol, 1e-12) * float(np.max(eq.scales)))
    cert = result.verify(tol=tol)
    if not cert.ok:
        _fail(f"NashResult.verify() failed: {cert}")


def _key(strategies, decimals: int = 6):
    return tuple(tuple(np.round(np.asarray(s, dtype=float), decimals) + 0.0) for s in strategies)


def check_same_equilibria(first, second, decimals: int = 6, what: str = "") -> None:
    """Two lists of equilibria (or of strategy tuples) hold the same profiles."""
    a = sorted(_key(getattr(e, "strategies", e), decimals) for e in first)
    b = sorted(_key(getattr(e, "strategies", e), decimals) for e in second)
    if a != b:
        only_a = [k for k in a if k not in b]
        only_b = [k for k in b if k not in a]
        _fail(f"{what or 'equilibria'} differ: {len(a)} vs {len(b)}; only in the first: "
              f"{only_a[:3]}; only in the second: {only_b[:3]}")


def check_affine_invariance(game, solve, scale, shift, tol: float = 1e-9) -> None:
    """Positive affine maps u_i -> scale_i u_i + shift_i leave the equilibria unchanged.

    ``solve(game)`` returns a list of equilibria; ``scale`` (positive) and ``shift`` are one
    number or one per player.
    """
    N = game.n_players
    scale = np.broadcast_to(np.asarray(scale, dtype=float), (N,))
    shift = np.broadcast_to(np.asarray(shift, dtype=float), (N,))
    if np.any(scale <= 0):
        raise ValueError("check_affine_invariance: scale must be positive")
    payoffs = np.asarray(game.payoffs)
    mapped = game.replace(payoffs=scale.reshape((N,) + (1,) * N) * payoffs
                          + shift.reshape((N,) + (1,) * N))
    check_same_equilibria(solve(game), solve(mapped), decimals=6,
                          what=f"equilibria before and after the affine map (scale {scale}, "
                               f"shift {shift})")


def check_relabelling_invariance(game, solve, permutations) -> None:
    """Relabelling actions (a permutation per player) permutes the equilibria accordingly.

    ``permutations[i]`` lists player i's actions in their new order.
    """
    N = game.n_players
    perms = [np.asarray(p, dtype=int) for p in permutations]
    payoffs = np.asarray(game.payoffs)[(slice(None),) + np.ix_(*perms)]
    relabelled = game.replace(payoffs=np.ascontiguousarray(payoffs),
                              actions=[[game.actions[i][a] for a in perms[i]]
                                       for i in range(N)])
    back = []
    for eq in solve(relabelled):
        strategies = []
        for i, s in enumerate(eq.strategies):
            original = np.empty_like(np.asarray(s, dtype=float))
            original[perms[i]] = s
            strategies.append(original)
        back.append(tuple(strategies))
    check_same_equilibria(solve(game), back, what="equilibria before and after relabelling")


def check_pure_among_mixed(game, mixed_result, tol: float = 1e-9) -> None:
    """Every pure equilibrium (from :func:`paxgame.pure_nash`) is among the mixed ones."""
    found = {_key(e.strategies) for e in mixed_result}
    for profile in pg.pure_nash(game, tol=tol):
        strategies = [np.eye(m)[a] for m, a in zip(game.num_actions, profile)]
        if _key(strategies) not in found:
            _fail(f"pure equilibrium {tuple(int(a) for a in profile)} is missing from the "
                  f"{len(mixed_result)} equilibria of method {mixed_result.method!r}")


def check_nash_is_correlated(game, equilibrium, tol: float = 1e-9) -> None:
    """The product distribution of a Nash equilibrium satisfies every obedience constraint.

    Obedience (Aumann 1974), computed here from its definition: for each player i and
    actions r != d, sum over the others' profiles a of p(r, a) (u_i(r, a) - u_i(d, a)) >= 0.
    """
    dist = np.asarray(equilibrium.strategies[0], dtype=float)
    for s in equilibrium.strategies[1:]:
        dist = np.multiply.outer(dist, np.asarray(s, dtype=float))
    for i, u in enumerate(game.payoffs):
        m = dist.shape[i]
        p = np.moveaxis(dist, i, 0).reshape(m, -1)                # p[r, a]
        v = np.moveaxis(np.asarray(u, dtype=float), i, 0).reshape(m, -1)  # u_i[d, a]
        cross = p @ v.T                                            # [r, d]
        slack = np.diag(cross)[:, None] - cross                    # follow r rather than d
        np.fill_diagonal(slack, np.inf)
        rec, dev = np.unravel_index(int(np.argmin(slack)), slack.shape)
        if slack[rec, dev] < -tol:
            _fail(f"the Nash product violates obedience of player {i} (recommended "
                  f"{int(rec)}, deviation {int(dev)}) by {-slack[rec, dev]:.3g}")

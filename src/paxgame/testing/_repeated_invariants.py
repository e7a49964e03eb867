"""Invariant checks for subgame-perfect payoff sets (the theory page "Invariants").

Each ``check_*`` raises ``AssertionError`` with a precise message when the invariant fails.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

import paxgame as pg

__all__ = ["check_contains_stage_nash", "check_individually_rational",
           "check_subset", "check_nested_sets", "check_self_generating"]


def _tol(ps, tol):
    scale = float(np.max(np.abs(ps.stage_payoffs))) if ps.stage_payoffs is not None else 1.0
    return tol * max(scale, 1.0)


def _pure_minmax(pay: np.ndarray) -> np.ndarray:
    """Each player's pure minmax value, min over the others' profiles of max over her own
    actions, from the definition."""
    return np.array([np.moveaxis(u, i, 0).max(axis=0).min() for i, u in enumerate(pay)])


def _hull_distance(points: np.ndarray, generators: np.ndarray) -> np.ndarray:
    """Sup-norm distance of each point to the convex hull of ``generators`` (one small LP
    per point: min t with |G^T lam - x| <= t, lam in the simplex), independent of the
    solvers' polygon code."""
    K, N = generators.shape
    c = np.zeros(K + 1)
    c[-1] = 1.0
    ones = np.ones((N, 1))
    A_ub = np.block([[generators.T, -ones], [-generators.T, -ones]])
    A_eq = np.append(np.ones(K), 0.0)[None]
    out = np.empty(len(points))
    for j, x in enumerate(points):
        res = linprog(c, A_ub=A_ub, b_ub=np.concatenate([x, -x]), A_eq=A_eq, b_eq=[1.0],
                      bounds=[(0, None)] * (K + 1), method="highs")
        if res.status != 0:
            raise AssertionError(f"the distance LP of point {x} failed: {res.message}")
        out[j] = res.fun
    return out


def check_contains_stage_nash(ps, game, tol: float = 1e-7) -> None:
    """Every pure stage Nash equilibrium payoff lies in the SPE payoff set."""
    pay = np.asarray(game.payoffs, float)
    for idx in pg.pure_nash(game):
        point = pay[(slice(None),) + tuple(idx)]
        if ps.is_empty:
            raise AssertionError(f"the {ps.method} set is empty but the stage equilibrium "
                                 f"{tuple(int(i) for i in idx)} gives the SPE payoff {point}")
        dist = float(ps.distance(point[None])[0]) if ps.method != "outer" or \
            ps.n_players == 2 else 0.0
        if ps.method == "outer" and ps.n_players > 2:
            if not ps.contains(point, _tol(ps, tol)):
                raise AssertionError(f"stage equilibrium payoff {point} is outside the outer "
                                     f"set")
        elif dist > _tol(ps, tol):
            raise AssertionError(f"stage equilibrium payoff {point} (profile "
                                 f"{tuple(int(i) for i in idx)}) is at distance {dist:.3g} "
                                 f"from the {ps.method} set")


def check_individually_rational(ps, game, tol: float = 1e-7) -> None:
    """The set lies in the feasible set and above every player's pure minmax value
    (for a common discount factor; with unequal ones V may leave the feasible set)."""
    pay = np.asarray(game.payoffs, float)
    if ps.is_empty:
        return
    mm = _pure_minmax(pay)
    low = ps.vertices.min(axis=0)
    bad = np.flatnonzero(low < mm - _tol(ps, tol))
    if bad.size:
        i = int(bad[0])
        raise AssertionError(f"player {i}'s lowest payoff in the {ps.method} set is {low[i]}, "
                             f"below the pure minmax value {mm[i]}")
    if ps.n_players == 2:
        dist = _hull_distance(ps.vertices, pay.reshape(2, -1).T)
        if dist.max() > _tol(ps, tol):
            j = int(np.argmax(dist))
            raise AssertionError(f"vertex {ps.vertices[j]} of the {ps.method} set is outside "
                                 f"the feasible set (sup-norm distance {dist[j]:.3g})")


def check_subset(small, large, tol: float = 1e-7, what: str = "") -> None:
    """Every vertex of ``small`` lies in ``large`` (within tol × the payoff scale)."""
    if small.is_empty:
        return
    if large.is_empty:
        raise AssertionError(f"{what or small.method} set is non-empty but the "
                             f"{large.method} set is empty")
    t = _tol(large, tol)
    inside = large.contains(small.vertices, t)
    if not np.all(inside):
        j = int(np.flatnonzero(~inside)[0])
        d = float(large.distance(small.vertices[j][None])[0])
        raise AssertionError(f"{what or small.method} vertex {small.vertices[j]} lies outside "
                             f"the {large.method} set (distance {d:.3g} > {t:.3g})")


def check_nested_sets(inner, exact, outer, tol: float = 1e-6) -> None:
    """inner ⊆ exact ⊆ outer."""
    check_subset(inner, exact, tol, "inner")
    check_subset(exact, outer, tol, "exact")


def check_self_generating(ps, tol: float | None = None) -> None:
    """The set's verify() certificate holds (APS self-generation of its vertices)."""
    cert = ps.verify(tol=tol)
    if not cert.ok:
        raise AssertionError(f"the {ps.method} set failed its certificate: {cert} "
                             f"(failures {cert.failures()})")

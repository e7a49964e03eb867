"""Invariant checks for TU solvers (the theory page "Invariants"), raising AssertionError on failure.

>>> import paxgame as pg
>>> from paxgame.testing.invariants import check_tu_solution_concepts
>>> check_tu_solution_concepts(pg.glove_game(1, 2))
"""

from __future__ import annotations

import numpy as np

import paxgame as pg

__all__ = ["check_shapley_axioms", "check_nucleolus_in_core", "check_stability_consistency",
           "check_tu_batch_matches_scalar", "check_tu_solution_concepts"]


def _fail(message: str):
    raise AssertionError(message)


def _scale(tu) -> float:
    return max(1.0, float(np.abs(tu.values).max()))


def check_shapley_axioms(tu, tol: float = 1e-8) -> None:
    """Efficiency, symmetry, dummy (and null player) of the exact Shapley value; additivity
    against the game plus its own scaled copy and a unanimity game."""
    v = tu.values
    n = tu.num_players
    tol = tol * _scale(tu)
    phi = pg.shapley(tu).value
    if abs(phi.sum() - v[-1]) > tol:
        _fail(f"Shapley efficiency: sum phi = {phi.sum()!r} but v(N) = {v[-1]!r}")
    masks = np.arange(1 << n)
    for i in range(n):
        without = masks[(masks >> i) & 1 == 0]
        marg = v[without | (1 << i)] - v[without]
        if np.all(np.abs(marg - v[1 << i]) <= tol) and abs(phi[i] - v[1 << i]) > tol:
            _fail(f"Shapley dummy: player {i} adds v(i) = {v[1 << i]!r} to every coalition "
                  f"but phi_i = {phi[i]!r}")
        for j in range(i + 1, n):
            both = masks[((masks >> i) & 1 == 0) & ((masks >> j) & 1 == 0)]
            if np.all(np.abs(v[both | (1 << i)] - v[both | (1 << j)]) <= tol) and \
                    abs(phi[i] - phi[j]) > tol:
                _fail(f"Shapley symmetry: players {i} and {j} are symmetric but phi = "
                      f"{phi[i]!r}, {phi[j]!r}")
    unanimity = np.where((masks & 1) == 1, 1.0, 0.0)  # u_{player 0}
    other = pg.TUGame(unanimity + 0.0)
    total = pg.TUGame(v + unanimity)
    lhs = pg.shapley(total).value
    rhs = phi + pg.shapley(other).value
    if np.max(np.abs(lhs - rhs)) > tol:
        _fail(f"Shapley additivity: phi(v + w) = {lhs} but phi(v) + phi(w) = {rhs}")


def check_nucleolus_in_core(tu, tol: float = 1e-7) -> None:
    """When the core is non-empty, the nucleolus lies in it; the result is Kohlberg-certified."""
    c = pg.core(tu)
    nuc = pg.nucleolus(tu)
    if nuc.status == "infeasible":
        return
    if not nuc.success:
        _fail(f"nucleolus: status {nuc.status!r} ({nuc.message})")
    if not nuc.verify():
        _fail(f"nucleolus: Kohlberg certificate failed: {nuc.verify()}")
    if c.nonempty:
        m = pg.core(tu, allocation=nuc.allocation, tol=tol * _scale(tu))
        if not m.in_core:
            _fail(f"nucleolus {nuc.allocation} is not in the non-empty core: coalition "
                  f"{m.most_violated_coalition} has excess {m.violation!r}")


def check_stability_consistency(tu, tol: float = 1e-7) -> None:
    """Cost of stability 0 iff the core is non-empty iff least-core eps <= 0."""
    tol = tol * _scale(tu)
    c = pg.core(tu)
    cos = pg.cost_of_stability(tu)
    if (cos.cost <= tol) != bool(c.nonempty):
        _fail(f"cost of stability {cos.cost!r} but core non-empty = {c.nonempty}")
    if tu.num_players >= 2:
        lc = pg.least_core(tu)
        if (lc.epsilon <= tol) != bool(c.nonempty):
            _fail(f"least-core eps {lc.epsilon!r} but core non-empty = {c.nonempty}")
    for name, res in (("core", c), ("cost_of_stability", cos)):
        cert = res.verify()
        if not cert:
            _fail(f"{name}: certificate failed: {cert}")


def check_tu_batch_matches_scalar(values, tol: float = 1e-9) -> None:
    """pg.batch.shapley / banzhaf on a stack equal the scalar solvers game by game."""
    values = np.asarray(values, dtype=float)
    sh = pg.batch.shapley(values)
    bz = pg.batch.banzhaf(values)
    for k, row in enumerate(values):
        tu = pg.TUGame(row)
        scale = max(1.0, float(np.abs(row).max()))
        a, b = pg.shapley(tu).value, pg.banzhaf(tu).value
        if np.max(np.abs(sh[k] - a)) > tol * scale or np.max(np.abs(bz[k] - b)) > tol * scale:
            _fail(f"batch row {k}: batch ({sh[k]}, {bz[k]}) != scalar ({a}, {b})")


def check_tu_solution_concepts(tu) -> None:
    """All of the above for one game."""
    check_shapley_axioms(tu)
    check_nucleolus_in_core(tu)
    check_stability_consistency(tu)

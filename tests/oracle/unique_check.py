"""The package's unique-target answers against the brute force of ``unique``.

Random small scenarios (two and three partners, every governance and revocation mode, with
and without adversary hazard, one instrument) and one partner; per scenario, for its
target, the disagreements (list of str, empty when they agree):

* an ``optimal`` answer: every equilibrium at the package's levels (enumerated by the
  oracle) keeps the partners in; their number is the package's ``n_equilibria``; the
  unique cost is not below the ordinary one; no grid package is cheaper (lexicographically:
  cost, then commitment); a reported ranking satisfies its inequalities on the oracle's
  model;
* an ``infeasible`` answer: no grid package meets the target;
* with one partner, the unique answer is never cheaper than the ordinary one.

Only the package's public attributes are read (``adapter``); ``pg`` is passed in.
"""

import math

import numpy as np

from . import adapter, scenarios
from .scenarios import lattice
from .unique import all_equilibria, cost_and_commitment, good, grid_minimum, ranking_gain

TARGETS = ("unique_participation", "unique_continuity")


def spec(ch):
    """A random small spec for the unique targets (one instrument)."""
    n = ch.choose((1, 2, 2, 2, 3))
    hazard = bool(ch.choose((0, 1, 0)))
    K = 1 if n == 3 else ch.choose((1, 1, 2))
    ins = [scenarios._instrument(ch, ch.choose(("bond", "bond", "costly_bond", "notice",
                                                "treaty")), covers=bool(ch.choose((0, 1))))]
    ins[0]["cap"] = ch.choose((math.inf, math.inf, 6.0))
    partners = [scenarios._partner(ch, K, hazard=hazard and (i == 0 or ch.choose((0, 1))))
                for i in range(n)]
    return dict(category=f"n{n}", delta=ch.choose((0.8, 0.9)),
                Pi=[[1.0]] if K == 1 else ch.choose(scenarios.TRANSITIONS),
                partners=partners, instruments=ins,
                governance=ch.choose(("bilateral", "collective")) if n > 1 else "bilateral",
                revocation=ch.choose(("targeted", "blanket")) if n > 1 else "targeted",
                screening=ch.choose((0.0, 0.5, 1.0)) if hazard else 1.0, horizon=3,
                levels=[[0.0]] * n, target=ch.choose(TARGETS))


def grid_values(sp):
    n, K = len(sp["partners"]), len(sp["Pi"])
    step = 0.5 if n == 1 else (1.0 if n == 2 and K == 1 else 2.0)
    return lattice(0.0, 12.0, step)


def check(sp, pg, grid=None):
    """Disagreements of one spec (see the module notes) and the package's result."""
    sc = adapter.to_scenario(sp, pg)
    d = adapter.from_scenario(sc)
    target = sp["target"]
    res = pg.minimum_assurance(sc, target=target)
    out = []
    values = grid_values(sp) if grid is None else grid
    n = len(sp["partners"])
    if res.status == "optimal":
        y = np.asarray(res.levels, dtype=float)
        eqs = all_equilibria(d, y)
        if not eqs or not all(good(d, s, target) for s in eqs):
            out.append("package levels leave a bad equilibrium (or none) on the oracle")
        if len(eqs) != res.n_equilibria:
            out.append(f"n_equilibria: oracle {len(eqs)}, package {res.n_equilibria}")
        cost, com = cost_and_commitment(d, y)
        if abs(cost - res.total_cost) > 1e-9 * (1 + abs(cost)):
            out.append(f"total_cost: oracle {cost}, package {res.total_cost}")
        ordn = res.ordinary
        if ordn.status == "optimal" and res.total_cost < ordn.total_cost - 1e-9 * (
                1 + abs(ordn.total_cost)):
            out.append(f"unique cost {res.total_cost} below ordinary {ordn.total_cost}")
        if ordn.status == "optimal" and not math.isclose(
                res.price_of_uniqueness, res.total_cost - ordn.total_cost, rel_tol=1e-12,
                abs_tol=1e-12):
            out.append("price_of_uniqueness is not the difference of the costs")
        cheaper = grid_minimum(d, target, values, below=(cost, com))
        if cheaper is not None:
            out.append(f"{'' if res.exact else 'not exact: '}grid package "
                       f"{cheaper[0].ravel().tolist()} (cost {cheaper[1]}, commitment "
                       f"{cheaper[2]}) beats the package's {y.ravel().tolist()} "
                       f"(cost {cost}, commitment {com})")
        if res.ranking:
            order = [res.partners.index(p) for p in res.ranking]
            for k, i in enumerate(order):
                for s in eqs:
                    g, tol = ranking_gain(d, y, s, order[:k], i)
                    if g < -tol:
                        out.append(f"ranking {res.ranking}: partner {i} gains {g} < 0")
                        break
    elif res.status == "infeasible":
        # the whole grid is searched: a coarser one with several partners
        found = grid_minimum(d, target, values if n == 1 else values[::2])
        if found is not None:
            out.append(f"package infeasible, grid package {found[0].ravel().tolist()} works")
    elif res.status != "unbounded":
        out.append(f"package status {res.status}: {res.message}")
    if n == 1 and res.status == "optimal" and res.ordinary.status == "optimal":
        if res.total_cost < res.ordinary.total_cost - 1e-9 or (
                res.total_cost <= res.ordinary.total_cost + 1e-9
                and res.commitment < res.ordinary.commitment - 1e-9):
            out.append("one partner: unique answer cheaper than the ordinary one")
    return out, res

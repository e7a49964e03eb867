"""Issue 17 item 3 for the cooperative results: ``verify()`` checks every field it reports.

A table tampers with one field of each cooperative result type at a time (with
``dataclasses.replace``) and expects ``verify()`` and ``verify(exact=True)`` to fail. The
table must name every dataclass field of every cooperative result type; the only field left
out is ``message`` (free text, not a claim). Bookkeeping counters that no re-check can
recompute (``lp_solves``, ``lp_seconds``, ``stages`` is checked against ``levels``) are
tampered with values no solve can produce (negative).
"""

import dataclasses

import numpy as np
import pytest

import paxgame as pg
from paxgame.cooperative import (BanzhafResult, CoreResult, CostOfStabilityResult,
                                 LeastCoreResult, NucleolusResult, PowerIndexResult,
                                 ShapleyResult)

#: Three players: any two produce 1, all three 1.5; player 0 alone 0.3 (the docs' example).
G3 = pg.TUGame([0, 0.3, 0, 1, 0, 1, 1, 1.5])
#: The same game with v(N) raised: a different game for the ``game`` field.
OTHER = pg.TUGame([0, 0.3, 0, 1, 0, 1, 1, 2.5])
#: Nucleolus (3, 1, 3) differs from the prenucleolus (5.5, -0.5, 2): found by a seeded search.
NUC = pg.TUGame([0, 3, 1, 6, 3, 9, 0, 7])
#: The core is non-empty by half a tolerance: min x(N) = 1 + 5e-10 <= v(N) + tol (tol = 1e-9).
_A = (1 + 5e-10) / 1.5
BOUNDARY = pg.TUGame([0, 0, 0, _A, 0, _A, _A, 1])
#: The three-player majority game: empty core.
MAJORITY = pg.weighted_voting([1, 1, 1], 2)

EXCLUDED = {"message"}


def _results():
    """(label, result, {field: tampered value})."""
    sh = pg.shapley(G3)
    sm = pg.shapley(G3, method="sample", n_samples=300, random_state=3)
    other_state = np.random.default_rng(4).bit_generator.state
    ba = pg.banzhaf(G3)
    ss = pg.shapley_shubik_index([4, 4, 4, 2, 2, 1], 12)
    bi = pg.banzhaf_index([4, 4, 4, 2, 2, 1], 12)
    co = pg.core(G3, allocation=[0.5, 0.5, 0.5])
    bd = pg.core(BOUNDARY)
    em = pg.core(MAJORITY)
    lc = pg.least_core(MAJORITY)
    cs = pg.cost_of_stability(MAJORITY)
    nu = pg.nucleolus(NUC)
    assert sh.verify() and sm.verify() and co.verify() and bd.verify() and em.verify()
    assert bd.nonempty and 1.5 * _A > 1.0 and em.status == "empty" and nu.success
    names = ("x", "y", "z")
    return [
        ("shapley exact", sh, {
            "value": sh.value + [0.1, -0.1, 0.0], "players": names, "method": "sample",
            "standard_error": np.zeros(3), "n_samples": 5, "efficiency_gap": 0.5,
            "sampler_state": other_state, "game": OTHER, "status": "uncertified"}),
        ("shapley sample", sm, {
            "value": sm.value + [0.01, -0.01, 0.0], "players": names, "method": "exact",
            "standard_error": sm.standard_error * 2, "n_samples": sm.n_samples + 1,
            "efficiency_gap": 0.5, "sampler_state": other_state, "game": OTHER,
            "status": "not_converged"}),
        ("banzhaf", ba, {"value": ba.value + [0.1, -0.1, 0.0], "players": names,
                         "game": OTHER, "status": "uncertified"}),
        ("shapley-shubik", ss, {
            "index": ss.index[::-1].copy(), "kind": "banzhaf", "swings": ss.swings + 1,
            "players": tuple("abcdef"), "game": pg.weighted_voting([4, 4, 4, 2, 2, 1], 13),
            "status": "empty"}),
        ("banzhaf index", bi, {
            "index": bi.index[::-1].copy(), "kind": "shapley_shubik", "swings": bi.swings + 1,
            "players": tuple("abcdef"), "game": pg.weighted_voting([4, 4, 4, 2, 2, 1], 13),
            "status": "empty"}),
        ("core with allocation", co, {
            "nonempty": False, "point": co.point + [0.1, -0.1, 0.0],
            "min_total": co.min_total + 0.1, "balanced_weights": {1: 1.0, 6: 1.0},
            "allocation": np.array([0.6, 0.4, 0.5]), "in_core": not co.in_core,
            "most_violated": 1, "violation": co.violation + 0.1, "players": names,
            "lp_solves": -1, "game": OTHER, "status": "empty"}),
        # the core is non-empty by half a tolerance: claiming it empty must fail
        ("core at the boundary", bd, {
            "nonempty": False, "point": None, "min_total": bd.min_total + 0.01,
            "balanced_weights": {3: 1.0}, "status": "empty"}),
        ("empty core", em, {
            "nonempty": True, "point": np.array([0.5, 0.5, 0.5]),
            "min_total": em.min_total - 0.2, "balanced_weights": {1: 1.0, 2: 1.0, 4: 1.0},
            "status": "optimal"}),
        ("least core", lc, {
            "epsilon": lc.epsilon + 0.1, "point": lc.point + [0.1, -0.1, 0.0],
            "balanced_weights": {3: 1.0}, "players": names, "lp_solves": -1,
            "game": OTHER, "status": "inaccurate"}),
        ("cost of stability", cs, {
            "cost": cs.cost + 0.1, "allocation": cs.allocation + [0.1, 0.0, 0.0],
            "balanced_weights": {7: 1.0}, "players": names, "lp_solves": -1,
            "game": OTHER, "status": "not_converged"}),
        ("nucleolus", nu, {
            "allocation": nu.allocation + [0.1, -0.1, 0.0], "domain": "preimputation",
            "levels": [x + 0.1 for x in nu.levels], "fixed": [np.array([1])] * len(nu.fixed),
            "kohlberg": {**nu.kohlberg, "kohlberg": 0.5}, "players": names,
            "lp_solves": -1, "lp_seconds": -1.0, "stages": nu.stages + 1, "game": OTHER,
            "status": "infeasible"}),
    ]


CASES = [(label, result, field, value) for label, result, table in _results()
         for field, value in table.items()]


@pytest.mark.parametrize("label,result,field,value", CASES,
                         ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_tampered_field_fails_verify(label, result, field, value):
    bad = dataclasses.replace(result, **{field: value})
    cert = bad.verify()
    assert not cert.ok, f"{label}: tampering {field} passed verify(): {cert}"
    assert cert.failures(), str(cert)
    cert = bad.verify(exact=True)
    assert not cert.ok, f"{label}: tampering {field} passed verify(exact=True): {cert}"


def test_table_covers_every_field_of_every_cooperative_result():
    covered: dict[type, set] = {}
    for _, result, table in _results():
        covered.setdefault(type(result), set()).update(table)
    types = (ShapleyResult, BanzhafResult, PowerIndexResult, CoreResult, LeastCoreResult,
             CostOfStabilityResult, NucleolusResult)
    assert set(covered) == set(types)
    for cls in types:
        fields = {f.name for f in dataclasses.fields(cls)} - EXCLUDED
        assert fields <= covered[cls], f"{cls.__name__}: {sorted(fields - covered[cls])}"


def test_untampered_results_pass():
    for label, result, _ in _results():
        assert result.verify().ok, label
        # the boundary core is non-empty within tol only: exactly, its point is blocked
        assert result.verify(exact=True).ok == (label != "core at the boundary"), label

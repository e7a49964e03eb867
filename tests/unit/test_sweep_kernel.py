"""Sweeps on the exact-state kernel: equilibrium sweeps of the essay's scenarios equal the
scalar solver point by point, assurance sweeps report every instrument, the direct
parameter path builds the same arrays as Scenario.replace, a point-by-point assurance
sweep warns once, and a killed equilibrium sweep resumes to the same bytes."""

import warnings

import numpy as np
import pytest

import paxgame as pg
from paxgame.errors import PerformanceWarning
from paxgame.revocation import batch as rbatch
from paxgame.revocation.arrays import ScenarioArrays
from paxgame.sweep import evaluate_equilibrium

xr = pytest.importorskip("xarray")

MANAGED = "games/scenarios/managed_interdependence.toml"
HAWK = "partners.ally A.revocation_gain.hawkish"


def test_equilibrium_sweep_of_a_collective_scenario_equals_solve():
    sc = pg.load(MANAGED)
    grid = {"discount": [0.7, 0.9], HAWK: [5.0, 24.0, 60.0]}
    q = ["any_revocation_probability", "participation", "continuity", "status", "exact",
         "revocation_probability:ally A", "exit_probability:uncertain partner"]
    res = pg.sweep(sc, grid, q, evaluator=evaluate_equilibrium, chunk=4)
    for a, d in enumerate(grid["discount"]):
        for b, g in enumerate(grid[HAWK]):
            eq = pg.solve(sc.replace(**{"discount": d, HAWK: g}))
            ds = res.dataset.isel(discount=a, **{HAWK: b})
            assert float(ds["any_revocation_probability"]) == eq.any_revocation_probability
            assert float(ds["revocation_probability:ally A"]) == eq.revocation_probability[0]
            assert float(ds["exit_probability:uncertain partner"]) == eq.exit_probability[2]
            assert bool(ds["participation"]) == bool(eq.stay.all())
            assert bool(ds["continuity"]) == bool(eq.stay.all() and eq.maintain.all())
            assert int(ds["status"]) == 0 and bool(ds["exact"]) == eq.exact


def test_unknown_equilibrium_quantity_names_the_choices():
    sc = pg.load(MANAGED)
    with pytest.raises(ValueError, match="revocation_probability:ally A"):
        pg.sweep(sc, {"discount": [0.9]}, "revocation_probability:ally Z",
                 evaluator=evaluate_equilibrium)


@pytest.mark.parametrize("name", ["revocation_order", "managed_interdependence", "adoption"])
def test_direct_parameters_build_the_arrays_replace_builds(name):
    sc = pg.load(f"games/scenarios/{name}.toml")
    who = sc.partner_names[-1]
    params = {"discount": np.array([0.8, 0.85, 0.9]),
              f"partners.{who}.revocation_gain.hawkish": np.array([1.0, 7.5, 30.0]),
              "partners[*].revocation_loss": np.array([2.0, 2.0, 9.0])}
    if sc.instruments:
        params[f"instruments.{sc.instrument_names[0]}.cap"] = np.array([3.0, 50.0, 7.0])
    shape, build = rbatch.scenario_points("t", sc, params)
    assert shape == (3,)
    fast = build(0, 2) + build(2, 3)
    base = rbatch._flat_fields(ScenarioArrays.from_scenario(sc))
    for n, v in params.items():  # every parameter took the direct path
        assert rbatch._direct_positions(sc, base, n, [float(v[0]), float(v[-1])])
    for k, ar in enumerate(fast):
        ref = ScenarioArrays.from_scenario(sc.replace(**{n: v[k].item()
                                                         for n, v in params.items()}))
        for f in ("delta", "transition", "access", "outside", "loss", "provider_flow",
                  "gain", "hazard", "collateral", "cap", "precision", "horizon", "start"):
            assert np.array_equal(getattr(ar, f), getattr(ref, f)), f
        for c in ar.coef:
            assert np.array_equal(ar.coef[c], ref.coef[c])


def test_assurance_sweep_reports_every_instrument_and_warns_once():
    sc = pg.load("games/scenarios/adoption.toml")
    grid = {"discount": [0.85, 0.9], "partners.0.revocation_gain.hawkish": [10.0, 12.0]}
    names = sc.instrument_names
    q = [f"{k}:{j}" for k in ("amount", "cost", "level_low", "level_high") for j in names]
    q += ["status", "exact", "revocation_probability", "total_cost"]
    rbatch._WARNED.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = pg.sweep(sc, grid, q, target="participation")
        pg.sweep(sc, grid, ["status"], target="participation")
    perf = [w for w in caught if issubclass(w.category, PerformanceWarning)]
    assert len(perf) == 1 and "point by point" in str(perf[0].message)
    one = pg.minimum_assurance(sc.replace(**{"discount": 0.9,
                                             "partners.0.revocation_gain.hawkish": 12.0}))
    ds = res.dataset.isel(discount=1, **{"partners.0.revocation_gain.hawkish": 1})
    unit = (np.array([i.carry - i.coproduction for i in sc.instruments]) / (1 - 0.9))
    for j, name in enumerate(names):
        assert float(ds[f"amount:{name}"]) == one.amount[j]
        assert float(ds[f"cost:{name}"]) == pytest.approx(one.amount[j] * unit[j], abs=1e-12)
        assert float(ds[f"level_low:{name}"]) == one.level_range[:, j, 0].sum()
        assert float(ds[f"level_high:{name}"]) == one.level_range[:, j, 1].sum()
    assert float(ds["revocation_probability"]) == one.equilibrium.any_revocation_probability
    assert int(ds["status"]) == 0 and bool(ds["exact"]) == one.exact


def test_killed_equilibrium_sweep_resumes_to_the_same_bytes(tmp_path):
    sc = pg.load(MANAGED)
    grid = {"discount": np.linspace(0.7, 0.95, 6), HAWK: np.linspace(0.0, 40.0, 5)}
    q = ["any_revocation_probability", "status"]
    full = pg.sweep(sc, grid, q, evaluator=evaluate_equilibrium, chunk=7)
    calls = {"n": 0}

    def dying(scenario, params, quantities, target):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # killed in the middle of the run
        return evaluate_equilibrium(scenario, params, quantities, target)

    ck = tmp_path / "ck"
    with pytest.raises(KeyboardInterrupt):
        pg.sweep(sc, grid, q, evaluator=dying, chunk=7, checkpoint=ck)
    again = pg.sweep(sc, grid, q, evaluator=dying, chunk=7, checkpoint=ck)
    assert again.resumed_points > 0
    for name in q:
        assert again.dataset[name].values.tobytes() == full.dataset[name].values.tobytes()

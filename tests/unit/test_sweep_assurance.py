"""Sweeps of the minimum assurance with the batch kernel: the scalar solver agrees, and the
result is identical for every chunk size and scheduler (serial, processes, Dask)."""

import numpy as np
import pytest

import paxgame as pg

xr = pytest.importorskip("xarray")

SCENARIO = "games/scenarios/plural_dependencies.toml"
GAIN = "partners.0.revocation_gain.hawkish"
GRID = {"discount": np.linspace(0.6, 0.98, 23), GAIN: np.linspace(0.0, 40.0, 19)}
Q = ["amount", "constructible", "total_cost"]


@pytest.fixture(scope="module")
def sc():
    return pg.load(SCENARIO)


@pytest.fixture(scope="module")
def serial(sc):
    return {t: pg.sweep(sc, GRID, Q, target=t, chunk=64) for t in ("participation",
                                                                   "continuity")}


def same(a, b):
    assert a.dataset.identical(b.dataset)
    for q in a.dataset.data_vars:
        assert a.dataset[q].values.tobytes() == b.dataset[q].values.tobytes()


@pytest.mark.parametrize("target", ["participation", "continuity"])
def test_agrees_with_the_scalar_solver(sc, serial, target):
    ds = serial[target].dataset
    rng = np.random.default_rng(7)
    for _ in range(12):
        i, j = rng.integers(23), rng.integers(19)
        d, g = float(GRID["discount"][i]), float(GRID[GAIN][j])
        ref = pg.minimum_assurance(sc.replace(**{"discount": d, GAIN: g}), target=target)
        got = float(ds["amount"].values[i, j])
        assert bool(ds["constructible"].values[i, j]) == bool(ref.constructible)
        if ref.constructible:
            assert got == pytest.approx(float(ref.amount.sum()), abs=1e-9)
        else:
            assert np.isnan(got)


def test_continuity_costs_at_least_participation(serial):
    part = serial["participation"].dataset["amount"].values
    cont = serial["continuity"].dataset["amount"].values
    both = np.isfinite(part) & np.isfinite(cont)
    assert both.any()
    assert np.all(cont[both] >= part[both] - 1e-9)


def test_assurance_does_not_fall_with_the_hawkish_gain(serial):
    amount = serial["continuity"].dataset["amount"].values
    diffs = np.diff(np.where(np.isfinite(amount), amount, np.inf), axis=1)
    assert np.all(np.nan_to_num(diffs, nan=0.0, posinf=0.0) >= -1e-9)


@pytest.mark.parametrize("chunk", [1, 37, 10_000])
def test_chunk_size_does_not_change_the_result(sc, serial, chunk):
    same(pg.sweep(sc, GRID, Q, target="participation", chunk=chunk), serial["participation"])


def test_process_pool_equals_serial(sc, serial):
    res = pg.sweep(sc, GRID, Q, target="participation", chunk=50, scheduler="processes",
                   workers=2)
    same(res, serial["participation"])


def test_dask_local_cluster_equals_serial(sc, serial):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        res = pg.sweep(sc, GRID, Q, target="continuity", chunk=80, scheduler="dask")
        assert len(client.scheduler_info()["workers"]) == 2
    same(res, serial["continuity"])


def test_unknown_quantity_names_the_choices(sc):
    with pytest.raises(ValueError, match="unknown quantity 'amont' \\(did you mean 'amount'"):
        pg.sweep(sc, GRID, "amont")


def test_unknown_parameter_is_refused_before_any_work(sc):
    with pytest.raises(ValueError, match="unknown parameter 'dicount'"):
        pg.sweep(sc, {"dicount": [0.5]})


def test_process_pool_writes_the_checkpoint_that_a_serial_run_resumes(sc, serial, tmp_path):
    first = pg.sweep(sc, GRID, Q, target="participation", chunk=40, scheduler="processes",
                     workers=2, checkpoint=tmp_path)
    assert first.computed_points == 23 * 19
    again = pg.sweep(sc, GRID, Q, target="participation", chunk=40, checkpoint=tmp_path)
    assert again.computed_points == 0
    same(again, serial["participation"])

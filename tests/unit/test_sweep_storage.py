"""Sweep outputs never delete a user's files, and a store says whether it is complete.

Regression tests for the data-safety findings: ``--out X.zarr`` once removed a user's
directory of that name with everything in it, and a store whose writer was killed opened as
complete with unfinished points reading as valid answers.
"""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import paxgame as pg
from paxgame import StoreError, storage
from paxgame.cli import main

xr = pytest.importorskip("xarray")
pytest.importorskip("zarr")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLURAL = os.path.join(ROOT, "games", "scenarios", "plural_dependencies.toml")
GRID = {"discount": [0.8, 0.85, 0.9]}


def users_directory(path):
    path.mkdir()
    (path / "thesis.txt").write_text("three years of work")
    (path / "sub").mkdir()
    (path / "sub" / "data.csv").write_text("1,2,3")
    return path


def untouched(path):
    return ((path / "thesis.txt").read_text() == "three years of work"
            and (path / "sub" / "data.csv").read_text() == "1,2,3")


@pytest.fixture(scope="module")
def sc():
    return pg.load(PLURAL)


def test_sweep_out_refuses_a_users_directory(tmp_path, sc):
    target = users_directory(tmp_path / "important.zarr")
    with pytest.raises(StoreError, match="non-empty directory that paxgame did not write"):
        pg.sweep(sc, GRID, out=target)
    assert untouched(target)


def test_save_refuses_a_users_directory_even_with_overwrite(tmp_path, sc):
    target = users_directory(tmp_path / "important.zarr")
    res = pg.sweep(sc, GRID)
    with pytest.raises(StoreError, match="paxgame did not write"):
        res.save(target, overwrite=True)
    assert untouched(target)


def test_cli_sweep_refuses_a_users_directory_with_exit_2(tmp_path, capsys):
    target = users_directory(tmp_path / "important.zarr")
    for extra in ([], ["--overwrite"]):
        code = main(["sweep", PLURAL, "--grid", "discount=0.8:0.9:3", "--out", str(target),
                     *extra])
        assert code == 2
        assert "did not write" in capsys.readouterr().err
        assert untouched(target)


def test_symlink_and_plain_file_targets_are_refused_with_exit_2(tmp_path, capsys):
    real = users_directory(tmp_path / "real")
    link = tmp_path / "link.zarr"
    link.symlink_to(real, target_is_directory=True)
    plain = tmp_path / "notes"
    plain.write_text("keep me")
    for out in (link, plain):
        code = main(["sweep", PLURAL, "--grid", "discount=0.8:0.9:3", "--out", str(out)])
        assert code == 2, capsys.readouterr()
        capsys.readouterr()
    assert untouched(real) and plain.read_text() == "keep me"


def test_a_paxgame_store_is_replaced_only_when_asked_or_by_the_same_sweep(tmp_path, sc):
    target = tmp_path / "s.zarr"
    pg.sweep(sc, GRID, out=target)
    pg.sweep(sc, GRID, out=target)  # the same sweep again: same numbers, allowed
    other = {"discount": [0.7, 0.75]}
    with pytest.raises(StoreError, match="holds a paxgame store already"):
        pg.sweep(sc, other, out=target)
    res = pg.sweep(sc, other, out=target, overwrite=True)
    assert res["amount"].shape == (2,)
    assert pg.SweepResult.open(target)["discount"].values.tolist() == [0.7, 0.75]


def test_netcdf_is_replaced_only_when_asked_or_by_the_same_sweep(tmp_path, sc):
    target = tmp_path / "s.nc"
    target.write_text("a user's file")
    res = pg.sweep(sc, GRID)
    for overwrite in (False, True):  # a user's file is never replaced, even when asked
        with pytest.raises(StoreError, match="is not a sweep paxgame saved"):
            res.save(target, overwrite=overwrite)
        assert target.read_text() == "a user's file"
    target.unlink()
    res.save(target)
    res.save(target)  # it holds this sweep: rewriting it is harmless
    other = pg.sweep(sc, {"discount": [0.7, 0.75]})
    with pytest.raises(StoreError, match="exists; pass overwrite=True"):
        other.save(target)
    other.save(target, overwrite=True)  # a sweep paxgame saved may be replaced when asked
    assert pg.SweepResult.open(target)["amount"].shape == (2,)


def test_complete_store_has_marker_and_no_computed_variable_in_the_result(tmp_path, sc):
    target = tmp_path / "s.zarr"
    res = pg.sweep(sc, GRID, out=target)
    assert storage.store_state(target)["complete"] is True
    assert "computed" not in res.dataset
    assert "computed" not in pg.SweepResult.open(target)


def test_a_zarr_directory_without_marker_is_refused_by_the_reader(tmp_path, sc):
    foreign = tmp_path / "foreign.zarr"
    pg.sweep(sc, GRID).dataset.to_zarr(foreign, consolidated=False)
    with pytest.raises(StoreError, match="not a store written by paxgame"):
        pg.SweepResult.open(foreign)


KILLED = textwrap.dedent("""
    import os, sys, numpy as np
    import paxgame as pg
    from paxgame.sweep import evaluate_assurance
    calls = {"n": 0}
    def evaluator(sc, params, quantities, target):
        calls["n"] += 1
        if calls["n"] == 3:
            os.kill(os.getpid(), 9)
        return evaluate_assurance(sc, params, quantities, target)
    sc = pg.load(sys.argv[1])
    pg.sweep(sc, {"discount": np.linspace(0.8, 0.95, 20)}, chunk=4, out=sys.argv[2],
             evaluator=evaluator)
""")


def test_a_killed_streamed_sweep_reads_as_incomplete_with_points_missing(tmp_path):
    target = tmp_path / "killed.zarr"
    script = tmp_path / "killed.py"
    script.write_text(KILLED)
    proc = subprocess.run([sys.executable, str(script), PLURAL, str(target)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == -9, proc.stderr
    assert storage.store_state(target)["complete"] is False
    with pytest.raises(StoreError, match="is incomplete"):
        pg.SweepResult.open(target)
    ds = pg.SweepResult.open(target, partial=True)
    amount = ds["amount"].values
    assert ds["amount"].shape == (20,)
    assert np.isnan(amount[8:]).all()  # the chunks never written are missing, not answers
    full = pg.sweep(pg.load(PLURAL), {"discount": np.linspace(0.8, 0.95, 20)})
    np.testing.assert_array_equal(amount[:8], full["amount"].values[:8])
    code = main(["plot", str(target), "--out", str(tmp_path / "fig.png")])
    assert code == 2 and not (tmp_path / "fig.png").exists()


def test_marker_is_json_with_the_fingerprint(tmp_path, sc):
    target = tmp_path / "s.zarr"
    res = pg.sweep(sc, GRID, out=target)
    found = json.loads((target / storage.MARKER).read_text())
    assert found["fingerprint"] == res.fingerprint and found["complete"] is True

"""Command-line regressions of issues 18 and 20: sizes refused before allocation, integer
grids, bounded figures, no abbreviated options, JSON on every error, unused options refused."""

import json

import numpy as np
import pytest

import paxgame as pg
from paxgame import cli

PLURAL = "games/scenarios/plural_dependencies.toml"
GLOVE = "games/cooperative/glove.toml"


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("spec, message", [
    ("discount=0:1:10000000000", "asks for 10000000000 values; at most 10,000,000"),
    ("discount=0:1:1e10", "NUM a positive integer"),
    ("discount=0:inf:3", "START and STOP must be finite"),
])
def test_a_huge_or_bad_axis_is_refused_before_allocation(tmp_path, capsys, spec, message):
    code, _, err = run(capsys, "sweep", PLURAL, "--grid", spec, "--out", tmp_path / "a.nc")
    assert code == 2 and message in err and "internal error" not in err


def test_a_huge_grid_is_refused_with_its_size(tmp_path, capsys):
    code, _, err = run(capsys, "sweep", PLURAL, "--grid", "discount=0.1:0.9:1000000",
                       "--grid", "screening=0:1:1000000", "--out", tmp_path / "a.zarr")
    assert code == 2 and "1000000 x 1000000 = 1e+12 points" in err
    code, _, err = run(capsys, "sweep", PLURAL, "--grid", "discount=0.1:0.9:100000",
                       "--grid", "screening=0:1:10000", "--out", tmp_path / "a.nc")
    assert code == 2 and "GiB of results in memory" in err and "Zarr" in err
    assert not (tmp_path / "a.nc").exists() and not (tmp_path / "a.zarr").exists()


def test_the_api_refuses_a_grid_too_large_for_memory():
    sc = pg.load(PLURAL)
    with pytest.raises(ValueError, match="sweep: the grid has 100000 x 10000"):
        pg.sweep(sc, {"discount": np.linspace(0.1, 0.9, 100_000),
                      "screening": np.linspace(0, 1, 10_000)})


def test_the_horizon_can_be_swept(tmp_path, capsys):
    code, out, _ = run(capsys, "sweep", PLURAL, "--grid", "horizon=5:40:8",
                       "--quantity", "amount", "--out", tmp_path / "h.nc", "--json")
    assert code == 0, out
    ds = pg.SweepResult.open(tmp_path / "h.nc")
    assert ds["horizon"].dtype.kind == "i"
    assert ds["horizon"].values.tolist() == [5, 10, 15, 20, 25, 30, 35, 40]
    # the same numbers as the Python API with an integer array
    api = pg.sweep(pg.load(PLURAL), {"horizon": np.arange(5, 41, 5)})
    np.testing.assert_array_equal(ds["amount"].values, api["amount"].values)
    code, _, err = run(capsys, "sweep", PLURAL, "--grid", "horizon=5:40:4",
                       "--out", tmp_path / "h2.nc")
    assert code == 2 and "horizon must be a positive integer" in err
    # a float parameter with whole-number values stays a float grid
    code, _, _ = run(capsys, "sweep", PLURAL, "--grid", f"{'partners.0.revocation_gain.hawkish'}"
                     f"=0:40:5", "--out", tmp_path / "g.nc")
    assert code == 0
    assert pg.SweepResult.open(tmp_path / "g.nc")[
        "partners.0.revocation_gain.hawkish"].dtype.kind == "f"


@pytest.mark.parametrize("dpi, message", [("100000", "--dpi must lie in 1..2400"),
                                          ("0", "--dpi must lie in 1..2400"),
                                          ("-5", "--dpi must lie in 1..2400")])
def test_plot_dpi_is_bounded(tmp_path, capsys, dpi, message):
    code, _, err = run(capsys, "plot", GLOVE, "--out", tmp_path / "f.png", "--dpi", dpi)
    assert code == 2 and message in err
    assert not (tmp_path / "f.png").exists()


def test_plot_pixel_count_is_bounded(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from paxgame import plot

    fig = plt.figure(figsize=(80, 60))
    try:
        with pytest.raises(ValueError, match="more than 100,000,000 pixels"):
            plot.save(fig, tmp_path / "big.png", dpi=2400)
    finally:
        plt.close(fig)
    assert not (tmp_path / "big.png").exists()


@pytest.mark.parametrize("flag", ["--js", "--jso", "--jsn", "--deb", "--out-", "--gri"])
def test_abbreviations_are_errors(tmp_path, capsys, flag):
    code, out, err = run(capsys, "solve", GLOVE, flag)
    assert code == 2 and "unrecognized arguments" in err and out == ""


@pytest.mark.parametrize("argv", [
    ["solve", GLOVE, "--json=1"],
    ["solve", "no/such/file.toml", "--json"],
    ["solve", GLOVE, "--method", "support", "--json"],
    ["--json", "nonsense"],
    ["sweep", PLURAL, "--grid", "discount=0:1:0", "--out", "x.nc", "--json"],
])
def test_every_error_is_json_when_json_is_asked_for(capsys, argv):
    code, out, _ = run(capsys, *argv)
    payload = json.loads(out)
    assert code == 2 and payload["exit_code"] == 2 and payload["message"]


def test_json_gives_json_on_success_in_every_accepted_position(capsys):
    for argv in (["--json", "solve", GLOVE], ["solve", "--json", GLOVE],
                 ["solve", GLOVE, "--json"]):
        code, out, _ = run(capsys, *argv)
        assert code == 0 and json.loads(out)["kind"] == "tu"


@pytest.mark.parametrize("argv, flag", [
    (["solve", GLOVE, "--method", "vertex"], "--method"),
    (["solve", PLURAL, "--method", "support"], "--method"),
    (["plot", GLOVE, "--out", "{tmp}/f.png", "--target", "continuity"], "--target"),
    (["plot", PLURAL, "--out", "{tmp}/f.png", "--quantity", "amount"], "--quantity"),
    (["plot", PLURAL, "--out", "{tmp}/f.png", "--chunk", "5"], "--chunk"),
    (["plot", "{tmp}/s.nc", "--out", "{tmp}/f.png", "--grid", "discount=0.8:0.9:2"],
     "--grid"),
    (["plot", "{tmp}/s.nc", "--out", "{tmp}/f.png", "--target", "continuity"], "--target"),
    (["sweep", PLURAL, "--grid", "discount=0.8:0.9:2", "--out", "{tmp}/o.nc", "--workers",
      "2"], "--workers"),
    (["sweep", PLURAL, "--grid", "discount=0.8:0.9:2", "--out", "{tmp}/o.nc", "--format",
      "zarr"], "--format"),
])
def test_options_unused_for_the_file_kind_are_errors(tmp_path, capsys, argv, flag):
    pg.sweep(pg.load(PLURAL), {"discount": [0.8, 0.9]}).save(tmp_path / "s.nc")
    code, out, err = run(capsys, *[a.format(tmp=tmp_path) for a in argv])
    assert code == 2 and flag in err, err
    assert not (tmp_path / "f.png").exists() and not (tmp_path / "o.nc").exists()


def test_regime_games_still_take_method(capsys):
    code, out, _ = run(capsys, "solve", "games/repeated/calm_and_crisis.toml",
                       "--method", "enumerate", "--json")
    assert code == 0 and json.loads(out)["kind"] == "regime"


@pytest.mark.parametrize("kind", ["text", "dev-zero", "directory"])
def test_plot_of_a_file_that_is_not_netcdf_exits_2(tmp_path, capsys, kind):
    # found by the CLI fuzz: OSError "NetCDF: Unknown file format" was exit 3
    path = tmp_path / "notes.nc"
    if kind == "text":
        path.write_text("a user's notes")
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    code, out, err = run(capsys, "plot", path, "--out", tmp_path / "f.png", "--json")
    assert code == 2 and json.loads(out)["error"] == "StoreError"
    assert "internal error" not in err


@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_convert_refuses_an_output_that_is_not_a_regular_file(tmp_path, capsys, kind):
    # found by the CLI fuzz: converting into a FIFO blocked forever (no reader)
    import os

    out = tmp_path / "out.toml"
    os.mkfifo(out) if kind == "fifo" else out.mkdir()
    code, _, err = run(capsys, "convert", "games/classic/prisoners_dilemma.toml", out)
    assert code == 2 and "is not a regular file" in err

"""The ``paxgame`` command: every sub-command, ``--json``, exit codes and one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import paxgame as pg
from paxgame import cli

ROOT = Path(__file__).resolve().parents[2]
PLURAL = "games/scenarios/plural_dependencies.toml"
GAIN = "partners.0.revocation_gain.hawkish"


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv):
    code, out, err = run(capsys, *argv, "--json")
    return code, json.loads(out), err


# --------------------------------------------------------------------------- solve

def test_solve_scenario_prints_the_report(capsys):
    code, out, err = run(capsys, "solve", PLURAL)
    assert code == 0 and err == ""
    assert out == pg.format_report(pg.load(PLURAL)).rstrip("\n") + "\n"


def test_solve_scenario_json_carries_both_targets(capsys):
    code, out, _ = run_json(capsys, "solve", PLURAL)
    ref = pg.minimum_assurance(pg.load(PLURAL), target="continuity")
    assert code == 0 and out["kind"] == "revocation" and out["exit_code"] == 0
    assert out["assurance"]["continuity"]["amount"] == pytest.approx(list(ref.amount))
    assert set(out["assurance"]) == {"participation", "continuity"}


def test_solve_tu_game(capsys):
    tu = pg.load("games/cooperative/glove.toml")
    code, out, _ = run_json(capsys, "solve", "games/cooperative/glove.toml")
    assert code == 0 and out["kind"] == "tu"
    np.testing.assert_allclose(out["shapley"], pg.shapley(tu).value)
    np.testing.assert_allclose(out["nucleolus"], pg.nucleolus(tu).allocation, atol=1e-9)
    code, text, _ = run(capsys, "solve", "games/cooperative/glove.toml")
    assert "Shapley" in text and "cost of stability" in text


def test_solve_repeated_game_lists_the_payoff_set(capsys):
    path = "games/repeated/prisoners_dilemma_d09.toml"
    code, out, _ = run_json(capsys, "solve", path)
    ps = pg.load(path).payoff_set(method=out["method"])
    assert code == 0 and out["kind"] == "repeated"
    np.testing.assert_allclose(np.array(out["vertices"]), np.asarray(ps.vertices))


def test_solve_regime_game(capsys):
    code, out, _ = run_json(capsys, "solve", "games/repeated/calm_and_crisis.toml")
    assert code == 0 and out["kind"] == "regime" and out["markov_equilibria"]


@pytest.mark.skipif(not hasattr(pg, "nash"), reason="stage solvers not available")
def test_solve_prisoners_dilemma(capsys):
    # Issue 2: the single equilibrium (defect, defect) with its payoffs and regret 0.
    code, out, _ = run(capsys, "solve", "games/classic/prisoners_dilemma.toml")
    assert code == 0
    assert "Nash equilibria (support): 1" in out
    assert out.count("defect") >= 2 and "regret 0" in out


@pytest.mark.skipif(not hasattr(pg, "nash"), reason="stage solvers not available")
def test_solve_chicken_has_three_equilibria_and_a_correlated_one(capsys):
    code, out, _ = run_json(capsys, "solve", "games/classic/chicken.toml")
    assert code == 0 and len(out["equilibria"]) == 3
    assert out["correlated"]["status"] == "optimal"
    assert all(eq["regret"] <= 1e-9 for eq in out["equilibria"])


# --------------------------------------------------------------------------- assurance

def test_assurance_matches_the_solver(capsys):
    sc = pg.load(PLURAL)
    code, out, _ = run_json(capsys, "assurance", PLURAL, "--target", "continuity")
    ref = pg.minimum_assurance(sc, target="continuity")
    assert code == 0 and out["constructible"] is True and out["target"] == "continuity"
    assert out["amount"] == pytest.approx(list(ref.amount))
    code, text, _ = run(capsys, "assurance", PLURAL)
    assert "Minimum credible assurance (participation)" in text


def test_assurance_not_constructible_exits_1(tmp_path, capsys):
    sc = pg.load(PLURAL).replace(instruments=[{"name": "bond", "carry": 0.5}])
    res = pg.minimum_assurance(sc, target="continuity")
    assert not res.constructible
    path = tmp_path / "costly.toml"
    pg.save(sc, path)
    code, out, _ = run_json(capsys, "assurance", path, "--target", "continuity")
    assert code == 1 and out["constructible"] is False and out["reason"]


def test_assurance_of_a_tu_file_is_invalid_input(capsys):
    code, out, err = run(capsys, "assurance", "games/cooperative/glove.toml")
    assert code == 2 and out == ""
    assert err == ("paxgame: assurance: games/cooperative/glove.toml is a TUGame file, not a "
                   "revocation scenario (kind = \"revocation\")\n")


# --------------------------------------------------------------------------- sweep

def test_sweep_writes_a_labelled_dataset_and_resumes(tmp_path, capsys):
    args = ["sweep", PLURAL, "--grid", "discount=0.8:0.95:4", "--grid", f"{GAIN}=5,10,20",
            "--quantity", "amount,constructible", "--target", "continuity", "--out", tmp_path,
            "--checkpoint", "--chunk", "5"]
    code, out, _ = run_json(capsys, *args)
    assert code == 0 and out["computed_points"] == 12 and out["resumed_points"] == 0
    ds = pg.SweepResult.open(tmp_path / "sweep.nc")
    assert ds["amount"].dims == ("discount", GAIN)
    ref = pg.sweep(pg.load(PLURAL), {"discount": np.linspace(0.8, 0.95, 4),
                                     GAIN: [5.0, 10.0, 20.0]}, "amount", target="continuity")
    assert ds["amount"].values.tobytes() == ref["amount"].values.tobytes()
    assert (tmp_path / "checkpoint" / "manifest.json").is_file()
    code, out, _ = run_json(capsys, *args)
    assert code == 0 and out["computed_points"] == 0 and out["resumed_points"] == 12


def test_sweep_to_zarr(tmp_path, capsys):
    code, out, _ = run(capsys, "sweep", PLURAL, "--grid", "discount=0.8:0.9:3", "--out",
                       tmp_path / "s.zarr")
    assert code == 0 and "written to" in out
    assert pg.SweepResult.open(tmp_path / "s.zarr")["amount"].shape == (3,)


@pytest.mark.parametrize("spec, message", [
    ("discount", "sweep: --grid 'discount' must look like NAME=START:STOP:NUM or "
                 "NAME=V1,V2,..."),
    ("discount=0.5:0.9", "sweep: --grid 'discount=0.5:0.9' must look like NAME=START:STOP:NUM "
                         "(NUM a positive integer) or NAME=V1,V2,..."),
    ("discount=0.5:0.9:0", "sweep: --grid 'discount=0.5:0.9:0' must look like "
                           "NAME=START:STOP:NUM (NUM a positive integer) or NAME=V1,V2,..."),
])
def test_bad_grid_is_one_line_and_exit_2(tmp_path, capsys, spec, message):
    code, out, err = run(capsys, "sweep", PLURAL, "--grid", spec, "--out", tmp_path / "o")
    assert code == 2 and out == "" and err == f"paxgame: {message}\n"
    assert not (tmp_path / "o").exists()


def test_sweep_checkpoint_of_another_grid_is_refused(tmp_path, capsys):
    base = ["sweep", PLURAL, "--out", tmp_path, "--checkpoint"]
    assert run(capsys, *base, "--grid", "discount=0.8:0.9:3")[0] == 0
    code, _, err = run(capsys, *base, "--grid", "discount=0.8:0.9:4")
    assert code == 2 and "belongs to another sweep" in err and err.count("\n") == 1


# --------------------------------------------------------------------------- plot

@pytest.mark.parametrize("path", [
    "games/scenarios/revocation_order.toml",
    "games/cooperative/glove.toml",
])
def test_plot_writes_a_png(tmp_path, capsys, path):
    out_png = tmp_path / "fig.png"
    code, out, _ = run_json(capsys, "plot", path, "--out", out_png)
    assert code == 0 and out_png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_heatmap_from_grid_and_from_saved_sweep(tmp_path, capsys):
    code, _, _ = run(capsys, "plot", PLURAL, "--grid", "discount=0.7:0.95:6", "--grid",
                     f"{GAIN}=0:30:5", "--quantity", "amount,constructible", "--out",
                     tmp_path / "a.png")
    assert code == 0 and (tmp_path / "a.png").stat().st_size > 1000
    run(capsys, "sweep", PLURAL, "--grid", "discount=0.7:0.95:6", "--grid", f"{GAIN}=0:30:5",
        "--out", tmp_path)
    code, out, _ = run_json(capsys, "plot", tmp_path / "sweep.nc", "--out", tmp_path / "b.png")
    assert code == 0 and out["figure"] == "assurance heatmap"


def test_plot_needs_an_image_suffix(tmp_path, capsys):
    code, _, err = run(capsys, "plot", "games/cooperative/glove.toml", "--out",
                       tmp_path / "fig.txt")
    assert code == 2 and "must end in .png, .pdf or .svg" in err


# --------------------------------------------------------------------------- convert

@pytest.mark.skipif(not (hasattr(pg, "write_nfg") and hasattr(pg, "save")),
                    reason="io writers not available")
def test_convert_round_trip(tmp_path, capsys):
    src = "games/classic/chicken.toml"
    assert run(capsys, "convert", src, tmp_path / "c.nfg")[0] == 0
    assert run(capsys, "convert", tmp_path / "c.nfg", tmp_path / "c.toml")[0] == 0
    a, b = pg.load(src), pg.load(tmp_path / "c.toml")
    for x, y in zip(a.payoffs, b.payoffs):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))


def test_convert_repeated_game_to_toml(tmp_path, capsys):
    src, out = "games/repeated/prisoners_dilemma_d06.toml", tmp_path / "pd.toml"
    code, _, err = run(capsys, "convert", src, out)
    assert code == 0 and err == ""
    assert pg.load(out) == pg.load(src)


def test_convert_rejects_unknown_target_and_non_normal_form(tmp_path, capsys):
    code, _, err = run(capsys, "convert", "games/classic/chicken.toml", tmp_path / "c.csv")
    assert code == 2 and err == "paxgame: convert: unknown output type '.csv'; use .toml or .nfg\n"
    code, _, err = run(capsys, "convert", PLURAL, tmp_path / "c.nfg")
    assert code == 2 and "only normal-form games can be written as .nfg" in err


# --------------------------------------------------------------------------- bench

def test_bench_outside_a_checkout_is_a_clear_error(monkeypatch, capsys):
    monkeypatch.setattr(cli, "find_checkout", lambda *a, **k: None)
    code, out, err = run(capsys, "bench", "--quick")
    assert code == 2 and out == ""
    assert err.startswith("paxgame: bench: no benchmarks/ folder found") and err.count("\n") == 1


def test_find_checkout(tmp_path):
    assert cli.find_checkout(ROOT / "docs", package_dir=tmp_path) == ROOT
    assert cli.find_checkout(tmp_path, package_dir=tmp_path) is None


def test_bench_runs_the_suite_in_the_checkout(monkeypatch, capsys):
    calls = []

    class Done:
        returncode, stdout, stderr = 0, "| table |", ""

    def fake_run(cmd, cwd, **kw):
        calls.append((cmd, cwd))
        return Done()

    monkeypatch.setattr(cli.subprocess, "run", fake_run)
    code, out, _ = run_json(capsys, "bench", "--quick", "--only", "revocation")
    assert code == 0 and out["table"] == "| table |"
    assert calls == [([sys.executable, "-m", "benchmarks.run", "--quick", "--only",
                       "revocation"], ROOT)]
    Done.returncode = 1
    code, _, err = run(capsys, "bench")
    assert code == 1 and "the benchmark suite failed (exit 1)" in err


# --------------------------------------------------------------------------- errors

def test_missing_file_is_one_line_exit_2(capsys):
    code, out, err = run(capsys, "solve", "no/such/file.toml")
    assert (code, out, err) == (2, "", "paxgame: load: no/such/file.toml: no such file\n")


def test_json_errors_are_json(capsys):
    code, out, _ = run_json(capsys, "solve", "no/such/file.toml")
    assert code == 2 and out == {"error": "FileNotFoundError", "exit_code": 2,
                                 "message": "load: no/such/file.toml: no such file"}


def test_debug_shows_the_traceback(capsys):
    with pytest.raises(FileNotFoundError):
        cli.main(["solve", "no/such/file.toml", "--debug"])


def test_internal_errors_exit_3(monkeypatch, capsys):
    def broken(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "cmd_solve", broken)
    code, _, err = run(capsys, "solve", PLURAL)
    assert code == 3 and err.startswith("paxgame: internal error (ZeroDivisionError)")


@pytest.mark.parametrize("argv, message", [
    ([], "the following arguments are required: COMMAND"),
    (["solve"], "solve: the following arguments are required: file"),
    (["frobnicate"], "argument COMMAND: invalid choice: 'frobnicate'"),
    (["assurance", PLURAL, "--target", "always"], "assurance: argument --target: invalid "
                                                  "choice: 'always'"),
])
def test_usage_errors_are_one_line_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.startswith(f"paxgame: {message}")
    assert err.count("\n") == 1


def test_help_exits_0(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "sweep" in out and "Exit codes" in out


def test_console_script_in_a_subprocess():
    proc = subprocess.run([sys.executable, "-m", "paxgame.cli", "solve",
                           "games/cooperative/glove.toml", "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["kind"] == "tu"
    proc = subprocess.run([sys.executable, "-m", "paxgame.cli", "solve", "missing.toml"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr == "paxgame: load: missing.toml: no such file\n"


def test_missing_optional_dependency_names_the_extra(monkeypatch, capsys):
    def needs_matplotlib(args):
        raise ModuleNotFoundError("No module named 'matplotlib'", name="matplotlib")

    monkeypatch.setattr(cli, "cmd_solve", needs_matplotlib)
    code, _, err = run(capsys, "solve", PLURAL)
    assert code == 2
    assert err == ("paxgame: matplotlib is not installed; this command needs the 'plot' extra: "
                   "pip install 'paxgame[plot]'\n")


def test_tu_game_without_imputations_exits_1_with_null_nucleolus(capsys):
    # games/cooperative/airport.toml: sum of v(i) exceeds v(N), so no imputation exists and
    # the nucleolus has status "infeasible"; the Shapley value is still reported.
    code, out, _ = run_json(capsys, "solve", "games/cooperative/airport.toml")
    assert code == 1 and out["status"]["nucleolus"] == "infeasible"
    assert out["nucleolus"] == [None, None, None] and None not in out["shapley"]

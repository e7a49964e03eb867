"""Issue 17 item 4 for the cooperative and game-file packages: an API-level fuzz.

Hypothesis drives every public cooperative and io function with random arguments, shapes,
dtypes and sizes (``scripts/api_fuzz_cooperative_io.py``); every exception must be a
ValueError/TypeError (GameFileError included; FileNotFoundError from a loader) whose message
is led by the public function's name. The suite makes a few hundred calls; the script runs
it at scale under an address-space limit.
"""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "api_fuzz_cooperative_io.py"
_spec = importlib.util.spec_from_file_location("api_fuzz_cooperative_io", SCRIPT)
fuzz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz)


def test_a_few_hundred_calls_raise_only_documented_errors():
    result = fuzz.run(400, seed=0)
    assert result["total"] == 400
    assert result["undocumented"] == 0, result["failures"][:10]
    # every entry point was called, and some calls succeed
    assert set(result["by_entry"]) == set(fuzz.ENTRIES)
    assert result["ok"] > 0 and result["documented"] > 0


@pytest.mark.parametrize("name,error,expected", [
    ("shapley", ValueError("shapley: n_samples must be at least 2, got 1"), "documented"),
    ("shapley", ValueError("Unknown method 'x' for shapley; choose one of: exact, sample"),
     "documented"),
    ("shapley", ValueError("TUGame: the empty coalition must be worth 0"), "undocumented"),
    ("core", MemoryError(), "undocumented"),
    ("core", IndexError("core: tuple index out of range"), "undocumented"),
    ("load", FileNotFoundError("load: x.toml: no such file"), "documented"),
    ("core", FileNotFoundError("core: x"), "undocumented"),
    ("loads_toml", ValueError("load: <string>: not valid TOML"), "documented"),
    ("batch.shapley", TypeError("batch.shapley: values must hold real numbers only"),
     "documented"),
    ("banzhaf", None, "ok"),
])
def test_classify(name, error, expected):
    assert fuzz.classify(name, error) == expected


def test_command_runs_under_a_memory_limit():
    out = subprocess.run([sys.executable, str(SCRIPT), "--budget", "40", "--seed", "3",
                          "--memory-gib", "4"], capture_output=True, text=True, cwd=ROOT,
                         timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "calls: 40 " in out.stdout and "UNDOCUMENTED: 0" in out.stdout

"""A small budget of the loader fuzzer (python -m paxgame.io.fuzz) in the test suite.

Hypothesis-generated TOML and .nfg inputs (valid, mutated, truncated, random bytes, mutated
copies of every file under games/) must load or raise a documented error.
"""

import pytest

from paxgame.errors import GameFileError
from paxgame.io import fuzz


def test_small_fuzz_budget_has_no_undocumented_exception(tmp_path):
    result = fuzz.run(200, seed=0, corpus=["games"], save=str(tmp_path))
    assert result["failures"] == [] and result["undocumented"] == 0
    assert result["total"] == 200
    assert result["loaded"] > 0 and result["documented"] > 0  # both outcomes exercised


def test_fuzz_command_exit_status_and_output(capsys):
    assert fuzz.main(["--budget", "20", "--seed", "3", "--corpus", "games"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("inputs: 20  loaded: ") and "UNDOCUMENTED: 0" in out


@pytest.mark.parametrize("error, outcome", [
    (None, "loaded"),
    (GameFileError("load: f.toml: key 'x': unknown key"), "documented"),
    (ValueError("NormalFormGame: players[1] must not be empty"), "documented"),
    (ValueError("could not convert string to float: 'x'"), "undocumented"),
    (KeyError("payoffs"), "undocumented"),
    (RecursionError("maximum recursion depth exceeded"), "undocumented"),
    (TypeError("unsupported operand type(s) for +: 'int' and 'str'"), "undocumented"),
])
def test_classify(error, outcome):
    assert fuzz.classify(error) == outcome


def test_run_rejects_a_bad_budget():
    with pytest.raises(ValueError, match="run: budget must be a positive integer, got 0"):
        fuzz.run(0)

"""Issue 17 item 4 for the stage, repeated and revocation packages: an API-level fuzz.

Hypothesis drives the public functions with random and hostile arguments
(``scripts/api_fuzz_stage_repeated_revocation.py``): every exception must be a
ValueError/TypeError led by the function's name, no call may hang, and no result labelled
optimal may fail its own ``verify()``. The suite makes a small number of calls; the script
runs it at scale. ``KNOWN`` lists the open findings of the scaled run (each is reported in
the issue); anything else fails.
"""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "api_fuzz_stage_repeated_revocation.py"
_spec = importlib.util.spec_from_file_location("api_fuzz_stage_repeated_revocation", SCRIPT)
fuzz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz)

#: Open findings: (entry, start of the detail) of errors not led by the entry's name, not
#: yet fixed (none at present: the messages of RepeatedGame and RegimeGame on a non-game and
#: of the batch kernels on an empty batch are now led by their own names).
KNOWN: list = []

#: Entries with open hang findings (calls beyond 20 s) are left to the script.
SLOW = {"logit_qre", "RepeatedGame.payoff_set"}


def test_a_hundred_calls_find_nothing_new():
    entries = sorted(set(fuzz.ENTRIES) - SLOW)
    result = fuzz.run(100, seed=0, entries=entries, call_seconds=60.0)
    assert result["total"] == 100
    new = [f for f in result["failures"]
           if not any(f[0] == e and f[2].startswith(d) for e, d in KNOWN)]
    assert not new, new[:10]
    assert result["ok"] > 0 and result["documented"] > 0


def test_classify():
    assert fuzz.classify("nash", ValueError("nash: tol must be >= 0")) == "documented"
    assert fuzz.classify("nash", ValueError("Unknown method 'x' for nash; choose one of: a")
                         ) == "documented"
    assert fuzz.classify("nash", ValueError("minmax: x")) == "undocumented"
    assert fuzz.classify("nash", IndexError("nash: x")) == "undocumented"
    assert fuzz.classify("nash", fuzz.CallTimeout()) == "hang"

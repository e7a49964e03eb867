"""Scenario 6 (the coalition as a TU game): pinned answers and an up-to-date docs page."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location(
        "_coalition_tu_answers", ROOT / "scripts" / "coalition_tu_answers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _script()
ANSWERS = SCRIPT.answers()

# Golden values (from the solvers when the scenario files were written; a change here means
# the solver or the files changed: explain it before updating them).
GOLDEN = {
    "anchor veto": dict(grand_value=8.831557, least_core_eps=-0.572028, cost_of_stability=0.0,
                        core_nonempty=True, veto=("anchor",),
                        shapley=[5.910425, 0.728981, 0.731586, 0.728981, 0.731586],
                        nucleolus=[6.438283, 0.624609, 0.572028, 0.624609, 0.572028]),
    "co-production": dict(grand_value=8.831557, least_core_eps=0.282416,
                          cost_of_stability=0.766754, core_nonempty=False, veto=(),
                          shapley=[2.418507, 2.204335, 2.344310, 0.940822, 0.923583],
                          nucleolus=[2.331569, 2.231212, 2.339683, 0.938760, 0.990333],
                          stabilising=[2.350231, 2.268992, 2.339683, 1.284357, 1.355047]),
}


@pytest.mark.parametrize("variant", list(GOLDEN))
def test_pinned_answers(variant):
    got, want = ANSWERS[variant], GOLDEN[variant]
    for key, value in want.items():
        if isinstance(value, list):
            assert got[key] == pytest.approx(value, abs=1e-5), key
        elif isinstance(value, float):
            assert got[key] == pytest.approx(value, abs=1e-5), key
        else:
            assert got[key] == value, key


def test_page_is_up_to_date():
    page = ROOT / "docs" / "scenarios" / "coalition_tu.rst"
    assert page.read_text(encoding="utf-8") == SCRIPT.render(ANSWERS), (
        "docs/scenarios/coalition_tu.rst is out of date: run "
        "python scripts/coalition_tu_answers.py")

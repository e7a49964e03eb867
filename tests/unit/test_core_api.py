"""The public API contract: names from DESIGN.md exist, results can all be re-verified."""

import importlib
import pkgutil

import pytest

import paxgame as pg
from paxgame._results import SolverResult

DESIGN_NAMES = [
    "NormalFormGame", "load", "read_nfg", "write_nfg", "from_nashpy", "nash", "pure_nash",
    "correlated", "minmax", "eliminate_dominated", "RepeatedGame", "minimum_transfer",
    "RegimeGame", "Scenario", "solve", "minimum_assurance", "hedge", "sweep", "TUGame",
    "shapley", "banzhaf", "core", "least_core", "nucleolus", "cost_of_stability",
    "weighted_voting", "bankruptcy", "capability_pool", "batch",
]
BATCH_NAMES = ["pure_nash", "support_enumeration", "critical_delta", "minimum_assurance",
               "shapley", "banzhaf"]


@pytest.mark.parametrize("name", DESIGN_NAMES)
def test_design_api_name_exists(name):
    assert hasattr(pg, name), f"paxgame.{name} is part of the public API (DESIGN.md)"
    assert name in pg.__all__


@pytest.mark.parametrize("name", BATCH_NAMES)
def test_batch_api_name_exists(name):
    assert callable(getattr(pg.batch, name, None)), f"paxgame.batch.{name} is missing"


def _all_result_classes():
    for info in pkgutil.walk_packages(pg.__path__, "paxgame."):
        if info.name.endswith(("cli", "fuzz")) or ".testing" in info.name:
            continue
        importlib.import_module(info.name)
    seen, stack = set(), [SolverResult]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return sorted(seen, key=lambda c: c.__qualname__)


def test_every_result_type_implements_verify():
    classes = _all_result_classes()
    assert classes, "no result classes found"
    missing = [c.__qualname__ for c in classes if c.verify is SolverResult.verify]
    assert not missing, f"result types without verify(): {missing}"

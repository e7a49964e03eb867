"""Test configuration shared by tests/, doctests in src/ and docs/.

Hypothesis runs under a deterministic profile ("ci": derandomized, no deadline) unless
HYPOTHESIS_PROFILE names another ("dev" for more examples, "fuzz" for the large budget).
Doctests run from the repository root so that paths like games/... resolve.
"""

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=40, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("dev", deadline=None, max_examples=200)
settings.register_profile("fuzz", deadline=None, max_examples=20_000,
                          suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture(autouse=True)
def _doctest_setup(doctest_namespace, monkeypatch):
    doctest_namespace["np"] = np
    monkeypatch.chdir(ROOT)
    np.set_printoptions(legacy=False)

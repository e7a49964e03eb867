"""Make the brute-force oracle in tests/oracle importable as ``oracle`` (the suite runs with
--import-mode=importlib, which puts no test directory on sys.path)."""

import os
import sys

_TESTS = os.path.dirname(os.path.abspath(__file__))
if _TESTS not in sys.path:
    sys.path.append(_TESTS)

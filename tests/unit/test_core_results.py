"""Certificates and the result base class."""

from fractions import Fraction

import pytest

from paxgame._results import Certificate, SolverResult, to_fraction_array


def test_certificate_from_violations():
    c = Certificate.from_violations({"regret": 1e-12, "slack": -0.5}, tol=1e-9)
    assert c.ok and bool(c)
    c = Certificate.from_violations({"regret": 1e-3}, tol=1e-9)
    assert not c and c.failures() == {"regret": 1e-3}
    assert "FAILED: regret" in str(c)


def test_exact_certificate_uses_zero_tolerance():
    c = Certificate.from_violations({"regret": Fraction(1, 10**12)}, tol=1e-9, exact=True)
    assert not c.ok and c.tol == 0.0 and c.exact


def test_base_result_status_and_unimplemented_verify():
    r = SolverResult(status="infeasible", message="no point")
    assert not r.success
    assert SolverResult().success
    with pytest.raises(NotImplementedError):
        r.verify()


def test_to_fraction_array_reads_decimals_exactly():
    out = to_fraction_array([0.1, 2, Fraction(1, 3)])
    assert list(out) == [Fraction(1, 10), Fraction(2), Fraction(1, 3)]

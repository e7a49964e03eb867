"""The unique targets against the brute force (tests/oracle/unique.py).

Random small scenarios (one and two partners, every governance and revocation mode, with
and without hazard, one instrument): the package's levels leave only good equilibria on the
oracle's enumeration (and as many as the package counts), no grid package is cheaper, the
unique cost is never below the ordinary one, a reported ranking satisfies its inequalities,
and an infeasible answer has no grid package meeting the target. The seeded script
``scripts/unique_crosscheck.py`` runs the same check on hundreds of scenarios with three
partners as well.
"""

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import paxgame as pg
from oracle import unique_check


class HypothesisChooser:
    def __init__(self, data):
        self.data = data

    def choose(self, seq):
        return self.data.draw(st.sampled_from(list(seq)))


@pytest.mark.parametrize("partners", (1, 2))
@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(data=st.data())
def test_unique_minimum_matches_the_brute_force(partners, data):
    sp = unique_check.spec(HypothesisChooser(data))
    assume(len(sp["partners"]) == partners and len(sp["Pi"]) == 1)
    msgs, res = unique_check.check(sp, pg)
    assert not msgs, f"{sp}\n" + "\n".join(msgs)
    assert res.status in ("optimal", "infeasible", "unbounded")

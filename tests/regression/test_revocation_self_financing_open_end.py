"""A self-financing instrument (co-production above carry) whose target region ends at an
open cut: once labelled ``optimal`` at the region's cheap-looking inner end (level 7.702)
while its own ``verify()`` found a cheaper level (local minimality). The cheapest package is
the largest level that meets the target; it lies just inside the cut at 19.4779, where the
selected equilibrium changes (found by ``tests/property/test_exact_certificates_every_type.py``
and reported under the issue of wrong answers labelled optimal)."""

import pytest

import paxgame as pg
from paxgame.games.scenario import Instrument, Partner, Scenario


def scenario():
    return Scenario(
        name="open end", discount=0.7, regime_names=["r0", "r1"],
        transition=[[0.5151515151515151, 0.48484848484848486],
                    [0.13043478260869565, 0.8695652173913043]],
        partners=[Partner(name="p0", access_value=3.5, outside_option=3.0,
                          revocation_loss=5.5, provider_value=[0.0, 1.75],
                          revocation_gain=[5.5, 9.0])],
        instruments=[Instrument(name="instrument", forfeit=0.1, compensation=1.0, carry=0.0,
                                coproduction=0.03, partner_flow=-0.1)])


def test_the_largest_level_meeting_participation_is_returned_and_verified():
    res = pg.minimum_assurance(scenario(), "participation")
    assert res.status == "optimal" and res.exact
    assert res.levels[0, 0] == pytest.approx(19.4779, abs=1e-3)
    assert res.verify().ok
    # just past the cut the target fails (the partner leaves)
    assert not pg.solve(scenario(), levels=[[19.5]]).stay.all()

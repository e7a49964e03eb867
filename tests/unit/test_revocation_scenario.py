"""Scenario: loading the file format, dotted replace, immutability, round trip, errors."""

import numpy as np
import pytest
import tomli_w

import paxgame as pg
from paxgame.io import loads_toml

ISSUE_EXAMPLE = """
kind = "revocation"
name = "Two regimes, one partner"
discount = 0.9
horizon = 10                  # periods for reported probabilities
governance = "bilateral"      # or "collective"
revocation = "targeted"       # or "blanket"
screening = 1.0               # precision: 1 hits only adversaries

[regimes]
names = ["cooperative", "hawkish"]
transition = [[0.875, 0.125], [0.25, 0.75]]
start = "cooperative"

[[partners]]
name = "partner"
access_value = 3.0            # v
outside_option = 1.2          # o
revocation_loss = 6.0         # L
provider_value = [1.0, 0.5]   # w, one per regime (a scalar means the same in every regime)
revocation_gain = [2.0, 12.0] # G, one per regime
adversary_hazard = 0.0
collateral_loss = 0.0

[[partners.sources]]          # optional: other stacks this partner can depend on (hedging)
name = "rival stack"
access_value = 2.2
revocation_loss = 6.0
revocation_probability = 0.3  # within the horizon; independent of the others unless a joint table is given
cap = 1.0

[[instruments]]               # optional: without any, the default is one enforced bond
name = "escrow bond"
preset = "bond"               # presets fill the coefficients below; explicit keys override them
forfeit = 1.0
compensation = 1.0
carry = 0.0
coproduction = 0.0
partner_flow = 0.0
cap = 1e9
enforced = true
covers_collateral = false
"""


def test_issue_file_format_is_accepted_exactly():
    sc = loads_toml(ISSUE_EXAMPLE, "example.toml")
    assert isinstance(sc, pg.Scenario)
    assert sc.regime_names == ("cooperative", "hawkish") and sc.n_partners == 1
    assert sc.partners[0].sources[0].name == "rival stack"
    assert sc.instruments[0].cap == 1e9
    np.testing.assert_array_equal(sc.partners[0].revocation_gain, [2.0, 12.0])


def test_one_regime_file_may_omit_regimes_and_scalars_broadcast():
    sc = pg.load("games/scenarios/innovation_sovereignty.toml")
    assert sc.n_regimes == 1 and sc.transition.shape == (1, 1)
    two = loads_toml(ISSUE_EXAMPLE.replace("provider_value = [1.0, 0.5]",
                                           "provider_value = 0.7"), "x.toml")
    np.testing.assert_array_equal(two.partners[0].provider_value, [0.7, 0.7])


@pytest.mark.parametrize("key", ["partners[0].revocation_gain[1]", "partners.0.revocation_gain.1",
                                 "partners.partner.revocation_gain.hawkish",
                                 "partners[partner].revocation_gain[hawkish]"])
def test_dotted_names_are_equivalent(key):
    sc = loads_toml(ISSUE_EXAMPLE, "x.toml")
    new = sc.replace(**{key: 20.0})
    np.testing.assert_array_equal(new.partners[0].revocation_gain, [2.0, 20.0])
    np.testing.assert_array_equal(sc.partners[0].revocation_gain, [2.0, 12.0])  # unchanged


def test_replace_top_level_nested_and_wildcard():
    sc = pg.load("games/scenarios/revocation_order.toml")
    assert sc.replace(discount=0.8).discount == 0.8
    P = [[0.5, 0.5], [0.5, 0.5]]
    np.testing.assert_array_equal(sc.replace(**{"regimes.transition": P}).transition, P)
    np.testing.assert_array_equal(sc.replace(transition=P).transition, P)
    allL = sc.replace(**{"partners[*].revocation_loss": 1.0})
    assert [p.revocation_loss for p in allL.partners] == [1.0, 1.0, 1.0]
    assert sc.replace(**{"instruments[0].cap": 3.0}).instruments[0].cap == 3.0
    assert sc.replace(**{"regimes.start": "hawkish"}).start == "hawkish"


def test_replace_errors_name_the_key():
    sc = pg.load("games/scenarios/revocation_order.toml")
    with pytest.raises(ValueError, match="unknown parameter 'dicount' \\(did you mean 'discount'"):
        sc.replace(dicount=0.5)
    with pytest.raises(ValueError, match="unknown partner 'nobody'"):
        sc.replace(**{"partners.nobody.access_value": 1.0})
    with pytest.raises(ValueError, match="unknown regime 'hawk'.*did you mean 'hawkish'"):
        sc.replace(**{"partners[0].revocation_gain.hawk": 1.0})
    with pytest.raises(ValueError, match="discount must lie in \\(0, 1\\)"):
        sc.replace(discount=1.0)


def test_scenario_is_immutable_and_comparable():
    sc = pg.load("games/scenarios/adoption.toml")
    with pytest.raises(Exception):
        sc.discount = 0.5
    with pytest.raises(ValueError):
        sc.transition[0, 0] = 0.0
    assert sc == pg.load("games/scenarios/adoption.toml")
    assert sc != sc.replace(discount=0.8)


@pytest.mark.parametrize("name", ["adoption", "innovation_sovereignty", "revocation_order",
                                  "managed_interdependence", "plural_dependencies"])
def test_scenario_files_round_trip_and_say_illustrative(name, tmp_path):
    path = f"games/scenarios/{name}.toml"
    sc = pg.load(path)
    assert "illustrative" in sc.description.lower()
    assert "illustrative" in open(path).read().lower()
    out = tmp_path / f"{name}.toml"
    out.write_text(tomli_w.dumps(sc.to_toml_dict()))
    assert pg.load(out) == sc


BAD = [
    ("discount = 0.9", "discount = 1.2", "key 'discount': must lie in (0, 1), got 1.2"),
    ("transition = [[0.875, 0.125], [0.25, 0.75]]", "transition = [[0.875, 0.125], [0.25, 0.7]]",
     "key 'regimes.transition': row 1 sums to 0.95, not 1 (tolerance 1e-9)"),
    ("transition = [[0.875, 0.125], [0.25, 0.75]]",
     "transition = [[1.125, -0.125], [0.25, 0.75]]",
     "key 'regimes.transition': entry [0, 0] is 1.125: probabilities must lie in [0, 1]"),
    ("revocation_loss = 6.0         # L", "revocation_loss = -6.0",
     "key 'partners[0].revocation_loss': must be non-negative, got -6.0"),
    ("adversary_hazard = 0.0", "adversary_hazard = 1.5",
     "key 'partners[0].adversary_hazard': must be a probability in [0, 1], got 1.5"),
    ("revocation_probability = 0.3", "revocation_probability = -0.3",
     "key 'partners[0].sources[0].revocation_probability': must be a probability in [0, 1]"),
    ("access_value = 3.0            # v", "acess_value = 3.0",
     "key 'partners[0].acess_value': unknown key (did you mean 'access_value'?)"),
    ("horizon = 10 ", "horizn = 10 ", "key 'horizn': unknown key (did you mean 'horizon'?)"),
    ("preset = \"bond\"", "preset = \"bnd\"",
     "key 'instruments[0].preset': unknown preset 'bnd' (did you mean 'bond'?)"),
    ("governance = \"bilateral\"", "governance = \"hub\"",
     "key 'governance': must be one of bilateral, collective, got 'hub'"),
    ("revocation_gain = [2.0, 12.0]", "revocation_gain = [2.0, 12.0, 3.0]",
     "key 'partners[0].revocation_gain': must have one entry per regime (2)"),
    ("start = \"cooperative\"", "start = \"cooperativ\"",
     "key 'regimes.start': 'cooperativ' is not a regime name (did you mean 'cooperative'?)"),
    ("provider_value = [1.0, 0.5]", "provider_value = [1.0, -0.5]",
     "key 'partners[0].provider_value': must be non-negative, entry 1 is -0.5"),
]


@pytest.mark.parametrize("old,new,message", BAD)
def test_bad_files_name_file_key_and_rule(old, new, message):
    assert old in ISSUE_EXAMPLE
    text = ISSUE_EXAMPLE.replace(old, new)
    with pytest.raises(pg.GameFileError) as err:
        loads_toml(text, "bad.toml")
    assert str(err.value).startswith("load: bad.toml: ")
    assert message in str(err.value)

"""The unique targets: every equilibrium of the exact-state game keeps the partners in.

One-partner closed form (derived in the theory page, section "Unique participation"): with
one regime, one enforced bond (forfeit 1, compensation theta, carry c) and v >= o, the
profile "the partner leaves in every regime, the provider revokes whoever stays" is an
equilibrium unless w - c a >= G - a or theta a >= L, so
a_u = min(max(0, (G - w) / (1 - c)), L / theta); the ordinary participation level is
min(max(0, G - w / (1 - delta)), L / theta) (with c = 0; Klein-Crawford-Alchian style hold-up
bond, the textbook case delta = 0.9, w = 1, G = 12, L = 6 giving 2).
"""

import dataclasses
import math

import numpy as np
import pytest

import paxgame as pg
from paxgame import cli
from paxgame.games.scenario import Instrument, Partner
from paxgame.kernels import revocation_unique as ku
from paxgame.revocation.arrays import ScenarioArrays


def one_partner(G=12.0, w=1.0, L=6.0, theta=1.0, carry=0.0, delta=0.9):
    p = Partner(name="partner", access_value=3.0, outside_option=1.2, revocation_loss=L,
                provider_value=w, revocation_gain=G)
    bond = Instrument(name="bond", preset="custom", forfeit=1.0, compensation=theta,
                      carry=carry)
    return pg.Scenario(partners=(p,), discount=delta, instruments=(bond,))


@pytest.mark.parametrize("G, w, L, theta, carry", [
    (12.0, 1.0, 6.0, 1.0, 0.0),    # textbook: ordinary 2, unique 6 (= L / theta)
    (5.0, 1.0, 8.0, 1.0, 0.0),     # ordinary 0, unique 4 (= G - w)
    (12.0, 1.0, 6.0, 0.5, 0.0),    # unique 11 (= G - w < L / theta = 12)
    (12.0, 1.0, 20.0, 1.0, 0.02),  # unique (G - w) / (1 - c) = 11.2244..., with carry
    (1.0, 1.0, 6.0, 1.0, 0.0),     # G = w: no assurance needed for either target
])
def test_one_partner_closed_form(G, w, L, theta, carry):
    sc = one_partner(G, w, L, theta, carry)
    res = pg.minimum_assurance(sc, target="unique_participation")
    want = min(max(0.0, (G - w) / (1 - carry)), L / theta)
    assert res.status == "optimal" and res.exact
    assert math.isclose(float(res.amount[0]), want, rel_tol=1e-7, abs_tol=1e-9)
    if carry == 0:
        ordinary = min(max(0.0, G - w / (1 - 0.9)), L / theta)
        assert math.isclose(float(res.ordinary.amount[0]), ordinary, rel_tol=1e-9,
                            abs_tol=1e-9)
    assert res.total_cost >= res.ordinary.total_cost - 1e-12
    assert res.verify().ok


def test_one_partner_targets_differ_regression():
    # The model notes say the targets coincide with one partner; they do not: at the
    # ordinary answer (a bond of 2) the game still has the equilibrium in which the partner
    # leaves and the provider revokes whoever stays.
    sc = one_partner()
    ar = ScenarioArrays.from_scenario(sc)
    eqs = ku.all_equilibria(ar.params(np.array([[2.0]])))
    stays = sorted(bool(st[1, 0, 0]) for st, _, _ in eqs.profiles)
    assert stays == [False, True]
    res = pg.minimum_assurance(sc, target="unique_continuity")
    assert res.amount.tolist() == [6.0] and res.ordinary.amount.tolist() == [2.0]
    assert res.n_equilibria == 1 and res.ranking == ("partner",)


def test_infeasible_when_the_ordinary_target_is():
    # a cap below every level that works: 2 is needed even for the ordinary target
    sc = one_partner().replace(**{"instruments[0].cap": 1.0})
    res = pg.minimum_assurance(sc, target="unique_participation")
    assert res.status == "infeasible" and not res.constructible and res.reason
    assert np.isnan(res.levels).all() and res.verify().ok


def test_cap_between_the_targets_is_infeasible_for_unique_only():
    sc = one_partner().replace(**{"instruments[0].cap": 4.0})
    assert pg.minimum_assurance(sc, target="participation").status == "optimal"
    res = pg.minimum_assurance(sc, target="unique_participation")
    assert res.status == "infeasible" and "partner" in res.reason
    assert res.verify().ok


def test_verify_catches_tampering():
    res = pg.minimum_assurance(one_partner(), target="unique_participation")
    assert res.verify().ok
    for change in (dict(price_of_uniqueness=0.5), dict(n_equilibria=2),
                   dict(levels=np.array([[5.0]]), amount=np.array([5.0]))):
        bad = dataclasses.replace(res, **change)
        assert not bad.verify().ok, change


def test_batch_and_unknown_target():
    out = pg.batch.minimum_assurance(
        target="unique_participation", discount=np.array([0.9, 0.95]), transition=[[1.0]],
        provider_value=1.0, revocation_gain=12.0, access_value=3.0, outside_option=1.2,
        revocation_loss=6.0)
    assert out.amount.round(9).tolist() == [6.0, 6.0]
    with pytest.raises(ValueError, match="unique_participation"):
        pg.minimum_assurance(one_partner(), target="unique_participatio")


TWO = """kind = "revocation"
name = "Two partners"
discount = 0.8
governance = "collective"

[[partners]]
name = "first"
access_value = 4.0
outside_option = 1.0
revocation_loss = 10.0
provider_value = 1.0
revocation_gain = 14.0

[[partners]]
name = "second"
access_value = 3.0
outside_option = 0.8
revocation_loss = 8.0
provider_value = 1.5
revocation_gain = 6.0

[[instruments]]
name = "bond"
preset = "custom"
forfeit = 1.0
compensation = 1.0
carry = 0.01
"""


def test_cli_prints_levels_ranking_and_price(capsys, tmp_path):
    path = tmp_path / "two.toml"
    path.write_text(TWO)
    code = cli.main(["assurance", str(path), "--target", "unique_participation"])
    out = capsys.readouterr().out
    assert code == 0
    assert "certificate: 1 pure Markov perfect equilibrium at these levels" in out
    assert "ranking (divide and conquer): second > first" in out
    res = pg.minimum_assurance(pg.load(path), target="unique_participation")
    assert res.price_of_uniqueness > 0.19 and res.verify().ok
    assert f"price of uniqueness: {res.price_of_uniqueness:.6g}" in out
    # the comparison table of paxgame solve --unique gains the row
    assert cli.main(["solve", str(path), "--unique"]) == 0
    out = capsys.readouterr().out
    assert "as given, every equilibrium (unique)" in out and "price of uniqueness 0.1953" in out

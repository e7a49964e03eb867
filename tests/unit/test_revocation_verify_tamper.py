"""verify() of ScenarioEquilibrium and AssuranceResult checks every field it reports.

Each test replaces one field with a wrong value (dataclasses.replace) and expects the
certificate to fail, in floats and in exact arithmetic. Fields that carry no claim (the
scenario itself, free-text messages, the method's name) are listed as exempt, and a table
test fails when a new field appears without a tamper case.
"""

import dataclasses

import numpy as np
import pytest

import paxgame as pg
from paxgame.games.scenario import Instrument, Partner, Scenario

P2 = np.array([[0.875, 0.125], [0.25, 0.75]])


def _two_regime(**kw):
    p = Partner(name="partner", access_value=3.0, outside_option=1.2, revocation_loss=6.0,
                provider_value=[1.0, 0.5], revocation_gain=[2.0, 12.0], **kw)
    return Scenario(partners=(p,), discount=0.9, regime_names=("coop", "hawk"), transition=P2,
                    instruments=(Instrument(name="bond", carry=0.01),
                                 Instrument.from_preset("coproduction", name="co-production",
                                                        cap=5.0)))


def _collective():
    ps = tuple(Partner(name=f"p{i}", access_value=3.0, outside_option=1.0,
                       revocation_loss=9.0, provider_value=1.0, revocation_gain=G)
               for i, G in enumerate([8.0, 1.0]))
    return Scenario(partners=ps, discount=0.8, governance="collective")


EQ_EXEMPT = {"status", "message", "scenario", "blocks", "partners", "regimes"}
EQ_TAMPER = {
    "stay": lambda a: ~np.asarray(a),
    "maintain": lambda a: ~np.asarray(a),
    "partner_value": lambda a: np.asarray(a) + 0.5,
    "exit_value": lambda a: np.asarray(a) * 1.1,
    "provider_value": lambda a: np.asarray(a) - 1.0,
    "revocation_probability": lambda a: np.clip(np.asarray(a) + 0.2, 0, 1) * 0.5 + 0.1,
    "exit_probability": lambda a: np.asarray(a) + 0.3,
    "any_revocation_probability": lambda a: 0.77,
    "horizon": lambda a: a + 1,
    "levels": lambda a: np.asarray(a) + 100.0,
    "n_equilibria": lambda a: a + 3,
    "ambiguous": lambda a: not a,
    "exact": lambda a: not a,
    "self_enforcing": lambda a: (not a) if a is not None else None,
}


def test_every_equilibrium_field_has_a_tamper_case():
    fields = {f.name for f in dataclasses.fields(pg.ScenarioEquilibrium)}
    assert fields == set(EQ_TAMPER) | EQ_EXEMPT


@pytest.mark.parametrize("make", [_two_regime, _collective])
@pytest.mark.parametrize("name", sorted(EQ_TAMPER))
def test_tampered_equilibrium_fails(make, name):
    sc = make()
    eq = pg.solve(sc)
    assert eq.verify().ok and eq.verify(exact=True).ok
    bad = EQ_TAMPER[name](getattr(eq, name))
    if name == "self_enforcing" and bad is None:
        pytest.skip("bilateral: no coalition rule to tamper with")
    tampered = dataclasses.replace(eq, **{name: bad})
    assert not tampered.verify().ok, name
    assert not tampered.verify(exact=True).ok, name


AS_EXEMPT = {"status", "message", "scenario", "method", "partners", "instruments", "target",
             "reason"}
AS_TAMPER = {
    "levels": lambda a: np.asarray(a) * 1.5 + 0.1,
    "amount": lambda a: np.asarray(a) + 1.0,
    "level_range": lambda a: np.asarray(a) + 50.0,
    "partner_cost": lambda a: np.asarray(a) + 1.0,
    "total_cost": lambda a: a - 1.0,
    "commitment": lambda a: a + 1.0,
    "constructible": lambda a: not a,
    "unbounded": lambda a: ("co-production",),
    "equilibrium": "other",
    "exact": lambda a: not a,
}


def test_every_assurance_field_has_a_tamper_case():
    fields = {f.name for f in dataclasses.fields(pg.AssuranceResult)}
    assert fields == set(AS_TAMPER) | AS_EXEMPT


@pytest.mark.parametrize("target", ["participation", "continuity"])
@pytest.mark.parametrize("name", sorted(AS_TAMPER))
def test_tampered_assurance_fails(target, name):
    sc = _two_regime()
    res = pg.minimum_assurance(sc, target)
    assert res.status == "optimal" and res.verify().ok
    if name == "equilibrium":
        bad = pg.solve(sc)  # the unassured equilibrium, not the one at the levels
    else:
        bad = AS_TAMPER[name](getattr(res, name))
    tampered = dataclasses.replace(res, **{name: bad})
    assert not tampered.verify().ok, name
    assert not tampered.verify(exact=True).ok, name


def test_lowering_a_self_financing_instrument_is_caught():
    # co-production has negative net cost: an answer with less of it is not the cheapest
    res = pg.minimum_assurance(_two_regime(), "participation")
    lv = res.levels.copy()
    j = list(res.instruments).index("co-production")
    assert lv[0, j] > 0
    lv[0, j] *= 0.5
    unit = (np.array([i.carry - i.coproduction for i in _two_regime().instruments])
            / (1 - 0.9))
    tampered = dataclasses.replace(res, levels=lv, amount=lv.sum(axis=0),
                                   partner_cost=(lv * unit).sum(axis=1),
                                   total_cost=float((lv * unit).sum()),
                                   level_range=np.stack([np.minimum(res.level_range[..., 0],
                                                                    lv), res.level_range[..., 1]],
                                                        axis=-1))
    assert not tampered.verify().ok


def test_false_not_constructible_claim_is_caught():
    res = pg.minimum_assurance(_two_regime(), "continuity")
    n, J = res.levels.shape
    tampered = dataclasses.replace(res, constructible=False, status="infeasible",
                                   levels=np.full((n, J), np.nan), amount=np.full(J, np.nan),
                                   reason="continuity: the provider prefers revoking")
    assert not tampered.verify().ok


def test_false_unbounded_and_false_optimal_claims_are_caught():
    sc = _uncapped()
    res = pg.minimum_assurance(sc, "continuity")
    assert res.status == "unbounded" and res.unbounded == ("co-production",)
    tampered = dataclasses.replace(res, status="optimal", unbounded=(), total_cost=-5.0)
    assert not tampered.verify().ok


def _uncapped():
    p = Partner(name="p", access_value=3.0, outside_option=1.2, revocation_loss=6.0,
                provider_value=[1.0, 0.5], revocation_gain=[2.0, 12.0])
    return Scenario(partners=(p,), discount=0.9, regime_names=("cooperative", "hawkish"),
                    transition=P2, instruments=(Instrument(name="bond"),
                                                Instrument.from_preset("coproduction",
                                                                       name="co-production")))


def test_levels_above_a_cap_are_caught():
    res = pg.minimum_assurance(_two_regime(), "continuity")
    lv = res.levels.copy()
    lv[0, 1] = 6.0  # co-production's cap is 5
    assert not dataclasses.replace(res, levels=lv).verify().ok

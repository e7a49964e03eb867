"""Issue 20: exact certificates that rejected right answers (found by
tests/property/test_exact_certificates_every_type.py and its seeded search).

Each game has payoffs that are integers times 4/3, so its floats are not short decimals: an
exact check must read them as their binary values and allow the round-off of a float answer
(explicitly bounded), never more. Each case failed ``verify(exact=True)`` before its fix; a
tampered answer still fails.
"""

import dataclasses

import numpy as np

import paxgame as pg


def _game(ints):
    return pg.NormalFormGame(list(np.array(ints, dtype=float) * (4 / 3)))


def test_correlated_egalitarian_obedience_within_round_off():
    # the LP's distribution misses an obedience row by 1.1e-18 (a fraction of one ulp)
    g = _game([[[2, -5, 1], [5, -5, 4]], [[-5, 4, 5], [-1, -1, -3]]])
    res = pg.correlated(g, objective="egalitarian")
    assert res.status == "optimal"
    cert = res.verify(exact=True)
    assert cert.exact and cert.ok, cert.failures()
    bad = dataclasses.replace(res, distribution=res.distribution * 3)
    assert not bad.verify(exact=True).ok


def test_minmax_mixed_punishment_within_round_off():
    g = _game([[[1, 2, 5], [5, -2, 2], [5, 4, 1], [-5, -5, 1]],
               [[-4, -4, 5], [4, -2, 5], [1, -5, 2], [-4, -2, 4]]])
    res = pg.minmax(g, 0)
    cert = res.verify(exact=True)
    assert cert.exact and cert.ok, cert.failures()
    bad = dataclasses.replace(res, value=res.value * 0.9 - 0.1)
    assert not bad.verify(exact=True).ok


def test_abreu_sannikov_set_read_in_binary():
    # the check read the 4/3-multiples and delta as decimal strings (another game)
    g = _game([[[-1, -3, 5], [-3, 1, 2]], [[-3, -2, 3], [-3, 2, 5]]])
    res = pg.RepeatedGame(g, 0.47).payoff_set()
    assert res.status == "optimal"
    cert = res.verify(exact=True)
    assert cert.exact and cert.ok, cert.failures()
    v = np.asarray(res.vertices, float)
    bad = dataclasses.replace(res, vertices=v + np.array([0.5, 0.0]))
    assert not bad.verify(exact=True).ok


def test_minimum_transfer_binding_root_read_exactly():
    # lambda* is the root of the binding constraint: rational, but not with a small
    # denominator once the payoffs are read in binary; the float is its rounding
    g = _game([[[1, 1], [-1, 0]], [[4, 1], [0, 3]]])
    rg = pg.RepeatedGame(g, 0.52)
    T = [np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([[3.0, -2.0], [-1.0, 0.0]])]
    res = pg.minimum_transfer(rg, (1, 1), T)
    assert res.status == "optimal" and res.amount > 0
    cert = res.verify(exact=True)
    assert cert.exact and cert.ok, cert.failures()
    for factor in (0.999, 1.001):
        bad = dataclasses.replace(res, amount=res.amount * factor)
        assert not bad.verify(exact=True).ok


def test_assurance_with_a_self_financing_instrument():
    # co-production above carry makes the instrument self-financing (kappa < 0): the
    # cheapest package is the largest that keeps the partner in, so the target's region lies
    # below the reported level; raising it by 1e-9 (the old check) leaves the region
    sc = pg.Scenario(
        partners=(pg.games.scenario.Partner(
            name="p0", access_value=4.5, outside_option=3.25, revocation_loss=2.0,
            provider_value=[1.0], revocation_gain=[3.0]),),
        discount=0.7, regime_names=("r0",), transition=np.eye(1), start="r0",
        instruments=(pg.games.scenario.Instrument(
            name="instrument", preset="custom", forfeit=0.7, compensation=0.85,
            coproduction=0.03, partner_flow=-0.1),),
        governance="bilateral", revocation="targeted", name="self-financing")
    res = pg.minimum_assurance(sc, "participation")
    assert res.status == "optimal" and res.total_cost < 0
    cert = res.verify(exact=True)
    assert cert.exact and cert.ok, cert.failures()
    bad = dataclasses.replace(res, levels=np.asarray(res.levels) * 1.01)
    assert not bad.verify(exact=True).ok


def test_assurance_verify_of_an_unbounded_claim_divides_cleanly():
    # an "optimal" claim on infinite levels: the certificate fails without a RuntimeWarning
    # "invalid value encountered in scalar divide" (inf / inf) on its final line
    import warnings

    p = pg.games.scenario.Partner(name="p", access_value=3.0, outside_option=1.2,
                                  revocation_loss=6.0, provider_value=[1.0, 0.5],
                                  revocation_gain=[2.0, 12.0])
    sc = pg.Scenario(partners=(p,), discount=0.9, regime_names=("cooperative", "hawkish"),
                     transition=np.array([[0.875, 0.125], [0.25, 0.75]]),
                     instruments=(pg.games.scenario.Instrument(name="bond"),
                                  pg.games.scenario.Instrument.from_preset(
                                      "coproduction", name="co-production")))
    res = pg.minimum_assurance(sc, "continuity")
    assert res.status == "unbounded"
    tampered = dataclasses.replace(res, status="optimal", unbounded=(), total_cost=-5.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cert = tampered.verify()
    assert not cert.ok
    assert not [w for w in caught if "scalar divide" in str(w.message)]

"""pg.batch.minimum_assurance / revocation_equilibrium: broadcasting, chunking, scalar parity."""

import numpy as np
import pytest
from hypothesis import given, strategies as st

import paxgame as pg
from paxgame.testing.strategies import scenarios

P2 = np.array([[0.875, 0.125], [0.25, 0.75]])


def _kw(sc, i=0):
    p, ins = sc.partners[i], sc.instruments[0]
    return dict(discount=sc.discount, transition=sc.transition, provider_value=p.provider_value,
                revocation_gain=p.revocation_gain, access_value=p.access_value,
                outside_option=p.outside_option, revocation_loss=p.revocation_loss,
                forfeit=ins.forfeit, compensation=ins.compensation, carry=ins.carry,
                coproduction=ins.coproduction, partner_flow=ins.partner_flow, cap=ins.cap)


def test_broadcast_grid_over_discount_and_hawkish_gain():
    d = np.linspace(0.8, 0.95, 4)[:, None]
    G = np.stack(np.broadcast_arrays(2.0, np.linspace(5, 20, 6)), axis=-1)  # (6, 2)
    out = pg.batch.minimum_assurance(target="continuity", discount=d, transition=P2,
                                     provider_value=[1.0, 0.5], revocation_gain=G,
                                     access_value=3.0, outside_option=1.2, revocation_loss=6.0)
    assert out.amount.shape == (4, 6) and out.constructible.shape == (4, 6)
    for a in range(4):
        for b in range(6):
            W = np.linalg.solve(np.eye(2) - d[a, 0] * P2, [1.0, 0.5])
            assert out.amount[a, b] == pytest.approx(max(0, np.max(G[b] - W)), abs=1e-9)


@pytest.mark.parametrize("target", ["participation", "continuity"])
def test_chunk_size_does_not_change_results(target):
    rng = np.random.default_rng(1)
    n = 37
    kw = dict(discount=rng.uniform(0.5, 0.95, n), transition=P2,
              provider_value=rng.uniform(0, 2, (n, 2)), revocation_gain=rng.uniform(0, 20, (n, 2)),
              access_value=3.0, outside_option=rng.uniform(0, 3, n), revocation_loss=6.0)
    a = pg.batch.minimum_assurance(target=target, chunk=10, **kw)
    b = pg.batch.minimum_assurance(target=target, **kw)
    np.testing.assert_array_equal(a.amount, b.amount)
    np.testing.assert_array_equal(a.constructible, b.constructible)


@given(scenarios(max_regimes=3, carry=True), st.sampled_from(["participation", "continuity"]))
def test_batch_equals_scalar_path_element_by_element(sc, target):
    scalar = pg.minimum_assurance(sc, target)
    out = pg.batch.minimum_assurance(target=target, **{k: np.asarray(v)[None] for k, v in
                                                       _kw(sc).items()})
    assert bool(out.constructible[0]) == bool(scalar.constructible)
    if scalar.constructible:
        assert out.amount[0] == scalar.amount[0]


@given(scenarios(max_regimes=3))
def test_batch_equilibrium_equals_scalar(sc):
    eq = pg.solve(sc)
    kw = _kw(sc)
    out = pg.batch.revocation_equilibrium(horizon=sc.horizon, **kw)
    np.testing.assert_array_equal(out.maintain, eq.maintain[0])
    np.testing.assert_array_equal(out.stay, eq.stay[0])
    np.testing.assert_allclose(out.provider_value, eq.provider_value, atol=1e-12)
    assert out.revocation_probability == pytest.approx(eq.revocation_probability[0], abs=1e-12)


def test_scenario_form_matches_replace_loop():
    sc = pg.load("games/scenarios/adoption.toml").replace(instruments=[])
    sc = pg.Scenario.from_dict({**sc.to_dict(), "instruments": []})
    d = np.array([0.8, 0.85, 0.9, 0.95])
    g = np.array([6.0, 12.0, 18.0, 24.0])
    out = pg.batch.minimum_assurance(sc, target="participation", **{
        "discount": d, "partners.adopting partner.revocation_gain.hawkish": g})
    for k in range(4):
        one = sc.replace(**{"discount": d[k], "partners[0].revocation_gain[1]": g[k]})
        assert out.amount[k] == pg.minimum_assurance(one, "participation").amount[0]


def test_scenario_form_slow_path_for_joint_scenarios():
    sc = pg.load("games/scenarios/revocation_order.toml")
    d = np.array([0.85, 0.9])
    out = pg.batch.minimum_assurance(sc, target="continuity", discount=d)
    for k in range(2):
        ref = pg.minimum_assurance(sc.replace(discount=d[k]), "continuity")
        assert out.amount[k] == pytest.approx(ref.amount.sum(), abs=1e-12)


def test_batch_validation_messages():
    base = dict(transition=[[1.0]], provider_value=1.0, revocation_gain=12.0,
                access_value=3.0, outside_option=1.2, revocation_loss=6.0)
    with pytest.raises(ValueError, match="^batch.minimum_assurance: discount must lie in"):
        pg.batch.minimum_assurance(discount=[0.5, 1.0], **base)
    with pytest.raises(TypeError, match="unknown parameter 'discout'"):
        pg.batch.minimum_assurance(discout=0.9, **base)
    with pytest.raises(ValueError, match="Unknown method 'both'"):
        pg.batch.minimum_assurance(target="both", discount=0.9, **base)
    with pytest.raises(ValueError, match="chunk must be a positive integer"):
        pg.batch.minimum_assurance(discount=0.9, chunk=0, **base)


@given(st.integers(1, 3).flatmap(lambda K: st.lists(
    scenarios(max_regimes=3, carry=True).filter(lambda s: s.n_regimes == K), min_size=2,
    max_size=6)), st.sampled_from(["participation", "continuity"]))
def test_stacked_batch_equals_scalar_element_by_element(scs, target):
    """Stacked batches (grid-valued parameters, so ties such as G_s = W_s occur) equal the
    scalar path point by point."""
    kws = [_kw(sc) for sc in scs]
    stacked = {k: np.stack([np.asarray(kw[k], dtype=float) for kw in kws]) for k in kws[0]}
    out = pg.batch.minimum_assurance(target=target, chunk=3, **stacked)
    eq = pg.batch.revocation_equilibrium(chunk=4, **{k: v for k, v in stacked.items()})
    for n, sc in enumerate(scs):
        ref = pg.minimum_assurance(sc, target)
        assert bool(out.constructible[n]) == bool(ref.constructible)
        if ref.constructible:
            assert out.amount[n] == pytest.approx(ref.amount[0], rel=1e-12, abs=1e-12)
        e = pg.solve(sc)
        np.testing.assert_array_equal(eq.maintain[n], e.maintain[0])
        np.testing.assert_array_equal(eq.stay[n], e.stay[0])

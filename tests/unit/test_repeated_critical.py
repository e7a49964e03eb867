"""Critical discount factors, sustainability and the batch kernel (closed forms)."""

from fractions import Fraction

import numpy as np
import pytest

import paxgame as pg

PD = pg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])


@pytest.mark.parametrize("t,r,p,s", [(5, 3, 1, 0), (10, 9, 3, 1), (4, 3, 2, 0), (7, 6, 1, -2)])
def test_grim_trigger_closed_form(t, r, p, s):
    # grim trigger in the prisoner's dilemma: delta* = (T - R) / (T - P)
    # (Fudenberg & Tirole 1991, Game Theory, section 5.1)
    g = pg.NormalFormGame([[[r, s], [t, p]], [[r, t], [s, p]]])
    rg = pg.RepeatedGame(g, 0.5)
    assert rg.critical_delta((0, 0)) == pytest.approx(float(Fraction(t - r, t - p)), abs=1e-12)


def test_trust_game_closed_form():
    # games/classic/trust_game.toml: (stay, maintain) sustained by reversion to (exit, revoke)
    # with payoffs (2, 0): provider (12 - 1) / (12 - 0) = 11/12, partner never gains.
    g = pg.load("games/classic/trust_game.toml")
    rg = pg.RepeatedGame(g, 0.95)
    assert rg.critical_delta(("stay", "maintain")) == pytest.approx(11 / 12, abs=1e-12)
    assert rg.sustainable(("stay", "maintain"))
    assert not rg.replace(delta=0.9).sustainable(("stay", "maintain"))


def test_stage_equilibrium_has_zero_critical_delta():
    assert pg.RepeatedGame(PD, 0.3).critical_delta((1, 1)) == 0.0


def test_unsustainable_profile_gives_at_least_one():
    # (C, D): the row player gets S = 0 < P = 1 forever: no delta < 1 deters defection
    assert pg.RepeatedGame(PD, 0.9).critical_delta((0, 1)) >= 1.0


def test_explicit_punishment_and_per_player_deltas():
    rg = pg.RepeatedGame(PD, [0.45, 0.9])
    assert rg.critical_delta((0, 0), punishment=[0, 0]) == pytest.approx(0.4)
    assert not rg.sustainable((0, 0))           # player 1's 0.45 < 1/2
    assert rg.sustainable((0, 0), punishment=[0, 0])


def test_optimal_punishment_never_exceeds_nash():
    # optimal penal codes (Abreu 1988) punish at least as hard as Nash reversion
    g = pg.NormalFormGame([[[4, 0, 0], [5, 2, 0], [0, 0, 1]], [[4, 5, 0], [0, 2, 0], [0, 0, 1]]])
    rg = pg.RepeatedGame(g, 0.5)
    nash = rg.critical_delta((0, 0))
    optimal = rg.critical_delta((0, 0), punishment="optimal")
    assert optimal <= nash + 1e-9
    # at the optimal threshold the profile is sustainable with the worst SPE payoffs
    w = rg.replace(delta=optimal + 1e-6).worst_payoffs()
    u, d = np.array([4.0, 4.0]), np.array([5.0, 5.0])
    assert np.all(u >= (1 - optimal - 1e-6) * d + (optimal + 1e-6) * w - 1e-7)


def test_pd_optimal_equals_nash_when_nash_is_minmax():
    # in the PD the stage equilibrium payoff is the minmax, so both codes agree
    rg = pg.RepeatedGame(PD, 0.6)
    assert rg.critical_delta((0, 0), punishment="optimal") == pytest.approx(0.5, abs=1e-8)
    np.testing.assert_allclose(rg.worst_payoffs(), [1, 1], atol=1e-9)


def test_batch_matches_scalar_and_chunks():
    rng = np.random.default_rng(1)
    pay = rng.integers(-3, 6, size=(50, 2, 3, 3)).astype(float)
    prof = rng.integers(0, 3, size=(50, 2))
    w = rng.integers(-3, 2, size=(50, 2)).astype(float)
    batch = pg.batch.critical_delta(pay, prof, w)
    again = pg.batch.critical_delta(pay, prof, w, chunk=7)
    np.testing.assert_array_equal(batch, again)
    for b in range(50):
        rg = pg.RepeatedGame(pg.NormalFormGame(pay[b]), 0.5)
        assert rg.critical_delta(tuple(prof[b]), punishment=w[b]) == batch[b]


def test_batch_nash_reversion_picks_best_equilibrium():
    # two pure equilibria: (1,1) pays 1 and (2,2) pays 2: reverting to (1,1) deters best
    a = np.array([[3, 0, 0], [5, 1, 0], [0, 0, 2]], float)
    pay = np.stack([a, a.T])[None]
    assert pg.batch.critical_delta(pay, [[0, 0]])[0] == pytest.approx(0.5)
    # no pure equilibrium: NaN
    mp = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], float)[None]
    assert np.isnan(pg.batch.critical_delta(mp, [[0, 0]])[0])


def test_no_pure_equilibrium_uses_mixed_or_raises():
    mp = pg.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    rg = pg.RepeatedGame(mp, 0.5)
    try:
        value = rg.critical_delta((0, 0))
    except ValueError as err:
        assert "no pure Nash equilibrium" in str(err)
    else:
        # reversion to the mixed equilibrium pays (0, 0), more than player 2's -1 at (0, 0):
        # player 2 gains by deviating at every delta
        assert value == np.inf
    # explicit punishments that hurt: player 2 gains 2 now and loses 1 - (-3) = 4 later
    assert rg.critical_delta((0, 0), punishment=[-3, -3]) == pytest.approx(2 / 4)


def test_rewarding_punishment_bounds_the_set_above():
    # player 2 has nothing to gain at (1, 1) in the stage (deviation pays 0 < 1), but
    # reverting to (0, 1) pays it 2 > 1: for delta > 1/2 it deviates to trigger the
    # reversion, 0 <= (1 - delta) 0 + delta 2 - 1 iff delta <= 1/2; every small delta works
    g = pg.NormalFormGame([[[0, 1], [0, 1]], [[2, 2], [0, 1]]])
    rg = pg.RepeatedGame(g, 0.4)
    assert rg.critical_delta((1, 1), punishment=[0, 2]) == 0.0
    s = rg.sustaining_deltas((1, 1), punishment=[0, 2])
    assert s.delta_set == ((0.0, 0.5),) and s.verify().ok
    assert not pg.RepeatedGame(g, 0.6).sustainable((1, 1), punishment=[0, 2])
    assert rg.sustainable((1, 1), punishment=[0, 2])            # small delta: deterred
    assert not rg.replace(delta=0.9).sustainable((1, 1), punishment=[0, 2])


def test_repeated_game_is_immutable_and_validates():
    rg = pg.RepeatedGame(PD, 0.6)
    with pytest.raises(AttributeError):
        rg.foo = 1
    assert rg == pg.RepeatedGame(PD, 0.6) and hash(rg) == hash(pg.RepeatedGame(PD, 0.6))
    assert rg.replace(delta=0.7).delta == 0.7
    for bad in (0, 1, 1.5, -0.1):
        with pytest.raises(ValueError, match="RepeatedGame: delta"):
            pg.RepeatedGame(PD, bad)
    with pytest.raises(ValueError, match="one per player"):
        pg.RepeatedGame(PD, [0.5, 0.5, 0.5])

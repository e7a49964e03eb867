"""Regime (stochastic) games: critical delta, Markov equilibria, Shapley value iteration."""

import numpy as np
import pytest

import paxgame as pg

PD = pg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
ZERO = pg.NormalFormGame(np.zeros((2, 1, 1)))


@pytest.mark.parametrize("t,r,p,s", [(5, 3, 1, 0), (10, 9, 3, 1), (7, 6, 1, -2)])
def test_one_regime_equals_repeated_game(t, r, p, s):
    g = pg.NormalFormGame([[[r, s], [t, p]], [[r, t], [s, p]]])
    expected = pg.RepeatedGame(g, 0.5).critical_delta((0, 0))
    assert pg.RegimeGame([g], [[1.0]], 0.5).critical_delta([(0, 0)]) == pytest.approx(
        expected, abs=1e-10)


def test_exogenous_calm_and_crisis_closed_form():
    # target (C, C) worth 3 in both regimes, reversion to (D, D) worth 1 in both: the
    # regime chain does not matter and the crisis temptation 8 binds: (8 - 3)/(8 - 1) = 5/7
    rg = pg.load("games/repeated/calm_and_crisis.toml")
    assert rg.critical_delta([(0, 0), (0, 0)]) == pytest.approx(5 / 7, abs=1e-10)
    eqs = rg.markov_equilibria()
    assert [e.profiles for e in eqs] == [((1, 1), (1, 1))]
    np.testing.assert_allclose(eqs[0].values, 1.0)
    assert eqs[0].verify().ok


def test_action_dependent_absorbing_regime():
    # any defection moves play to an absorbing regime paying 0: (1 - d) 5 <= 3, d >= 2/5
    t0 = np.zeros((2, 2, 2))
    t0[0, 0] = [1, 0]
    t0[0, 1] = t0[1, 0] = t0[1, 1] = [0, 1]
    t1 = np.zeros((1, 1, 2))
    t1[0, 0] = [0, 1]
    rg = pg.RegimeGame([PD, ZERO], [t0, t1], 0.9)
    assert not rg.exogenous
    assert rg.critical_delta([(0, 0), (0, 0)]) == pytest.approx(0.4, abs=1e-10)
    eqs = rg.markov_equilibria()
    # (C, C) is itself Markov perfect at 0.9: the threat of the absorbing regime deters
    assert ((0, 0), (0, 0)) in [e.profiles for e in eqs]
    assert all(e.verify().ok for e in eqs)
    policy = rg.markov_equilibria(method="policy")
    assert len(policy) == 1 and policy[0].profiles in [e.profiles for e in eqs]


def test_shapley_closed_form_absorbing():
    # regime 0 pays 0 and moves to the absorbing regime 1 (paying 1) with probability 1/2:
    # v0 = d (v0 + 1) / 2, so v0 = (d/2) / (1 - d/2)
    d = 0.8
    g0 = pg.NormalFormGame(np.zeros((2, 1, 1)))
    g1 = pg.NormalFormGame(np.array([[[1.0]], [[-1.0]]]))
    rg = pg.RegimeGame([g0, g1], [[0.5, 0.5], [0.0, 1.0]], d)
    r = rg.zero_sum_value()
    assert r.status == "optimal"
    np.testing.assert_allclose(r.values, [(d / 2) / (1 - d / 2), 1.0], atol=1e-9)


def test_shapley_against_nashpy_values():
    # at the returned values each regime's matrix game has value v_s (nashpy, independent)
    nashpy = pytest.importorskip("nashpy")
    rng = np.random.default_rng(3)
    games, trans = [], []
    for s in range(3):
        a = rng.integers(-3, 4, size=(2, 3)).astype(float)
        games.append(pg.NormalFormGame([a, -a]))
        p = rng.random((2, 3, 3))
        trans.append(p / p.sum(axis=-1, keepdims=True))
    rg = pg.RegimeGame(games, trans, 0.7)
    r = rg.zero_sum_value(tol=1e-12)
    assert r.verify().ok
    for s in range(3):
        m = (1 - 0.7) * games[s].payoffs[0] + 0.7 * trans[s] @ r.values
        x, y = next(iter(nashpy.Game(m).support_enumeration()))
        assert x @ m @ y == pytest.approx(r.values[s], abs=1e-8)


def test_zero_sum_validation():
    rg = pg.RegimeGame([PD], [[1.0]], 0.5)
    with pytest.raises(ValueError, match="zero_sum_value: stage_games\\[0\\] is not zero-sum"):
        rg.zero_sum_value()


def test_regime_game_validation():
    with pytest.raises(ValueError, match="RegimeGame: row 0 of transition sums to"):
        pg.RegimeGame([PD, PD], [[0.5, 0.4], [0.5, 0.5]], 0.5)
    with pytest.raises(ValueError, match="negative probability"):
        pg.RegimeGame([PD, PD], [[1.5, -0.5], [0.5, 0.5]], 0.5)
    with pytest.raises(ValueError, match="RegimeGame: delta must lie in"):
        pg.RegimeGame([PD], [[1.0]], 1.0)
    with pytest.raises(ValueError, match="must be 2x2"):
        pg.RegimeGame([PD, PD], [[1.0]], 0.5)
    with pytest.raises(ValueError, match="profiles must have 2 entries"):
        pg.RegimeGame([PD, PD], np.eye(2), 0.5).critical_delta([(0, 0)])


def test_verify_exact_says_exact_checking_is_unavailable():
    # regime-game values are floating-point value-iteration limits: exact=True must return
    # an exact certificate that fails with the named reason, not raise
    rg = pg.load("games/repeated/calm_and_crisis.toml")
    for res in (rg.markov_equilibria()[0],
                pg.RegimeGame([pg.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])],
                              [[1.0]], 0.5).zero_sum_value()):
        cert = res.verify(exact=True)
        assert cert.exact and not cert.ok
        assert [k.split(":")[0] for k in cert.checks] == ["exact_check_unavailable"]

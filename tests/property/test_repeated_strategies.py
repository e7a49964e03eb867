"""The repeated-family hypothesis strategies keep their documented guarantees."""

import numpy as np
from hypothesis import given

import paxgame as pg
from paxgame.kernels.repeated import pure_equilibrium_mask
from paxgame.testing import strategies


@given(strategies.two_player_stage_games(pure_nash=True))
def test_stage_games(g):
    assert g.n_players == 2 and all(2 <= m <= 3 for m in g.num_actions)
    assert np.all(g.payoffs == np.round(g.payoffs)) and g.payoffs.min() >= -3
    assert g.payoffs.max() <= 6
    assert pure_equilibrium_mask(np.asarray(g.payoffs)[None]).any()


@given(strategies.discount_factors())
def test_discount_factors(d):
    assert 0.05 <= d <= 0.95 and abs(d * 100 - round(d * 100)) < 1e-9


@given(strategies.prisoners_dilemmas())
def test_prisoners_dilemmas(game_trps):
    game, (t, r, p, s) = game_trps
    assert t > r > p > s and 2 * r > t + s
    assert np.array_equal(pure_equilibrium_mask(np.asarray(game.payoffs)[None])[0],
                          [[False, False], [False, True]])


@given(strategies.regime_games())
def test_regime_games(rg):
    assert isinstance(rg, pg.RegimeGame) and rg.exogenous
    m = rg.transition_matrix
    assert np.all(m >= 0) and np.all(m.sum(axis=1) == 1.0)
    assert np.all(m * 4 == np.round(m * 4))


@given(strategies.repeated_games())
def test_repeated_games(rg):
    assert isinstance(rg, pg.RepeatedGame) and 0 < rg.delta < 1

"""The strategy normal_form_games keeps the guarantees its docstring states."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import paxgame as pg
from paxgame.kernels.support_enumeration import is_degenerate
from paxgame.testing.strategies import normal_form_games


@given(normal_form_games(n_players=3, max_actions=3, min_actions=2))
def test_shape_bounds(game):
    assert isinstance(game, pg.NormalFormGame) and game.n_players == 3
    assert all(2 <= m <= 3 for m in game.num_actions)
    assert np.all(np.isfinite(game.payoffs))


@given(normal_form_games(degenerate=False, max_actions=4))
def test_nondegenerate_two_players(game):
    A, B = (np.asarray(p)[None] for p in game.payoffs)
    assert not is_degenerate(A, B)[0]


@given(normal_form_games(n_players=3, degenerate=False, max_actions=3))
def test_nondegenerate_three_players_has_no_ties(game):
    for i in range(3):
        u = np.sort(np.moveaxis(np.asarray(game.payoffs[i]), i, 0), axis=0)
        assert np.all(np.diff(u, axis=0) > 0)


@given(normal_form_games(degenerate=True, max_actions=3))
def test_degenerate_two_players(game):
    A, B = (np.asarray(p)[None] for p in game.payoffs)
    assert is_degenerate(A, B)[0]


@given(normal_form_games(n_players=3, degenerate=True, max_actions=2))
def test_degenerate_three_players_has_a_best_response_tie(game):
    tie = False
    for i in range(3):
        u = np.moveaxis(np.asarray(game.payoffs[i]), i, 0)
        top = u.max(axis=0)
        tie |= bool(np.any((u == top).sum(axis=0) >= 2))
    assert tie


@given(normal_form_games(payoffs=st.sampled_from([0.5, 1.5]), max_actions=2))
def test_custom_payoff_elements(game):
    assert set(np.unique(game.payoffs)) <= {0.5, 1.5}


def test_argument_errors():
    with pytest.raises(ValueError, match="n_players must be >= 2"):
        normal_form_games(n_players=1)
    with pytest.raises(ValueError, match="min_actions <= max_actions"):
        normal_form_games(min_actions=3, max_actions=2)

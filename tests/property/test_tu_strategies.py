"""The tu_games strategy keeps its documented guarantees."""

import pytest
from hypothesis import given

import paxgame as pg
from paxgame.testing.strategies import tu_games


@given(tu_games(n_players=(2, 5), convex=True))
def test_convex(tu):
    assert tu.is_convex() and tu.is_superadditive() and pg.core(tu).nonempty


@given(tu_games(n_players=(2, 5), convex=False))
def test_not_convex(tu):
    assert not tu.is_convex()


@given(tu_games(n_players=(2, 5), superadditive=True))
def test_superadditive(tu):
    assert tu.is_superadditive()


@given(tu_games(n_players=(2, 5), superadditive=False))
def test_not_superadditive(tu):
    assert not tu.is_superadditive()


@given(tu_games(n_players=(2, 5), empty_core=True))
def test_empty_core(tu):
    assert pg.core(tu).nonempty is False


@given(tu_games(n_players=(2, 5), empty_core=False))
def test_nonempty_core(tu):
    assert pg.core(tu).nonempty is True


@given(tu_games(n_players=(3, 5), superadditive=True, empty_core=True))
def test_superadditive_empty_core(tu):
    assert tu.is_superadditive() and pg.core(tu).nonempty is False


@given(tu_games(n_players=4))
def test_fixed_size_and_integer_worths(tu):
    assert tu.num_players == 4 and all(float(x).is_integer() for x in tu.values)


def test_impossible_requests_raise():
    from hypothesis import find

    with pytest.raises(ValueError, match="convex games have a non-empty core"):
        find(tu_games(convex=True, empty_core=True), lambda tu: True)
    with pytest.raises(ValueError, match="at least 3 players"):
        find(tu_games(n_players=2, superadditive=True, empty_core=True), lambda tu: True)

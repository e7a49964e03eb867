"""NormalFormGame: construction, validation, immutability and payoff helpers."""

import numpy as np
import pytest

import paxgame as pg

PD = [[[3, 0], [5, 1]], [[3, 5], [0, 1]]]


def test_construct_from_list_and_stacked_array():
    g = pg.NormalFormGame(PD)
    h = pg.NormalFormGame(np.array(PD, dtype=float))
    assert g == h and hash(g) == hash(h)
    assert g.n_players == 2 and g.num_actions == (2, 2)
    assert g.players == ("player 1", "player 2")
    assert g.actions == (("1", "2"), ("1", "2"))


def test_payoffs_are_read_only():
    g = pg.NormalFormGame(PD)
    with pytest.raises(ValueError):
        g.payoffs[0, 0, 0] = 9
    with pytest.raises(AttributeError):
        g._payoffs = None


def test_expected_payoffs_and_regret():
    g = pg.NormalFormGame(PD)
    np.testing.assert_allclose(g.expected_payoffs([[0.5, 0.5], [0.5, 0.5]]), [2.25, 2.25])
    assert g.regret([[0, 1], [0, 1]]) == 0.0  # (defect, defect) is the equilibrium
    assert g.regret([[1, 0], [1, 0]]) == pytest.approx(2.0)
    np.testing.assert_array_equal(g.payoff_profile(("2", "2")), [1.0, 1.0])


def test_three_player_payoffs():
    rng = np.random.default_rng(0)
    arrays = rng.normal(size=(3, 2, 3, 4))
    g = pg.NormalFormGame(list(arrays))
    s = [np.array([0.3, 0.7]), np.ones(3) / 3, np.array([0.1, 0.2, 0.3, 0.4])]
    brute = np.einsum("pabc,a,b,c->p", arrays, *s)
    np.testing.assert_allclose(g.expected_payoffs(s), brute)


@pytest.mark.parametrize("payoffs, exc, message", [
    ([[[1, 2], [3, 4]]], ValueError, "NormalFormGame: a game needs at least two players, got 1"),
    ([[[1, 2], [3, 4]], [[1, 2], [3]]], ValueError, "NormalFormGame: payoffs[1] is ragged"),
    ([[[1, 2], [3, 4]], [[1, 2, 3], [3, 4, 5]]], ValueError,
     "NormalFormGame: payoffs[1] has shape (2, 3), but payoffs[0] has shape (2, 2)"),
    ([[[1, 2], [3, np.inf]], [[1, 2], [3, 4]]], ValueError,
     "NormalFormGame: payoffs[0][1, 1] must be finite, got inf"),
    ([[["a", "b"], ["c", "d"]], [[1, 2], [3, 4]]], TypeError,
     "NormalFormGame: payoffs[0] must hold real numbers, got dtype <U1"),
    (np.zeros((2, 0, 2)), ValueError, "NormalFormGame: player 0 has an empty action set"),
    ("abc", TypeError, "NormalFormGame: payoffs must be a sequence of arrays"),
])
def test_invalid_payoffs(payoffs, exc, message):
    with pytest.raises(exc) as info:
        pg.NormalFormGame(payoffs)
    assert str(info.value).startswith(message)


def test_invalid_names():
    with pytest.raises(ValueError, match=r"^NormalFormGame: players must have 2 entries, got 3"):
        pg.NormalFormGame(PD, players=["a", "b", "c"])
    with pytest.raises(ValueError, match=r"^NormalFormGame: players\[1\] duplicates"):
        pg.NormalFormGame(PD, players=["a", "a"])
    with pytest.raises(ValueError, match=r"^NormalFormGame: actions\[1\] must have 2 entries"):
        pg.NormalFormGame(PD, actions=[["C", "D"], ["C"]])


def test_replace_returns_new_game():
    g = pg.NormalFormGame(PD, name="pd")
    h = g.replace(players=["row", "column"])
    assert h.players == ("row", "column") and g.players == ("player 1", "player 2")
    assert h.name == "pd"

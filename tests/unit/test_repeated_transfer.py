"""Minimum transfers against closed forms."""

import numpy as np
import pytest

import paxgame as pg

# revocation stage game: provider (row) maintain/revoke, partner (column) stay/exit
W, G, V, O, L = 1.0, 12.0, 2.0, 1.0, 6.0
REVOCATION = pg.NormalFormGame([[[W, 0], [G, 0]], [[V, O], [O - L, O]]])
BOND = np.array([[[0, 0], [-1, 0]], [[0, 0], [0, 0]]], float)   # forfeit on revocation


@pytest.mark.parametrize("delta", [0.5, 0.8, 0.9, 0.95])
def test_bond_closed_form(delta):
    # the revocation closed form, K = 1, continuity: a* = max(0, G - w / (1 - delta)), c = 0
    rg = pg.RepeatedGame(REVOCATION, delta)
    r = pg.minimum_transfer(rg, (0, 0), BOND)
    assert r.status == "optimal"
    assert r.amount == pytest.approx(max(0.0, G - W / (1 - delta)), abs=1e-9)
    assert r.verify().ok and r.verify(exact=True).ok
    if r.amount > 0:
        assert r.binding_player == 0 and "player 0" in r.binding_constraint


def test_model_example_gives_two():
    # the one-regime revocation example: delta = 0.9, w = 1, G = 12 gives a* = 2
    r = pg.minimum_transfer(pg.RepeatedGame(REVOCATION, 0.9), (0, 0), BOND)
    assert r.amount == pytest.approx(2.0, abs=1e-12)
    assert r.punishment_profile == (1, 1)       # (revoke, exit)


def test_zero_when_already_sustainable():
    r = pg.minimum_transfer(pg.RepeatedGame(REVOCATION, 0.95), (0, 0), BOND)
    assert r.amount == 0.0 and r.binding_player is None


def test_fixed_punishment_is_linear():
    # prisoner's dilemma, transfer T rewards mutual cooperation by lambda for both players:
    # (1 - d) * 5 + d * 1 <= 3 + lambda  <=>  lambda >= 2 - 4 d
    pd = pg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    t = np.array([[[1, 0], [0, 0]], [[1, 0], [0, 0]]], float)
    for d in (0.2, 0.3, 0.45):
        r = pg.minimum_transfer(pg.RepeatedGame(pd, d), (0, 0), t, punishment=[1, 1])
        assert r.amount == pytest.approx(2 - 4 * d, abs=1e-12)
        assert r.verify().ok


def test_infeasible_is_a_status():
    pd = pg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    harmful = np.array([[[-1, 0], [1, 0]], [[-1, 1], [0, 0]]], float)  # makes C worse
    r = pg.minimum_transfer(pg.RepeatedGame(pd, 0.3), (0, 0), harmful)
    assert r.status == "infeasible" and np.isnan(r.amount) and not r.success


def test_optimal_punishment_bracket():
    rg = pg.RepeatedGame(REVOCATION, 0.9)
    r = pg.minimum_transfer(rg, (0, 0), BOND, punishment="optimal")
    lo, hi = r.bracket
    assert r.status == "optimal" and lo < hi and hi - lo <= 1e-8 * 12
    # the provider's worst SPE payoff is its minmax 0, as under Nash reversion: same answer
    assert r.amount == pytest.approx(2.0, abs=1e-7)
    assert r.verify().ok


def test_validation():
    rg = pg.RepeatedGame(REVOCATION, 0.9)
    with pytest.raises(ValueError, match="minimum_transfer: transfer must have shape"):
        pg.minimum_transfer(rg, (0, 0), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="Unknown method 'grim' for minimum_transfer"):
        pg.minimum_transfer(rg, (0, 0), BOND, punishment="grim")

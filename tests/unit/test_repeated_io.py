"""Repeated and regime game files (kind = "repeated" / "regime")."""

import numpy as np
import pytest

import paxgame as pg
from paxgame.io import loads_toml

REPEATED = '''
kind = "repeated"
name = "PD"
discount = [0.6, 0.7]
payoffs = [[[3, 0], [5, 1]], [[3, 5], [0, 1]]]
'''

ACTION_DEPENDENT = '''
kind = "regime"
name = "Absorbing breakdown"
discount = 0.9

[[stage]]
name = "cooperation"
payoffs = [[[3, 0], [5, 1]], [[3, 5], [0, 1]]]
transition = [[[1, 0], [0, 1]], [[0, 1], [0, 1]]]

[[stage]]
name = "breakdown"
payoffs = [[[0]], [[0]]]
transition = [[[0, 1]]]
'''


def test_repeated_file_with_per_player_discounts():
    rg = loads_toml(REPEATED)
    assert isinstance(rg, pg.RepeatedGame)
    np.testing.assert_array_equal(rg.deltas, [0.6, 0.7])


def test_action_dependent_regime_file():
    rg = loads_toml(ACTION_DEPENDENT)
    assert isinstance(rg, pg.RegimeGame) and not rg.exogenous
    assert rg.critical_delta([(0, 0), (0, 0)]) == pytest.approx(0.4, abs=1e-10)


@pytest.mark.parametrize("path,delta", [
    ("games/repeated/prisoners_dilemma_d049.toml", 0.49),
    ("games/repeated/prisoners_dilemma_d06.toml", 0.6),
    ("games/repeated/prisoners_dilemma_d09.toml", 0.9),
    ("games/repeated/prisoners_dilemma_high_stakes_d01.toml", 0.1),
    ("games/repeated/prisoners_dilemma_high_stakes_d02.toml", 0.2),
    ("games/repeated/revocation_stage.toml", 0.9),
    ("games/repeated/cournot_duopoly.toml", 0.8),
])
def test_shipped_repeated_files(path, delta):
    rg = pg.load(path)
    assert isinstance(rg, pg.RepeatedGame) and rg.delta == delta


def test_regime_file_errors_name_the_key():
    bad = ACTION_DEPENDENT.replace("transition = [[[0, 1]]]", "transition = [[[0.5, 0.4]]]")
    with pytest.raises(pg.GameFileError, match="key 'transition'.*sums to 0.9"):
        loads_toml(bad, "x.toml")
    both = ACTION_DEPENDENT.replace('discount = 0.9\n', 'discount = 0.9\ntransition = [[1, 0], [0, 1]]\n')
    with pytest.raises(pg.GameFileError, match="either one exogenous matrix"):
        loads_toml(both, "x.toml")
    with pytest.raises(pg.GameFileError, match="key 'stage'"):
        loads_toml('kind = "regime"\nname = "x"\ndiscount = 0.5\ntransition = [[1]]\n', "x.toml")
    with pytest.raises(pg.GameFileError, match="one discount factor"):
        loads_toml(ACTION_DEPENDENT.replace("discount = 0.9", "discount = [0.9, 0.9]"), "x.toml")
    with pytest.raises(pg.GameFileError, match="discount\\[1\\]': must lie in"):
        loads_toml(REPEATED.replace("[0.6, 0.7]", "[0.6, 1.7]"), "x.toml")

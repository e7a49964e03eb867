"""Findings of ``scripts/api_fuzz_stage_repeated_revocation.py --budget 1000 --seed 1`` (each
an error that was not led by the public function's name)."""

import numpy as np
import pytest

import paxgame as pg


def test_repeated_game_of_a_non_game_names_itself():
    with pytest.raises(TypeError, match=r"^RepeatedGame: game must be a NormalFormGame"):
        pg.RepeatedGame("x", 0.9)


def test_regime_game_of_a_non_game_names_itself_and_the_regime():
    with pytest.raises(TypeError, match=r"^RegimeGame: stage_games\[0\] must be"):
        pg.RegimeGame(["x"], [[1.0]], 0.9)


@pytest.mark.parametrize("func", ["lemke_howson", "support_enumeration",
                                  "vertex_enumeration"])
def test_an_empty_batch_is_refused_by_name(func):
    # was a raw numpy reshape or concatenate error
    with pytest.raises(ValueError, match=rf"^batch\.{func}: the batch holds no game"):
        getattr(pg.batch, func)(np.zeros((0, 2, 2)), np.zeros((0, 2, 2)))

"""save, from_nashpy / to_nashpy and the public re-exports of paxgame.io.interop."""

from pathlib import Path

import nashpy
import numpy as np
import pytest

import paxgame as pg
from paxgame.io import interop


def test_public_names_are_re_exported():
    assert set(interop.__all__) == {"read_nfg", "write_nfg", "save", "from_nashpy",
                                    "to_pygambit", "from_pygambit"}
    for name in interop.__all__:
        assert getattr(pg, name) is getattr(interop, name)


@pytest.mark.parametrize("suffix", [".toml", ".nfg", ".TOML"])
def test_save_then_load_gives_an_equal_game(tmp_path, suffix):
    g = pg.load("games/classic/volunteers_dilemma.toml")
    path = pg.save(g, tmp_path / f"v{suffix}")
    h = pg.load(path)
    assert h == g and h.name == g.name


def test_save_dispatches_to_to_toml_dict(tmp_path):
    class Stub:
        def to_toml_dict(self):
            return {"kind": "tu", "name": "stub", "values": [0, 1]}

    path = pg.save(Stub(), tmp_path / "s.toml")
    assert 'kind = "tu"' in path.read_text(encoding="utf-8")


def test_save_rejects_what_it_cannot_write(tmp_path):
    g = pg.load("games/classic/chicken.toml")
    with pytest.raises(ValueError, match=r"save: cannot tell the file type of .*'\.json'; use "
                                         r"\.toml or \.nfg"):
        pg.save(g, tmp_path / "g.json")
    with pytest.raises(TypeError, match="save: cannot save a dict: expected a NormalFormGame "
                                        "or an object with a to_toml_dict"):
        pg.save({"kind": "tu"}, tmp_path / "g.toml")
    with pytest.raises(TypeError, match="save: only a NormalFormGame can be written as .nfg, "
                                        "got object"):
        pg.save(object(), tmp_path / "g.nfg")
    with pytest.raises(TypeError, match="save: path must be a str or os.PathLike, got int"):
        pg.save(g, 1)

    class Bad:
        def to_toml_dict(self):
            return [1]

    with pytest.raises(TypeError, match=r"save: Bad.to_toml_dict\(\) must return a dict"):
        pg.save(Bad(), tmp_path / "b.toml")


REPEATED_FILES = sorted(str(p) for p in Path("games/repeated").glob("*.toml"))


def test_every_repeated_file_is_found():
    # guards the parametrisation below against an empty folder (a vacuous test)
    assert len(REPEATED_FILES) >= 8


@pytest.mark.parametrize("src", REPEATED_FILES)
def test_save_then_load_repeated_and_regime_games(tmp_path, src):
    g = pg.load(src)
    assert isinstance(g, (pg.RepeatedGame, pg.RegimeGame))
    h = pg.load(pg.save(g, tmp_path / "g.toml"))
    assert type(h) is type(g) and h == g
    stages = g.stage_games if isinstance(g, pg.RegimeGame) else (g.game,)
    again = h.stage_games if isinstance(h, pg.RegimeGame) else (h.game,)
    for a, b in zip(stages, again):
        assert (a.name, a.players, a.actions) == (b.name, b.players, b.actions)


def test_save_repeated_game_with_one_discount_per_player(tmp_path):
    pd = pg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], name="PD")
    rg = pg.RepeatedGame(pd, [0.6, 0.75])
    h = pg.load(pg.save(rg, tmp_path / "g.toml"))
    assert h == rg
    np.testing.assert_array_equal(h.deltas, [0.6, 0.75])


def test_save_regime_game_with_action_dependent_transitions(tmp_path):
    pd = pg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], name="calm")
    war = pg.NormalFormGame([[[1, 0, 2], [0, 1, 0]], [[1, 0, 0], [0, 1, 2]]], name="war")
    t_calm = np.zeros((2, 2, 2))
    t_calm[...] = [0.9, 0.1]
    t_calm[1, 1] = [0.25, 0.75]  # mutual defection makes war likelier
    t_war = np.zeros((2, 3, 2))
    t_war[..., 1] = 1.0          # war is absorbing
    rg = pg.RegimeGame([pd, war], [t_calm, t_war], 0.85)
    assert not rg.exogenous
    path = pg.save(rg, tmp_path / "g.toml")
    h = pg.load(path)
    assert h == rg and not h.exogenous
    np.testing.assert_array_equal(h.transitions[0][1, 1], [0.25, 0.75])
    assert h.stage_games[1].num_actions == (2, 3)


def test_from_nashpy_and_back():
    a = np.array([[3, 0], [5, 1]])
    b = a.T
    g = pg.from_nashpy(nashpy.Game(a, b), players=["r", "c"], name="pd")
    np.testing.assert_array_equal(g.payoffs, [a, b])
    assert g.players == ("r", "c") and g.name == "pd"
    back = g.to_nashpy()
    np.testing.assert_array_equal(back.payoff_matrices[0], a)
    np.testing.assert_array_equal(back.payoff_matrices[1], b)
    assert pg.from_nashpy(back) == pg.NormalFormGame([a, b])


def test_from_nashpy_zero_sum_game_gets_the_negated_matrix():
    g = pg.from_nashpy(nashpy.Game([[1, -2], [0, 3]]))
    np.testing.assert_array_equal(g.payoffs[1], [[-1, 2], [0, -3]])


def test_from_nashpy_rejects_other_objects():
    with pytest.raises(TypeError, match="from_nashpy: game must be a nashpy.Game, got "
                                        "NormalFormGame"):
        pg.from_nashpy(pg.load("games/classic/chicken.toml"))

"""save, from_nashpy / to_nashpy and the public re-exports of paxgame.io.interop."""

import nashpy
import numpy as np
import pytest

import paxgame as pg
from paxgame.io import interop


def test_public_names_are_re_exported():
    assert set(interop.__all__) == {"read_nfg", "write_nfg", "save", "from_nashpy"}
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

"""pg.load and the TOML normal-form schema: dispatch, schema errors, file checks."""

import numpy as np
import pytest

import paxgame as pg
from paxgame.io import _schema, loads_toml
from paxgame.io._normal_form_schema import dumps_toml, to_toml_dict

GOOD = """kind = "normal_form"
name = "g"
source = "a book"
description = "a game"
players = ["a", "b"]
actions = [["x", "y"], ["z"]]
payoffs = [[[1], [2.5]], [[-3], [4]]]
"""


def test_schema_reads_every_key():
    g = loads_toml(GOOD)
    assert g.name == "g" and g.players == ("a", "b") and g.actions == (("x", "y"), ("z",))
    np.testing.assert_array_equal(g.payoffs, [[[1], [2.5]], [[-3], [4]]])


def test_optional_keys_default():
    g = loads_toml('kind = "normal_form"\nname = ""\npayoffs = [[[1, 2]], [[3, 4]]]')
    assert g.players == ("player 1", "player 2") and g.actions == (("1",), ("1", "2"))


def test_load_returns_the_prisoners_dilemma():
    g = pg.load("games/classic/prisoners_dilemma.toml")
    assert repr(g) == "NormalFormGame('Prisoner's dilemma', 2 players, actions 2x2)"
    # Axelrod (1984): T = 5, R = 3, P = 1, S = 0
    np.testing.assert_array_equal(g.payoffs[0], [[3, 0], [5, 1]])
    np.testing.assert_array_equal(g.payoffs[1], g.payoffs[0].T)


def _err(text, source="f.toml"):
    with pytest.raises(pg.GameFileError) as info:
        loads_toml(text, source)
    return str(info.value)


HEAD = 'kind = "normal_form"\nname = "g"\n'
SCHEMA_ERRORS = [
    ("", "load: f.toml: key 'kind': required key is missing"),
    ('kind = "normal-form"', "load: f.toml: key 'kind': unknown kind 'normal-form' (did you "
                             "mean 'normal_form'?); choose one of: normal_form, repeated, "
                             "regime, revocation, tu"),
    ('kind = 3', "load: f.toml: key 'kind': must be a string, got int"),
    ('kind = "normal_form"\npayoffs = [[[1]], [[1]]]',
     "load: f.toml: key 'name': required key is missing"),
    (HEAD + "payofs = [[[1]], [[1]]]",
     "load: f.toml: key 'payofs': unknown key (did you mean 'payoffs'?)"),
    (HEAD + "payoffs = [[[1]], [[1]]]\nplayer = ['a', 'b']",
     "load: f.toml: key 'player': unknown key (did you mean 'players'?)"),
    (HEAD + "payoffs = [[[1]], [[1]]]\ncolour = 1", "load: f.toml: key 'colour': unknown key"),
    (HEAD + "payoffs = [[[1]]]", "load: f.toml: key 'payoffs': must hold one array per player "
                                 "and a game needs at least two players, got 1 array(s)"),
    (HEAD + "payoffs = 1", "load: f.toml: key 'payoffs': must be an array, got int"),
    (HEAD + "payoffs = [[[1, 2]], [[1]]]", "load: f.toml: key 'payoffs[1][0]': has 1 entries, "
                                           "expected 2 (the shape of payoffs[0] is 2 here: "
                                           "ragged or mismatched payoff arrays)"),
    (HEAD + "payoffs = [[[1, 2], [3]], [[1, 2], [3, 4]]]",
     "load: f.toml: key 'payoffs[0][1]': has 1 entries, expected 2 (the shape of payoffs[0] "
     "is 2 here: ragged or mismatched payoff arrays)"),
    (HEAD + "payoffs = [[[]], [[]]]", "load: f.toml: key 'payoffs[0][0]': player 2 has an "
                                      "empty action set (an empty array at depth 1)"),
    (HEAD + "payoffs = [[1, 2], [3, 4]]", "load: f.toml: key 'payoffs[0][0]': must be an "
                                          "array nested 2 deep (one level per player), found "
                                          "the number 1 at depth 1"),
    (HEAD + "payoffs = [[[1, nan]], [[1, 2]]]", "load: f.toml: key 'payoffs[0][0][1]': must be "
                                                "a finite number, got nan"),
    (HEAD + "payoffs = [[[1, -inf]], [[1, 2]]]", "load: f.toml: key 'payoffs[0][0][1]': must "
                                                 "be a finite number, got -inf"),
    (HEAD + "payoffs = [[[1, '2']], [[1, 2]]]", "load: f.toml: key 'payoffs[0][0][1]': must be "
                                                "a number, got a string"),
    (HEAD + "payoffs = [[[1, true]], [[1, 2]]]", "load: f.toml: key 'payoffs[0][0][1]': must "
                                                 "be a number, got a boolean"),
    (HEAD + "players = ['a']\npayoffs = [[[1]], [[1]]]",
     "load: f.toml: key 'players': names 1 players, but payoffs holds 2 arrays (one per "
     "player)"),
    (HEAD + "players = ['a', 'a']\npayoffs = [[[1]], [[1]]]",
     "load: f.toml: key 'players': players[1] duplicates players[0] ('a')"),
    (HEAD + "players = ['a', '']\npayoffs = [[[1]], [[1]]]",
     "load: f.toml: key 'players': players[1] must not be empty"),
    (HEAD + "players = ['a', 2]\npayoffs = [[[1]], [[1]]]",
     "load: f.toml: key 'players': players[1] must be a string, got int"),
    (HEAD + "actions = [['x'], ['y', 'z']]\npayoffs = [[[1]], [[1]]]",
     "load: f.toml: key 'actions[1]': names 2 actions, but the payoff arrays give player 2 1"),
    (HEAD + "actions = [['x']]\npayoffs = [[[1]], [[1]]]",
     "load: f.toml: key 'actions': has 1 lists, expected 2 (one per player)"),
    (HEAD + "actions = ['x', 'y']\npayoffs = [[[1]], [[1]]]",
     "load: f.toml: key 'actions[0]': must be an array of names, got a string"),
    (HEAD + "source = 1\npayoffs = [[[1]], [[1]]]",
     "load: f.toml: key 'source': must be a string, got int"),
    ("kind = [", "load: f.toml: not valid TOML (Invalid value (at end of document))"),
    ("kind = 1 2", "load: f.toml: not valid TOML (Expected newline or end of document after "
                   "a statement (at line 1, column 10))"),
    ("a = " + "[" * 3000 + "]" * 3000, "load: f.toml: not readable TOML (tables or arrays "
                                        "nested too deeply)"),
]


@pytest.mark.parametrize("text, message", SCHEMA_ERRORS)
def test_schema_errors_name_the_file_and_key(text, message):
    assert _err(text) == message


def test_integer_too_large_for_float():
    message = _err(HEAD + f"payoffs = [[[{10 ** 400}]], [[1]]]")
    assert message == ("load: f.toml: key 'payoffs[0][0][0]': must be a finite number, got an "
                       "integer of 401 digits (too large for a float64)")
    assert _err("a = " + "1" * 5000).startswith("load: f.toml: not readable TOML (Exceeds the "
                                                 "limit (4300 digits)")


def test_load_dispatches_on_suffix_and_content(tmp_path):
    text = 'NFG 1 R "x" { "a" "b" } { 1 1 } 1 2'
    for name in ("g.nfg", "g.NFG", "g"):
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert pg.load(tmp_path / name).payoffs.ravel().tolist() == [1, 2]
    (tmp_path / "g.txt").write_text(text, encoding="utf-8")
    assert pg.load(tmp_path / "g.txt").n_players == 2  # recognised by its header
    (tmp_path / "h.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(pg.GameFileError, match="unknown file type '.txt': paxgame reads .toml "
                                               "and .nfg files"):
        pg.load(tmp_path / "h.txt")
    (tmp_path / "n.toml").write_text(text, encoding="utf-8")
    with pytest.raises(pg.GameFileError, match="not valid TOML"):
        pg.load(tmp_path / "n.toml")


def test_file_checks(tmp_path):
    with pytest.raises(FileNotFoundError, match="load: .*missing.toml: no such file"):
        pg.load(tmp_path / "missing.toml")
    with pytest.raises(FileNotFoundError, match="is a directory, not a file"):
        pg.load(tmp_path)
    with pytest.raises(TypeError, match="load: path must be a str or os.PathLike, got int"):
        pg.load(3)
    (tmp_path / "b.toml").write_bytes(b"kind = \xff")
    with pytest.raises(pg.GameFileError, match=r"not a UTF-8 text file \(byte 7\)"):
        pg.load(tmp_path / "b.toml")
    (tmp_path / "z.toml").write_bytes(b"kind = 1\x00")
    with pytest.raises(pg.GameFileError, match=r"not a text file \(contains NUL bytes\)"):
        pg.load(tmp_path / "z.toml")


def test_size_limit(tmp_path, monkeypatch):
    path = tmp_path / "big.toml"
    path.write_text("# padding\n" * 20 + GOOD, encoding="utf-8")
    size = path.stat().st_size
    with pytest.raises(pg.GameFileError, match=f"file is {size} bytes, larger than the limit "
                                               f"of 100 bytes"):
        _schema.read_text(path, max_bytes=100)
    monkeypatch.setattr(pg.io, "MAX_FILE_BYTES", size - 1)
    with pytest.raises(pg.GameFileError, match="larger than the limit"):
        pg.load(path)
    monkeypatch.setattr(pg.io, "MAX_FILE_BYTES", size)
    assert pg.load(path).name == "g"


def test_default_limit_refuses_a_file_just_above_it(tmp_path):
    path = tmp_path / "huge.nfg"
    with open(path, "wb") as fh:
        fh.truncate(_schema.MAX_FILE_BYTES + 1)  # sparse: no 16 MB written
    with pytest.raises(pg.GameFileError, match=f"file is {_schema.MAX_FILE_BYTES + 1} bytes"):
        pg.load(path)


def test_toml_round_trip_keeps_names_numbers_and_source():
    g = pg.NormalFormGame([[[0.1, -2], [1e300, 3]], [[1, 2], [3, 2 ** 60]]],
                          players=['a "quoted" name', "tab\tname"],
                          actions=[["é", "\\"], ["x", "y"]], name="n\nm")
    text = dumps_toml(g, source="cite", description="d")
    h = loads_toml(text)
    assert h == g and h.name == g.name
    assert to_toml_dict(g)["payoffs"][1][1][1] == float(2 ** 60)


def test_kinds_table_names_importable_parsers():
    from paxgame.io import KINDS

    assert KINDS["normal_form"] == "paxgame.io._normal_form_schema:parse"

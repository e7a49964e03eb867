"""Gambit .nfg reader and writer: both file versions, numbers, labels, errors."""

import re

import numpy as np
import pytest

import paxgame as pg
from paxgame.io.nfg import dumps_nfg, loads_nfg

# The sample game of the Gambit documentation (Selten, IJGT 1975, Figure 2), payoff version
PAYOFF_FORM = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form"
{ "Player 1" "Player 2" } { 3 2 }

1 1 0 2 0 2 1 1 0 3 2 0
"""
# ... and the same game in the outcome version
OUTCOME_FORM = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form" { "Player 1" "Player 2" }

{
{ "1" "2" "3" }
{ "1" "2" }
}

{
{ "" 1, 1 }
{ "" 0, 2 }
{ "" 0, 2 }
{ "" 1, 1 }
{ "" 0, 3 }
{ "" 2, 0 }
}
1 2 3 4 5 6
"""
SELTEN = np.array([[[1, 1], [0, 0], [0, 2]], [[1, 1], [2, 3], [2, 0]]], dtype=float)


def test_payoff_version_player_one_changes_fastest():
    g = loads_nfg(PAYOFF_FORM)
    assert g.name == "Selten (IJGT, 75), Figure 2, normal form"
    assert g.players == ("Player 1", "Player 2")
    assert g.actions == (("1", "2", "3"), ("1", "2"))
    np.testing.assert_array_equal(g.payoffs, SELTEN)


def test_outcome_version_equals_payoff_version():
    assert loads_nfg(OUTCOME_FORM) == loads_nfg(PAYOFF_FORM)


def test_null_outcome_zero_and_commas_optional_and_three_players():
    text = ('NFG 1 R "" { "a" "b" "c" } { { "x" "y" } { "z" } { "u" } }\n'
            '{ { "o" 1 2 3 } }\n0 1')
    g = loads_nfg(text)
    np.testing.assert_array_equal(g.payoffs[:, 0, 0, 0], [0, 0, 0])
    np.testing.assert_array_equal(g.payoffs[:, 1, 0, 0], [1, 2, 3])


def test_numbers_rational_decimal_exponent_signs_and_large_integers():
    big = "123456789012345678901234567890"
    text = f'NFG 1 D "" {{ "a" "b" }} {{ 3 1 }} 3/2 -.5 +2.25 1e3 {big} -7/4'
    g = loads_nfg(text)
    np.testing.assert_array_equal(g.payoffs[0].ravel(), [1.5, 2.25, float(int(big))])
    np.testing.assert_array_equal(g.payoffs[1].ravel(), [-0.5, 1e3, -1.75])


def test_quoted_strings_with_escapes_newlines_and_comment():
    text = ('NFG 1 R "say \\"hi\\" \\\\ bye" { "P \\"1\\"" "line\nbreak" }\n'
            '{ { "a" "b" } { "c" } }\n"a comment, { with } braces"\n1 2 3 4')
    g = loads_nfg(text)
    assert g.name == 'say "hi" \\ bye'
    assert g.players == ('P "1"', "line\nbreak")
    np.testing.assert_array_equal(g.payoffs[:, :, 0], [[1, 3], [2, 4]])


def test_empty_and_repeated_labels_are_made_distinct():
    text = ('NFG 1 R "" { "" "" } { { "defect" "defect" "" } { "c" } }\n'
            '1 1 2 2 3 3')
    g = loads_nfg(text)
    assert g.players == ("player 1", "player 2")
    assert g.actions[0] == ("defect", "defect (2)", "3")


@pytest.mark.parametrize("form", ["payoff", "outcome"])
def test_write_then_read_gives_an_equal_game(tmp_path, form):
    g = pg.NormalFormGame(
        [np.arange(12.0).reshape(2, 3, 2) / 7, -np.arange(12.0).reshape(2, 3, 2) * 1e20,
         np.full((2, 3, 2), 0.1)],
        players=['quote "q"', "back\\slash", "é"], actions=[["a", "b"], ["x", "y", "z"],
                                                           ["1", "2"]],
        name="three\nlines")
    path = pg.write_nfg(g, tmp_path / "g.nfg", form=form)
    h = pg.read_nfg(path)
    assert h == g and h.name == g.name
    np.testing.assert_array_equal(h.payoffs, g.payoffs)
    assert pg.load(path) == g


def test_outcome_form_lists_each_payoff_vector_once():
    g = pg.load("games/classic/matching_pennies.toml")
    text = dumps_nfg(g, "outcome")
    assert text.count('{ "" ') == 2
    assert text.rstrip().endswith("1 2 2 1")


def test_payoff_form_writes_shortest_exact_decimals():
    g = pg.NormalFormGame([[[0.1, 1 / 3]], [[2.0, -1e-7]]])
    text = dumps_nfg(g)
    assert "0.1 2" in text and "0.0000001" in text and "e" not in text.split("\n", 3)[3]
    assert loads_nfg(text) == g


def test_classic_nfg_copies_equal_their_toml_originals():
    for name in ("prisoners_dilemma", "chicken", "volunteers_dilemma"):
        assert pg.read_nfg(f"games/nfg/{name}.nfg") == pg.load(f"games/classic/{name}.toml")


BAD = [
    ("", "end of file: expected the file header 'NFG 1 R' (file truncated?)"),
    ('EFG 2 R "x" { "a" "b" }', "line 1: not a Gambit .nfg file: it must start with 'NFG', "
                               "got 'EFG'"),
    ('\n\nkind = "normal_form"', "line 3: not a Gambit .nfg file: it must start with 'NFG', "
                                "got 'kind'"),
    ('NFGx 1 R', "line 1, column 1: unexpected text 'NFGx' (expected a number, a quoted "
                 "string or a brace)"),
    ('NFG 2 R "x"', "line 1, column 5: unsupported .nfg version: expected 1, got number '2'"),
    ('NFG 1 X "x"', "line 1, column 7: expected the number type 'R' or 'D', got word 'X'"),
    ('NFG 1 R "x" { "a" } { 2 } 1 2', "line 1, column 21: a game needs at least two players, "
                                      "the file lists 1"),
    ('NFG 1 R "x" { "a" "b" } { 2 0 }', "line 1, column 29: the strategy count of player 2 "
                                        "must be >= 1, got 0"),
    ('NFG 1 R "x" { "a" "b" } { { "s" } { } } 1 2',
     "line 1, column 39: player 2 has no strategies"),
    ('NFG 1 R "x" { "a" "b" } { 2 2 } 1 2 3', "end of file: expected payoff 4 of 8 (file "
                                              "truncated?)"),
    ('NFG 1 R "x" { "a" "b" } { 1 1 } 1 z', "line 1, column 35: expected payoff 2 of 2 (a "
                                            "number), got word 'z'"),
    ('NFG 1 R "x" { "a" "b" } { 1 1 } 1 "2"', "line 1, column 35: expected payoff 2 of 2 (a "
                                              "number), got the string '2'"),
    ('NFG 1 R "x" { "a" "b" } { 1 1 } 1 2 3', "line 1, column 37: unexpected number '3' after "
                                              "the end of the game"),
    ('NFG 1 R "x" { "a" "b" } { 1 1 } 1 2/0', "line 1, column 35: payoff '2/0' divides by "
                                              "zero"),
    ('NFG 1 R "x" { "a" "b" } { 1 1 } 1 1e999', "line 1, column 35: payoff 1e999 is not a "
                                                "finite float64"),
    ('NFG 1 R "x" { "a" "b" } { 1 1 } 1 1e999999999/3', "line 1, column 35: payoff "
                                                        "1e999999999/3 is not a finite "
                                                        "float64"),
    ('NFG 1 R "x" { "a" "b" } { 1 1 } 1 1/' + "0" * 5000, "line 1, column 35: payoff "
                                                          "'1/000000000000000...' divides by "
                                                          "zero"),
    ('NFG 1 R "x" { "a" "b" } { 1 1 } 1 ' + "9" * 400, "line 1, column 35: payoff "
                                                        "99999999999999999... is not a finite "
                                                        "float64"),
    ('NFG 1 R "x" { "a" "b" } { { "s" } { "t" } } { { "" 1 2 } } 2',
     "line 1, column 60: the outcome number of profile 1 must be 0..1, got 2"),
    ('NFG 1 R "x" { "a" "b" } { { "s" } { "t" } } { { "" 1 } } 1',
     "line 1, column 54: outcome 1 has 1 payoffs, expected 2 (one per player)"),
    ('NFG 1 R "x" { "a" "b" } { { "s" } { "t" } } { { "" 1 2 }',
     "end of file: expected an outcome '{ \"label\" payoffs }' or '}' closing the outcome "
     "list (file truncated?)"),
    ('NFG 1 R "x" { "a" "b" } { { "s" } { "t" } } { { "" 1 2 } }',
     "end of file: expected the outcome number of profile 1 of 1 (file truncated?)"),
    ('NFG 1 R "x" { "a" "b" } { { "s" } { "t" } } { { "" 1 2 } } 1.5',
     "line 1, column 60: expected the outcome number of profile 1 (a whole number), got "
     "number '1.5'"),
    ('NFG 1 R "x" { "a" "b" } { 1 1 } 1 @', "line 1, column 35: unexpected text '@' "
                                            "(expected a number, a quoted string or a brace)"),
    ('NFG 1 R "x { "a" "b" } { 1 1 } 1 2', "line 1, column 20: unterminated quoted string "
                                           "(file truncated?)"),
    ('NFG 1 R "x" { "a" "b" } { 1 1 } "unterminated', "line 1, column 33: unterminated "
                                                      "quoted string (file truncated?)"),
    ('NFG 1 R "x" { "a" "b" } { 100000000 100000000 } 1 2',
     "end of file: expected payoff 3 of 20000000000000000 (file truncated?)"),
]


@pytest.mark.parametrize("text, rule", BAD)
def test_malformed_text_raises_game_file_error_with_position(text, rule):
    with pytest.raises(pg.GameFileError) as info:
        loads_nfg(text, "bad.nfg")
    assert str(info.value) == f"load: bad.nfg: {rule}"


def test_too_many_players_refused_before_allocating():
    text = 'NFG 1 R "" { ' + '"p" ' * 40 + "} { " + "1 " * 40 + "} 0"
    with pytest.raises(pg.GameFileError, match="paxgame reads games of at most 31 players"):
        loads_nfg(text)


def test_every_truncation_of_a_valid_file_loads_or_raises_game_file_error():
    text = OUTCOME_FORM.rstrip()
    for cut in range(len(text)):
        try:
            loads_nfg(text[:cut], "cut.nfg")
        except pg.GameFileError as err:
            assert str(err).startswith("load: cut.nfg: ")
    # cutting inside a number changes the game but leaves a well-formed file
    assert loads_nfg(OUTCOME_FORM.replace("5 6", "5 65")[:-2]) == loads_nfg(OUTCOME_FORM)


def test_read_nfg_names_itself_and_the_file(tmp_path):
    path = tmp_path / "t.nfg"
    path.write_text('NFG 1 R "x" { "a" "b" } { 2 2 } 1 2 3', encoding="utf-8")
    with pytest.raises(pg.GameFileError, match=re.escape(f"read_nfg: {path}: end of file")):
        pg.read_nfg(path)
    with pytest.raises(FileNotFoundError, match="read_nfg: .*: no such file"):
        pg.read_nfg(tmp_path / "missing.nfg")


def test_write_nfg_rejects_bad_arguments(tmp_path):
    g = pg.load("games/classic/chicken.toml")
    with pytest.raises(ValueError, match="write_nfg: form must be 'payoff' or 'outcome', "
                                         "got 'table'"):
        pg.write_nfg(g, tmp_path / "x.nfg", form="table")
    with pytest.raises(TypeError, match="write_nfg: game must be a NormalFormGame, got list"):
        pg.write_nfg([[1]], tmp_path / "x.nfg")
    with pytest.raises(TypeError, match="write_nfg: path must be a str or os.PathLike"):
        pg.write_nfg(g, 3)


def test_loader_never_evaluates_text():
    # python-looking payloads are plain syntax errors, never executed
    text = 'NFG 1 R "x" { "a" "b" } { 1 1 } __import__("os").system("false") 1'
    with pytest.raises(pg.GameFileError, match="unexpected text"):
        loads_nfg(text)

"""Error catalogue rows of the game-file entry points and of NormalFormGame.

Files named here live in tests/error_catalogue/io_files/ (paths are relative to the
repository root, where the test suite runs).
"""

import nashpy
import numpy as np

import paxgame as pg
import paxgame.io

F = "tests/error_catalogue/io_files"
PD = [[[3, 0], [5, 1]], [[3, 5], [0, 1]]]


def _with_limit(limit, call):
    """Run ``call`` with paxgame.io.MAX_FILE_BYTES set to ``limit`` (restored afterwards)."""
    saved = paxgame.io.MAX_FILE_BYTES
    paxgame.io.MAX_FILE_BYTES = limit
    try:
        return call()
    finally:
        paxgame.io.MAX_FILE_BYTES = saved


def _chicken():
    return pg.load("games/classic/chicken.toml")


CASES = [
    # -- pg.load: the file itself ------------------------------------------------------------
    dict(entry="pg.load", bad_input="a path that does not exist",
         call=lambda: pg.load(f"{F}/no_such_game.toml"), error=FileNotFoundError,
         message=f"load: {F}/no_such_game.toml: no such file"),
    dict(entry="pg.load", bad_input="a path that is not a str or PathLike",
         call=lambda: pg.load(42), error=TypeError,
         message="load: path must be a str or os.PathLike, got int"),
    dict(entry="pg.load", bad_input="a file that is neither TOML nor .nfg (notes.txt)",
         call=lambda: pg.load(f"{F}/notes.txt"), error=pg.GameFileError,
         message=f"load: {F}/notes.txt: unknown file type '.txt': paxgame reads .toml and "
                 f".nfg files"),
    dict(entry="pg.load", bad_input="a file above the size limit paxgame.io.MAX_FILE_BYTES "
                                    "(here set to 32 bytes)",
         call=lambda: _with_limit(32, lambda: pg.load(f"{F}/small.toml")),
         error=pg.GameFileError,
         message=f"load: {F}/small.toml: file is 61 bytes, larger than the limit of 32 bytes "
                 f"(paxgame.io.MAX_FILE_BYTES)"),
    dict(entry="pg.load", bad_input="a device or FIFO, e.g. /dev/null (never opened: a FIFO "
                                    "would block)",
         call=lambda: pg.load("/dev/null"), error=pg.GameFileError,
         message="load: /dev/null: not a regular file (it is a character device)"),
    dict(entry="pg.load", bad_input="an empty file",
         call=lambda: pg.load(f"{F}/empty.toml"), error=pg.GameFileError,
         message=f"load: {F}/empty.toml: the file is empty"),
    dict(entry="pg.write_nfg", bad_input="a path that exists and is not a regular file",
         call=lambda: pg.write_nfg(_chicken(), "/dev/null"), error=pg.GameFileError,
         message="write_nfg: /dev/null: exists and is not a regular file (write_nfg writes "
                 "regular files only)"),
    dict(entry="pg.load", bad_input="a binary (not UTF-8) file",
         call=lambda: pg.load(f"{F}/binary.nfg"), error=pg.GameFileError,
         message=f"load: {F}/binary.nfg: not a UTF-8 text file (byte 0)"),
    dict(entry="pg.load", bad_input="a TOML syntax error (unclosed array)",
         call=lambda: pg.load(f"{F}/broken.toml"), error=pg.GameFileError,
         message=f"load: {F}/broken.toml: not valid TOML (Unclosed array (at end of "
                 f"document))"),
    # -- pg.load: the TOML schema ------------------------------------------------------------
    dict(entry="pg.load", bad_input="misspelt TOML key payofs = ...",
         call=lambda: pg.load(f"{F}/misspelt.toml"), error=pg.GameFileError,
         message=f"load: {F}/misspelt.toml: key 'payofs': unknown key (did you mean "
                 f"'payoffs'?)"),
    dict(entry="pg.load", bad_input='unknown kind = "normal-form"',
         call=lambda: pg.load(f"{F}/unknown_kind.toml"), error=pg.GameFileError,
         message=f"load: {F}/unknown_kind.toml: key 'kind': unknown kind 'normal-form' (did "
                 f"you mean 'normal_form'?); choose one of: normal_form, repeated, regime, "
                 f"revocation, tu"),
    dict(entry="pg.load", bad_input="a required key (name) missing",
         call=lambda: pg.load(f"{F}/missing_name.toml"), error=pg.GameFileError,
         message=f"load: {F}/missing_name.toml: key 'name': required key is missing"),
    dict(entry="pg.load", bad_input="a non-finite payoff (nan) in TOML",
         call=lambda: pg.load(f"{F}/nan_payoff.toml"), error=pg.GameFileError,
         message=f"load: {F}/nan_payoff.toml: key 'payoffs[0][0][1]': must be a finite "
                 f"number, got nan"),
    dict(entry="pg.load", bad_input="ragged payoff arrays in TOML",
         call=lambda: pg.load(f"{F}/ragged.toml"), error=pg.GameFileError,
         message=f"load: {F}/ragged.toml: key 'payoffs[0][1]': has 1 entries, expected 2 (the "
                 f"shape of payoffs[0] is 2 here: ragged or mismatched payoff arrays)"),
    dict(entry="pg.load", bad_input='a string payoff "2" in TOML',
         call=lambda: pg.load(f"{F}/string_payoff.toml"), error=pg.GameFileError,
         message=f"load: {F}/string_payoff.toml: key 'payoffs[0][0][1]': must be a number, "
                 f"got a string"),
    dict(entry="pg.load", bad_input='duplicated player names players = ["a", "a"]',
         call=lambda: pg.load(f"{F}/duplicate_players.toml"), error=pg.GameFileError,
         message=f"load: {F}/duplicate_players.toml: key 'players': players[1] duplicates "
                 f"players[0] ('a')"),
    # -- pg.load / pg.read_nfg: Gambit .nfg --------------------------------------------------
    dict(entry="pg.load", bad_input="a truncated .nfg file (4 of 8 payoffs)",
         call=lambda: pg.load(f"{F}/truncated.nfg"), error=pg.GameFileError,
         message=f"load: {F}/truncated.nfg: end of file: expected payoff 5 of 8 (file "
                 f"truncated?)"),
    dict(entry="pg.read_nfg", bad_input="a truncated .nfg file (4 of 8 payoffs)",
         call=lambda: pg.read_nfg(f"{F}/truncated.nfg"), error=pg.GameFileError,
         message=f"read_nfg: {F}/truncated.nfg: end of file: expected payoff 5 of 8 (file "
                 f"truncated?)"),
    dict(entry="pg.read_nfg", bad_input="an outcome number beyond the outcome list",
         call=lambda: pg.read_nfg(f"{F}/bad_outcome.nfg"), error=pg.GameFileError,
         message=f"read_nfg: {F}/bad_outcome.nfg: line 6, column 3: the outcome number of "
                 f"profile 2 must be 0..1, got 3"),
    dict(entry="pg.read_nfg", bad_input="a rational payoff with a zero denominator (2/0)",
         call=lambda: pg.read_nfg(f"{F}/divide_by_zero.nfg"), error=pg.GameFileError,
         message=f"read_nfg: {F}/divide_by_zero.nfg: line 1, column 35: payoff '2/0' divides "
                 f"by zero"),
    dict(entry="pg.read_nfg", bad_input="a file that is not .nfg (a TOML game)",
         call=lambda: pg.read_nfg(f"{F}/small.toml"), error=pg.GameFileError,
         message=f"read_nfg: {F}/small.toml: line 1: not a Gambit .nfg file: it must start "
                 f"with 'NFG', got 'kind'"),
    dict(entry="pg.read_nfg", bad_input="a path that does not exist",
         call=lambda: pg.read_nfg(f"{F}/missing.nfg"), error=FileNotFoundError,
         message=f"read_nfg: {F}/missing.nfg: no such file"),
    # -- writers and converters ------------------------------------------------------------
    dict(entry="pg.write_nfg", bad_input="form='table'",
         call=lambda: pg.write_nfg(_chicken(), "never_written.nfg", form="table"),
         error=ValueError, message="write_nfg: form must be 'payoff' or 'outcome', got 'table'"),
    dict(entry="pg.write_nfg", bad_input="a game that is not a NormalFormGame",
         call=lambda: pg.write_nfg(PD, "never_written.nfg"), error=TypeError,
         message="write_nfg: game must be a NormalFormGame, got list"),
    dict(entry="pg.save", bad_input="a suffix other than .toml / .nfg",
         call=lambda: pg.save(_chicken(), "never_written.json"), error=ValueError,
         message="save: cannot tell the file type of 'never_written.json' from its suffix "
                 "'.json'; use .toml or .nfg"),
    dict(entry="pg.save", bad_input="an object with no to_toml_dict()",
         call=lambda: pg.save({"kind": "tu"}, "never_written.toml"), error=TypeError,
         message="save: cannot save a dict: expected a NormalFormGame or an object with a "
                 "to_toml_dict() method"),
    dict(entry="pg.from_nashpy", bad_input="an object that is not a nashpy.Game",
         call=lambda: pg.from_nashpy(PD), error=TypeError,
         message="from_nashpy: game must be a nashpy.Game, got list"),
    dict(entry="g.to_nashpy", bad_input="a game with three players",
         call=lambda: pg.load("games/classic/volunteers_dilemma.toml").to_nashpy(),
         error=ValueError,
         message="to_nashpy: nashpy handles two-player games only, this game has 3 players"),
    # -- pg.NormalFormGame -----------------------------------------------------------------
    dict(entry="pg.NormalFormGame", bad_input="a NaN payoff",
         call=lambda: pg.NormalFormGame([[[1, np.nan]], [[1, 2]]]), error=ValueError,
         message="NormalFormGame: payoffs[0][0, 1] must be finite, got nan"),
    dict(entry="pg.NormalFormGame", bad_input="an infinite payoff in a stacked array",
         call=lambda: pg.NormalFormGame(np.array([[[1.0, np.inf]], [[1.0, 2.0]]])),
         error=ValueError, message="NormalFormGame: payoffs[0, 0, 1] must be finite, got inf"),
    dict(entry="pg.NormalFormGame", bad_input="object-dtype payoffs holding strings",
         call=lambda: pg.NormalFormGame([np.array([["a", 1]], dtype=object),
                                         np.array([[1, 2]])]),
         error=TypeError,
         message="NormalFormGame: payoffs[0] must hold real numbers only (got an object "
                 "array)"),
    dict(entry="pg.NormalFormGame", bad_input="ragged payoff rows",
         call=lambda: pg.NormalFormGame([[[1, 2], [3]], [[1, 2], [3, 4]]]), error=ValueError,
         message="NormalFormGame: payoffs[0] is ragged (its rows differ in length)"),
    dict(entry="pg.NormalFormGame", bad_input="payoff arrays of different shapes",
         call=lambda: pg.NormalFormGame([[[1, 2]], [[1], [2]]]), error=ValueError,
         message="NormalFormGame: payoffs[1] has shape (2, 1), but payoffs[0] has shape "
                 "(1, 2)"),
    dict(entry="pg.NormalFormGame", bad_input="one player",
         call=lambda: pg.NormalFormGame([[1, 2]]), error=ValueError,
         message="NormalFormGame: a game needs at least two players, got 1"),
    dict(entry="pg.NormalFormGame", bad_input="an empty action set",
         call=lambda: pg.NormalFormGame(np.zeros((2, 2, 0))), error=ValueError,
         message="NormalFormGame: player 1 has an empty action set"),
    dict(entry="pg.NormalFormGame", bad_input="three player names for two players",
         call=lambda: pg.NormalFormGame(PD, players=["a", "b", "c"]), error=ValueError,
         message="NormalFormGame: players must have 2 entries, got 3"),
    dict(entry="pg.NormalFormGame", bad_input="one action name for two actions",
         call=lambda: pg.NormalFormGame(PD, actions=[["C"], ["C", "D"]]), error=ValueError,
         message="NormalFormGame: actions[0] must have 2 entries, got 1"),
    dict(entry="pg.NormalFormGame", bad_input="duplicated player names",
         call=lambda: pg.NormalFormGame(PD, players=["a", "a"]), error=ValueError,
         message="NormalFormGame: players[1] duplicates players[0] ('a')"),
    dict(entry="pg.NormalFormGame", bad_input="a player name that is not a string",
         call=lambda: pg.NormalFormGame(PD, players=["a", 2]), error=TypeError,
         message="NormalFormGame: players[1] must be a string, got int"),
    dict(entry="pg.NormalFormGame", bad_input="payoffs given as a string",
         call=lambda: pg.NormalFormGame("3 0 5 1"), error=TypeError,
         message="NormalFormGame: payoffs must be a sequence of arrays, one per player, got "
                 "str"),
    dict(entry="pg.from_nashpy", bad_input="names of the wrong count",
         call=lambda: pg.from_nashpy(nashpy.Game(PD[0], PD[1]), players=["a"]),
         error=ValueError, message="NormalFormGame: players must have 2 entries, got 1"),
]

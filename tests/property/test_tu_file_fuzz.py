"""Fuzzing the kind = "tu" loader: any generated file loads or raises GameFileError."""

import tomli_w
from hypothesis import given, settings, strategies as st

import paxgame as pg
from paxgame.io import loads_toml

SCALARS = st.one_of(st.integers(-5, 40), st.floats(allow_nan=True, allow_infinity=True),
                    st.text(max_size=6), st.booleans())
NUMS = st.lists(st.one_of(st.integers(-3, 9), st.floats(-5, 50)), max_size=9)
KEYS = ["name", "players", "values", "coalitions", "builder", "source", "valuse", "type",
        "estate", "claims", "weights", "quota", "left", "right", "costs", "savings",
        "capabilities", "production", "rho", "returns", "scale", "inputs", "shares"]
VALUES = st.one_of(SCALARS, NUMS, st.lists(NUMS, max_size=4), st.lists(st.text(max_size=3),
                                                                     max_size=5))
BUILDER = st.fixed_dictionaries(
    {"type": st.sampled_from(["weighted_voting", "bankruptcy", "glove", "airport",
                              "capability_pool", "nope"])},
    optional={k: VALUES for k in KEYS[8:]})
DOC = st.fixed_dictionaries(
    {"kind": st.just("tu")},
    optional={"name": SCALARS, "players": st.one_of(st.lists(st.sampled_from(
        ["A", "B", "C", "D"]), max_size=5), VALUES), "values": VALUES,
        "coalitions": st.dictionaries(st.sampled_from(["A", "B", "A+B", "A+C", "C+D+A", "",
                                                       "Z"]), SCALARS, max_size=4),
        "builder": BUILDER, "valuse": VALUES})


def _dump(doc):
    try:
        return tomli_w.dumps(doc)
    except (TypeError, ValueError):  # NaN keys etc. that TOML cannot hold
        return None


@settings(max_examples=200)
@given(DOC)
def test_generated_files_load_or_raise_game_file_error(doc):
    text = _dump(doc)
    if text is None:
        return
    try:
        game = loads_toml(text, "fuzz.toml")
    except pg.GameFileError as err:
        assert str(err).startswith("load: fuzz.toml")
    else:
        assert isinstance(game, pg.TUGame)


@settings(max_examples=100)
@given(st.text(max_size=200))
def test_mutated_text_never_escapes(tail):
    text = 'kind = "tu"\nplayers = ["A", "B"]\n' + tail
    try:
        loads_toml(text, "fuzz.toml")
    except pg.GameFileError:
        pass


def test_player_limit_for_files():
    import pytest

    with pytest.raises(pg.GameFileError, match="at most 20 players"):
        loads_toml('kind = "tu"\n[builder]\ntype = "glove"\nleft = 30\nright = 1\n', "g.toml")

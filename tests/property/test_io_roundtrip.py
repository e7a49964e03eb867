"""Properties of the game-file writers and readers (hypothesis).

- write -> read gives an equal game (payoffs exactly, names, title) for .nfg (both
  versions) and TOML, whatever the names (quotes, backslashes, newlines, unicode) and payoffs
  (any finite float64, huge integers);
- reading never raises anything but GameFileError on a prefix or a mutation of a valid file.
"""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import paxgame as pg
from paxgame.io import loads_toml
from paxgame.io._normal_form_schema import dumps_toml
from paxgame.io.nfg import dumps_nfg, loads_nfg

label = st.text(min_size=1, max_size=6).filter(lambda s: s.strip())


@st.composite
def games(draw):
    n = draw(st.integers(2, 4))
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)))
    size = n * math.prod(shape)
    values = draw(st.lists(
        st.one_of(st.floats(allow_nan=False, allow_infinity=False),
                  st.integers(-10 ** 20, 10 ** 20).map(float),
                  st.fractions(max_denominator=100).map(float)),
        min_size=size, max_size=size))
    players = draw(st.lists(label, min_size=n, max_size=n, unique=True))
    actions = [draw(st.lists(label, min_size=m, max_size=m, unique=True)) for m in shape]
    name = draw(st.text(max_size=10))
    return pg.NormalFormGame(np.array(values).reshape((n, *shape)), players=players,
                             actions=actions, name=name)


def _same(a, b):
    # equal payoffs (exactly: the writers use the shortest decimal that reads back the same
    # float64; -0.0 is written as 0), names and title
    assert a == b and a.name == b.name
    assert np.array_equal(a.payoffs, b.payoffs)


@given(games(), st.sampled_from(["payoff", "outcome"]))
def test_nfg_round_trip(g, form):
    _same(loads_nfg(dumps_nfg(g, form)), g)


@given(games())
def test_toml_round_trip(g):
    _same(loads_toml(dumps_toml(g, source="s")), g)


@given(games(), st.data())
def test_prefixes_of_a_valid_file_load_or_raise_game_file_error(g, data):
    text = dumps_nfg(g, data.draw(st.sampled_from(["payoff", "outcome"])))
    cut = data.draw(st.integers(0, len(text)))
    try:
        loads_nfg(text[:cut], "p.nfg")
    except pg.GameFileError as err:
        assert str(err).startswith("load: p.nfg: ")


@given(games(), st.data())
def test_mutated_toml_loads_or_raises_game_file_error(g, data):
    text = dumps_toml(g)
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    junk = data.draw(st.text('[]{}",=.-0123456789 \nabcdefghijklmnopqrstuvwxyz', max_size=5))
    try:
        loads_toml(text[:i] + junk + text[j:], "m.toml")
    except pg.GameFileError as err:
        assert str(err).startswith("load: m.toml: ")

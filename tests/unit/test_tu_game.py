"""TUGame: construction, validation, properties, TOML round trip."""

import numpy as np
import pytest
import tomli_w

import paxgame as pg
from paxgame.io import loads_toml


def test_from_array_and_properties():
    tu = pg.TUGame([0, 1, 2, 4], players=["a", "b"])
    assert tu.num_players == 2 and tu.players == ("a", "b")
    assert tu.value(("a", "b")) == 4.0 and tu.value(0b01) == 1.0 and tu.value([1]) == 2.0
    assert tu.grand_coalition == 3 and tu.members(0b10) == ("b",)
    assert not tu.values.flags.writeable


def test_from_mapping_with_names_indices_and_frozensets():
    a = pg.TUGame({("x",): 1, ("x", "y"): 3}, players=["x", "y"])
    b = pg.TUGame({frozenset({0}): 1, (0, 1): 3})
    assert np.array_equal(a.values, b.values) and a.values.tolist() == [0, 1, 0, 3]


def test_from_function():
    tu = pg.TUGame(lambda S: len(S) ** 2, players=3)
    assert tu.values.tolist() == [0, 1, 1, 4, 1, 4, 4, 9]


@pytest.mark.parametrize("values, players, error, text", [
    ([0, 1, 2], None, ValueError, "length 2**n"),
    ([1, 1, 1, 2], None, ValueError, "empty coalition must be worth 0"),
    ([0, np.nan, 1, 2], None, ValueError, "must be finite"),
    ([0, 1, 1, 2], ["a"], ValueError, "(2 players), but players gives 1"),
    ({("a", "z"): 1}, ["a", "b"], ValueError, "unknown player 'z'"),
    ({(0, 5): 1}, 2, ValueError, "outside 0..1"),
    ({(0, 0): 1}, 2, ValueError, "twice"),
    (lambda S: 1.0, None, ValueError, "needs players"),
    (lambda S: "x", 2, TypeError, "returned str"),
    ([0, 1, 1, 2], ["a", "a"], ValueError, "duplicates"),
    (["0", "1"], None, TypeError, "real numbers"),
])
def test_rejects_bad_input(values, players, error, text):
    with pytest.raises(error, match=None) as info:
        pg.TUGame(values, players)
    assert str(info.value).startswith("TUGame:") and text in str(info.value)


def test_equality_hash_and_repr():
    a = pg.TUGame([0, 1, 1, 3], name="g")
    assert a == pg.TUGame([0, 1, 1, 3]) and hash(a) == hash(pg.TUGame([0, 1, 1, 3]))
    assert a != pg.TUGame([0, 1, 1, 4]) and "2 players" in repr(a)


def test_superadditive_convex_veto():
    # glove game 1 left, 2 right: superadditive, not convex, L1 veto
    g = pg.glove_game(1, 2)
    assert g.is_superadditive() and not g.is_convex() and g.veto_players() == ("L1",)
    # a convex game: v(S) = |S|^2
    c = pg.TUGame(lambda S: len(S) ** 2, players=4)
    assert c.is_convex() and c.is_superadditive() and c.veto_players() == ()
    # not superadditive: the pair is worth less than its members
    assert not pg.TUGame([0, 2, 2, 3]).is_superadditive()
    # many players: the blocked ternary enumeration covers high players too
    n = 13
    from paxgame.kernels.tu import popcount

    v = popcount(n).astype(float) ** 1.2
    assert pg.TUGame(v).is_superadditive()
    v2 = v.copy()
    v2[(1 << 12) | 1] = 0.0  # {0, 12} worth less than its members
    assert not pg.TUGame(v2).is_superadditive()


def test_toml_round_trip():
    tu = pg.TUGame([0, 1, 1, 3], players=["a", "b"], name="pair")
    text = tomli_w.dumps(tu.to_toml_dict())
    back = loads_toml(text)
    assert back == tu and back.name == "pair"


def test_toml_forms():
    values = loads_toml('kind = "tu"\nplayers = ["A", "B"]\nvalues = [0, 1, 1, 3]\n')
    coal = loads_toml('kind = "tu"\nplayers = ["A", "B"]\n[coalitions]\nA = 1\nB = 1\n'
                      '"A+B" = 3\n')
    assert values == coal
    built = loads_toml('kind = "tu"\n[builder]\ntype = "bankruptcy"\nestate = 200\n'
                       'claims = [100, 200, 300]\n')
    assert built == pg.bankruptcy(200, [100, 200, 300])
    pool = loads_toml('kind = "tu"\n[builder]\ntype = "capability_pool"\n'
                      'capabilities = [[1, 0], [0, 1]]\ninputs = ["compute", "data"]\n')
    assert pool.values.tolist() == [0, 0, 0, 1]


@pytest.mark.parametrize("text, key", [
    ('kind = "tu"\nvalues = [0, 1, 2]\n', "values"),
    ('kind = "tu"\nvalue = [0, 1, 1, 2]\n', "value"),
    ('kind = "tu"\nplayers = ["A"]\n[coalitions]\nB = 1\n', "coalitions.B"),
    ('kind = "tu"\n[coalitions]\nB = 1\n', "players"),
    ('kind = "tu"\n[builder]\ntype = "bankrupcy"\n', "builder.type"),
    ('kind = "tu"\n[builder]\ntype = "bankruptcy"\nestate = 1\nclaims = [1]\nextra = 1\n',
     "builder.extra"),
    ('kind = "tu"\nvalues = [0, 1, 1, 2]\n[builder]\ntype = "glove"\nleft = 1\nright = 1\n',
     None),
])
def test_toml_errors_name_the_key(text, key):
    with pytest.raises(pg.GameFileError) as info:
        loads_toml(text, "x.toml")
    msg = str(info.value)
    assert msg.startswith("load: x.toml")
    if key:
        assert f"key '{key}'" in msg


def test_scenario_files_load():
    a = pg.load("games/scenarios/coalition_anchor_veto.toml")
    b = pg.load("games/scenarios/coalition_coproduction.toml")
    assert a.players == b.players and a.veto_players() == ("anchor",)
    assert b.veto_players() == ()
    assert a.values[-1] == pytest.approx(b.values[-1])  # same technology and totals

"""Scenario files: mutated and truncated text either loads or raises GameFileError."""

from hypothesis import given, strategies as st

import paxgame as pg
from paxgame.io import loads_toml

BASE = open("games/scenarios/managed_interdependence.toml").read()
LINES = BASE.splitlines()
VALUES = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr),
                   st.integers(-10, 10).map(str), st.sampled_from(
                       ['"x"', "true", "[]", "[1, 2]", "[[0.5, 0.5]]", "{}", '"hawkish"', "-1",
                        "1e400", "nan", "inf", "[0.2, 0.3, 0.5]"]))


@given(st.data())
def test_mutated_scenario_text_loads_or_raises_documented_error(data):
    lines = list(LINES)
    for _ in range(data.draw(st.integers(1, 4))):
        k = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "value", "truncate", "rename"]))
        if action == "delete":
            del lines[k]
        elif action == "value" and "=" in lines[k]:
            lines[k] = lines[k].split("=")[0] + "= " + data.draw(VALUES)
        elif action == "truncate":
            lines[k] = lines[k][: data.draw(st.integers(0, len(lines[k])))]
        elif action == "rename" and "=" in lines[k]:
            lines[k] = "x" + lines[k]
        if not lines:
            break
    text = "\n".join(lines)
    try:
        sc = loads_toml(text, "fuzz.toml")
    except pg.GameFileError as err:
        assert str(err).startswith("load: fuzz.toml")
        return
    assert isinstance(sc, pg.Scenario)
    pg.solve(sc)

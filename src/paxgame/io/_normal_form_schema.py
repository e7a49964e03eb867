"""The TOML schema of a normal-form game (``kind = "normal_form"``).

A file holds::

    kind = "normal_form"
    name = "Prisoner's dilemma"
    source = "Osborne and Rubinstein (1994), A Course in Game Theory, Example 16.2"  # optional
    description = "..."                                                              # optional
    players = ["row", "column"]                                                      # optional
    actions = [["cooperate", "defect"], ["cooperate", "defect"]]                     # optional
    payoffs = [
      [[3, 0], [5, 1]],   # player 1: payoffs[0][a_1][a_2]
      [[3, 5], [0, 1]],   # player 2: payoffs[1][a_1][a_2]
    ]

``payoffs`` is the one canonical form: one nested array per player, each of shape
(m_1, ..., m_N), indexed by the players' actions in player order. Every error names the file
and the key (``payoffs[1][0]``), and an unknown key gets a "did you mean" hint.
"""

from __future__ import annotations

import math

import numpy as np

from ..games.normal_form import NormalFormGame
from ._schema import Table

__all__ = ["parse", "to_toml_dict", "dumps_toml", "KEYS"]

#: The keys a normal-form game file may hold (besides ``kind``).
KEYS = ("name", "source", "description", "players", "actions", "payoffs")

#: Most players a game file may have (one array axis per player).
MAX_PLAYERS = 31


def _shape(table: Table, value, depth: int) -> tuple[int, ...]:
    """The shape of player 1's nested payoff array, following first elements."""
    shape = []
    key = "payoffs[0]"
    for level in range(depth):
        if not isinstance(value, list):
            raise table.error(key, f"must be an array nested {depth} deep (one level per "
                                   f"player), found {_what(value)} at depth {level}")
        if not value:
            raise table.error(key, f"player {level + 1} has an empty action set (an empty "
                                   f"array at depth {level})")
        shape.append(len(value))
        value = value[0]
        key += "[0]"
    return tuple(shape)


def _what(value) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"


def _flatten(table: Table, value, shape: tuple[int, ...], key: str, out: list) -> None:
    """Append the numbers of ``value`` to ``out``, checking it has exactly ``shape``."""
    if not shape:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise table.error(key, f"must be a number, got {_what(value)}")
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise table.error(key, f"must be a finite number, got {value!r}"
                              if isinstance(value, float) else
                              f"must be a finite number, got an integer of "
                              f"{len(str(abs(value)))} digits (too large for a float64)")
        out.append(number)
        return
    if not isinstance(value, list):
        raise table.error(key, f"must be an array of {shape[0]} entries, got {_what(value)}")
    if len(value) != shape[0]:
        raise table.error(key, f"has {len(value)} entries, expected {shape[0]} (the shape "
                               f"of payoffs[0] is {'x'.join(map(str, shape))} here: ragged "
                               f"or mismatched payoff arrays)")
    for j, item in enumerate(value):
        _flatten(table, item, shape[1:], f"{key}[{j}]", out)


def parse(table: Table) -> NormalFormGame:
    """Build a :class:`~paxgame.NormalFormGame` from the table of a ``normal_form`` file.

    Examples
    --------
    >>> from paxgame.io import loads_toml
    >>> g = loads_toml('''
    ... kind = "normal_form"
    ... name = "Matching pennies"
    ... payoffs = [[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]
    ... ''')
    >>> g.num_actions
    (2, 2)
    >>> loads_toml('kind = "normal_form"\\nname = "x"\\npayof = []', "x.toml")
    Traceback (most recent call last):
    ...
    paxgame.errors.GameFileError: load: x.toml: key 'payof': unknown key (did you mean 'payoffs'?)
    """
    name = table.take("name", str)
    table.take("source", str, None)
    table.take("description", str, None)
    players = table.take("players", list, None)
    actions = table.take("actions", list, None)
    if "payoffs" not in table.data:  # a misspelt key gets its hint before "missing"
        table.finish(set(KEYS) | {"kind"})
    payoffs = table.take("payoffs", list)
    n = len(payoffs)
    if n < 2:
        raise table.error("payoffs", f"must hold one array per player and a game needs at "
                                     f"least two players, got {n} array(s)")
    if n > MAX_PLAYERS:
        raise table.error("payoffs", f"holds {n} arrays (players); paxgame reads games of "
                                     f"at most {MAX_PLAYERS} players")
    if players is not None and len(players) != n:
        raise table.error("players", f"names {len(players)} players, but payoffs holds {n} "
                                     f"arrays (one per player)")
    shape = _shape(table, payoffs[0], n)
    if math.prod(shape) * n > 10_000_000:
        raise table.error("payoffs", f"the game has {math.prod(shape)} action profiles, more "
                                     f"than a game file may hold")
    flat: list[float] = []
    for i, array in enumerate(payoffs):
        _flatten(table, array, shape, f"payoffs[{i}]", flat)
    if actions is not None:
        if len(actions) != n:
            raise table.error("actions", f"has {len(actions)} lists, expected {n} (one per "
                                         f"player)")
        for i, names in enumerate(actions):
            if not isinstance(names, list):
                raise table.error(f"actions[{i}]", f"must be an array of names, got "
                                                   f"{_what(names)}")
            if len(names) != shape[i]:
                raise table.error(f"actions[{i}]", f"names {len(names)} actions, but the "
                                                   f"payoff arrays give player {i + 1} "
                                                   f"{shape[i]}")
    table.finish()

    arrays = np.array(flat, dtype=float).reshape((n, *shape))
    try:
        return NormalFormGame(arrays, players=players, actions=actions, name=name)
    except (TypeError, ValueError) as err:  # names: type, emptiness, duplicates
        rule = str(err).removeprefix("NormalFormGame: ")
        head = rule.split("[", 1)[0].split(" ", 1)[0]
        raise table.error(head if head in ("players", "actions", "name") else None,
                          rule) from err


def _plain(x: float):
    """An integer when ``x`` is one exactly (and small enough to stay exact), else a float."""
    return int(x) if float(x).is_integer() and abs(x) < 2 ** 53 else float(x)


def to_toml_dict(game: NormalFormGame, *, source: str | None = None,
                 description: str | None = None) -> dict:
    """The TOML table of ``game`` in the canonical schema (see the module docstring).

    Examples
    --------
    >>> import paxgame as pg
    >>> d = to_toml_dict(pg.NormalFormGame([[[1, 0], [0, 1]], [[1, 0], [0, 1.5]]], name="C"))
    >>> d["payoffs"]
    [[[1, 0], [0, 1]], [[1, 0], [0, 1.5]]]
    """
    table: dict = {"kind": "normal_form", "name": game.name}
    if source is not None:
        table["source"] = source
    if description is not None:
        table["description"] = description
    table["players"] = list(game.players)
    table["actions"] = [list(a) for a in game.actions]

    def nested(arr):
        if arr.ndim == 0:
            return _plain(arr.item())
        return [nested(a) for a in arr]

    table["payoffs"] = [nested(p) for p in game.payoff_arrays]
    return table


def _toml_value(value) -> str:
    """A TOML inline value: strings quoted by tomli_w, numbers exactly, arrays inline."""
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        import tomli_w

        return tomli_w.dumps({"x": value})[4:].strip()
    return repr(value)  # int, or float (finite: repr round-trips and is valid TOML)


def dumps_toml(game: NormalFormGame, *, source: str | None = None,
               description: str | None = None) -> str:
    """The text of ``game`` as a TOML game file, one payoff row per line.

    Examples
    --------
    >>> import paxgame as pg
    >>> print(dumps_toml(pg.load("games/classic/matching_pennies.toml")))
    kind = "normal_form"
    name = "Matching pennies"
    players = ["matcher", "mismatcher"]
    actions = [["heads", "tails"], ["heads", "tails"]]
    payoffs = [
      [[1, -1], [-1, 1]],
      [[-1, 1], [1, -1]],
    ]
    <BLANKLINE>
    """
    table = to_toml_dict(game, source=source, description=description)
    lines = [f"{key} = {_toml_value(value)}" for key, value in table.items()
             if key != "payoffs"]
    lines.append("payoffs = [")
    lines.extend(f"  {_toml_value(p)}," for p in table["payoffs"])
    lines.append("]")
    return "\n".join(lines) + "\n"

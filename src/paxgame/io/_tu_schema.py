"""The TOML schema of a TU coalition game (``kind = "tu"``).

A file gives the characteristic function in exactly one of three ways::

    kind = "tu"
    name = "Three-player majority"        # optional
    source = "..."                        # optional
    description = "..."                   # optional
    players = ["A", "B", "C"]             # optional with values/builder, required with coalitions
    values = [0, 0, 0, 1, 0, 1, 1, 1]     # (1) worths by coalition bitmask, length 2**n

    [coalitions]                          # (2) worths by coalition, members joined by "+"
    "A+B" = 1                             #     (coalitions left out are worth 0)

    [builder]                             # (3) a builder of paxgame.cooperative
    type = "bankruptcy"
    estate = 200
    claims = [100, 200, 300]

Builder types and their keys: ``weighted_voting`` (weights, quota), ``bankruptcy`` (estate,
claims), ``glove`` (left, right), ``airport`` (costs, savings), ``capability_pool``
(capabilities, production, inputs, requirements, shares, rho, returns, scale).  See
docs/reference/tu_file_format.rst.
"""

from __future__ import annotations

from .._validation import did_you_mean
from ..errors import GameFileError
from ._schema import Table
from ..games import builders as coop
from ..games.tu import TUGame

__all__ = ["parse", "KEYS", "BUILDERS", "MAX_FILE_PLAYERS"]

#: The keys a TU game file may hold (besides ``kind``).
KEYS = ("name", "source", "description", "players", "values", "coalitions", "builder")

#: Most players a TU game file may declare (2**20 worths = 8 MiB); larger games are built in
#: code, where the limit is paxgame.games.tu.MAX_PLAYERS.
MAX_FILE_PLAYERS = 20

#: Builder types and the keys each accepts (``type`` aside); required keys first.
BUILDERS = {
    "weighted_voting": (("weights", "quota"), ()),
    "bankruptcy": (("estate", "claims"), ()),
    "glove": (("left", "right"), ()),
    "airport": (("costs",), ("savings",)),
    "capability_pool": (("capabilities",), ("production", "inputs", "requirements", "shares",
                                            "rho", "returns", "scale")),
}


def _numbers(table: Table, key: str, value, depth: int = 1):
    """Check a (nested) array of numbers; returns it as lists of floats."""
    if depth == 0:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise table.error(key, f"must hold numbers, got {type(value).__name__}")
        return float(value)
    if not isinstance(value, list):
        raise table.error(key, f"must be an array, got {type(value).__name__}")
    return [_numbers(table, key, v, depth - 1) for v in value]


def _call(table: Table, key: str, build, *args, **kwargs):
    try:
        return build(*args, **kwargs)
    except GameFileError:
        raise
    except (ValueError, TypeError) as err:
        raise table.error(key, str(err)) from err


def _builder(table: Table, players):
    b = table.table("builder")
    kind = b.take("type", str)
    if kind not in BUILDERS:
        extra = did_you_mean(kind, BUILDERS)
        raise b.error("type", f"unknown builder {kind!r}{extra}; choose one of: "
                              f"{', '.join(BUILDERS)}")
    required, optional = BUILDERS[kind]
    for key in ("weights", "claims", "costs", "capabilities", "left", "right"):
        value = b.data.get(key)
        if isinstance(value, list) and len(value) > MAX_FILE_PLAYERS:
            raise b.error(key, f"a game file may have at most {MAX_FILE_PLAYERS} players, "
                               f"got {len(value)}")
        if key in ("left", "right") and isinstance(value, int) and not isinstance(
                value, bool) and value > MAX_FILE_PLAYERS:
            raise b.error(key, f"a game file may have at most {MAX_FILE_PLAYERS} players, "
                               f"got {value}")
    if kind == "weighted_voting":
        game = _call(b, "weights", coop.weighted_voting, _numbers(b, "weights", b.take("weights")),
                     b.take("quota", float), players=players)
    elif kind == "bankruptcy":
        game = _call(b, "claims", coop.bankruptcy, b.take("estate", float),
                     _numbers(b, "claims", b.take("claims")), players=players)
    elif kind == "glove":
        left, right = b.take("left", (int, list)), b.take("right", (int, list))
        if isinstance(left, list):
            left = _numbers(b, "left", left)
        if isinstance(right, list):
            right = _numbers(b, "right", right)
        game = _call(b, "left", coop.glove_game, left, right, players=players)
    elif kind == "airport":
        game = _call(b, "costs", coop.airport_game, _numbers(b, "costs", b.take("costs")),
                     players=players, savings=b.take("savings", bool, False))
    else:
        caps = _numbers(b, "capabilities", b.take("capabilities"), depth=2)
        inputs = b.take("inputs", list, None)
        if inputs is not None and caps and any(len(row) != len(inputs) for row in caps):
            raise b.error("capabilities", f"every row must list {len(inputs)} holdings, one "
                                          f"per input in 'inputs'")
        if inputs is not None and any(not isinstance(s, str) for s in inputs):
            raise b.error("inputs", "must be an array of strings")
        kwargs = {}
        for key in ("requirements", "shares"):
            if b.has(key):
                kwargs[key] = _numbers(b, key, b.take(key))
        for key in ("rho", "returns", "scale"):
            if b.has(key):
                kwargs[key] = b.take(key, float)
        game = _call(b, "capabilities", coop.capability_pool, caps,
                     b.take("production", str, "leontief"), players=players, **kwargs)
    b.finish(set(required) | set(optional) | {"type"})
    return game


def parse(table: Table):
    """Build a :class:`~paxgame.TUGame` from the top-level table of a ``kind = "tu"`` file."""
    name = table.take("name", str, "")
    table.take("source", str, "")
    table.take("description", str, "")
    players = table.take("players", list, None)
    if players is not None and any(not isinstance(p, str) for p in players):
        raise table.error("players", "must be an array of strings")
    if players is not None:
        first: dict[str, int] = {}
        for i, p in enumerate(players):
            if p in first:
                raise table.error("players", f"duplicated player name {p!r} (entries "
                                             f"{first[p]} and {i})")
            first[p] = i
    if players is not None and len(players) > MAX_FILE_PLAYERS:
        raise table.error("players", f"a game file may have at most {MAX_FILE_PLAYERS} "
                                     f"players, got {len(players)}")
    given = [k for k in ("values", "coalitions", "builder") if k in table.data]
    for k in ("values", "coalitions", "builder"):
        table.known.add(k)
    table.finish()
    if len(given) != 1:
        raise table.error(None, "give the game in exactly one of 'values', [coalitions] or "
                                f"[builder], found {len(given)}: {', '.join(given) or 'none'}")
    if given[0] == "values":
        values = _numbers(table, "values", table.take("values"))
        game = _call(table, "values", TUGame, values, players)
    elif given[0] == "coalitions":
        if players is None:
            raise table.error("players", "required key is missing (a [coalitions] table "
                                         "names its members)")
        sub = table.table("coalitions")
        mapping = {}
        for key, worth in sub.data.items():
            sub.known.add(key)
            members = tuple(m.strip() for m in key.split("+")) if key.strip() else ()
            unknown = [m for m in members if m not in players]
            if unknown:
                extra = did_you_mean(unknown[0], players)
                raise sub.error(key, f"unknown player {unknown[0]!r}{extra}")
            mapping[members] = _numbers(sub, key, worth, depth=0)
        game = _call(table, "coalitions", TUGame, mapping, players)
    else:
        game = _builder(table, players)
    if name:
        game = TUGame(game.values, game.players, name=name)
    return game

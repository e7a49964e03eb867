"""The TOML schemas of repeated games (``kind = "repeated"``) and regime games
(``kind = "regime"``).

A repeated game holds a stage game in the normal-form schema plus a discount factor (one
number, or one per player)::

    kind = "repeated"
    name = "Prisoner's dilemma"
    discount = 0.6
    payoffs = [[[3, 0], [5, 1]], [[3, 5], [0, 1]]]

A regime game holds a discount factor, one ``[[stage]]`` table per regime (each in the
normal-form schema) and either one exogenous ``transition`` matrix (K x K, rows sum to 1)
or, in every stage table, an action-dependent ``transition`` array of shape
(m_1, ..., m_N, K)::

    kind = "regime"
    name = "Calm and crisis"
    discount = 0.9
    transition = [[0.9, 0.1], [0.3, 0.7]]

    [[stage]]
    name = "calm"
    payoffs = [...]

    [[stage]]
    name = "crisis"
    payoffs = [...]

:func:`repeated_to_toml_dict` and :func:`regime_to_toml_dict` write these schemas
(:func:`paxgame.save` calls them), so that loading the written file gives back an equal game.
"""

from __future__ import annotations

import math

import numpy as np

from ._normal_form_schema import KEYS as _STAGE_KEYS
from ._normal_form_schema import parse as _parse_stage
from ._normal_form_schema import to_toml_dict as _stage_dict
from ._schema import Table
from ..repeated.repeated_game import RepeatedGame
from ..repeated.regime_game import RegimeGame

__all__ = ["parse_repeated", "parse_regime", "repeated_to_toml_dict", "regime_to_toml_dict"]


def _number(table: Table, key: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise table.error(key, f"must be a number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise table.error(key, f"must be finite, got {value}")
    return value


def _discount(table: Table, keys: set[str]):
    if "discount" not in table.data:  # a misspelt key gets its hint before "missing"
        table.finish(keys | {"kind", "discount"})
    raw = table.take("discount", (float, list))
    if isinstance(raw, list):
        values = [_number(table, f"discount[{i}]", v) for i, v in enumerate(raw)]
        for i, d in enumerate(values):
            if not 0.0 < d < 1.0:
                raise table.error(f"discount[{i}]", f"must lie in (0, 1), got {d}")
        return values
    if not 0.0 < raw < 1.0:
        raise table.error("discount", f"must lie in (0, 1), got {raw}")
    return raw


def parse_repeated(table: Table):
    """Build a :class:`~paxgame.RepeatedGame` from the table of a ``repeated`` file.

    Examples
    --------
    >>> from paxgame.io import loads_toml
    >>> rg = loads_toml('''
    ... kind = "repeated"
    ... name = "PD"
    ... discount = 0.6
    ... payoffs = [[[3, 0], [5, 1]], [[3, 5], [0, 1]]]
    ... ''')
    >>> rg
    RepeatedGame(NormalFormGame('PD', 2 players, actions 2x2), delta=0.6)
    >>> loads_toml('kind = "repeated"\\nname = "x"\\ndiscount = 1.5\\npayoffs = []', "x.toml")
    Traceback (most recent call last):
    ...
    paxgame.errors.GameFileError: load: x.toml: key 'discount': must lie in (0, 1), got 1.5
    """
    delta = _discount(table, set(_STAGE_KEYS))
    game = _parse_stage(table)
    if isinstance(delta, list) and len(delta) != game.n_players:
        raise table.error("discount", f"has {len(delta)} entries, expected one number or "
                                      f"one per player ({game.n_players})")
    return RepeatedGame(game, delta)


def parse_regime(table: Table):
    """Build a :class:`~paxgame.RegimeGame` from the table of a ``regime`` file.

    Examples
    --------
    >>> import paxgame as pg
    >>> pg.load("games/repeated/calm_and_crisis.toml")
    RegimeGame(2 regimes, 2 players, exogenous transitions, delta=0.9)
    """
    table.take("name", str)
    table.take("source", str, None)
    table.take("description", str, None)
    delta = _discount(table, {"name", "source", "description", "transition", "stage"})
    if isinstance(delta, list):
        raise table.error("discount", "a regime game has one discount factor")
    matrix = table.take("transition", list, None)
    stages = table.tables("stage")
    if not stages:
        raise table.error("stage", "needs at least one [[stage]] table")
    games, per_stage = [], []
    for st in stages:
        per_stage.append(st.take("transition", list, None))
        games.append(_parse_stage(st))
    k = len(games)
    if matrix is not None:
        if any(t is not None for t in per_stage):
            raise table.error("transition", "give either one exogenous matrix here or an "
                                            "action-dependent transition in every stage, "
                                            "not both")
        transition = _array(table, "transition", matrix)
    else:
        missing = [i for i, t in enumerate(per_stage) if t is None]
        if missing:
            raise table.error("transition", f"is missing: give a {k} x {k} matrix or a "
                                            f"transition in every stage (stage[{missing[0]}] "
                                            f"has none)")
        transition = [_array(stages[i], "transition", t) for i, t in enumerate(per_stage)]
    table.finish()
    try:
        return RegimeGame(games, transition, delta)
    except (TypeError, ValueError) as err:
        rule = str(err).removeprefix("RegimeGame: ")
        raise table.error("transition" if "transition" in rule else None, rule) from err


def _array(table: Table, key: str, value) -> np.ndarray:
    try:
        arr = np.array(value, dtype=float)
    except (TypeError, ValueError) as err:
        raise table.error(key, "must be a rectangular array of numbers") from err
    if not np.all(np.isfinite(arr)):
        raise table.error(key, "must hold finite numbers")
    return arr


def _probabilities(arr: np.ndarray):
    """A nested list of floats (TOML-ready) of a probability array."""
    return np.asarray(arr, dtype=float).tolist()


def repeated_to_toml_dict(game) -> dict:
    """The TOML table of a :class:`~paxgame.RepeatedGame` (``kind = "repeated"``).

    The stage game is written by :func:`paxgame.io._normal_form_schema.to_toml_dict`; the
    discount factor is one number, or one per player.

    Examples
    --------
    >>> import paxgame as pg
    >>> d = repeated_to_toml_dict(pg.load("games/repeated/prisoners_dilemma_d06.toml"))
    >>> d["kind"], d["discount"], d["payoffs"][0]
    ('repeated', 0.6, [[3, 0], [5, 1]])
    """
    stage = _stage_dict(game.game)
    delta = game.delta
    discount = ([float(d) for d in delta] if isinstance(delta, np.ndarray)
                else float(delta))
    table: dict = {"kind": "repeated"}
    for key, value in stage.items():
        if key == "kind":
            continue
        if key == "payoffs":
            table["discount"] = discount
        table[key] = value
    return table


def regime_to_toml_dict(game, *, name: str | None = None) -> dict:
    """The TOML table of a :class:`~paxgame.RegimeGame` (``kind = "regime"``).

    One ``stage`` table per regime (the normal-form schema, without ``kind``). An exogenous
    regime process is written as one top-level ``transition`` matrix; an action-dependent
    one as a ``transition`` array of shape (m_1, ..., m_N, K) in every stage table.

    Parameters
    ----------
    game : RegimeGame
    name : str, optional
        The file's ``name`` (a RegimeGame carries none); by default built from the
        regimes' names.

    Examples
    --------
    >>> import paxgame as pg
    >>> d = regime_to_toml_dict(pg.load("games/repeated/calm_and_crisis.toml"))
    >>> d["kind"], d["name"], d["transition"], [s["name"] for s in d["stage"]]
    ('regime', 'Regime game (calm, crisis)', [[0.9, 0.1], [0.3, 0.7]], ['calm', 'crisis'])
    """
    stages = []
    for s, g in enumerate(game.stage_games):
        stage = {k: v for k, v in _stage_dict(g).items() if k != "kind"}
        if not game.exogenous:
            stage["transition"] = _probabilities(game.transitions[s])
        stages.append(stage)
    if name is None:
        names = [g.name for g in game.stage_games]
        name = ("Regime game (" + ", ".join(names) + ")" if all(names)
                else "Regime game")
    table: dict = {"kind": "regime", "name": name, "discount": float(game.delta)}
    if game.exogenous:
        table["transition"] = _probabilities(game.transition_matrix)
    table["stage"] = stages
    return table

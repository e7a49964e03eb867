"""Reading and writing game files: TOML (every kind of game) and Gambit ``.nfg``.

:func:`load` reads any game file: a ``.nfg`` file becomes a :class:`NormalFormGame`; a TOML
file is dispatched on its top-level ``kind`` key (see :data:`KINDS`). The loaders never
execute code, refuse files larger than :data:`MAX_FILE_BYTES`, and raise
:class:`~paxgame.errors.GameFileError` (a ``ValueError``) naming the file, key and rule.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from .._validation import did_you_mean
from ..errors import GameFileError
from ._schema import MAX_FILE_BYTES, Table, file_error, parse_toml, read_text
from .nfg import loads_nfg

__all__ = ["KINDS", "MAX_FILE_BYTES", "load", "loads_toml", "GameFileError"]

#: ``MAX_FILE_BYTES`` is read by every loader at call time: assign
#: ``paxgame.io.MAX_FILE_BYTES = n`` to change the size limit.

#: TOML ``kind`` values and the parser (``module:function``) that builds each from a Table.
KINDS = {
    "normal_form": "paxgame.io._normal_form_schema:parse",
    "repeated": "paxgame.io._repeated_schema:parse_repeated",
    "regime": "paxgame.io._repeated_schema:parse_regime",
    "revocation": "paxgame.io._scenario_schema:parse",
    "tu": "paxgame.io._tu_schema:parse",
}


def _parser(kind: str):
    module, func = KINDS[kind].split(":")
    return getattr(importlib.import_module(module), func)


def loads_toml(text: str, source: str = "<string>"):
    """Build a game from TOML text (``source`` names it in error messages).

    Examples
    --------
    >>> loads_toml('kind = "normal_form"\\nname = "g"\\npayoffs = [[[1, 2]], [[3, 4]]]')
    NormalFormGame('g', 2 players, actions 1x2)
    """
    if not isinstance(text, str):
        raise TypeError(f"load: text must be a str, got {type(text).__name__}")
    data = parse_toml(text, source)
    table = Table(data, source)
    kind = table.take("kind", str)
    if kind not in KINDS:
        extra = did_you_mean(kind, KINDS)
        raise file_error(source, "kind", f"unknown kind {kind!r}{extra}; choose one of: "
                                         f"{', '.join(KINDS)}")
    return _parser(kind)(table)


def load(path):
    """Load any game file: ``.nfg`` (Gambit) or ``.toml`` (any ``kind``).

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    NormalFormGame, RepeatedGame, RegimeGame, Scenario or TUGame

    Raises
    ------
    FileNotFoundError
        The file does not exist (or is a symbolic link to a missing file, or a directory).
    GameFileError
        The path is not a regular file (a FIFO, a device such as ``/dev/null``, a socket:
        refused without being opened), the file is empty, too large
        (``paxgame.io.MAX_FILE_BYTES``), not UTF-8 text (a UTF-8 byte-order mark is
        accepted and skipped), neither TOML nor ``.nfg``, or breaks its schema; the message
        starts with ``load:``, then the file, then the key (TOML) or the line and column
        (``.nfg``).

    Notes
    -----
    A ``.toml`` file is dispatched on its ``kind`` (:data:`KINDS`); a ``.nfg`` file, or a
    file of another suffix whose text starts with ``NFG``, is read by
    :func:`paxgame.io.nfg.loads_nfg`. The formats: :doc:`/reference/file_formats`.

    Examples
    --------
    >>> import paxgame as pg
    >>> pg.load("games/classic/prisoners_dilemma.toml")
    NormalFormGame('Prisoner's dilemma', 2 players, actions 2x2)
    """
    text, source = read_text(path)
    suffix = Path(source).suffix.lower()
    if suffix == ".nfg" or (suffix != ".toml" and text.lstrip().startswith("NFG")):
        return loads_nfg(text, source)
    if suffix not in (".toml", ""):
        raise file_error(source, None, f"unknown file type {suffix!r}: paxgame reads .toml "
                                       f"and .nfg files")
    return loads_toml(text, source)

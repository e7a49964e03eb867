"""Conversions between paxgame objects and files or peer libraries.

``read_nfg`` and ``write_nfg`` (Gambit ``.nfg``), ``save`` (any game to ``.toml``, a
normal-form game to ``.nfg`` too), ``from_nashpy`` (the reverse is
:meth:`NormalFormGame.to_nashpy`) and, with the optional ``gambit`` extra (pygambit),
``to_pygambit`` and ``from_pygambit``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..games.normal_form import NormalFormGame
from ..repeated.regime_game import RegimeGame
from ..repeated.repeated_game import RepeatedGame
from ._normal_form_schema import dumps_toml
from ._repeated_schema import regime_to_toml_dict, repeated_to_toml_dict
from .nfg import read_nfg, write_nfg

__all__ = ["read_nfg", "write_nfg", "save", "from_nashpy", "to_pygambit", "from_pygambit"]


def save(game, path) -> Path:
    """Write a game to a file chosen by the suffix: ``.toml`` or (normal-form games) ``.nfg``.

    Parameters
    ----------
    game : NormalFormGame, RepeatedGame, RegimeGame, or an object with ``to_toml_dict()``
        A :class:`NormalFormGame`, :class:`RepeatedGame` or :class:`RegimeGame` is written in
        its schema of :doc:`/reference/file_formats` (a regime game's ``name`` is built from
        its regimes' names, since a RegimeGame carries none); another object is written from
        its ``to_toml_dict()`` (its own kind's schema).
    path : str or os.PathLike
        Ends in ``.toml`` or ``.nfg``; an existing file is overwritten.

    Returns
    -------
    pathlib.Path
        The path written; :func:`paxgame.load` reads it back as an equal game.

    Raises
    ------
    TypeError
        ``game`` is not a NormalFormGame and has no ``to_toml_dict()``, or a game that is
        not normal-form is saved as ``.nfg``.
    ValueError
        The suffix is neither ``.toml`` nor ``.nfg``.

    Examples
    --------
    >>> import paxgame as pg, tempfile, os
    >>> g = pg.load("games/classic/chicken.toml")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     pg.load(pg.save(g, os.path.join(d, "chicken.toml"))) == g
    True
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"save: path must be a str or os.PathLike, got {type(path).__name__}")
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".toml", ".nfg"):
        raise ValueError(f"save: cannot tell the file type of {str(path)!r} from its suffix "
                         f"{suffix!r}; use .toml or .nfg")
    if suffix == ".nfg":
        if not isinstance(game, NormalFormGame):
            raise TypeError(f"save: only a NormalFormGame can be written as .nfg, got "
                            f"{type(game).__name__}; use a .toml path")
        return write_nfg(game, p)
    if isinstance(game, NormalFormGame):
        p.write_text(dumps_toml(game), encoding="utf-8")
        return p

    if isinstance(game, RepeatedGame):
        table = repeated_to_toml_dict(game)
    elif isinstance(game, RegimeGame):
        table = regime_to_toml_dict(game)
    elif callable(getattr(game, "to_toml_dict", None)):
        table = game.to_toml_dict()
        if not isinstance(table, dict):
            raise TypeError(f"save: {type(game).__name__}.to_toml_dict() must return a dict, "
                            f"got {type(table).__name__}")
    else:
        raise TypeError(f"save: cannot save a {type(game).__name__}: expected a "
                        f"NormalFormGame or an object with a to_toml_dict() method")
    import tomli_w

    p.write_text(tomli_w.dumps(table), encoding="utf-8")
    return p


def from_nashpy(game, *, players=None, actions=None, name: str = "") -> NormalFormGame:
    """The :class:`NormalFormGame` of a two-player ``nashpy.Game``.

    Parameters
    ----------
    game : nashpy.Game
        Its ``payoff_matrices`` (A, B) become the payoffs of players 1 and 2.
    players, actions, name : optional
        As for :class:`NormalFormGame`.

    Returns
    -------
    NormalFormGame

    Examples
    --------
    >>> import nashpy, paxgame as pg
    >>> g = pg.from_nashpy(nashpy.Game([[1, -1], [-1, 1]]))
    >>> g.payoffs[1]
    array([[-1.,  1.],
           [ 1., -1.]])
    >>> pg.from_nashpy(g.to_nashpy()) == g
    True
    """
    matrices = getattr(game, "payoff_matrices", None)
    if type(game).__module__.split(".")[0] != "nashpy" or matrices is None:
        raise TypeError(f"from_nashpy: game must be a nashpy.Game, got {type(game).__name__}")
    return NormalFormGame([matrices[0], matrices[1]], players=players, actions=actions,
                          name=name)


def _pygambit(func: str):
    try:
        import pygambit  # local: optional extra 'gambit'
    except ModuleNotFoundError as err:
        raise ModuleNotFoundError(f"{func}: pygambit is not installed; install the 'gambit' "
                                  f"extra: pip install 'paxgame[gambit]'",
                                  name="pygambit") from err
    return pygambit


def to_pygambit(game):
    """The pygambit strategic game with the same payoffs (pygambit >= 17, extra ``gambit``).

    Parameters
    ----------
    game : NormalFormGame

    Returns
    -------
    pygambit.StrategicGame
        Titled with the game's name; payoffs as pygambit's rationals of the floats.

    Raises
    ------
    TypeError
        ``game`` is not a NormalFormGame.
    ModuleNotFoundError
        pygambit is not installed.
    """
    if not isinstance(game, NormalFormGame):
        raise TypeError(f"to_pygambit: game must be a NormalFormGame, got "
                        f"{type(game).__name__}")
    gbt = _pygambit("to_pygambit")
    cls = getattr(gbt, "StrategicGame", None) or gbt.Game
    return cls.from_arrays(*[game.payoffs[i] for i in range(game.n_players)],
                           title=game.name or "paxgame")


def from_pygambit(game, *, players=None, actions=None) -> NormalFormGame:
    """The :class:`NormalFormGame` of a pygambit strategic game (payoffs as floats).

    Parameters
    ----------
    game : pygambit game
        A strategic (table) game: anything with ``to_arrays()``.
    players, actions : optional
        As for :class:`NormalFormGame`.

    Returns
    -------
    NormalFormGame
    """
    if type(game).__module__.split(".")[0] != "pygambit" or not callable(
            getattr(game, "to_arrays", None)):
        raise TypeError(f"from_pygambit: game must be a pygambit game, got "
                        f"{type(game).__name__}")
    arrays = [np.asarray(a, dtype=object) for a in game.to_arrays()]
    payoffs = [np.vectorize(float, otypes=[float])(a) for a in arrays]
    return NormalFormGame(payoffs, players=players, actions=actions,
                          name=str(getattr(game, "title", "") or ""))

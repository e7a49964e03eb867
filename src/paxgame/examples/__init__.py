"""The example games and scenarios shipped with paxgame, loaded by name.

Every file of the documentation's examples is installed with the package, so the tutorial,
the how-to guides and the scenario pages run anywhere, not only in a checkout of the
repository. A name is the file's stem (``"chicken"``, ``"managed_interdependence"``); the
Gambit copies of three classic games are named with their suffix (``"chicken.nfg"``).

========================  ==============================================================
family                    what it holds
========================  ==============================================================
``classic``               two-player and N-player normal-form games from the textbooks
``repeated``              repeated games and regime (stochastic) games
``scenarios``             the revocation scenarios of the documentation's scenario pages
``cooperative``           transferable-utility (TU) coalition games
``nfg``                   Gambit ``.nfg`` copies of three classic games
========================  ==============================================================

The command line takes the same names with an ``example:`` prefix, for instance
``paxgame solve example:managed_interdependence``.

Examples
--------
>>> import paxgame as pg
>>> pg.examples.load("chicken")
NormalFormGame('Chicken', 2 players, actions 2x2)
>>> "managed_interdependence" in pg.examples.list("scenarios")
True
>>> pg.examples.path("chicken").name
'chicken.toml'
"""

from __future__ import annotations

import builtins
from importlib.resources import files
from pathlib import Path

from .._validation import nearest
from ..io import load as _load_file

__all__ = ["FAMILIES", "list", "load", "path"]

#: The example families (folders of the shipped data), in the order :func:`list` reports.
FAMILIES = ("classic", "repeated", "scenarios", "cooperative", "nfg")

_SUFFIXES = (".toml", ".nfg")


def _root() -> Path:
    return Path(str(files(__name__) / "data"))


def _index() -> dict[str, Path]:
    """Every example name and its file (TOML files by stem, ``.nfg`` files by file name)."""
    root = _root()
    index: dict[str, Path] = {}
    for family in FAMILIES:
        folder = root / family
        for file in sorted(folder.iterdir()) if folder.is_dir() else ():
            if file.suffix in _SUFFIXES:
                index[file.stem if file.suffix == ".toml" else file.name] = file
    return index


def list(family: str | None = None) -> builtins.list[str]:  # noqa: A001 - the natural name
    """The names of the shipped examples, optionally of one family only.

    Parameters
    ----------
    family : {"classic", "repeated", "scenarios", "cooperative", "nfg"}, optional
        Only the examples of this family (default: every example, family by family).

    Returns
    -------
    list of str
        Names for :func:`load` and :func:`path`, sorted within each family.

    Examples
    --------
    >>> import paxgame as pg
    >>> pg.examples.list("cooperative")
    ['airport', 'bankruptcy_talmud', 'eec_council_1958', 'glove', 'majority3', 'three_person_values']
    """
    if family is not None and family not in FAMILIES:
        hint = nearest(str(family), FAMILIES)
        extra = f" (did you mean '{hint}'?)" if hint else ""
        raise ValueError(f"examples.list: unknown family {family!r}{extra}; choose one of: "
                         f"{', '.join(FAMILIES)}")
    return [name for name, file in _index().items()
            if family is None or file.parent.name == family]


def path(name: str) -> Path:
    """The installed file of the example ``name`` (to read it, copy it or edit a copy).

    Parameters
    ----------
    name : str
        An example name from :func:`list` (a ``.toml`` suffix is accepted and ignored).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        ``name`` is not an example; the message suggests the nearest name.

    Examples
    --------
    >>> import paxgame as pg
    >>> text = pg.examples.path("prisoners_dilemma").read_text()
    >>> [line for line in text.splitlines() if line.startswith("kind")]
    ['kind = "normal_form"']
    """
    return _find(name, "examples.path")


def _find(name, func: str) -> Path:
    if not isinstance(name, str):
        raise TypeError(f"{func}: name must be a str, got {type(name).__name__}")
    index = _index()
    key = name[:-5] if name.endswith(".toml") else name
    if key not in index:
        hint = nearest(key, index)
        extra = f" (did you mean '{hint}'?)" if hint else ""
        raise ValueError(f"{func}: unknown example {name!r}{extra}; "
                         f"paxgame.examples.list() names them all")
    return index[key]


def load(name: str):
    """Load the shipped example ``name`` (see :func:`list`) like :func:`paxgame.load`.

    Parameters
    ----------
    name : str
        An example name, e.g. ``"chicken"``, ``"calm_and_crisis"``,
        ``"managed_interdependence"``, ``"glove"`` or ``"chicken.nfg"``.

    Returns
    -------
    NormalFormGame, RepeatedGame, RegimeGame, Scenario or TUGame
        What the file holds (its ``kind``).

    Raises
    ------
    ValueError
        ``name`` is not an example; the message suggests the nearest name.

    Examples
    --------
    >>> import paxgame as pg
    >>> sc = pg.examples.load("managed_interdependence")
    >>> sc.name, [p.name for p in sc.partners]
    ('Managed interdependence', ['ally A', 'ally B', 'uncertain partner'])
    """
    return _load_file(_find(name, "examples.load"))

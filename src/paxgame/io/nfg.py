"""Gambit's strategic-game file format (``.nfg``): a reader and a writer.

The format (Gambit documentation, "The strategic game (.nfg) file format", payoff and
outcome versions; McKelvey, McLennan and Turocy, *Gambit: Software Tools for Game Theory*)
is a prologue followed by a body::

    NFG 1 R "title" { "Player 1" "Player 2" }       players
    { { "U" "D" } { "L" "R" } }                      strategy names (or counts: { 2 2 })
    "an optional comment"
    body

The body is either the *payoff version*, a flat list of numbers giving, for each pure
profile in turn, the payoff of every player; or the *outcome version*, a list of outcomes
``{ "label" u_1, ..., u_N }`` followed by one outcome number per profile (1-based; 0 is the
null outcome paying everybody 0). In both, player 1's strategy changes fastest.

Reading is done by a hand-written tokenizer: quoted strings (``\\"`` and ``\\\\`` escape a
quote and a backslash), braces, commas and numbers (integers of any size, decimals,
exponents and rationals such as ``3/2``). Nothing is evaluated. Every error is a
:class:`~paxgame.errors.GameFileError` naming the file, the line and column, and what was
expected. Payoffs are stored as float64: a rational such as ``2/7`` becomes the nearest
float, and an integer beyond 2**53 is rounded.

Gambit allows empty and repeated labels; :class:`~paxgame.NormalFormGame` requires distinct,
non-empty names. The reader therefore replaces an empty player name by ``"player i"`` and an
empty strategy name by its 1-based number, and appends `` (k)`` to the k-th repeat of a
name (``"defect"``, ``"defect (2)"``). The game's title becomes its ``name``; the comment is
read and dropped.
"""

from __future__ import annotations

import math
import os
import re
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..errors import GameFileError
from ..games.normal_form import NormalFormGame
from ._schema import file_error, read_text

__all__ = ["loads_nfg", "read_nfg", "dumps_nfg", "write_nfg"]

#: Number tokens: optional sign, digits with an optional fraction and exponent, or p/q.
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?:/\d+)?")
_DELIMS = "{},"
#: One token: whitespace, a brace or comma, a quoted string (backslash escapes), a bare word.
_TOKEN = re.compile(r'(?P<ws>\s+)|(?P<delim>[{},])|(?P<string>"(?:[^"\\]|\\.)*")'
                    r'|(?P<word>[^\s{},"]+)', re.DOTALL)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
#: Longest number token read exactly (longer integers are read as floats: no int() limits).
_EXACT_DIGITS = 1000
#: Most players a game file may have (numpy arrays have at most 32 axes in numpy 1.x).
MAX_PLAYERS = 31


class _Token:
    __slots__ = ("kind", "value", "line", "col")

    def __init__(self, kind: str, value, line: int, col: int):
        self.kind = kind  # "{", "}", ",", "string", "number", "word"
        self.value = value
        self.line = line
        self.col = col

    def describe(self) -> str:
        if self.kind == "string":
            text = self.value if len(self.value) <= 20 else self.value[:17] + "..."
            return f"the string {text!r}"
        if self.kind in _DELIMS:
            return f"'{self.kind}'"
        text = str(self.value)
        return f"{self.kind} {text if len(text) <= 20 else text[:17] + '...'!r}"


class _Reader:
    """Tokens of one .nfg text with positions, and the error they raise."""

    def __init__(self, text: str, source: str, func: str):
        self.text = text
        self.source = source
        self.func = func
        self.tokens = self._tokenize(text)
        self.pos = 0

    # -- errors --------------------------------------------------------------------------
    def error(self, rule: str, token: _Token | None = None) -> GameFileError:
        if token is None:
            token = self.tokens[self.pos] if self.pos < len(self.tokens) else None
        where = (f"line {token.line}, column {token.col}" if token is not None
                 else "end of file")
        return file_error(self.source, None, f"{where}: {rule}", self.func)

    def _at(self, offset: int, rule: str) -> GameFileError:
        line = self.text.count("\n", 0, offset) + 1
        col = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return file_error(self.source, None, f"line {line}, column {col}: {rule}", self.func)

    # -- tokenizer -----------------------------------------------------------------------
    def _tokenize(self, text: str) -> list[_Token]:
        tokens: list[_Token] = []
        append = tokens.append
        line, line_start = 1, 0
        pos, n = 0, len(text)
        match = _TOKEN.match
        while pos < n:
            m = match(text, pos)
            if m is None:  # only an opening quote without its closing quote fails to match
                raise self._at(pos, "unterminated quoted string (file truncated?)")
            kind = m.lastgroup
            value = m.group()
            if kind == "word":
                if _NUMBER.fullmatch(value):
                    append(_Token("number", value, line, pos - line_start + 1))
                elif value.isalpha() and len(value) <= 3:
                    append(_Token("word", value, line, pos - line_start + 1))
                else:
                    shown = value if len(value) <= 20 else value[:17] + "..."
                    raise self._at(pos, f"unexpected text {shown!r} (expected a number, a "
                                        f"quoted string or a brace)")
            elif kind == "delim":
                append(_Token(value, value, line, pos - line_start + 1))
            elif kind == "string":
                label = value[1:-1]
                if "\\" in label:
                    label = _ESCAPE.sub(r"\1", label)
                append(_Token("string", label, line, pos - line_start + 1))
            if kind != "delim" and "\n" in value:  # whitespace or a string spanning lines
                line += value.count("\n")
                line_start = pos + value.rfind("\n") + 1
            pos = m.end()
        return tokens

    # -- token access --------------------------------------------------------------------
    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def next(self, what: str) -> _Token:
        token = self.peek()
        if token is None:
            raise self.error(f"expected {what} (file truncated?)")
        self.pos += 1
        return token

    def expect(self, kind: str, what: str) -> _Token:
        token = self.next(what)
        if token.kind != kind:
            raise self.error(f"expected {what}, got {token.describe()}", token)
        return token

    def string_list(self, what: str) -> list[str]:
        self.expect("{", f"'{{' opening the {what}")
        names = []
        while True:
            token = self.next(f"a quoted name or '}}' closing the {what}")
            if token.kind == "}":
                return names
            if token.kind != "string":
                raise self.error(f"expected a quoted name or '}}' in the {what}, got "
                                 f"{token.describe()}", token)
            names.append(token.value)

    def number(self, token: _Token, what: str) -> float:
        """The float value of a number token, refusing non-finite values and zero divisors."""
        text = token.value
        num, _, den = text.partition("/")
        exact = len(text) <= _EXACT_DIGITS and "e" not in text and "E" not in text
        try:
            if den:
                if not den.strip("0"):
                    raise self.error(f"{what} {_short(text)!r} divides by zero", token)
                # exact p/q (no exponent: Fraction would expand 1e999999999 digit by digit)
                value = float(Fraction(num) / int(den)) if exact else float(num) / float(den)
            elif exact and "." not in text:
                value = float(int(text))
            else:
                value = float(text)
        except OverflowError:
            value = math.inf
        if not math.isfinite(value):
            raise self.error(f"{what} {_short(text)} is not a finite float64", token)
        return value

    def count(self, token: _Token, what: str, low: int, high: int | None = None) -> int:
        text = token.value
        if token.kind != "number" or not re.fullmatch(r"\+?\d+", text) or len(text) > 18:
            raise self.error(f"expected {what} (a whole number), got {token.describe()}", token)
        value = int(text)
        if value < low or (high is not None and value > high):
            bound = f"{low}..{high}" if high is not None else f">= {low}"
            raise self.error(f"{what} must be {bound}, got {value}", token)
        return value


def _short(text: str) -> str:
    return text if len(text) <= 20 else text[:17] + "..."


def _repair_names(names: list[str], default) -> list[str]:
    """Make labels non-empty and distinct (see the module docstring)."""
    out: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(names):
        name = name if name.strip() else default(i)
        base, k = name, 1
        while name in seen:
            k += 1
            name = f"{base} ({k})"
        seen.add(name)
        out.append(name)
    return out


def loads_nfg(text: str, source: str = "<string>", *, func: str = "load") -> NormalFormGame:
    """Read a game from the text of a Gambit ``.nfg`` file (payoff or outcome version).

    Parameters
    ----------
    text : str
        The file's text.
    source : str
        The name used in error messages (a file path, or ``"<string>"``).
    func : str
        The public function named at the start of error messages.

    Returns
    -------
    NormalFormGame

    Raises
    ------
    GameFileError
        The text is not a well-formed ``.nfg`` game; the message gives the line and column.

    Examples
    --------
    >>> g = loads_nfg('NFG 1 R "Matching pennies" { "Row" "Column" } { 2 2 }'
    ...               ' 1 -1 -1 1 -1 1 1 -1')
    >>> g
    NormalFormGame('Matching pennies', 2 players, actions 2x2)
    >>> g.payoffs[0]
    array([[ 1., -1.],
           [-1.,  1.]])
    >>> loads_nfg('NFG 1 R "" { "A" "B" } { 2 2 } 1 2 3')
    Traceback (most recent call last):
    ...
    paxgame.errors.GameFileError: load: <string>: end of file: expected payoff 4 of 8 (file truncated?)
    """
    if not isinstance(text, str):
        raise TypeError(f"{func}: text must be a str, got {type(text).__name__}")
    start = len(text) - len(text.lstrip())
    if text[start:start + 3] != "NFG" and text.strip():
        first = text[start:].split(None, 1)[0][:20]
        line = text.count("\n", 0, start) + 1
        raise file_error(source, None, f"line {line}: not a Gambit .nfg file: it must start "
                                       f"with 'NFG', got {first!r}", func)
    r = _Reader(text, source, func)
    head = r.next("the file header 'NFG 1 R'")
    if head.kind != "word" or head.value != "NFG":
        raise r.error(f"not a Gambit .nfg file: expected 'NFG' first, got {head.describe()}",
                      head)
    version = r.next("the version number 1")
    if version.kind != "number" or version.value != "1":
        raise r.error(f"unsupported .nfg version: expected 1, got {version.describe()}",
                      version)
    kind = r.next("the number type 'R' or 'D'")
    if kind.kind != "word" or kind.value not in ("R", "D"):
        raise r.error(f"expected the number type 'R' or 'D', got {kind.describe()}", kind)
    title = r.expect("string", "the quoted game title").value
    players = r.string_list("list of player names")
    n = len(players)
    if n < 2:
        raise r.error(f"a game needs at least two players, the file lists {n}")
    if n > MAX_PLAYERS:
        raise r.error(f"the file lists {n} players; paxgame reads games of at most "
                      f"{MAX_PLAYERS} players (one array axis per player)")

    # strategies: { { "a" "b" } { "c" "d" } } or counts { 2 2 }
    r.expect("{", "'{' opening the strategy list")
    token = r.peek()
    if token is None:
        raise r.error("expected the strategy list (file truncated?)")
    actions: list[list[str]] | None = None
    if token.kind == "{":
        actions = []
        for i in range(n):
            names = r.string_list(f"strategy names of player {i + 1}")
            if not names:
                raise r.error(f"player {i + 1} has no strategies")
            actions.append(names)
        r.expect("}", f"'}}' closing the strategy list ({n} players)")
        counts = [len(a) for a in actions]
    else:
        counts = []
        for i in range(n):
            counts.append(r.count(r.next(f"the strategy count of player {i + 1}"),
                                  f"the strategy count of player {i + 1}", 1))
        r.expect("}", f"'}}' closing the strategy counts ({n} players)")

    # the optional comment
    token = r.peek()
    if token is not None and token.kind == "string":
        r.pos += 1

    n_profiles = math.prod(counts)
    token = r.peek()
    if token is not None and token.kind == "{":
        flat = _outcome_body(r, n, n_profiles)
    else:
        # payoff version: N numbers per profile; check the count before allocating
        needed = n * n_profiles
        _check_count(r, needed, "payoff")
        flat = np.empty(needed)
        for k, token in enumerate(r.tokens[r.pos:r.pos + needed]):
            if token.kind != "number":
                raise r.error(f"expected payoff {k + 1} of {needed} (a number), got "
                              f"{token.describe()}", token)
            flat[k] = r.number(token, "payoff")
        r.pos += needed
    token = r.peek()
    if token is not None:
        raise r.error(f"unexpected {token.describe()} after the end of the game")

    # profile k (player 1 fastest) is column-major order over the strategy axes
    payoffs = flat.reshape((n_profiles, n)).T.reshape((n, *counts), order="F")
    players = _repair_names(players, lambda i: f"player {i + 1}")
    if actions is None:
        actions = [[str(j + 1) for j in range(m)] for m in counts]
    else:
        actions = [_repair_names(a, lambda j: str(j + 1)) for a in actions]
    return NormalFormGame(payoffs, players=players, actions=actions, name=title)


def _check_count(r: _Reader, needed: int, what: str) -> None:
    """Fail early (before allocating) when fewer than ``needed`` tokens remain."""
    remaining = len(r.tokens) - r.pos
    if needed <= remaining:
        return
    for k, token in enumerate(r.tokens[r.pos:]):
        if token.kind != "number":
            raise r.error(f"expected {what} {k + 1} of {needed} (a number), got "
                          f"{token.describe()}", token)
    r.pos = len(r.tokens)
    raise r.error(f"expected {what} {remaining + 1} of {needed} (file truncated?)")


def _outcome_body(r: _Reader, n: int, n_profiles: int) -> np.ndarray:
    """Read the outcome list and the outcome number of each profile; return flat payoffs."""
    r.expect("{", "'{' opening the outcome list")
    outcomes = [np.zeros(n)]  # outcome 0: the null outcome
    while True:
        token = r.next("an outcome '{ \"label\" payoffs }' or '}' closing the outcome list")
        if token.kind == "}":
            break
        if token.kind != "{":
            raise r.error(f"expected an outcome '{{ \"label\" payoffs }}' or '}}', got "
                          f"{token.describe()}", token)
        r.expect("string", f"the quoted label of outcome {len(outcomes)}")
        values = []
        while True:
            token = r.next(f"a payoff of outcome {len(outcomes)} or '}}'")
            if token.kind == "}":
                break
            if token.kind == ",":
                continue
            if token.kind != "number":
                raise r.error(f"expected a payoff of outcome {len(outcomes)}, got "
                              f"{token.describe()}", token)
            values.append(r.number(token, f"payoff of outcome {len(outcomes)}"))
        if len(values) != n:
            raise r.error(f"outcome {len(outcomes)} has {len(values)} payoffs, expected {n} "
                          f"(one per player)", token)
        outcomes.append(np.array(values))
    table = np.array(outcomes)
    _check_count(r, n_profiles, "the outcome number of profile")
    index = np.empty(n_profiles, dtype=np.intp)
    last = len(outcomes) - 1
    for k, token in enumerate(r.tokens[r.pos:r.pos + n_profiles]):
        text = token.value
        if token.kind == "number" and text.isdigit() and len(text) <= 18 and int(text) <= last:
            index[k] = int(text)
        else:  # the slow path words the error
            r.count(token, f"the outcome number of profile {k + 1}", 0, last)
    r.pos += n_profiles
    return table[index].ravel()


def read_nfg(path) -> NormalFormGame:
    """Read a Gambit ``.nfg`` file (payoff or outcome version).

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    NormalFormGame

    Raises
    ------
    FileNotFoundError
        No such file.
    GameFileError
        The file is too large, not UTF-8 text, or not a well-formed ``.nfg`` game (the
        message names the file, line and column).

    Examples
    --------
    >>> import paxgame as pg
    >>> g = pg.read_nfg("games/nfg/prisoners_dilemma.nfg")
    >>> g.actions
    (('cooperate', 'defect'), ('cooperate', 'defect'))
    """
    text, source = read_text(path, func="read_nfg")
    return loads_nfg(text, source, func="read_nfg")


def _quote(label: str) -> str:
    return '"' + label.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(x: float) -> str:
    """Shortest text that reads back as exactly ``x`` (integers without a decimal point)."""
    if float(x).is_integer():
        return str(int(x))
    return np.format_float_positional(x, unique=True, trim="-")


def dumps_nfg(game: NormalFormGame, form: str = "payoff", *, func: str = "dumps_nfg") -> str:
    """The text of ``game`` as a Gambit ``.nfg`` file.

    Parameters
    ----------
    game : NormalFormGame
    form : {"payoff", "outcome"}
        The payoff version lists every payoff; the outcome version lists each distinct payoff
        vector once as an outcome and then the outcome of every profile.

    Returns
    -------
    str
        Text that :func:`loads_nfg` reads back as a game equal to ``game`` (payoffs are
        written with the shortest decimal that round-trips exactly).

    Examples
    --------
    >>> import paxgame as pg
    >>> g = pg.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], name="Pennies")
    >>> print(dumps_nfg(g, "outcome"))
    NFG 1 R "Pennies" { "player 1" "player 2" }
    { { "1" "2" } { "1" "2" } }
    ""
    {
    { "" 1, -1 }
    { "" -1, 1 }
    }
    1 2 2 1
    >>> loads_nfg(dumps_nfg(g)) == g
    True
    """
    if not isinstance(game, NormalFormGame):
        raise TypeError(f"{func}: game must be a NormalFormGame, got {type(game).__name__}")
    if form not in ("payoff", "outcome"):
        raise ValueError(f"{func}: form must be 'payoff' or 'outcome', got {form!r}")
    n = game.n_players
    lines = [f"NFG 1 R {_quote(game.name)} {{ {' '.join(map(_quote, game.players))} }}",
             "{ " + " ".join("{ " + " ".join(map(_quote, a)) + " }" for a in game.actions)
             + " }",
             '""']
    # one row per profile, player 1 fastest
    rows = game.payoffs.reshape(n, -1, order="F").T
    if form == "payoff":
        for row in rows:
            lines.append(" ".join(_number(x) for x in row))
    else:
        distinct: dict[tuple[float, ...], int] = {}
        index = []
        for row in rows:
            key = tuple(float(x) for x in row)
            index.append(distinct.setdefault(key, len(distinct) + 1))
        lines.append("{")
        for key in distinct:
            lines.append('{ "" ' + ", ".join(_number(x) for x in key) + " }")
        lines.append("}")
        lines.append(" ".join(map(str, index)))
    return "\n".join(lines) + "\n"


def write_nfg(game: NormalFormGame, path, form: str = "payoff") -> Path:
    """Write ``game`` to a Gambit ``.nfg`` file (payoff or outcome version).

    Parameters
    ----------
    game : NormalFormGame
    path : str or os.PathLike
        The file to write (overwritten if it exists).
    form : {"payoff", "outcome"}

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    TypeError
        ``game`` is not a NormalFormGame or ``path`` not a path.
    GameFileError
        The path exists and is not a regular file (a directory, FIFO or device), or the
        file cannot be written (the message names the reason).

    Examples
    --------
    >>> import paxgame as pg, tempfile, os
    >>> g = pg.load("games/classic/matching_pennies.toml")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pg.write_nfg(g, os.path.join(d, "mp.nfg"), form="outcome")
    ...     pg.read_nfg(p) == g
    True
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"write_nfg: path must be a str or os.PathLike, got "
                        f"{type(path).__name__}")
    text = dumps_nfg(game, form, func="write_nfg")
    p = Path(path)
    source = str(path)
    try:
        special = p.exists() and not p.is_file()   # follows links; a FIFO would block
    except (OSError, ValueError) as err:           # e.g. a NUL byte in the path
        raise file_error(source, None, f"cannot be written ({err})", "write_nfg") from err
    if special:
        raise file_error(source, None, "exists and is not a regular file (write_nfg writes "
                                       "regular files only)", "write_nfg")
    try:
        p.write_text(text, encoding="utf-8")
    except OSError as err:
        raise file_error(source, None, f"cannot be written "
                                       f"({err.strerror or type(err).__name__})",
                         "write_nfg") from err
    return p

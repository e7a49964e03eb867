"""Reading game files safely and checking their schema.

Loaders never execute code: TOML is parsed with :mod:`tomllib`, ``.nfg`` by a hand-written
tokenizer; nothing is unpickled or evaluated. Every schema error is a
:class:`~paxgame.errors.GameFileError` naming the file, the key (a dotted path) and the rule
broken, and an unknown key gets a "did you mean" hint.
"""

from __future__ import annotations

import importlib
import os
import stat
import sys
from pathlib import Path

from .._validation import did_you_mean
from ..errors import GameFileError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["MAX_FILE_BYTES", "REQUIRED", "Table", "read_text", "parse_toml", "file_error"]

#: Largest game file the loaders read (bytes); larger files are refused with a clear error.
MAX_FILE_BYTES = 16 * 1024 * 1024

REQUIRED = object()


def file_error(source: str, key: str | None, rule: str, func: str = "load") -> GameFileError:
    """The library's error for a bad game file: ``FUNC: FILE: key 'K': RULE``.

    ``func`` is the public function that read the file (``load`` unless, e.g., ``read_nfg``).
    """
    where = f": key '{key}'" if key else ""
    return GameFileError(f"{func}: {source}{where}: {rule}")


def read_text(path, *, max_bytes: int | None = None, func: str = "load") -> tuple[str, str]:
    """Read a text game file, refusing missing, special, empty, oversized and non-UTF-8
    files.

    A symbolic link is followed; a path that is not a regular file (a FIFO, a device such
    as ``/dev/zero`` or ``/dev/null``, a socket) is refused without being opened, so a FIFO
    never blocks. A UTF-8 byte-order mark is skipped; an empty file is refused.

    Parameters
    ----------
    path : str or os.PathLike
    max_bytes : int, optional
        The size limit; default ``paxgame.io.MAX_FILE_BYTES``, read at call time: assign
        ``paxgame.io.MAX_FILE_BYTES = ...`` to change the limit of every loader.
    func : str
        The public function named in error messages.

    Returns ``(text, source)`` where ``source`` is the path as given, for messages.

    Examples
    --------
    >>> read_text("games/classic/prisoners_dilemma.toml", max_bytes=10)
    Traceback (most recent call last):
    ...
    paxgame.errors.GameFileError: load: games/classic/prisoners_dilemma.toml: file is ... bytes, larger than the limit of 10 bytes (paxgame.io.MAX_FILE_BYTES)
    """
    if max_bytes is None:
        max_bytes = importlib.import_module(__package__).MAX_FILE_BYTES
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{func}: path must be a str or os.PathLike, got {type(path).__name__}")
    source = str(path)
    try:
        info = os.stat(path)       # follows symbolic links: the target is what is read
    except FileNotFoundError as err:
        what = ("a symbolic link to a missing file" if os.path.islink(path)
                else "no such file")
        raise FileNotFoundError(f"{func}: {source}: {what}") from err
    except (OSError, ValueError) as err:  # e.g. permission denied, a NUL byte in the path
        raise file_error(source, None, f"cannot be read ({_os_reason(err)})", func) from err
    if stat.S_ISDIR(info.st_mode):
        raise FileNotFoundError(f"{func}: {source}: is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        # never opened: a FIFO would block, a device (/dev/zero) never ends
        raise file_error(source, None, f"not a regular file (it is {_file_kind(info.st_mode)})",
                         func)
    size = info.st_size
    if size > max_bytes:
        raise file_error(source, None, f"file is {size} bytes, larger than the limit of "
                                       f"{max_bytes} bytes (paxgame.io.MAX_FILE_BYTES)", func)
    try:
        # O_NONBLOCK: should the path be swapped for a FIFO after the check, open returns
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise file_error(source, None, f"cannot be read ({_os_reason(err)})", func) from err
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise file_error(source, None, "not a regular file", func)
        data = fh.read(max_bytes + 1)  # at most one byte past the limit (the file may grow)
    if len(data) > max_bytes:
        raise file_error(source, None, f"file is larger than the limit of {max_bytes} bytes "
                                       f"(paxgame.io.MAX_FILE_BYTES)", func)
    if not data:
        raise file_error(source, None, "the file is empty", func)
    if data.startswith(_UTF8_BOM):  # a UTF-8 byte-order mark (Windows editors): accepted
        data = data[len(_UTF8_BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise file_error(source, None, f"not a UTF-8 text file (byte {err.start})",
                         func) from err
    if "\x00" in text:
        raise file_error(source, None, "not a text file (contains NUL bytes)", func)
    return text, source


_UTF8_BOM = b"\xef\xbb\xbf"


def _file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "a special file"


def _os_reason(err: BaseException) -> str:
    return getattr(err, "strerror", None) or type(err).__name__


def parse_toml(text: str, source: str, func: str = "load") -> dict:
    """Parse TOML text; a syntax error becomes a GameFileError with the line and column.

    Pathological input that :mod:`tomllib` rejects with another exception (arrays nested
    thousands deep, integers of more than 4300 digits) is reported the same way.
    """
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise file_error(source, None, f"not valid TOML ({err})", func) from err
    except RecursionError as err:
        raise file_error(source, None, "not readable TOML (tables or arrays nested too "
                                       "deeply)", func) from err
    except ValueError as err:  # e.g. int() refusing an integer of more than 4300 digits
        raise file_error(source, None, f"not readable TOML ({err})", func) from err


class Table:
    """A TOML table being read: typed access by key, then a check for leftover keys.

    Examples
    --------
    >>> t = Table({"discount": 0.9, "hrizon": 10}, "x.toml")
    >>> t.take("discount", float)
    0.9
    >>> t.take("horizon", int, 10)
    10
    >>> t.finish()
    Traceback (most recent call last):
    ...
    paxgame.errors.GameFileError: load: x.toml: key 'hrizon': unknown key (did you mean 'horizon'?)
    """

    def __init__(self, data, source: str, path: str = ""):
        if not isinstance(data, dict):
            raise file_error(source, path or None,
                             f"must be a table, got {type(data).__name__}")
        self.data = data
        self.source = source
        self.path = path
        self.known: set[str] = set()

    def key(self, name: str) -> str:
        """The dotted path of ``name`` in this table."""
        return f"{self.path}.{name}" if self.path else name

    def error(self, name: str | None, rule: str) -> GameFileError:
        return file_error(self.source, self.key(name) if name else (self.path or None), rule)

    def has(self, name: str) -> bool:
        self.known.add(name)
        return name in self.data

    def take(self, name: str, kind=None, default=REQUIRED):
        """The value at ``name`` checked against ``kind`` (a type or tuple of types).

        ``float`` accepts integers too; ``bool`` is never accepted as a number.
        """
        self.known.add(name)
        if name not in self.data:
            if default is REQUIRED:
                raise self.error(name, "required key is missing")
            return default
        value = self.data[name]
        if kind is not None:
            kinds = kind if isinstance(kind, tuple) else (kind,)
            if float in kinds and isinstance(value, int) and not isinstance(value, bool):
                return float(value)
            if isinstance(value, bool) and bool not in kinds:
                raise self.error(name, f"must be {_kind_name(kinds)}, got a boolean")
            if not isinstance(value, kinds):
                raise self.error(name, f"must be {_kind_name(kinds)}, "
                                       f"got {type(value).__name__}")
        return value

    def table(self, name: str, default=REQUIRED) -> "Table":
        """The sub-table at ``name`` (``default`` when absent and a default is given)."""
        if default is not REQUIRED and name not in self.data:
            self.known.add(name)
            return default
        return Table(self.take(name, dict), self.source, self.key(name))

    def tables(self, name: str, default=REQUIRED) -> list["Table"]:
        """An array of tables at ``name`` (``[[name]]`` in TOML)."""
        if default is not REQUIRED and name not in self.data:
            self.known.add(name)
            return default
        value = self.take(name, list)
        return [Table(v, self.source, f"{self.key(name)}[{i}]") for i, v in enumerate(value)]

    def finish(self, allowed: set[str] | None = None) -> None:
        """Raise on any key that was not read (or is not in ``allowed``)."""
        allowed = self.known if allowed is None else allowed | self.known
        for name in self.data:
            if name not in allowed:
                extra = did_you_mean(name, sorted(allowed))
                raise self.error(name, f"unknown key{extra}")


def _kind_name(kinds) -> str:
    names = {float: "a number", int: "an integer", str: "a string", bool: "true or false",
             list: "an array", dict: "a table"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)

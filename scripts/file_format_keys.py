"""Every key of every TOML file kind, as the loaders read them: the reference table.

The table is not written by hand: it records what the parsers themselves ask for (each
``Table.take`` / ``has`` / ``table`` / ``tables`` call: the dotted key, the type asked for,
the default) while they load every shipped example (:mod:`paxgame.examples`), so it cannot
drift from the loaders. The documentation renders it at build time (the
``file-format-keys`` directive of ``docs/conf.py``); ``tests/docs/test_file_format_keys.py``
checks that it covers every key of the example files and of the scenario schema's key sets.

Usage::

    python scripts/file_format_keys.py        # print the reStructuredText tables
"""

from __future__ import annotations

import contextlib
import re

import paxgame as pg
from paxgame.io import _schema

#: The order of the kinds on the page.
KIND_ORDER = ("normal_form", "repeated", "regime", "revocation", "tu")

_TYPE_NAMES = {float: "number", int: "integer", str: "string", bool: "boolean",
               list: "array", dict: "table"}


class Key:
    """What the loaders asked about one dotted key (indices of arrays of tables as ``[]``)."""

    def __init__(self, path: str):
        self.path = path
        self.types: set = set()
        self.required = False
        self.defaults: list = []
        self.table = ""  # "table" or "array of tables"

    def type_text(self) -> str:
        if self.table:
            return self.table
        names = sorted({_TYPE_NAMES.get(t, t.__name__) for t in self.types})
        return " or ".join(names) if names else "(any)"

    def default_text(self) -> str:
        if self.required:
            return "required"
        plain = [d for d in self.defaults if isinstance(d, (str, int, float, bool))]
        if self.defaults and len(plain) == len(self.defaults) and len(
                {repr(d) for d in plain}) == 1:
            value = plain[0]
            text = ("true" if value else "false") if isinstance(value, bool) else (
                f'"{value}"' if isinstance(value, str) else repr(value))
            return f"optional, default ``{text}``"
        return "optional"


def _norm(path: str) -> str:
    return re.sub(r"\[\d+\]", "[]", path)


@contextlib.contextmanager
def _recording(log: dict):
    """Record every key the parsers read into ``log`` (dotted path -> :class:`Key`)."""
    Table = _schema.Table
    saved = {name: getattr(Table, name) for name in ("take", "has", "table", "tables")}

    def entry(t, name):
        path = _norm(t.key(name))
        return log.setdefault(path, Key(path))

    def take(self, name, kind=None, default=_schema.REQUIRED):
        k = entry(self, name)
        if kind is not None:
            k.types.update(kind if isinstance(kind, tuple) else (kind,))
        if default is _schema.REQUIRED:
            k.required = True
        else:
            k.defaults.append(default)
        return saved["take"](self, name, kind, default)

    def has(self, name):
        entry(self, name)
        return saved["has"](self, name)

    def table(self, name, default=_schema.REQUIRED):
        entry(self, name).table = "table"
        return saved["table"](self, name, default)

    def tables(self, name, default=_schema.REQUIRED):
        entry(self, name).table = "array of tables"
        return saved["tables"](self, name, default)

    Table.take, Table.has, Table.table, Table.tables = take, has, table, tables
    try:
        yield log
    finally:
        for name, method in saved.items():
            setattr(Table, name, method)


def collect() -> dict[str, dict[str, Key]]:
    """kind -> dotted key -> :class:`Key`, over every shipped TOML example."""
    out: dict[str, dict[str, Key]] = {}
    for name in pg.examples.list():
        path = pg.examples.path(name)
        if path.suffix != ".toml":
            continue
        kind = _schema.parse_toml(path.read_text(encoding="utf-8"), str(path))["kind"]
        log = out.setdefault(kind, {})
        with _recording(log):
            pg.load(path)
    for log in out.values():  # a key required in one branch and defaulted in another
        for k in log.values():
            if k.required and k.defaults:
                k.required = False
    return out


def keys_table_rst() -> str:
    """One list-table per kind: key, type, required or default."""
    keys = collect()
    lines = []
    for kind in [k for k in KIND_ORDER if k in keys] + sorted(set(keys) - set(KIND_ORDER)):
        title = f'``kind = "{kind}"``'
        lines += [title, "~" * len(title), "", ".. list-table::", "   :header-rows: 1",
                  "   :widths: 40 25 35", "", "   * - Key", "     - Type", "     - Required",
                  ""]
        for path in sorted(keys[kind], key=lambda p: (p != "kind", p)):
            k = keys[kind][path]
            lines += [f"   * - ``{path}``", f"     - {k.type_text()}",
                      f"     - {k.default_text()}"]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(keys_table_rst())

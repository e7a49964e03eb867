"""Turn the latest benchmark results (``benchmarks/results/*.md``) into a reStructuredText table.

``python -m benchmarks.run`` writes a markdown table per run (``<date>-<host>.md``) beside its
JSON record. The documentation shows the newest one through the ``benchmark-table`` directive
of ``docs/conf.py``, which calls :func:`latest_table_rst`; run this script to print it::

    python scripts/benchmark_table.py [RESULTS_DIR]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def latest_result(results: Path = RESULTS) -> Path | None:
    """The newest markdown table (by the date in its name, then modification time)."""
    files = [p for p in results.glob("*.md") if p.is_file()] if results.is_dir() else []
    if not files:
        return None
    return max(files, key=lambda p: (p.name[:10], p.stat().st_mtime, p.name))


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [c.strip() for c in line.split("|")]


def markdown_to_rst(markdown: str) -> str:
    """A markdown pipe table as an RST ``list-table`` (bold ``**x**`` is kept)."""
    rows = [_cells(l) for l in markdown.splitlines() if l.strip().startswith("|")]
    rows = [r for r in rows if not all(set(c) <= set("-: ") for c in r)]
    if not rows:
        return ""
    width = len(rows[0])
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in rows:
        row = (row + [""] * width)[:width]
        for k, cell in enumerate(row):
            cell = cell.replace("\\", "\\\\").replace("`", "\\`").replace("|", "\\|")
            out.append(("   * - " if k == 0 else "     - ") + (cell or ".."))
    return "\n".join(out).replace("- ..", "-") + "\n"


def latest_table_rst(results: Path = RESULTS) -> str:
    """RST for the newest benchmark table with a line naming its run (or a placeholder)."""
    md = latest_result(Path(results))
    if md is None:
        return ("No benchmark results are stored yet: run ``python -m benchmarks.run`` "
                "(or ``paxgame bench``) in a checkout to produce them.\n")
    meta = {}
    record = md.with_suffix(".json")
    if record.is_file():
        try:
            meta = json.loads(record.read_text(encoding="utf-8")).get("meta", {})
        except ValueError:
            meta = {}
    where = ", ".join(f"{k} {meta[k]}" for k in ("date", "host", "python", "machine")
                      if k in meta)
    quick = " (quick sizes)" if meta.get("quick") else ""
    head = f"From ``benchmarks/results/{md.name}``{quick}" + (f": {where}." if where else ".")
    return head + "\n\n" + markdown_to_rst(md.read_text(encoding="utf-8"))


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    print(latest_table_rst(Path(argv[0]) if argv else RESULTS), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Run the benchmark suite: ``python -m benchmarks.run [--quick] [--only NAME]``.

Writes ``benchmarks/results/<date>-<host>.json`` and a markdown table beside it, and prints
the table. Benchmarks are never part of the test run.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib
import json
import platform
import socket
import sys
from pathlib import Path

from .harness import growth_exponents, run_race

HERE = Path(__file__).resolve().parent


def _fmt(x, spec=".3g"):
    return "" if x is None else format(x, spec)


def _peer(r: dict) -> str:
    scale = r.get("peer_scale") or 1.0
    name = r.get("peer", "")
    return name if scale == 1.0 else f"{name} (timed on 1/{scale:g} of the inputs, x{scale:g})"


def _reference(r: dict) -> str:
    if r.get("vs_reference") is None:
        return ""
    return (f"{r['vs_reference']:.3g}x of {r['reference']} "
            f"({r['reference_points_per_s']:.4g} points/s)")


def table(rows: list[dict], growth: dict[str, float]) -> str:
    lines = ["| benchmark | size | peer | paxgame median (s) | peer median (s) | ratio | target "
             "| met? | bandwidth ratio | peak MiB | growth exp. | points/s | vs reference |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r.get("status") != "ok":
            lines.append(f"| {r['benchmark']} | {r['size']} | {r.get('peer', '')} | "
                         f"{r.get('status')}: {r.get('reason', '')} | | | | | | | | | |")
            continue
        met = {True: "yes", False: "**no**", None: ""}[r.get("met")]
        target = "" if r.get("target") is None else f">= {r['target']:g}x"
        bw = _fmt(r.get("bandwidth_ratio"), ".3f")
        if r.get("bandwidth_met") is False:
            bw += " (below target)"
        lines.append(
            f"| {r['benchmark']} | {r['size']} | {_peer(r)} | {_fmt(r.get('paxgame_s'))}"
            f" | {_fmt(r.get('peer_s'))} | {_fmt(r.get('ratio'), '.1f')} | {target} | {met} | "
            f"{bw} | {_fmt(r.get('peak_mib'), '.1f')} | {_fmt(growth.get(r['benchmark']), '.2f')} |"
            f" {_fmt(r.get('points_per_s'), '.4g')} | {_reference(r)} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, fewer repeats")
    parser.add_argument("--only", action="append", default=[],
                        help="run only modules whose name contains this (repeatable)")
    parser.add_argument("--out", default=str(HERE / "results"))
    parser.add_argument("--keep", action="store_true",
                        help="keep other modules' rows of today's results file")
    args = parser.parse_args(argv)
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if args.only:
        modules = [m for m in modules if any(o in m for o in args.only)]
    rows = []
    for name in modules:
        mod = importlib.import_module(f"benchmarks.{name}")
        for race in mod.races(args.quick):
            print(f"running {race.name} [{race.size}] ...", file=sys.stderr, flush=True)
            row = run_race(race)
            row["module"] = name
            rows.append(row)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{_dt.date.today().isoformat()}-{socket.gethostname()}"
    previous = out / f"{stem}.json"
    if previous.exists() and (args.only or args.keep):
        # a partial run updates its own modules' rows and keeps the others of the same day
        kept = [r for r in json.loads(previous.read_text()).get("rows", [])
                if r.get("module") not in modules]
        rows = kept + rows
        rows.sort(key=lambda r: r.get("module", ""))
    growth = growth_exponents(rows)
    md = table(rows, growth)
    meta = {"date": _dt.datetime.now().isoformat(timespec="seconds"),
            "host": socket.gethostname(), "python": platform.python_version(),
            "machine": platform.machine(), "quick": args.quick}
    (out / f"{stem}.json").write_text(json.dumps({"meta": meta, "rows": rows,
                                                   "growth": growth}, indent=2, default=str))
    (out / f"{stem}.md").write_text(md + "\n")
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

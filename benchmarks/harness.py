"""The benchmark harness: race paxgame against a peer on the same inputs, in one process.

A benchmark module ``benchmarks/bench_*.py`` defines ``races(quick: bool) -> list[Race]``.
For each race the harness runs both sides once, checks that the answers agree (a race whose
answers disagree is reported as such and not timed), then times ``repeats`` alternating runs
of each side and reports medians, the ratio peer / paxgame, the target and whether it is met.
Optional extras: ``bandwidth`` (a function doing one numpy reduction over the same input: its
time divided by paxgame's time is the bandwidth ratio), ``lp_share`` (a function returning the
share of paxgame's time spent inside the LP solver), and ``n`` (a size number: races with the
same ``name`` at three or more sizes get a fitted growth exponent). A peer too slow to run
on every input runs on a fraction of them with ``peer_scale`` = the inverse fraction: its
per-item loop time is scaled up linearly, and the table says so.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

__all__ = ["Race", "run_race", "growth_exponents"]


@dataclass
class Race:
    name: str
    size: str
    ours: Callable[[], Any]
    peer: Callable[[], Any] | None = None
    peer_name: str = ""
    check: Callable[[Any, Any], None] | None = None
    target: float | None = None
    repeats: int = 5
    n: float | None = None
    bandwidth: Callable[[], Any] | None = None
    bandwidth_target: float | None = None
    lp_share: Callable[[], float] | None = None
    note: str = ""
    skip_reason: str = ""
    #: the peer runs on 1/peer_scale of the inputs (a slow per-item loop): its time is
    #: multiplied by peer_scale before the ratio, so the ratio compares equal workloads
    peer_scale: float = 1.0
    #: points paxgame's side evaluates (gives the points/s column)
    points: int | None = None
    #: a throughput reference timed in the same run (another workload, ``reference_points``
    #: points): the row reports paxgame's points/s over the reference's points/s
    reference: Callable[[], Any] | None = None
    reference_points: int | None = None
    reference_name: str = ""


def _median_time(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run_race(race: Race) -> dict:
    """Run one race; returns a row for the results table."""
    row: dict[str, Any] = {"benchmark": race.name, "size": race.size, "peer": race.peer_name,
                           "target": race.target, "n": race.n, "note": race.note}
    if race.skip_reason:
        row.update(status="skipped", reason=race.skip_reason)
        return row
    tracemalloc.start()
    ours_out = race.ours()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    row["peak_mib"] = peak / 2**20
    peer_out = None
    if race.peer is not None:
        peer_out = race.peer()
        if race.check is not None:
            try:
                race.check(ours_out, peer_out)
            except AssertionError as err:
                row.update(status="disagree", reason=str(err)[:500])
                return row
        row["agree"] = True
    ours_t = _median_time(race.ours, race.repeats)
    row["paxgame_s"] = ours_t
    if race.peer is not None:
        peer_t = _median_time(race.peer, max(1, race.repeats))
        row["peer_s"] = peer_t * race.peer_scale
        row["peer_scale"] = race.peer_scale
        row["ratio"] = row["peer_s"] / ours_t if ours_t > 0 else float("inf")
        row["met"] = None if race.target is None else bool(row["ratio"] >= race.target)
    if race.points:
        row["points_per_s"] = race.points / ours_t if ours_t > 0 else float("inf")
    if race.reference is not None and race.points and race.reference_points:
        ref_t = _median_time(race.reference, max(1, race.repeats))
        row["reference"] = race.reference_name
        row["reference_points_per_s"] = race.reference_points / ref_t
        row["vs_reference"] = row["points_per_s"] / row["reference_points_per_s"]
    if race.bandwidth is not None:
        bw_t = _median_time(race.bandwidth, max(3, race.repeats))
        row["bandwidth_ratio"] = bw_t / ours_t if ours_t > 0 else float("inf")
        if race.bandwidth_target is not None:
            row["bandwidth_met"] = bool(row["bandwidth_ratio"] >= race.bandwidth_target)
    if race.lp_share is not None:
        row["lp_share"] = float(race.lp_share())
    row["status"] = "ok"
    return row


def growth_exponents(rows: list[dict]) -> dict[str, float]:
    """Least-squares slope of log(paxgame time) on log(n) per benchmark name (3+ sizes)."""
    by_name: dict[str, list[tuple[float, float]]] = {}
    for r in rows:
        if r.get("status") == "ok" and r.get("n") and r.get("paxgame_s"):
            by_name.setdefault(r["benchmark"], []).append((float(r["n"]), r["paxgame_s"]))
    out = {}
    for name, pts in by_name.items():
        if len({n for n, _ in pts}) >= 3:
            x = np.log([n for n, _ in pts])
            y = np.log([t for _, t in pts])
            out[name] = float(np.polyfit(x, y, 1)[0])
    return out

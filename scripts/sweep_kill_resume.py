"""Kill-and-resume check of a large equilibrium sweep of managed_interdependence.

Runs, each in its own process: (1) an uninterrupted sweep streamed into a Zarr store; (2)
the same sweep with a checkpoint, killed with SIGKILL after ``--kill-after`` seconds; (3)
the same call again, which resumes from the checkpoint. The resumed result must equal the
uninterrupted one byte for byte. Each run's peak resident memory is printed (it stays flat
in the number of points: chunks are streamed to disk).

    python scripts/sweep_kill_resume.py --points 1000000 --kill-after 60 --dir /tmp/kr

The grid is discount x ally A's hawkish revocation gain (a square of ``--points`` points).
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

HAWK = "partners.ally A.revocation_gain.hawkish"
QUANTITIES = ["any_revocation_probability", "revocation_probability:ally A", "status",
              "participation"]


def _worker(points: int, out: str, checkpoint: str | None, chunk: int) -> None:
    import warnings

    import numpy as np

    import paxgame as pg
    from paxgame.sweep import evaluate_equilibrium

    warnings.simplefilter("ignore")
    side = int(math.isqrt(points))
    sc = pg.load(str(Path(__file__).resolve().parent.parent / "games" / "scenarios"
                     / "managed_interdependence.toml"))
    grid = {"discount": np.linspace(0.6, 0.97, side), HAWK: np.linspace(0.0, 60.0, side)}
    t = time.perf_counter()
    res = pg.sweep(sc, grid, QUANTITIES, evaluator=evaluate_equilibrium, chunk=chunk,
                   checkpoint=checkpoint, out=out, progress=False)
    took = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"points": side * side, "seconds": took, "computed": res.computed_points,
                      "resumed": res.resumed_points, "peak_rss_mib": peak}), flush=True)


def _run(args, out, checkpoint, kill_after=None):
    cmd = [sys.executable, __file__, "--worker", "--points", str(args.points), "--out", out,
           "--chunk", str(args.chunk)] + (["--checkpoint", checkpoint] if checkpoint else [])
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    if kill_after is not None:
        try:
            proc.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return None
    out_text, _ = proc.communicate()
    return json.loads(out_text.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--chunk", type=int, default=4096)
    ap.add_argument("--kill-after", type=float, default=60.0)
    ap.add_argument("--dir", default="/tmp/paxgame-kill-resume")
    ap.add_argument("--worker", action="store_true")
    ap.add_argument("--out")
    ap.add_argument("--checkpoint")
    args = ap.parse_args()
    if args.worker:
        _worker(args.points, args.out, args.checkpoint, args.chunk)
        return 0
    import numpy as np
    import xarray as xr

    d = Path(args.dir)
    d.mkdir(parents=True, exist_ok=True)
    whole = _run(args, str(d / "whole.zarr"), None)
    print("uninterrupted:", whole)
    killed = _run(args, str(d / "resumed.zarr"), str(d / "checkpoint"), args.kill_after)
    print("killed after", args.kill_after, "s:", "yes" if killed is None else "finished first")
    resumed = _run(args, str(d / "resumed.zarr"), str(d / "checkpoint"))
    print("resumed:", resumed)
    a = xr.open_zarr(d / "whole.zarr")
    b = xr.open_zarr(d / "resumed.zarr")
    same = all(np.asarray(a[q].values).tobytes() == np.asarray(b[q].values).tobytes()
               for q in QUANTITIES)
    print("identical bytes:", same)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())

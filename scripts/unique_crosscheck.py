"""Cross-check the unique targets (every equilibrium keeps the partners in) against the
brute force of tests/oracle/unique.py.

Seeded random small scenarios (one, two and three partners; collective and bilateral
governance; targeted and blanket revocation; with and without adversary hazard; one
instrument). Per scenario, for its target: the package's levels leave only good equilibria
on the oracle's enumeration, and their count agrees; the unique cost is not below the
ordinary one; no package on the grid (one partner: step 0.5; two partners with one regime:
step 1; otherwise step 2, levels 0..12) is cheaper; a reported ranking satisfies its
inequalities; an infeasible answer has no grid package meeting the target.

Usage::

    python scripts/unique_crosscheck.py --n 300 --seed 19 [--jobs 2] [--max-nodes 400]
        [--out FILE.json]

Prints the counts per category and status, the price of uniqueness seen, every
disagreement and the time taken.
"""

import argparse
import json
import os
import sys
import time
from collections import Counter
from multiprocessing import Pool

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))

import paxgame as pg  # noqa: E402
from oracle import scenarios, unique_check  # noqa: E402
from paxgame.revocation import unique  # noqa: E402


def run(args):
    seed, index, max_nodes = args
    unique.MAX_NODES = max_nodes
    rng = np.random.default_rng([seed, index])
    sp = unique_check.spec(scenarios.RngChooser(rng))
    t0 = time.monotonic()
    msgs, res = unique_check.check(sp, pg)
    return dict(index=index, category=sp["category"], target=sp["target"],
                governance=sp["governance"], revocation=sp["revocation"],
                hazard=any(p["q"] > 0 for p in sp["partners"]), status=res.status,
                exact=bool(res.exact), price=float(res.price_of_uniqueness),
                ranking=bool(res.ranking), seconds=time.monotonic() - t0, problems=msgs)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--out", default=None)
    ap.add_argument("--max-nodes", type=int, default=unique.MAX_NODES,
                    help="node budget of the package's search (default the package's)")
    a = ap.parse_args(argv)
    t0 = time.monotonic()
    work = [(a.seed, k, a.max_nodes) for k in range(a.n)]
    rows = []

    def progress(row):
        rows.append(row)
        if len(rows) % 25 == 0:
            print(f"  ... {len(rows)} done ({time.monotonic() - t0:.0f} s)", flush=True)

    if a.jobs > 1:
        with Pool(a.jobs) as pool:
            for row in pool.imap_unordered(run, work):
                progress(row)
    else:
        for w in work:
            progress(run(w))
    rows.sort(key=lambda r: r["index"])
    by = Counter((r["category"], r["status"]) for r in rows)
    print(f"{len(rows)} scenarios in {time.monotonic() - t0:.0f} s")
    for (cat, st), k in sorted(by.items()):
        print(f"  {cat:>3} {st:<12} {k}")
    modes = Counter((r["governance"], r["revocation"], r["hazard"]) for r in rows)
    print("  modes (governance, revocation, hazard):",
          ", ".join(f"{g}/{r}/{'hazard' if h else 'none'} {k}" for (g, r, h), k in sorted(modes.items())))
    opt = [r for r in rows if r["status"] == "optimal"]
    pos = [r for r in opt if r["price"] > 1e-9]
    print(f"  optimal {len(opt)} (exact {sum(r['exact'] for r in opt)}), price of uniqueness "
          f"> 0 in {len(pos)}, ranking reported in {sum(r['ranking'] for r in opt)}")
    print(f"  slowest package+oracle check {max(r['seconds'] for r in rows):.1f} s")
    bad = [r for r in rows if r["problems"]]
    print(f"  disagreements: {len(bad)}")
    for r in bad:
        print(f"    #{r['index']} {r['category']} {r['target']}: {'; '.join(r['problems'])}")
    if a.out:
        with open(a.out, "w") as fh:
            json.dump(rows, fh, indent=1)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

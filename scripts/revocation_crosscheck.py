"""Cross-check the revocation solver against the independent brute-force oracle.

Runs seeded random small scenarios over five categories (one partner with one or two
instruments, irregular inputs, governance x revocation mode with two or three partners,
hazard with screening and collateral) and compares, per scenario:

* the equilibrium at no assurance and at random levels (``paxgame.solve``): status, stay,
  maintain, values, exit values, probabilities within the horizon, ``ambiguous`` and the
  number of equilibria;
* the minimum assurance for the scenario's target (``paxgame.minimum_assurance``): status,
  net cost and commitment against the oracle's grid-plus-bisection minimum (one or two cells
  of levels, and one regime when two partners share them), and, whenever the package
  returns levels, that they meet the target on the oracle's model.

Usage::

    python scripts/revocation_crosscheck.py --n 1000 --seed 1 [--jobs 2] [--out FILE.json]

Prints the number of scenarios and disagreements per category and the time taken.
"""

import argparse
import json
import os
import sys
import time
from multiprocessing import Pool


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))

from oracle import compare, scenarios  # noqa: E402
from oracle.crosscheck import check  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--out", default=None, help="write the disagreements as JSON here")
    a = ap.parse_args(argv)
    tasks = [(a.seed, k, scenarios.CATEGORIES[k % len(scenarios.CATEGORIES)])
             for k in range(a.n)]
    t0 = time.perf_counter()
    results = []

    def progress(res):
        results.append(res)
        if len(results) % 100 == 0:
            print(f"  {len(results)} done, "
                  f"{sum(1 for r in results if compare.real(r[3]))} disagreeing, "
                  f"{time.perf_counter() - t0:.0f} s", flush=True)
    if a.jobs > 1:
        with Pool(a.jobs) as pool:
            for res in pool.imap_unordered(check, tasks, chunksize=2):
                progress(res)
    else:
        for t in tasks:
            progress(check(t))
    elapsed = time.perf_counter() - t0
    counts = {c: [0, 0, 0] for c in scenarios.CATEGORIES}
    bad = []
    for cat, k, sp, out in results:
        counts[cat][0] += 1
        if compare.real(out):
            counts[cat][1] += 1
        elif out:
            counts[cat][2] += 1
        if out:
            bad.append(dict(category=cat, index=k, spec=sp, disagreements=out))
    bad.sort(key=lambda b: b["index"])
    print(f"revocation cross-check: {a.n} scenarios, seed {a.seed}, {elapsed:.1f} s")
    print(f"{'category':<12} {'scenarios':>9} {'disagreeing':>11} {'oracle-miss only':>16}")
    for c, (m, b, x) in counts.items():
        print(f"{c:<12} {m:>9} {b:>11} {x:>16}")
    print(f"{'total':<12} {sum(v[0] for v in counts.values()):>9} "
          f"{sum(v[1] for v in counts.values()):>11} {sum(v[2] for v in counts.values()):>16}")
    for b in bad[:20]:
        print(f"- {b['category']} #{b['index']}: " + "; ".join(b["disagreements"][:3]))
    if a.out:
        with open(a.out, "w") as fh:
            json.dump(bad, fh, indent=1, default=lambda x: x.tolist() if hasattr(x, "tolist")
                      else str(x))
    return 0 if not any(compare.real(b["disagreements"]) for b in bad) else 1


if __name__ == "__main__":
    sys.exit(main())

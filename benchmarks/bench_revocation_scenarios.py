"""The essay's revocation scenarios on the exact-state batch kernel (issue 12).

For each revocation scenario file in games/scenarios, a grid over the discount and the
first partner's revocation gain in the last (hawkish) regime:

* equilibrium: ``pg.batch.revocation_equilibrium(sc, ...)`` (the batch kernel) against the
  scalar loop ``pg.solve(sc.replace(...))`` on the same points (the peer is timed on 1/100 of
  them and scaled; its answers must equal the batch's bit for bit), and against the
  bilateral single-instrument kernel of paxgame 0.1.0 (``benchmarks/legacy_bilateral_kernel``)
  on as many one-partner points, timed in the same run (the "vs reference" column: the
  scenario's points/s over that kernel's);
* minimum assurance, both targets: ``pg.batch.minimum_assurance(sc, ...)`` against the
  scalar loop ``pg.minimum_assurance(sc.replace(...))`` on the same (few) points.
"""

from __future__ import annotations

import glob
import warnings
from pathlib import Path

import numpy as np

from benchmarks import legacy_bilateral_kernel as legacy
from benchmarks.harness import Race

ROOT = Path(__file__).resolve().parent.parent


def _scenarios():
    import paxgame as pg

    out = []
    for f in sorted(glob.glob(str(ROOT / "games" / "scenarios" / "*.toml"))):
        sc = pg.load(f)
        if isinstance(sc, pg.Scenario):
            out.append((Path(f).stem, sc))
    return out


def _grid(sc, n_side: int):
    last = sc.n_regimes - 1
    gain = f"partners[0].revocation_gain[{last}]"
    base = float(np.ravel(sc.partners[0].revocation_gain)[-1])
    d = np.linspace(0.6, 0.97, n_side)
    g = np.linspace(0.0, 2.0 * base + 1.0, n_side)
    D, G = np.meshgrid(d, g, indexing="ij")
    return {"discount": D.ravel(), gain: G.ravel()}


def _legacy_params(n: int, seed: int = 0) -> dict:
    """n one-partner, one-instrument, two-regime points (the 0.1.0 kernel's layout)."""
    rng = np.random.default_rng(seed)
    p = dict(discount=rng.uniform(0.6, 0.97, n), transition=np.broadcast_to(
        np.array([[0.875, 0.125], [0.25, 0.75]]), (n, 2, 2)).copy(),
        provider_value=rng.uniform(0, 2, (n, 2)), revocation_gain=rng.uniform(0, 20, (n, 2)),
        access_value=np.full(n, 3.0), outside_option=rng.uniform(0, 2, n),
        revocation_loss=np.full(n, 6.0))
    p.update({k: np.full(n, v) for k, v in legacy.SCALARS.items() if k not in p})
    return p


def races(quick: bool) -> list[Race]:
    import paxgame as pg

    warnings.simplefilter("ignore", pg.errors.PerformanceWarning)
    n_side = 30 if quick else 100            # 900 or 10^4 equilibrium points
    a_side = 2 if quick else 3               # 4 or 9 assurance points
    scale = 100
    repeats = 1 if quick else 2
    N = n_side * n_side
    lp = _legacy_params(N)
    out = []
    for name, sc in _scenarios():
        grid = _grid(sc, n_side)
        pts = list(zip(*grid.values()))
        m = max(1, N // scale)
        idx = np.linspace(0, N - 1, m).astype(int)

        def ours(sc=sc, grid=grid):
            return pg.batch.revocation_equilibrium(sc, **grid)

        def peer(sc=sc, pts=pts, idx=idx, grid=grid):
            return [pg.solve(sc.replace(**dict(zip(grid, pts[k])))) for k in idx]

        def check(o, p, idx=idx):
            for k, e in zip(idx, p):
                assert np.array_equal(o.stay[k], e.stay) and np.array_equal(
                    o.partner_value[k], e.partner_value, equal_nan=True), k
                assert np.array_equal(o.any_revocation_probability[k],
                                      e.any_revocation_probability, equal_nan=True), k

        out.append(Race(
            name=f"scenario {name}: equilibrium", size=f"{N} points", ours=ours, peer=peer,
            peer_name="pg.solve loop", check=check, target=100.0, repeats=repeats,
            peer_scale=N / m, points=N,
            reference=lambda lp=lp: legacy.revocation_equilibrium(lp), reference_points=N,
            reference_name="the 0.1.0 bilateral kernel (equilibria)",
            note=f"n={sc.n_partners}, K={sc.n_regimes}, J={len(sc.instruments)}, "
                 f"{sc.governance}, {sc.revocation}; grid discount x {list(grid)[1]}"))
        agrid = _grid(sc, a_side)
        apts = list(zip(*agrid.values()))
        for target in ("participation", "continuity"):
            def a_ours(sc=sc, agrid=agrid, target=target):
                return pg.batch.minimum_assurance(sc, target=target, **agrid)

            def a_peer(sc=sc, apts=apts, agrid=agrid, target=target):
                return [pg.minimum_assurance(sc.replace(**dict(zip(agrid, p))), target)
                        for p in apts]

            def a_check(o, p):
                for k, r in enumerate(p):
                    assert bool(o.constructible[k]) == bool(r.constructible), k
                    if r.constructible:
                        got = np.atleast_1d(o.amount[k])
                        assert np.array_equal(got, r.amount, equal_nan=True), k

            out.append(Race(
                name=f"scenario {name}: assurance ({target})", size=f"{a_side ** 2} points",
                ours=a_ours, peer=a_peer, peer_name="pg.minimum_assurance loop",
                check=a_check, target=100.0, repeats=1, points=a_side ** 2,
                reference=lambda lp=lp, t=target: legacy.minimum_assurance(lp, t),
                reference_points=N,
                reference_name="the 0.1.0 bilateral kernel (assurance)",
                note="point by point: each point's LPs run in the scalar solver"))
    return out

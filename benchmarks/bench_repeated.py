"""Repeated-game races (issues 3 and 6).

* Abreu–Sannikov payoff sets against QuantEcon's ``RepeatedGame.equilibrium_payoffs`` (after
  its numba warm-up) on the prisoner's dilemma, a 3x3 game and the 15-action Cournot
  duopoly of ``games/repeated/cournot_duopoly.toml``; the answers must agree within
  Hausdorff distance 1e-8 before timing.
* ``pg.batch.critical_delta`` (Nash reversion, punishments found in the kernel) against a
  Python loop of the scalar ``RepeatedGame.critical_delta`` on the same games, with the
  bandwidth ratio (one numpy reduction over the payoffs / the kernel's time), at three sizes
  for the growth exponent. The scalar loop runs on the first N / 100 games only and its time
  is scaled by 100 (``peer_scale``), so the ratio compares equal workloads.
"""

from __future__ import annotations

import numpy as np

from benchmarks.harness import Race

PD = [[[3, 0], [5, 1]], [[3, 5], [0, 1]]]
G3 = [[[4, 0, 1], [2, 3, 0], [0, 1, 2]], [[2, 1, 0], [0, 3, 2], [5, 0, 1]]]


def _as_race(name: str, size: str, payoffs, delta: float, repeats: int) -> Race:
    import paxgame as pg
    from paxgame.kernels.repeated_polygon import hausdorff2d

    game = pg.NormalFormGame(payoffs)
    rg = pg.RepeatedGame(game, delta)
    try:
        import quantecon.game_theory as qe
    except ImportError:
        return Race(name=name, size=size, ours=lambda: None, skip_reason="quantecon missing")
    a, b = (np.asarray(p, float) for p in game.payoff_arrays)
    qrg = qe.RepeatedGame(qe.NormalFormGame((qe.Player(a), qe.Player(b.T))), delta)
    qrg.equilibrium_payoffs(options={"tol": 1e-12})  # numba warm-up

    def ours():
        return rg.payoff_set().vertices

    def peer():
        hull = qrg.equilibrium_payoffs(options={"tol": 1e-12})
        return hull.points[hull.vertices]

    def check(o, p):
        h = hausdorff2d(o, p)
        if h > 1e-8:
            raise AssertionError(f"Hausdorff distance {h:.3g} > 1e-8")

    return Race(name=name, size=size, ours=ours, peer=peer, peer_name="quantecon",
                check=check, target=1.0, repeats=repeats)


def _critical_races(quick: bool, repeats: int) -> list[Race]:
    import paxgame as pg

    sizes = [10_000, 30_000, 100_000] if quick else [100_000, 300_000, 1_000_000]
    out = []
    for n in sizes:
        rng = np.random.default_rng(n)
        pay = rng.integers(-5, 10, size=(n, 2, 3, 3)).astype(float)
        prof = rng.integers(0, 3, size=(n, 2))
        m = n // 100

        def ours(pay=pay, prof=prof):
            return pg.batch.critical_delta(pay, prof)

        def peer(pay=pay, prof=prof, m=m):
            res = np.full(m, np.nan)
            for b in range(m):
                rg = pg.RepeatedGame(pg.NormalFormGame(pay[b]), 0.5)
                mask = pg.batch.critical_delta(pay[b:b + 1], prof[b:b + 1])
                if np.isnan(mask[0]):
                    continue  # no pure equilibrium: the scalar path would use mixed ones
                res[b] = rg.critical_delta(tuple(prof[b]))
            return res

        def check(o, p, m=m):
            ok = ~np.isnan(p)
            if not np.array_equal(o[:m][ok], p[ok]):
                raise AssertionError("batch and scalar critical deltas differ")

        def bandwidth(pay=pay):
            return pay.sum()

        out.append(Race(name="batch critical_delta (Nash reversion)", size=f"{n} 3x3 games",
                        ours=ours, peer=peer, peer_name="scalar RepeatedGame.critical_delta loop",
                        check=check, target=None, repeats=repeats, n=n, bandwidth=bandwidth,
                        bandwidth_target=0.25, peer_scale=100.0,
                        note="the scalar loop runs on N/100 games; its time is scaled by 100"))
    return out


def races(quick: bool) -> list[Race]:
    import paxgame as pg

    repeats = 3 if quick else 7
    cournot = np.asarray(pg.load("games/repeated/cournot_duopoly.toml").game.payoffs)
    out = [
        _as_race("abreu_sannikov payoff set", "PD delta=0.9", PD, 0.9, repeats),
        _as_race("abreu_sannikov payoff set", "PD delta=0.49", PD, 0.49, repeats),
        _as_race("abreu_sannikov payoff set", "3x3 delta=0.7", G3, 0.7, repeats),
        _as_race("abreu_sannikov payoff set", "Cournot 15x15 delta=0.2", cournot, 0.2, repeats),
        _as_race("abreu_sannikov payoff set", "Cournot 15x15 delta=0.3", cournot, 0.3, repeats),
    ]
    return out + _critical_races(quick, repeats)

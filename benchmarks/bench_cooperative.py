"""Cooperative games against coopgame-py (a Rust implementation) on the same games.

* exact Shapley value for n = 16, 20, 24 (quick: 12, 16, 20), with the bandwidth ratio
  (one numpy reduction over the 2**n values divided by paxgame's time);
* a batch of 10,000 eight-player games: ``pg.batch.shapley`` against a coopgame loop;
* the nucleolus for n = 12, 16, 20 (quick: 8, 12, 16), with the share of paxgame's time
  spent inside the LP solver.

Targets (issue 6): Shapley >= 1x coopgame-py at n = 20 and 24; nucleolus >= 0.5x at n = 16
and 20.  Answers are compared before timing (Shapley to 1e-9, nucleolus to 1e-6).
"""

from __future__ import annotations

import time

import numpy as np

from .harness import Race

try:
    import coopgame
except ImportError:  # pragma: no cover - the bench extra installs it
    coopgame = None


def _random_game(n: int, seed: int) -> np.ndarray:
    """Worths growing like |S|**1.5 with noise; singletons scaled down so that the
    imputation set is non-empty (the nucleolus is defined)."""
    from paxgame.kernels.tu import popcount

    rng = np.random.default_rng(seed)
    sizes = popcount(n).astype(np.float64)
    v = rng.random(1 << n) * sizes ** 1.5
    v[sizes == 1] *= 0.1
    v[0] = 0.0
    return v


def _close(atol):
    def check(ours, peer):
        ours = np.asarray(ours, dtype=float)
        peer = np.asarray(peer, dtype=float)
        if ours.shape != peer.shape or not np.allclose(ours, peer, atol=atol, rtol=0):
            raise AssertionError(f"answers differ by {np.max(np.abs(ours - peer)):.3g} "
                                 f"(tolerance {atol:g})")
    return check


def _shapley_race(n: int, target, repeats: int) -> Race:
    import paxgame as pg

    v = _random_game(n, n)
    tu = pg.TUGame(v)
    peer = coopgame.Game(v[1:]) if coopgame else None
    return Race(
        name="TU exact Shapley", size=f"n={n} ({1 << n} coalitions)",
        ours=lambda: pg.shapley(tu).value,
        peer=(lambda: coopgame.shapley(peer)) if coopgame else None,
        peer_name="coopgame-py shapley", check=_close(1e-9), target=target,
        repeats=repeats, n=1 << n, bandwidth=lambda: v.sum(),
        skip_reason="" if coopgame else "coopgame-py is not installed",
        note="pg.shapley -> pg.batch.shapley (O(2^n) folding pass)")


def _batch_race(games: int, n: int, repeats: int) -> Race:
    import paxgame as pg

    rng = np.random.default_rng(0)
    V = rng.random((games, 1 << n))
    V[:, 0] = 0.0
    peers = [coopgame.Game(row[1:]) for row in V] if coopgame else []
    return Race(
        name="TU Shapley batch", size=f"{games} games, n={n}",
        ours=lambda: pg.batch.shapley(V),
        peer=(lambda: np.array([coopgame.shapley(g) for g in peers])) if coopgame else None,
        peer_name="coopgame-py shapley loop", check=_close(1e-9), target=None,
        repeats=repeats, bandwidth=lambda: V.sum(),
        skip_reason="" if coopgame else "coopgame-py is not installed")


def _nucleolus_race(n: int, target, repeats: int) -> Race:
    import paxgame as pg

    v = _random_game(n, 100 + n)
    tu = pg.TUGame(v)
    peer = coopgame.Game(v[1:]) if coopgame else None

    def ours():
        r = pg.nucleolus(tu)
        if not r.success:
            raise RuntimeError(f"nucleolus failed: {r.status} {r.message}")
        return r.allocation

    def lp_share():
        t0 = time.perf_counter()
        r = pg.nucleolus(tu)
        total = time.perf_counter() - t0
        return r.lp_seconds / total if total > 0 else 0.0

    return Race(
        name="TU nucleolus", size=f"n={n} ({1 << n} coalitions)", ours=ours,
        peer=(lambda: coopgame.nucleolus(peer)["allocation"]) if coopgame else None,
        peer_name="coopgame-py nucleolus", check=_close(1e-6), target=target,
        repeats=repeats, n=1 << n, lp_share=lp_share,
        skip_reason="" if coopgame else "coopgame-py is not installed",
        note="sequential LPs + constraint generation, Kohlberg check included")


def races(quick: bool) -> list[Race]:
    shapley_sizes = (12, 16, 20) if quick else (16, 20, 24)
    nucleolus_sizes = (8, 12, 16) if quick else (12, 16, 20)
    reps = 3 if quick else 5
    out = [_shapley_race(n, 1.0 if n >= 20 else None, reps if n < 24 else 3)
           for n in shapley_sizes]
    out.append(_batch_race(1000 if quick else 10_000, 8, reps))
    out += [_nucleolus_race(n, 0.5 if n >= 16 else None, reps if n < 20 else 3)
            for n in nucleolus_sizes]
    return out

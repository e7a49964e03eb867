"""Stage-game kernels against their peers: support enumeration and pure equilibria in batches.

Races (issue 6):

- 10,000 random 4x4 bimatrix games: ``pg.batch.support_enumeration`` against a loop of
  QuantEcon's ``support_enumeration`` (numba-compiled; warmed up before timing; the loop
  includes building QuantEcon's ``NormalFormGame`` per game, as a user's loop would);
- the same kernel against a loop of nashpy's ``vertex_enumeration``, on fewer games (nashpy
  needs about 25 ms per 4x4 game): both sides solve the same smaller batch, so the ratio is
  per game;
- game size growth: 2,000 games of m x m for m = 3, 4, 5, 6 against QuantEcon;
- 10,000 random 3-player 4x4x4 games: ``pg.batch.pure_nash`` against QuantEcon's
  ``pure_nash_brute`` loop, and 10^4, 10^5, 10^6 games for paxgame alone with the bandwidth
  ratio (time of one numpy reduction over the same input / kernel time);
- ``pg.batch.vertex_enumeration`` against a loop of QuantEcon's ``vertex_enumeration`` on
  8x8 and 12x12 games;
- ``pg.batch.lemke_howson`` (label 0) against a loop of QuantEcon's ``lemke_howson``
  (``init_pivot=0``) on 40x40 games;
- pygambit's ``enummixed`` against ``pg.nash(method="vertex")`` and ``lcp`` against
  ``pg.nash(method="lemke_howson")`` on one 8x8 and one 12x12 game (optional extra
  ``gambit``).

Every race checks that both sides found the same equilibria before timing.
"""

from __future__ import annotations

import importlib.util

import numpy as np

from .harness import Race

import paxgame as pg


def _games(count: int, m: int, n: int, seed: int):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((count, m, n)), rng.standard_normal((count, m, n))


def _ours_support(A, B):
    return lambda: pg.batch.support_enumeration(A, B)


def _key(x, y):
    return (tuple(np.round(x, 7)), tuple(np.round(y, 7)))


def _per_game(res, count):
    out = [[] for _ in range(count)]
    for g, x, y in zip(res.game, res.x, res.y):
        out[g].append(_key(x, y))
    return [sorted(s) for s in out]


def _check_pairs(ours, theirs):
    count = len(theirs)
    mine = _per_game(ours, count)
    for g in range(count):
        other = sorted(_key(np.asarray(x), np.asarray(y)) for x, y in theirs[g])
        if mine[g] != other:
            raise AssertionError(f"game {g}: paxgame found {len(mine[g])} equilibria, the peer "
                                 f"{len(other)}")


def _quantecon_support(A, B):
    from quantecon.game_theory import NormalFormGame, Player, support_enumeration

    warm = NormalFormGame((Player(A[0]), Player(B[0].T)))
    support_enumeration(warm)  # numba compilation happens here, not in the timing

    def run():
        return [support_enumeration(NormalFormGame((Player(a), Player(b.T))))
                for a, b in zip(A, B)]
    return run


def _nashpy_vertex(A, B):
    import warnings

    import nashpy

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return [list(nashpy.Game(a, b).vertex_enumeration()) for a, b in zip(A, B)]
    return run


def _quantecon_pure(P):
    from quantecon.game_theory import NormalFormGame, Player, pure_nash_brute

    N = P.shape[1]

    def game(p):
        # QuantEcon orders a player's payoff array (own action, next player, ...) cyclically
        return NormalFormGame([Player(np.transpose(p[i], [(i + k) % N for k in range(N)]))
                               for i in range(N)])
    pure_nash_brute(game(P[0]))

    def run():
        return [pure_nash_brute(game(p)) for p in P]
    return run


def _check_pure(mask, theirs):
    for g, profiles in enumerate(theirs):
        mine = sorted(tuple(int(a) for a in row) for row in np.argwhere(mask[g]))
        if mine != sorted(tuple(int(a) for a in p) for p in profiles):
            raise AssertionError(f"game {g}: pure equilibria differ: {mine} vs {profiles}")


def _gambit_profiles(result):
    """pygambit 17 equilibria as (x, y) float arrays."""
    out = []
    for eq in result.equilibria:
        labels = list(eq.game.players)
        out.append(tuple(np.array([float(v) for _, v in eq[label]]) for label in labels))
    return out


def _gambit_races(quick: bool) -> list[Race]:
    """pygambit's enummixed (vertex enumeration, lrs-style) against paxgame's vertex
    enumeration, and pygambit's lcp (Lemke's algorithm from several starts) against
    paxgame's Lemke-Howson from every label, one game at a time (the scalar API)."""
    races = []
    available = importlib.util.find_spec("pygambit") is not None
    for m in (8, 12):
        for algorithm in ("enummixed", "lcp"):
            name = (f"vertex enumeration vs pygambit {algorithm}" if algorithm == "enummixed"
                    else f"Lemke-Howson (every label) vs pygambit {algorithm}")
            if not available:
                races.append(Race(name=name, size=f"1 game {m}x{m}", ours=lambda: None,
                                  skip_reason="pygambit is not installed (optional extra "
                                              "'gambit': pip install -e '.[gambit]')"))
                continue
            import pygambit as gbt

            A, B = _games(1, m, m, seed=100 + m)
            game = pg.NormalFormGame([A[0], B[0]])
            gbt_game = pg.to_pygambit(game)
            solve = getattr(gbt.nash, f"{algorithm}_solve")
            method = "vertex" if algorithm == "enummixed" else "lemke_howson"

            def check(ours, theirs, complete=(algorithm == "enummixed")):
                if ours.status != "optimal" or not ours.verify().ok:
                    raise AssertionError(f"paxgame status {ours.status}")
                found = _gambit_profiles(theirs)
                if complete:
                    mine = sorted(_key(*e.strategies) for e in ours)
                    other = sorted(_key(x, y) for x, y in found)
                    if mine != other:
                        raise AssertionError(f"pygambit found {len(other)}, paxgame "
                                             f"{len(mine)}")
                elif not found:
                    raise AssertionError("pygambit lcp found nothing")
            races.append(Race(name=name, size=f"1 game {m}x{m}",
                              ours=lambda game=game, method=method: pg.nash(game, method),
                              peer=lambda solve=solve, g=gbt_game: solve(g, rational=False),
                              peer_name=f"pygambit {algorithm}", check=check,
                              repeats=3 if quick else 5))
    return races


def _quantecon_vertex(A, B):
    from quantecon.game_theory import NormalFormGame, Player, vertex_enumeration

    vertex_enumeration(NormalFormGame((Player(A[0]), Player(B[0].T))))

    def run():
        return [vertex_enumeration(NormalFormGame((Player(a), Player(b.T))))
                for a, b in zip(A, B)]
    return run


def _quantecon_lemke_howson(A, B):
    from quantecon.game_theory import NormalFormGame, Player, lemke_howson

    lemke_howson(NormalFormGame((Player(A[0]), Player(B[0].T))))  # numba compilation

    def run():
        return [lemke_howson(NormalFormGame((Player(a), Player(b.T))), init_pivot=0)
                for a, b in zip(A, B)]
    return run


def _check_lemke_howson(ours, theirs):
    for g, (x, y) in enumerate(theirs):
        if not (ours.converged[g] and np.allclose(ours.x[g], x, atol=1e-7)
                and np.allclose(ours.y[g], y, atol=1e-7)):
            raise AssertionError(f"game {g}: Lemke-Howson end points differ")


def races(quick: bool) -> list[Race]:
    out: list[Race] = []
    count = 2_000 if quick else 10_000
    A, B = _games(count, 4, 4, seed=1)
    out.append(Race(
        name="support enumeration vs QuantEcon", size=f"{count} games 4x4",
        ours=_ours_support(A, B), peer=_quantecon_support(A, B),
        peer_name="quantecon support_enumeration (loop)", check=_check_pairs, target=5.0,
        repeats=3 if quick else 7,
        note="peer loop builds a QuantEcon NormalFormGame per game; numba warmed up"))
    few = 60 if quick else 300
    out.append(Race(
        name="support enumeration vs nashpy vertex", size=f"{few} games 4x4",
        ours=_ours_support(A[:few], B[:few]), peer=_nashpy_vertex(A[:few], B[:few]),
        peer_name="nashpy vertex_enumeration (loop)", check=_check_pairs, target=100.0,
        repeats=1 if quick else 2,
        note=f"nashpy takes ~25 ms per game, so both sides solve the same {few} games "
             f"(ratio per game; paxgame's batch is smaller than in the 10,000-game race)"))
    grow = 500 if quick else 2_000
    for m in (3, 4, 5, 6):
        Am, Bm = _games(grow, m, m, seed=10 + m)
        out.append(Race(
            name="support enumeration by game size", size=f"{grow} games {m}x{m}",
            ours=_ours_support(Am, Bm), peer=_quantecon_support(Am, Bm),
            peer_name="quantecon support_enumeration (loop)", check=_check_pairs,
            target=5.0, repeats=3, n=m,
            note="growth exponent in m (games m x m)"))
    rng = np.random.default_rng(7)
    pcount = 2_000 if quick else 10_000
    P = rng.standard_normal((pcount, 3, 4, 4, 4))
    out.append(Race(
        name="pure equilibria vs QuantEcon", size=f"{pcount} games 3-player 4x4x4",
        ours=lambda: pg.batch.pure_nash(P), peer=_quantecon_pure(P),
        peer_name="quantecon pure_nash_brute (loop)", check=_check_pure, target=300.0,
        repeats=3 if quick else 7, bandwidth=lambda: P.sum(), bandwidth_target=0.25))
    sizes = (10_000, 100_000) if quick else (10_000, 100_000, 1_000_000)
    for size in sizes:
        Q = np.random.default_rng(size).standard_normal((size, 3, 4, 4, 4))
        out.append(Race(
            name="pure equilibria (paxgame alone)", size=f"{size} games 3-player 4x4x4",
            ours=lambda Q=Q: pg.batch.pure_nash(Q), repeats=3, n=size,
            bandwidth=lambda Q=Q: Q.sum(), bandwidth_target=0.25,
            note="bandwidth ratio = time of Q.sum() / kernel time"))
    for m, count in ((8, 40 if quick else 200), (12, 5 if quick else 20)):
        Av, Bv = _games(count, m, m, seed=200 + m)
        out.append(Race(
            name="vertex enumeration vs QuantEcon", size=f"{count} games {m}x{m}",
            ours=lambda Av=Av, Bv=Bv: pg.batch.vertex_enumeration(Av, Bv),
            peer=_quantecon_vertex(Av, Bv), peer_name="quantecon vertex_enumeration (loop)",
            check=_check_pairs, target=1.0, repeats=3,
            note="both enumerate the best-response polytopes with Qhull; paxgame enumerates "
                 "one and solves for the partners of its vertices"))
    lcount = 200 if quick else 1000
    Al, Bl = _games(lcount, 40, 40, seed=340)
    out.append(Race(
        name="Lemke-Howson vs QuantEcon", size=f"{lcount} games 40x40, label 0",
        ours=lambda: pg.batch.lemke_howson(Al, Bl, labels=0),
        peer=_quantecon_lemke_howson(Al, Bl), peer_name="quantecon lemke_howson (loop)",
        check=_check_lemke_howson, target=1.0, repeats=3,
        note="same paths (same pivot counts); paxgame pivots all games in lockstep with numpy, "
             "QuantEcon is numba-compiled"))
    out.extend(_gambit_races(quick))
    return out

"""Mixed equilibria of N-player games against pygambit and QuantEcon.

Races (issue 13, item 4):

- ``nash(method="logit", options={"scaling": "common"})`` (the logit QRE principal branch
  traced to its Nash limit, then polished) against pygambit's ``logit_solve`` (the same
  homotopy, in C++), on Gambit's N-player corpus games and on batches of random 3x3x3 and
  4x4x4 games. Before timing, every profile of both sides must have regret within tolerance
  and, where Gambit reports no bifurcation of the branch, both must be the same equilibrium.
- the same method against pygambit's ``simpdiv_solve`` (simplicial subdivision in rational
  arithmetic, from the centroid; not on 4x4x4 games, where one of the random games takes it
  about 100 s) and ``gnm_solve`` (global Newton): one equilibrium each, not necessarily the
  same one; both sides' answers must pass the regret check.
- ``nash(method="support_newton")`` against pygambit's ``enumpoly_solve`` (support
  enumeration with polynomial systems): every equilibrium Gambit lists must be among
  paxgame's, and paxgame's must all pass the regret check.
- ``nash(method="logit")`` against QuantEcon's ``mclennan_tourky`` (numba, warmed up), which
  returns one epsilon-equilibrium: epsilon = 1e-6 here (at 1e-8 it runs for minutes on
  5x4x3.nfg), and its profile passes when its regret is within 1e-5 x the payoff scale.

The regret check is relative: max regret <= 1e-6 x the largest absolute payoff (paxgame
certifies 1e-9 x each player's own scale; Gambit stops at 1e-8 x the payoff range).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from .harness import Race

import paxgame as pg

HERE = Path(__file__).resolve().parent
CORPUS = next((p / "shared" / "games-corpus" / "gambit" for p in HERE.parents
               if (p / "shared" / "games-corpus" / "gambit").is_dir()), None)
CORPUS_GAMES = ["3x3x3", "5x4x3", "8x2x2", "2x2x2x2", "2x2x2x2x2", "g2", "g3"]
_REL = 1e-6


def _random_games(count: int, shape, seed: int):
    rng = np.random.default_rng(seed)
    return [pg.NormalFormGame(rng.standard_normal((len(shape),) + tuple(shape)))
            for _ in range(count)]


def _corpus_games():
    return [pg.read_nfg(CORPUS / f"{name}.nfg") for name in CORPUS_GAMES]


def _regret_ok(game, strategies, rel: float = _REL) -> bool:
    scale = float(np.abs(np.asarray(game.payoffs)).max()) or 1.0
    return game.regret([np.asarray(s, dtype=float) for s in strategies]) <= rel * scale


def _ours_logit(games, scaling="common"):
    return lambda: [pg.nash(g, "logit", options={"scaling": scaling}) for g in games]


def _ours_support_newton(games):
    return lambda: [pg.nash(g, "support_newton") for g in games]


# -- pygambit ----------------------------------------------------------------------------------
def _gambit_games(gbt, games):
    return [gbt.StrategicGame.from_arrays(*[np.asarray(g.payoffs[i])
                                            for i in range(g.n_players)]) for g in games]


def _gambit_profile(gg, profile):
    return [np.array([float(p) for _, p in profile[pl]]) for pl in gg.players]


def _check_logit(games, gambit_games):
    def check(ours, theirs):
        for k, (g, gg, res, th) in enumerate(zip(games, gambit_games, ours, theirs)):
            if res.status != "optimal" or not _regret_ok(g, res[0].strategies):
                raise AssertionError(f"game {k}: paxgame logit: {res.status}: {res.message}")
            if th.equilibrium is None:
                raise AssertionError(f"game {k}: pygambit logit_solve returned nothing")
            prof = _gambit_profile(gg, th.equilibrium)
            if not _regret_ok(g, prof):
                raise AssertionError(f"game {k}: pygambit's profile fails the regret check")
            if not th.bifurcations and max(np.abs(a - b).max() for a, b in zip(
                    res[0].strategies, prof)) > 1e-3:
                raise AssertionError(f"game {k}: different limits of the logit branch")
    return check


def _check_one_each(games, gambit_games):
    def check(ours, theirs):
        for k, (g, gg, res, th) in enumerate(zip(games, gambit_games, ours, theirs)):
            if res.status != "optimal" or not _regret_ok(g, res[0].strategies):
                raise AssertionError(f"game {k}: paxgame logit: {res.status}: {res.message}")
            # simpdiv returns one profile, gnm a list
            found = [th.equilibrium] if hasattr(th, "equilibrium") else list(th.equilibria)
            if not found or found[0] is None:
                raise AssertionError(f"game {k}: the peer returned no equilibrium")
            if any(not _regret_ok(g, _gambit_profile(gg, p)) for p in found):
                raise AssertionError(f"game {k}: the peer's answer fails the regret check")
    return check


def _check_enumpoly(games, gambit_games):
    def check(ours, theirs):
        for k, (g, gg, res, th) in enumerate(zip(games, gambit_games, ours, theirs)):
            mine = [np.concatenate(eq.strategies) for eq in res]
            if not all(_regret_ok(g, eq.strategies) for eq in res) or not mine:
                raise AssertionError(f"game {k}: paxgame support_newton: {res.message}")
            for prof in th.equilibria:
                flat = np.concatenate(_gambit_profile(gg, prof))
                if not any(np.abs(flat - q).max() <= 1e-5 for q in mine):
                    raise AssertionError(f"game {k}: an enumpoly equilibrium is missing")
    return check


def _gambit_races(quick: bool) -> list[Race]:
    sets = []
    if CORPUS is not None:
        sets.append(("Gambit corpus", f"{len(CORPUS_GAMES)} games (3 to 5 players)",
                     _corpus_games()))
    count = 4 if quick else 10
    sets.append(("random 3x3x3", f"{count} games 3x3x3", _random_games(count, (3, 3, 3), 31)))
    sets.append(("random 4x4x4", f"{count} games 4x4x4", _random_games(count, (4, 4, 4), 41)))
    names = [("logit vs pygambit logit", "pygambit logit_solve"),
             ("logit vs pygambit simpdiv", "pygambit simpdiv_solve (from the centroid)"),
             ("logit vs pygambit gnm", "pygambit gnm_solve"),
             ("support_newton vs pygambit enumpoly", "pygambit enumpoly_solve")]
    if importlib.util.find_spec("pygambit") is None:
        return [Race(name=n, size=label, ours=lambda: None,
                     skip_reason="pygambit is not installed (optional extra 'gambit')")
                for n, _ in names for _, label, _ in sets]
    import pygambit as gbt

    races = []
    repeats = 2 if quick else 3
    for what, label, games in sets:
        gg = _gambit_games(gbt, games)
        races.append(Race(
            name=names[0][0], size=f"{what}: {label}", ours=_ours_logit(games),
            peer=lambda gg=gg: [gbt.nash.logit_solve(x, use_strategic=True) for x in gg],
            peer_name=names[0][1], check=_check_logit(games, gg), repeats=repeats,
            note="paxgame with scaling='common' (Gambit's single precision)"))

        def simpdiv(gg=gg):
            return [gbt.nash.simpdiv_solve(x.mixed_strategy_profile(rational=True))
                    for x in gg]
        if what != "random 4x4x4":  # simpdiv (rational) needs ~100 s on some 4x4x4 games
            races.append(Race(
                name=names[1][0], size=f"{what}: {label}", ours=_ours_logit(games, "player"),
                peer=simpdiv, peer_name=names[1][1], check=_check_one_each(games, gg),
                repeats=repeats))
        races.append(Race(
            name=names[2][0], size=f"{what}: {label}", ours=_ours_logit(games, "player"),
            peer=lambda gg=gg: [gbt.nash.gnm_solve(x) for x in gg], peer_name=names[2][1],
            check=_check_one_each(games, gg), repeats=repeats))
        if what != "random 4x4x4" or not quick:
            races.append(Race(
                name=names[3][0], size=f"{what}: {label}", ours=_ours_support_newton(games),
                peer=lambda gg=gg: [gbt.nash.enumpoly_solve(x, use_strategic=True)
                                    for x in gg],
                peer_name=names[3][1], check=_check_enumpoly(games, gg), repeats=1))
    return races


# -- QuantEcon ---------------------------------------------------------------------------------
def _quantecon_game(game):
    from quantecon.game_theory import NormalFormGame, Player

    p = np.asarray(game.payoffs)
    N = p.shape[0]
    # QuantEcon orders a player's payoff array (own action, next player, ...) cyclically
    return NormalFormGame([Player(np.transpose(p[i], [(i + k) % N for k in range(N)]))
                           for i in range(N)])


def _quantecon_races(quick: bool) -> list[Race]:
    name = "logit vs QuantEcon McLennan-Tourky"
    if importlib.util.find_spec("quantecon") is None:
        return [Race(name=name, size="", ours=lambda: None,
                     skip_reason="quantecon is not installed")]
    from quantecon.game_theory import mclennan_tourky

    out = []
    count = 4 if quick else 10
    sets = [("random 3x3x3", f"{count} games 3x3x3", _random_games(count, (3, 3, 3), 31))]
    if CORPUS is not None:
        sets.insert(0, ("Gambit corpus", f"{len(CORPUS_GAMES)} games", _corpus_games()))
    for what, label, games in sets:
        qe = [_quantecon_game(g) for g in games]
        mclennan_tourky(qe[0], epsilon=1e-6, max_iter=500)   # numba compilation, untimed

        def peer(qe=qe):
            return [mclennan_tourky(x, epsilon=1e-6, max_iter=500) for x in qe]

        def check(ours, theirs, games=games):
            for k, (g, res, th) in enumerate(zip(games, ours, theirs)):
                if res.status != "optimal" or not _regret_ok(g, res[0].strategies):
                    raise AssertionError(f"game {k}: paxgame logit: {res.message}")
                if not _regret_ok(g, th, rel=1e-5):
                    raise AssertionError(f"game {k}: McLennan-Tourky's profile has regret "
                                         f"{g.regret(th):.3g}")
        out.append(Race(name=name, size=f"{what}: {label}", ours=_ours_logit(games, "player"),
                        peer=peer, peer_name="quantecon mclennan_tourky (epsilon 1e-6)",
                        check=check, repeats=2 if quick else 3))
    return out


def races(quick: bool) -> list[Race]:
    return _gambit_races(quick) + _quantecon_races(quick)

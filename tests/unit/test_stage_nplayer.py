"""Mixed equilibria of N-player games: nash(method="logit") and nash(method="support_newton").

Textbook values with their sources, Gambit's N-player corpus games, the step caps, the
options, and the cross-check against pygambit (skipped without it).
"""

from pathlib import Path

import numpy as np
import pytest

import paxgame as pg
from paxgame.testing.invariants import check_nash_result

# the Gambit corpus lives in shared/ beside the repository (or beside its worktrees)
CORPUS = next((p / "shared" / "games-corpus" / "gambit" for p in Path(__file__).resolve().parents
               if (p / "shared" / "games-corpus" / "gambit").is_dir()), Path("/nonexistent"))
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent")
#: Gambit's games with three or more players
NPLAYER_FILES = ["2x2x2", "3x3x3", "5x4x3", "8x2x2", "2x2x2x2", "2x2x2x2x2", "g1", "g2", "g3",
                 "coord333", "ijgt-nau2004-sec4", "perfect3"]
METHODS = ("logit", "support_newton")


def jordan_game():
    """Jordan (1993), "Three problems in learning mixed-strategy Nash equilibria", Games and
    Economic Behavior 5: three-player matching pennies. Player 1 wants to match player 2,
    player 2 to match player 3, player 3 to mismatch player 1; the unique equilibrium has
    every player mix (1/2, 1/2), payoffs (0, 0, 0)."""
    u = np.zeros((3, 2, 2, 2))
    for a in np.ndindex(2, 2, 2):
        u[(0,) + a] = 1 if a[0] == a[1] else -1
        u[(1,) + a] = 1 if a[1] == a[2] else -1
        u[(2,) + a] = 1 if a[2] != a[0] else -1
    return pg.NormalFormGame(u)


def flat(eq):
    return np.concatenate(eq.strategies)


@pytest.mark.parametrize("method", METHODS)
def test_jordan_game_unique_mixed_equilibrium(method):
    g = jordan_game()
    res = pg.nash(g, method)
    assert res.status == "optimal" and len(res) == 1
    np.testing.assert_allclose(flat(res[0]), 0.5, atol=1e-12)
    np.testing.assert_allclose(res[0].payoffs, 0.0, atol=1e-12)
    assert res[0].regret <= 1e-12
    check_nash_result(g, res)


def test_support_newton_lists_every_equilibrium_of_the_2x2x2_corpus_game():
    # Gambit's 2x2x2.nfg (McKelvey & McLennan's example in the Gambit manual) has 9
    # equilibria; Gambit's enumpoly lists the same 9
    g = pg.read_nfg(CORPUS / "2x2x2.nfg") if CORPUS.is_dir() else None
    if g is None:
        pytest.skip("corpus absent")
    res = pg.nash(g, "support_newton")
    assert res.status == "optimal" and len(res) == 9
    pure = {tuple(int(a) for a in p) for p in pg.pure_nash(g)}
    assert {eq.profile for eq in res if eq.is_pure} == pure
    check_nash_result(g, res)


def test_two_player_games_agree_with_support_enumeration():
    # a generic bimatrix game: support enumeration is complete, support_newton must find the
    # same equilibria and logit one of them
    rng = np.random.default_rng(3)
    g = pg.NormalFormGame(rng.standard_normal((2, 4, 4)))
    exact = pg.nash(g, "support")
    found = pg.nash(g, "support_newton")
    keys = sorted(tuple(np.round(flat(e), 7)) for e in exact)
    assert sorted(tuple(np.round(flat(e), 7)) for e in found) == keys
    lim = pg.nash(g, "logit")
    assert tuple(np.round(flat(lim[0]), 7)) in keys


@needs_corpus
@pytest.mark.parametrize("name", NPLAYER_FILES)
@pytest.mark.parametrize("method", METHODS)
def test_corpus_games_certified(name, method):
    g = pg.read_nfg(CORPUS / f"{name}.nfg")
    res = pg.nash(g, method)
    assert res.status == "optimal" and len(res) >= 1, res.message
    assert not res.complete
    check_nash_result(g, res)
    scales = np.abs(g.payoffs.reshape(g.n_players, -1)).max(axis=1)
    for eq in res:   # each player's regret within tol x its own payoff scale
        for i in range(g.n_players):
            vals = g.action_values(eq.strategies, i)
            assert vals.max() - vals @ eq.strategies[i] <= 1e-9 * scales[i]
    if method == "support_newton":   # every pure equilibrium is among those found
        pure = {tuple(int(a) for a in p) for p in pg.pure_nash(g)}
        assert {eq.profile for eq in res if eq.is_pure} == pure


def test_logit_step_cap_reports_max_iter_reached():
    g = pg.NormalFormGame(np.random.default_rng(0).standard_normal((3, 3, 3, 3)))
    res = pg.nash(g, "logit", options={"max_steps": 1})
    assert res.status == "max_iter_reached" and len(res) == 0 and not res.success
    assert "max_steps" in res.message


def test_logit_lambda_cap_without_certificate_is_uncertified():
    # a game whose limit is reached only at large lambda: stop at lambda 0.5
    g = pg.NormalFormGame(np.random.default_rng(0).standard_normal((3, 3, 3, 3)))
    res = pg.nash(g, "logit", options={"lam_max": 0.5})
    assert res.status == "uncertified" and len(res) == 0
    assert "lam_max" in res.message


def test_support_newton_cap_reports_max_iter_reached():
    g = pg.NormalFormGame(np.random.default_rng(1).standard_normal((3, 3, 3, 3)))
    res = pg.nash(g, "support_newton", options={"max_supports": 27})
    # the 27 pure profiles come first: the pure equilibria are found, then the cap
    assert res.status == "max_iter_reached" and "27 of 343" in res.message
    assert {eq.profile for eq in res} == {tuple(int(a) for a in p) for p in pg.pure_nash(g)}
    check_nash_result(g, res)


def test_support_newton_is_deterministic_and_seeded():
    g = pg.NormalFormGame(np.random.default_rng(2).standard_normal((3, 3, 3, 2)))
    a = pg.nash(g, "support_newton")
    b = pg.nash(g, "support_newton")
    assert [flat(e).tolist() for e in a] == [flat(e).tolist() for e in b]
    c = pg.nash(g, "support_newton", options={"random_state": np.random.default_rng(5)})
    assert c.status == "optimal"


def test_logit_common_scaling_option():
    g = jordan_game()
    res = pg.nash(g, "logit", options={"scaling": "common"})
    np.testing.assert_allclose(flat(res[0]), 0.5, atol=1e-12)
    assert "largest range" in res.message


@pytest.mark.parametrize("method, options, match", [
    ("logit", {"max_steps": 0}, r"nash: options\['max_steps'\] must be an integer >= 1"),
    ("logit", {"lam_max": -1.0}, r"nash: options\['lam_max'\] must be a finite number > 0"),
    ("logit", {"max_accel": 1.0}, r"nash: options\['max_accel'\] must be a finite number > 1"),
    ("logit", {"scaling": "none"}, r"nash: options\['scaling'\] must be 'player' or 'common'"),
    ("logit", {"starts": 3}, r"nash: unknown option 'starts' for method 'logit'"),
    ("support_newton", {"starts": 0}, r"nash: options\['starts'\] must be an integer >= 1"),
    ("support_newton", {"random_state": -1},
     r"nash: options\['random_state'\] must be None, a non-negative integer"),
    ("support_newton", {"max_supports": 2.5},
     r"nash: options\['max_supports'\] must be an integer >= 1"),
])
def test_invalid_options(method, options, match):
    with pytest.raises(ValueError, match=match):
        pg.nash(jordan_game(), method, options=options)


def test_one_action_players_and_constant_payoffs():
    # a player with one action and a player indifferent everywhere are legal input
    # shape 1x2x1: player 1 prefers its first action, players 0 and 2 have one action each
    g = pg.NormalFormGame([np.zeros((1, 2, 1)), np.array([[[1.0], [0.0]]]),
                           np.full((1, 2, 1), 2.0)])
    for method in METHODS:
        res = pg.nash(g, method)
        assert res.status == "optimal"
        assert any(np.allclose(e.strategies[1], [1.0, 0.0]) for e in res)
        check_nash_result(g, res)


# -- pygambit cross-checks ---------------------------------------------------------------------
def _gambit_game(gbt, g):
    return gbt.StrategicGame.from_arrays(*[np.asarray(g.payoffs[i]) for i in range(g.n_players)])


def _gambit_flat(gbt_game, profile):
    return np.concatenate([[float(p) for _, p in profile[pl]] for pl in gbt_game.players])


#: corpus games whose principal branch Gambit traces without a bifurcation (2x2x2.nfg has
#: one) and, for enumpoly, games it solves in well under a second
SMOOTH = ["3x3x3", "5x4x3", "8x2x2", "2x2x2x2", "2x2x2x2x2", "g1", "g2", "g3", "coord333",
          "ijgt-nau2004-sec4", "perfect3"]
SMALL = ["2x2x2", "3x3x3", "2x2x2x2", "2x2x2x2x2", "g1", "g2", "g3", "coord333",
         "ijgt-nau2004-sec4", "perfect3"]


@needs_corpus
@pytest.mark.parametrize("name", SMOOTH)
def test_logit_limit_matches_pygambit(name):
    # at a bifurcation Gambit perturbs onto one of the branches while paxgame continues
    # straight through, so the comparison is on games without one
    gbt = pytest.importorskip("pygambit")
    g = pg.read_nfg(CORPUS / f"{name}.nfg")
    gg = _gambit_game(gbt, g)
    theirs = gbt.nash.logit_solve(gg, use_strategic=True)
    assert not theirs.bifurcations
    ours = pg.nash(g, "logit", options={"scaling": "common"})   # Gambit's single lambda
    np.testing.assert_allclose(flat(ours[0]), _gambit_flat(gg, theirs.equilibrium),
                               atol=1e-5)


@needs_corpus
@pytest.mark.parametrize("name", SMALL)
def test_support_newton_contains_pygambit_enumpoly(name):
    gbt = pytest.importorskip("pygambit")
    g = pg.read_nfg(CORPUS / f"{name}.nfg")
    gg = _gambit_game(gbt, g)
    theirs = [_gambit_flat(gg, p) for p in gbt.nash.enumpoly_solve(
        gg, use_strategic=True).equilibria]
    ours = [flat(e) for e in pg.nash(g, "support_newton")]
    for p in theirs:
        assert any(np.abs(p - q).max() <= 1e-6 for q in ours), (name, p)

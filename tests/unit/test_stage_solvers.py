"""Correlated equilibria, minmax values and dominance on textbook games (sources inline)."""

from pathlib import Path

import numpy as np
import pytest

import paxgame as pg

# the Gambit corpus lives in shared/ beside the repository
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "games-corpus" / "gambit"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent")


def load(name):
    return pg.load(f"games/classic/{name}.toml")


# -- correlated ---------------------------------------------------------------------------------
def test_chicken_welfare_correlated():
    # Aumann (1974), Section 4: 1/2 on (swerve, swerve), 1/4 on each asymmetric profile,
    # payoffs 21/4 each -- better than every Nash equilibrium (14/3 at best symmetric)
    res = pg.correlated(load("chicken"))
    np.testing.assert_allclose(res.distribution, [[0.5, 0.25], [0.25, 0.0]], atol=1e-8)
    np.testing.assert_allclose(res.payoffs, [5.25, 5.25], atol=1e-8)
    assert res.success and res.obedience_slack >= -1e-9
    assert res.verify().ok and res.verify(exact=True).ok
    assert res.objective == "welfare" and res.objective_value == pytest.approx(10.5)


def test_chicken_objectives():
    g = load("chicken")
    # a player's best correlated equilibrium is its favourite pure equilibrium (payoff 7)
    assert pg.correlated(g, objective=0).payoffs[0] == pytest.approx(7.0)
    assert pg.correlated(g, objective="driver 2").payoffs[1] == pytest.approx(7.0)
    ega = pg.correlated(g, objective="egalitarian")
    assert ega.payoffs.min() == pytest.approx(5.25)


def test_coarse_contains_correlated():
    # every correlated equilibrium is coarse correlated, so the coarse welfare optimum is
    # at least as high (prisoner's dilemma: both are (D, D))
    for name in ("chicken", "battle_of_the_sexes", "prisoners_dilemma"):
        g = load(name)
        ce = pg.correlated(g)
        cce = pg.correlated(g, coarse=True)
        assert cce.objective_value >= ce.objective_value - 1e-7
        assert cce.verify().ok
    pd = pg.correlated(load("prisoners_dilemma"), coarse=True)
    np.testing.assert_allclose(pd.distribution, [[0, 0], [0, 1]], atol=1e-8)


def test_three_player_correlated():
    g = pg.NormalFormGame(np.random.default_rng(4).integers(0, 4, size=(3, 2, 2, 2)))
    res = pg.correlated(g)
    assert res.distribution.shape == (2, 2, 2) and res.verify().ok


def test_correlated_errors():
    g = load("chicken")
    with pytest.raises(ValueError, match="correlated: objective must be"):
        pg.correlated(g, objective="fairness")
    with pytest.raises(ValueError, match="out of range"):
        pg.correlated(g, objective=5)
    with pytest.raises(TypeError, match="correlated: coarse must be True or False"):
        pg.correlated(g, coarse="yes")


# -- minmax ---------------------------------------------------------------------------------
def test_matching_pennies_minmax():
    # Osborne & Rubinstein (1994), Example 17.1: value 0 in mixed strategies; with pure
    # punishments the matcher always matches the punisher's action and gets 1
    g = load("matching_pennies")
    res = pg.minmax(g, 0)
    assert res.value == pytest.approx(0.0)
    np.testing.assert_allclose(res.punishment[0], [0.5, 0.5])
    np.testing.assert_allclose(res.guarantee, [0.5, 0.5])
    assert res.verify().ok and res.verify(exact=True).ok
    pure = pg.minmax(g, "mismatcher", mixed=False)
    assert pure.value == 1.0 and pure.verify(exact=True).ok


def test_prisoners_dilemma_minmax():
    # Axelrod (1984) payoffs: defecting punishes, the minmax is P = 1
    g = load("prisoners_dilemma")
    for mixed in (True, False):
        res = pg.minmax(g, 1, mixed=mixed)
        assert res.value == pytest.approx(1.0) and res.best_response == 1
        assert res.verify().ok


def test_three_player_pure_minmax_and_mixed_refused():
    g = pg.NormalFormGame(np.random.default_rng(5).integers(0, 4, size=(3, 2, 3, 2)))
    res = pg.minmax(g, 2, mixed=False)
    assert len(res.punishment) == 2 and res.verify().ok
    u = np.moveaxis(np.asarray(g.payoffs[2]), 2, 0)
    assert res.value == u.max(axis=0).min()
    with pytest.raises(ValueError, match="minmax: the mixed minmax is computed for two players"):
        pg.minmax(g, 0)


def test_minmax_errors():
    g = load("chicken")
    with pytest.raises(ValueError, match="minmax: player index 2 is out of range"):
        pg.minmax(g, 2)
    with pytest.raises(ValueError, match="minmax: player 'x' is not one of"):
        pg.minmax(g, "x")


# -- dominance --------------------------------------------------------------------------------
def test_mixed_domination():
    # Row 2 is dominated by the mixture (1/2, 1/2) of rows 0 and 1 but by neither alone
    # (Osborne & Rubinstein 1994, Section 4.2 style example)
    A = np.array([[3.0, 0.0], [0.0, 3.0], [1.0, 1.0]])
    g = pg.NormalFormGame([A, np.zeros((3, 2))])
    reduced, kept = pg.eliminate_dominated(g, mixed=False)
    assert [k.tolist() for k in kept] == [[0, 1, 2], [0, 1]]
    reduced, kept = pg.eliminate_dominated(g)
    assert [k.tolist() for k in kept] == [[0, 1], [0, 1]]
    assert reduced.num_actions == (2, 2)


@needs_corpus
def test_iterated_elimination_keeps_names():
    g = pg.read_nfg(CORPUS / "mixdom.nfg")
    reduced, kept = pg.eliminate_dominated(g)
    for i, k in enumerate(kept):
        assert reduced.actions[i] == tuple(g.actions[i][a] for a in k)
    # every equilibrium survives elimination (same number of equilibria)
    assert len(pg.nash(reduced)) == len(pg.nash(g))


def test_iterated_elimination_solves_dominance_solvable_game():
    # a 3x3 game solved by iterated strict dominance down to one profile
    A = np.array([[4, 3, 2], [3, 2, 1], [2, 1, 0]], dtype=float)
    B = np.array([[1, 2, 3], [1, 2, 3], [1, 2, 3]], dtype=float)
    reduced, kept = pg.eliminate_dominated(pg.NormalFormGame([A, B]))
    assert [k.tolist() for k in kept] == [[0], [2]]


def test_dominance_errors():
    with pytest.raises(TypeError, match="eliminate_dominated: game must be a NormalFormGame"):
        pg.eliminate_dominated([[1, 2]])
    with pytest.raises(TypeError, match="eliminate_dominated: mixed must be True or False"):
        pg.eliminate_dominated(load("chicken"), mixed=None)


@pytest.mark.parametrize("k", [1e-9, 1e9])
def test_minmax_and_dominance_are_scale_invariant(k):
    # tolerances are relative to the largest absolute payoff and the LPs see payoffs of
    # order one: at scale 1e-9 the mixed minmax used to come back wrong as "optimal" and
    # nothing was eliminated
    rng = np.random.default_rng(5)
    for _ in range(10):
        a, b = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
        g, gk = pg.NormalFormGame([a, b]), pg.NormalFormGame([a * k, b * k])
        for mixed in (True, False):
            base, scaled = pg.minmax(g, 0, mixed=mixed), pg.minmax(gk, 0, mixed=mixed)
            assert scaled.status == "optimal" and scaled.verify().ok
            assert scaled.value / k == pytest.approx(base.value, abs=1e-7)
        kept = pg.eliminate_dominated(g)[1]
        kept_k = pg.eliminate_dominated(gk)[1]
        assert [x.tolist() for x in kept_k] == [x.tolist() for x in kept]

"""``pg.is_degenerate``: degeneracy of a bimatrix game (von Stengel 2007, definition 3.2:
some mixed strategy with k actions in its support has more than k pure best responses)."""

import numpy as np
import pytest

import paxgame as pg


def test_textbook_games():
    # Prisoner's dilemma and matching pennies: every action has a unique best response and
    # the mixed equilibrium of pennies has 2 best responses for a support of 2: nondegenerate.
    assert not pg.is_degenerate(pg.load("games/classic/prisoners_dilemma.toml"))
    assert not pg.is_degenerate(pg.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]))
    # von Stengel (2007), figure 3.3's kind of degeneracy: the column player is indifferent
    # between both columns against the pure row 0 (one action, two best responses).
    assert pg.is_degenerate(pg.NormalFormGame([[[1, 1], [0, 0]], [[1, 1], [0, 0]]]))


def test_a_tie_within_tol_counts():
    # Against row 0 the column player's payoffs 1 and 1 + gap: a tie when gap is within
    # tol x the payoff scale (2 here), a unique best response otherwise.
    def game(gap):
        return pg.NormalFormGame([[[1, 0], [0, 1]], [[1, 1 + gap], [0, 2]]])

    assert pg.is_degenerate(game(1e-12)) and not pg.is_degenerate(game(0.5))
    assert not pg.is_degenerate(game(1e-6)) and pg.is_degenerate(game(1e-6), tol=1e-3)


def test_consequences_of_the_definition_on_random_integer_games():
    # Small integer payoffs make ties frequent, so both answers occur. A pure action with
    # two pure best responses makes a game degenerate (k = 1); a nondegenerate game has an
    # odd number of equilibria, each with supports of equal size (von Stengel 2007,
    # theorems 3.4 and 3.5 / corollary 3.7).
    rng = np.random.default_rng(7)
    seen = set()
    for _ in range(40):
        A, B = rng.integers(0, 3, size=(2, 3, 3))
        g = pg.NormalFormGame([A, B])
        ans = pg.is_degenerate(g)
        seen.add(ans)
        ties = (np.sum(B == B.max(axis=1, keepdims=True), axis=1) > 1).any() or \
            (np.sum(A == A.max(axis=0, keepdims=True), axis=0) > 1).any()
        if ties:
            assert ans
        if not ans:
            eqs = pg.nash(g, "support")
            assert len(eqs) % 2 == 1
            for e in eqs:
                x, y = (np.count_nonzero(np.asarray(s) > 1e-12) for s in e.strategies)
                assert x == y
    assert seen == {True, False}


def test_refuses_other_inputs():
    with pytest.raises(TypeError, match="^is_degenerate: game must be a NormalFormGame"):
        pg.is_degenerate([[1, 2], [3, 4]])
    with pytest.raises(ValueError, match="^is_degenerate: the test is defined for two-player"):
        pg.is_degenerate(pg.NormalFormGame([np.zeros((2, 2, 2))] * 3))

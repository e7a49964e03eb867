"""The classic game files: each loads, cites a source, and has the equilibria its comment states.

Equilibria are checked here with the game's own regret (independent of the stage solvers):
the pure ones by brute force over all profiles, the mixed ones stated in each file's comment
by their regret being zero.
"""

import itertools
import tomllib
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import paxgame as pg

ROOT = Path(__file__).resolve().parents[2]
CLASSIC = sorted((ROOT / "games" / "classic").glob("*.toml"))
REQUIRED = {"prisoners_dilemma", "trust_game", "stag_hunt", "chicken", "battle_of_the_sexes",
            "matching_pennies", "rock_paper_scissors", "unique_mixed_3x3", "degenerate_3x2",
            "volunteers_dilemma"}


def pure_equilibria(g):
    """Profiles (as action-name tuples) where no player gains by a unilateral deviation."""
    out = []
    for profile in itertools.product(*(range(m) for m in g.num_actions)):
        stable = all(
            g.payoffs[(i, *profile)] >= g.payoffs[i][profile[:i] + (slice(None),)
                                                     + profile[i + 1:]].max()
            for i in range(g.n_players))
        if stable:
            out.append(tuple(g.actions[i][a] for i, a in enumerate(profile)))
    return out


def game(stem):
    return pg.load(ROOT / "games" / "classic" / f"{stem}.toml")


def test_required_games_exist():
    assert REQUIRED <= {p.stem for p in CLASSIC}


@pytest.mark.parametrize("path", CLASSIC, ids=lambda p: p.stem)
def test_each_file_loads_and_cites_a_source(path):
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    assert raw["kind"] == "normal_form" and len(raw["source"]) > 20
    g = pg.load(path)
    assert g.name == raw["name"] and g.players and all(g.actions)


@pytest.mark.parametrize("stem, expected", [
    ("prisoners_dilemma", [("defect", "defect")]),
    ("trust_game", [("exit", "revoke")]),
    ("stag_hunt", [("stag", "stag"), ("hare", "hare")]),
    ("chicken", [("swerve", "straight"), ("straight", "swerve")]),
    ("battle_of_the_sexes", [("bach", "bach"), ("stravinsky", "stravinsky")]),
    ("matching_pennies", []),
    ("rock_paper_scissors", []),
    ("unique_mixed_3x3", []),
    ("degenerate_3x2", [("top", "left")]),
    ("volunteers_dilemma", [("volunteer", "ignore", "ignore"), ("ignore", "volunteer", "ignore"),
                            ("ignore", "ignore", "volunteer")]),
])
def test_pure_equilibria_match_the_comments(stem, expected):
    assert sorted(pure_equilibria(game(stem))) == sorted(expected)


F = Fraction


@pytest.mark.parametrize("stem, profile", [
    ("stag_hunt", [[F(3, 4), F(1, 4)]] * 2),
    ("chicken", [[F(2, 3), F(1, 3)]] * 2),
    ("battle_of_the_sexes", [[F(2, 3), F(1, 3)], [F(1, 3), F(2, 3)]]),
    ("matching_pennies", [[F(1, 2)] * 2] * 2),
    ("rock_paper_scissors", [[F(1, 3)] * 3] * 2),
    ("unique_mixed_3x3", [[F(5, 25), F(11, 25), F(9, 25)], [F(5, 25), F(14, 25), F(6, 25)]]),
    ("degenerate_3x2", [[0, F(1, 3), F(2, 3)], [F(1, 3), F(2, 3)]]),
    ("degenerate_3x2", [[1, 0, 0], [F(2, 3), F(1, 3)]]),
    ("trust_game", [[0, 1], [F(6, 7), F(1, 7)]]),
    ("volunteers_dilemma", [[F(1, 2)] * 2] * 3),
])
def test_mixed_equilibria_stated_in_the_comments_have_zero_regret(stem, profile):
    g = game(stem)
    assert g.regret([np.array(p, dtype=float) for p in profile]) <= 1e-12


def test_chicken_correlated_equilibrium_in_the_comment_is_obedient():
    # Aumann (1974): 1/2 on (swerve, swerve), 1/4 on each asymmetric profile, 21/4 each
    g = game("chicken")
    mu = np.array([[0.5, 0.25], [0.25, 0.0]])
    u = g.payoffs
    for i in range(2):
        for a in range(2):
            for b in range(2):  # recommended a, deviate to b
                gain = sum(mu[(a, o) if i == 0 else (o, a)]
                           * (u[(i, b, o) if i == 0 else (i, o, b)]
                              - u[(i, a, o) if i == 0 else (i, o, a)]) for o in range(2))
                assert gain <= 1e-12
    assert np.allclose((mu * u).sum(axis=(1, 2)), [21 / 4, 21 / 4])


def test_unique_mixed_3x3_proof_ingredients():
    a = game("unique_mixed_3x3").payoffs[0]
    assert round(np.linalg.det(a)) == 4  # invertible, as the proof needs
    x = np.array([5, 11, 9]) / 25
    y = np.array([5, 14, 6]) / 25
    np.testing.assert_allclose(x @ a, 4 / 25)
    np.testing.assert_allclose(a @ y, 4 / 25)
    assert game("unique_mixed_3x3").is_zero_sum()


def test_trust_game_matches_the_revocation_model_stage():
    g = game("trust_game")
    v, o, loss, w, gain = 3, 2, 6, 1, 12  # the illustrative values stated in the file
    np.testing.assert_array_equal(g.payoffs[0], [[v, o - loss], [o, o]])
    np.testing.assert_array_equal(g.payoffs[1], [[w, gain], [0, 0]])
    assert g.players == ("partner", "provider")

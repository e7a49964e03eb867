"""The 60 Gambit corpus games: every file reads, has its known shape, and is solved.

The corpus (``../shared/games-corpus/gambit`` beside the repository: the ``.nfg`` files of
the Gambit repository) spans 2 to 5 players, both file versions, rational and large-integer
payoffs and degenerate games. Two-player games are solved by support enumeration, larger
ones by pure-equilibrium enumeration; every equilibrium returned must have regret <= 1e-6
(times the largest absolute payoff when that exceeds 1).
"""

import itertools
from pathlib import Path

import numpy as np
import pytest

import paxgame as pg

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "games-corpus" / "gambit"
FILES = sorted(CORPUS.glob("*.nfg")) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(
    not FILES, reason=f"the Gambit corpus folder {CORPUS} is absent (it lives in shared/ "
                      f"beside the repository)")

# Golden shapes (actions per player), read once and checked against the file names
SHAPES = {
    "2x2": (2, 2), "2x2a": (2, 2), "2x2const": (2, 2), "2x2x2": (2, 2, 2),
    "2x2x2x2": (2, 2, 2, 2), "2x2x2x2x2": (2, 2, 2, 2, 2), "3x3x3": (3, 3, 3),
    "5x4x3": (5, 4, 3), "8x2x2": (8, 2, 2), "8x8": (8, 8), "cent2": (3, 3), "coord2": (2, 2),
    "coord3": (3, 3), "coord333": (3, 3, 3), "coord4": (4, 4), "csg1": (3, 3),
    "csg2": (4, 4), "csg3": (3, 3), "csg4": (4, 4),
    "dcg-vonstengel1999-6x6_game_with_75_eq": (6, 6),
    "dcg-vonstengel1999-6x6_game_with_75_eq_small_payoffs": (6, 6), "deg1": (3, 3),
    "deg2": (3, 3), "doc-2x2x2": (2, 2, 2), "e04": (3, 2), "e07": (4, 4), "g1": (2, 2, 2),
    "g2": (3, 3, 3), "g3": (2, 2, 2, 2), "ijgt-nau2004-sec3": (2, 2),
    "ijgt-nau2004-sec4": (2, 2, 2), "ijgt-nau2004-sec5": (2, 2, 2),
    "ijgt-nau2004-sec6": (2, 2, 4), "loopback": (2, 2), "mixdom": (4, 4), "mixdom2": (4, 4),
    "oneill": (4, 4), "other-shapley1974-fig2": (3, 3), "other-shapley1974-fig3": (3, 3),
    "pd": (2, 2), "perfect1": (3, 3), "perfect2": (3, 3), "perfect3": (3, 3, 1),
    "sh3": (3, 3), "sww1": (2, 2), "tests-2x2_bimatrix_all_zero_payoffs": (2, 2),
    "tests-2x2x2_nfg_from_local_max_cut_2_pure_1_mixed_eq": (2, 2, 2),
    "tests-const_sum_game": (2, 2), "tests-coordination_4x4_outcome": (4, 4),
    "tests-coordination_4x4_payoff": (4, 4), "tests-mixed_strategy": (3, 2),
    "tests-non_const_sum_game": (2, 2), "todd1": (5, 3), "todd2": (5, 3), "todd3": (7, 4),
    "vd": (4, 4), "wink3": (3, 3), "winkels": (6, 2), "yamamoto": (3, 3), "zero": (2, 2),
}


@needs_corpus
def test_corpus_has_sixty_files_and_each_reads_with_its_shape():
    assert len(FILES) == 60
    for path in FILES:
        g = pg.load(path)
        assert g.num_actions == SHAPES[path.stem], path.name
        assert pg.read_nfg(path) == g


@needs_corpus
@pytest.mark.parametrize("form", ["payoff", "outcome"])
def test_corpus_round_trips_through_the_writer(tmp_path, form):
    for path in FILES:
        g = pg.read_nfg(path)
        h = pg.read_nfg(pg.write_nfg(g, tmp_path / path.name, form=form))
        assert h == g and h.name == g.name, path.name


@needs_corpus
def test_outcome_and_payoff_versions_agree():
    a = pg.load(CORPUS / "tests-coordination_4x4_outcome.nfg")
    b = pg.load(CORPUS / "tests-coordination_4x4_payoff.nfg")
    np.testing.assert_array_equal(a.payoffs, b.payoffs)
    np.testing.assert_array_equal(a.payoffs[0], np.eye(4))


@needs_corpus
def test_rational_payoffs_are_read_exactly():
    g = pg.load(CORPUS / "todd3.nfg")
    # outcome 6 of todd3 pays player 1 3/19, profile (6, 1)
    assert g.payoffs[0, 5, 0] == 3 / 19
    g = pg.load(CORPUS / "dcg-vonstengel1999-6x6_game_with_75_eq.nfg")
    assert g.payoffs[0, 0, 0] == 9504 and g.payoffs[1, 0, 0] == 72336


def _pure_equilibria(g):
    out = []
    for profile in itertools.product(*(range(m) for m in g.num_actions)):
        if all(g.payoffs[(i, *profile)] >= g.payoffs[i][profile[:i] + (slice(None),)
                                                        + profile[i + 1:]].max() - 1e-12
               for i in range(g.n_players)):
            out.append(profile)
    return sorted(out)


def _one_hot(g, profile):
    return [np.eye(m)[a] for m, a in zip(g.num_actions, profile)]


@needs_corpus
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_corpus_game_is_solved_with_small_regret(path):
    g = pg.load(path)
    # 1e-6 in units of the payoffs' magnitude: von Stengel's game has payoffs near 1.7e6, where
    # an absolute 1e-6 is below what float64 linear algebra can promise (5e-13 relative)
    tol = 1e-6 * max(1.0, float(np.abs(g.payoffs).max()))
    if g.n_players == 2:
        equilibria = pg.nash(g, method="support")
        assert len(equilibria) >= 1  # every finite game has one (Nash, 1951)
        for eq in equilibria:
            assert eq.regret <= tol, (path.name, eq)
            assert g.regret(eq.strategies) <= tol, path.name  # recomputed, not trusted
    else:
        pure = np.asarray(pg.pure_nash(g))
        found = sorted(tuple(int(a) for a in row) for row in pure.reshape(-1, g.n_players))
        assert found == _pure_equilibria(g), path.name
        for profile in found:
            assert g.regret(_one_hot(g, profile)) <= 1e-6


@needs_corpus
@pytest.mark.parametrize("stem", ["dcg-vonstengel1999-6x6_game_with_75_eq",
                                  "dcg-vonstengel1999-6x6_game_with_75_eq_small_payoffs"])
def test_von_stengel_game_has_75_equilibria(stem):
    # von Stengel, B. (1999). New maximal numbers of equilibria in bimatrix games.
    # Discrete & Computational Geometry 21, 557-568: a non-degenerate 6x6 game with 75.
    equilibria = pg.nash(pg.load(CORPUS / f"{stem}.nfg"), method="support")
    assert len(equilibria) == 75


@pytest.mark.parametrize("stem, form", [("prisoners_dilemma", "payoff"), ("chicken", "outcome"),
                                        ("volunteers_dilemma", "outcome")])
def test_games_nfg_copies_are_the_writers_golden_output(stem, form):
    # games/nfg/ holds write_nfg's output for classic games: the writer's format is stable
    from paxgame.io.nfg import dumps_nfg

    g = pg.load(ROOT / "games" / "classic" / f"{stem}.toml")
    assert dumps_nfg(g, form) == (ROOT / "games" / "nfg" / f"{stem}.nfg").read_text("utf-8")

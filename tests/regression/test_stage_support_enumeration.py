"""Regression: support enumeration on seeded random games and on the Gambit corpus.

nashpy 0.0.43's ``support_enumeration`` misses equilibria on random Gaussian games (issue 2
counted 26 of 80 seeded 4x4 and 5x3 games; zero equilibria returned for some). The games
below are seeded; for each, our support enumeration finds more equilibria than nashpy's
support enumeration, every equilibrium we return has regret <= tol (exactly zero in rational
arithmetic after re-solving the support system), and nashpy's vertex enumeration finds
exactly our set.
"""

import warnings
from pathlib import Path

import nashpy
import numpy as np
import pytest

import paxgame as pg
from paxgame.testing.invariants import check_nash_result, check_same_equilibria

# the Gambit corpus lives in shared/ beside the repository
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "games-corpus" / "gambit"

# (seed, shape, equilibria found by nashpy 0.0.43 support_enumeration, equilibria that exist)
MISSED = [
    (1, (5, 3), 4, 5),
    (3, (5, 3), 0, 1),
    (4, (4, 4), 2, 3),
    (6, (4, 4), 2, 3),
    (7, (5, 3), 0, 1),
    (15, (4, 4), 0, 1),
    (18, (5, 3), 4, 7),
]


def _game(seed, shape):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape), rng.standard_normal(shape)


@pytest.mark.parametrize("seed,shape,nashpy_count,true_count", MISSED)
def test_support_enumeration_finds_what_nashpy_misses(seed, shape, nashpy_count, true_count):
    A, B = _game(seed, shape)
    g = pg.NormalFormGame([A, B])
    ours = pg.nash(g)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        theirs = list(nashpy.Game(A, B).support_enumeration())
        vertex = list(nashpy.Game(A, B).vertex_enumeration())
    if nashpy.__version__ == "0.0.43":
        assert len(theirs) == nashpy_count
    assert len(ours) == true_count > len(theirs)
    assert ours.finite and ours.complete
    check_nash_result(g, ours)
    for eq in ours:
        assert eq.regret <= 1e-9 * np.abs(g.payoffs).max()
    check_same_equilibria(ours, vertex, what="ours vs nashpy vertex_enumeration")
    # what nashpy's support enumeration does return is among ours
    for x, y in theirs:
        assert any(np.allclose(x, e.strategies[0]) and np.allclose(y, e.strategies[1])
                   for e in ours)


# equilibria (extreme ones for degenerate games) and whether the set is finite, per game
CORPUS_COUNTS = {
    "2x2.nfg": (1, True), "8x8.nfg": (5, True), "coord3.nfg": (7, True),
    "coord4.nfg": (15, True), "csg1.nfg": (4, False), "deg1.nfg": (6, False),
    "deg2.nfg": (7, False), "e04.nfg": (3, False), "perfect1.nfg": (9, False),
    "todd1.nfg": (5, True), "todd3.nfg": (3, True), "vd.nfg": (10, False),
    "winkels.nfg": (12, False), "wink3.nfg": (4, False), "yamamoto.nfg": (2, True),
    "dcg-vonstengel1999-6x6_game_with_75_eq.nfg": (75, True),
}


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent")
@pytest.mark.parametrize("name", sorted(CORPUS_COUNTS))
def test_gambit_corpus_counts(name):
    g = pg.read_nfg(CORPUS / name)
    res = pg.nash(g)
    assert (len(res), res.finite) == CORPUS_COUNTS[name]
    assert res.verify(exact=True).ok

"""Cross-checks against pygambit (optional extra ``gambit``; skipped without it)."""

from pathlib import Path

import numpy as np
import pytest

import paxgame as pg

gbt = pytest.importorskip("pygambit")

ROOT = Path(__file__).resolve().parents[2]
CORPUS = next((p / "shared" / "games-corpus" / "gambit" for p in (ROOT.parent,
               ROOT.parent.parent) if (p / "shared" / "games-corpus" / "gambit").is_dir()),
              ROOT.parent / "shared" / "games-corpus" / "gambit")


def gambit_equilibria(game, solver="enummixed"):
    """pygambit's equilibria as float arrays, distinct points only (enummixed reports a
    degenerate extreme point once per basis, e.g. 9 times 4 points for csg4)."""
    result = getattr(gbt.nash, f"{solver}_solve")(pg.to_pygambit(game), rational=False)
    out = []
    for eq in result.equilibria:
        point = [np.array([float(v) for _, v in eq[label]]) for label in eq.game.players]
        if not contains(out, point):
            out.append(point)
    return out


def contains(found, strategies, atol=1e-7):
    return any(all(np.allclose(a, b, atol=atol) for a, b in zip(f, strategies))
               for f in found)


def test_interop_round_trip():
    g = pg.load("games/classic/chicken.toml")
    h = pg.from_pygambit(pg.to_pygambit(g))
    np.testing.assert_array_equal(h.payoffs, g.payoffs)
    with pytest.raises(TypeError, match="to_pygambit: game must be a NormalFormGame"):
        pg.to_pygambit(np.zeros((2, 2)))
    with pytest.raises(TypeError, match="from_pygambit: game must be a pygambit game"):
        pg.from_pygambit(g)


@pytest.mark.parametrize("seed", range(4))
def test_vertex_and_support_equal_enummixed_on_random_games(seed):
    rng = np.random.default_rng(seed)
    g = pg.NormalFormGame([rng.standard_normal((5, 4)), rng.standard_normal((5, 4))])
    theirs = gambit_equilibria(g)
    for method in ("vertex", "support"):
        mine = pg.nash(g, method)
        assert len(mine) == len(theirs)
        assert all(contains(theirs, e.strategies) for e in mine)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the Gambit corpus is absent")
def test_extreme_equilibria_of_the_corpus_match_enummixed():
    # enummixed lists the extreme equilibria of two-player games, as paxgame does
    for name in ("csg4.nfg", "deg1.nfg", "deg2.nfg", "coord4.nfg", "e07.nfg", "vd.nfg",
                 "zero.nfg", "mixdom.nfg"):
        g = pg.load(CORPUS / name)
        theirs = gambit_equilibria(g)
        mine = pg.nash(g, "vertex")
        assert len(mine) == len(theirs), name
        assert all(contains(theirs, e.strategies) for e in mine), name


def test_lemke_howson_finds_what_lcp_finds_on_the_long_path_game():
    A = np.array([[-180, 72, -333, 297, -153, 270], [-30, 17, -33, 42, -3, 20],
                  [-81, 36, -126, 126, -36, 90], [90, -36, 126, -126, 36, -81],
                  [20, -3, 42, -33, 17, -30], [270, -153, 297, -333, 72, -180]], float)
    B = np.array([[72, 36, 17, -3, -36, -153], [-180, -81, -30, 20, 90, 270],
                  [297, 126, 42, -33, -126, -333], [-333, -126, -33, 42, 126, 297],
                  [270, 90, 20, -30, -81, -180], [-153, -36, -3, 17, 36, 72]], float)
    g = pg.NormalFormGame([A, B])
    theirs = gambit_equilibria(g, "lcp")
    mine = pg.nash(g, "lemke_howson")
    assert theirs and all(contains([e.strategies for e in mine], t) for t in theirs)

"""Nash equilibria of textbook games, every method, with the sources of the expected values."""

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import paxgame as pg
from paxgame.testing.invariants import check_nash_result, check_same_equilibria

CLASSIC = "games/classic"
# the Gambit corpus lives in shared/ beside the repository
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "games-corpus" / "gambit"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent")

# von Stengel (1999), "New maximal numbers of equilibria in bimatrix games", Discrete &
# Computational Geometry 21: a 6x6 game with 75 equilibria (the payoffs of the Gambit file
# dcg-vonstengel1999-6x6_game_with_75_eq.nfg)
VON_STENGEL_A = [
    [9504, -660, 19976, -20526, 1776, -8976],
    [-111771, 31680, -130944, 168124, -8514, 52764],
    [397584, -113850, 451176, -586476, 29216, -178761],
    [171204, -45936, 208626, -263076, 14124, -84436],
    [1303104, -453420, 1227336, -1718376, 72336, -461736],
    [737154, -227040, 774576, -1039236, 48081, -300036]]
VON_STENGEL_B = [
    [72336, 48081, 29216, 14124, 1776, -8514],
    [-461736, -300036, -178761, -84436, -8976, 52764],
    [1227336, 774576, 451176, 208626, 19976, -130944],
    [-1718376, -1039236, -586476, -263076, -20526, 168124],
    [1303104, 737154, 397584, 171204, 9504, -111771],
    [-453420, -227040, -113850, -45936, -660, 31680]]


def load(name):
    return pg.load(f"{CLASSIC}/{name}.toml")


def strategies_of(result, decimals=9):
    return [tuple(np.round(s, decimals).tolist() for s in eq.strategies) for eq in result]


def test_prisoners_dilemma_unique_defect():
    # Axelrod (1984): defect strictly dominates, (D, D) is the unique equilibrium, payoffs (1, 1)
    g = load("prisoners_dilemma")
    for method in ("support", "vertex", "lemke_howson", "pure"):
        res = pg.nash(g, method)
        assert strategies_of(res) == [([0.0, 1.0], [0.0, 1.0])], method
        assert res[0].payoffs.tolist() == [1.0, 1.0]
        assert res[0].regret == 0.0
        assert res[0].profile == (1, 1)
    assert pg.nash(g).complete and pg.nash(g).finite


def test_matching_pennies_unique_mixed():
    # Osborne & Rubinstein (1994), Example 17.1: unique equilibrium (1/2, 1/2) each, value 0
    g = load("matching_pennies")
    for method in ("support", "vertex", "lemke_howson", "zero_sum"):
        res = pg.nash(g, method)
        assert strategies_of(res) == [([0.5, 0.5], [0.5, 0.5])], method
        np.testing.assert_allclose(res[0].payoffs, [0, 0], atol=1e-12)
    res = pg.nash(g, "pure")
    assert res == [] and res.status == "empty" and not res.success


def test_battle_of_the_sexes_three_equilibria():
    # Osborne & Rubinstein (1994), Example 15.3: (B, B), (S, S) and the mixed one in which
    # player 1 plays B with probability 2/3 and player 2 with probability 1/3
    res = pg.nash(load("battle_of_the_sexes"))
    assert len(res) == 3 and res.finite and res.complete
    got = strategies_of(res, 6)
    assert ([1.0, 0.0], [1.0, 0.0]) in got and ([0.0, 1.0], [0.0, 1.0]) in got
    assert ([0.666667, 0.333333], [0.333333, 0.666667]) in got
    mixed = [eq for eq in res if not eq.is_pure][0]
    np.testing.assert_allclose(mixed.payoffs, [2 / 3, 2 / 3])


def test_chicken_three_equilibria():
    # Aumann (1974), Section 4 (payoffs 6, 7, 2, 0): two pure equilibria and each swerving
    # with probability 2/3, payoffs 14/3
    res = pg.nash(load("chicken"))
    assert strategies_of(res, 6) == [([1.0, 0.0], [0.0, 1.0]), ([0.0, 1.0], [1.0, 0.0]),
                                     ([0.666667, 0.333333], [0.666667, 0.333333])]
    np.testing.assert_allclose(res[2].payoffs, [14 / 3, 14 / 3])
    assert res.verify(exact=True).ok


def test_rock_paper_scissors_uniform():
    # Hofbauer & Sigmund (1998), Section 7.1: unique equilibrium, uniform play, value 0
    g = load("rock_paper_scissors")
    for method in ("support", "vertex", "zero_sum"):
        res = pg.nash(g, method)
        assert len(res) == 1
        for s in res[0].strategies:
            np.testing.assert_allclose(s, [1 / 3] * 3, atol=1e-12)


def test_unique_fully_mixed_3x3():
    # games/classic/unique_mixed_3x3.toml (proof in the file, after Kaplansky 1945):
    # x* = (5, 11, 9)/25, y* = (5, 14, 6)/25, value 4/25
    g = load("unique_mixed_3x3")
    for method in ("support", "vertex", "lemke_howson", "zero_sum"):
        res = pg.nash(g, method)
        assert len(res) == 1, method
        np.testing.assert_allclose(res[0].strategies[0], np.array([5, 11, 9]) / 25, atol=1e-9)
        np.testing.assert_allclose(res[0].strategies[1], np.array([5, 14, 6]) / 25, atol=1e-9)
        assert res[0].payoffs[0] == pytest.approx(4 / 25)
    cert = pg.nash(g)[0].verify(exact=True)
    assert cert.ok and cert.exact and cert.checks["regret"] == Fraction(0)


def test_degenerate_game_reports_continuum():
    # games/classic/degenerate_3x2.toml (von Stengel 2007, ch. 3): a segment of equilibria
    # from (top, left) to (top, 2/3 left + 1/3 right), and the mixed one on {middle, bottom}
    res = pg.nash(load("degenerate_3x2"))
    assert res.complete and res.finite is False
    assert "infinite" in res.message
    got = strategies_of(res, 6)
    assert ([1.0, 0.0, 0.0], [1.0, 0.0]) in got
    assert ([1.0, 0.0, 0.0], [0.666667, 0.333333]) in got
    assert ([0.0, 0.333333, 0.666667], [0.333333, 0.666667]) in got
    check_nash_result(load("degenerate_3x2"), res)
    # vertex enumeration pairs every vertex, degenerate ones included: the same answer
    vertex = pg.nash(load("degenerate_3x2"), "vertex")
    assert vertex.complete and vertex.finite is False
    assert sorted(strategies_of(vertex, 6)) == sorted(got)


def test_all_zero_game_every_profile():
    # every profile of a constant game is an equilibrium: the extreme ones are the 4 pure
    g = pg.NormalFormGame([np.zeros((2, 2)), np.zeros((2, 2))])
    res = pg.nash(g)
    assert len(res) == 4 and res.finite is False and all(eq.is_pure for eq in res)


def test_von_stengel_6x6_has_75_equilibria():
    g = pg.NormalFormGame([VON_STENGEL_A, VON_STENGEL_B])
    res = pg.nash(g)
    assert len(res) == 75 and res.finite and res.complete
    assert res.verify().ok and res.verify(exact=True).ok


@needs_corpus
def test_von_stengel_6x6_from_the_gambit_files():
    g = pg.read_nfg(CORPUS / "dcg-vonstengel1999-6x6_game_with_75_eq.nfg")
    assert np.array_equal(g.payoffs, [VON_STENGEL_A, VON_STENGEL_B])
    assert len(pg.nash(g)) == 75
    small = pg.read_nfg(CORPUS / "dcg-vonstengel1999-6x6_game_with_75_eq_small_payoffs.nfg")
    assert len(pg.nash(small)) == 75


@needs_corpus
def test_three_player_pure():
    # ijgt-nau2004-sec5 (Nau, Gomez Canovas & Hansen 2004, section 5): 3 pure equilibria
    g = pg.read_nfg(CORPUS / "ijgt-nau2004-sec5.nfg")
    res = pg.nash(g, "pure")
    assert len(res) == 3 and res.complete
    np.testing.assert_array_equal(pg.pure_nash(g), [list(eq.profile) for eq in res])


def test_pure_nash_lexicographic():
    # coordination game with three pure equilibria along the diagonal
    g = pg.NormalFormGame([np.eye(3), np.eye(3)])
    np.testing.assert_array_equal(pg.pure_nash(g), [[0, 0], [1, 1], [2, 2]])
    assert pg.pure_nash(pg.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])).shape \
        == (0, 2)


def test_methods_agree_on_nondegenerate_games():
    rng = np.random.default_rng(11)
    for _ in range(5):
        g = pg.NormalFormGame([rng.standard_normal((4, 3)), rng.standard_normal((4, 3))])
        support = pg.nash(g)
        check_same_equilibria(support, pg.nash(g, "vertex"))
        lh = pg.nash(g, "lemke_howson")
        assert len(lh) >= 1 and not lh.complete
        for eq in lh:
            assert any(all(np.allclose(a, b) for a, b in zip(eq.strategies, o.strategies))
                       for o in support)


def test_lemke_howson_labels_option():
    g = load("battle_of_the_sexes")
    res = pg.nash(g, "lemke_howson", options={"labels": [0]})
    assert len(res) == 1
    with pytest.raises(ValueError, match="labels"):
        pg.nash(g, "lemke_howson", options={"labels": [9]})


def test_zero_sum_constant_sum_game():
    # a constant-sum version of matching pennies (sum 2): same strategies, value 1
    g = pg.NormalFormGame([[[2, 0], [0, 2]], [[0, 2], [2, 0]]])
    res = pg.nash(g, "zero_sum")
    assert res[0].payoffs.tolist() == pytest.approx([1.0, 1.0])
    assert "value 1" in res.message


def test_tolerance_is_relative_to_payoff_scale():
    g = load("chicken")
    big = g.replace(payoffs=np.asarray(g.payoffs) * 1e7)
    res = pg.nash(big)
    assert len(res) == 3
    # tol is relative; each player's scale is the range of its own payoffs
    assert res[0].tol == 1e-9
    np.testing.assert_allclose(res[0].scales, np.ptp(np.asarray(big.payoffs), axis=(1, 2)))


def test_result_is_a_list_with_attributes():
    res = pg.nash(load("chicken"))
    assert isinstance(res, list) and isinstance(res[0], pg.Equilibrium)
    assert res.method == "support" and res.status == "optimal" and res.success
    assert "3 equilibria" in repr(res)
    eq = res[2]
    assert [s.tolist() for s in eq.support] == [[0, 1], [0, 1]]
    assert eq.profile is None and not eq.is_pure
    assert "regret" in str(eq)
    with pytest.raises(AttributeError):
        eq.regret = 1.0


def test_verify_catches_a_wrong_equilibrium():
    g = load("chicken")
    eq = pg.nash(g)[0]
    fake = pg.Equilibrium(strategies=(np.array([1.0, 0.0]), np.array([1.0, 0.0])),
                          payoffs=np.array([6.0, 6.0]), regret=0.0,
                          support=(np.array([0]), np.array([0])), game=g)
    assert eq.verify().ok
    cert = fake.verify()
    assert not cert.ok and "regret" in cert.failures()
    assert not fake.verify(exact=True).ok


def test_vertex_enumeration_on_the_all_zero_game():
    # nashpy raised TypeError here (issue 13); every pure profile is an extreme equilibrium
    g = pg.NormalFormGame([np.zeros((2, 2)), np.zeros((2, 2))])
    res = pg.nash(g, "vertex")
    assert res.status == "optimal" and res.complete and res.finite is False
    assert sorted(e.profile for e in res) == [(0, 0), (0, 1), (1, 0), (1, 1)]


def test_input_errors():
    g = load("chicken")
    with pytest.raises(ValueError, match="Unknown method 'foo' for nash"):
        pg.nash(g, "foo")
    with pytest.raises(TypeError, match="nash: game must be a NormalFormGame"):
        pg.nash(np.zeros((2, 2, 2)))
    three = pg.NormalFormGame(np.zeros((3, 2, 2, 2)))
    with pytest.raises(ValueError, match="handles two-player games"):
        pg.nash(three, "support")
    with pytest.raises(ValueError, match="constant-sum"):
        pg.nash(g, "zero_sum")
    with pytest.raises(ValueError, match="unknown option 'x'"):
        pg.nash(g, options={"x": 1})
    with pytest.raises(ValueError, match="nash: tol must be non-negative"):
        pg.nash(g, tol=-1)


@pytest.mark.parametrize("method", ["support", "pure", "vertex", "lemke_howson", "zero_sum"])
@pytest.mark.parametrize("k", [1e-9, 1e9])
def test_every_method_is_scale_invariant(method, k):
    # the tolerance scale is the largest absolute payoff (not max(1, ...)) and nashpy and
    # the LP see payoffs divided by it: multiplying the payoffs by k changes nothing
    rng = np.random.default_rng(3)
    a = rng.normal(size=(3, 3))
    b = -a if method == "zero_sum" else rng.normal(size=(3, 3))
    base = pg.nash(pg.NormalFormGame([a, b]), method=method)
    scaled = pg.nash(pg.NormalFormGame([a * k, b * k]), method=method)
    assert scaled.status == base.status
    assert len(scaled) == len(base)
    for e, f in zip(base, scaled):
        for s, t in zip(e.strategies, f.strategies):
            np.testing.assert_allclose(s, t, atol=1e-7)
    assert scaled.verify().ok


def test_empty_answer_is_never_optimal():
    # A = [[6, -3], [-1, 0]], B = [[2, 1], [-2, -3]] times 1e9: nashpy used to return no
    # equilibrium here, reported as "optimal"; it now runs on rescaled payoffs
    a = np.array([[6.0, -3.0], [-1.0, 0.0]]) * 1e9
    b = np.array([[2.0, 1.0], [-2.0, -3.0]]) * 1e9
    res = pg.nash(pg.NormalFormGame([a, b]), method="vertex")
    assert res.status == "optimal" and len(res) == 1
    from paxgame.stage.nash import _none_found

    assert _none_found([], "optimal", "", "x")[0] == "uncertified"

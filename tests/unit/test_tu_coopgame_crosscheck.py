"""Cross-checks against coopgame-py (an independent Rust implementation) where they agree
on the definition: Shapley, Banzhaf, nucleolus, prenucleolus, and the least core over
pre-imputations (coopgame's default least core adds x_i >= v(i), paxgame's does not (docs/theory/cooperative_games.rst))."""

import numpy as np
import pytest

import paxgame as pg

coopgame = pytest.importorskip("coopgame")


def _games():
    rng = np.random.default_rng(11)
    for n in (2, 3, 4, 5, 6, 7):
        for _ in range(3):
            sizes = np.array([bin(S).count("1") for S in range(1 << n)], dtype=float)
            v = np.round(rng.random(1 << n) * sizes ** 1.4 * 8)
            v[sizes == 1] = np.round(v[sizes == 1] * 0.1)
            v[0] = 0
            yield v


@pytest.mark.parametrize("v", list(_games()), ids=lambda v: f"n{len(v).bit_length() - 1}")
def test_agrees_with_coopgame(v):
    tu = pg.TUGame(v)
    peer = coopgame.Game(v[1:])
    np.testing.assert_allclose(pg.shapley(tu).value, coopgame.shapley(peer), atol=1e-9)
    np.testing.assert_allclose(pg.banzhaf(tu).value, coopgame.banzhaf(peer), atol=1e-9)
    np.testing.assert_allclose(pg.nucleolus(tu).allocation,
                               coopgame.nucleolus(peer)["allocation"], atol=1e-7)
    np.testing.assert_allclose(pg.nucleolus(tu, "preimputation").allocation,
                               coopgame.prenucleolus(peer)["allocation"], atol=1e-7)
    if tu.num_players >= 2:
        assert pg.least_core(tu).epsilon == pytest.approx(
            coopgame.least_core(peer, domain="preimputation")["epsilon"], abs=1e-7)


def test_least_core_definitions_differ_when_singletons_bind():
    # v(i) = 1, v(N) = 0: paxgame's least core relaxes singletons (eps* = 1); the
    # imputation version has no solution at all (coopgame raises)
    v = np.array([0, 1, 1, 0, 1, 0, 0, 0], dtype=float)
    assert pg.least_core(pg.TUGame(v)).epsilon == pytest.approx(1.0)
    with pytest.raises(ValueError):
        coopgame.least_core(coopgame.Game(v[1:]))


def test_talmud_agrees():
    for estate in (100, 200, 300):
        ours = pg.nucleolus(pg.bankruptcy(estate, [100, 200, 300])).allocation
        np.testing.assert_allclose(ours, coopgame.talmud(estate, [100, 200, 300]), atol=1e-9)

"""The nucleolus: sequential LPs with constraint generation against a full-row reference."""

import dataclasses

import numpy as np
import pytest
from scipy.optimize import linprog

import paxgame as pg


def _rows(masks, n):
    masks = np.asarray(masks)
    return ((masks[:, None] >> np.arange(n)) & 1).astype(float)


def reference_nucleolus(v, n, imputation=True):
    """Textbook sequential LPs with every coalition's row (Maschler, Peleg & Shapley 1979):
    after each stage a coalition is fixed iff an auxiliary LP shows that its excess cannot
    fall below the stage's level at any optimum.  Independent of paxgame's solver."""
    full = (1 << n) - 1
    free = list(range(1, full))
    eq_rows, eq_rhs = [np.ones(n)], [v[full]]
    bounds = [(v[1 << i], None) if imputation else (None, None) for i in range(n)]
    x = None
    while free:
        R = _rows(free, n)
        A_ub = np.hstack([-R, -np.ones((len(free), 1))])
        A_eq = np.hstack([np.array(eq_rows), np.zeros((len(eq_rows), 1))])
        res = linprog(np.r_[np.zeros(n), 1.0], A_ub=A_ub, b_ub=-v[free], A_eq=A_eq,
                      b_eq=eq_rhs, bounds=bounds + [(None, None)], method="highs")
        assert res.status == 0
        eps = res.x[n]
        x = res.x[:n]
        newly = []
        for k, S in enumerate(free):
            if v[S] - R[k] @ x < eps - 1e-7:
                continue
            # can S's excess drop below eps while every free excess stays <= eps?
            aux = linprog(-R[k], A_ub=-R, b_ub=-(v[free] - eps), A_eq=np.array(eq_rows),
                          b_eq=eq_rhs, bounds=bounds, method="highs")
            if -aux.fun - (v[S] - eps) <= 1e-7:
                newly.append(S)
        for S in newly:
            eq_rows.append(_rows([S], n)[0])
            eq_rhs.append(v[S] - eps)
        B = np.array(eq_rows)
        rank = np.linalg.matrix_rank(B, tol=1e-9)
        if rank == n:
            return np.linalg.lstsq(B, np.array(eq_rhs), rcond=None)[0]
        free = [S for S in free if S not in newly and np.linalg.matrix_rank(
            np.vstack([B, _rows([S], n)]), tol=1e-9) > rank]
    return x


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("imputation", [True, False])
def test_agrees_with_full_row_formulation(seed, imputation):
    rng = np.random.default_rng(seed)
    n = [3, 4, 5, 6, 7, 8][seed]
    sizes = _rows(np.arange(1 << n), n).sum(axis=1)
    v = np.round(rng.random(1 << n) * sizes ** 1.5 * 10)
    v[sizes == 1] = np.round(v[sizes == 1] * 0.1)
    v[0] = 0
    tu = pg.TUGame(v)
    r = pg.nucleolus(tu, "imputation" if imputation else "preimputation")
    ref = reference_nucleolus(v, n, imputation)
    np.testing.assert_allclose(r.allocation, ref, atol=1e-6)
    assert r.success and r.verify()
    assert r.kohlberg["kohlberg"] <= 1e-9


def test_degenerate_symmetric_game():
    # v(S) = |S| choose 2: symmetric, every level is large; nucleolus = equal split
    from math import comb

    tu = pg.TUGame(lambda S: comb(len(S), 2), players=7)
    r = pg.nucleolus(tu)
    np.testing.assert_allclose(r.allocation, [21 / 7] * 7, atol=1e-9)
    assert r.verify() and r.verify(exact=True)


def test_exact_verification_and_forgery():
    tu = pg.bankruptcy(200, [100, 200, 300])
    r = pg.nucleolus(tu)
    assert r.verify(exact=True)
    bad = dataclasses.replace(r, allocation=np.array([60.0, 70.0, 70.0]))
    assert not bad.verify() and not bad.verify(exact=True)


def test_empty_imputation_set_is_a_status():
    tu = pg.TUGame([0, 2, 2, 3])
    r = pg.nucleolus(tu)
    assert r.status == "infeasible" and r.allocation is None
    # verify() certifies the infeasibility claim itself: sum of v(i) = 4 > v(N) = 3
    assert r.verify() and r.verify(exact=True)
    assert r.verify().checks["imputation_set_empty"] == 0.0
    forged = dataclasses.replace(r, game=pg.TUGame([0, 1, 1, 3]))
    assert not forged.verify() and not forged.verify(exact=True)
    pre = pg.nucleolus(tu, domain="preimputation")
    np.testing.assert_allclose(pre.allocation, [1.5, 1.5])


def test_one_player_and_lp_bookkeeping():
    assert pg.nucleolus(pg.TUGame([0, 5])).allocation.tolist() == [5.0]
    r = pg.nucleolus(pg.glove_game(2, 3))
    assert r.lp_solves >= 1 and r.lp_seconds >= 0 and r.stages >= 1
    assert r.levels == sorted(r.levels, reverse=True)


def test_n16_constraint_generation():
    from paxgame.kernels.tu import popcount

    n = 16
    rng = np.random.default_rng(2)
    v = rng.random(1 << n) * popcount(n) ** 1.5
    v[popcount(n) == 1] *= 0.1
    v[0] = 0
    r = pg.nucleolus(pg.TUGame(v))
    assert r.success and r.verify() and r.kohlberg["levels_checked"] >= 1


def test_errors():
    with pytest.raises(ValueError, match="^Unknown method 'core' for nucleolus"):
        pg.nucleolus(pg.glove_game(1, 1), domain="core")

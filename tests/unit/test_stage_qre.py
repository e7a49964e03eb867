"""Logit quantal response equilibrium at a given precision: closed forms, the residual
certificate, invariances, input errors and the cross-check against pygambit."""

import math
from pathlib import Path

import numpy as np
import pytest

import paxgame as pg

CORPUS = next((p / "shared" / "games-corpus" / "gambit" for p in Path(__file__).resolve().parents
               if (p / "shared" / "games-corpus" / "gambit").is_dir()), Path("/nonexistent"))
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent")


def logistic(z):
    return 1.0 / (1.0 + math.exp(-z))


def test_matching_pennies_is_uniform_at_every_precision():
    # McKelvey & Palfrey (1995), section 3: in matching pennies the logit QRE is the
    # uniform profile for every lambda (the unique Nash equilibrium is uniform too)
    g = pg.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    for lam in (0.0, 0.5, 3.0, 100.0):
        q = pg.logit_qre(g, lam)
        assert q.status == "optimal" and q.lam == lam
        np.testing.assert_allclose(np.concatenate(q.strategies), 0.5, atol=1e-12)
        assert q.verify().ok


def test_asymmetric_matching_pennies_closed_form():
    # Row: a dominant action worth g = 2 more (so p = logistic(2 lam)); Column matches the
    # row's action: its gain from the first column is p * 1 - (1 - p) * 1 = 2p - 1, so
    # q = logistic(lam (2p - 1)). Logit choice probabilities (McFadden 1974) in closed form.
    g = pg.NormalFormGame([[[3, 3], [1, 1]], [[1, 0], [0, 1]]])
    for lam in (0.3, 1.0, 4.0):
        q = pg.logit_qre(g, lam)
        p = logistic(2 * lam)
        expected = logistic(lam * (2 * p - 1))
        assert q.strategies[0][0] == pytest.approx(p, abs=1e-12)
        assert q.strategies[1][0] == pytest.approx(expected, abs=1e-12)
        assert q.residual <= 1e-12
        assert q.verify().ok


def test_lambda_zero_is_uniform_and_takes_no_step():
    g = pg.NormalFormGame(np.random.default_rng(0).standard_normal((3, 2, 3, 4)))
    q = pg.logit_qre(g, 0)
    assert q.steps == 0 and q.status == "optimal"
    for s, m in zip(q.strategies, (2, 3, 4)):
        np.testing.assert_allclose(s, 1.0 / m)


def test_payoff_scaling_and_translation():
    # QRE(k u + c, lam / k) = QRE(u, lam): the precision is in reciprocal payoff units and a
    # constant added to a player's payoffs changes no choice probability
    rng = np.random.default_rng(1)
    u = rng.standard_normal((3, 3, 2, 3))
    base = pg.logit_qre(pg.NormalFormGame(u), 2.5)
    shift = np.array([4.0, -7.0, 0.5]).reshape(3, 1, 1, 1)
    other = pg.logit_qre(pg.NormalFormGame(10 * u + shift), 0.25)
    for a, b in zip(base.strategies, other.strategies):
        np.testing.assert_allclose(a, b, atol=1e-10)


def test_large_precision_approaches_a_nash_equilibrium():
    # Player i's regret at a logit QRE is at most ln(m_i) / lam: the logit response maximises
    # expected payoff plus entropy / lam (McKelvey & Palfrey 1995, section 2)
    g = pg.NormalFormGame(np.random.default_rng(2).standard_normal((3, 3, 3, 3)))
    for lam in (10.0, 100.0, 1000.0):
        q = pg.logit_qre(g, lam)
        assert q.status == "optimal"
        for i in range(3):
            vals = g.action_values(q.strategies, i)
            assert vals.max() - vals @ q.strategies[i] <= math.log(3) / lam + 1e-12


def test_verify_detects_a_tampered_profile():
    g = pg.NormalFormGame([[[3, 3], [1, 1]], [[1, 0], [0, 1]]])
    q = pg.logit_qre(g, 1.0)
    bad = pg.QREResult(strategies=(np.array([0.5, 0.5]), q.strategies[1]), lam=q.lam,
                       payoffs=q.payoffs, residual=q.residual, tol=q.tol, game=g)
    cert = bad.verify()
    assert not cert.ok and "residual" in cert.failures()
    exact = q.verify(exact=True)
    assert not exact.ok and exact.exact
    assert any(k.startswith("exact_check_unavailable") for k in exact.checks)


def test_step_cap_reports_max_iter_reached():
    g = pg.NormalFormGame(np.random.default_rng(3).standard_normal((3, 3, 3, 3)))
    q = pg.logit_qre(g, 50.0, options={"max_steps": 2})
    assert q.status == "max_iter_reached" and not q.success
    assert q.steps == 2 and q.lam < 50.0
    assert "max_steps" in q.message


def test_repr_and_str_are_short():
    q = pg.logit_qre(pg.NormalFormGame([[[1, 0], [0, 1]], [[1, 0], [0, 1]]]), 1.0)
    assert "QREResult(" in repr(q) and "game=" not in repr(q)
    assert str(q).startswith("QREResult(lam 1:")


@pytest.mark.parametrize("call, error, match", [
    (lambda g: pg.logit_qre([[1]], 1.0), TypeError, "logit_qre: game must be a NormalFormGame"),
    (lambda g: pg.logit_qre(g, "1"), TypeError, "logit_qre: lam must be a real number"),
    (lambda g: pg.logit_qre(g, True), TypeError, "logit_qre: lam must be a real number"),
    (lambda g: pg.logit_qre(g, -1.0), ValueError, r"logit_qre: lam must be a finite number >= 0"),
    (lambda g: pg.logit_qre(g, float("inf")), ValueError, "logit_qre: lam must be a finite"),
    (lambda g: pg.logit_qre(g, 1.0, tol=0), ValueError, "logit_qre: tol must be positive"),
    (lambda g: pg.logit_qre(g, 1.0, options=[1]), TypeError, "logit_qre: options must be a dict"),
    (lambda g: pg.logit_qre(g, 1.0, options={"steps": 3}), ValueError,
     "logit_qre: unknown option 'steps'"),
    (lambda g: pg.logit_qre(g, 1.0, options={"max_steps": 0}), ValueError,
     r"logit_qre: options\['max_steps'\] must be an integer >= 1"),
    (lambda g: pg.logit_qre(g, 1.0, options={"max_accel": 0.5}), ValueError,
     r"logit_qre: options\['max_accel'\] must be a finite number > 1"),
])
def test_invalid_input(call, error, match):
    g = pg.NormalFormGame([[[1, 0], [0, 1]], [[1, 0], [0, 1]]])
    with pytest.raises(error, match=match):
        call(g)


@needs_corpus
@pytest.mark.parametrize("name", ["3x3x3", "5x4x3", "8x2x2", "2x2x2x2", "2x2x2x2x2", "g2", "g3"])
def test_matches_pygambit_logit_solve_lambda(name):
    gbt = pytest.importorskip("pygambit")
    g = pg.read_nfg(CORPUS / f"{name}.nfg")
    gg = gbt.StrategicGame.from_arrays(*[np.asarray(g.payoffs[i]) for i in range(g.n_players)])
    lams = [0.1, 1.0, 5.0]
    for lam, theirs in zip(lams, gbt.qre.logit_solve_lambda(gg, lam=lams, use_strategic=True)):
        expected = np.concatenate([[float(p) for _, p in theirs.profile[pl]]
                                   for pl in gg.players])
        ours = pg.logit_qre(g, lam)
        assert ours.status == "optimal"
        np.testing.assert_allclose(np.concatenate(ours.strategies), expected, atol=1e-8)

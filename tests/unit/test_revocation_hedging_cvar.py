"""pg.hedge's CVaR with sure or impossible cut-offs, its independent check, the source cap.

Regression tests for issue 18: a source whose revocation probability is exactly 0 (or a
provider probability of 1) put a zero-weight scenario first in the sorted tail, which ended
the tail sum at once: CVaR 0, status optimal, and verify() agreed because it called the same
helper.
"""

import dataclasses

import numpy as np
import pytest

import paxgame as pg
from paxgame.errors import GameFileError
from paxgame.games.scenario import MAX_SOURCES, Source

PLURAL = "games/scenarios/plural_dependencies.toml"


@pytest.fixture(scope="module")
def sc():
    return pg.load(PLURAL)


def test_a_sure_source_does_not_zero_the_cvar(sc):
    # The found case: the domestic stack is never cut. The risk-neutral partner puts 0.7 on
    # the provider (loss 6) and 0.3 on the domestic stack; the provider is cut with
    # probability 0.2626 > 1 - alpha = 0.1, so the worst 10% of outcomes all lose
    # 0.7 * 6 = 4.2 and CVaR_0.9 = 4.2 (definition of CVaR, Rockafellar and Uryasev 2000).
    s = sc.replace(**{"partners.0.sources.1.revocation_probability": 0.0})
    res = pg.hedge(s, 0, risk_aversion=0.0, alpha=0.9)
    np.testing.assert_allclose(res.shares, [0.7, 0.0, 0.3], atol=1e-9)
    assert res.cvar == pytest.approx(4.2, abs=1e-12)
    assert res.status == "optimal" and res.verify()


def test_a_provider_probability_of_one(sc):
    # Provider always cut, rival cut w.p. 0.3, domestic w.p. 0.05; shares (0, 0.7, 0.3):
    # losses 3.8 w.p. 0.015, 3.5 w.p. 0.285, so CVaR_0.9 = (0.015*3.8 + 0.085*3.5)/0.1.
    res = pg.hedge(sc, 0, risk_aversion=1.0, alpha=0.9, provider_probability=1.0)
    np.testing.assert_allclose(res.shares, [0.0, 0.7, 0.3], atol=1e-9)
    assert res.cvar == pytest.approx((0.015 * 3.8 + 0.085 * 3.5) / 0.1, abs=1e-12)
    assert res.verify()


@pytest.mark.parametrize("rp", [0.0, 1.0])
@pytest.mark.parametrize("pp", [0.0, 1.0, None])
def test_cvar_equals_the_minimisation_formula_at_the_edges(sc, rp, pp):
    s = sc.replace(**{"partners.0.sources.0.revocation_probability": rp})
    res = pg.hedge(s, 0, risk_aversion=1.0, alpha=0.9, provider_probability=pp)
    # the definition, by brute force over every threshold z on a fine grid of z
    from itertools import product
    cuts = np.array(list(product([0, 1], repeat=3)), dtype=float)
    pw = np.prod(np.where(cuts == 1, res.revocation_probability,
                          1 - res.revocation_probability), axis=1)
    loss = cuts @ (res.shares * res.loss)
    z = np.linspace(-1, 10, 110_001)
    ru = (z + np.maximum(loss[None, :] - z[:, None], 0) @ pw / 0.1).min()
    assert res.cvar == pytest.approx(ru, abs=1e-4)
    assert res.verify()


def test_verify_rejects_a_wrong_cvar(sc):
    s = sc.replace(**{"partners.0.sources.1.revocation_probability": 0.0})
    res = pg.hedge(s, 0, risk_aversion=0.0, alpha=0.9)
    wrong = dataclasses.replace(res, cvar=0.0)
    cert = wrong.verify()
    assert not cert and cert.checks["cvar"] == pytest.approx(4.2 / 6.0)


def _with_sources(sc, n):
    p = sc.partners[0]
    src = tuple(Source(name=f"s{k}", access_value=1.0 + 0.1 * k, revocation_loss=2.0,
                       revocation_probability=0.1, cap=0.5) for k in range(n))
    return dataclasses.replace(sc, partners=(dataclasses.replace(p, sources=src),))


def test_hedge_refuses_more_sources_than_the_limit(sc):
    with pytest.raises(ValueError, match=rf"hedge: the partner lists 18 sources; at most "
                                         rf"{MAX_SOURCES}"):
        pg.hedge(_with_sources(sc, 18), 0, provider_probability=0.2)
    res = pg.hedge(_with_sources(sc, MAX_SOURCES), 0, risk_aversion=1.0, alpha=0.9,
                   provider_probability=0.2)
    assert res.status == "optimal" and res.verify()


def test_the_loader_refuses_more_sources_than_the_limit(tmp_path):
    text = open(PLURAL).read()
    extra = "".join(f'\n[[partners.sources]]\nname = "s{k}"\naccess_value = 1.0\n'
                    f'revocation_loss = 1.0\nrevocation_probability = 0.1\n'
                    for k in range(MAX_SOURCES))
    path = tmp_path / "many.toml"
    path.write_text(text + extra)
    with pytest.raises(GameFileError, match=r"partners\[0\]\.sources.*at most 11"):
        pg.load(path)

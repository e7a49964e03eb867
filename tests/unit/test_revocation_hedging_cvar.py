"""pg.hedge's CVaR with sure or impossible cut-offs, its independent check, the source cap.

Regression tests for issue 18: a source whose revocation probability is exactly 0 (or a
provider probability of 1) put a zero-weight scenario first in the sorted tail, which ended
the tail sum at once: CVaR 0, status optimal, and verify() agreed because it called the same
helper. Since hedging is in one unit (discounted value over the horizon) the expected
numbers are those of the cut costs of that unit; the checks are the same.
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


def _independent(sc, rival, domestic):
    """The scenario with independent cuts of the other sources (no joint table)."""
    return sc.replace(**{"hedge": {"risk_aversion": 1.0, "alpha": 0.9, "events": []},
                         "partners.0.sources.0.revocation_probability": rival,
                         "partners.0.sources.1.revocation_probability": domestic})


def _ru_brute_force(res, alpha):
    """CVaR by Rockafellar and Uryasev's formula on a fine grid of thresholds z."""
    loss = (res.cut_table * res.cut_cost) @ res.shares + res.loss_constant
    z = np.linspace(loss.min() - 1, loss.max() + 1, 200_001)
    return float((z + np.maximum(loss[None, :] - z[:, None], 0)
                  @ res.scenario_probability / (1 - alpha)).min())


def test_a_sure_source_does_not_zero_the_cvar(sc):
    # The found case: the domestic stack is never cut (a zero-weight scenario first in the
    # sorted tail ended the tail sum at once). The provider is cut with probability
    # 0.15 > 1 - alpha = 0.1, so the worst 10% of outcomes lose at least the provider's share
    # of its cut cost: the CVaR is positive and equals the definition (Rockafellar and
    # Uryasev 2000).
    s = _independent(sc, 0.3, 0.0)
    res = pg.hedge(s, 0, risk_aversion=0.0, alpha=0.9, provider_probability=0.15)
    assert res.shares[0] > 0
    assert res.cvar >= res.shares[0] * res.cut_cost[res.cut_table[:, 0] == 1, 0].min() - 1e-12
    assert res.cvar == pytest.approx(_ru_brute_force(res, 0.9), abs=1e-3)
    assert res.status == "optimal" and res.verify()


def test_a_provider_probability_of_one(sc):
    # The provider's stack is surely cut: a cut in period 1 costs the one-time loss and the
    # whole horizon's service, so the stack is worth nothing and gets no share.
    s = _independent(sc, 0.3, 0.05)
    res = pg.hedge(s, 0, risk_aversion=1.0, alpha=0.9, provider_probability=1.0)
    assert res.shares[0] == 0.0
    assert res.revocation_probability[0] == 1.0
    # the one-time loss in period 1's regime: 0.9025 * 6 + 0.0475 * 6 + 0.05 * 4 = 5.9
    assert res.cut_cost[res.cut_table[:, 0] == 1, 0] == pytest.approx(res.value[0] + 5.9)
    assert res.cvar == pytest.approx(_ru_brute_force(res, 0.9), abs=1e-3)
    assert res.verify()


@pytest.mark.parametrize("rp", [0.0, 1.0])
@pytest.mark.parametrize("pp", [0.0, 1.0, None])
def test_cvar_equals_the_minimisation_formula_at_the_edges(sc, rp, pp):
    s = _independent(sc, rp, 0.05)
    res = pg.hedge(s, 0, risk_aversion=1.0, alpha=0.9, provider_probability=pp)
    assert res.cvar == pytest.approx(_ru_brute_force(res, 0.9), abs=1e-3)
    assert res.verify()


def test_verify_rejects_a_wrong_cvar(sc):
    s = _independent(sc, 0.3, 0.0)
    res = pg.hedge(s, 0, risk_aversion=0.0, alpha=0.9, provider_probability=0.5)
    wrong = dataclasses.replace(res, cvar=0.0)
    cert = wrong.verify()
    assert not cert and cert.checks["cvar"] > 0.1


def _with_sources(sc, n):
    p = sc.partners[0]
    src = tuple(Source(name=f"s{k}", access_value=1.0 + 0.1 * k, revocation_loss=2.0,
                       revocation_probability=0.1, cap=0.5) for k in range(n))
    return dataclasses.replace(sc, partners=(dataclasses.replace(p, sources=src),),
                               hedge_events=())


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

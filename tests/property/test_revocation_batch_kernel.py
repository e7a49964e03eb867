"""The exact-state batch kernel against the scalar path and the brute-force oracle.

* ``kernels.revocation_exact.solve_batch`` on a stacked batch equals ``solve`` on each
  point alone, bit for bit, whatever the batch around the point (shuffled, repeated);
  points are drawn from coarse lattices (ties between keeping and revoking, staying and
  exiting), with irregular inputs (access below the outside option, flows of either sign)
  and hazard, for every governance and revocation mode; so are the horizon probabilities;
* ``pg.batch.revocation_equilibrium`` on small scenario batches equals the oracle's
  brute-force enumeration point by point (tests/oracle), and ``pg.solve``;
* a batch holding points without a pure equilibrium (worked by hand in the oracle's tests)
  reports them as such next to optimal points.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import paxgame as pg
from oracle import adapter, compare, scenarios
from oracle.revocation import make_data
from oracle.revocation import solve as oracle_solve
from paxgame.games.scenario import Instrument, Partner
from paxgame.kernels import revocation_exact as kx
from paxgame.revocation.batch import EQUILIBRIUM_STATUS_CODES

LATTICE = (-1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 6.0)


@st.composite
def batches(draw):
    n = draw(st.integers(1, 3))
    K = draw(st.integers(1, 2 if n == 3 else 3))
    collective = draw(st.booleans())
    blanket = draw(st.booleans()) and n > 1
    B = draw(st.integers(2, 5))
    Pi_choices = [np.eye(K), np.full((K, K), 1.0 / K)]
    if K > 1:
        Pi_choices.append(np.roll(np.eye(K), 1, axis=1) * 0.5 + np.eye(K) * 0.5)
    pts = []
    for _ in range(B):
        arr = lambda: np.array(draw(st.lists(st.sampled_from(LATTICE), min_size=n * K,  # noqa
                                             max_size=n * K))).reshape(n, K)
        pos = lambda: np.abs(arr())  # noqa: E731
        pts.append(kx.ExactParams(
            delta=draw(st.sampled_from((0.5, 0.8, 0.9))),
            transition=Pi_choices[draw(st.integers(0, len(Pi_choices) - 1))],
            flow=arr(), outside=arr(), loss=pos(), provider_flow=arr(), gain=pos(),
            forfeit=pos(), compensation=pos(), outage=-pos() * draw(st.sampled_from((0, 1))),
            hazard=np.array(draw(st.lists(st.sampled_from((0.0, 0.0, 0.1, 0.5)), min_size=n,
                                          max_size=n))),
            collective=collective, blanket=blanket, tol=1e-9 * 30))
    return pts


def _same(a, b):
    return np.array_equal(a, b, equal_nan=True)


@settings(max_examples=40, deadline=None)
@given(batches(), st.randoms(use_true_random=False))
def test_batch_equals_scalar_bit_for_bit(pts, rnd):
    order = list(range(len(pts))) + [0]  # shuffled, with a point twice
    rnd.shuffle(order)
    sol = kx.solve_batch(kx.stack_params([pts[k] for k in order]))
    for b, k in enumerate(order):
        one = kx.solve(pts[k])
        assert kx.STATUSES[sol.status[b]] == one.status
        for name in ("stay", "revoke", "V", "U"):
            assert _same(getattr(sol, name)[b], getattr(one, name)), name
        if one.status == "optimal":
            assert sol.n_equilibria[b] == len(one.equilibria)
            sel = one.equilibria[one.selected][2]
            dom = all((sel >= e[2] - pts[k].tol).all() for e in one.equilibria)
            assert bool(sol.dominant[b]) == dom
            rev, ext, anyr = kx.horizon_probabilities(pts[k], one.stay, one.revoke, 0, 4)
            rb, eb, ab = kx.horizon_batch(kx.stack_params([pts[k], pts[k]]),
                                          np.array([one.stay] * 2), np.array([one.revoke] * 2),
                                          0, 4)
            assert _same(rb[1], rev) and _same(eb[1], ext) and ab[1] == anyr


def test_points_without_pure_equilibrium_sit_beside_optimal_ones():
    # the oracle's hand-worked one-partner bond case with hazard 0.3
    # (tests/oracle/test_oracle.py::test_hazard_case_no_pure_equilibrium_then_exit)
    sc = pg.Scenario(partners=(Partner(name="p", access_value=3.0, outside_option=1.2,
                                       revocation_loss=6.0, provider_value=1.0,
                                       revocation_gain=12.0, adversary_hazard=0.3),),
                     discount=0.9, instruments=(Instrument(name="bond"),))
    out = [pg.batch.revocation_equilibrium(sc, levels=[[a]], discount=[0.9, 0.9])
           for a in (60 / 7, 10.0, 12.0)]
    codes = [int(o.status[0]) for o in out]
    assert codes == [1, 1, 0]  # no pure equilibrium, no pure equilibrium, optimal
    d = make_data(delta=0.9, v=3.0, o=1.2, L=6.0, w=1.0, G=12.0, q=0.3)
    for a, o in zip((60 / 7, 10.0, 12.0), out):
        orc = oracle_solve(d, [[a]])
        assert orc["status"] == pg.solve(sc, levels=[[a]]).status
        assert EQUILIBRIUM_STATUS_CODES[orc["status"]] == o.status[1]
        if orc["status"] == "optimal":
            np.testing.assert_array_equal(o.stay[1], orc["stay"])


class _Chooser:
    def __init__(self, data):
        self.data = data

    def choose(self, seq):
        return self.data.draw(st.sampled_from(list(seq)))


@pytest.mark.parametrize("category", ("one2", "irregular", "governance", "hazard"))
@settings(max_examples=6, deadline=None)
@given(data=st.data())
def test_scenario_batches_match_the_oracle(category, data):
    sp = scenarios.spec(_Chooser(data), category)
    sc = adapter.to_scenario(sp, pg)
    deltas = np.array([0.6, sp["delta"], 0.93])
    gains = np.array([data.draw(st.sampled_from((0.0, 4.0, 12.0))) for _ in deltas])
    levels = np.asarray(sp["levels"], float)
    out = pg.batch.revocation_equilibrium(
        sc, levels=levels, discount=deltas, **{"partners[0].revocation_gain[0]": gains})
    for k in range(len(deltas)):
        point = sc.replace(**{"discount": deltas[k], "partners[0].revocation_gain[0]": gains[k]})
        eq = pg.solve(point, levels=levels)
        assert EQUILIBRIUM_STATUS_CODES[eq.status] == out.status[k]
        for name in ("stay", "maintain", "partner_value", "revocation_probability"):
            assert _same(getattr(eq, name), getattr(out, name)[k]), name
        assert _same(eq.any_revocation_probability, out.any_revocation_probability[k])
        orc = oracle_solve(adapter.from_scenario(point), levels)
        pkg = adapter.equilibrium_fields(eq)
        bad = [m for m in compare.real(compare.equilibrium(orc, pkg))
               if not ("n_equilibria" in m and sp["governance"] == "bilateral"
                       and sp["revocation"] == "targeted")]
        assert not bad, f"{sp}\n" + "\n".join(bad)

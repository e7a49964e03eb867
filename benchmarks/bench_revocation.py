"""Revocation batch kernel races (issue 6): 10^5 three-regime scenarios.

* batch minimum assurance (participation, the 2^K candidate enumeration) against the scalar
  exact path ``pg.minimum_assurance`` looping over scenarios;
* batch minimum assurance (continuity) against one cvxpy LP per scenario;
* the kernel alone at three sizes, with its bandwidth ratio and growth exponent.

The slow peers run on the first ``N / scale`` scenarios only (scale 100 for the scalar path,
1000 for cvxpy): the ratio column is then (peer time on N / scale scenarios) / (paxgame time
on N scenarios), so the per-scenario speed-up is ``ratio x scale`` and the issue's targets
(100x and 1000x per scenario) become 1x in the table. Each race's note says so.
"""

from __future__ import annotations

import numpy as np

from benchmarks.harness import Race

K = 3


def _draw(n: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    return dict(discount=rng.uniform(0.6, 0.95, n),
                transition=rng.dirichlet(np.ones(K), (n, K)),
                provider_value=rng.uniform(0, 2, (n, K)),
                revocation_gain=rng.uniform(0, 20, (n, K)),
                access_value=rng.uniform(2, 4, n), outside_option=rng.uniform(0, 2, n),
                revocation_loss=rng.uniform(0, 8, n))


def _scenarios(kw: dict, m: int):
    import paxgame as pg
    from paxgame.games.scenario import Partner

    out = []
    names = tuple(f"r{k}" for k in range(K))
    for i in range(m):
        p = Partner(name="p", access_value=kw["access_value"][i],
                    outside_option=kw["outside_option"][i],
                    revocation_loss=kw["revocation_loss"][i],
                    provider_value=kw["provider_value"][i],
                    revocation_gain=kw["revocation_gain"][i])
        out.append(pg.Scenario(partners=(p,), discount=kw["discount"][i], regime_names=names,
                               transition=kw["transition"][i]))
    return out


def _cvxpy_continuity(kw: dict, m: int) -> np.ndarray:
    """One cvxpy LP per scenario: min a s.t. W_s - G_s + a >= 0, v >= o, a >= 0."""
    import cvxpy as cp

    out = np.empty(m)
    for i in range(m):
        d, P = kw["discount"][i], kw["transition"][i]
        W = np.linalg.solve(np.eye(K) - d * P, kw["provider_value"][i])
        a = cp.Variable(nonneg=True)
        cons = [W - kw["revocation_gain"][i] + a >= 0]
        prob = cp.Problem(cp.Minimize(a), cons)
        prob.solve(solver="CLARABEL")
        if prob.status != "optimal":
            raise RuntimeError(f"cvxpy peer: status {prob.status}")
        out[i] = a.value if kw["access_value"][i] >= kw["outside_option"][i] else np.nan
    return out


def races(quick: bool) -> list[Race]:
    import paxgame as pg

    N = 10_000 if quick else 100_000
    kw = _draw(N)
    repeats = 3 if quick else 5
    scalar_scale, lp_scale = 100, 1000
    m_scalar, m_lp = N // scalar_scale, N // lp_scale
    scs = _scenarios(kw, m_scalar)

    def ours_part():
        return pg.batch.minimum_assurance(target="participation", **kw).amount

    def ours_cont():
        return pg.batch.minimum_assurance(target="continuity", **kw).amount

    def scalar_part():
        return np.array([pg.minimum_assurance(sc, "participation").amount[0] for sc in scs])

    def check_scalar(ours, peer):
        np.testing.assert_allclose(ours[:m_scalar], peer, rtol=1e-12, atol=1e-12)

    def check_lp(ours, peer):
        np.testing.assert_allclose(ours[:m_lp], peer, atol=1e-6)

    arrays = [np.asarray(v) for v in kw.values()]

    def bandwidth():
        return sum(float(a.sum()) for a in arrays)

    out = [
        Race(name="revocation: batch participation vs scalar path", size=f"{N} x K=3",
             ours=ours_part, peer=scalar_part, peer_name="pg.minimum_assurance loop",
             check=check_scalar, target=100.0, repeats=repeats, peer_scale=scalar_scale,
             note=f"peer runs {m_scalar} of the {N} scenarios; its time is scaled by "
                  f"{scalar_scale}"),
        Race(name="revocation: batch continuity vs cvxpy LP per scenario", size=f"{N} x K=3",
             ours=ours_cont, peer=lambda: _cvxpy_continuity(kw, m_lp),
             peer_name="cvxpy (Clarabel) loop", check=check_lp, target=1000.0,
             repeats=repeats, peer_scale=lp_scale,
             note=f"peer runs {m_lp} of the {N} scenarios; its time is scaled by {lp_scale}"),
    ]
    sizes = [1_000, 10_000, 100_000] if not quick else [1_000, 3_000, 10_000]
    for n in sizes:
        kn = _draw(n, seed=1)
        arr_n = [np.asarray(v) for v in kn.values()]
        for target in ("participation", "continuity"):
            out.append(Race(
                name=f"revocation kernel ({target})", size=f"{n} x K=3", n=n,
                ours=lambda kn=kn, t=target: pg.batch.minimum_assurance(target=t, **kn),
                bandwidth=lambda arr_n=arr_n: sum(float(a.sum()) for a in arr_n),
                bandwidth_target=0.25, repeats=repeats,
                note="bandwidth ratio: one numpy reduction over the inputs / kernel time"))
    out.append(Race(name="revocation: bandwidth at full size", size=f"{N} x K=3",
                    ours=ours_cont, bandwidth=bandwidth, bandwidth_target=0.25,
                    repeats=repeats, note="continuity kernel"))
    return out

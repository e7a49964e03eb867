"""Hypothesis strategies for revocation scenarios."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import paxgame as pg

__all__ = ["scenarios", "transition_matrices"]


def _unit(lo, hi, step):
    """Floats on a grid (exact decimals keep examples readable and shrinkable)."""
    n = int(round((hi - lo) / step))
    return st.integers(0, n).map(lambda k: round(lo + k * step, 10))


@st.composite
def transition_matrices(draw, size: int):
    """Row-stochastic ``size`` x ``size`` matrices with entries on a 1/20 grid.

    Guarantees: entries in [0, 1], every row sums to exactly 1 in floating point (the last
    entry is 1 minus the others), diagonal entries at least 5 / (20 size + 5) (so every
    regime persists with positive probability).
    """
    rows = []
    for i in range(size):
        weights = [draw(st.integers(0, 20)) for _ in range(size)]
        weights[i] += 5
        total = sum(weights)
        row = [w / total for w in weights]
        row[-1] = 1.0 - sum(row[:-1])
        rows.append(row)
    P = np.array(rows)
    P = np.clip(P, 0.0, 1.0)
    P[:, -1] = 1.0 - P[:, :-1].sum(axis=1)
    return P


@st.composite
def scenarios(draw, max_regimes: int = 3, partners: int = 1, governance: str = "bilateral",
              revocation: str = "targeted", carry: bool = False, regular: bool = True,
              general_instrument: bool = False):
    """Random revocation scenarios with one enforced instrument (by default a bond: forfeit 1,
    compensation 1).

    Parameters
    ----------
    max_regimes : int
        Regimes K are drawn from 1..max_regimes.
    partners : int
        Number of partners.
    governance, revocation : str
        Passed to the scenario.
    carry : bool
        When True the bond has a carrying cost c in [0, min(0.04, (1 - delta) / 2)], and
        every provider flow is at least 60 c, so flows net of carry stay non-negative at
        every level the minimum assurance can need.
    regular : bool
        When True (default) access is worth at least the outside option (v >= o) and flows
        are non-negative; False allows v < o.
    general_instrument : bool
        When True the instrument has random coefficients: forfeit in [0, 1], compensation
        in [0, 1.5], co-production in [0, 0.05], partner flow in [-0.1, 0.1], no carry (so
        flows stay non-negative at every level).

    Guarantees
    ----------
    Every scenario is valid (loads, solves); delta in [0.5, 0.95]; w in [0, 3] (at least
    60 c with carry); G in [0, 30];
    v in [1, 5]; o in [0, v] when ``regular``; L in [0, 10]; no adversary hazard; screening 1.
    """
    K = draw(st.integers(1, max_regimes))
    names = tuple(f"r{k}" for k in range(K))
    P = draw(transition_matrices(K)) if K > 1 else np.eye(1)
    delta = draw(_unit(0.5, 0.95, 0.05))
    # carry stays below (1 - delta) / 2, so continuity needs at most 2 max(G) <= 60, and every
    # provider flow is at least 60 c: flows w - c y stay non-negative up to every answer
    c = min(draw(_unit(0.0, 0.04, 0.01)), round((1 - delta) / 2, 10)) if carry else 0.0
    ps = []
    for i in range(partners):
        v = draw(_unit(1.0, 5.0, 0.25))
        o = draw(_unit(0.0, v, 0.25)) if regular else draw(_unit(0.0, 6.0, 0.25))
        ps.append(dict(  # a partner's fields, as a scenario file gives them
            name=f"p{i}", access_value=v, outside_option=o,
            revocation_loss=draw(_unit(0.0, 10.0, 0.5)),
            provider_value=[max(draw(_unit(0.0, 3.0, 0.25)), 60 * c) for _ in range(K)],
            revocation_gain=[draw(_unit(0.0, 30.0, 0.5)) for _ in range(K)]))
    if general_instrument:
        ins = dict(name="instrument", preset="custom", forfeit=draw(_unit(0.0, 1.0, 0.05)),
                         compensation=draw(_unit(0.0, 1.5, 0.05)),
                         coproduction=draw(_unit(0.0, 0.05, 0.01)),
                         partner_flow=draw(_unit(-0.1, 0.1, 0.02)))
    else:
        ins = dict(name="bond", carry=c)
    return pg.Scenario(partners=tuple(ps), discount=delta, regime_names=names, transition=P,
                    start=names[0], instruments=(ins,),
                    governance=governance, revocation=revocation, name="random scenario")

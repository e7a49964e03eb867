"""Read a paxgame Scenario's public attributes into the oracle's plain-data input.

The only module of the oracle that touches paxgame objects: it reads attributes, calls no
paxgame function.
"""

import numpy as np

from .revocation import make_data


def _per_regime(x, K):
    return np.broadcast_to(np.asarray(x, dtype=float), (K,)).astype(float)


def from_scenario(sc):
    """Plain data (see ``revocation.make_data``) from a Scenario's public attributes."""
    K = len(sc.regime_names)
    parts = sc.partners
    ins = sc.instruments
    grab = lambda k: np.array([_per_regime(getattr(p, k), K) for p in parts])  # noqa: E731
    return make_data(
        delta=sc.discount, Pi=np.asarray(sc.transition, dtype=float),
        r0=list(sc.regime_names).index(sc.start), H=sc.horizon,
        governance=sc.governance, revocation=sc.revocation, screening=sc.screening,
        v=grab("access_value"), o=grab("outside_option"), L=grab("revocation_loss"),
        w=grab("provider_value"), G=grab("revocation_gain"),
        q=[p.adversary_hazard for p in parts], Lc=[p.collateral_loss for p in parts],
        f=[i.forfeit for i in ins], rc=[i.compensation for i in ins],
        c=[i.carry for i in ins], p=[i.coproduction for i in ins],
        qf=[i.partner_flow for i in ins], cap=[i.cap for i in ins],
        enforced=[bool(i.enforced) for i in ins], covers=[bool(i.covers_collateral) for i in ins])

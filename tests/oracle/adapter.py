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


def to_scenario(spec, pg):
    """A paxgame Scenario built in code from a plain spec (see ``scenarios``); ``pg`` is the
    paxgame module, passed in so that this module imports no package."""
    K = len(spec["Pi"])
    scal = lambda x: float(x) if np.ndim(x) == 0 else [float(a) for a in x]  # noqa: E731
    partners = [dict(name=f"p{i}", access_value=scal(p["v"]), outside_option=scal(p["o"]),
                     revocation_loss=scal(p["L"]),
                     provider_value=list(np.broadcast_to(np.asarray(p["w"], float), (K,))),
                     revocation_gain=list(np.broadcast_to(np.asarray(p["G"], float), (K,))),
                     adversary_hazard=float(p["q"]), collateral_loss=float(p["Lc"]))
                for i, p in enumerate(spec["partners"])]
    Instrument = getattr(pg, "Instrument", None) or pg.games.scenario.Instrument
    Scenario = getattr(pg, "Scenario", None) or pg.games.scenario.Scenario
    ins = [Instrument(name=f"i{j}", preset="custom", forfeit=x["f"], compensation=x["rc"],
                         carry=x["c"], coproduction=x["p"], partner_flow=x["qf"], cap=x["cap"],
                         enforced=bool(x["enforced"]), covers_collateral=bool(x["covers"]))
           for j, x in enumerate(spec["instruments"])]
    return Scenario(partners=partners, discount=spec["delta"],
                       regime_names=[f"r{k}" for k in range(K)],
                       transition=np.asarray(spec["Pi"], float), instruments=ins,
                       governance=spec["governance"], revocation=spec["revocation"],
                       screening=spec["screening"], horizon=spec["horizon"])


def equilibrium_fields(res):
    """The package's ScenarioEquilibrium as a plain dict (public attributes only)."""
    get = lambda k: getattr(res, k, None)  # noqa: E731
    return dict(status=res.status, stay=get("stay"), maintain=get("maintain"),
                partner_value=get("partner_value"), provider_value=get("provider_value"),
                exit_value=get("exit_value"),
                revocation_probability=get("revocation_probability"),
                exit_probability=get("exit_probability"), ambiguous=get("ambiguous"),
                n_equilibria=get("n_equilibria"))


def assurance_fields(res):
    """The package's AssuranceResult as a plain dict (public attributes only)."""
    return dict(status=res.status, constructible=bool(getattr(res, "constructible", False)),
                levels=getattr(res, "levels", None), amount=getattr(res, "amount", None),
                total_cost=getattr(res, "total_cost", None), exact=getattr(res, "exact", None))

"""Random small scenarios (plain specs) for the cross-check of the package against the oracle.

A spec is plain data: ``delta``, ``Pi`` (K x K), ``partners`` (dicts with v, o, L, w, G, q,
Lc), ``instruments`` (dicts with f, rc, c, p, qf, cap, enforced, covers), ``governance``,
``revocation``, ``screening``, ``horizon``, ``levels`` (n x J) and ``target``.

Values are drawn from coarse lattices so that ties (at zero level, between regimes, between
partners) are common. ``chooser`` abstracts the source of randomness: ``choose(seq)`` picks
one element (hypothesis' ``data.draw(sampled_from(...))`` or a seeded numpy generator).

Categories:
* ``one1``: one partner, one instrument (costly, free or self-financing; capped or not);
* ``one2``: one partner, two instruments;
* ``irregular``: one partner, v < o or compensation above the loss;
* ``governance``: two or three partners, collective/bilateral x targeted/blanket, a bond;
* ``hazard``: adversary hazard with screening and collateral (covered or not);
* ``per_regime``: one or two partners whose access value, outside option and revocation
  loss differ by regime (two regimes; sometimes the second is absorbing: a rival stack that
  matures, with a high outside option there).
"""

import math

import numpy as np

CATEGORIES = ("one1", "one2", "irregular", "governance", "hazard", "per_regime")

TRANSITIONS = ([[0.875, 0.125], [0.25, 0.75]], [[0.9, 0.1], [0.3, 0.7]], [[0.5, 0.5], [0.5, 0.5]],
               [[1.0, 0.0], [0.2, 0.8]])
#: Two regimes, the second absorbing (entered with a hazard, never left).
ABSORBING = ([[0.9, 0.1], [0.0, 1.0]], [[0.75, 0.25], [0.0, 1.0]])


def lattice(lo, hi, step):
    k = int(round((hi - lo) / step))
    return [round(lo + i * step, 10) for i in range(k + 1)]


class RngChooser:
    def __init__(self, rng):
        self.rng = rng

    def choose(self, seq):
        seq = list(seq)
        return seq[int(self.rng.integers(len(seq)))]


def _partner(ch, K, *, irregular=False, hazard=False):
    per = lambda vals: ch.choose(vals) if K == 1 else [ch.choose(vals) for _ in range(K)]  # noqa
    o = ch.choose(lattice(0.0, 2.0, 0.5))
    v = o + (ch.choose(lattice(-1.5, -0.5, 0.5)) if irregular and ch.choose((0, 1))
             else ch.choose(lattice(0.0, 2.0, 0.5)))
    return dict(v=v, o=o, L=ch.choose(lattice(0.0, 8.0, 1.0)),
                w=per(lattice(0.0, 2.0, 0.5)), G=per(lattice(0.0, 20.0, 2.0)),
                q=ch.choose((0.1, 0.2, 0.3)) if hazard else 0.0,
                Lc=ch.choose((0.0, 1.0, 2.0)) if hazard else 0.0)


def _per_regime_partner(ch):
    """v, o, L one per regime (two regimes); o may jump in the second (a rival matures)."""
    o = [ch.choose(lattice(0.0, 2.0, 0.5)), ch.choose(lattice(0.0, 4.0, 0.5))]
    v = [o[0] + ch.choose(lattice(0.0, 2.0, 0.5)), ch.choose(lattice(1.0, 4.0, 0.5))]
    return dict(v=v, o=o, L=[ch.choose(lattice(0.0, 8.0, 1.0)) for _ in range(2)],
                w=[ch.choose(lattice(0.0, 2.0, 0.5)) for _ in range(2)],
                G=[ch.choose(lattice(0.0, 20.0, 2.0)) for _ in range(2)], q=0.0, Lc=0.0)


def _instrument(ch, kind=None, covers=False):
    kind = kind or ch.choose(("bond", "costly_bond", "hosting", "coproduction", "treaty",
                              "notice", "self_enforcing"))
    cap = ch.choose((math.inf, math.inf, 2.0, 5.0))
    base = dict(f=1.0, rc=1.0, c=0.0, p=0.0, qf=0.0, cap=cap, enforced=True, covers=covers)
    if kind == "costly_bond":
        base.update(c=ch.choose((0.01, 0.02, 0.05)), rc=ch.choose((0.5, 1.0)))
    elif kind == "hosting":
        base.update(f=0.5, rc=1.0, c=ch.choose((0.0, 0.02)))
    elif kind == "coproduction":
        base.update(f=0.0, rc=0.0, p=ch.choose((0.05, 0.1)), qf=ch.choose((0.0, 0.1)))
    elif kind == "treaty":
        base.update(rc=0.0)
    elif kind == "notice":
        base.update(f=0.0)
    elif kind == "self_enforcing":
        base.update(enforced=False)
    return base


def spec(ch, category):
    """A random spec of the given category."""
    K = ch.choose((1, 2))
    n = 1
    gov, rev, scr = "bilateral", "targeted", 1.0
    if category == "one1":
        ins = [_instrument(ch)]
    elif category == "one2":
        ins = [_instrument(ch, ch.choose(("bond", "costly_bond", "treaty"))),
               _instrument(ch, ch.choose(("hosting", "coproduction", "notice", "costly_bond")))]
    elif category == "irregular":
        ins = [_instrument(ch, ch.choose(("bond", "notice", "costly_bond")))]
        if ch.choose((0, 1)):
            ins[0]["rc"] = ch.choose((1.5, 2.0, 3.0))      # compensation above the loss
    elif category == "governance":
        n = ch.choose((2, 2, 3))
        K = 1 if n == 3 else K
        gov = ch.choose(("bilateral", "collective"))
        rev = ch.choose(("targeted", "blanket"))
        ins = [_instrument(ch, ch.choose(("bond", "bond", "self_enforcing", "costly_bond")))]
    elif category == "hazard":
        n = ch.choose((1, 2, 2, 3))
        K = 1 if n == 3 else K
        gov = ch.choose(("bilateral", "collective"))
        rev = ch.choose(("targeted", "blanket"))
        scr = ch.choose((0.0, 0.5, 0.8, 1.0))
        ins = [_instrument(ch, ch.choose(("bond", "notice", "hosting")),
                           covers=bool(ch.choose((0, 1))))]
    elif category == "per_regime":
        n = ch.choose((1, 1, 2))
        K = 2
        gov = ch.choose(("bilateral", "collective")) if n == 2 else gov
        ins = [_instrument(ch, ch.choose(("bond", "costly_bond", "notice", "hosting")))]
    else:
        raise ValueError(f"spec: unknown category {category!r}")
    if category == "per_regime":
        partners = [_per_regime_partner(ch) for _ in range(n)]
        Pi = ch.choose(TRANSITIONS + ABSORBING)
    else:
        partners = [_partner(ch, K, irregular=category == "irregular",
                             hazard=category == "hazard" and (i == 0 or ch.choose((0, 1))))
                    for i in range(n)]
        Pi = [[1.0]] if K == 1 else ch.choose(TRANSITIONS)
    J = len(ins)
    levels = [[ch.choose(lattice(0.0, 12.0, 1.0)) for _ in range(J)] for _ in range(n)]
    for row in levels:
        for j, ins_j in enumerate(ins):
            row[j] = min(row[j], ins_j["cap"])
    return dict(category=category, delta=ch.choose((0.8, 0.9, 0.95, 0.746)), Pi=Pi,
                partners=partners, instruments=ins, governance=gov, revocation=rev,
                screening=scr, horizon=ch.choose((1, 3, 5)), levels=levels,
                target=ch.choose(("participation", "continuity")))


def axes_for(sp):
    """Axes of the oracle's minimum for this spec, or None when it has more than two cells."""
    n, J = len(sp["partners"]), len(sp["instruments"])
    cells = [(i, j) for i in range(n) for j in range(J)]
    if len(cells) > 2:
        return None
    return [[c] for c in cells]


def to_data_kwargs(sp):
    """Keyword arguments of ``revocation.make_data`` for a spec (no package involved)."""
    P, I = sp["partners"], sp["instruments"]
    K = len(sp["Pi"])
    row = lambda x: np.broadcast_to(np.asarray(x, float), (K,))  # noqa: E731
    return dict(delta=sp["delta"], Pi=sp["Pi"], r0=0, H=sp["horizon"],
                governance=sp["governance"], revocation=sp["revocation"],
                screening=sp["screening"],
                v=[row(p["v"]) for p in P], o=[row(p["o"]) for p in P],
                L=[row(p["L"]) for p in P], w=[row(p["w"]) for p in P],
                G=[row(p["G"]) for p in P], q=[p["q"] for p in P], Lc=[p["Lc"] for p in P],
                f=[i["f"] for i in I], rc=[i["rc"] for i in I], c=[i["c"] for i in I],
                p=[i["p"] for i in I], qf=[i["qf"] for i in I], cap=[i["cap"] for i in I],
                enforced=[i["enforced"] for i in I], covers=[i["covers"] for i in I])

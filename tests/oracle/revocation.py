"""Brute-force oracle for the exact-state revocation model (independent of paxgame).

Written for clarity, not speed: every definition below follows the exact-state
specification of the revocation game (start-of-period state (r, P), Markov strategies,
hazard, screening, collective dissolution, blanket revocation, the selection rule) one
line at a time, on plain numpy data. It imports numpy, itertools, fractions and math only,
and shares no code with the package it checks.

Plain-data input (``make_data`` builds and checks it): a dict with

* ``delta`` (float), ``Pi`` (K, K), ``r0`` (int), ``H`` (int),
* ``governance`` ("bilateral" | "collective"), ``revocation`` ("targeted" | "blanket"),
  ``screening`` (float),
* partner arrays (n, K): ``v`` access value, ``o`` outside option, ``L`` revocation loss,
  ``w`` provider flow, ``G`` revocation gain; (n,): ``q`` hazard, ``Lc`` collateral loss,
* instrument arrays (J,): ``f`` forfeit, ``rc`` compensation, ``c`` carry, ``p``
  coproduction, ``qf`` partner flow, ``cap``; bool (J,): ``enforced``, ``covers``.

Levels ``y`` have shape (n, J).

Sets of partners are bitmasks (bit i = partner i).
"""

import itertools
import math

import numpy as np

REL_TOL = 1e-9


def make_data(*, delta, v, o, L, w, G, Pi=None, r0=0, H=10, q=None, Lc=None,
              governance="bilateral", revocation="targeted", screening=1.0,
              f=(1.0,), rc=(1.0,), c=(0.0,), p=(0.0,), qf=(0.0,), cap=(math.inf,),
              enforced=(True,), covers=(False,)):
    """Plain-data input of the oracle; per-regime values may be scalars (or per-partner
    scalars) and are broadcast to (n, K)."""
    w = np.atleast_2d(np.asarray(w, dtype=float))
    n = w.shape[0]
    Pi = np.eye(w.shape[1]) if Pi is None else np.asarray(Pi, dtype=float)
    K = Pi.shape[0]

    def per(x):
        a = np.asarray(x, dtype=float)
        if a.ndim == 0:
            return np.full((n, K), float(a))
        if a.ndim == 1:
            if a.shape[0] == n:
                return np.repeat(a[:, None], K, axis=1)
            raise ValueError("make_data: a 1-D partner array must have one entry per partner")
        return np.broadcast_to(a, (n, K)).astype(float).copy()

    J = len(f)
    d = dict(delta=float(delta), Pi=Pi, r0=int(r0), H=int(H), governance=governance,
             revocation=revocation, screening=float(screening),
             v=per(v), o=per(o), L=per(L), w=per(w), G=per(G),
             q=np.zeros(n) if q is None else np.broadcast_to(np.asarray(q, float), (n,)).copy(),
             Lc=np.zeros(n) if Lc is None else np.broadcast_to(np.asarray(Lc, float), (n,)).copy(),
             f=np.asarray(f, float), rc=np.asarray(rc, float), c=np.asarray(c, float),
             p=np.asarray(p, float), qf=np.asarray(qf, float), cap=np.asarray(cap, float),
             enforced=np.asarray(enforced, bool), covers=np.asarray(covers, bool))
    for k in ("rc", "c", "p", "qf", "cap", "enforced", "covers"):
        if d[k].shape != (J,):
            raise ValueError(f"make_data: {k} must have one entry per instrument ({J})")
    return d


def sizes(d):
    n, K = d["v"].shape
    return n, K, len(d["f"])


def members(mask, n):
    return [i for i in range(n) if mask >> i & 1]


def popcount(mask):
    return bin(mask).count("1")


# --------------------------------------------------------------------------- derived data
def derived(d, y):
    """Exit values, provider continuation values, credibility and per-period payoffs."""
    n, K, J = sizes(d)
    y = np.asarray(y, dtype=float).reshape(n, J)
    delta, Pi = d["delta"], d["Pi"]
    A = np.eye(K) - delta * Pi
    Obar = np.linalg.solve(A, d["o"].T).T             # Obar[i, s]
    X = (Pi @ Obar.T).T                               # X[i, r] = sum_s Pi[r, s] Obar[i, s]
    net = y @ (d["p"] - d["c"])                       # (n,)
    pflow = y @ d["qf"]                               # (n,)
    W = np.linalg.solve(A, (d["w"] + net[:, None]).T).T
    PiW = (Pi @ W.T).T                                # (Pi W_k)(s)
    collective = d["governance"] == "collective"
    # ties: within REL_TOL of the largest per-period payoff of the data (independent of the
    # levels, so that a boundary does not move with them). A tie picked at the optimal values
    # may lose up to tol / (1 - delta) under its own values: levels within that band of a
    # threshold are resolved either way.
    scale = max([1.0] + [float(np.max(np.abs(d[k]))) for k in ("v", "o", "L", "w", "G")]
                + [float(np.max(np.abs(d["Lc"])))])
    tol = REL_TOL * scale
    forf = np.zeros((n, K))
    comp = np.zeros((n, K))
    ccomp = np.zeros((n, K))
    selfenf = ~d["enforced"]
    for i in range(n):
        se_forfeit = float(np.sum(d["f"][selfenf] * y[i, selfenf]))
        for s in range(K):
            others = delta * sum(PiW[k, s] for k in range(n) if k != i)
            se_counts = collective and se_forfeit <= others + REL_TOL * max(1.0, abs(others))
            for j in range(J):
                if d["enforced"][j] or se_counts:
                    forf[i, s] += d["f"][j] * y[i, j]
                    comp[i, s] += d["rc"][j] * y[i, j]
                    if d["covers"][j]:
                        ccomp[i, s] += d["rc"][j] * y[i, j]
    pi_eff = d["screening"] if d["revocation"] == "targeted" else 0.0
    return dict(n=n, K=K, y=y, Obar=Obar, X=X, PiObar=X, net=net, pflow=pflow, W=W,
                forf=forf, comp=comp, ccomp=ccomp, pi_eff=pi_eff, tol=tol,
                collective=collective)


def adversary_sets(S, q, n):
    """[(A, probability)] over the subsets A of the stayers S (independent draws)."""
    out = []
    mem = members(S, n)
    for bits in itertools.product((0, 1), repeat=len(mem)):
        prob = 1.0
        A = 0
        for i, b in zip(mem, bits):
            prob *= q[i] if b else 1 - q[i]
            A |= b << i
        if prob > 0:
            out.append((A, prob))
    return out


# --------------------------------------------------------------------------- one subgame
class Subgame:
    """The profile being tested at set P (everything strictly inside P already fixed)."""

    def __init__(self, d, e, P, sel):
        self.d, self.e, self.P, self.sel = d, e, P, sel
        n, K = e["n"], e["K"]
        self.n, self.K = n, K
        self.mem = members(P, n)
        self.adv = {}

    def advs(self, S):
        if S not in self.adv:
            self.adv[S] = adversary_sets(S, self.d["q"], self.n)
        return self.adv[S]

    def actions(self):
        """The provider's revocation sets at a node (s, P)."""
        if self.d["revocation"] == "blanket":
            return [0, self.P]
        subs = [sum(1 << i for i in c) for k in range(len(self.mem) + 1)
                for c in itertools.combinations(self.mem, k)]
        return subs

    # provider ------------------------------------------------------------------------
    def pay_U(self, s, R, U):
        """Provider value at node (s, P) if it revokes R, own continuation values U."""
        d, e, P = self.d, self.e, self.P
        val = 0.0
        for i in self.mem:
            if R >> i & 1:
                val += d["G"][i, s] - e["forf"][i, s]
            else:
                val += d["w"][i, s] + e["net"][i]
        if R == 0:
            cont = U[s]
        elif e["collective"]:
            cont = 0.0
        else:
            rest = P & ~R
            cont = self.sel[rest]["U"][s] if rest else 0.0
        return val + d["delta"] * cont

    def node_U(self, s, Q, R_P, U):
        if Q == 0:
            return 0.0
        if Q != self.P:
            return self.sel[Q]["NU"][s]
        return self.pay_U(s, R_P[s], U)

    def step_U(self, stayers, R_P, U):
        d = self.d
        out = np.zeros(self.K)
        for r in range(self.K):
            S = stayers[r]
            tot = 0.0
            for s in range(self.K):
                if d["Pi"][r, s] == 0:
                    continue
                acc = 0.0
                for A, pa in self.advs(S):
                    g = sum(d["G"][i, s] for i in members(A, self.n))
                    acc += pa * (g + self.node_U(s, S & ~A, R_P, U))
                tot += d["Pi"][r, s] * acc
            out[r] = tot
        return out

    def solve_affine(self, step):
        """Fixed point of an affine map x -> step(x) on R^K (exact linear solve)."""
        K = self.K
        b = step(np.zeros(K))
        M = np.zeros((K, K))
        for k in range(K):
            ek = np.zeros(K)
            ek[k] = 1.0
            M[:, k] = step(ek) - b
        return np.linalg.solve(np.eye(K) - M, b)

    def provider_values(self, stayers, R_P):
        return self.solve_affine(lambda U: self.step_U(stayers, R_P, U))

    def tie_pick(self, vals, acts):
        """Best action within tol; ties: fewer revocations, then smallest sorted tuple."""
        best = max(vals)
        tied = [a for a, v in zip(acts, vals) if v >= best - self.e["tol"]]
        return min(tied, key=lambda a: (popcount(a), tuple(members(a, self.n))))

    def provider_best_response(self, stayers, method="policy_iteration"):
        acts = self.actions()
        K, tol = self.K, self.e["tol"]
        if method == "enumerate":
            best_U = None
            for pol in itertools.product(acts, repeat=K):
                U = self.provider_values(stayers, list(pol))
                best_U = U if best_U is None else np.maximum(best_U, U)
            U = best_U
        else:
            R_P = [0] * K
            for _ in range(10_000):
                U = self.provider_values(stayers, R_P)
                changed = False
                for s in range(K):
                    vals = [self.pay_U(s, a, U) for a in acts]
                    cur = self.pay_U(s, R_P[s], U)
                    if max(vals) > cur + tol:
                        R_P[s] = self.tie_pick(vals, acts)
                        changed = True
                if not changed:
                    break
            else:
                raise RuntimeError("oracle: policy iteration did not terminate")
        R_P = [self.tie_pick([self.pay_U(s, a, U) for a in acts], acts) for s in range(K)]
        return R_P, self.provider_values(stayers, R_P)

    # partners ------------------------------------------------------------------------
    def pay_V(self, i, s, R, Vi):
        d, e, P = self.d, self.e, self.P
        if R >> i & 1:
            return e["Obar"][i, s] - d["L"][i, s] + e["comp"][i, s]
        flow = d["v"][i, s] + e["pflow"][i]
        if R == 0:
            cont = Vi[s]
        elif e["collective"]:
            cont = e["PiObar"][i, s]
        else:
            cont = self.sel[P & ~R]["V"][i, s]
        return flow + d["delta"] * cont

    def node_V(self, i, s, Q, R_P, Vi):
        if Q != self.P:
            return self.sel[Q]["NV"][i, s]
        return self.pay_V(i, s, R_P[s], Vi)

    def stay_value(self, i, r, S, R_P, Vi):
        """Partner i's value at (r, P) from staying with stayer set S (i in S)."""
        d, e = self.d, self.e
        tot = 0.0
        for s in range(self.K):
            if d["Pi"][r, s] == 0:
                continue
            acc = 0.0
            for A, pa in self.advs(S):
                if A >> i & 1:
                    acc += pa * (e["Obar"][i, s] - d["L"][i, s])
                    continue
                outage = (1 - e["pi_eff"]) * (e["ccomp"][i, s] - d["Lc"][i]) if A else 0.0
                acc += pa * (outage + self.node_V(i, s, S & ~A, R_P, Vi))
            tot += d["Pi"][r, s] * acc
        return tot

    def step_V(self, i, stayers, R_P, Vi):
        out = np.zeros(self.K)
        for r in range(self.K):
            if stayers[r] >> i & 1:
                out[r] = self.stay_value(i, r, stayers[r], R_P, Vi)
            else:
                out[r] = self.e["X"][i, r]
        return out

    def evaluate(self, sigma, method="policy_iteration"):
        """sigma: dict i -> tuple of K stay bits. Returns the profile record, whether it is
        an equilibrium."""
        K, n = self.K, self.n
        stayers = [sum(1 << i for i in self.mem if sigma[i][r]) for r in range(K)]
        R_P, U = self.provider_best_response(stayers, method)
        V = np.full((n, K), np.nan)
        for i in self.mem:
            V[i] = self.solve_affine(lambda Vi, i=i: self.step_V(i, stayers, R_P, Vi))
        ok = True
        tol = self.e["tol"]
        for i in self.mem:
            for r in range(K):
                sv = self.stay_value(i, r, stayers[r] | (1 << i), R_P, V[i])
                wants = sv >= self.e["X"][i, r] - tol
                if wants != bool(sigma[i][r]):
                    ok = False
        NU = np.array([self.pay_U(s, R_P[s], U) for s in range(K)])
        NV = np.full((n, K), np.nan)
        for i in self.mem:
            NV[i] = [self.pay_V(i, s, R_P[s], V[i]) for s in range(K)]
        rec = dict(P=self.P, sigma=sigma, stayers=stayers, R=R_P, U=U, V=V, NU=NU, NV=NV)
        return rec, ok


def select(eqs, mem, K, tol):
    """The selection rule: greatest sum of values; then more stays; then the
    lexicographically largest stay-bit vector ordered by (partner, regime)."""
    sums = [sum(float(np.sum(e["V"][i])) for i in mem) for e in eqs]
    best = max(sums)
    cand = [e for e, t in zip(eqs, sums) if t >= best - tol * max(1, len(mem) * K)]

    def bits(e):
        return tuple(int(e["sigma"][i][r]) for i in mem for r in range(K))
    return max(cand, key=lambda e: (sum(bits(e)), bits(e)))


# --------------------------------------------------------------------------- the game
def solve(d, y=None, method="policy_iteration"):
    """Selected equilibrium of every subgame; the answer at the full set N.

    Returns a dict with ``status`` ("optimal" | "no_pure_equilibrium"), and when optimal:
    ``stay`` (n, K) bool, ``maintain`` (n, K) bool, ``V`` (n, K), ``U`` (K,), ``X``
    (n, K), ``ambiguous``, ``n_equilibria``, ``equilibria`` (all equilibria at N, each with
    stay / maintain / V / U), ``self_enforcing_rule``, ``revocation_probability`` (n,),
    ``exit_probability`` (n,), ``any_revocation_probability``.
    """
    n, K, J = sizes(d)
    y = np.zeros((n, J)) if y is None else np.asarray(y, dtype=float).reshape(n, J)
    e = derived(d, y)
    tol = e["tol"]
    sel = {}
    N = (1 << n) - 1
    all_at_N = None
    for P in sorted(range(1, N + 1), key=lambda m: (popcount(m), m)):
        sg = Subgame(d, e, P, sel)
        mem = sg.mem
        eqs = []
        for bits in itertools.product((0, 1), repeat=len(mem) * K):
            sigma = {i: tuple(bits[a * K:(a + 1) * K]) for a, i in enumerate(mem)}
            rec, ok = sg.evaluate(sigma, method)
            if ok:
                eqs.append(rec)
        if not eqs:
            return dict(status="no_pure_equilibrium", X=e["X"], failed_subgame=P,
                        stay=None, maintain=None)
        sel[P] = select(eqs, mem, K, tol)
        if P == N:
            all_at_N = eqs
    top = sel[N]
    res = dict(status="optimal", X=e["X"], tol=tol, selected=top, subgames=sel)
    res.update(_as_arrays(top, n, K))
    res["equilibria"] = [_as_arrays(q, n, K) for q in all_at_N]
    res["n_equilibria"] = len(all_at_N)
    res["ambiguous"] = any(np.any(q["V"] > top["V"] + tol) for q in all_at_N)
    res["self_enforcing_rule"] = _self_enforcing(d, e, sel, top, N)
    res.update(_probabilities(d, sel, n, K, N))
    return res


def _as_arrays(rec, n, K):
    stay = np.array([[bool(rec["sigma"][i][r]) for r in range(K)] for i in range(n)])
    maintain = np.array([[not (rec["R"][s] >> i & 1) for s in range(K)] for i in range(n)])
    return dict(stay=stay, maintain=maintain, V=rec["V"].copy(), U=rec["U"].copy())


def _self_enforcing(d, e, sel, top, N):
    if not e["collective"]:
        return True
    n, K = e["n"], e["K"]
    for s in range(K):
        R = top["R"][s]
        if R == 0:
            continue
        rest = N & ~R
        for i in members(rest, n):
            if d["delta"] * e["PiObar"][i, s] < d["delta"] * sel[rest]["V"][i, s] - e["tol"]:
                return False
    return True


def _probabilities(d, sel, n, K, N):
    """Exact Markov chain over the exact states for H periods from (r0, N)."""
    q, Pi, H = d["q"], d["Pi"], d["H"]
    collective = d["governance"] == "collective"
    revoked = np.zeros(n)
    exited = np.zeros(n)
    any_rev = 0.0
    # state: (r, P, hit) -> mass; hit = a revocation of an ally already happened
    dist = {(d["r0"], N, False): 1.0}
    for _ in range(H):
        new = {}
        for (r, P, hit), m in dist.items():
            if P == 0:
                new[(r, P, hit)] = new.get((r, P, hit), 0.0) + m
                continue
            rec = sel[P]
            S = sum(1 << i for i in members(P, n) if rec["sigma"][i][r])
            for i in members(P & ~S, n):
                exited[i] += m
            for s in range(K):
                if Pi[r, s] == 0:
                    continue
                for A, pa in adversary_sets(S, q, n):
                    mass = m * Pi[r, s] * pa
                    Q = S & ~A
                    R = sel[Q]["R"][s] if Q else 0
                    for i in members(R, n):
                        revoked[i] += mass
                    if R and not hit:
                        any_rev += mass
                    nxt = Q & ~R if (R == 0 or not collective) else 0
                    key = (s, nxt, hit or bool(R))
                    new[key] = new.get(key, 0.0) + mass
        dist = new
    return dict(revocation_probability=revoked, exit_probability=exited,
                any_revocation_probability=any_rev)

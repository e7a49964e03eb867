"""The minimum transfer that makes a stationary profile subgame perfect.

Given a transfer tensor T (per profile and player: the payoff shift of one unit of
assurance), find the smallest λ >= 0 such that the stationary profile a is sustainable in
the repeated game of G + λT.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from .._results import Certificate, SolverResult, to_fraction_array
from .._validation import as_float_array, check_method
from ..games.normal_form import NormalFormGame, check_pure_profile
from ..kernels.bisection import bisect
from ..kernels.payoffs import abs_scale
from .data import check_repeated_game
from .payoff_sets import payoff_set

__all__ = ["minimum_transfer", "TransferResult"]


@dataclass(frozen=True, kw_only=True)
class TransferResult(SolverResult):
    """The smallest transfer multiple λ that sustains a profile.

    Attributes
    ----------
    amount : float
        λ* (NaN when infeasible).
    binding_player : int or None
        The player whose constraint binds at λ* (None when λ* = 0 needs no constraint).
    binding_constraint : str
        A description of the binding constraint ("" when none binds).
    punishment_profile : tuple or None
        Nash reversion: the stage equilibrium of G + λ*T reverted to.
    punishments : ndarray (N,)
        The punishment payoffs at λ*.
    slacks : ndarray (N,)
        u_i(a) − (1 − δ_i) d_i(a) − δ_i w_i in G + λ*T (>= 0 when sustained).
    bracket : tuple of float or None
        ``punishment="optimal"``: (λ_lo, λ_hi) with the profile not sustained at λ_lo and
        sustained at λ_hi (the bisection's proof).
    """

    amount: float
    binding_player: int | None = None
    binding_constraint: str = ""
    punishment: str = "nash"
    punishment_profile: tuple | None = None
    punishments: np.ndarray | None = None
    slacks: np.ndarray | None = None
    bracket: tuple | None = None
    profile: tuple = ()
    delta: np.ndarray | None = field(default=None, repr=False)
    game_payoffs: np.ndarray | None = field(default=None, repr=False)
    transfer: np.ndarray | None = field(default=None, repr=False)
    fixed_punishment: np.ndarray | None = field(default=None, repr=False)

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-check the answer in G + λ*T: the profile's incentive constraints hold
        (``incentive``), the reversion profile is a stage equilibrium (``equilibrium``),
        and for a positive λ* with fixed punishments the binding constraint is tight
        (``minimal``: nothing smaller works). ``exact=True`` uses fractions: payoffs,
        transfers, discount factors and punishments are read as their exact binary values,
        and λ* as the nearest fraction with denominator up to 10^9, its exact binary value,
        or the exact root of the binding constraint when that root is λ* up to round-off
        (a relative 1e-9); the first reading whose checks all hold is reported. With
        ``punishment="optimal"`` the punishments are the worst payoffs of a floating-point
        payoff set, and an incentive slack may miss by 1e-12 x the largest absolute payoff
        (the precision to which the solver decides that the profile is sustained)."""
        scale = abs_scale(self.game_payoffs)
        tol = 1e-8 * scale if tol is None else float(tol)
        if self.status == "optimal" or self.status == "uncertified":
            if not np.isfinite(self.amount) or self.amount < 0:
                return Certificate.from_violations({"finite_amount": np.inf}, tol, exact)
        if self.status != "optimal":
            return Certificate.from_violations({"status": 0.0}, tol, exact)
        if exact:
            amount = Fraction(float(self.amount))
            cert = None
            for lam in self._exact_readings(amount):
                cert = Certificate.from_violations(self._checks(lam, True), tol, exact)
                if cert.ok:
                    break
            return cert
        return Certificate.from_violations(self._checks(float(self.amount), False), tol,
                                           exact)

    def _exact_readings(self, amount: Fraction):
        """Rational readings of the float λ*: the nearest fraction with denominator up to
        10^9, its exact binary value, and the exact root of the binding constraint (the
        slack is linear in λ near λ*) when within a relative 1e-9 of the float."""
        yield amount.limit_denominator(10**9)
        yield amount
        if self.binding_player is None or self.punishment == "optimal":
            return
        step = max(abs(amount), Fraction(1)) * Fraction(1, 10**6)
        s0 = self._binding_slack(amount)
        s1 = self._binding_slack(amount + step)
        if s1 != s0:
            root = amount - s0 * step / (s1 - s0)
            if abs(root - amount) <= Fraction(1, 10**9) * max(abs(amount), Fraction(1)):
                yield root

    def _binding_slack(self, lam):
        pay, delta, w = self._exact_data(lam)
        a = tuple(self.profile)
        if w is None and self.punishment_profile is not None:
            s = tuple(self.punishment_profile)
            w = [pay[(i,) + s] for i in range(pay.shape[0])]
        if w is None:
            w = to_fraction_array(self.punishments, binary=True)
        return _slack(pay, delta, w, a, self.binding_player)

    def _exact_data(self, lam):
        pay = (to_fraction_array(self.game_payoffs, binary=True)
               + lam * to_fraction_array(self.transfer, binary=True))
        delta = [Fraction(float(d)) for d in self.delta]
        w = (to_fraction_array(self.fixed_punishment, binary=True)
             if self.fixed_punishment is not None else None)
        return pay, delta, w

    def _checks(self, lam, exact: bool) -> dict:
        """The checks of ``verify`` at transfer amount ``lam`` (a Fraction when exact)."""
        if exact:
            pay, delta, w = self._exact_data(lam)
        else:
            pay = np.asarray(self.game_payoffs, float) + lam * np.asarray(self.transfer, float)
            delta = list(np.asarray(self.delta, float))
            w = None if self.fixed_punishment is None else np.asarray(self.fixed_punishment)
        n = pay.shape[0]
        a = tuple(self.profile)
        checks = {}
        if w is None and self.punishment_profile is not None:
            s = tuple(self.punishment_profile)
            w = [pay[(i,) + s] for i in range(n)]
            eq = max(_dev(pay, i, s) - pay[(i,) + s] for i in range(n))
            checks["equilibrium"] = eq
        allowance = [0] * n
        if w is None:
            w = (to_fraction_array(self.punishments, binary=True) if exact
                 else self.punishments)
            if exact:
                # optimal punishments are the worst payoffs of a floating-point SPE payoff
                # set (often irrational): the slack may miss by the precision to which the
                # solver decides that a profile is sustained, 1e-12 x the payoff scale
                top = max(abs(x) for x in pay.ravel())
                allowance = [Fraction(1, 10**12) * top] * n
        slack = [_slack(pay, delta, w, a, i) + allowance[i] for i in range(n)]
        checks["incentive"] = max(-s for s in slack)
        if self.binding_player is not None and self.punishment != "optimal":
            checks["minimal"] = abs(slack[self.binding_player])
        zero = Fraction(0) if exact else 0.0
        return {k: max(v, zero) for k, v in checks.items()}


def _dev(pay, i, profile, exclude_own: bool = False):
    """Best payoff of player i's actions against profile_−i (only a_i' != a_i with
    ``exclude_own``; None when there is no other action)."""
    n = pay.shape[0]
    idx = tuple(slice(None) if j == i else profile[j] for j in range(n))
    vals = list(pay[i][idx])
    if exclude_own:
        del vals[profile[i]]
    return max(vals) if vals else None


def _slack(pay, delta, w, a, i):
    """u_i(a) − (1 − δ_i) d_i(a) − δ_i w_i over actual deviations (+inf without any)."""
    d = _dev(pay, i, a, exclude_own=True)
    if d is None:
        return float("inf")
    return pay[(i,) + a] - (1 - delta[i]) * d - delta[i] * w[i]


def _linear_terms(pay, tr, delta, a):
    """For the fixed profile a: per player i and deviation k, the IC constraint
    (1−δ_i)(u_i(k, a_−i) + λT_i(k, a_−i)) − u_i(a) − λT_i(a) + δ_i (w_i + λ t_i) <= 0
    is returned as its constant part (without w) and slope part (without t): two lists of
    (m_i,) arrays; the entry k = a_i (not a deviation) is -inf, no constraint."""
    n = pay.shape[0]
    const, slope = [], []
    for i in range(n):
        idx = tuple(slice(None) if j == i else a[j] for j in range(n))
        c = (1 - delta[i]) * pay[i][idx] - pay[(i,) + a]
        b = (1 - delta[i]) * tr[i][idx] - tr[(i,) + a]
        c[a[i]], b[a[i]] = -np.inf, 0.0  # not a deviation: no constraint
        const.append(c)
        slope.append(b)
    return const, slope


def _interval(alpha, beta):
    """{λ >= 0 : alpha + λ beta <= 0 for every entry}: (lo, hi, argmax index of lo)."""
    finite = np.abs(alpha[np.isfinite(alpha)])
    tol = 1e-12 * max(1.0, float(finite.max()) if finite.size else 1.0)
    with np.errstate(over="ignore", divide="ignore"):
        return _interval_loop(alpha, beta, tol)


def _interval_loop(alpha, beta, tol):
    lo, hi, arg = 0.0, np.inf, -1
    for j, (al, be) in enumerate(zip(alpha, beta)):
        if be > 0:
            hi = min(hi, -al / be)
        elif be < 0:
            bound = -al / be
            if bound > lo:
                lo, arg = bound, j
        elif al > tol:
            return 1.0, 0.0, j  # empty
    return lo, hi, arg


def minimum_transfer(rg, profile, transfer, punishment="nash", *, tol: float = 1e-9,
                     max_amount: float | None = None) -> TransferResult:
    """The smallest λ >= 0 such that ``profile`` is sustainable in the game G + λT.

    Parameters
    ----------
    rg : RepeatedGame
    profile : sequence of int or str
        The stationary target profile a.
    transfer : array_like (N, m_1, ..., m_N)
        T: the payoff shift of one unit of transfer at every profile and for every player.
    punishment : {"nash", "optimal"} or array_like (N,)
        "nash": reversion to a pure stage equilibrium σ of G + λT (any pure profile
        qualifies if it is an equilibrium at that λ). With σ fixed every condition — the
        profile's incentive constraints and σ's equilibrium conditions — is linear in λ,
        so each σ gives an interval of λ and the answer is the smallest left end over σ:
        exact, no search. An array: fixed punishment payoffs (not shifted by λ), one
        linear inequality per player and deviation. "optimal": worst SPE payoffs of
        G + λT (two players), by bisection on λ between 0 and the Nash-reversion answer,
        with the bracket returned as proof.
    tol : float
        Bisection tolerance (relative to the payoff scale) for "optimal".
    max_amount : float, optional
        Largest λ tried by "optimal" when Nash reversion gives no upper bracket
        (default 1e6 × the payoff scale).

    Returns
    -------
    TransferResult
        Status "infeasible" when no λ >= 0 works.
        Fields: ``amount``, ``binding_player``, ``binding_constraint``, ``punishment``,
        ``punishment_profile``, ``punishments``, ``slacks``, ``bracket``, ``profile``,
        ``status``, ``message`` (see :class:`~paxgame.TransferResult`; ``to_dict()`` gives
        them as JSON data).

    Examples
    --------
    The revocation stage game with one unit of bond forfeited on revocation: provider
    (row) maintains or revokes, partner (column) stays or exits; δ = 0.9, w = 1, G = 12:

    >>> import paxgame as pg
    >>> g = pg.NormalFormGame([[[1, 0], [12, 0]], [[1, 0], [-5, 0]]])
    >>> T = [[[0, 0], [-1, 0]], [[0, 0], [0, 0]]]
    >>> r = pg.minimum_transfer(pg.RepeatedGame(g, 0.9), (0, 0), T)
    >>> round(r.amount, 9), r.binding_player, r.status
    (2.0, 0, 'optimal')
    """
    func = "minimum_transfer"
    check_repeated_game(func, rg)
    a = check_pure_profile(func, rg.game, profile)
    pay = np.asarray(rg.game.payoffs, float)
    tr = as_float_array(func, "transfer", transfer, shape=pay.shape)
    delta = rg.deltas
    n = pay.shape[0]
    common = dict(profile=a, delta=delta, game_payoffs=pay, transfer=tr)
    const, slope = _linear_terms(pay, tr, delta, a)
    if not isinstance(punishment, str):
        w = as_float_array(func, "punishment", punishment, shape=(n,))
        best = (0.0, None, None)
        lo_all, hi_all = 0.0, np.inf
        for i in range(n):
            lo, hi, arg = _interval(const[i] + delta[i] * w[i], slope[i])
            lo_all, hi_all = max(lo_all, lo), min(hi_all, hi)
            if lo > best[0]:
                best = (lo, i, ("incentive", i, arg))
        if lo_all > hi_all:
            return TransferResult(amount=float("nan"), status="infeasible", punishment="fixed",
                                  message="no transfer multiple sustains the profile with "
                                          "these punishment payoffs", fixed_punishment=w,
                                  **common)
        return _result(pay, tr, delta, a, lo_all, w, "fixed", None, best, common,
                       fixed_punishment=w)
    method = check_method(func, punishment, ("nash", "optimal"))
    nash = _nash_minimum(pay, tr, delta, a, const, slope)
    if method == "nash":
        if nash is None:
            return TransferResult(amount=float("nan"), status="infeasible", punishment="nash",
                                  message="no λ >= 0 and pure stage equilibrium of G + λT "
                                          "sustain the profile by Nash reversion", **common)
        lam, sigma, binding = nash
        with np.errstate(over="ignore", invalid="ignore"):
            w = np.array([pay[(i,) + sigma] + lam * tr[(i,) + sigma] for i in range(n)])
        return _result(pay, tr, delta, a, lam, w, "nash", sigma, binding, common)
    return _optimal(rg, pay, tr, a, nash, tol, max_amount, common)


def _nash_minimum(pay, tr, delta, a, const, slope):
    """Exact minimum over pure reversion profiles σ; None if no σ and λ work."""
    n = pay.shape[0]
    best = None
    for sigma in np.ndindex(*pay.shape[1:]):
        alphas, betas, labels = [], [], []
        for i in range(n):
            # incentive constraints of a with w_i = u_i(σ) + λ T_i(σ)
            alphas.append(const[i] + delta[i] * pay[(i,) + sigma])
            betas.append(slope[i] + delta[i] * tr[(i,) + sigma])
            labels += [("incentive", i, k) for k in range(pay.shape[1 + i])]
            # σ stays a stage equilibrium of G + λT
            idx = tuple(slice(None) if j == i else sigma[j] for j in range(n))
            alphas.append(pay[i][idx] - pay[(i,) + sigma])
            betas.append(tr[i][idx] - tr[(i,) + sigma])
            labels += [("equilibrium", i, k) for k in range(pay.shape[1 + i])]
        lo, hi, arg = _interval(np.concatenate(alphas), np.concatenate(betas))
        if lo <= hi and (best is None or lo < best[0]):
            best = (lo, sigma, labels[arg] if arg >= 0 else None)
    if best is None:
        return None
    lam, sigma, label = best
    binding = (lam, None, None) if label is None else (lam, label[1], label)
    return lam, sigma, binding


def _describe(label, a, sigma):
    if label is None:
        return ""
    kind, i, k = label
    if kind == "incentive":
        return f"incentive: player {i} deviating from action {a[i]} to action {k}"
    if kind == "equilibrium":
        return (f"equilibrium: player {i} must not gain by playing {k} in the reversion "
                f"profile {tuple(int(s) for s in sigma)}")
    return f"incentive: player {i} deviating from action {a[i]} to action {k}"


def _result(pay, tr, delta, a, lam, w, punishment, sigma, binding, common,
            fixed_punishment=None, bracket=None, message=""):
    n = pay.shape[0]
    if not np.isfinite(lam):
        # the multiple overflows: the transfer is negligible against the payoffs
        return TransferResult(amount=float(lam), status="uncertified", punishment=punishment,
                              message="the minimum multiple of the transfer overflows the "
                                      "floating-point range (the transfer is negligible "
                                      "next to the payoffs); rescale the transfer tensor",
                              fixed_punishment=fixed_punishment, **common)
    with np.errstate(over="ignore", invalid="ignore"):
        shifted = pay + lam * tr
    slacks = np.array([_slack(shifted, delta, w, a, i) for i in range(n)], dtype=float)
    player, label = None, None
    if binding is not None and binding[1] is not None and lam > 0:
        player = int(binding[1])
        label = binding[2]
    desc = _describe(label, a, sigma) if label is not None else ""
    if punishment == "optimal" and player is None and lam > 0:
        player = int(np.argmin(slacks))
        desc = f"incentive: player {player} (worst-SPE punishment)"
    return TransferResult(amount=float(lam), binding_player=player, binding_constraint=desc,
                          punishment=punishment,
                          punishment_profile=None if sigma is None else
                          tuple(int(s) for s in sigma),
                          punishments=np.asarray(w, float), slacks=slacks, bracket=bracket,
                          message=message or ("already sustainable without a transfer"
                                              if lam == 0 else "minimum transfer found"),
                          fixed_punishment=fixed_punishment, **common)


def _optimal(rg, pay, tr, a, nash, tol, max_amount, common):
    if rg.n_players != 2:
        raise ValueError(f"minimum_transfer: punishment='optimal' needs two players, got "
                         f"{rg.n_players}")
    scale = abs_scale(pay)
    # bisect λ until λ T moves the payoffs by at most tol × the payoff scale
    tol_abs = tol * scale / max(float(np.max(np.abs(tr))), 1e-300)

    def ok(lam):
        g = NormalFormGame(pay + lam * tr)
        r = rg.replace(game=g)
        ps = payoff_set(r)
        if ps.status == "empty":
            return False, None
        slack = np.array([_slack(g.payoffs, rg.deltas, ps.punishments, a, i)
                          for i in range(2)])
        good = bool(np.all(slack >= -1e-12 * scale))
        return good, ps.punishments

    good0, w0 = ok(0.0)
    if good0:
        return _result(pay, tr, rg.deltas, a, 0.0, w0, "optimal", None, None, common,
                       bracket=(0.0, 0.0))
    if nash is not None and not np.isfinite(nash[0]):
        return _result(pay, tr, rg.deltas, a, nash[0], None, "optimal", None, None, common)
    if nash is not None:
        hi = nash[0]
    else:
        hi = 1e6 * scale if max_amount is None else float(max_amount)
    good_hi, w_hi = ok(hi)
    if not good_hi:
        return TransferResult(amount=float("nan"), status="infeasible", punishment="optimal",
                              message=f"not sustainable at λ = {hi:g} (the upper end of the "
                                      f"search)", **common)
    found = {hi: w_hi}

    def holds(lam):
        good, w = ok(lam)
        if good:
            found[lam] = w
        return good

    lo, hi, _ = bisect(holds, 0.0, hi, xtol=tol_abs)
    w_hi = found[hi]
    return _result(pay, tr, rg.deltas, a, hi, w_hi, "optimal", None, None, common,
                   bracket=(lo, hi), message=f"bisection: not sustained at {lo:.12g}, "
                                             f"sustained at {hi:.12g}")

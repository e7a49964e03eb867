"""Result objects of the stage-game solvers, each with an independent ``verify()``."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from .._results import Certificate, SolverResult, to_fraction_array
from ..kernels.payoffs import action_values, payoff_scale

__all__ = ["Equilibrium", "NashResult", "CorrelatedResult", "MinmaxResult"]


# -- exact arithmetic helpers ------------------------------------------------------------------
_CLOSE = 1e-9  # a float strategy and its rational reconstruction differ by round-off only
def _fraction_solve(rows: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Unique solution of a consistent (possibly over-determined) rational system, or None."""
    n_var = len(rows[0]) if rows else 0
    aug = [list(r) + [b] for r, b in zip(rows, rhs)]
    pivots = []
    r = 0
    for c in range(n_var):
        piv = next((i for i in range(r, len(aug)) if aug[i][c] != 0), None)
        if piv is None:
            continue
        aug[r], aug[piv] = aug[piv], aug[r]
        p = aug[r][c]
        aug[r] = [v / p for v in aug[r]]
        for i in range(len(aug)):
            if i != r and aug[i][c] != 0:
                f = aug[i][c]
                aug[i] = [a - f * b for a, b in zip(aug[i], aug[r])]
        pivots.append(c)
        r += 1
    if len(pivots) < n_var:
        return None  # not unique
    if any(aug[i][-1] != 0 for i in range(r, len(aug))):
        return None  # inconsistent
    return [aug[i][-1] for i in range(n_var)]


def _exact_values(payoff: np.ndarray, strategies, player: int) -> list[Fraction]:
    """Exact payoff of each pure action of ``player`` against the others' (Fraction) mixtures."""
    out = payoff
    for j in range(len(strategies) - 1, -1, -1):
        if j == player:
            continue
        out = np.tensordot(out, np.asarray(strategies[j], dtype=object), axes=([j], [0]))
    return list(np.asarray(out, dtype=object).ravel())


def _rational_strategies(payoffs_q: np.ndarray, strategies, tol: float):
    """Reconstruct exact strategies: re-solve each player's indifference system in Fractions.

    For a two-player equilibrium that is a vertex of its best-response polytope the system
    (zero outside the support, equal payoffs to the opponent on its best responses, sum one)
    has a unique rational solution; otherwise the float strategies are converted as they are.
    """
    n = len(strategies)
    exact = []
    for i, s in enumerate(strategies):
        s = np.asarray(s, dtype=float)
        support = np.flatnonzero(s > tol)
        if support.size == 1 and abs(float(s[support[0]]) - 1.0) <= max(tol, _CLOSE):
            q = [Fraction(0)] * s.size
            q[int(support[0])] = Fraction(1)
            exact.append(q)
            continue
        solved = None
        if n == 2:
            other = 1 - i
            # values of the opponent's actions (float) to find its best responses
            opp = payoffs_q[other].astype(float)
            vals = (s @ opp) if i == 0 else (opp @ s)
            pscale = float(payoff_scale(opp, 2))
            tight = np.flatnonzero(vals >= vals.max() - max(tol, 1e-9) * pscale)
            rows, rhs = [], []
            for j in tight:
                coef = [payoffs_q[other][a, j] if i == 0 else payoffs_q[other][j, a]
                        for a in support] + [Fraction(-1)]
                rows.append(coef)
                rhs.append(Fraction(0))
            rows.append([Fraction(1)] * support.size + [Fraction(0)])
            rhs.append(Fraction(1))
            sol = _fraction_solve(rows, rhs)
            if sol is not None and all(v >= 0 for v in sol[:-1]):
                solved = [Fraction(0)] * s.size
                for a, v in zip(support, sol[:-1]):
                    solved[int(a)] = v
                # the rational vertex stands for the float strategy only when it is the
                # same point up to round-off (a tampered strategy is not rebuilt)
                if max(abs(float(v) - float(f)) for v, f in zip(solved, s)) > max(
                        tol, _CLOSE):
                    solved = None
        if solved is None:
            solved = list(to_fraction_array(s, binary=True))
        exact.append(solved)
    return exact


def _regret_exact_players(payoffs_q: np.ndarray, strategies_q):
    """Exact per-player regrets and expected payoffs (lists of Fractions)."""
    regrets, pay = [], []
    for i in range(len(strategies_q)):
        vals = _exact_values(payoffs_q[i], strategies_q, i)
        u = sum((v * p for v, p in zip(vals, strategies_q[i])), Fraction(0))
        pay.append(u)
        regrets.append(max(vals) - u)
    return regrets, pay


def _regrets_float(payoffs: np.ndarray, strategies) -> tuple[np.ndarray, np.ndarray]:
    """Per-player regret (best-response payoff - expected payoff) and expected payoff in
    floating point, shapes (N,) and (N,)."""
    n = len(strategies)
    regrets = np.empty(n)
    pay = np.empty(n)
    for i in range(n):
        vals = action_values(payoffs, strategies, i)
        pay[i] = vals @ strategies[i]
        regrets[i] = float(vals.max() - pay[i])
    return regrets, pay


def _regret_float(payoffs: np.ndarray, strategies) -> tuple[float, np.ndarray]:
    regrets, pay = _regrets_float(payoffs, strategies)
    return float(max(regrets.max(), 0.0)), pay


def _probability_violation(strategies) -> float:
    worst = 0.0
    for s in strategies:
        s = np.asarray(s, dtype=float)
        worst = max(worst, float(-s.min()), abs(float(s.sum()) - 1.0))
    return worst


# -- Nash --------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True, eq=False)
class Equilibrium(SolverResult):
    """A Nash equilibrium with its certificate.

    Attributes
    ----------
    strategies : tuple of ndarray
        One probability vector per player.
    payoffs : ndarray, shape (N,)
        Expected payoffs.
    regret : float
        max over players of (best-response payoff - equilibrium payoff), in payoff units,
        computed from the game's payoffs when the result was built. Each player's regret is
        at most ``tol`` times that player's payoff scale (``scales``); see
        ``relative_regret``.
    support : tuple of ndarray
        The actions each player plays with positive probability.
    tol : float
        The relative tolerance the solver used (0: certified in exact arithmetic).
    """

    strategies: tuple
    payoffs: np.ndarray
    regret: float
    support: tuple
    tol: float = 1e-9
    game: object = field(default=None, repr=False)

    @property
    def is_pure(self) -> bool:
        """True when every player plays one action."""
        return all(len(s) == 1 for s in self.support)

    @property
    def profile(self) -> tuple[int, ...] | None:
        """The action indices of a pure equilibrium (None for a mixed one)."""
        return tuple(int(s[0]) for s in self.support) if self.is_pure else None

    @property
    def scales(self) -> np.ndarray:
        """Each player's payoff scale (:func:`paxgame.kernels.payoffs.payoff_scale`)."""
        payoffs = np.asarray(self.game.payoffs)
        return payoff_scale(payoffs, payoffs.ndim - 1)

    @property
    def relative_regret(self) -> float:
        """max over players of (that player's regret / that player's payoff scale)."""
        payoffs = np.asarray(self.game.payoffs, dtype=float)
        regrets, _ = _regrets_float(payoffs, [np.asarray(s, dtype=float)
                                              for s in self.strategies])
        return float(max(np.max(regrets / self.scales), 0.0))

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-check the equilibrium against the game's payoffs.

        Checks: ``regret`` (no player gains by deviating: each player's regret divided by
        its own payoff scale, :func:`paxgame.kernels.payoffs.payoff_scale`), ``probability``
        (non-negative entries summing to one) and ``payoffs`` (the stored payoffs are the
        expected ones, per player relative to its scale). ``tol`` is relative (default: the
        solver's). With ``exact=True`` (or ``tol=0``) the strategies are rebuilt in rational
        arithmetic from the exact binary values of the floats (two players: by re-solving
        the indifference system on the support, accepted only when the rational point is
        the float point up to round-off) and probabilities must hold exactly; each
        player's exact regret may not exceed what rounding payoffs and probabilities to
        floats can cause (an explicit bound: 4 x machine epsilon x the number of actions
        x the player's largest absolute payoff), and a strategy's sum may miss one by the
        round-off of normalising it (8 x machine epsilon x its length);
        the stored float payoffs must match the exact ones within an explicit bound on
        floating-point error (64 x machine epsilon x actions x largest absolute payoff).
        """
        tol = self.tol if tol is None else float(tol)
        payoffs = np.asarray(self.game.payoffs, dtype=float)
        scales = self.scales
        if exact or tol == 0:
            pq = to_fraction_array(payoffs, binary=True)
            sq = _rational_strategies(pq, self.strategies, tol)
            # probabilities: exactly non-negative; the sum may miss 1 by float round-off of
            # the solver's normalisation (8 eps x actions), and is then normalised exactly
            prob = Fraction(0)
            for k, q in enumerate(sq):
                allowance = Fraction(8 * len(q)) * Fraction(np.finfo(float).eps)
                prob = max(prob, -min(q), abs(sum(q) - 1) - allowance)
                total = sum(q)
                if total > 0 and min(q) >= 0:
                    sq[k] = [v / total for v in q]
            regrets, pay = _regret_exact_players(pq, sq)
            # payoffs and strategies are floats: a regret that rounding them (half an ulp
            # per entry) could create is no violation; anything above it is, in exact
            # arithmetic: 4 x machine epsilon x actions x the player's largest |payoff|
            slack = [Fraction(4 * sum(payoffs.shape[1:])) * Fraction(np.finfo(float).eps)
                     * Fraction(float(np.abs(payoffs[i]).max())) for i in range(len(regrets))]
            regret = max(max((r - b) / Fraction(float(sc)) for r, b, sc in
                             zip(regrets, slack, scales)), Fraction(0))
            pay_err = Fraction(0)
            for i, (p, q) in enumerate(zip(pay, np.asarray(self.payoffs, dtype=float))):
                bound = 64 * np.finfo(float).eps * sum(payoffs.shape[1:]) * float(
                    np.abs(payoffs[i]).max())
                err = abs(p - Fraction(float(q)))
                if not np.isfinite(float(q)) or float(err) > bound:
                    pay_err = max(pay_err, err / Fraction(float(scales[i])))
            checks = {"regret": regret, "probability": max(prob, Fraction(0)),
                      "payoffs": pay_err}
            return Certificate.from_violations(checks, tol, exact=True)
        strategies = [np.asarray(s, dtype=float) for s in self.strategies]
        regrets, pay = _regrets_float(payoffs, strategies)
        checks = {"regret": float(np.max(regrets / scales)),
                  "probability": _probability_violation(strategies),
                  "payoffs": float(np.max(np.abs(pay - np.asarray(self.payoffs)) / scales))}
        return Certificate.from_violations(checks, tol)

    def __str__(self) -> str:
        strat = "; ".join(np.array2string(np.round(s, 6), separator=", ")
                          for s in self.strategies)
        return (f"Equilibrium({strat}; payoffs "
                f"{np.array2string(np.round(self.payoffs, 6), separator=', ')}; "
                f"regret {self.regret:.2g})")


class NashResult(list):
    """The equilibria a method found (a list of :class:`Equilibrium`) and what it guarantees.

    Attributes
    ----------
    method : str
        The method that produced the list.
    status : str
        ``"optimal"`` when the list is certified; ``"empty"`` when no equilibrium of the
        kind sought exists (pure equilibria); ``"uncertified"`` when candidates failed the
        regret check (they are dropped and counted in ``message``);
        ``"max_iter_reached"`` when a Lemke-Howson path reached its pivot cap.
    message : str
    complete : bool
        True when the method guarantees that every equilibrium it looks for is listed: with
        ``finite`` True the list is the whole equilibrium set (the pure one for
        ``method="pure"``); with ``finite`` False (a continuum) the list holds every extreme
        equilibrium, and every equilibrium is a convex combination of listed ones lying in a
        common Nash component.
    finite : bool or None
        False when the equilibrium set is a continuum (degenerate game); None when the method
        does not tell.
    """

    def __init__(self, equilibria=(), *, method: str, status: str = "optimal",
                 message: str = "", complete: bool = False, finite: bool | None = None,
                 game=None, tol: float = 1e-9):
        super().__init__(equilibria)
        self.method = method
        self.status = status
        self.message = message
        self.complete = bool(complete)
        self.finite = finite
        self.game = game
        self.tol = tol

    @property
    def success(self) -> bool:
        return self.status == "optimal"

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Verify every equilibrium; the checks are the worst over the list."""
        tol = self.tol if tol is None else float(tol)
        exact = exact or tol == 0
        worst: dict = {}
        for eq in self:
            for name, value in eq.verify(tol=tol, exact=exact).checks.items():
                worst[name] = max(worst.get(name, value), value)
        if not worst:
            worst = {"regret": Fraction(0) if exact else 0.0}
        return Certificate.from_violations(worst, tol, exact=exact)

    def __repr__(self) -> str:
        return (f"NashResult(method={self.method!r}, status={self.status!r}, "
                f"{len(self)} equilibria, complete={self.complete}, finite={self.finite})")


# -- correlated --------------------------------------------------------------------------------
def obedience_matrix(payoffs: np.ndarray, coarse: bool) -> tuple[np.ndarray, list[tuple]]:
    """Rows g such that a distribution p (flattened, C order) is obedient iff g @ p >= 0.

    Correlated (Aumann 1974): for each player i and ordered pair a_i != a_i' the gain of
    following the recommendation a_i rather than switching to a_i'. Coarse (Hannan; Moulin &
    Vial 1978): for each player i and action a_i', the gain of following over always
    playing a_i'. Returns the matrix and a label per row (player, action, deviation).
    """
    N = payoffs.shape[0]
    shape = payoffs.shape[1:]
    rows, labels = [], []
    for i in range(N):
        u = np.moveaxis(payoffs[i], i, 0)                     # (m_i, rest...)
        m = shape[i]
        for dev in range(m):
            gain = u - u[dev][None]                          # follow - deviate, per profile
            if coarse:
                rows.append(np.moveaxis(gain, 0, i).ravel())
                labels.append((i, None, dev))
                continue
            for rec in range(m):
                if rec == dev:
                    continue
                g = np.zeros_like(u)
                g[rec] = gain[rec]
                rows.append(np.moveaxis(g, 0, i).ravel())
                labels.append((i, rec, dev))
    if not rows:
        return np.zeros((0, int(np.prod(shape)))), labels
    return np.array(rows), labels


@dataclass(frozen=True, kw_only=True, eq=False)
class CorrelatedResult(SolverResult):
    """A correlated (or coarse correlated) equilibrium found by linear programming.

    Attributes
    ----------
    distribution : ndarray, shape (m_1, ..., m_N) or None
        Probability of each action profile (None unless the LP solved).
    payoffs : ndarray, shape (N,) or None
        Expected payoffs.
    objective : str
        The objective maximised.
    objective_value : float or None
    obedience_slack : float or None
        The smallest obedience slack (>= -tol for an equilibrium).
    coarse : bool
    solver : str
        The cvxpy solver used.
    tol : float
    """

    distribution: np.ndarray | None
    payoffs: np.ndarray | None
    objective: str
    objective_value: float | None
    obedience_slack: float | None
    coarse: bool = False
    solver: str = ""
    tol: float = 1e-7
    game: object = field(default=None, repr=False)

    def _objective_of(self, pay):
        """The objective recomputed from expected payoffs (floats or Fractions)."""
        if self.objective == "welfare":
            return sum(pay[1:], pay[0])
        if self.objective == "egalitarian":
            return min(pay)
        name = self.objective.removeprefix("payoff of ")
        return pay[list(self.game.players).index(name)]

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-check obedience, probabilities, payoffs and the objective value.

        Floating point (default): each obedience row of player i is divided by player i's
        payoff scale s_i (the range of its payoffs,
        :func:`paxgame.kernels.payoffs.payoff_scale`), each stored payoff is compared with
        the expected payoff relative to s_i, the stored ``objective_value`` with the
        objective recomputed from the distribution (relative to the largest s_i), and
        probabilities are checked absolutely (non-negative, summing to one).

        ``exact=True``: the distribution's entries are read as their exact binary values;
        they must be non-negative and sum to one up to the round-off of normalising floats
        (8 x machine epsilon x entries). The rational distribution checked for obedience
        is the exact solution of its tight constraints (zero probabilities, binding
        obedience rows, total one) when that system has a unique non-negative solution
        within round-off of the floats, else the floats divided by their exact total; it
        must satisfy every obedience constraint on the game's payoffs (their exact binary
        values) up to the round-off of the distribution's floats (4 x machine epsilon x
        entries x the row's largest absolute coefficient). The stored payoffs and objective value must equal the exact ones
        within an explicit bound on floating-point error (64 x machine epsilon x entries
        x largest absolute payoff).
        """
        tol = self.tol if tol is None else float(tol)
        if self.distribution is None:
            return Certificate.from_violations({"solved": 1.0}, tol)
        payoffs = np.asarray(self.game.payoffs, dtype=float)
        N = payoffs.shape[0]
        G, labels = obedience_matrix(payoffs, self.coarse)
        scales = payoff_scale(payoffs, N)
        row_scale = np.array([scales[lab[0]] for lab in labels]) if labels else np.ones(0)
        p = np.asarray(self.distribution, dtype=float).ravel()
        U = payoffs.reshape(N, -1)
        if exact or tol == 0:
            Gq = to_fraction_array(G, binary=True)
            raw = list(to_fraction_array(p, binary=True))
            allowance = Fraction(8 * len(raw)) * Fraction(np.finfo(float).eps)
            prob = max(-min(raw), abs(sum(raw, Fraction(0)) - 1) - allowance, Fraction(0))
            pq = self._rational_distribution(G, Gq, tol * float(scales.max()))
            # a distribution rounded to floats (half an ulp per entry, then normalised) may
            # miss an obedience row by 4 x machine epsilon x entries x the row's largest
            # |coefficient|: no violation; anything beyond it is
            eps4 = Fraction(4 * len(raw)) * Fraction(np.finfo(float).eps)
            slack = min((((sum((a * b for a, b in zip(row, pq)), Fraction(0))
                           + eps4 * max((abs(a) for a in row), default=Fraction(0)))
                          / Fraction(float(sc))) for row, sc in zip(Gq, row_scale)),
                        default=Fraction(0))
            Uq = to_fraction_array(U, binary=True)
            pay = [sum((a * b for a, b in zip(row, pq)), Fraction(0)) for row in Uq]
            bound = 64 * np.finfo(float).eps * len(raw) * float(np.abs(U).max(initial=0))
            stored = np.asarray(self.payoffs, dtype=float)
            pay_err = max((abs(a - Fraction(float(b))) for a, b in zip(pay, stored)),
                          default=Fraction(0)) if np.all(np.isfinite(stored)) else Fraction(1)
            obj = self.objective_value
            obj_err = (abs(self._objective_of(pay) - Fraction(float(obj))) if obj is not None
                       and np.isfinite(obj) else Fraction(1))
            top = Fraction(float(scales.max()))
            checks = {"obedience": max(-slack, Fraction(0)), "probability": prob,
                      "payoffs": Fraction(0) if float(pay_err) <= bound else pay_err / top,
                      "objective": Fraction(0) if float(obj_err) <= 2 * bound else
                      obj_err / top}
            return Certificate.from_violations(checks, tol, exact=True)
        slack = float((G @ p / row_scale).min()) if G.size else 0.0
        pay = U @ p
        stored = np.asarray(self.payoffs, dtype=float)
        obj = self.objective_value
        checks = {"obedience": -slack,
                  "probability": max(float(-p.min()), abs(float(p.sum()) - 1.0)),
                  "payoffs": float(np.max(np.abs(pay - stored) / scales)),
                  "objective": (abs(float(self._objective_of(list(pay))) - float(obj)) /
                                float(scales.max())) if obj is not None else float("inf")}
        checks = {k: (v if np.isfinite(v) else float("inf")) for k, v in checks.items()}
        return Certificate.from_violations(checks, tol)

    def _rational_distribution(self, G: np.ndarray, Gq: np.ndarray, tol_abs: float) -> list:
        """A rational distribution read from the float one (see ``verify``)."""
        p = np.asarray(self.distribution, dtype=float).ravel()
        tiny = max(self.tol, 1e-9)
        zero = np.flatnonzero(p <= tiny)
        tight = np.flatnonzero(np.abs(G @ p) <= max(tol_abs, 1e-9 * np.abs(G).max(
            initial=0.0))) if G.size else np.array([], dtype=int)
        rows, rhs = [], []
        for k in zero:
            row = [Fraction(0)] * p.size
            row[int(k)] = Fraction(1)
            rows.append(row)
            rhs.append(Fraction(0))
        for k in tight:
            rows.append(list(Gq[int(k)]))
            rhs.append(Fraction(0))
        rows.append([Fraction(1)] * p.size)
        rhs.append(Fraction(1))
        solved = _fraction_solve(rows, rhs) if len(rows) >= p.size else None
        if solved is not None and all(v >= 0 for v in solved) and max(
                abs(float(v) - float(f)) for v, f in zip(solved, p)) <= max(self.tol, _CLOSE):
            return solved
        pq = [max(v, Fraction(0)) for v in to_fraction_array(p, binary=True)]
        total = sum(pq, Fraction(0))
        return [v / total for v in pq] if total > 0 else pq


# -- minmax ------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True, eq=False)
class MinmaxResult(SolverResult):
    """A player's minmax value, the punishment that holds it there and the player's reply.

    Attributes
    ----------
    player : int
    value : float or None
        min over the others' strategies of the player's best-response payoff.
    punishment : tuple of ndarray or None
        The other players' strategies, in player order (the punished player's entry omitted).
    best_response : int or None
        A best response of the player to the punishment.
    guarantee : ndarray or None
        (mixed, two players) a maximin strategy of the player that secures ``value`` against
        every reply: the certificate that no punishment does better.
    mixed : bool
    tol : float
    """

    player: int
    value: float | None
    punishment: tuple | None
    best_response: int | None
    guarantee: np.ndarray | None = None
    mixed: bool = True
    tol: float = 1e-9
    game: object = field(default=None, repr=False)

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-check: the punishment holds the player to ``value``; nothing holds it lower.

        Pure: brute force over the others' pure profiles. Mixed: the guarantee strategy
        earns at least ``value`` against every pure reply (minimax theorem). Checks are
        relative to the player's payoff scale s (the range of its payoffs,
        :func:`paxgame.kernels.payoffs.payoff_scale`); probabilities absolutely.

        ``exact=True``: floats are read as their exact binary values. Strategies must be
        non-negative and sum to one up to the round-off of normalising floats (8 x machine
        epsilon x entries). Mixed: the punishment and the guarantee are rebuilt in
        rationals by re-solving the zero-sum game's indifference systems on their supports
        (kept only when within round-off of the floats); the rebuilt punishment must hold
        the player to the rebuilt guarantee's value (exactly when the rebuild succeeds; up to
        the same explicit bound when the floats are read as they are), and ``value`` must
        equal it
        within an explicit bound on floating-point error (64 x machine epsilon x actions x
        largest absolute payoff).
        """
        tol = self.tol if tol is None else float(tol)
        if self.value is None:
            return Certificate.from_violations({"solved": 1.0}, tol)
        payoffs = np.asarray(self.game.payoffs, dtype=float)
        i = self.player
        u = np.moveaxis(payoffs[i], i, 0)                    # (m_i, others...)
        scale = float(payoff_scale(payoffs[i], payoffs.ndim - 1))
        if exact or tol == 0:
            return self._verify_exact(u, scale, tol)
        vals = u
        for s in reversed(self.punishment):
            vals = np.tensordot(vals, s, axes=([vals.ndim - 1], [0]))
        checks = {"punishment": float(vals.max() - self.value) / scale,
                  "probability": _probability_violation(self.punishment)}
        if self.mixed:
            checks["guarantee"] = float(self.value - (self.guarantee @ u.reshape(
                u.shape[0], -1)).min()) / scale
            checks["probability"] = max(checks["probability"],
                                        _probability_violation([self.guarantee]))
        else:
            checks["guarantee"] = float(self.value - u.max(axis=0).min()) / scale
        checks = {k: (v if np.isfinite(v) else float("inf")) for k, v in checks.items()}
        return Certificate.from_violations(checks, tol)

    def _verify_exact(self, u: np.ndarray, scale: float, tol: float) -> Certificate:
        eps = Fraction(np.finfo(float).eps)
        uq = to_fraction_array(u, binary=True)
        value = Fraction(float(self.value)) if np.isfinite(self.value) else None
        bound = Fraction(64) * eps * sum(u.shape) * Fraction(float(np.abs(u).max()))
        strategies = [list(to_fraction_array(np.asarray(s, dtype=float), binary=True))
                      for s in self.punishment]
        if self.mixed:
            strategies.append(list(to_fraction_array(np.asarray(self.guarantee, dtype=float),
                                                     binary=True)))
        prob = Fraction(0)
        for k, q in enumerate(strategies):
            allowance = Fraction(8 * len(q)) * eps
            prob = max(prob, -min(q), abs(sum(q, Fraction(0)) - 1) - allowance)
            total = sum(q, Fraction(0))
            if total > 0 and min(q) >= 0:
                strategies[k] = [v / total for v in q]
        if value is None:
            return Certificate.from_violations({"value": Fraction(1)}, tol, exact=True)
        if self.mixed:
            M = uq                                                    # (m, n)
            q = _zero_sum_vertex(M, strategies[0], self.punishment[0], punisher=True)
            p = _zero_sum_vertex(M, strategies[1], self.guarantee, punisher=False)
            replies = [sum((M[a, b] * q[b] for b in range(M.shape[1])), Fraction(0))
                       for a in range(M.shape[0])]
            secured = [sum((p[a] * M[a, b] for a in range(M.shape[0])), Fraction(0))
                       for b in range(M.shape[1])]
            held, guaranteed = max(replies), min(secured)
            # the exact game value lies in [guaranteed, held]; both must match `value`
            # strategies rounded to floats may open a gap of their round-off (within
            # ``bound``) between the punishment's hold and the guarantee
            checks = {"punishment": max(held - guaranteed - bound, Fraction(0))
                      / Fraction(scale),
                      "value": max(abs(held - value) - bound, Fraction(0)) / Fraction(scale),
                      "probability": max(prob, Fraction(0))}
            return Certificate.from_violations(checks, tol, exact=True)
        vals = uq
        for s in reversed(strategies):
            vals = np.tensordot(vals, np.asarray(s, dtype=object),
                                axes=([vals.ndim - 1], [0]))
        held = max(vals.ravel())
        floor = min(uq.max(axis=0).ravel())
        checks = {"punishment": max(held - value, Fraction(0)) / Fraction(scale),
                  "guarantee": max(value - floor, Fraction(0)) / Fraction(scale),
                  "probability": max(prob, Fraction(0))}
        return Certificate.from_violations(checks, tol, exact=True)


def _zero_sum_vertex(M, exact_floats, floats, *, punisher: bool):
    """A rational optimal strategy of the zero-sum game M (row player maximises) near the
    float one: the solution of its indifference system on its support against the
    opponent's best replies, when unique, non-negative and within round-off of the floats;
    else the floats' exact values (already normalised)."""
    s = np.asarray(floats, dtype=float)
    support = np.flatnonzero(s > _CLOSE)
    Mf = M.astype(float)
    vals = (Mf @ s) if punisher else (s @ Mf)
    width = max(float(np.ptp(Mf)), 1e-300)
    if punisher:
        tight = np.flatnonzero(vals >= vals.max() - 1e-9 * width)
    else:
        tight = np.flatnonzero(vals <= vals.min() + 1e-9 * width)
    rows, rhs = [], []
    for t in tight:
        coef = [M[t, a] if punisher else M[a, t] for a in support] + [Fraction(-1)]
        rows.append(coef)
        rhs.append(Fraction(0))
    rows.append([Fraction(1)] * support.size + [Fraction(0)])
    rhs.append(Fraction(1))
    sol = _fraction_solve(rows, rhs)
    if sol is None or any(v < 0 for v in sol[:-1]):
        return exact_floats
    out = [Fraction(0)] * s.size
    for a, v in zip(support, sol[:-1]):
        out[int(a)] = v
    if max(abs(float(v) - f) for v, f in zip(out, s)) > 1e-6:
        return exact_floats
    return out


# -- dominance ---------------------------------------------------------------------------------
def _weakly_dominates(mix: np.ndarray, u: np.ndarray, a: int, tol: float, weak: bool) -> float:
    """Violation of "mixture ``mix`` (over u's rows) dominates row ``a``" (<= tol: it
    does): weak dominance asks every entry to be at least as good (a shortfall of at most
    tol) and one to be better by at least tol; strict dominance every entry better by at
    least tol."""
    diff = mix @ u - u[a]
    if weak:
        return max(float(-diff.min()), 2 * tol - float(diff.max()))
    return 2 * tol - float(diff.min())


@dataclass(frozen=True, kw_only=True, eq=False)
class DominanceResult(SolverResult):
    """Iterated elimination of dominated actions, step by step.

    Attributes
    ----------
    reduced : NormalFormGame
        The game restricted to the surviving actions (names kept).
    kept : tuple of ndarray
        For each player, the original indices of the surviving actions.
    steps : tuple of tuple
        The eliminations in the order they were made: ``(round, player, action,
        dominator)`` with ``action`` an original index and ``dominator`` the dominating
        mixture over the player's original actions (a unit vector for a pure dominator).
        Within a round, eliminations were made against the game left after the previous
        round (``order="simultaneous"``) or one at a time (``order="sequential"``).
    weak : bool
        Weak dominance (at least as good everywhere, better somewhere) instead of strict.
    mixed : bool
        Dominators may be mixtures.
    order : str
        ``"simultaneous"`` or ``"sequential"``; iterated *weak* dominance depends on it.
    tol : float
        Relative tolerance (times each player's payoff scale).
    """

    reduced: object
    kept: tuple
    steps: tuple
    weak: bool = True
    mixed: bool = False
    order: str = "simultaneous"
    tol: float = 1e-9
    game: object = field(default=None, repr=False)

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Replay the eliminations: each step's dominator dominates the eliminated action in
        the game left at that moment (``dominance``), the kept actions are exactly those
        never eliminated and the reduced game is the original restricted to them
        (``kept``), and no kept action is dominated by another kept pure action
        (``complete``; for mixed dominators that check is by pure actions only). Checks
        are relative to each player's payoff scale. ``exact`` is accepted for a uniform
        interface; the checks are comparisons of the game's own payoffs and mixtures."""
        tol = self.tol if tol is None else float(tol)
        payoffs = np.asarray(self.game.payoffs, dtype=float)
        N = payoffs.shape[0]
        scales = payoff_scale(payoffs, N)
        alive = [np.ones(m, dtype=bool) for m in payoffs.shape[1:]]
        worst_dom = 0.0
        steps = list(self.steps)
        rounds = sorted({s[0] for s in steps})
        for r in rounds:
            batch = [s for s in steps if s[0] == r]
            snapshot = [a.copy() for a in alive]
            for _, i, a, mix in batch:
                ref = alive if self.order == "sequential" else snapshot
                if not ref[i][a]:
                    worst_dom = float("inf")
                    continue
                sub = payoffs[(slice(None),) + np.ix_(*[np.flatnonzero(x) for x in ref])]
                u = np.moveaxis(sub[i], i, 0).reshape(int(ref[i].sum()), -1) / scales[i]
                mix = np.asarray(mix, dtype=float)
                if np.any(mix[~ref[i]] > 0) or abs(mix.sum() - 1) > 1e-9 or mix.min() < 0:
                    worst_dom = float("inf")
                    continue
                pos = int(np.flatnonzero(np.flatnonzero(ref[i]) == a)[0])
                worst_dom = max(worst_dom, _weakly_dominates(mix[ref[i]], u, pos, tol,
                                                             self.weak))
                alive[i][a] = False
        kept_ok = all(np.array_equal(np.flatnonzero(al), np.asarray(k))
                      for al, k in zip(alive, self.kept))
        sub = payoffs[(slice(None),) + np.ix_(*[np.asarray(k) for k in self.kept])]
        kept_ok = kept_ok and np.array_equal(np.asarray(self.reduced.payoffs), sub)
        complete = 0.0
        for i in range(N):
            u = np.moveaxis(sub[i], i, 0).reshape(len(self.kept[i]), -1) / scales[i]
            for a in range(u.shape[0]):
                for b in range(u.shape[0]):
                    diff = u[b] - u[a]
                    if a != b and (np.all(diff > tol) or (self.weak and np.all(
                            diff >= -tol) and np.any(diff > tol))):
                        complete = float("inf")       # a kept action is dominated
        checks = {"dominance": worst_dom, "kept": 0.0 if kept_ok else float("inf"),
                  "complete": complete}
        return Certificate.from_violations(checks, tol)

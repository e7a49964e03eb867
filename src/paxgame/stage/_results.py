"""Result objects of the stage-game solvers: the numbers and their documentation; each
``verify()`` delegates to the independent checks of :mod:`paxgame.stage.checks`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._results import Certificate, ResultDisplay, SolverResult
from ..kernels.payoffs import payoff_scale
from . import checks

__all__ = ["Equilibrium", "NashResult", "CorrelatedResult", "MinmaxResult"]


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
        regrets, _ = checks.regrets_float(payoffs, [np.asarray(s, dtype=float)
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
        return checks.verify_equilibrium(self, tol=tol, exact=exact)
    def __str__(self) -> str:
        strat = "; ".join(np.array2string(np.round(s, 6), separator=", ")
                          for s in self.strategies)
        return (f"Equilibrium({strat}; payoffs "
                f"{np.array2string(np.round(self.payoffs, 6), separator=', ')}; "
                f"regret {self.regret:.2g})")


class NashResult(ResultDisplay, list):
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
        return checks.verify_nash_list(self, tol=tol, exact=exact)
    _summary_fields = ("method", "complete", "finite", "tol")

    def __repr__(self) -> str:
        return (f"NashResult(method={self.method!r}, status={self.status!r}, "
                f"{len(self)} equilibria, complete={self.complete}, finite={self.finite})")

    def _summary_rows(self) -> list[tuple[str, str]]:
        rows = super()._summary_rows()
        rows.insert(0, ("equilibria", str(len(self))))
        return rows

    def to_dict(self) -> dict:
        """The list as plain JSON data: the fields above and ``equilibria``, each
        equilibrium's own ``to_dict()``."""
        out = super().to_dict()
        out["equilibria"] = [eq.to_dict() for eq in self]
        return out


# -- correlated --------------------------------------------------------------------------------
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
        return checks.verify_correlated(self, tol=tol, exact=exact)


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
        return checks.verify_minmax(self, tol=tol, exact=exact)


# -- dominance ---------------------------------------------------------------------------------
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
        return checks.verify_dominance(self, tol=tol, exact=exact)

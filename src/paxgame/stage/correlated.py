"""Correlated and coarse correlated equilibria by linear programming (cvxpy)."""

from __future__ import annotations

import numpy as np

from dataclasses import replace

from .._validation import check_tolerance
from ..errors import SolverError
from ..kernels.lp import cvxpy_status
from ..kernels.payoffs import payoff_scale
from .nash import check_game
from ._results import CorrelatedResult
from .checks import obedience_matrix

__all__ = ["correlated"]

def _objective_name(func: str, game, objective) -> tuple[str, int | None]:
    if isinstance(objective, str) and objective in ("welfare", "egalitarian"):
        return objective, None
    if isinstance(objective, str):
        if objective in game.players:
            return f"payoff of {objective}", game.players.index(objective)
        raise ValueError(f"{func}: objective must be 'welfare', 'egalitarian', a player index "
                         f"or a player name {list(game.players)}, got {objective!r}")
    if isinstance(objective, (int, np.integer)) and not isinstance(objective, bool):
        if not 0 <= objective < game.n_players:
            raise ValueError(f"{func}: objective player index {objective} is out of range "
                             f"0..{game.n_players - 1}")
        return f"payoff of {game.players[int(objective)]}", int(objective)
    raise TypeError(f"{func}: objective must be a string or a player index, "
                    f"got {type(objective).__name__}")


def correlated(game, objective="welfare", coarse: bool = False, *, solver: str | None = None,
               tol: float = 1e-7) -> CorrelatedResult:
    """A correlated (or coarse correlated) equilibrium that maximises a linear objective.

    The distribution p over action profiles solves the LP::

        max  f(p)   s.t.  p >= 0,  sum p = 1,
        sum_{a_-i} p(a_i, a_-i) [u_i(a_i, a_-i) - u_i(a_i', a_-i)] >= 0  for all i, a_i, a_i'

    (obedience: following the recommendation ``a_i`` beats switching to ``a_i'``; Aumann
    1974). The coarse version (Moulin & Vial 1978) only asks that following beats committing
    to any fixed ``a_i'`` in advance: ``sum_a p(a) [u_i(a) - u_i(a_i', a_-i)] >= 0``.

    Parameters
    ----------
    game : NormalFormGame
    objective : "welfare", "egalitarian", int or str
        ``"welfare"``: the sum of expected payoffs; ``"egalitarian"``: the smallest
        expected payoff; a player index or name: that player's expected payoff.
    coarse : bool
        Coarse correlated equilibrium instead.
    solver : str, optional
        A cvxpy solver name (default: "SCIPY", i.e. scipy's HiGHS simplex, when installed;
        else cvxpy's choice).
    tol : float
        Relative tolerance of the post-solve checks (LP solvers work to about 1e-8): each
        player's obedience slack is checked to tol x s_i, s_i that player's payoff scale
        (the range of its payoffs, :func:`paxgame.kernels.payoffs.payoff_scale`), and the
        objective to tol x the largest s_i. The LP is solved on the payoffs divided by
        these scales and mapped back, so the answer does not depend on the payoffs'
        units. ``tol=0`` is accepted (the result is then certified in exact arithmetic).

    Returns
    -------
    CorrelatedResult
        ``status`` maps cvxpy's status (optimal, inaccurate, ...); ``obedience_slack`` is
        the smallest obedience slack after the distribution is cleaned (negatives clipped,
        renormalised); a result whose slack is below ``-tol x s``, or whose cleaned
        distribution's objective is more than ``tol x s`` below the weak-duality upper
        bound built from the solver's (clipped) dual multipliers, gets status
        ``"inaccurate"``: "optimal" is certified, not taken from the solver.
        Fields: ``distribution``, ``payoffs``, ``objective``, ``objective_value``,
        ``obedience_slack``, ``coarse``, ``solver``, ``tol``, ``status``, ``message`` (see
        :class:`~paxgame.CorrelatedResult`; ``to_dict()`` gives them as JSON data).

    Raises
    ------
    ValueError
        Payoffs so large that their differences or the players' total payoff overflow a
        float (e.g. payoffs of 1e308), or the game has more than
        ``PROFILE_LIMIT`` (8,000) action profiles.
    SolverError
        cvxpy's solver failed (the solver is named).

    Examples
    --------
    Aumann's chicken: the welfare-best correlated equilibrium puts 1/2 on (swerve, swerve)
    and 1/4 on each asymmetric profile:

    >>> import paxgame as pg
    >>> res = pg.correlated(pg.load("games/classic/chicken.toml"))
    >>> np.round(res.distribution, 4)
    array([[0.5 , 0.25],
           [0.25, 0.  ]])
    >>> np.round(res.payoffs, 4)
    array([5.25, 5.25])
    """
    func = "correlated"
    game = check_game(func, game)
    name, who = _objective_name(func, game, objective)
    if not isinstance(coarse, (bool, np.bool_)):
        raise TypeError(f"{func}: coarse must be True or False, got {type(coarse).__name__}")
    import cvxpy as cp

    tol = check_tolerance(func, tol, zero_ok=True)
    payoffs = np.asarray(game.payoffs, dtype=float)
    N = game.n_players
    with np.errstate(over="ignore", invalid="ignore"):
        flat = payoffs.reshape(N, -1)
        spans = flat.max(axis=1) - flat.min(axis=1)
        total = float(np.abs(flat).max(axis=1).sum()) * 2.0
    if not (np.all(np.isfinite(spans)) and np.isfinite(total)):
        raise ValueError(f"{func}: payoffs up to {float(np.abs(flat).max()):.3g} are too large "
                         f"for the LP's arithmetic (payoff differences or the players' total "
                         f"payoff overflow a float); divide the payoffs by a common factor "
                         f"first")
    size = int(np.prod(game.num_actions))
    _check_size(func, game, size)
    U = payoffs.reshape(N, size)
    G, labels = obedience_matrix(payoffs, bool(coarse))
    # obedience rows of player i are divided by player i's payoff scale (its range), the
    # objective by the largest scale: the solver's absolute tolerances then mean the same
    # for every player, whether its payoffs are of order 1e9 or 1e-9
    scales = payoff_scale(payoffs, N)
    scale = float(scales.max())
    row_scale = np.array([scales[lab[0]] for lab in labels]) if labels else np.ones(0)
    Us = U / scale
    Gs = G / row_scale[:, None] if G.size else G
    p = cp.Variable(size, nonneg=True)
    constraints = [cp.sum(p) == 1]
    if G.size:
        constraints.append(Gs @ p >= 0)
    expected = Us @ p
    if objective == "welfare":
        goal = cp.sum(expected)
    elif objective == "egalitarian":
        t = cp.Variable()
        constraints.append(expected >= t)
        goal = t
    else:
        goal = expected[who]
    problem = cp.Problem(cp.Maximize(goal), constraints)
    if solver is None:
        # scipy's HiGHS through cvxpy: a vertex solution, and no banner on stdout
        solver = "SCIPY" if "SCIPY" in cp.installed_solvers() else None
    try:
        problem.solve(solver=solver)
    except cp.error.SolverError as err:
        raise SolverError(f"{func}: cvxpy solver {solver or 'default'} failed: {err}") from err
    used = solver or problem.solver_stats.solver_name
    status = cvxpy_status(problem.status)
    if status != "optimal" and p.value is None:
        return CorrelatedResult(distribution=None, payoffs=None, objective=name,
                                objective_value=None, obedience_slack=None,
                                coarse=bool(coarse), solver=str(used), tol=tol, game=game,
                                status=status, message=f"cvxpy status {problem.status}")
    dist = np.clip(np.asarray(p.value, dtype=float), 0.0, None)
    dist /= dist.sum()
    slack = float((Gs @ dist).min()) if G.size else 0.0           # relative, per player
    solver_value = None if problem.value is None else float(problem.value) * scale
    pay = U @ dist
    value = {"welfare": float(pay.sum()), "egalitarian": float(pay.min())}.get(
        objective if isinstance(objective, str) else "", float(pay[who]) if who is not None
        else float("nan"))
    message = f"cvxpy status {problem.status} ({used})"
    if status == "optimal" and slack < -max(tol, 1e-12):
        status = "inaccurate"
        message += (f"; smallest obedience slack {slack:.3g} (relative to the player's "
                    f"payoff scale) is below -tol ({tol:.3g})")
    elif status == "optimal":
        bound = _upper_bound(Us, Gs, constraints, objective, who)
        if bound is None:  # no duals from this solver: compare with its optimal value
            bound = None if solver_value is None else solver_value / scale
        gap = float("inf") if bound is None or not np.isfinite(value) else (
            bound - value / scale)
        if gap > max(tol, 1e-12):
            status = "inaccurate"
            message += (f"; optimality not certified: the dual bound exceeds the cleaned "
                        f"distribution's objective {value:.6g} by {gap * scale:.3g} > tol x "
                        f"payoff scale")
    res = CorrelatedResult(distribution=dist.reshape(game.num_actions), payoffs=pay,
                           objective=name, objective_value=value, obedience_slack=slack,
                           coarse=bool(coarse), solver=str(used), tol=tol, game=game,
                           status=status, message=message)
    if status == "optimal" and not res.verify().ok:    # never optimal unless certified
        res = replace(res, status="uncertified",
                      message=message + "; the certificate failed: "
                      + ", ".join(res.verify().failures()))
    return res


#: Largest number of action profiles the correlated-equilibrium LP takes (its obedience
#: matrix has sum_i m_i (m_i - 1) rows of that length: 8,000 profiles of a 20x20x20 game
#: make about 9.1e6 entries).
PROFILE_LIMIT = 8_000


def _check_size(func: str, game, size: int) -> None:
    rows = sum(m * (m - 1) for m in game.num_actions)
    if size > PROFILE_LIMIT:
        raise ValueError(f"{func}: a game with {size} action profiles is too large for the "
                         f"correlated-equilibrium LP (limit {PROFILE_LIMIT} profiles; its "
                         f"obedience matrix would have {rows} x {size} entries)")


def _upper_bound(Us, Gs, constraints, objective, who) -> float | None:
    """An upper bound on the LP optimum (scaled payoffs) from the solver's duals, valid for
    any non-negative multipliers (weak duality): for every feasible p,
    c'p <= c'p + mu'(Gs p) <= max_a (c + Gs'mu)_a, with c the objective's payoff weights
    (egalitarian: nu'Us for dual weights nu on the players, normalised to the simplex, as
    min_i (Us p)_i <= nu'Us p). None when the solver gives no duals."""
    if objective == "welfare":
        c = Us.sum(axis=0)
    elif objective == "egalitarian":
        nu = constraints[-1].dual_value
        if nu is None:
            return None
        nu = np.clip(np.asarray(nu, dtype=float).ravel(), 0.0, None)
        nu = nu / nu.sum() if nu.sum() > 0 else np.full(Us.shape[0], 1.0 / Us.shape[0])
        c = nu @ Us
    else:
        c = Us[who]
    if Gs.size:
        mu = constraints[1].dual_value
        if mu is None:
            return None
        c = c + Gs.T @ np.clip(np.asarray(mu, dtype=float).ravel(), 0.0, None)
    return float(c.max())

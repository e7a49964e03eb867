"""Logit quantal response equilibrium at a given precision."""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

from .._results import Certificate, SolverResult
from .._validation import check_options, check_tolerance
from ..games.normal_form import NormalFormGame
from ..kernels import nplayer as _knp
from ..kernels.payoffs import abs_scale
from ..kernels.qre import LogitBranch, logit_residual
from .checks import probability_violation

__all__ = ["logit_qre", "QREResult"]

_DEFAULTS = {"max_steps": 10_000, "first_step": 0.1, "max_accel": 2.0}


@dataclass(frozen=True, kw_only=True, eq=False)
class QREResult(SolverResult):
    """A logit quantal response equilibrium with its fixed-point residual.

    Attributes
    ----------
    strategies : tuple of ndarray
        One probability vector per player: the QRE profile (the last point reached when the
        status is not ``"optimal"``).
    lam : float
        The precision lambda the profile is a QRE of (the one requested when the status is
        ``"optimal"``; the last one reached otherwise).
    payoffs : ndarray, shape (N,)
        Expected payoffs of the profile.
    residual : float
        The fixed-point error: the largest absolute difference, over players i and actions
        j, between p_ij and its logit response exp(lam v_ij) / sum_k exp(lam v_ik), v_ij the
        payoff of action j of player i against the others' mixtures; at most ``tol`` when
        the status is ``"optimal"``.
    steps : int
        Path-following steps taken along the principal branch.
    tol : float
        The tolerance on the residual (probability units).
    """

    strategies: tuple
    lam: float
    payoffs: np.ndarray
    residual: float
    steps: int = 0
    tol: float = 1e-9
    game: object = field(default=None, repr=False)

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-check the profile against the game's payoffs.

        Checks: ``residual`` (the logit fixed-point error at ``lam``, recomputed from the
        game), ``probability`` (non-negative entries summing to one) and ``payoffs`` (the
        stored expected payoffs, as a fraction of the payoff scale s, the largest absolute
        payoff). ``exact=True``: not available (a logit QRE has irrational probabilities in
        general); returns a failing exact certificate with the single check
        ``"exact_check_unavailable: ..."`` rather than claim an exact check.
        """
        if exact:
            return Certificate.from_violations(
                {"exact_check_unavailable: logit QRE probabilities are not rational": 1},
                0.0, exact=True)
        tol = self.tol if tol is None else float(tol)
        payoffs = np.asarray(self.game.payoffs, dtype=float)
        scale = abs_scale(payoffs)
        strategies = [np.asarray(s, dtype=float) for s in self.strategies]
        flat = np.concatenate(strategies)[None]
        residual = float(logit_residual(payoffs, flat, self.lam)[0])
        values = _knp.value_jacobian(payoffs, flat, jacobian=False)[0]
        off = _knp.offsets(payoffs.shape[1:])
        pay = np.array([values[off[i]:off[i + 1]] @ strategies[i]
                        for i in range(len(strategies))])
        checks = {"residual": residual, "probability": probability_violation(strategies),
                  "payoffs": float(np.max(np.abs(pay - np.asarray(self.payoffs)))) / scale}
        return Certificate.from_violations(checks, tol)

    def __str__(self) -> str:
        strat = "; ".join(np.array2string(np.round(s, 6), separator=", ")
                          for s in self.strategies)
        return f"QREResult(lam {self.lam:g}: {strat}; residual {self.residual:.2g})"


def logit_qre(game, lam, *, tol: float = 1e-9, options=None) -> QREResult:
    """The logit quantal response equilibrium on the principal branch at precision ``lam``.

    A logit QRE (McKelvey & Palfrey 1995) is a mixed profile p in which every player
    responds to the others with logit probabilities,
    p_ij = exp(lam v_ij(p)) / sum_k exp(lam v_ik(p)), where v_ij(p) is the expected payoff
    of action j of player i against the others' mixtures. At ``lam = 0`` play is uniform;
    as ``lam`` grows the principal branch (the component through the uniform profile)
    approaches a Nash equilibrium (see ``nash(game, method="logit")``). The branch is
    traced from ``lam = 0`` by predictor-corrector path following in (lambda,
    log-probabilities) (Turocy 2005); the profile returned is the branch's first point at
    precision ``lam``, refined by Newton's method with ``lam`` fixed. If the branch folds
    back in lambda, later points at the same precision are not returned.

    Parameters
    ----------
    game : NormalFormGame
        Any number of players.
    lam : float
        The precision, >= 0, in the reciprocal units of the payoffs (multiplying every
        payoff by k > 0 and ``lam`` by 1 / k gives the same QRE; adding a constant to a
        player's payoffs changes nothing).
    tol : float
        Tolerance on the fixed-point residual (probability units).
    options : dict, optional
        ``max_steps`` (path-following step cap, default 10000: status
        ``"max_iter_reached"``), ``first_step`` (0.1), ``max_accel`` (step growth, 2).

    Returns
    -------
    QREResult
        ``status`` ``"optimal"`` when the residual is within ``tol``; ``"max_iter_reached"``
        at the step cap; ``"not_converged"`` when the path following or the final Newton
        refinement failed (the last point is reported).
        Fields: ``strategies``, ``lam``, ``payoffs``, ``residual``, ``steps``, ``tol``,
        ``status``, ``message`` (see :class:`~paxgame.QREResult`; ``to_dict()`` gives them
        as JSON data).

    Raises
    ------
    TypeError
        ``game`` is not a NormalFormGame, or ``lam`` is not a real number.
    ValueError
        ``lam`` negative or not finite, a bad tolerance, unknown or invalid options.

    Examples
    --------
    Matching pennies: the QRE is uniform at every precision.

    >>> import paxgame as pg
    >>> g = pg.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> q = pg.logit_qre(g, 2.0)
    >>> q.status, [s.round(6).tolist() for s in q.strategies]
    ('optimal', [[0.5, 0.5], [0.5, 0.5]])

    A dominant action: the row player's QRE probability of the better action is
    1 / (1 + exp(-lam)) when it gains 1 by it.

    >>> import math
    >>> g = pg.NormalFormGame([[[1, 1], [0, 0]], [[0, 0], [0, 0]]])
    >>> q = pg.logit_qre(g, 3.0)
    >>> round(float(q.strategies[0][0]), 6), round(1 / (1 + math.exp(-3.0)), 6)
    (0.952574, 0.952574)
    >>> q.verify().ok
    True
    """
    if not isinstance(game, NormalFormGame):
        raise TypeError(f"logit_qre: game must be a NormalFormGame, got {type(game).__name__}")
    if isinstance(lam, bool) or not isinstance(lam, numbers.Real):
        raise TypeError(f"logit_qre: lam must be a real number, got {type(lam).__name__}")
    lam = float(lam)
    if not np.isfinite(lam) or lam < 0:
        raise ValueError(f"logit_qre: lam must be a finite number >= 0, got {lam}")
    tol = check_tolerance("logit_qre", tol)
    opts = _options(options)
    payoffs = np.asarray(game.payoffs, dtype=float)
    n = payoffs.shape[0]
    # the QRE is unchanged by a constant added to a player's payoffs; one common factor c
    # brings payoffs to order one and multiplies the precision
    low = payoffs.reshape(n, -1).min(axis=1).reshape((n,) + (1,) * n)
    shifted = payoffs - low
    c = float(shifted.max())
    c = c if c > 0 else 1.0
    branch = LogitBranch(shifted / c, first_step=opts["first_step"],
                         max_accel=opts["max_accel"])
    target = lam * c
    x, at, outcome = branch.x, 0.0, "optimal"
    if target > 0:
        x, at, outcome = _trace_to(branch, target, opts["max_steps"])
    flat = _knp.normalise(np.exp(x)[None], game.num_actions)
    at_lam = at / c
    residual = float(logit_residual(payoffs, flat, at_lam)[0])
    status = {"optimal": "optimal", "max_steps": "max_iter_reached"}.get(outcome,
                                                                         "not_converged")
    message = {
        "max_steps": f"the step cap options['max_steps'] = {opts['max_steps']} was reached "
                     f"at lambda {at_lam:.4g}, before lambda {lam:g}",
        "collapse": f"the path-following step length collapsed at lambda {at_lam:.4g} (a "
                    f"bifurcation or a singular point of the branch)",
        "refine": f"Newton's method at lambda {lam:g} did not converge from the branch",
    }.get(outcome, "")
    if status == "optimal" and residual > tol:
        status = "not_converged"
        message = f"the refined point has residual {residual:.3g} > tol {tol:g}"
    if status == "optimal":
        message = (f"the logit QRE at lambda {lam:g} on the principal branch "
                   f"({branch.steps} path-following steps)")
    off = _knp.offsets(game.num_actions)
    strategies = tuple(flat[0, off[i]:off[i + 1]].copy() for i in range(n))
    values = _knp.value_jacobian(payoffs, flat, jacobian=False)[0]
    pay = np.array([values[off[i]:off[i + 1]] @ strategies[i] for i in range(n)])
    return QREResult(strategies=strategies, lam=at_lam if status != "optimal" else lam,
                     payoffs=pay, residual=residual, steps=branch.steps, tol=tol, game=game,
                     status=status, message=message)


def _options(options) -> dict:
    opts = check_options("logit_qre", options, _DEFAULTS)
    steps = opts["max_steps"]
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise ValueError(f"logit_qre: options['max_steps'] must be an integer >= 1, "
                         f"got {steps!r}")
    for key, low in (("first_step", 0.0), ("max_accel", 1.0)):
        v = opts[key]
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not (
                np.isfinite(v) and v > low):
            raise ValueError(f"logit_qre: options[{key!r}] must be a finite number > {low:g}, "
                             f"got {v!r}")
        opts[key] = float(v)
    opts["max_steps"] = int(steps)
    return opts


def _trace_to(branch: LogitBranch, target: float, max_steps: int):
    """Follow the branch until lambda first reaches ``target``, then refine there.

    Returns (log-probabilities, lambda reached, outcome) with outcome one of "optimal",
    "collapse", "refine", "max_steps"."""
    while branch.steps < max_steps:
        x_prev, lam_prev = branch.x.copy(), branch.lam
        if not branch.advance():
            return branch.x, branch.lam, "collapse"
        if branch.lam >= target:
            # start Newton from the chord between the two points, at the target precision
            w = (target - lam_prev) / (branch.lam - lam_prev)
            x, ok = branch.solve_at(target, (1 - w) * x_prev + w * branch.x)
            if ok:
                return x, target, "optimal"
            # too coarse a step: go back and approach the target in smaller steps
            branch.move_to(x_prev, lam_prev)
            branch.h *= 0.25
            if branch.h <= branch.min_step:
                return branch.x, branch.lam, "refine"
    return branch.x, branch.lam, "max_steps"

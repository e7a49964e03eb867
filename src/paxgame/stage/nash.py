"""Nash equilibria of normal-form games: pure, support enumeration, vertex, Lemke-Howson, LP."""

from __future__ import annotations

import warnings

import numpy as np

from .._validation import check_method, check_tolerance
from ..errors import SolverError
from ..games.normal_form import NormalFormGame
from ..kernels import pure_nash as _kpure
from ..kernels import support_enumeration as _ksupport
from ..kernels.lp import solve_lp
from ._results import Equilibrium, NashResult, _regret_float
from .nplayer import LOGIT_OPTIONS, SUPPORT_NEWTON_OPTIONS, nash_logit, nash_support_newton

__all__ = ["nash", "pure_nash"]


def _check_game(func: str, game) -> NormalFormGame:
    if not isinstance(game, NormalFormGame):
        raise TypeError(f"{func}: game must be a NormalFormGame, got {type(game).__name__}")
    return game


def _check_two_players(method: str, game: NormalFormGame) -> None:
    if game.n_players != 2:
        raise ValueError(f"nash: method '{method}' handles two-player games; this game has "
                         f"{game.n_players} players (use method='pure', 'logit' or "
                         f"'support_newton')")


def _check_options(method: str, options, allowed: dict) -> dict:
    if options is None:
        return dict(allowed)
    if not isinstance(options, dict):
        raise TypeError(f"nash: options must be a dict, got {type(options).__name__}")
    for key in options:
        if key not in allowed:
            valid = ", ".join(allowed) or "none"
            raise ValueError(f"nash: unknown option {key!r} for method '{method}'; "
                             f"valid options: {valid}")
    return {**allowed, **options}


def _equilibrium(game: NormalFormGame, strategies, tol: float) -> Equilibrium:
    strategies = tuple(np.asarray(s, dtype=float) for s in strategies)
    regret, pay = _regret_float(game.payoffs, strategies)
    # tol is in payoff units; probabilities are compared with the relative tolerance
    support = tuple(np.flatnonzero(s > tol / _scale(game)) for s in strategies)
    return Equilibrium(strategies=strategies, payoffs=pay, regret=regret, support=support,
                       tol=tol, game=game)


def _polish(game: NormalFormGame, x: np.ndarray, y: np.ndarray, tol: float):
    """Re-solve the indifference systems on the supports (least squares) to remove LP/peer
    round-off; returns the better of the polished and the original pair."""
    A, B = (np.asarray(p) for p in game.payoffs)
    x = np.clip(x, 0, None)
    y = np.clip(y, 0, None)
    x, y = x / x.sum(), y / y.sum()
    best = (x, y)
    best_regret = _regret_float(game.payoffs, [x, y])[0]
    if best_regret <= tol:
        return best
    scale = _scale(game)
    I = np.flatnonzero(x > 1e-9)
    J = np.flatnonzero(y > 1e-9)
    vy, vx = A @ y, x @ B
    K = np.flatnonzero(vy >= vy.max() - 1e-7 * scale)
    L = np.flatnonzero(vx >= vx.max() - 1e-7 * scale)
    # y on J with rows K indifferent; x on I with columns L indifferent
    My = np.zeros((K.size + 1, J.size + 1))
    My[:K.size, :J.size] = A[np.ix_(K, J)]
    My[:K.size, J.size] = -1
    My[K.size, :J.size] = 1
    Mx = np.zeros((L.size + 1, I.size + 1))
    Mx[:L.size, :I.size] = B[np.ix_(I, L)].T
    Mx[:L.size, I.size] = -1
    Mx[L.size, :I.size] = 1
    rhs_y = np.zeros(K.size + 1)
    rhs_y[-1] = 1
    rhs_x = np.zeros(L.size + 1)
    rhs_x[-1] = 1
    sy = np.linalg.lstsq(My, rhs_y, rcond=None)[0][:J.size]
    sx = np.linalg.lstsq(Mx, rhs_x, rcond=None)[0][:I.size]
    if np.all(sy >= 0) and np.all(sx >= 0):
        x2 = np.zeros_like(x)
        y2 = np.zeros_like(y)
        x2[I] = sx / sx.sum()
        y2[J] = sy / sy.sum()
        r2 = _regret_float(game.payoffs, [x2, y2])[0]
        if r2 < best_regret:
            best = (x2, y2)
    return best


def _order(equilibria: list[Equilibrium]) -> list[Equilibrium]:
    """Deterministic order: fewest actions in the supports first, then lexicographically
    by probabilities (largest first)."""
    def key(eq):
        size = sum(len(s) for s in eq.support)
        probs = tuple(-round(float(p), 9) for s in eq.strategies for p in s)
        return (size, probs)
    return sorted(equilibria, key=key)


def _dedupe(equilibria: list[Equilibrium], tol: float) -> list[Equilibrium]:
    out: list[Equilibrium] = []
    for eq in equilibria:
        # tol is in payoff units; probabilities are compared with the relative tolerance
        atol = max(tol / _scale(eq.game), 1e-7)
        if not any(all(np.allclose(a, b, atol=atol) for a, b in
                       zip(eq.strategies, other.strategies)) for other in out):
            out.append(eq)
    return out


def _certified(game, pairs, tol, method, source):
    """Build equilibria from (x, y) pairs, polish, drop uncertified ones (with a message)."""
    kept, dropped = [], 0
    for x, y in pairs:
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        if x.shape != (game.num_actions[0],) or y.shape != (game.num_actions[1],) or not (
                np.all(np.isfinite(x)) and np.all(np.isfinite(y))) or x.sum() <= 0 or (
                y.sum() <= 0):
            dropped += 1
            continue
        x, y = _polish(game, x, y, tol)
        eq = _equilibrium(game, (x, y), tol)
        if eq.regret <= tol:
            kept.append(eq)
        else:
            dropped += 1
    kept = _order(_dedupe(kept, tol))
    status, message = "optimal", f"{len(kept)} equilibria from {source}"
    if dropped:
        status = "uncertified"
        message += (f"; {dropped} answer(s) returned by {source} failed the regret check "
                    f"(regret > {tol:g}) and were dropped")
    return kept, status, message


# -- methods -----------------------------------------------------------------------------------
def _nash_pure(game: NormalFormGame, tol: float, options: dict) -> NashResult:
    profiles = _pure_profiles(game, tol)
    eqs = []
    for prof in profiles:
        strategies = tuple(np.eye(m)[a] for m, a in zip(game.num_actions, prof))
        eqs.append(_equilibrium(game, strategies, tol))
    status = "optimal" if eqs else "empty"
    message = (f"{len(eqs)} pure equilibria" if eqs else
               "the game has no pure-strategy equilibrium")
    return NashResult(eqs, method="pure", status=status, message=message, complete=True,
                      finite=None, game=game, tol=tol)


def _nash_support(game: NormalFormGame, tol: float, options: dict) -> NashResult:
    A, B = _scaled_bimatrix(game)
    # half the tolerance for ties inside the kernel, so that the regret of every answer,
    # recomputed in floating point, stays below tol even for ties right at the tolerance
    res = _ksupport.support_enumeration(A[None], B[None], tol=tol / (2 * _scale(game)))
    eqs = [_equilibrium(game, (x, y), tol) for x, y in zip(res.x, res.y)]
    bad = [eq for eq in eqs if eq.regret > tol]
    if bad:  # the kernel certifies its candidates, so this is a defect, not a status
        raise RuntimeError(f"nash: support enumeration produced an equilibrium with regret "
                           f"{bad[0].regret:.3g} > tol {tol:g}; please report this game")
    eqs = _order(eqs)
    finite = bool(res.finite[0])
    if finite:
        message = f"all {len(eqs)} equilibria (the equilibrium set is finite)"
    else:
        message = (f"the equilibrium set is infinite (degenerate game): returned are all "
                   f"{len(eqs)} extreme equilibria; every equilibrium is a convex combination "
                   f"of extreme ones in a common Nash component")
    return NashResult(eqs, method="support", status="optimal" if eqs else "empty",
                      message=message, complete=True, finite=finite, game=game, tol=tol)


def _scaled_bimatrix(game: NormalFormGame):
    """(A, B) divided by the payoff scale: the kernels' tolerances then act on payoffs of
    order one whatever the game's units."""
    scale = _scale(game)
    return (np.asarray(game.payoffs[0], dtype=float) / scale,
            np.asarray(game.payoffs[1], dtype=float) / scale)


def _degenerate(game: NormalFormGame, tol: float) -> bool:
    A, B = _scaled_bimatrix(game)
    return bool(_ksupport.is_degenerate(A[None], B[None], tol=tol / (2 * _scale(game)))[0])


def _check_nashpy_shape(method: str, game: NormalFormGame) -> None:
    if min(game.num_actions) < 2:
        raise ValueError(f"nash: method '{method}' needs at least two actions per player "
                         f"(nashpy fails or loops on {game.num_actions[0]}x"
                         f"{game.num_actions[1]} games); use method='support'")


def _nashpy_game(game: NormalFormGame):
    """nashpy's game on the payoffs divided by the payoff scale (nashpy's own tolerances are
    absolute, so it sees payoffs of order one; answers are certified on the game itself)."""
    import nashpy

    scale = _scale(game)
    return nashpy.Game(np.asarray(game.payoffs[0], dtype=float) / scale,
                       np.asarray(game.payoffs[1], dtype=float) / scale)


def _none_found(eqs, status, message, source):
    """Every finite game has an equilibrium: an empty answer is never 'optimal'."""
    if not eqs and status == "optimal":
        return "uncertified", (f"{source} returned no equilibrium, but every finite game has "
                               f"one (use method='support')")
    return status, message


def _nash_vertex(game: NormalFormGame, tol: float, options: dict) -> NashResult:
    _check_nashpy_shape("vertex", game)
    nash_game = _nashpy_game(game)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            pairs = list(nash_game.vertex_enumeration())
        except (TypeError, ValueError, IndexError, KeyError, ArithmeticError,
                RuntimeError) as err:  # nashpy's own failures, incl. scipy's QhullError
            raise SolverError(f"nash: nashpy vertex_enumeration failed on this game "
                              f"({type(err).__name__}: {err}); use method='support'") from err
    eqs, status, message = _certified(game, pairs, tol, "vertex", "nashpy vertex_enumeration")
    status, message = _none_found(eqs, status, message, "nashpy vertex_enumeration")
    degenerate = _degenerate(game, tol)
    if degenerate:
        message += ("; the game is degenerate, for which vertex enumeration does not "
                    "guarantee every extreme equilibrium (use method='support')")
    return NashResult(eqs, method="vertex", status=status, message=message,
                      complete=not degenerate, finite=True if not degenerate else None,
                      game=game, tol=tol)


def _nash_lemke_howson(game: NormalFormGame, tol: float, options: dict) -> NashResult:
    _check_nashpy_shape("lemke_howson", game)
    nash_game = _nashpy_game(game)
    m, n = game.num_actions
    labels = options["labels"]
    labels = range(m + n) if labels is None else labels
    pairs = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for label in labels:
            if not isinstance(label, (int, np.integer)) or not 0 <= label < m + n:
                raise ValueError(f"nash: options['labels'] must hold integers in "
                                 f"0..{m + n - 1}, got {label!r}")
            try:
                pairs.append(nash_game.lemke_howson(initial_dropped_label=int(label)))
            except (TypeError, ValueError, IndexError, KeyError, ArithmeticError,
                    RuntimeError) as err:
                raise SolverError(f"nash: nashpy lemke_howson (label {label}) failed on this "
                                  f"game ({type(err).__name__}: {err}); use method='support'"
                                  ) from err
    eqs, status, message = _certified(game, pairs, tol, "lemke_howson",
                                      "nashpy lemke_howson")
    status, message = _none_found(eqs, status, message, "nashpy lemke_howson")
    degenerate = _degenerate(game, tol)
    message += ("; Lemke-Howson from every starting label need not find every equilibrium"
                + ("; the game is degenerate" if degenerate else ""))
    return NashResult(eqs, method="lemke_howson", status=status, message=message,
                      complete=False, finite=True if not degenerate else None, game=game,
                      tol=tol)


def _nash_zero_sum(game: NormalFormGame, tol: float, options: dict) -> NashResult:
    A = np.asarray(game.payoffs[0])
    total = A + np.asarray(game.payoffs[1])
    scale = _scale(game)
    if float(np.ptp(total)) > 1e-9 * scale:
        raise ValueError("nash: method 'zero_sum' needs a two-player constant-sum game; the "
                         f"payoff sums range over {float(np.ptp(total)):.3g}")
    const = float(total.flat[0])
    A = A / scale  # the LP works on payoffs of order one; the certificate uses the game's
    m, n = A.shape
    # row player: max v s.t. x'A >= v 1, x in simplex (variables x, v)
    c = np.zeros(m + 1)
    c[-1] = -1.0
    row = solve_lp(c, A_ub=np.hstack([-A.T, np.ones((n, 1))]), b_ub=np.zeros(n),
                   A_eq=np.hstack([np.ones((1, m)), np.zeros((1, 1))]), b_eq=[1.0],
                   bounds=[(0, None)] * m + [(None, None)])
    # column player: min w s.t. A y <= w 1, y in simplex
    c = np.zeros(n + 1)
    c[-1] = 1.0
    col = solve_lp(c, A_ub=np.hstack([A, -np.ones((m, 1))]), b_ub=np.zeros(m),
                   A_eq=np.hstack([np.ones((1, n)), np.zeros((1, 1))]), b_eq=[1.0],
                   bounds=[(0, None)] * n + [(None, None)])
    if not (row.success and col.success):
        bad = row if not row.success else col
        return NashResult([], method="zero_sum", status=bad.status,
                          message=f"LP: {bad.message}", complete=False, game=game, tol=tol)
    eqs, status, message = _certified(game, [(row.x[:m], col.x[:n])], tol, "zero_sum",
                                      "the LP")
    status, message = _none_found(eqs, status, message, "the LP")
    if eqs:
        value = float(eqs[0].payoffs[0])
        message = (f"value {value:.6g} to the row player (constant sum {const:g}); one pair "
                   f"of optimal strategies (the optimal sets are polytopes, every pair of "
                   f"optimal strategies is an equilibrium)")
    return NashResult(eqs, method="zero_sum", status=status, message=message,
                      complete=False, finite=None, game=game, tol=tol)


#: Methods of :func:`nash`: (solver, needs two players, default options).
METHODS = {
    "support": (_nash_support, True, {}),
    "pure": (_nash_pure, False, {}),
    "vertex": (_nash_vertex, True, {}),
    "lemke_howson": (_nash_lemke_howson, True, {"labels": None}),
    "zero_sum": (_nash_zero_sum, True, {}),
    "logit": (nash_logit, False, LOGIT_OPTIONS),
    "support_newton": (nash_support_newton, False, SUPPORT_NEWTON_OPTIONS),
}


def nash(game, method: str = "support", *, tol: float = 1e-9, options=None) -> NashResult:
    """Nash equilibria of a finite normal-form game.

    Parameters
    ----------
    game : NormalFormGame
    method : {"support", "pure", "vertex", "lemke_howson", "zero_sum", "logit", "support_newton"}
        - ``"support"`` (two players): every extreme equilibrium by vectorised support
          enumeration (Dickhaut & Kaplan 1991) extended to degenerate games by pairing
          complementary vertices of the best-response polytopes (Mangasarian 1964; Avis,
          Rosenberg, Savani & von Stengel 2010); see
          :mod:`paxgame.kernels.support_enumeration`. Complete for every game; ``finite``
          says whether the equilibrium set is a continuum.
        - ``"pure"`` (any number of players): every pure equilibrium.
        - ``"vertex"`` (two players): nashpy's vertex enumeration (complete for
          non-degenerate games).
        - ``"lemke_howson"`` (two players): nashpy's Lemke-Howson path (Lemke & Howson
          1964) from every starting label (option ``labels`` to choose some), deduplicated.
        - ``"zero_sum"`` (two-player constant-sum games): the value and one pair of optimal
          strategies by linear programming (von Neumann's minimax theorem).
        - ``"logit"`` (any number of players): one equilibrium, the limit of the principal
          branch of the logit quantal response equilibrium correspondence (McKelvey &
          Palfrey 1995) traced in (lambda, log-probabilities) by predictor-corrector path
          following (Turocy 2005), then refined by Newton's method on the indifference
          equations of the support read off the branch. Options ``max_steps`` (step cap;
          status ``"max_iter_reached"``), ``lam_max``, ``first_step``, ``max_accel``,
          ``scaling`` (``"player"``: each player's payoffs mapped to [0, 1], so the answer
          does not depend on payoff units; ``"common"``: one precision on payoffs shifted
          per player and divided by the largest range, Gambit's homotopy).
        - ``"support_newton"`` (any number of players): support enumeration, smallest
          supports first, skipping supports with a conditionally dominated action (Porter,
          Nudelman & Shoham 2008), each support's polynomial indifference system solved by
          Newton's method from ``starts`` points. Every profile returned is certified by
          its regret, but Newton may miss solutions: ``complete`` is False. Options
          ``starts``, ``max_supports`` (cap; status ``"max_iter_reached"``), ``max_iter``,
          ``random_state``.
    tol : float
        Relative regret tolerance: every returned equilibrium has regret at most
        tol x s, where s is the game's payoff scale, its largest absolute payoff (1 for the
        all-zero game). The tolerance is scale-invariant: multiplying every payoff by k > 0
        gives the same equilibria, whether payoffs are in the millions or of order 1e-9.
        nashpy (``vertex``, ``lemke_howson``) and the ``zero_sum`` LP are run on the
        payoffs divided by s.
        The equilibria's ``tol`` attribute holds the absolute value used. ``logit`` and
        ``support_newton`` certify each player separately: player i's regret is at most
        tol x s_i, s_i the largest absolute value of player i's payoffs.
    options : dict, optional
        Method options (``lemke_howson``: ``labels``).

    Returns
    -------
    NashResult
        A list of :class:`Equilibrium` with ``method``, ``status``, ``message``,
        ``complete``, ``finite`` and ``verify()``. Answers from nashpy that fail the regret
        check are dropped and reported in ``message`` (status ``"uncertified"``).

    Raises
    ------
    ValueError
        Unknown method, a two-player method on an N-player game, ``zero_sum`` on a game
        that is not constant-sum, ``vertex``/``lemke_howson`` on a game where a player has
        one action, bad options or tolerance.
    SolverError
        nashpy raised on the game (``vertex``, ``lemke_howson``).
    TypeError
        ``game`` is not a NormalFormGame.

    Examples
    --------
    >>> import paxgame as pg
    >>> g = pg.load("games/classic/chicken.toml")
    >>> res = pg.nash(g)
    >>> len(res), res.complete, res.finite
    (3, True, True)
    >>> [np.round(eq.strategies[0], 3).tolist() for eq in res]
    [[1.0, 0.0], [0.0, 1.0], [0.667, 0.333]]
    >>> res.verify().ok
    True
    """
    game = _check_game("nash", game)
    solver, two_players, defaults = check_method("nash", method, METHODS)
    key = method.lower()
    tol = check_tolerance("nash", tol)
    if two_players:
        _check_two_players(key, game)
    opts = _check_options(key, options, defaults)
    return solver(game, tol * _scale(game), opts)


def _scale(game: NormalFormGame) -> float:
    """The payoff scale that relative tolerances multiply: the largest absolute payoff, or 1
    for the all-zero game (scale-invariant, unlike max(1, ...))."""
    top = float(np.abs(np.asarray(game.payoffs, dtype=float)).max())
    return top if top > 0 else 1.0


def _pure_profiles(game: NormalFormGame, tol: float) -> np.ndarray:
    mask = _kpure.pure_nash(game.payoffs[None], tol=tol)[0]
    return np.argwhere(mask)


def pure_nash(game, *, tol: float = 1e-9) -> np.ndarray:
    """Pure-strategy Nash equilibria of an N-player game as action indices.

    Parameters
    ----------
    game : NormalFormGame
    tol : float
        A profile is an equilibrium when no player gains more than tol x s by deviating,
        where s is the largest absolute payoff (1 for the all-zero game).

    Returns
    -------
    ndarray of int, shape (k, N)
        One row per equilibrium, in lexicographic order.

    Examples
    --------
    >>> import paxgame as pg
    >>> pg.pure_nash(pg.load("games/classic/prisoners_dilemma.toml"))
    array([[1, 1]])
    """
    game = _check_game("pure_nash", game)
    tol = check_tolerance("pure_nash", tol)
    return _pure_profiles(game, tol * _scale(game))

"""Nash equilibria of normal-form games: pure, support enumeration, vertex, Lemke-Howson, LP."""

from __future__ import annotations

import numpy as np

from .._validation import check_method, check_options, check_tolerance
from ..errors import SolverError
from ..games.normal_form import NormalFormGame
from ..kernels import pure_nash as _kpure
from ..kernels import lemke_howson as _klh
from ..kernels import support_enumeration as _ksupport
from ..kernels import vertex_enumeration as _kvertex
from ..kernels.lp import solve_lp
from ..kernels.payoffs import payoff_scale
from ._results import Equilibrium, NashResult
from .checks import regret_float
from .nplayer import LOGIT_OPTIONS, SUPPORT_NEWTON_OPTIONS, nash_logit, nash_support_newton

__all__ = ["nash", "pure_nash", "is_degenerate"]


def check_game(func: str, game) -> NormalFormGame:
    if not isinstance(game, NormalFormGame):
        raise TypeError(f"{func}: game must be a NormalFormGame, got {type(game).__name__}")
    return game


def _check_two_players(method: str, game: NormalFormGame) -> None:
    if game.n_players != 2:
        raise ValueError(f"nash: method '{method}' handles two-player games; this game has "
                         f"{game.n_players} players (use method='pure', 'logit' or "
                         f"'support_newton')")


def _check_options(method: str, options, allowed: dict) -> dict:
    return check_options("nash", options, allowed, context=f" for method '{method}'")


def _scales(game: NormalFormGame) -> np.ndarray:
    """Each player's payoff scale (the one definition: kernels.payoffs.payoff_scale)."""
    return payoff_scale(game.payoffs, game.n_players)


def _normalized(game: NormalFormGame) -> np.ndarray:
    """Each player's payoffs mapped to [0, 1] by (u_i - min u_i) / scale_i: the same
    equilibria, and the kernels' tolerances act on payoffs of order one for every player."""
    u = np.asarray(game.payoffs, dtype=float)
    N = game.n_players
    scales = _scales(game).reshape((N,) + (1,) * N)
    low = u.reshape(N, -1).min(axis=1).reshape((N,) + (1,) * N)
    return u / scales - low / scales


def _positive(tol: float) -> float:
    """Probabilities above this count as played (round-off floor for tol=0)."""
    return max(tol, 1e-12)


def _equilibrium(game: NormalFormGame, strategies, tol: float) -> Equilibrium:
    strategies = tuple(np.asarray(s, dtype=float) for s in strategies)
    regret, pay = regret_float(game.payoffs, strategies)
    support = tuple(np.flatnonzero(s > _positive(tol)) for s in strategies)
    return Equilibrium(strategies=strategies, payoffs=pay, regret=regret, support=support,
                       tol=tol, game=game)


def _polish(game: NormalFormGame, x: np.ndarray, y: np.ndarray, tol: float):
    """Re-solve the indifference systems on the supports (least squares) to remove round-off
    from an iterative method; returns the better of the polished and the original pair."""
    A, B = _normalized(game)
    x = np.clip(x, 0, None)
    y = np.clip(y, 0, None)
    x, y = x / x.sum(), y / y.sum()
    best = (x, y)
    best_regret = regret_float(np.stack([A, B]), [x, y])[0]
    if best_regret <= tol / 10:
        return best
    I = np.flatnonzero(x > 1e-9)
    J = np.flatnonzero(y > 1e-9)
    vy, vx = A @ y, x @ B
    K = np.flatnonzero(vy >= vy.max() - 1e-7)
    L = np.flatnonzero(vx >= vx.max() - 1e-7)
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
    if np.all(sy >= 0) and np.all(sx >= 0) and sx.sum() > 0 and sy.sum() > 0:
        x2 = np.zeros_like(x)
        y2 = np.zeros_like(y)
        x2[I] = sx / sx.sum()
        y2[J] = sy / sy.sum()
        r2 = regret_float(np.stack([A, B]), [x2, y2])[0]
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
    atol = max(tol, 1e-7)  # probabilities: tol is relative
    for eq in equilibria:
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
        if eq.verify().ok:
            kept.append(eq)
        else:
            dropped += 1
    kept = _order(_dedupe(kept, tol))
    status, message = "optimal", f"{len(kept)} equilibria from {source}"
    if dropped:
        status = "uncertified"
        message += (f"; {dropped} answer(s) returned by {source} failed the regret check "
                    f"(relative regret > {tol:g}) and were dropped")
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
    A, B = _normalized(game)
    _check_support_size(game)
    # half the tolerance for ties inside the kernel, so that the regret of every answer,
    # recomputed in floating point, stays below tol even for ties right at the tolerance
    res = _ksupport.support_enumeration(A[None], B[None], tol=tol / 2)
    eqs = [_equilibrium(game, (x, y), tol) for x, y in zip(res.x, res.y)]
    bad = [eq for eq in eqs if not eq.verify().ok]
    if bad and tol > 0:  # the kernel certifies its candidates, so this is a defect
        raise SolverError(f"nash: support enumeration produced an equilibrium with relative "
                          f"regret {bad[0].relative_regret:.3g} > tol {tol:g}; please "
                          f"report this game")
    eqs = _order([eq for eq in eqs if eq.verify().ok])
    finite = bool(res.finite[0])
    if finite:
        message = f"all {len(eqs)} equilibria (the equilibrium set is finite)"
    else:
        message = (f"the equilibrium set is infinite (degenerate game): returned are all "
                   f"{len(eqs)} extreme equilibria; every equilibrium is a convex combination "
                   f"of extreme ones in a common Nash component")
    status = "optimal" if eqs else "empty"
    if bad:
        status = "uncertified"
        message += (f"; {len(bad)} candidate(s) failed the exact check (tol=0) and were "
                    f"dropped")
    return NashResult(eqs, method="support", status=status, message=message,
                      complete=not bad, finite=finite, game=game, tol=tol)


#: Support enumeration solves about sum_k C(m, k) C(n, k) square systems: refuse above this
#: many (a 14x14 game has C(28, 14) = 4.0e7) and name the methods that scale.
SUPPORT_LIMIT = 2 * 10 ** 7


def _check_support_size(game: NormalFormGame) -> None:
    m, n = game.num_actions
    work = _ksupport.support_work(m, n)
    if work > SUPPORT_LIMIT:
        raise ValueError(f"nash: method 'support' on a {m}x{n} game would solve about "
                         f"{work:.2g} linear systems (limit {SUPPORT_LIMIT:.0e}); use "
                         f"method='vertex' (every extreme equilibrium, by the vertices of the "
                         f"best-response polytopes) or method='lemke_howson' (some "
                         f"equilibria, polynomial per pivot)")


def _degenerate(game: NormalFormGame, tol: float) -> bool:
    A, B = _normalized(game)
    return bool(_ksupport.is_degenerate(A[None], B[None], tol=tol / 2)[0])


def _none_found(eqs, status, message, source):
    """Every finite game has an equilibrium: an empty answer is never 'optimal'."""
    if not eqs and status == "optimal":
        return "uncertified", (f"{source} returned no equilibrium, but every finite game has "
                               f"one (use method='support')")
    return status, message


def _nash_vertex(game: NormalFormGame, tol: float, options: dict) -> NashResult:
    A, B = _normalized(game)
    res = _kvertex.vertex_enumeration(A[None], B[None], tol=tol / 2)
    eqs, status, message = _certified(game, zip(res.x, res.y), tol, "vertex",
                                      "vertex enumeration")
    status, message = _none_found(eqs, status, message, "vertex enumeration")
    finite = bool(res.finite[0])
    message += ("; the equilibrium set is finite" if finite else
                "; the equilibrium set is infinite (degenerate game): listed are all extreme "
                "equilibria, every equilibrium is a convex combination of listed ones in a "
                "common Nash component")
    return NashResult(eqs, method="vertex", status=status, message=message,
                      complete=status == "optimal", finite=finite, game=game, tol=tol)


def _lh_labels(labels, m: int, n: int) -> np.ndarray:
    if labels is None:
        return np.arange(m + n)
    if isinstance(labels, (int, np.integer)) and not isinstance(labels, (bool, np.bool_)):
        labels = [labels]
    if isinstance(labels, (str, bytes)) or not hasattr(labels, "__iter__"):
        raise TypeError(f"nash: options['labels'] must be an integer or a sequence of "
                        f"integers in 0..{m + n - 1}, got {type(labels).__name__}")
    out = []
    for label in labels:
        if isinstance(label, (bool, np.bool_)) or not isinstance(label, (int, np.integer)) or (
                not 0 <= label < m + n):
            raise ValueError(f"nash: options['labels'] must hold integers in "
                             f"0..{m + n - 1}, got {label!r}")
        out.append(int(label))
    if not out:
        raise ValueError("nash: options['labels'] is empty; give at least one label in "
                         f"0..{m + n - 1}")
    return np.array(sorted(set(out)))


def _nash_lemke_howson(game: NormalFormGame, tol: float, options: dict) -> NashResult:
    m, n = game.num_actions
    labels = _lh_labels(options["labels"], m, n)
    max_iter = options["max_iter"]
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or (
            max_iter < 1):
        raise ValueError(f"nash: options['max_iter'] must be a positive integer, "
                         f"got {max_iter!r}")
    A, B = _normalized(game)
    G = labels.size
    res = _klh.lemke_howson(np.broadcast_to(A, (G, m, n)), np.broadcast_to(B, (G, m, n)),
                            labels, max_iter=int(max_iter))
    done = res.converged
    eqs, status, message = _certified(game, zip(res.x[done], res.y[done]), tol,
                                      "lemke_howson", "Lemke-Howson")
    capped = [int(k) for k in labels[~done]]
    if capped:
        status = "max_iter_reached"
        message += (f"; the path from label(s) {capped} reached the pivot cap "
                    f"max_iter={int(max_iter)} before ending")
    else:
        status, message = _none_found(eqs, status, message, "Lemke-Howson")
    message += (f"; labels {labels.tolist()}, pivots {res.pivots.tolist()}; Lemke-Howson "
                f"from every starting label need not find every equilibrium")
    return NashResult(eqs, method="lemke_howson", status=status, message=message,
                      complete=False, finite=None, game=game, tol=tol)


def _nash_zero_sum(game: NormalFormGame, tol: float, options: dict) -> NashResult:
    A = np.asarray(game.payoffs[0])
    total = A + np.asarray(game.payoffs[1])
    scale = float(_scales(game)[0])
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
    "lemke_howson": (_nash_lemke_howson, True, {"labels": None, "max_iter": 10_000}),
    "zero_sum": (_nash_zero_sum, True, {}),
    "logit": (nash_logit, False, LOGIT_OPTIONS),
    "support_newton": (nash_support_newton, False, SUPPORT_NEWTON_OPTIONS),
}


def nash(game, method: str = "support", *, tol: float = 1e-9, options=None,
         **method_options) -> NashResult:
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
        - ``"vertex"`` (two players): every extreme equilibrium by vertex enumeration of
          the best-response polytopes (Mangasarian 1964; von Stengel 2007, section 3.5;
          Avis et al. 2010), degenerate games included; see
          :mod:`paxgame.kernels.vertex_enumeration`. Scales to larger games than
          ``"support"`` (the work follows the number of vertices, not of supports).
        - ``"lemke_howson"`` (two players): the Lemke-Howson path (Lemke & Howson 1964;
          von Stengel 2007, section 3.6) from every starting label (option ``labels``: one
          label or a sequence of them), with lexicographic pivoting (no cycling on
          degenerate games) and a pivot cap per path (option ``max_iter``, default 10,000;
          a path that reaches it gives status ``"max_iter_reached"``); see
          :mod:`paxgame.kernels.lemke_howson`. Deduplicated; not every equilibrium need be
          reachable.
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
        Relative regret tolerance, per player: every returned equilibrium leaves each
        player i a regret of at most tol x s_i, where s_i is player i's own payoff scale
        (the range of its payoffs, :func:`paxgame.kernels.payoffs.payoff_scale`). So
        multiplying one player's payoffs by k > 0 or adding a constant to them gives the
        same equilibria, and a player whose payoffs are in the billions cannot hide the
        regret of one whose payoffs are of order one. ``tol=0`` asks for exact
        certification: ties are decided up to floating-point round-off only, and every
        equilibrium must pass ``verify(exact=True)``. ``logit`` and ``support_newton``
        certify each player against its largest absolute payoff.
    options : dict, optional
        Method options (``lemke_howson``: ``labels``, ``max_iter``).
    **method_options
        The same options as keyword arguments, e.g.
        ``nash(g, "lemke_howson", labels=3)``; an option given both ways is an error.

    Returns
    -------
    NashResult
        A list of :class:`Equilibrium` with ``method``, ``status``, ``message``,
        ``complete``, ``finite`` and ``verify()``. Candidates that fail the regret check
        are dropped and reported in ``message`` (status ``"uncertified"``).
        Fields: ``method``, ``complete``, ``finite``, ``tol``, ``status``, ``message`` (see
        :class:`~paxgame.NashResult`; ``to_dict()`` gives them as JSON data).

    Raises
    ------
    ValueError
        Unknown method, a two-player method on an N-player game, ``zero_sum`` on a game
        that is not constant-sum, ``support`` on a game too large for it (the message
        names the limit and the methods that scale), bad options or tolerance.
    TypeError
        ``game`` is not a NormalFormGame, or ``labels`` is not an integer or a sequence.

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
    game = check_game("nash", game)
    solver, two_players, defaults = check_method("nash", method, METHODS)
    key = method.lower()
    tol = check_tolerance("nash", tol, zero_ok=True)
    if two_players:
        _check_two_players(key, game)
    if method_options:
        if options is not None and not isinstance(options, dict):
            raise TypeError(f"nash: options must be a dict, got {type(options).__name__}")
        both = sorted(set(method_options) & set(options or {}))
        if both:
            raise ValueError(f"nash: option {both[0]!r} is given both in options and as a "
                             f"keyword argument")
        options = {**(options or {}), **method_options}
    opts = _check_options(key, options, defaults)
    return solver(game, tol, opts)


def _pure_profiles(game: NormalFormGame, tol: float) -> np.ndarray:
    mask = _kpure.pure_nash(game.payoffs[None], tol=tol)[0]
    return np.argwhere(mask)


def pure_nash(game, *, tol: float = 1e-9) -> np.ndarray:
    """Pure-strategy Nash equilibria of an N-player game as action indices.

    Parameters
    ----------
    game : NormalFormGame
    tol : float
        A profile is an equilibrium when no player i gains more than tol x s_i by
        deviating, where s_i is player i's own payoff scale (the range of its payoffs,
        :func:`paxgame.kernels.payoffs.payoff_scale`). ``tol=0`` compares payoffs exactly.

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
    game = check_game("pure_nash", game)
    tol = check_tolerance("pure_nash", tol, zero_ok=True)
    return _pure_profiles(game, tol)


def is_degenerate(game, *, tol: float = 1e-9) -> bool:
    """Whether a two-player game is degenerate.

    A bimatrix game is degenerate when some mixed strategy with k actions in its support
    has more than k pure best responses (von Stengel 2007, "Equilibrium computation for
    two-player games in strategic and extensive form", definition 3.2). A nondegenerate
    game has finitely many equilibria, an odd number of them, each with supports of equal
    size, and Lemke–Howson follows a unique path from each starting label; a degenerate one
    may have continua of equilibria. The test enumerates the vertices of both best-response
    polytopes (the kernel of ``nash(method="support")``).

    Parameters
    ----------
    game : NormalFormGame
        A two-player game.
    tol : float
        Payoffs within tol x the game's payoff scale count as equal (a tie of best
        responses).

    Returns
    -------
    bool

    Examples
    --------
    >>> import paxgame as pg
    >>> pg.is_degenerate(pg.load("games/classic/prisoners_dilemma.toml"))
    False
    >>> pg.is_degenerate(pg.NormalFormGame([[[1, 1], [0, 0]], [[1, 1], [0, 0]]]))
    True
    """
    game = check_game("is_degenerate", game)
    tol = check_tolerance("is_degenerate", tol, zero_ok=True)
    if game.n_players != 2:
        raise ValueError(f"is_degenerate: the test is defined for two-player games; this "
                         f"game has {game.n_players} players")
    A, B = (np.asarray(u, dtype=float) for u in game.payoffs)
    return bool(_ksupport.is_degenerate(A[None], B[None], tol=tol)[0])

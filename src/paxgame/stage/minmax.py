"""Minmax (punishment) values of normal-form games."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .._validation import check_tolerance
from ..kernels.lp import solve_lp
from ..kernels.payoffs import payoff_scale
from .nash import check_game
from ._results import MinmaxResult

__all__ = ["minmax"]


def _player_index(func: str, game, player) -> int:
    if isinstance(player, str):
        if player not in game.players:
            raise ValueError(f"{func}: player {player!r} is not one of {list(game.players)}")
        return game.players.index(player)
    if isinstance(player, bool) or not isinstance(player, (int, np.integer)):
        raise TypeError(f"{func}: player must be an index or a name, "
                        f"got {type(player).__name__}")
    if not 0 <= player < game.n_players:
        raise ValueError(f"{func}: player index {player} is out of range "
                         f"0..{game.n_players - 1}")
    return int(player)


def minmax(game, player, mixed: bool = True, *, tol: float = 1e-9) -> MinmaxResult:
    """The minmax value of ``player``: the lowest payoff the others can hold it to.

    ``v_i = min over the others' strategies of max over a_i of u_i(a_i, s_-i)``.

    - ``mixed=False`` (any number of players): the others use pure actions; brute force
      over their profiles (vectorised).
    - ``mixed=True`` (two players): the opponent mixes; by the minimax theorem (von
      Neumann 1928) v_i is the value of the zero-sum game with matrix u_i, found by one LP
      (HiGHS through :func:`paxgame.kernels.lp.solve_lp`). The result also carries the
      player's maximin strategy ``guarantee``, the certificate that no punishment does
      better.

    With three or more players and ``mixed=True`` this raises ValueError: when the
    punishers mix independently the problem is not an LP (it is non-convex: the product of
    the punishers' mixtures), and a correlated punishment would answer a different
    question. Use ``mixed=False`` for the pure minmax, an upper bound on the mixed one.

    Parameters
    ----------
    game : NormalFormGame
    player : int or str
    mixed : bool
    tol : float
        Relative tolerance of the certificate: checks compare with tol x s, s the player's
        own payoff scale (the range of its payoffs,
        :func:`paxgame.kernels.payoffs.payoff_scale`); the result's ``tol`` holds tol. The
        LPs are solved on the player's payoffs mapped to [0, 1], so the answer does not
        depend on the payoffs' units. ``tol=0`` is accepted: the certificate is then
        checked in exact arithmetic (``verify(exact=True)``).

    Returns
    -------
    MinmaxResult
        Fields: ``player``, ``value``, ``punishment``, ``best_response``, ``guarantee``,
        ``mixed``, ``tol``, ``status``, ``message`` (see :class:`~paxgame.MinmaxResult`;
        ``to_dict()`` gives them as JSON data).

    Examples
    --------
    >>> import paxgame as pg
    >>> g = pg.load("games/classic/matching_pennies.toml")
    >>> pg.minmax(g, 0).value
    0.0
    >>> pg.minmax(g, 0, mixed=False).value
    1.0
    """
    func = "minmax"
    game = check_game(func, game)
    i = _player_index(func, game, player)
    if not isinstance(mixed, (bool, np.bool_)):
        raise TypeError(f"{func}: mixed must be True or False, got {type(mixed).__name__}")
    tol = check_tolerance(func, tol, zero_ok=True)
    payoffs = np.asarray(game.payoffs, dtype=float)
    # the player's own payoff scale (its payoffs' range): checks are relative to it
    scale = float(payoff_scale(payoffs[i], game.n_players))
    u = np.moveaxis(payoffs[i], i, 0)                        # (m_i, others...)
    others = [j for j in range(game.n_players) if j != i]
    if not mixed:
        best = u.max(axis=0)                                 # best response value per profile
        flat = int(np.argmin(best))                          # first minimiser, C order
        prof = np.unravel_index(flat, best.shape)
        punishment = tuple(np.eye(game.num_actions[j])[a] for j, a in zip(others, prof))
        reply = int(np.argmax(u[(slice(None),) + tuple(prof)]))
        return MinmaxResult(player=i, value=float(best[prof]), punishment=punishment,
                            best_response=reply, guarantee=None, mixed=False, tol=tol,
                            game=game, message="pure minmax (others play pure actions)")
    if game.n_players != 2:
        raise ValueError(f"{func}: the mixed minmax is computed for two players only (with "
                         f"{game.n_players} players the punishers' independent mixing makes "
                         f"it non-convex); use mixed=False for the pure minmax")
    M = u                                                    # (m_i, m_j)
    # the LPs see payoffs in [0, 1] (HiGHS's tolerances are absolute)
    Ms = (M - M.min()) / scale
    m, n = M.shape
    # punisher: min w s.t. M q <= w 1, q in simplex
    c = np.zeros(n + 1)
    c[-1] = 1.0
    pun = solve_lp(c, A_ub=np.hstack([Ms, -np.ones((m, 1))]), b_ub=np.zeros(m),
                   A_eq=np.hstack([np.ones((1, n)), np.zeros((1, 1))]), b_eq=[1.0],
                   bounds=[(0, None)] * n + [(None, None)])
    # player: max v s.t. p'M >= v 1, p in simplex (the guarantee)
    c = np.zeros(m + 1)
    c[-1] = -1.0
    gua = solve_lp(c, A_ub=np.hstack([-Ms.T, np.ones((n, 1))]), b_ub=np.zeros(n),
                   A_eq=np.hstack([np.ones((1, m)), np.zeros((1, 1))]), b_eq=[1.0],
                   bounds=[(0, None)] * m + [(None, None)])
    if not (pun.success and gua.success):
        bad = pun if not pun.success else gua
        return MinmaxResult(player=i, value=None, punishment=None, best_response=None,
                            mixed=True, tol=tol, game=game, status=bad.status,
                            message=f"LP: {bad.message}")
    q = np.clip(pun.x[:n], 0, None)
    q /= q.sum()
    p = np.clip(gua.x[:m], 0, None)
    p /= p.sum()
    replies = M @ q
    value = float(replies.max())
    gap = value - float((p @ M).min())
    status, message = "optimal", "mixed minmax by LP (HiGHS)"
    if gap > max(tol, 1e-9) * scale:
        status = "inaccurate"
        message += f"; punishment and guarantee differ by {gap:.3g}"
    res = MinmaxResult(player=i, value=value, punishment=(q,),
                       best_response=int(np.argmax(replies)), guarantee=p, mixed=True,
                       tol=tol, game=game, status=status, message=message)
    if status == "optimal" and not res.verify().ok:   # never optimal unless certified
        res = replace(res, status="uncertified",
                      message=message + "; the certificate failed: "
                      + ", ".join(res.verify().failures()))
    return res

"""Builders of classic TU games and of the capability-pooling game of the theory page "Cooperative (TU) coalition games"."""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_method, check_nonnegative
from .tu import MAX_PLAYERS, TUGame
from ..kernels import tu as _ktu
from ..kernels.tu import coalition_sums

__all__ = ["weighted_voting", "bankruptcy", "glove_game", "airport_game", "capability_pool"]


def _count(func: str, n: int) -> None:
    if n < 1:
        raise ValueError(f"{func}: needs at least one player")
    if n > MAX_PLAYERS:
        raise ValueError(f"{func}: at most {MAX_PLAYERS} players are supported, got {n}")


def _total(func: str, name: str, arr: np.ndarray) -> None:
    """Refuse inputs whose coalition sums would overflow float64 (before summing them)."""
    with np.errstate(over="ignore"):
        total = np.abs(arr).sum()
    if not np.isfinite(total):
        raise ValueError(f"{func}: the {name} sum to more than the float64 range "
                         f"(about 1.8e308); divide them by a common factor")


def _build(func: str, values, players, name: str) -> TUGame:
    """The builder's TUGame; TUGame's own errors (e.g. about ``players``) carry the
    builder's name, the public function the user called."""
    try:
        return TUGame(values, players, name=name)
    except (TypeError, ValueError) as err:
        msg = str(err)
        if msg.startswith("TUGame: "):
            raise type(err)(f"{func}: {msg[len('TUGame: '):]}") from err
        raise


def weighted_voting(weights, quota, players=None, *, _func: str = "weighted_voting") -> TUGame:
    """The weighted voting game [quota; w_1, ..., w_n]: v(S) = 1 if w(S) >= quota, else 0.

    Parameters
    ----------
    weights : array_like (n,)
        Non-negative voting weights.
    quota : float
        A positive quota, at most the total weight.
    players : sequence of str, optional

    Examples
    --------
    >>> import paxgame as pg
    >>> tu = pg.weighted_voting([3, 2, 1], 4)
    >>> tu.values.tolist()
    [0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0]
    """
    w = check_nonnegative(_func, "weights", as_float_array(_func, "weights", weights, ndim=1))
    _count(_func, w.shape[0])
    _total(_func, "weights", w)
    q = as_float_array(_func, "quota", quota, ndim=0)
    total = float(w.sum())
    if not 0.0 < float(q) <= total:
        raise ValueError(f"{_func}: quota must lie in (0, total weight {total:g}], "
                         f"got {float(q):g}")
    sums = coalition_sums(w)
    # a coalition wins when w(S) >= quota up to the rounding of the sum (relative to the
    # total weight); a coalition of weight exactly 0 never wins since the quota is positive
    # (with a quota below the rounding allowance, the empty coalition would otherwise win)
    values = ((sums >= float(q) - 1e-12 * total) & (sums > 0)).astype(np.float64)
    return _build(_func, values, players, name=f"weighted voting [{float(q):g}; "
                                        f"{', '.join(f'{x:g}' for x in w)}]")


def bankruptcy(estate, claims, players=None) -> TUGame:
    """The bankruptcy game of O'Neill (1982): v(S) = max(0, E - sum of the claims outside S).

    Its nucleolus is the Talmud rule (Aumann & Maschler 1985).

    Parameters
    ----------
    estate : float
        E >= 0, at most the total claim.
    claims : array_like (n,)
        Non-negative claims.

    Examples
    --------
    >>> import paxgame as pg
    >>> pg.bankruptcy(200, [100, 200, 300]).values.tolist()
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 100.0, 200.0]
    """
    func = "bankruptcy"
    c = check_nonnegative(func, "claims", as_float_array(func, "claims", claims, ndim=1))
    _count(func, c.shape[0])
    _total(func, "claims", c)
    e = check_nonnegative(func, "estate", float(as_float_array(func, "estate", estate, ndim=0)))
    if e > c.sum() * (1 + 1e-12):
        raise ValueError(f"bankruptcy: estate {e:g} exceeds the total claim {c.sum():g}")
    sums = coalition_sums(c)
    outside = c.sum() - sums
    values = np.maximum(0.0, e - outside)
    values[0] = 0.0
    return _build(func, values, players, name=f"bankruptcy (estate {e:g})")


def _holdings(func: str, name: str, value) -> np.ndarray:
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        if value < 0:
            raise ValueError(f"{func}: {name} must be non-negative, got {value}")
        if value > MAX_PLAYERS:
            raise ValueError(f"{func}: at most {MAX_PLAYERS} players are supported, "
                             f"got {name} = {value}")
        return np.ones(int(value))
    return check_nonnegative(func, name, as_float_array(func, name, value, ndim=1))


def glove_game(left, right, players=None) -> TUGame:
    """The glove game: v(S) = min(left gloves in S, right gloves in S) (Shapley & Shubik 1969).

    Parameters
    ----------
    left, right : int or array_like
        The number of left-glove (right-glove) holders, each with one glove, or the number of
        gloves each holder owns.  Left holders come first in the player order.

    Examples
    --------
    >>> import paxgame as pg
    >>> tu = pg.glove_game(1, 2)
    >>> tu.players
    ('L1', 'R1', 'R2')
    >>> float(tu.values[-1])
    1.0
    """
    func = "glove_game"
    lft = _holdings(func, "left", left)
    rgt = _holdings(func, "right", right)
    n = lft.shape[0] + rgt.shape[0]
    _count(func, n)
    _total(func, "left gloves", lft)
    _total(func, "right gloves", rgt)
    if players is None:
        players = [f"L{i + 1}" for i in range(lft.shape[0])] + \
                  [f"R{i + 1}" for i in range(rgt.shape[0])]
    ls = coalition_sums(np.concatenate([lft, np.zeros(rgt.shape[0])]))
    rs = coalition_sums(np.concatenate([np.zeros(lft.shape[0]), rgt]))
    return _build(func, np.minimum(ls, rs), players, name="glove game")


def airport_game(costs, players=None, *, savings: bool = False) -> TUGame:
    """The airport game (Littlechild & Owen 1973): c(S) = max of the costs c_i of the members
    of S (the runway the most demanding member needs).

    The returned game is the cost game c (its Shapley value is the sequential equal-share
    rule: each segment's cost is split equally among the players who need it); with
    ``savings=True`` it is the savings game v(S) = sum_{i in S} c_i - c(S), the value game
    whose core and nucleolus describe stable cost sharing (cost share = c_i - x_i).

    Examples
    --------
    >>> import paxgame as pg
    >>> pg.shapley(pg.airport_game([1, 3, 6])).value.round(4).tolist()
    [0.3333, 1.3333, 4.3333]
    """
    func = "airport_game"
    c = check_nonnegative(func, "costs", as_float_array(func, "costs", costs, ndim=1))
    n = c.shape[0]
    _count(func, n)
    if savings:
        _total(func, "costs", c)
    values = np.zeros(1 << n)
    for i in range(n):
        lo = 1 << i
        values[lo:2 * lo] = np.maximum(values[:lo], c[i])
    if savings:
        values = coalition_sums(c) - values
        values[0] = 0.0
    return _build(func, values, players,
                  name="airport savings game" if savings else "airport game")


def capability_pool(capabilities, production: str = "leontief", *, requirements=None,
                    shares=None, rho: float = -1.0, returns: float = 1.0, scale: float = 1.0,
                    players=None) -> TUGame:
    """Capability pooling: v(S) = F(sum_{i in S} k_i) over input vectors k_i (theory page "Cooperative (TU) coalition games").

    Parameters
    ----------
    capabilities : array_like (n, m)
        k_i: player i's holdings of m inputs (non-negative).
    production : {"leontief", "ces"}
        ``"leontief"``: F(K) = scale * (min_j K_j / a_j) ** returns, every input essential.
        ``"ces"``: F(K) = scale * (sum_j s_j K_j ** rho) ** (returns / rho), rho < 1,
        rho != 0; with rho < 0 every input is essential (F = 0 when some K_j = 0), with
        0 < rho < 1 inputs substitute for one another.
    requirements : array_like (m,), optional
        Leontief input requirements a_j > 0 per unit of output (default ones).
    shares : array_like (m,), optional
        CES share weights s_j > 0 (default 1/m each).
    rho : float
        CES substitution parameter.
    returns : float
        Returns to scale (homogeneity degree of F), > 0: below 1 small coalitions are
        relatively productive and the core may be empty.
    scale : float
        Output scale (> 0).

    Notes
    -----
    A member holding a unique essential input (no one else holds any of it) is a veto player:
    every coalition without it has K_j = 0 for that input and is worth 0.

    Examples
    --------
    An anchor holding all the compute, two partners holding data:

    >>> import paxgame as pg
    >>> tu = pg.capability_pool([[1, 0], [0, 1], [0, 1]], players=["anchor", "p1", "p2"])
    >>> tu.veto_players()
    ('anchor',)
    """
    func = "capability_pool"
    k = as_float_array(func, "capabilities", capabilities, ndim=2)
    check_nonnegative(func, "capabilities", k)
    n, m = k.shape
    _count(func, n)
    _total(func, "capabilities", k)
    if m < 1:
        raise ValueError(f"{func}: capabilities must list at least one input")
    need = m * (1 << n) * 8
    if need > _ktu.MAX_OUTPUT_BYTES:
        raise ValueError(f"{func}: pooling {m} inputs over 2**{n} coalitions needs "
                         f"{need / 2 ** 30:.3g} GiB, more than the limit of "
                         f"{_ktu.MAX_OUTPUT_BYTES / 2 ** 30:.3g} GiB "
                         f"(paxgame.kernels.tu.MAX_OUTPUT_BYTES)")
    kind = check_method(func, production, ("leontief", "ces"))
    returns = float(as_float_array(func, "returns", returns, ndim=0))
    scale = float(as_float_array(func, "scale", scale, ndim=0))
    if returns <= 0:
        raise ValueError(f"{func}: returns must be positive, got {returns:g}")
    if scale <= 0:
        raise ValueError(f"{func}: scale must be positive, got {scale:g}")
    pooled = coalition_sums(k.T)  # (m, 2**n): K_j(S)
    if kind == "leontief":
        if shares is not None:
            raise ValueError(f"{func}: shares applies to production='ces' only")
        a = np.ones(m) if requirements is None else as_float_array(
            func, "requirements", requirements, shape=(m,))
        if np.any(a <= 0):
            raise ValueError(f"{func}: requirements must be positive, got {a.tolist()}")
        output = (pooled / a[:, None]).min(axis=0)
    else:
        if requirements is not None:
            raise ValueError(f"{func}: requirements applies to production='leontief' only")
        rho = float(as_float_array(func, "rho", rho, ndim=0))
        if not rho < 1 or rho == 0:
            raise ValueError(f"{func}: rho must be below 1 and non-zero, got {rho:g}")
        s = np.full(m, 1.0 / m) if shares is None else as_float_array(
            func, "shares", shares, shape=(m,))
        if np.any(s <= 0):
            raise ValueError(f"{func}: shares must be positive, got {s.tolist()}")
        with np.errstate(divide="ignore"):
            if rho < 0:
                zero = (pooled <= 0).any(axis=0)
                safe = np.where(pooled > 0, pooled, 1.0)
                inner = (s[:, None] * safe ** rho).sum(axis=0)
                output = np.where(zero, 0.0, inner ** (1.0 / rho))
            else:
                output = (s[:, None] * pooled ** rho).sum(axis=0) ** (1.0 / rho)
    values = scale * output ** returns
    values[0] = 0.0
    return _build(func, values, players, name=f"capability pool ({kind})")

"""Values of TU games: Shapley (exact and sampled), Banzhaf, and voting power indices."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from math import factorial

import numpy as np

from .._results import Certificate, SolverResult
from .._validation import check_method
from ..games.tu import TUGame
from ..kernels import tu as _ktu
from ._common import (check_game, check_random_state, exact_values, member_rows,
                      resolve_tol)

__all__ = ["ShapleyResult", "BanzhafResult", "PowerIndexResult", "shapley", "banzhaf",
           "shapley_shubik_index", "banzhaf_index"]

#: Largest game whose verify() recomputes the value by the direct marginal formula.
_DIRECT_MAX = 16


def _direct(values: np.ndarray, n: int, weights) -> np.ndarray:
    """sum over S without i of weights[#S] (v(S + i) - v(S)), player by player, from
    indicator rows (independent of the kernels' folding tree)."""
    out = np.zeros(n)
    masks = np.arange(values.shape[0], dtype=np.int64)
    sizes = member_rows(masks, n).sum(axis=1).astype(int)
    for i in range(n):
        without = masks[(masks >> i) & 1 == 0]
        out[i] = np.sum(weights[sizes[without]] * (values[without | (1 << i)] - values[without]))
    return out


def _direct_exact(fv: list[Fraction], n: int, weights: list[Fraction]) -> list[Fraction]:
    out = [Fraction(0)] * n
    for S in range(1 << n):
        s = bin(S).count("1")
        for i in range(n):
            if not (S >> i) & 1:
                out[i] += weights[s] * (fv[S | (1 << i)] - fv[S])
    return out


@dataclass(frozen=True, kw_only=True)
class ShapleyResult(SolverResult):
    """The Shapley value of a TU game.

    Attributes
    ----------
    value : ndarray (n,)
        phi_i for each player.
    players : tuple of str
    method : str
        ``"exact"`` or ``"sample"``.
    standard_error : ndarray (n,) or None
        Per-player standard error of the sampled estimate (None when exact).
    n_samples : int
        Permutations sampled (0 when exact).
    efficiency_gap : float
        abs(sum phi - v(N)).
    """

    value: np.ndarray
    players: tuple[str, ...]
    method: str
    standard_error: np.ndarray | None = None
    n_samples: int = 0
    efficiency_gap: float = 0.0
    game: TUGame = field(repr=False)

    def as_dict(self) -> dict[str, float]:
        """Player name -> value."""
        return dict(zip(self.players, map(float, self.value)))

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-check efficiency and (exact method, n <= 16) recompute every phi_i from the
        marginal-contribution formula.  ``exact=True`` (n <= 14) computes the value in
        Fractions from the worths read as decimals and compares it with the float answer,
        allowing ``tol`` for the float rounding of the answer itself (the sampled estimate
        is then only checked for efficiency)."""
        tu = self.game
        n = tu.num_players
        tol = resolve_tol("ShapleyResult.verify", tol, tu)
        if exact:
            fv = exact_values(tu, "ShapleyResult.verify")
            phi = [Fraction(str(float(p))) for p in self.value]
            checks = {"efficiency": abs(sum(phi) - fv[-1])}
            if self.method == "exact":
                w = [Fraction(factorial(s) * factorial(n - 1 - s), factorial(n))
                     for s in range(n)]
                ref = _direct_exact(fv, n, w)
                checks["formula"] = max(abs(a - b) for a, b in zip(ref, phi))
            # decimal readings of floats are never exact; compare within float rounding
            slack = Fraction(tol)
            checks = {k: max(Fraction(0), c - slack) for k, c in checks.items()}
            return Certificate.from_violations(checks, tol, exact=True)
        checks = {"efficiency": abs(float(np.sum(self.value)) - float(tu.values[-1]))}
        if self.method == "exact" and n <= _DIRECT_MAX:
            w = _ktu.shapley_weights(n)
            checks["formula"] = float(np.max(np.abs(_direct(tu.values, n, w) - self.value)))
        if self.standard_error is not None:
            checks["finite_standard_error"] = 0.0 if np.all(
                np.isfinite(self.standard_error)) else float("inf")
        return Certificate.from_violations(checks, tol)


@dataclass(frozen=True, kw_only=True)
class BanzhafResult(SolverResult):
    """The (non-normalised) Banzhaf value of a TU game.

    Attributes
    ----------
    value : ndarray (n,)
        beta_i = average marginal contribution of i over the 2**(n-1) coalitions without i.
    players : tuple of str
    """

    value: np.ndarray
    players: tuple[str, ...]
    game: TUGame = field(repr=False)

    def as_dict(self) -> dict[str, float]:
        """Player name -> value."""
        return dict(zip(self.players, map(float, self.value)))

    def normalized(self) -> np.ndarray:
        """The value scaled to sum to 1 (the normalised Banzhaf index); zeros if it sums to 0."""
        total = float(np.sum(self.value))
        return self.value / total if total != 0 else np.zeros_like(self.value)

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Recompute beta from the marginal-contribution formula (n <= 16; in Fractions with
        ``exact=True``, n <= 14)."""
        tu = self.game
        n = tu.num_players
        tol = resolve_tol("BanzhafResult.verify", tol, tu)
        if exact:
            fv = exact_values(tu, "BanzhafResult.verify")
            w = [Fraction(1, 2 ** (n - 1))] * n
            ref = _direct_exact(fv, n, w)
            got = [Fraction(str(float(b))) for b in self.value]
            gap = max(abs(a - b) for a, b in zip(ref, got))
            return Certificate.from_violations({"formula": max(Fraction(0), gap - Fraction(tol))},
                                               tol, exact=True)
        checks = {}
        if n <= _DIRECT_MAX:
            w = np.full(n, 1.0 / 2 ** (n - 1))
            checks["formula"] = float(np.max(np.abs(_direct(tu.values, n, w) - self.value)))
        else:
            checks["finite"] = 0.0 if np.all(np.isfinite(self.value)) else float("inf")
        return Certificate.from_violations(checks, tol)


def _check_samples(func, n_samples) -> int:
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)):
        raise TypeError(f"{func}: n_samples must be an integer, got {type(n_samples).__name__}")
    if n_samples < 2:
        raise ValueError(f"{func}: n_samples must be at least 2, got {n_samples}")
    return int(n_samples)


def _sample(values: np.ndarray, n: int, n_samples: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard error of marginal contributions over random orders (Castro, Gomez &
    Tejada 2009), vectorised in chunks of orders."""
    total = np.zeros(n)
    total_sq = np.zeros(n)
    chunk = max(1, 2 ** 16 // n)
    done = 0
    while done < n_samples:
        m = min(chunk, n_samples - done)
        orders = np.argsort(rng.random((m, n)), axis=1)
        bits = np.left_shift(np.int64(1), orders.astype(np.int64))
        prefix = np.cumsum(bits, axis=1)
        before = prefix - bits
        contrib = values[prefix] - values[before]
        per_player = np.empty_like(contrib)
        np.put_along_axis(per_player, orders, contrib, axis=1)
        total += per_player.sum(axis=0)
        total_sq += (per_player ** 2).sum(axis=0)
        done += m
    mean = total / n_samples
    var = np.maximum(total_sq / n_samples - mean ** 2, 0.0) * n_samples / (n_samples - 1)
    return mean, np.sqrt(var / n_samples)


def shapley(tu, method: str = "exact", n_samples: int = 10_000, random_state=None
            ) -> ShapleyResult:
    """The Shapley value (Shapley 1953).

    phi_i = sum over S not containing i of #S! (n-#S-1)! / n! (v(S + i) - v(S)).

    Parameters
    ----------
    tu : TUGame
    method : {"exact", "sample"}
        ``"exact"``: subset enumeration, vectorised with no n! loop: one weighted pass over
        the 2**n values and a folding tree, O(2**n) time per game, temporaries bounded by
        blocks of 2**18 coalitions (:func:`paxgame.batch.shapley`).
        ``"sample"``: the average marginal contribution over ``n_samples`` uniformly random
        orders of the players (Castro, Gomez & Tejada 2009), with a per-player standard error
        (sample standard deviation / sqrt(n_samples)); every order's contributions sum to
        v(N), so the estimate is exactly efficient.
    n_samples : int
        Orders sampled by ``method="sample"``.
    random_state : int or numpy.random.Generator, optional
        Seed of the sampler.

    Returns
    -------
    ShapleyResult

    Examples
    --------
    Three players: any two produce 1, all three produce 1.5; player 0 alone produces 0.3.

    >>> import paxgame as pg
    >>> tu = pg.TUGame([0, 0.3, 0, 1, 0, 1, 1, 1.5])
    >>> pg.shapley(tu).value.round(4).tolist()
    [0.6, 0.45, 0.45]
    >>> est = pg.shapley(tu, method="sample", n_samples=4000, random_state=1)
    >>> bool(abs(est.value[0] - 0.6) < 4 * est.standard_error[0])
    True
    """
    func = "shapley"
    tu = check_game(func, tu)
    method = check_method(func, method, ("exact", "sample"))
    n = tu.num_players
    if method == "exact":
        phi = _ktu.shapley(tu.values[None, :])[0]
        return ShapleyResult(value=phi, players=tu.players, method="exact",
                             efficiency_gap=abs(float(phi.sum() - tu.values[-1])), game=tu,
                             message="exact subset enumeration")
    n_samples = _check_samples(func, n_samples)
    rng = check_random_state(func, random_state)
    mean, se = _sample(tu.values, n, n_samples, rng)
    return ShapleyResult(value=mean, players=tu.players, method="sample", standard_error=se,
                         n_samples=n_samples, game=tu,
                         efficiency_gap=abs(float(mean.sum() - tu.values[-1])),
                         message=f"{n_samples} random orders")


def banzhaf(tu) -> BanzhafResult:
    """The Banzhaf value (Banzhaf 1965; Owen 1975 for TU games).

    beta_i = 2**-(n-1) sum over S not containing i of (v(S + i) - v(S)), exact, computed by
    the same O(2**n) folding pass as the Shapley value (:func:`paxgame.batch.banzhaf`).
    Not normalised: :meth:`BanzhafResult.normalized` divides by the sum.

    Examples
    --------
    >>> import paxgame as pg
    >>> pg.banzhaf(pg.TUGame([0, 0.3, 0, 1, 0, 1, 1, 1.5])).value.round(4).tolist()
    [0.7, 0.55, 0.55]
    """
    tu = check_game("banzhaf", tu)
    beta = _ktu.banzhaf(tu.values[None, :])[0]
    return BanzhafResult(value=beta, players=tu.players, game=tu, message="exact")


@dataclass(frozen=True, kw_only=True)
class PowerIndexResult(SolverResult):
    """A voting power index of a weighted voting game.

    Attributes
    ----------
    index : ndarray (n,)
    kind : str
        ``"shapley_shubik"``, ``"banzhaf"`` (normalised) or ``"banzhaf_absolute"``.
    swings : ndarray (n,)
        For each player, the number of losing coalitions it turns winning by joining.
    players : tuple of str
    """

    index: np.ndarray
    kind: str
    swings: np.ndarray
    players: tuple[str, ...]
    game: TUGame = field(repr=False)

    def as_dict(self) -> dict[str, float]:
        """Player name -> index."""
        return dict(zip(self.players, map(float, self.index)))

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Recount the swings from the game and recompute the index from them (and, for the
        Shapley–Shubik index, check that it sums to 1)."""
        tu = self.game
        n = tu.num_players
        tol = 1e-9 if tol is None else tol
        v = tu.values
        masks = np.arange(v.shape[0], dtype=np.int64)
        swings = np.array([np.count_nonzero((v[masks | (1 << i)] > 0.5) & (v[masks] < 0.5)
                                            & ((masks >> i) & 1 == 0)) for i in range(n)])
        checks = {"swings": float(np.max(np.abs(swings - self.swings)))}
        if self.kind == "shapley_shubik":
            checks["sums_to_one"] = abs(float(self.index.sum()) - 1.0) if v[-1] > 0.5 else 0.0
            checks["formula"] = float(np.max(np.abs(
                _direct(v, n, _ktu.shapley_weights(n)) - self.index))) if n <= _DIRECT_MAX \
                else 0.0
        else:
            raw = swings / 2.0 ** (n - 1)
            if self.kind == "banzhaf":
                raw = raw / raw.sum() if raw.sum() > 0 else raw
            checks["formula"] = float(np.max(np.abs(raw - self.index)))
        if exact:
            return Certificate.from_violations(
                {k: Fraction(0) if c <= tol else Fraction(c) for k, c in checks.items()},
                tol, exact=True)
        return Certificate.from_violations(checks, tol)


def _swings(v: np.ndarray, n: int) -> np.ndarray:
    win = (v > 0.5).astype(np.float64)
    # swings_i = sum_{S without i} win(S+i) - win(S) = 2 M_i(win) - T(win) for monotone games
    return np.rint(_ktu.banzhaf(win[None, :])[0] * 2 ** (n - 1)).astype(np.int64)


def shapley_shubik_index(weights, quota, players=None) -> PowerIndexResult:
    """The Shapley–Shubik power index of the weighted voting game [quota; weights]
    (Shapley & Shubik 1954): the Shapley value of the simple game in which a coalition wins
    when its total weight reaches ``quota``.

    Examples
    --------
    The 1958 EEC Council: France, Germany, Italy 4 votes, Belgium and the Netherlands 2,
    Luxembourg 1, quota 12.

    >>> import paxgame as pg
    >>> pg.shapley_shubik_index([4, 4, 4, 2, 2, 1], 12).index.round(4).tolist()
    [0.2333, 0.2333, 0.2333, 0.15, 0.15, 0.0]
    """
    from .builders import weighted_voting

    tu = weighted_voting(weights, quota, players=players, _func="shapley_shubik_index")
    n = tu.num_players
    phi = _ktu.shapley(tu.values[None, :])[0]
    return PowerIndexResult(index=phi, kind="shapley_shubik", swings=_swings(tu.values, n),
                            players=tu.players, game=tu)


def banzhaf_index(weights, quota, normalized: bool = True, players=None) -> PowerIndexResult:
    """The Banzhaf power index of the weighted voting game [quota; weights] (Banzhaf 1965).

    With ``normalized=True`` each player's swing count divided by the total swing count
    (sums to 1); with ``normalized=False`` the absolute index, swings / 2**(n-1) (Penrose's
    probability of being decisive).

    Examples
    --------
    >>> import paxgame as pg
    >>> r = pg.banzhaf_index([4, 4, 4, 2, 2, 1], 12)
    >>> r.swings.tolist(), r.index.round(4).tolist()
    ([10, 10, 10, 6, 6, 0], [0.2381, 0.2381, 0.2381, 0.1429, 0.1429, 0.0])
    """
    from .builders import weighted_voting

    if not isinstance(normalized, (bool, np.bool_)):
        raise TypeError(f"banzhaf_index: normalized must be True or False, got "
                        f"{type(normalized).__name__}")
    tu = weighted_voting(weights, quota, players=players, _func="banzhaf_index")
    n = tu.num_players
    swings = _swings(tu.values, n)
    if normalized:
        total = swings.sum()
        index = swings / total if total > 0 else np.zeros(n)
        kind = "banzhaf"
    else:
        index = swings / 2.0 ** (n - 1)
        kind = "banzhaf_absolute"
    return PowerIndexResult(index=index, kind=kind, swings=swings, players=tu.players, game=tu)

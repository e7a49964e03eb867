"""Values of TU games: Shapley (exact and sampled), Banzhaf, and voting power indices."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from math import factorial

import numpy as np

from .._results import Certificate, SolverResult
from .._validation import check_method
from ..games.builders import weighted_voting
from ..games.tu import TUGame
from ..kernels import tu as _ktu
from ._common import (check_game, check_random_state, divided, exact_values, field_checks,
                      finite_or_refuse, fractions, game_scale, member_rows, resolve_tol)

__all__ = ["ShapleyResult", "BanzhafResult", "PowerIndexResult", "shapley", "banzhaf",
           "shapley_shubik_index", "banzhaf_index"]

#: Largest game whose verify() recomputes the value by the direct marginal formula.
_DIRECT_MAX = 16

#: Most marginal contributions (orders sampled x players) ``shapley(method="sample")``
#: computes: 10**9, about a minute of work; larger requests are refused before sampling.
MAX_SAMPLE_WORK = 10 ** 9

_INF = float("inf")


def _array_gap(got, ref) -> float:
    """Largest abs difference of two float vectors of one shape (inf when shapes differ or
    an entry is not finite)."""
    got = np.asarray(got, dtype=np.float64) if got is not None else None
    if got is None or got.shape != np.shape(ref):
        return _INF
    with np.errstate(invalid="ignore", over="ignore"):
        gap = np.abs(got - ref)
    return float(np.max(gap, initial=0.0)) if np.all(np.isfinite(gap)) else _INF


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
    sampler_state : dict or None
        The sampler's bit-generator state before sampling (``method="sample"``), so that
        :meth:`verify` can replay the draw.
    """

    value: np.ndarray
    players: tuple[str, ...]
    method: str
    standard_error: np.ndarray | None = None
    n_samples: int = 0
    efficiency_gap: float = 0.0
    sampler_state: dict | None = field(default=None, repr=False)
    game: TUGame = field(repr=False)

    def as_dict(self) -> dict[str, float]:
        """Player name -> value."""
        return dict(zip(self.players, map(float, self.value)))

    def verify(self, *, tol: float | None = None, exact: bool = False) -> Certificate:
        """Re-check every field: efficiency, the reported ``efficiency_gap``, the players,
        method and status, and the value itself.  The exact value is recomputed from the
        marginal-contribution formula (n <= 16); a sampled estimate is replayed from
        ``sampler_state`` (value, standard error and ``n_samples`` must match the replay).
        ``exact=True`` (n <= 14) computes the exact value in Fractions from the worths'
        exact binary values and compares it with the float answer, allowing ``tol`` for
        the float rounding of the answer itself.  Float checks run on worths divided by a
        power of two (exact), so worths near the float64 limit do not overflow."""
        tu = self.game
        n = tu.num_players
        tol = resolve_tol("ShapleyResult.verify", tol, tu)
        s = game_scale(tu)
        checks = field_checks(self, tu, ("optimal",))
        checks["method"] = 0.0 if self.method in ("exact", "sample") else _INF
        value = np.asarray(self.value, dtype=np.float64)
        if value.shape != (n,) or not np.all(np.isfinite(value)):
            checks["value_shape"] = _INF
            return Certificate.from_violations(checks, tol, exact=exact)
        x = value / s
        eff = abs(float(np.sum(x)) - float(tu.values[-1] / s)) * s
        checks["efficiency_gap_reported"] = abs(float(self.efficiency_gap) - eff) \
            if np.isfinite(self.efficiency_gap) else _INF
        if self.method == "exact":
            checks["exact_fields"] = 0.0 if (self.standard_error is None and self.n_samples == 0
                                             and self.sampler_state is None) else _INF
        else:
            checks["replay"] = self._replay(tu.values, x, s)
        if exact:
            fv = exact_values(tu, "ShapleyResult.verify")
            phi = fractions(self.value)
            ex = {"efficiency": abs(sum(phi) - fv[-1])}
            if self.method == "exact":
                w = [Fraction(factorial(s_) * factorial(n - 1 - s_), factorial(n))
                     for s_ in range(n)]
                ref = _direct_exact(fv, n, w)
                ex["formula"] = max(abs(a - b) for a, b in zip(ref, phi))
            # the float answer carries rounding error: compare within tol
            slack = Fraction(tol)
            ex = {k: max(Fraction(0), c - slack) for k, c in ex.items()}
            ex.update({k: Fraction(0) if c <= tol else Fraction(1) for k, c in checks.items()})
            return Certificate.from_violations(ex, tol, exact=True)
        checks["efficiency"] = eff
        if self.method == "exact" and n <= _DIRECT_MAX:
            w = _ktu.shapley_weights(n)
            checks["formula"] = _array_gap(x, _direct(divided(tu.values, s), n, w)) * s
        return Certificate.from_violations(checks, tol)

    def _replay(self, values, x_scaled, s) -> float:
        """Worst gap between the stored estimate and a replay of the sampler (in units of
        the power of two ``s``)."""
        state = self.sampler_state
        n = values.shape[0].bit_length() - 1
        se = self.standard_error
        k = self.n_samples
        if not (isinstance(state, dict) and isinstance(k, (int, np.integer))
                and not isinstance(k, bool) and 2 <= k and k * n <= MAX_SAMPLE_WORK
                and se is not None and np.shape(se) == (n,)):
            return _INF
        try:
            rng = np.random.Generator(getattr(np.random, state["bit_generator"])())
            rng.bit_generator.state = state
        except (KeyError, TypeError, ValueError, AttributeError):
            return _INF
        mean, err = _sample(values, n, int(k), rng, s)
        return max(_array_gap(x_scaled, mean), _array_gap(np.asarray(se) / s, err)) * s


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
        """Recompute beta from the marginal-contribution formula (n <= 16; in Fractions of
        the worths' exact binary values with ``exact=True``, n <= 14), and check the players
        and the status."""
        tu = self.game
        n = tu.num_players
        tol = resolve_tol("BanzhafResult.verify", tol, tu)
        checks = field_checks(self, tu, ("optimal",))
        value = np.asarray(self.value, dtype=np.float64)
        if value.shape != (n,) or not np.all(np.isfinite(value)):
            checks["value_shape"] = _INF
            return Certificate.from_violations(checks, tol, exact=exact)
        if exact:
            fv = exact_values(tu, "BanzhafResult.verify")
            w = [Fraction(1, 2 ** (n - 1))] * n
            ref = _direct_exact(fv, n, w)
            gap = max(abs(a - b) for a, b in zip(ref, fractions(value)))
            ex = {"formula": max(Fraction(0), gap - Fraction(tol))}
            ex.update({k: Fraction(0) if c <= tol else Fraction(1) for k, c in checks.items()})
            return Certificate.from_violations(ex, tol, exact=True)
        s = game_scale(tu)
        if n <= _DIRECT_MAX:
            w = np.full(n, 1.0 / 2 ** (n - 1))
            checks["formula"] = _array_gap(value / s, _direct(divided(tu.values, s), n, w)) * s
        return Certificate.from_violations(checks, tol)


def _check_samples(func, n_samples, n: int) -> int:
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)):
        raise TypeError(f"{func}: n_samples must be an integer, got {type(n_samples).__name__}")
    if n_samples < 2:
        raise ValueError(f"{func}: n_samples must be at least 2, got {n_samples}")
    cap = MAX_SAMPLE_WORK // n
    if n_samples > cap:
        raise ValueError(f"{func}: n_samples must be at most {cap} for {n} players (limit "
                         f"MAX_SAMPLE_WORK = {MAX_SAMPLE_WORK} marginal contributions, "
                         f"n_samples x players), got {n_samples}")
    return int(n_samples)


def _sample(values: np.ndarray, n: int, n_samples: int, rng, scale: float = 1.0
            ) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard error of marginal contributions over random orders (Castro, Gomez &
    Tejada 2009), vectorised in chunks of orders, in units of ``scale`` (a power of two:
    the worths are divided by it as they are gathered, exactly, so nothing overflows)."""
    inv = 1.0 / scale
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
        contrib = values[prefix] * inv - values[before] * inv
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
        Fields: ``value``, ``players``, ``method``, ``standard_error``, ``n_samples``,
        ``efficiency_gap``, ``status``, ``message`` (see :class:`~paxgame.ShapleyResult`;
        ``to_dict()`` gives them as JSON data).

    Raises
    ------
    ValueError
        ``n_samples`` above ``MAX_SAMPLE_WORK // n`` (10**9 marginal contributions, refused
        before sampling), or a value outside the float64 range (worths near 1.8e308 whose
        marginal contributions do not fit; the sums themselves never overflow: they run on
        worths divided by a power of two when they would).

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
        # phi / s with s a power of two (1 unless the sums overflow): exact, never inf
        phi_s, scale = _ktu.shapley_scaled(tu.values[None, :])
        s = float(scale[0])
        phi_s = phi_s[0]
        with np.errstate(over="ignore"):
            phi = finite_or_refuse(func, "Shapley value", phi_s * s)
        return ShapleyResult(value=phi, players=tu.players, method="exact",
                             efficiency_gap=abs(float(phi_s.sum() - tu.values[-1] / s)) * s,
                             game=tu, message="exact subset enumeration")
    n_samples = _check_samples(func, n_samples, n)
    rng = check_random_state(func, random_state)
    state = rng.bit_generator.state
    s = game_scale(tu)
    mean_s, se_s = _sample(tu.values, n, n_samples, rng, s)
    with np.errstate(over="ignore"):
        mean = finite_or_refuse(func, "Shapley value estimate", mean_s * s)
        se = finite_or_refuse(func, "standard error", se_s * s)
    return ShapleyResult(value=mean, players=tu.players, method="sample", standard_error=se,
                         n_samples=n_samples, game=tu, sampler_state=state,
                         efficiency_gap=abs(float(mean_s.sum() - tu.values[-1] / s)) * s,
                         message=f"{n_samples} random orders")


def banzhaf(tu) -> BanzhafResult:
    """The Banzhaf value (Banzhaf 1965; Owen 1975 for TU games).

    beta_i = 2**-(n-1) sum over S not containing i of (v(S + i) - v(S)), exact, computed by
    the same O(2**n) folding pass as the Shapley value (:func:`paxgame.batch.banzhaf`).
    Not normalised: :meth:`BanzhafResult.normalized` divides by the sum.

    Returns
    -------
    BanzhafResult
        Fields: ``value``, ``players``, ``status``, ``message`` (see
        :class:`~paxgame.BanzhafResult`; ``to_dict()`` gives them as JSON data).

    Examples
    --------
    >>> import paxgame as pg
    >>> pg.banzhaf(pg.TUGame([0, 0.3, 0, 1, 0, 1, 1, 1.5])).value.round(4).tolist()
    [0.7, 0.55, 0.55]
    """
    tu = check_game("banzhaf", tu)
    beta_s, scale = _ktu.banzhaf_scaled(tu.values[None, :])
    with np.errstate(over="ignore"):
        beta = finite_or_refuse("banzhaf", "Banzhaf value", beta_s[0] * scale[0])
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
        Shapley–Shubik index, check that it sums to 1); check the kind, players and status.
        The checks count and compare in floats; ``exact=True`` reports them as exact
        verdicts (a swing count is an integer, the index a ratio of them)."""
        tu = self.game
        n = tu.num_players
        tol = 1e-9 if tol is None else tol
        v = tu.values
        checks = field_checks(self, tu, ("optimal",))
        checks["kind"] = 0.0 if self.kind in ("shapley_shubik", "banzhaf",
                                              "banzhaf_absolute") else _INF
        masks = np.arange(v.shape[0], dtype=np.int64)
        swings = np.array([np.count_nonzero((v[masks | (1 << i)] > 0.5) & (v[masks] < 0.5)
                                            & ((masks >> i) & 1 == 0)) for i in range(n)])
        checks["swings"] = _array_gap(self.swings, swings)
        if self.kind == "shapley_shubik":
            checks["sums_to_one"] = abs(float(np.sum(self.index)) - 1.0) if v[-1] > 0.5 \
                else 0.0
            checks["formula"] = _array_gap(self.index, _direct(v, n, _ktu.shapley_weights(n))) \
                if n <= _DIRECT_MAX else 0.0
        else:
            raw = swings / 2.0 ** (n - 1)
            if self.kind == "banzhaf":
                raw = raw / raw.sum() if raw.sum() > 0 else raw
            checks["formula"] = _array_gap(self.index, raw)
        if exact:
            return Certificate.from_violations(
                {k: Fraction(0) if c <= tol else Fraction(1) for k, c in checks.items()},
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

    Returns
    -------
    PowerIndexResult
        ``kind`` is ``"shapley_shubik"``; the other fields: ``index`` (one share per player,
        summing to 1), ``swings``, ``players``, ``status``, ``message`` (``to_dict()`` gives
        them as JSON data).

    Examples
    --------
    The 1958 EEC Council: France, Germany, Italy 4 votes, Belgium and the Netherlands 2,
    Luxembourg 1, quota 12.

    >>> import paxgame as pg
    >>> pg.shapley_shubik_index([4, 4, 4, 2, 2, 1], 12).index.round(4).tolist()
    [0.2333, 0.2333, 0.2333, 0.15, 0.15, 0.0]
    """
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

    Returns
    -------
    PowerIndexResult
        Fields: ``index``, ``kind``, ``swings``, ``players``, ``status``, ``message`` (see
        :class:`~paxgame.PowerIndexResult`; ``to_dict()`` gives them as JSON data).

    Examples
    --------
    >>> import paxgame as pg
    >>> r = pg.banzhaf_index([4, 4, 4, 2, 2, 1], 12)
    >>> r.swings.tolist(), r.index.round(4).tolist()
    ([10, 10, 10, 6, 6, 0], [0.2381, 0.2381, 0.2381, 0.1429, 0.1429, 0.0])
    """
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

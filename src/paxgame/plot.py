"""Figures for research notes (requires the ``plot`` extra: matplotlib).

Every function draws on a new figure (or on ``ax`` when given) and returns the
:class:`matplotlib.figure.Figure`, so scripts can save it and the documentation can show it:

- :func:`payoff_sets`: subgame-perfect payoff sets of a repeated game, drawn over the
  feasible individually rational set of its stage game;
- :func:`assurance_heatmap`: the minimum assurance over two swept parameters with the
  frontier beyond which no assurance is constructible;
- :func:`regime_map`: who stays and where the provider revokes, partner by regime;
- :func:`allocation_bars`: Shapley value, nucleolus (or other allocations) of a TU game.

The figures draw, they do not solve: each takes the results of the solvers (a
:class:`~paxgame.PayoffSet`, the minmax values, a :class:`~paxgame.ScenarioEquilibrium`, a
Shapley or nucleolus result, a sweep), so the numbers on a figure are the numbers the
caller holds and checked. A game passed where a result is expected raises a ``TypeError``
that names the solver to call.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from .games import NormalFormGame, Scenario, TUGame
from .repeated.data import RegimeGameData, RepeatedGameData

__all__ = ["payoff_sets", "assurance_heatmap", "regime_map", "allocation_bars",
           "feasible_ir_polygon", "save", "reader_label", "MAX_PIXELS", "MAX_DPI"]

#: Most pixels of a saved figure (width x height at the requested resolution): 100
#: megapixels, about 400 MB of RGBA while rendering.
MAX_PIXELS = 100_000_000
#: Highest resolution accepted, in dots per inch.
MAX_DPI = 2400

_SET_COLOURS = ("#1f5fa8", "#c2571a", "#2a8a4a", "#7a3fa0", "#8a6d1d")

_GAMES = (NormalFormGame, TUGame, Scenario, RepeatedGameData, RegimeGameData)


def _refuse_game(func: str, value, what: str, solver: str) -> None:
    """Raise the TypeError of a game passed where a solver's result is expected."""
    if isinstance(value, _GAMES):
        raise TypeError(f"{func}: expects {what}, got a {type(value).__name__}; solve "
                        f"first with {solver} and pass the result")


def _axes(ax, figsize=(5.5, 4.5)):
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    else:
        fig = ax.figure
    return fig, ax


def save(fig, path, dpi: float = 120) -> None:
    """Save ``fig`` to ``path`` (.png, .pdf or .svg) after bounding its size in pixels.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : str or os.PathLike
    dpi : float
        Resolution in dots per inch, in (0, :data:`MAX_DPI`]; the figure's width times
        height at this resolution must not exceed :data:`MAX_PIXELS` (a raster is rendered
        at this resolution even for a vector format's embedded images).

    Raises
    ------
    ValueError
        ``dpi`` out of range or too many pixels (nothing is written).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from paxgame import plot
    >>> fig = plt.figure(figsize=(5, 4))
    >>> plot.save(fig, "/dev/null/never.png", dpi=100_000)
    Traceback (most recent call last):
    ...
    ValueError: save: dpi must lie in (0, 2400], got 100000
    >>> plt.close(fig)
    """
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float, np.integer, np.floating)) \
            or not np.isfinite(dpi) or not 0 < dpi <= MAX_DPI:
        raise ValueError(f"save: dpi must lie in (0, {MAX_DPI}], got {dpi!r}")
    width, height = (float(x) * float(dpi) for x in fig.get_size_inches())
    if width * height > MAX_PIXELS:
        raise ValueError(f"save: the figure would be {width:.0f} x {height:.0f} pixels at "
                         f"dpi {dpi}, more than {MAX_PIXELS:,} pixels; lower the dpi")
    fig.savefig(path, dpi=dpi)


# --------------------------------------------------------------------------- payoff sets

def _ordered(points: np.ndarray) -> np.ndarray:
    """The convex hull of 2-D points in counter-clockwise order (degenerate sets kept)."""
    pts = np.unique(np.round(np.asarray(points, dtype=float), 12), axis=0)
    if len(pts) <= 2:
        return pts
    # Andrew's monotone chain (collinear points dropped)
    pts = pts[np.lexsort((pts[:, 1], pts[:, 0]))]

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 1e-15:
            lower.pop()
        lower.append(p)
    for p in pts[::-1]:
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 1e-15:
            upper.pop()
        upper.append(p)
    return np.array(lower[:-1] + upper[:-1])


def _clip(polygon: np.ndarray, axis: int, bound: float) -> np.ndarray:
    """Sutherland–Hodgman clip of a convex polygon to ``x[axis] >= bound``."""
    out = []
    n = len(polygon)
    for k in range(n):
        p, q = polygon[k], polygon[(k + 1) % n]
        p_in, q_in = p[axis] >= bound, q[axis] >= bound
        if p_in:
            out.append(p)
        if p_in != q_in:
            t = (bound - p[axis]) / (q[axis] - p[axis])
            out.append(p + t * (q - p))
    return np.array(out).reshape(-1, 2)


def _stage_game(game):
    if isinstance(game, RepeatedGameData):
        return game.game
    return game


_MINMAX_SOLVER = "[pg.minmax(game, i, mixed=True) for i in range(2)]"


def _minmax_values(func: str, minmax) -> np.ndarray:
    """The two minmax values from two MinmaxResult (or two numbers)."""
    _refuse_game(func, minmax, "the minmax values", _MINMAX_SOLVER)
    if isinstance(minmax, (str, bytes)) or not hasattr(minmax, "__len__") or len(minmax) != 2:
        raise TypeError(f"{func}: minmax must hold the two players' minmax values (e.g. "
                        f"{_MINMAX_SOLVER}), got {type(minmax).__name__}")
    values = []
    for i, m in enumerate(minmax):
        _refuse_game(func, m, "a minmax value", _MINMAX_SOLVER)
        v = getattr(m, "value", m)
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise TypeError(f"{func}: minmax[{i}] must be a MinmaxResult or a number, got "
                            f"{type(m).__name__}")
        values.append(float(v))
    return np.array(values)


def _two_player_payoffs(func: str, game) -> list[np.ndarray]:
    g = _stage_game(game)
    if not isinstance(g, NormalFormGame):
        raise TypeError(f"{func}: game must be a NormalFormGame or a RepeatedGame, got "
                        f"{type(game).__name__}")
    if g.n_players != 2:
        raise ValueError(f"{func}: a two-player game is needed, got {g.n_players} players")
    return [np.asarray(a, dtype=float) for a in g.payoffs]


def _feasible_rational(payoffs, minmax: np.ndarray):
    points = np.column_stack([payoffs[0].ravel(), payoffs[1].ravel()])
    feasible = _ordered(points)
    rational = feasible
    if len(rational) >= 3:
        for axis in range(2):
            rational = _clip(rational, axis, minmax[axis])
            if len(rational) == 0:
                break
    else:
        keep = np.all(rational >= minmax - 1e-12, axis=1)
        rational = rational[keep]
    return feasible, rational


def feasible_ir_polygon(game, minmax=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The feasible set of a two-player stage game and its individually rational part.

    The feasible set is the convex hull of the pure payoff profiles (Andrew's monotone
    chain); its individually rational part is the hull clipped to each player's minmax
    value (Sutherland–Hodgman), the minmax values being computed by the caller.

    Parameters
    ----------
    game : NormalFormGame or RepeatedGame
        A two-player game (a repeated game contributes its stage game).
    minmax : sequence of two MinmaxResult (or two numbers)
        The players' mixed minmax values, ``[pg.minmax(game, i, mixed=True) for i in
        range(2)]``.

    Returns
    -------
    feasible : ndarray (k, 2)
        Vertices of the convex hull of the pure payoff profiles, counter-clockwise.
    rational : ndarray (m, 2)
        Vertices of its part where each player gets at least her minmax value (empty when
        that part is empty).
    minmax : ndarray (2,)
        The minmax values.

    Raises
    ------
    TypeError
        ``minmax`` missing or not two minmax values (a game in its place, for example).
    ValueError
        A game with other than two players.

    Examples
    --------
    >>> import paxgame as pg
    >>> from paxgame.plot import feasible_ir_polygon
    >>> g = pg.load("games/classic/prisoners_dilemma.toml")
    >>> feasible, rational, minmax = feasible_ir_polygon(
    ...     g, [pg.minmax(g, i, mixed=True) for i in range(2)])
    >>> minmax.round(3).tolist()
    [1.0, 1.0]
    """
    func = "feasible_ir_polygon"
    payoffs = _two_player_payoffs(func, game)
    if minmax is None:
        raise TypeError(f"{func}: minmax is required: the players' minmax values, "
                        f"{_MINMAX_SOLVER}")
    values = _minmax_values(func, minmax)
    feasible, rational = _feasible_rational(payoffs, values)
    return feasible, rational, values


_PAYOFF_SET_SOLVER = "game.payoff_set(method=...)"


def payoff_sets(sets, *, game=None, minmax=None, nash=None,
                labels: Sequence[str] | None = None, ax=None):
    """Draw subgame-perfect payoff sets over the feasible individually rational set.

    Parameters
    ----------
    sets : PayoffSet or sequence of PayoffSet
        Two-player sets to draw, as returned by :meth:`paxgame.RepeatedGame.payoff_set`
        (anything with ``.vertices`` of shape (k, 2), or such an array).
    game : RepeatedGame or NormalFormGame, optional
        The game of the sets; the grey background is its stage game's feasible set (the
        convex hull of the pure payoff profiles), the axes name its players and the title
        gives its discount factor. Without it the background comes from the first set's
        stage payoffs when it carries them.
    minmax : sequence of two MinmaxResult (or two numbers), optional
        The players' mixed minmax values (``[pg.minmax(g, i, mixed=True) for i in
        range(2)]``): draws the individually rational part of the feasible set (hatched)
        and dotted lines at the minmax values.
    nash : array_like (k, 2) of int, optional
        Pure stage equilibria as action indices (``pg.pure_nash(g)``), marked by stars
        (needs the stage payoffs: ``game`` or a set carrying them).
    labels : sequence of str, optional
        Legend labels (default: each set's method, or "set 1", ...).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        A game passed as ``sets`` (solve first: ``game.payoff_set(method=...)``).
    ValueError
        Sets that are not two-dimensional, or as many labels as sets missing.

    Examples
    --------
    >>> import paxgame as pg
    >>> from paxgame import plot
    >>> rg = pg.load("games/repeated/prisoners_dilemma_d06.toml")
    >>> g = rg.stage_game
    >>> fig = plot.payoff_sets(rg.payoff_set(), game=rg,
    ...                        minmax=[pg.minmax(g, i) for i in range(2)],
    ...                        nash=pg.pure_nash(g))
    >>> fig.axes[0].get_xlabel()
    'payoff of row'
    >>> plot.payoff_sets(rg)
    Traceback (most recent call last):
    ...
    TypeError: payoff_sets: expects payoff sets, got a RepeatedGame; solve first with game.payoff_set(method=...) and pass the result
    """
    import matplotlib.patches as mpatches

    func = "payoff_sets"
    _refuse_game(func, sets, "payoff sets", _PAYOFF_SET_SOLVER)
    if sets is None:
        raise TypeError(f"{func}: sets are required; solve first with {_PAYOFF_SET_SOLVER}")
    if hasattr(sets, "vertices") or (isinstance(sets, np.ndarray) and sets.ndim == 2):
        sets = [sets]
    sets = list(sets)
    for k, s in enumerate(sets):
        _refuse_game(func, s, f"a payoff set as set {k}", _PAYOFF_SET_SOLVER)
    if game is not None:
        payoffs = _two_player_payoffs(func, game)
    else:
        stored = next((getattr(s, "game_payoffs", None) for s in sets[:1]), None)
        payoffs = None if stored is None or np.ndim(stored) != 3 or len(stored) != 2 \
            else [np.asarray(a, dtype=float) for a in stored]
    if labels is None:
        labels = [_set_label(s, k) for k, s in enumerate(sets)]
    labels = list(labels)
    if len(labels) != len(sets):
        raise ValueError(f"{func}: {len(labels)} labels for {len(sets)} sets")

    fig, ax = _axes(ax, figsize=(7.5, 4.5))  # room for the legend beside the sets
    feasible = None
    if payoffs is not None:
        values = _minmax_values(func, minmax) if minmax is not None else \
            np.full(2, -np.inf)
        feasible, rational = _feasible_rational(payoffs, values)
        if len(feasible) >= 3:
            ax.add_patch(mpatches.Polygon(feasible, closed=True, facecolor="#e6e6e6",
                                          edgecolor="#b0b0b0", label="feasible"))
        if minmax is not None and len(rational) >= 3:
            ax.add_patch(mpatches.Polygon(rational, closed=True, facecolor="#c8c8c8",
                                          edgecolor="#909090", hatch="..",
                                          label="feasible and individually rational"))
    if minmax is not None:
        values = _minmax_values(func, minmax)
        ax.axvline(values[0], color="#909090", lw=0.8, ls=":")
        ax.axhline(values[1], color="#909090", lw=0.8, ls=":")

    drawn = []
    for k, (s, label) in enumerate(zip(sets, labels)):
        verts = np.asarray(getattr(s, "vertices", s), dtype=float)
        if verts.ndim != 2 or verts.shape[1] != 2:
            raise ValueError(f"{func}: set {k} must have 2-D vertices, got shape "
                             f"{verts.shape}")
        colour = _SET_COLOURS[k % len(_SET_COLOURS)]
        poly = _ordered(verts)
        drawn.append(poly)
        if len(poly) >= 3:
            ax.add_patch(mpatches.Polygon(poly, closed=True, facecolor=(*_rgb(colour), 0.2),
                                          edgecolor=colour, lw=2.0,
                                          ls=("-", "--", ":", "-.")[k % 4], label=label))
        elif len(poly):
            ax.plot(poly[:, 0], poly[:, 1], "o-", color=colour, label=label)
    if nash is not None:
        _refuse_game(func, nash, "the stage game's pure equilibria", "pg.pure_nash(game)")
        if payoffs is None:
            raise ValueError(f"{func}: nash needs the stage payoffs: pass game=")
        pure = np.asarray(nash, dtype=int).reshape(-1, 2)
        if len(pure):
            pts = np.array([[payoffs[0][tuple(p)], payoffs[1][tuple(p)]] for p in pure])
            ax.plot(pts[:, 0], pts[:, 1], "k*", ms=10, label="stage Nash (pure)")
    g = _stage_game(game) if game is not None else None
    players = list(getattr(g, "players", None) or ("player 1", "player 2"))
    ax.set_xlabel(f"payoff of {players[0]}")
    ax.set_ylabel(f"payoff of {players[1]}")
    delta = getattr(game, "delta", None)
    if delta is None:
        delta = getattr(sets[0], "delta", None) if sets else None
        if delta is not None and np.ndim(delta) == 1 and np.ptp(delta) == 0:
            delta = float(np.asarray(delta)[0])
    title = getattr(g, "name", "") or "payoff sets"
    shown = delta is not None and np.ndim(delta) == 0 and "delta" not in title and "δ" not in title
    ax.set_title(title + (f" (δ = {float(delta):g})" if shown else ""), fontsize="medium",
                 wrap=True)
    ax.autoscale_view()
    extent = [p for p in ([feasible] if feasible is not None else []) + drawn if len(p)]
    if extent:
        pts = np.vstack(extent)
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        pad = 0.08 * np.maximum(hi - lo, 1e-9)
        ax.set_xlim(lo[0] - pad[0], hi[0] + pad[0])
        ax.set_ylim(lo[1] - pad[1], hi[1] + pad[1])
    # beside the axes, never over the sets it describes
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0,
              fontsize="small")
    return fig


def _set_label(s, k: int) -> str:
    method = getattr(s, "method", None)
    if method == "abreu_sannikov":
        return "Abreu–Sannikov"
    return method if isinstance(method, str) and method else f"set {k + 1}"


def _rgb(colour):
    import matplotlib.colors as mcolors

    return mcolors.to_rgb(colour)


# --------------------------------------------------------------------------- heatmap

_QUANTITY_WORDS = {
    "amount": "minimum assurance", "total_cost": "provider's total net cost",
    "revocation_probability": "probability of a revocation within the horizon",
    "any_revocation_probability": "probability of a revocation within the horizon",
    "constructible": "assurance constructible", "status": "status code", "exact": "exact",
    "participation": "every partner stays", "continuity": "every partner stays and is kept",
    "n_equilibria": "number of equilibria", "ambiguous": "ambiguous selection"}
_PER_NAME_WORDS = {
    "amount": "minimum level of {}", "cost": "provider's net cost of {}",
    "level_low": "smallest level of {} (optimal packages)",
    "level_high": "largest level of {} (optimal packages)",
    "revocation_probability": "probability that {} is revoked within the horizon",
    "exit_probability": "probability that {} exits within the horizon"}
_PARAMETER_WORDS = {"discount": "discount factor", "screening": "screening precision",
                    "horizon": "horizon (periods)"}


def reader_label(name: str) -> str:
    """The words a reader knows for a swept parameter or a sweep quantity (not the dotted
    path): ``"partners.ally A.revocation_gain.hawkish"`` becomes ``"revocation gain of ally A
    (hawkish)"``, ``"amount:escrow bond"`` becomes ``"minimum level of escrow bond"``.

    Examples
    --------
    >>> from paxgame.plot import reader_label
    >>> reader_label("partners.ally A.revocation_gain.hawkish")
    'revocation gain of ally A (hawkish)'
    >>> reader_label("instruments[1].cap"), reader_label("cost:escrow bond")
    ('cap of instrument 1', "provider's net cost of escrow bond")
    """
    if ":" in name:
        kind, who = name.split(":", 1)
        if kind in _PER_NAME_WORDS:
            return _PER_NAME_WORDS[kind].format(who)
    if name in _QUANTITY_WORDS:
        return _QUANTITY_WORDS[name]
    if name in _PARAMETER_WORDS:
        return _PARAMETER_WORDS[name]
    tokens = [t for t in re.split(r"[.\[\]]", name) if t]
    if len(tokens) >= 3 and tokens[0] in ("partners", "instruments"):
        what = tokens[0][:-1]
        owner = f"{what} {tokens[1]}" if tokens[1].isdigit() else (
            f"every {what}" if tokens[1] == "*" else tokens[1])
        field = tokens[2].replace("_", " ")
        tail = f" ({', '.join(tokens[3:])})" if len(tokens) > 3 else ""
        return f"{field} of {owner}{tail}"
    return name.replace("_", " ")


def assurance_heatmap(result, quantity: str = "amount", *, x: str | None = None,
                      y: str | None = None, constructible: str = "constructible", ax=None,
                      cmap: str = "viridis", vmax: float | None = None):
    """The minimum assurance over two swept parameters, with the constructible frontier.

    Parameters
    ----------
    result : SweepResult or xarray.Dataset
        A sweep over (at least) two parameters; other swept parameters must have length 1.
    quantity : str, default "amount"
        The data variable to colour.
    x, y : str, optional
        The parameters on the axes (default: the first two swept parameters, y first).
        Axes and colour bar are labelled with :func:`reader_label`.
    constructible : str, default "constructible"
        A boolean data variable marking where an assurance exists. When absent, points
        whose quantity is not finite count as not constructible. The frontier between the
        two regions is drawn as a black line and the non-constructible region is hatched.
    ax : matplotlib Axes, optional
    cmap : str, default "viridis"
    vmax : float, optional
        Top of the colour scale (larger values get the top colour; the colour bar shows an
        arrow). Useful near the frontier, where the assurance needed grows without bound.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> import paxgame as pg
    >>> from paxgame import plot
    >>> sc = pg.load("games/scenarios/plural_dependencies.toml")
    >>> res = pg.sweep(sc, {"discount": np.linspace(0.6, 0.97, 30),
    ...                     "partners.0.revocation_gain.hawkish": np.linspace(0, 40, 30)},
    ...                quantity=["amount", "constructible"], target="continuity")
    >>> fig = plot.assurance_heatmap(res)
    >>> fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()
    ('discount factor', 'revocation gain of partner 0 (hawkish)')
    """
    ds = getattr(result, "dataset", result)
    if quantity not in ds.data_vars:
        raise ValueError(f"assurance_heatmap: the sweep has no quantity {quantity!r}; it "
                         f"holds {', '.join(map(str, ds.data_vars))}")
    da = ds[quantity]
    dims = [d for d in da.dims if ds.sizes[d] > 1]
    x = x or (dims[0] if dims else None)
    y = y or next((d for d in dims if d != x), None)
    if x is None or y is None or x not in da.dims or y not in da.dims or x == y:
        raise ValueError(f"assurance_heatmap: needs two swept parameters of length > 1, "
                         f"got {dict(ds.sizes)}")
    extra = [d for d in da.dims if d not in (x, y)]
    if any(ds.sizes[d] > 1 for d in extra):
        raise ValueError(f"assurance_heatmap: select one value of {', '.join(extra)} first "
                         f"(e.g. result.dataset.isel(...))")
    sel = {d: 0 for d in extra}
    z = da.isel(sel).transpose(y, x).values.astype(float)
    if constructible in ds.data_vars:
        ok = ds[constructible].isel(sel).transpose(y, x).values.astype(bool)
    else:
        ok = np.isfinite(z)
    z = np.where(ok & np.isfinite(z), z, np.nan)
    xs, ys = ds[x].values.astype(float), ds[y].values.astype(float)
    fig, ax = _axes(ax, figsize=(6, 4.5))
    mesh = ax.pcolormesh(xs, ys, np.ma.masked_invalid(z), cmap=cmap, shading="nearest",
                         vmax=vmax)
    clipped = vmax is not None and bool(np.nanmax(z, initial=-np.inf) > vmax)
    fig.colorbar(mesh, ax=ax, extend="max" if clipped else "neither",
                 label=f"{reader_label(quantity)} ({ds.attrs.get('target', '')})".replace(
                     " ()", ""))
    if (~ok).any():
        ax.contourf(xs, ys, (~ok).astype(float), levels=[0.5, 1.5], colors="none",
                    hatches=["//"])
        if ok.any():
            ax.contour(xs, ys, ok.astype(float), levels=[0.5], colors="k", linewidths=1.5)
        ax.plot([], [], color="k", lw=1.5, label="constructible frontier")
        ax.fill([], [], facecolor="white", edgecolor="k", hatch="//",
                label="no assurance constructible")
        ax.legend(loc="lower left", fontsize="small", framealpha=0.9)
    ax.set_xlabel(reader_label(x))
    ax.set_ylabel(reader_label(y))
    ax.set_title(ds.attrs.get("scenario", "") or reader_label(quantity))
    return fig


# --------------------------------------------------------------------------- regime map

_OUTCOMES = ("stays, provider maintains", "stays, provider revokes", "exits")
_OUTCOME_COLOURS = ("#4c9a5b", "#d98c2b", "#b03a3a")


def regime_map(equilibrium, *, ax=None, title: str | None = None):
    """Who stays and where the provider revokes: one row per partner, one column per regime.

    Parameters
    ----------
    equilibrium : ScenarioEquilibrium
        The result of :func:`paxgame.solve` on a scenario (its partners, regimes, horizon
        and revocation probabilities label the figure).
    ax : matplotlib Axes, optional
    title : str, optional
        The figure's title (default "regime map").

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        A scenario passed instead of its equilibrium (solve first: ``pg.solve(scenario)``).

    Notes
    -----
    A cell shows the partner-best equilibrium in the regime the period starts in for the
    partner's decision (stay or exit) and in the regime drawn for the provider's decision
    (maintain or revoke), as in the timing of the revocation model; each row is labelled
    with the probability that the partner is revoked within the scenario's horizon.

    Examples
    --------
    >>> import paxgame as pg
    >>> from paxgame import plot
    >>> sc = pg.load("games/scenarios/revocation_order.toml")
    >>> fig = plot.regime_map(pg.solve(sc), title=sc.name)
    >>> len(fig.axes[0].get_yticks()) >= 1
    True
    """
    import matplotlib.colors as mcolors
    import matplotlib.patches as mpatches

    func = "regime_map"
    _refuse_game(func, equilibrium, "a ScenarioEquilibrium", "pg.solve(scenario)")
    if not (hasattr(equilibrium, "maintain") and hasattr(equilibrium, "stay")):
        raise TypeError(f"{func}: equilibrium must be a ScenarioEquilibrium (the result of "
                        f"pg.solve(scenario)), got {type(equilibrium).__name__}")
    eq = equilibrium
    maintain = np.atleast_2d(np.asarray(eq.maintain, dtype=bool))
    stay = np.atleast_2d(np.asarray(eq.stay, dtype=bool))
    partners = list(getattr(eq, "partners", ()) or
                    [f"partner {i + 1}" for i in range(maintain.shape[0])])
    regimes = list(getattr(eq, "regimes", ()) or
                   [f"regime {s + 1}" for s in range(maintain.shape[1])])
    code = np.where(~stay, 2, np.where(maintain, 0, 1))
    fig, ax = _axes(ax, figsize=(3.2 + 1.6 * len(regimes), 2.2 + 0.75 * len(partners)))
    cmap = mcolors.ListedColormap(_OUTCOME_COLOURS)
    ax.imshow(code, cmap=cmap, vmin=-0.5, vmax=2.5, aspect="auto")
    ax.set_xticks(range(len(regimes)), regimes)
    probs = np.atleast_1d(np.asarray(getattr(eq, "revocation_probability", np.nan),
                                     dtype=float))
    horizon = getattr(eq, "horizon", None)
    ylabels = []
    for i, name in enumerate(partners):
        p = probs[i] if probs.size == len(partners) else np.nan
        ylabels.append(name if not np.isfinite(p) else
                       f"{name}\nP(revoked ≤ {horizon}) = {p:.2f}" if horizon else
                       f"{name}\nP(revoked) = {p:.2f}")
    ax.set_yticks(range(len(partners)), ylabels)
    ax.set_xlabel("regime")
    ax.set_title(title or "regime map")
    handles = [mpatches.Patch(color=c, label=l) for c, l in zip(_OUTCOME_COLOURS, _OUTCOMES)]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize="small",
               frameon=False)
    return fig


# --------------------------------------------------------------------------- TU values

_ALLOCATION_SOLVER = "{'Shapley value': pg.shapley(tu), 'nucleolus': pg.nucleolus(tu)}"


def allocation_bars(allocations: Mapping[str, object], *, tu=None, ax=None):
    """Grouped bars of allocations of a TU game (e.g. the Shapley value and the nucleolus).

    Parameters
    ----------
    allocations : mapping of str to result or array_like
        Named allocations: solver results (``pg.shapley(tu)``, ``pg.nucleolus(tu)``, ...,
        anything with ``.value`` or ``.allocation``) or one number per player. Results
        without an allocation (the nucleolus of a game with no imputation) are left out.
    tu : TUGame, optional
        The game, for the player names and the title (default: those of the first
        result that carries them).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        A game passed instead of its allocations (solve first), or ``allocations`` not a
        mapping.
    ValueError
        An allocation with the wrong number of entries.

    Examples
    --------
    >>> import paxgame as pg
    >>> from paxgame import plot
    >>> tu = pg.TUGame([0, 1, 1, 3], players=["a", "b"])
    >>> fig = plot.allocation_bars({"Shapley value": pg.shapley(tu),
    ...                             "nucleolus": pg.nucleolus(tu)})
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['a', 'b']
    """
    func = "allocation_bars"
    _refuse_game(func, allocations, "allocations", _ALLOCATION_SOLVER)
    if not isinstance(allocations, Mapping):
        raise TypeError(f"{func}: allocations must map names to allocations (e.g. "
                        f"{_ALLOCATION_SOLVER}), got {type(allocations).__name__}")
    if tu is not None and not isinstance(tu, TUGame):
        raise TypeError(f"{func}: tu must be a TUGame, got {type(tu).__name__}")
    for name, alloc in allocations.items():
        _refuse_game(func, alloc, f"an allocation as {name!r}", "e.g. pg.shapley(tu)")
    source = tu if tu is not None else next(
        (getattr(a, "game", None) for a in allocations.values()
         if isinstance(getattr(a, "game", None), TUGame)), None)
    players = list(getattr(source, "players", None) or next(
        (getattr(a, "players") for a in allocations.values() if getattr(a, "players", None)),
        ()))
    rows = {}
    for name, alloc in allocations.items():
        raw = _allocation_values(alloc)
        if raw is None:  # a solver result without an allocation (e.g. an empty imputation set)
            continue
        vals = np.asarray(raw, dtype=float).ravel()
        if not players:
            players = [f"player {i + 1}" for i in range(vals.size)]
        if vals.shape != (len(players),):
            raise ValueError(f"{func}: allocation {name!r} has {vals.size} entries "
                             f"for {len(players)} players")
        rows[name] = vals
    fig, ax = _axes(ax, figsize=(1.5 + 0.9 * len(players) * max(1, len(rows)) / 2, 3.8))
    width = 0.8 / max(1, len(rows))
    idx = np.arange(len(players))
    for k, (name, vals) in enumerate(rows.items()):
        ax.bar(idx + (k - (len(rows) - 1) / 2) * width, vals, width,
               color=_SET_COLOURS[k % len(_SET_COLOURS)], label=name)
    ax.set_xticks(idx, players)
    ax.axhline(0, color="k", lw=0.6)
    ax.set_ylabel("payoff")
    ax.set_title(getattr(source, "name", "") or "allocations")
    ax.legend(fontsize="small")
    return fig


def _allocation_values(alloc):
    for attr in ("value", "allocation"):
        if hasattr(alloc, attr):
            return getattr(alloc, attr)
    return alloc

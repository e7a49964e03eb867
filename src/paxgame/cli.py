"""The ``paxgame`` command.

Sub-commands::

    paxgame solve FILE                       equilibria / payoff sets / assurance / TU values
    paxgame assurance FILE [--target T]      minimum credible assurance of a scenario
    paxgame sweep FILE --grid NAME=START:STOP:NUM ... --out DIR
    paxgame plot FILE --out PNG              the figure that fits the file
    paxgame convert IN OUT                   TOML <-> Gambit .nfg
    paxgame bench [--quick] [--only NAME]    the benchmark suite (in a checkout)

Every command takes ``--json`` (machine-readable output on stdout) and ``--debug`` (show
the traceback of an error). Exit codes: 0 success, 1 a solver status other than optimal
(an infeasible or uncertified answer, no constructible assurance), 2 invalid input (a bad
file, option or parameter), 3 an unexpected internal error (a bug: rerun with ``--debug``).
Errors are printed as one line on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import subprocess
import sys
import textwrap
from fractions import Fraction
from pathlib import Path

import numpy as np

# `solve` on normal-form games computes only what the game's size allows
from .kernels.support_enumeration import WORK_LIMIT as SUPPORT_WORK_LIMIT
from .kernels.support_enumeration import support_work
from .stage.correlated import PROFILE_LIMIT as CORRELATED_PROFILE_LIMIT
from . import plot
from .errors import SolverError
from .revocation.report import format_report
from .revocation.assurance import ORDINARY_TARGETS
from .sweep import TARGETS, SweepResult, check_grid_size

import paxgame as pg

__all__ = ["main", "EXIT_OK", "EXIT_NOT_OPTIMAL", "EXIT_INVALID", "EXIT_INTERNAL"]

EXIT_OK, EXIT_NOT_OPTIMAL, EXIT_INVALID, EXIT_INTERNAL = 0, 1, 2, 3

#: vertex enumeration is offered by `solve` up to this many actions of the smaller side
VERTEX_DIMENSION_LIMIT = 12


class UsageError(ValueError):
    """Invalid command-line input (exit code 2)."""


class CommandFailed(RuntimeError):
    """A command ran but did not succeed (exit code 1), e.g. a failing benchmark run."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors and exit code 2, and no abbreviated options.

    Abbreviations are off (``--js`` is not ``--json``): :func:`main` must know from the raw
    arguments whether JSON was asked for, also when parsing fails.
    """

    def __init__(self, *args, **kwargs):
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)

    def error(self, message):  # noqa: D401 - argparse API
        name = self.prog.split()[-1]
        raise UsageError(message if name == "paxgame" else f"{name}: {message}")


# --------------------------------------------------------------------------- output helpers

def jsonable(obj):
    """Convert numbers, arrays, dataclasses and containers to JSON-serialisable values."""
    import dataclasses

    if obj is None or isinstance(obj, (bool, str, int)):
        return obj
    if isinstance(obj, float):
        if math.isnan(obj):
            return None
        return (obj + 0.0 if obj else 0.0) if math.isfinite(obj) else str(obj)
    if isinstance(obj, Fraction):
        return str(obj)
    if isinstance(obj, np.generic):
        return jsonable(obj.item())
    if isinstance(obj, np.ndarray):
        return [jsonable(x) for x in obj.tolist()] if obj.ndim else jsonable(obj.item())
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [jsonable(x) for x in obj]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    return str(obj)


def _num(x, digits: int = 6) -> str:
    """A number rounded for people: integers without decimals, -0 as 0."""
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    r = round(x, digits)
    if r == 0:
        r = 0.0
    return str(int(r)) if r == int(r) and abs(r) < 1e15 else f"{r:.{digits}g}"


def _vec(xs, digits: int = 6) -> str:
    return "(" + ", ".join(_num(x, digits) for x in np.ravel(np.asarray(xs, dtype=float))) + ")"


def _status(res) -> str:
    return str(getattr(res, "status", "optimal"))


# --------------------------------------------------------------------------- solve

def _solve_normal_form(g, args):
    n = len(g.payoffs) if hasattr(g, "payoffs") else g.n_players
    method, options, skipped = _nash_plan(g, n, args.method)
    eqs = pg.nash(g, method=method, options=options)
    players = list(getattr(g, "players", [f"player {i + 1}" for i in range(n)]))
    actions = [list(a) for a in getattr(g, "actions", [])]
    lines = [f"{getattr(g, 'name', '') or 'Normal-form game'}: {n} players, actions "
             f"{'x'.join(str(len(a)) for a in actions)}",
             f"Nash equilibria ({method}): {len(eqs)}"]
    out_eqs, statuses = [], []
    for k, eq in enumerate(eqs, 1):
        strategies = [np.asarray(s, dtype=float) for s in eq.strategies]
        parts = []
        for i, s in enumerate(strategies):
            support = [j for j in range(s.size) if s[j] > 1e-12]
            if len(support) == 1:
                parts.append(f"{players[i]}: {actions[i][support[0]]}")
            else:
                parts.append(f"{players[i]}: " + " + ".join(
                    f"{_num(s[j], 4)} {actions[i][j]}" for j in support))
        lines.append(f"  {k}. {'; '.join(parts)}   payoffs {_vec(eq.payoffs, 4)}   "
                     f"regret {_num(eq.regret, 9)}")
        statuses.append(_status(eq))
        out_eqs.append({"strategies": strategies, "payoffs": eq.payoffs, "regret": eq.regret,
                        "status": _status(eq)})
    if hasattr(eqs, "message") and getattr(eqs, "message", ""):
        lines.append(f"  note: {eqs.message}")
    profiles = int(np.prod(g.num_actions))
    if profiles <= CORRELATED_PROFILE_LIMIT:
        ce = pg.correlated(g, objective="welfare")
        statuses.append(_status(ce))
        lines.append(f"Correlated equilibrium (maximum welfare): status {_status(ce)}")
    else:
        ce = None
        skipped.append(f"correlated equilibrium: the game has {profiles} action profiles, "
                       f"above the LP's limit of {CORRELATED_PROFILE_LIMIT}")
    for note in skipped:
        lines.append(f"Skipped: {note}")
    if ce is not None and ce.success:
        lines.append(f"  payoffs {_vec(ce.payoffs, 4)}   welfare {_num(np.sum(ce.payoffs), 4)}")
        dist = np.asarray(ce.distribution, dtype=float)
        for idx in zip(*np.nonzero(dist > 1e-9)):
            profile = ", ".join(actions[i][j] for i, j in enumerate(idx))
            lines.append(f"    P({profile}) = {_num(dist[idx], 4)}")
    payload = {"kind": "normal_form", "name": getattr(g, "name", ""), "players": players,
               "actions": actions, "method": method, "equilibria": out_eqs,
               "note": str(getattr(eqs, "message", "") or ""),
               "correlated": None if ce is None else {
                   "status": _status(ce), "payoffs": getattr(ce, "payoffs", None),
                   "distribution": getattr(ce, "distribution", None)},
               "skipped": skipped}
    return payload, lines, statuses


def _nash_plan(g, n: int, method):
    """The Nash method (and options) the game's size allows, and what was skipped."""
    if method:
        return method, None, []
    if n != 2:
        return "pure", None, []
    m1, m2 = g.num_actions
    if support_work(m1, m2) <= SUPPORT_WORK_LIMIT:
        return "support", None, []
    if min(m1, m2) <= VERTEX_DIMENSION_LIMIT:
        return "vertex", None, [f"support enumeration (a {m1}x{m2} game is above its limit; "
                                f"vertex enumeration lists the same extreme equilibria)"]
    return "lemke_howson", {"labels": [0]}, [
        f"enumeration of every equilibrium (a {m1}x{m2} game is too large for support and "
        f"vertex enumeration): one equilibrium by Lemke-Howson from label 0"]


def _solve_repeated(rg, args):
    method = args.method or ("abreu_sannikov" if rg.game.n_players == 2 else "outer")
    ps = rg.payoff_set(method=method)
    verts = np.asarray(ps.vertices, dtype=float)
    lines = [f"Repeated game, discount {_num(rg.delta)}: payoff set ({method}), status "
             f"{_status(ps)}", f"  {len(verts)} vertices (normalised payoffs):"]
    lines += [f"    {_vec(v, 4)}" for v in verts]
    worst = rg.worst_payoffs()
    lines.append(f"  worst subgame-perfect payoffs {_vec(worst, 4)}")
    payload = {"kind": "repeated", "discount": rg.delta, "method": method,
               "status": _status(ps), "vertices": verts, "worst_payoffs": worst}
    return payload, lines, [_status(ps)]


def _solve_regime(rg, args):
    eqs = rg.markov_equilibria(method=args.method or "enumerate")
    names = [list(g.actions) for g in rg.stage_games]
    lines = [f"Regime game: {rg.n_regimes} regimes, {rg.n_players} players, discount "
             f"{_num(rg.delta)}",
             f"Pure stationary Markov perfect equilibria: {len(eqs)}"]
    out = []
    for k, eq in enumerate(eqs, 1):
        lines.append(f"  {k}. regret {_num(eq.regret, 9)}")
        for s, (profile, values) in enumerate(zip(eq.profiles, np.asarray(eq.values))):
            acts = ", ".join(names[s][i][a] for i, a in enumerate(profile))
            lines.append(f"     regime {s}: ({acts})   values {_vec(values, 4)}")
        out.append({"profiles": eq.profiles, "values": eq.values, "regret": eq.regret,
                    "status": _status(eq)})
    payload = {"kind": "regime", "discount": rg.delta, "markov_equilibria": out}
    return payload, lines, [_status(eq) for eq in eqs]


def _solve_scenario(sc, args):
    _refuse_unused(args, {"method": "--method"}, "for a revocation scenario (it has one "
                                                 "solver)")
    eq = pg.solve(sc)
    results = {t: pg.minimum_assurance(sc, target=t) for t in ORDINARY_TARGETS}
    statuses = [_status(eq)] + [_status(r) for r in results.values()]
    unique = bool(getattr(args, "unique", False)) and sc.n_partners > 1
    if unique:  # the row "every equilibrium" of the comparison (the unique targets)
        for t in ("unique_participation", "unique_continuity"):
            results[t] = pg.minimum_assurance(sc, target=t)
            statuses.append(_status(results[t]))
    if not args.json:
        text = format_report(sc, equilibrium=eq, assurance=results, unique=unique)
        return {}, text.rstrip("\n").splitlines(), statuses
    cmp = pg.compare(sc, equilibrium=eq, assurance=results, unique=unique)
    payload = {"kind": "revocation", "name": getattr(sc, "name", ""),
               "equilibrium": _equilibrium_payload(eq),
               "assurance": {t: _assurance_payload(r) for t, r in results.items()},
               "comparison": [{"variant": v.label,
                               "equilibrium": _equilibrium_payload(v.equilibrium),
                               "assurance": {t: _assurance_payload(r)
                                             for t, r in v.assurance.items()}}
                              for v in cmp.variants]}
    if cmp.policies:  # plural dependence against assurance (partners with other sources)
        payload["policies"] = [{k: jsonable(getattr(pc, k)) for k in _POLICY_KEYS}
                               for pc in cmp.policies]
    return payload, [], statuses


_POLICY_KEYS = ("partner", "policies", "labels", "share", "shares", "partner_value",
                "expected_value", "cvar", "provider_value", "provider_cost",
                "revocation_probability", "target", "risk_aversion", "alpha", "status",
                "message")


def _equilibrium_payload(eq):
    keep = ("stay", "maintain", "partner_value", "exit_value", "provider_value",
            "revocation_probability", "exit_probability", "any_revocation_probability",
            "n_equilibria", "ambiguous", "exact", "self_enforcing", "status", "message",
            "partners", "regimes")
    return {k: jsonable(getattr(eq, k)) for k in keep if hasattr(eq, k)}


def _assurance_payload(res):
    keep = ("target", "levels", "amount", "level_range", "total_cost", "commitment",
            "constructible", "reason", "unbounded", "exact", "method", "status", "message",
            "partners", "instruments")
    out = {k: jsonable(getattr(res, k)) for k in keep if hasattr(res, k)}
    eq = getattr(res, "equilibrium", None)
    if eq is not None:
        out["revocation_probability"] = jsonable(eq.revocation_probability)
    if hasattr(res, "price_of_uniqueness"):
        out.update(_unique_payload(res))
    return out


def _solve_tu(tu, args):
    _refuse_unused(args, {"method": "--method"}, "for a TU game (every value is computed "
                                                 "exactly)")
    players = list(getattr(tu, "players", []))
    sh = pg.shapley(tu)
    nu = pg.nucleolus(tu)
    cos = pg.cost_of_stability(tu)
    core = pg.core(tu)
    n = len(players)
    rows = {"Shapley": _values(sh, n), "nucleolus": _values(nu, n)}
    lines = [f"{getattr(tu, 'name', '') or 'TU game'}: {len(players)} players",
             "  player" + "".join(f"  {name:>10}" for name in rows)]
    for i, p in enumerate(players):
        lines.append(f"  {p:<6}" + "".join(f"  {_num(rows[name][i], 4):>10}" for name in rows))
    for name, res in (("Shapley", sh), ("nucleolus", nu)):
        if not res.success:
            lines.append(f"  {name}: status {_status(res)}: {getattr(res, 'message', '')}")
    nonempty = getattr(core, "nonempty", getattr(core, "success", None))
    cost = getattr(cos, "cost", None)
    lines.append(f"  core non-empty: {nonempty}   cost of stability: "
                 f"{'n/a' if cost is None else _num(cost, 6)}")
    statuses = [_status(sh), _status(nu), _status(cos)]
    payload = {"kind": "tu", "players": players, "shapley": rows["Shapley"],
               "nucleolus": rows["nucleolus"], "core_nonempty": nonempty,
               "cost_of_stability": cost,
               "status": {"shapley": _status(sh), "nucleolus": _status(nu),
                          "cost_of_stability": _status(cos)}}
    return payload, lines, statuses


def _values(res, n):
    """A result's allocation (NaN for every player when the solver found none)."""
    for attr in ("value", "allocation"):
        if hasattr(res, attr):
            value = getattr(res, attr)
            return np.full(n, np.nan) if value is None else np.asarray(value, dtype=float)
    return np.asarray(res, dtype=float)


def _kind(obj) -> str:
    return {"NormalFormGame": "normal_form", "RepeatedGame": "repeated", "RegimeGame": "regime",
            "Scenario": "revocation", "TUGame": "tu"}.get(type(obj).__name__, "unknown")


def _load(path):
    """A game file, or the shipped example of an ``example:NAME`` argument."""
    text = str(path)
    if text.startswith(EXAMPLE_PREFIX):
        return pg.examples.load(text[len(EXAMPLE_PREFIX):])
    return pg.load(path)


def cmd_solve(args):
    obj = _load(args.file)
    handler = {"normal_form": _solve_normal_form, "repeated": _solve_repeated,
               "regime": _solve_regime, "revocation": _solve_scenario, "tu": _solve_tu}.get(
        _kind(obj))
    if handler is None:
        raise UsageError(f"solve: {args.file}: cannot solve a {type(obj).__name__}")
    if getattr(args, "unique", False) and _kind(obj) != "revocation":
        raise UsageError(f"solve: --unique applies to a revocation scenario, not a "
                         f"{type(obj).__name__}")
    payload, lines, statuses = handler(obj, args)
    payload["file"] = str(args.file)
    return payload, lines, statuses


# --------------------------------------------------------------------------- assurance

def cmd_assurance(args):
    sc = _load(args.file)
    if _kind(sc) != "revocation":
        raise UsageError(f"assurance: {args.file} is a {type(sc).__name__} file, not a "
                         f"revocation scenario (kind = \"revocation\")")
    res = pg.minimum_assurance(sc, target=args.target)
    payload = {"kind": "assurance", "file": str(args.file), "target": args.target,
               **_assurance_payload(res)}
    partners = list(getattr(res, "partners", None) or
                    [p.name for p in getattr(sc, "partners", [])])
    instruments = list(getattr(res, "instruments", None) or
                       [i.name for i in getattr(sc, "instruments", [])] or ["assurance"])
    lines = [f"Minimum credible assurance ({args.target}) for {getattr(sc, 'name', args.file)}",
             f"  status: {_status(res)}   constructible: {getattr(res, 'constructible', '?')}"]
    if getattr(res, "reason", ""):
        lines.append(f"  reason: {res.reason}")
    levels = np.atleast_2d(np.asarray(getattr(res, "levels", []), dtype=float))
    if levels.size:
        width = max([len(p) for p in partners] + [7])
        lines.append("  " + "partner".ljust(width) + "".join(f"  {i:>14}" for i in instruments))
        for p, row in zip(partners, levels):
            lines.append("  " + str(p).ljust(width) + "".join(f"  {_num(x, 6):>14}" for x in row))
    if hasattr(res, "total_cost"):
        lines.append(f"  provider's cost: {_num(res.total_cost)}")
    if hasattr(res, "price_of_uniqueness"):
        lines += _unique_lines(res)
    return payload, lines, [_status(res)]


#: The targets of ``paxgame assurance --target`` and of sweeps.


def _unique_lines(res):
    """The unique target's certificate, ranking and price of uniqueness."""
    lines = []
    if res.constructible:
        many = "equilibrium" if res.n_equilibria == 1 else "equilibria"
        lines.append(f"  certificate: {res.n_equilibria} pure Markov perfect {many} at "
                     f"these levels, each meets the target "
                     f"({'exact' if res.exact else 'method not exact: ' + res.method})")
        lines.append("  ranking (divide and conquer): " + (" > ".join(res.ranking) if res.ranking
                                                         else "none (the levels form no ranking)"))
    ordinary = res.ordinary
    if ordinary is not None:
        lines.append(f"  ordinary {ordinary.target}: status {_status(ordinary)}, cost "
                     f"{_num(ordinary.total_cost)}")
    lines.append(f"  price of uniqueness: {_num(res.price_of_uniqueness)} "
                 f"(extra commitment {_num(res.extra_commitment)})")
    return lines


def _unique_payload(res):
    return {"n_equilibria": int(res.n_equilibria), "ranking": list(res.ranking),
            "ranking_margins": jsonable(res.ranking_margins),
            "price_of_uniqueness": jsonable(res.price_of_uniqueness),
            "extra_commitment": jsonable(res.extra_commitment),
            "ordinary_total_cost": jsonable(getattr(res.ordinary, "total_cost", float("nan")))}


# --------------------------------------------------------------------------- unused options

#: The sweep options of ``sweep`` and ``plot`` (attribute -> flag).
SWEEP_OPTIONS = {"grid": "--grid", "quantity": "--quantity", "target": "--target",
                 "chunk": "--chunk", "checkpoint": "--checkpoint", "scheduler": "--scheduler",
                 "workers": "--workers"}


def _refuse_unused(args, options, why: str) -> None:
    """An option the command does not use for this input is an error naming it (exit 2),
    never silently ignored."""
    for attr, flag in options.items():
        if getattr(args, attr, None) not in (None, False):
            raise UsageError(f"{args.command}: {flag} is not used {why}; remove it")


def _check_workers(args) -> None:
    if getattr(args, "workers", None) is not None and getattr(args, "scheduler", None) is None:
        raise UsageError(f"{args.command}: --workers is not used without --scheduler "
                         f"(processes or dask); remove it or add --scheduler")


# --------------------------------------------------------------------------- sweep

#: Most values one --grid axis may have (its coordinates are held in memory).
MAX_AXIS_VALUES = 10_000_000


def parse_grid(specs, sc=None, streamed: bool = False, n_quantities: int = 1) -> dict:
    """Parse ``NAME=START:STOP:NUM`` (an inclusive linspace) or ``NAME=V1,V2,...``.

    The grid's size is checked before any array is made (at most :data:`MAX_AXIS_VALUES` per
    axis and :func:`paxgame.sweep.check_grid_size` overall). With a scenario ``sc``, an axis
    whose values are all whole numbers becomes an integer grid when the parameter takes
    integers only (e.g. ``horizon=5:40:8``).
    """
    grid, sizes = {}, {}
    for spec in specs or []:
        name, sep, rng = spec.partition("=")
        name = name.strip()
        if not sep or not name or not rng:
            raise UsageError(f"sweep: --grid {spec!r} must look like NAME=START:STOP:NUM or "
                             f"NAME=V1,V2,...")
        if name in sizes:
            raise UsageError(f"sweep: --grid names {name!r} twice")
        try:
            if ":" in rng:
                parts = rng.split(":")
                if len(parts) != 3:
                    raise ValueError
                start, stop, num = float(parts[0]), float(parts[1]), int(parts[2])
                if num < 1:
                    raise ValueError
                if not (math.isfinite(start) and math.isfinite(stop)):
                    raise UsageError(f"sweep: --grid {spec!r}: START and STOP must be finite "
                                     f"numbers")
                sizes[name] = ("linspace", start, stop, num)
            else:
                vals = [float(v) for v in rng.split(",")]
                sizes[name] = ("values", vals, None, len(vals))
        except UsageError:
            raise
        except ValueError:
            raise UsageError(f"sweep: --grid {spec!r} must look like NAME=START:STOP:NUM "
                             f"(NUM a positive integer) or NAME=V1,V2,...") from None
        if sizes[name][3] > MAX_AXIS_VALUES:
            raise UsageError(f"sweep: --grid {spec!r} asks for {sizes[name][3]} values; at "
                             f"most {MAX_AXIS_VALUES:,} per parameter")
    if not sizes:
        raise UsageError("sweep: give at least one --grid NAME=START:STOP:NUM")
    try:  # the size before any allocation
        check_grid_size("sweep", [v[3] for v in sizes.values()], n_quantities, streamed)
    except ValueError as err:
        raise UsageError(str(err)) from None
    for name, (kind, a, b, num) in sizes.items():
        vals = np.linspace(a, b, num) if kind == "linspace" else np.array(a, dtype=float)
        grid[name] = _integer_axis(sc, name, vals)
    return grid


def _integer_axis(sc, name, vals):
    """``vals`` as integers when they are whole numbers and the parameter takes integers
    only (it refuses the float and accepts the integer); otherwise unchanged."""
    if sc is None or not np.all(np.isfinite(vals)) or np.any(np.abs(vals) > 2**53) \
            or not np.all(vals == np.round(vals)):
        return vals
    first = vals[0].item()
    try:
        sc.replace(**{name: first})
    except (ValueError, TypeError):
        try:
            sc.replace(**{name: int(first)})
        except (ValueError, TypeError):
            return vals
        return np.round(vals).astype(np.int64)
    return vals


def _sweep_from_args(args, sc, out=None):
    quantity = args.quantity or "amount"
    quantity = quantity.split(",") if "," in quantity else quantity
    n_quantities = len(quantity) if isinstance(quantity, list) else 1
    grid = parse_grid(args.grid, sc, streamed=out is not None, n_quantities=n_quantities)
    checkpoint = args.checkpoint
    if checkpoint == "":
        raise UsageError(f"{args.command}: --checkpoint needs a directory here "
                         f"(--checkpoint DIR)")
    res = pg.sweep(sc, grid, quantity=quantity, target=args.target or "participation",
                   chunk=args.chunk,
                   checkpoint=checkpoint, scheduler=args.scheduler, workers=args.workers,
                   progress=not args.json and None, out=out,
                   overwrite=getattr(args, "overwrite", False))
    return res, grid


def cmd_sweep(args):
    sc = _load(args.file)
    if _kind(sc) != "revocation":
        raise UsageError(f"sweep: {args.file} is a {type(sc).__name__} file, not a revocation "
                         f"scenario")
    _check_workers(args)
    out = Path(args.out)
    suffix = out.suffix.lower()
    if args.format is not None and suffix in (".nc", ".zarr") and suffix != f".{args.format}":
        raise UsageError(f"sweep: --format {args.format} contradicts --out {args.out} (a "
                         f"{suffix} path); remove --format")
    args.format = args.format or "nc"
    if out.suffix.lower() not in (".nc", ".zarr") and (out.is_symlink() or
                                                      (out.exists() and not out.is_dir())):
        raise UsageError(f"sweep: --out {args.out} exists and is not a directory; give a "
                         f"directory or a path ending in .nc or .zarr")
    target_path = out if out.suffix.lower() in (".nc", ".zarr") else out / f"sweep.{args.format}"
    if args.checkpoint == "":
        args.checkpoint = str(target_path.parent / "checkpoint")
    streamed = target_path.suffix.lower() == ".zarr"  # written chunk by chunk: flat memory
    res, grid = _sweep_from_args(args, sc, out=target_path if streamed else None)
    if not streamed:
        target_path.parent.mkdir(parents=True, exist_ok=True)
        res.save(target_path, overwrite=args.overwrite)
    ds = res.dataset
    lines = [f"Swept {' x '.join(f'{n} ({ds.sizes[n]})' for n in res.names)} = "
             f"{int(np.prod(res.shape))} points ({res.computed_points} computed, "
             f"{res.resumed_points} from the checkpoint)"]
    summary = {}
    for q in ds.data_vars:  # reductions stream over the chunks of a lazily read store
        da = ds[q]
        if da.dtype == bool:
            share = float(da.mean())
            summary[q] = {"share_true": share}
            lines.append(f"  {q}: true at {_num(100 * share, 4)}% of the points")
        else:
            count = int(np.isfinite(da).sum())
            lo = float(da.where(np.isfinite(da)).min()) if count else None
            hi = float(da.where(np.isfinite(da)).max()) if count else None
            summary[q] = {"min": lo, "max": hi, "finite": count}
            lines.append(f"  {q}: min {_num(lo)}, max {_num(hi)} ({count} finite values)"
                         if count else f"  {q}: no finite values")
    lines.append(f"  written to {target_path}")
    payload = {"kind": "sweep", "file": str(args.file), "out": str(target_path),
               "grid": {k: {"start": float(v[0]), "stop": float(v[-1]), "num": int(v.size)}
                        for k, v in grid.items()},
               "target": args.target or "participation", "fingerprint": res.fingerprint,
               "computed_points": res.computed_points, "resumed_points": res.resumed_points,
               "summary": summary}
    return payload, lines, []


# --------------------------------------------------------------------------- plot

def cmd_plot(args):
    import matplotlib

    matplotlib.use("Agg")

    dpi = 120 if args.dpi is None else args.dpi
    if not 0 < dpi <= plot.MAX_DPI:  # before any work; the pixel count is checked on saving
        raise UsageError(f"plot: --dpi must lie in 1..{plot.MAX_DPI}, got {dpi}")
    out = Path(args.out)
    if out.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise UsageError(f"plot: --out {args.out!r} must end in .png, .pdf or .svg")
    _check_workers(args)
    path = Path(args.file)
    quantity = (args.quantity or "amount").split(",")[0]
    if path.suffix.lower() in (".nc", ".zarr"):
        _refuse_unused(args, {k: v for k, v in SWEEP_OPTIONS.items() if k != "quantity"},
                       "when plotting a saved sweep")
        if not path.exists():
            raise FileNotFoundError(f"plot: {args.file}: no such file")
        fig = plot.assurance_heatmap(SweepResult.open(path), quantity=quantity)
        what = "assurance heatmap"
    else:
        obj = _load(args.file)
        kind = _kind(obj)
        if kind == "revocation" and args.grid:
            res, _ = _sweep_from_args(args, obj)
            fig = plot.assurance_heatmap(res, quantity=quantity)
            what = "assurance heatmap"
        elif kind == "revocation":
            _refuse_unused(args, SWEEP_OPTIONS, "for a regime map (a scenario without --grid)")
            fig = plot.regime_map(pg.solve(obj), title=obj.name)
            what = "regime map"
        elif kind in ("repeated", "normal_form", "tu"):
            _refuse_unused(args, SWEEP_OPTIONS, f"for a {type(obj).__name__} (sweeps are "
                                                f"of revocation scenarios)")
            if kind == "tu":
                fig = plot.allocation_bars({"Shapley value": pg.shapley(obj),
                                            "nucleolus": pg.nucleolus(obj)}, tu=obj)
                what = "Shapley and nucleolus bar chart"
            else:
                fig = _payoff_set_figure(obj)
                what = "payoff set"
        else:
            raise UsageError(f"plot: {args.file}: no figure for a {type(obj).__name__}")
    import matplotlib.pyplot as plt

    try:
        plot.save(fig, out, dpi=dpi)
    except ValueError as err:
        raise UsageError(f"plot: {err}") from None
    finally:
        plt.close(fig)
    return ({"kind": "plot", "file": str(args.file), "figure": what, "out": str(out)},
            [f"{what} written to {out}"], [])


def _payoff_set_figure(game):
    """The payoff-set figure of a two-player game: the exact set of a repeated game over
    the stage game's feasible set, its individually rational part and pure equilibria."""
    stage = getattr(game, "stage_game", game)
    if stage.n_players != 2:  # the figure refuses it before drawing
        return plot.payoff_sets([], game=game)
    sets = [game.payoff_set(method="abreu_sannikov")] if hasattr(game, "payoff_set") else []
    return plot.payoff_sets(sets, game=game,
                            minmax=[pg.minmax(stage, i, mixed=True) for i in range(2)],
                            nash=pg.pure_nash(stage))


# --------------------------------------------------------------------------- convert

def cmd_convert(args):
    src, dst = Path(args.input), Path(args.output)
    if dst.exists() and not dst.is_file():  # a FIFO would block, a device or directory fail
        raise UsageError(f"convert: {args.output} exists and is not a regular file; give a "
                         f"file path")
    obj = _load(src)
    suffix = dst.suffix.lower()
    if suffix == ".nfg":
        if _kind(obj) != "normal_form":
            raise UsageError(f"convert: only normal-form games can be written as .nfg; "
                             f"{args.input} holds a {type(obj).__name__}")
        pg.write_nfg(obj, dst)
    elif suffix == ".toml":
        pg.save(obj, dst)
    else:
        raise UsageError(f"convert: unknown output type {suffix or args.output!r}; use .toml "
                         f"or .nfg")
    return ({"kind": "convert", "input": str(src), "output": str(dst),
             "game": type(obj).__name__}, [f"{src} -> {dst} ({type(obj).__name__})"], [])


# --------------------------------------------------------------------------- bench

def find_checkout(start=None, package_dir=None) -> Path | None:
    """The repository root holding ``benchmarks/run.py``, searched upwards from ``start``
    (default: the working directory) and from ``package_dir`` (default: this package's
    location, which is inside the checkout for an editable install); None when neither is
    inside a checkout."""
    candidates = [Path(start or os.getcwd()).resolve(),
                  Path(package_dir or Path(__file__).parent).resolve()]
    for base in candidates:
        for d in (base, *base.parents):
            if (d / "benchmarks" / "run.py").is_file() and (d / "pyproject.toml").is_file():
                return d
    return None


def cmd_bench(args):
    root = find_checkout()
    if root is None:
        raise UsageError("bench: no benchmarks/ folder found: run this command inside a "
                         "checkout of the paxgame repository (the benchmarks are not "
                         "installed with the package)")
    cmd = [sys.executable, "-m", "benchmarks.run"]
    if args.quick:
        cmd.append("--quick")
    for only in args.only or []:
        cmd += ["--only", only]
    proc = subprocess.run(cmd, cwd=root, capture_output=args.json, text=True, check=False)
    if proc.returncode != 0:
        detail = (proc.stderr or "").strip().splitlines()[-1:] if args.json else []
        raise CommandFailed(f"bench: the benchmark suite failed (exit {proc.returncode})"
                           + (f": {detail[0]}" if detail else ""))
    payload = {"kind": "bench", "root": str(root), "command": cmd}
    if args.json:
        payload["table"] = proc.stdout
    return payload, [], []


# --------------------------------------------------------------------------- main

#: How a shipped example is named on the command line instead of a file (see
#: :mod:`paxgame.examples`): ``paxgame solve example:managed_interdependence``.
EXAMPLE_PREFIX = "example:"

#: The --method values of `solve`, by the kind of game they apply to (the solvers' own
#: method tables; an unknown name is refused by argparse with this list).
NASH_METHODS = ("support", "pure", "vertex", "lemke_howson", "zero_sum", "logit",
                "support_newton")
PAYOFF_SET_METHODS = ("abreu_sannikov", "outer", "inner")
REGIME_METHODS = ("enumerate", "policy")

FILE_HELP = ("a game file (.toml of any kind, or Gambit .nfg), or example:NAME for a "
             "shipped example (names: python -c 'import paxgame; "
             "print(paxgame.examples.list())')")

EPILOGS = {
    "paxgame": """\
commands and the extra each needs (pip install 'paxgame[EXTRA]'):
  solve, assurance, convert   none
  sweep                       dask (xarray, netCDF4, zarr)
  plot                        plot (matplotlib); a sweep heatmap also needs dask
  bench                       bench, and a checkout of the repository

examples:
  paxgame solve example:chicken
  paxgame assurance example:revocation_order --target continuity
  paxgame COMMAND --help

Exit codes: 0 ok, 1 solver status not optimal, 2 invalid input, 3 internal error.""",
    "solve": """\
what is computed, by the file's kind:
  normal_form  Nash equilibria (support enumeration for two players, pure otherwise)
               and the welfare-maximising correlated equilibrium
  repeated     the subgame-perfect payoff set (abreu_sannikov for two players, else outer)
  regime       the pure stationary Markov perfect equilibria
  revocation   the partner-best equilibrium and the minimum credible assurance
  tu           Shapley value, nucleolus, core and cost of stability (no --method)

examples:
  paxgame solve example:chicken
  paxgame solve example:chicken --method lemke_howson
  paxgame solve example:managed_interdependence --json
  paxgame solve my_game.toml""",
    "assurance": """\
examples:
  paxgame assurance example:revocation_order
  paxgame assurance example:managed_interdependence --target continuity --json""",
    "sweep": """\
needs the dask extra: pip install 'paxgame[dask]'

NAME is a dotted scenario parameter: discount, horizon, screening,
partners.0.access_value, partners.0.revocation_gain.hawkish, ...

examples:
  paxgame sweep example:plural_dependencies --grid discount=0.5:0.99:20 \\
      --grid partners.0.revocation_gain.hawkish=0:40:21 --out runs/plural
  paxgame sweep example:revocation_order --grid discount=0.8,0.9,0.95 \\
      --grid partners.0.revocation_gain.hawkish=0:40:41 --quantity amount,constructible \\
      --out runs/order.zarr --checkpoint""",
    "plot": """\
needs the plot extra: pip install 'paxgame[plot]' (a heatmap also needs dask)

the figure by input: a repeated or normal-form game: its payoff set; a scenario: its
regime map (with --grid: an assurance heatmap); a TU game: Shapley and nucleolus bars;
a saved sweep (.nc, .zarr): its heatmap.

examples:
  paxgame plot example:prisoners_dilemma_d06 --out payoff_set.png
  paxgame plot example:revocation_order --out regimes.svg
  paxgame plot runs/plural/sweep.nc --out heatmap.png --quantity amount""",
    "convert": """\
examples:
  paxgame convert example:chicken chicken.nfg
  paxgame convert chicken.nfg chicken.toml""",
    "bench": """\
needs the bench extra (pip install -e '.[bench]') and a checkout of the repository:
the benchmarks are not installed with the package.

examples:
  paxgame bench --quick
  paxgame bench --only stage --only cooperative""",
}


def build_parser() -> argparse.ArgumentParser:
    from . import __version__  # local: the package imports this module's dependencies first

    common = _Parser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print machine-readable JSON on stdout (default: text)")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the traceback of an error (default: one line on stderr)")
    raw = argparse.RawDescriptionHelpFormatter
    parser = _Parser(prog="paxgame", parents=[common], formatter_class=raw,
                     description=textwrap.fill(
                         "Game theory for technology coalitions: equilibria, minimum credible "
                         "assurance, sweeps and figures of game files.", 78),
                     epilog=EPILOGS["paxgame"])
    parser.add_argument("--version", action="version", version=f"paxgame {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    def add(name, help, description):
        return sub.add_parser(name, parents=[common], help=help,
                              description=textwrap.fill(description, 78),
                              epilog=EPILOGS[name], formatter_class=raw)

    p = add("solve", "solve any game file",
            "Solve a game file according to its kind (see below).")
    p.add_argument("file", help=FILE_HELP)
    p.add_argument("--method", default=None,
                   choices=NASH_METHODS + PAYOFF_SET_METHODS + REGIME_METHODS,
                   metavar="METHOD",
                   help="normal-form games: one of " + ", ".join(NASH_METHODS) + " (default "
                        "support for two players, pure otherwise; larger games fall back to "
                        "vertex or lemke_howson); repeated games: " +
                        ", ".join(PAYOFF_SET_METHODS) + " (default abreu_sannikov for two "
                        "players, outer otherwise); regime games: " +
                        ", ".join(REGIME_METHODS) + " (default enumerate); not used for "
                        "scenarios and TU games (an error there)")
    p.add_argument("--unique", action="store_true",
                   help="revocation scenarios with several partners: add the unique targets "
                        "(every equilibrium keeps the partners in) and the price of "
                        "uniqueness to the comparison (slower: minutes on some scenarios)")
    p.set_defaults(func=cmd_solve)

    p = add("assurance", "minimum credible assurance of a scenario",
            "The minimum credible assurance of a revocation scenario: instrument levels per "
            "partner, the provider's cost, and whether any assurance is constructible.")
    p.add_argument("file", help=FILE_HELP + "; must hold a revocation scenario")
    p.add_argument("--target", choices=TARGETS,
                   default="participation",
                   help="participation: every partner stays after every regime; "
                        "continuity: also no revocation on the equilibrium path; "
                        "unique_participation, unique_continuity: the same in every "
                        "equilibrium, with the ranking and the price of uniqueness "
                        "(default: %(default)s)")
    p.set_defaults(func=cmd_assurance)

    def sweep_options(p, required):
        p.add_argument("--grid", action="append", required=required,
                       metavar="NAME=START:STOP:NUM",
                       help="a dotted scenario parameter and its values: NUM evenly spaced "
                            "values from START to STOP inclusive, or a list NAME=V1,V2,... "
                            "(repeatable: one axis each" +
                            ("" if required else "; default: none, and a scenario's regime "
                                                 "map is drawn") + ")")
        p.add_argument("--quantity", default=None, metavar="Q[,Q...]",
                       help="what to store at each point, comma-separated: amount, "
                            "constructible, status, total_cost, exact, "
                            "revocation_probability, or amount:INSTRUMENT when the scenario "
                            "has several instruments (default: amount)")
        p.add_argument("--target", choices=TARGETS, default=None,
                       help="assurance target (default: participation)")
        p.add_argument("--chunk", type=int, default=None, metavar="N",
                       help="grid points per chunk, the unit of checkpointing and of "
                            "parallel work (default: chosen from the grid's size)")
        p.add_argument("--checkpoint", nargs="?", const="", default=None, metavar="DIR",
                       help="resumable checkpoint directory; without DIR: OUT/checkpoint "
                            "(default: no checkpoint)")
        p.add_argument("--scheduler", choices=("processes", "dask"), default=None,
                       help="run the chunks in parallel: processes (a local process pool) "
                            "or dask (the dask extra's scheduler) (default: in this process)")
        p.add_argument("--workers", type=int, default=None, metavar="N",
                       help="number of parallel workers, with --scheduler only (default: "
                            "the number of CPUs)")

    p = add("sweep", "parameter sweep of a scenario (needs the dask extra)",
            "Sweep a revocation scenario over a grid of parameters and save the answers as "
            "a labelled dataset (NetCDF or Zarr).")
    p.add_argument("file", help=FILE_HELP + "; must hold a revocation scenario")
    sweep_options(p, required=True)
    p.add_argument("--out", required=True, metavar="OUT",
                   help="output directory (the file OUT/sweep.nc or .zarr is written), or a "
                        "path ending in .nc or .zarr (.zarr is written chunk by chunk)")
    p.add_argument("--format", choices=("nc", "zarr"), default=None,
                   help="file type when --out is a directory (default: nc)")
    p.add_argument("--overwrite", action="store_true",
                   help="replace an output that paxgame wrote earlier (a user's file or "
                        "directory is never replaced; default: refuse)")
    p.set_defaults(func=cmd_sweep)

    p = add("plot", "draw the figure that fits a file (needs the plot extra)",
            "Draw the figure that fits a game file or a saved sweep.")
    p.add_argument("file", help=FILE_HELP + "; or a saved sweep (.nc, .zarr)")
    p.add_argument("--out", required=True, help="image file: .png, .pdf or .svg")
    p.add_argument("--dpi", type=int, default=None, metavar="N",
                   help="resolution of the image, 1..2400 (default: 120; at most 100 "
                        "megapixels)")
    sweep_options(p, required=False)
    p.set_defaults(func=cmd_plot)

    p = add("convert", "convert between TOML and .nfg",
            "Convert a game between paxgame's TOML files and Gambit .nfg files (the type "
            "of OUTPUT decides; .nfg holds normal-form games only).")
    p.add_argument("input", help=FILE_HELP)
    p.add_argument("output", help="the file to write: .toml or .nfg")
    p.set_defaults(func=cmd_convert)

    p = add("bench", "run the benchmark suite (a checkout, the bench extra)",
            "Run the benchmark suite (python -m benchmarks.run) of a repository checkout.")
    p.add_argument("--quick", action="store_true",
                   help="small inputs and few repeats (default: the full suite)")
    p.add_argument("--only", action="append", metavar="NAME",
                   help="run only the benchmark modules whose name contains NAME: stage, "
                        "nplayer, repeated, revocation, cooperative (repeatable; default: "
                        "all)")
    p.set_defaults(func=cmd_bench)
    return parser


@contextlib.contextmanager
def _stdout_to_stderr():
    """Send what solvers print on file descriptor 1 (e.g. a C library's banner) to stderr,
    so that standard output carries only the command's answer (and stays valid JSON)."""
    try:
        fd = sys.stdout.fileno()
        err_fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test's StringIO)
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    try:
        os.dup2(err_fd, fd)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, fd)
        os.close(saved)


def _flag(argv, name: str) -> bool:
    """Whether ``name`` was given, in any spelling argparse may see (``--json``,
    ``--json=...``), before a ``--`` that ends the options. A spelling argparse rejects
    (``--json=1``) is still an error, but it is reported in JSON like every other error."""
    for a in argv:
        if a == "--":
            return False
        if a == name or a.startswith(name + "="):
            return True
    return False


def _exit_code(statuses) -> int:
    return EXIT_OK if all(s == "optimal" for s in statuses) else EXIT_NOT_OPTIMAL


def main(argv=None) -> int:
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = _flag(argv, "--debug")
    as_json = _flag(argv, "--json")
    try:
        args = build_parser().parse_args(argv)
        args.json = getattr(args, "json", False)
        args.debug = getattr(args, "debug", False)
        if args.func is cmd_bench:
            payload, lines, statuses = args.func(args)
        else:
            with _stdout_to_stderr():
                payload, lines, statuses = args.func(args)
        code = _exit_code(statuses)
        if args.json:
            payload = {**payload, "exit_code": code}
            print(json.dumps(jsonable(payload), indent=2))
        elif lines:
            print("\n".join(lines))
        return code
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except BrokenPipeError:  # the reader (e.g. `| head`) closed the pipe: nothing to report
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_OK
    except KeyboardInterrupt:
        print("paxgame: interrupted", file=sys.stderr)
        return 130
    except BaseException as exc:  # noqa: BLE001 - translated into exit codes, re-raised on --debug
        code = _classify(exc)
        if debug:
            raise
        message = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, ModuleNotFoundError) and code == EXIT_INVALID:
            top = exc.name.split(".")[0]
            message = (f"{top} is not installed; this command needs the '{EXTRAS[top]}' extra: "
                       f"pip install 'paxgame[{EXTRAS[top]}]'")
        if code == EXIT_INTERNAL:
            message = (f"internal error ({type(exc).__name__}): {message} (rerun with --debug "
                       f"for the traceback and report it)")
        if as_json:
            print(json.dumps({"error": type(exc).__name__, "message": message,
                              "exit_code": code}))
        print(f"paxgame: {message}", file=sys.stderr)
        return code


#: Optional modules and the extra that installs them.
EXTRAS = {"matplotlib": "plot", "xarray": "dask", "netCDF4": "dask", "zarr": "dask",
          "tqdm": "dask", "dask": "dask", "distributed": "dask"}


def _classify(exc) -> int:
    if isinstance(exc, ModuleNotFoundError) and (exc.name or "").split(".")[0] in EXTRAS:
        return EXIT_INVALID
    if isinstance(exc, (UsageError, ValueError, TypeError, FileNotFoundError,
                        IsADirectoryError, PermissionError)):
        return EXIT_INVALID
    if isinstance(exc, (SolverError, CommandFailed)):
        return EXIT_NOT_OPTIMAL
    return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""API fuzz of the cooperative and game-file entry points: every exception is documented.

Hypothesis drives each public function of the cooperative games (TUGame, shapley, banzhaf,
the power indices, core, least_core, nucleolus, cost_of_stability, kohlberg_check, the
builders, the TU batch kernels) and of game files (load, loads_toml, read_nfg, write_nfg)
with random arguments: numbers of every kind (NaN, inf, 1e308, huge integers, booleans),
strings, bytes, None, nested and ragged lists, numpy arrays of many dtypes and shapes,
dicts, callables, valid and invalid games, and paths to random, empty and special files.

An outcome is ``ok`` (a return value), ``documented`` (a ``ValueError`` or ``TypeError``,
subclasses such as ``GameFileError`` included, or a ``FileNotFoundError`` from a loader,
whose message starts with the public function's name and a colon, or is the
``Unknown method '...' for NAME`` of a method table) or ``UNDOCUMENTED`` (anything else:
another type, such as MemoryError, OverflowError, IndexError, or a message led by another
name).

Usage::

    python scripts/api_fuzz_cooperative_io.py --budget 20000 [--seed 0] [--memory-gib 4]

The command limits its own address space (``resource.setrlimit(RLIMIT_AS)``, default 4 GiB),
so an allocation that escapes a size guard shows up as an undocumented MemoryError rather
than as a swapping machine. It prints the counts and each undocumented outcome, and exits
1 when there is one. The test suite runs a few hundred calls of the same generator
(``tests/property/test_api_fuzz_cooperative_io.py``).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

import paxgame as pg
from paxgame.io import loads_toml

__all__ = ["ENTRIES", "classify", "strategy", "run", "main"]


def _nfg_game():
    return pg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])


#: Public name -> (callable, positional parameter names, keyword parameter names, prefix of
#: its messages, may raise FileNotFoundError).
ENTRIES = {
    "TUGame": (pg.TUGame, ("values",), ("players", "name"), "TUGame", False),
    "shapley": (pg.shapley, ("tu",), ("method", "n_samples", "random_state"), "shapley",
                False),
    "banzhaf": (pg.banzhaf, ("tu",), (), "banzhaf", False),
    "core": (pg.core, ("tu",), ("allocation", "tol"), "core", False),
    "least_core": (pg.least_core, ("tu",), ("tol",), "least_core", False),
    "nucleolus": (pg.nucleolus, ("tu",), ("domain", "tol", "random_state"), "nucleolus",
                  False),
    "cost_of_stability": (pg.cost_of_stability, ("tu",), ("tol",), "cost_of_stability",
                          False),
    "kohlberg_check": (pg.kohlberg_check, ("values", "x"), ("imputation", "tol", "group_tol"),
                       "kohlberg_check", False),
    "shapley_shubik_index": (pg.shapley_shubik_index, ("weights", "quota"), ("players",),
                             "shapley_shubik_index", False),
    "banzhaf_index": (pg.banzhaf_index, ("weights", "quota"), ("normalized", "players"),
                      "banzhaf_index", False),
    "weighted_voting": (pg.weighted_voting, ("weights", "quota"), ("players",),
                        "weighted_voting", False),
    "bankruptcy": (pg.bankruptcy, ("estate", "claims"), ("players",), "bankruptcy", False),
    "glove_game": (pg.glove_game, ("left", "right"), ("players",), "glove_game", False),
    "airport_game": (pg.airport_game, ("costs",), ("players", "savings"), "airport_game",
                     False),
    "capability_pool": (pg.capability_pool, ("capabilities",),
                        ("production", "requirements", "shares", "rho", "returns", "scale",
                         "players"), "capability_pool", False),
    "batch.shapley": (pg.batch.shapley, ("values",), (), "batch.shapley", False),
    "batch.banzhaf": (pg.batch.banzhaf, ("values",), (), "batch.banzhaf", False),
    "batch.coalition_sums": (pg.batch.coalition_sums, ("x",), (), "batch.coalition_sums",
                             False),
    "load": (pg.load, ("path",), (), "load", True),
    "loads_toml": (loads_toml, ("text",), ("source",), "load", False),
    "read_nfg": (pg.read_nfg, ("path",), (), "read_nfg", True),
    "write_nfg": (pg.write_nfg, ("game", "path"), ("form",), "write_nfg", False),
}


def classify(name: str, error: BaseException | None) -> str:
    """``"ok"``, ``"documented"`` or ``"undocumented"`` for one call of ENTRIES[name]."""
    if error is None:
        return "ok"
    _, _, _, prefix, may_be_missing = ENTRIES[name]
    kinds = (ValueError, TypeError) + ((FileNotFoundError,) if may_be_missing else ())
    if not isinstance(error, kinds):
        return "undocumented"
    msg = str(error)
    if msg.startswith(prefix + ": ") or re.match(
            rf"^Unknown method '.*' for {re.escape(prefix)}; ", msg, flags=re.S):
        return "documented"
    return "undocumented"


# -- strategies ----------------------------------------------------------------------------

_TOML_SNIPPETS = [
    'kind = "tu"\nvalues = [0, 1, 1, 3]\n',
    'kind = "tu"\nplayers = ["a", "b"]\nvalues = [0, 1, 1, 3]\n',
    'kind = "tu"\nvalues = [1, 1, 1, 3]\n', 'kind = "tu"\nvalues = [0, 1, 1]\n',
    'kind = "tu"\nvalues = [0, "x", 1, 3]\n', 'kind = "tu"\n[values]\na = 1\n',
    'kind = "normal_form"\npayoffs = [[[1, 2]], [[3, 4]]]\n',
    'kind = "normal_form"\npayoffs = [[[1e999]], [[1]]]\n', 'kind = "nope"\n', "",
    "\ufeffkind = 'tu'\nvalues = [0, 1]\n", 'kind = "revocation"\ndiscount = 0.9\n',
    'kind = "revocation"\ndiscount = 0.9\n[[partners]]\nname = "*"\naccess_value = 1\n'
    'outside_option = 0\nrevocation_loss = 1\nprovider_value = 1\nrevocation_gain = 1\n',
    "NFG 1 R \"g\" { \"1\" \"2\" } { 2 2 }\n1 1 0 0 0 0 1 1\n", "NFG 1 R", "[" * 500,
    'kind = "tu"\nvalues = [' + ", ".join(["0"] * 4096) + "]\n",
]


def strategy(folder: Path, entries=None):
    """A hypothesis strategy of (entry name, args, kwargs) over ``entries`` (default all of
    ENTRIES); files go under ``folder``."""
    from hypothesis import strategies as st

    small_int = st.integers(-3, 12)
    big_int = st.sampled_from([27, 30, 63, 64, 65, 1000, 10 ** 6, 2 ** 31, 2 ** 62, 2 ** 63,
                               10 ** 12, 10 ** 30, -2 ** 63, -10 ** 9])
    special_float = st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308,
                                     -1.7e308, 5e-324, -0.0, 1e-300, 2.0 ** 63])
    number = st.one_of(small_int, big_int, special_float,
                       st.floats(-1e6, 1e6, allow_nan=False), st.booleans(),
                       st.fractions(max_denominator=7).filter(lambda f: abs(f) < 100),
                       st.complex_numbers(max_magnitude=10, allow_nan=False))
    text = st.one_of(st.text(max_size=12), st.sampled_from(
        ["exact", "sample", "imputation", "preimputation", "leontief", "ces", "payoff",
         "outcome", "EXACT", "", "*", "0"]))
    dtype = st.sampled_from([np.float64, np.float32, np.float16, np.int8, np.int64,
                             np.uint8, np.bool_, np.complex128, object, "U3", "M8[s]"])

    @st.composite
    def arrays(draw):
        ndim = draw(st.integers(0, 3))
        shape = tuple(draw(st.sampled_from([0, 1, 2, 3, 4, 8, 16, 32])) for _ in range(ndim))
        if int(np.prod(shape)) > 4096:
            shape = shape[:1]
        dt = draw(dtype)
        fill = draw(st.sampled_from(["zeros", "random", "special", "tu"]))
        n_el = int(np.prod(shape))
        rng = np.random.default_rng(draw(st.integers(0, 2 ** 16)))
        if fill == "zeros":
            data = np.zeros(shape)
        elif fill == "special":
            data = rng.choice([0.0, 1.0, np.nan, np.inf, -np.inf, 1e308, -1e308], size=shape)
        else:
            data = rng.normal(size=shape) * draw(st.sampled_from([1.0, 1e3, 1e300]))
        if fill == "tu" and ndim >= 1 and n_el:
            data.reshape(-1, shape[-1])[:, 0] = 0.0
        try:
            with np.errstate(invalid="ignore", over="ignore"):
                return np.asarray(data).astype(dt)
        except (TypeError, ValueError, OverflowError):
            return np.asarray(data)

    nested = st.recursive(st.one_of(number, text, st.none()),
                          lambda inner: st.lists(inner, max_size=5), max_leaves=20)

    @st.composite
    def games(draw):
        n = draw(st.integers(1, 6))
        size = 1 << n
        rng = np.random.default_rng(draw(st.integers(0, 2 ** 16)))
        kind = draw(st.sampled_from(["random", "integer", "huge", "tiny", "zero", "convex"]))
        if kind == "random":
            v = rng.normal(size=size)
        elif kind == "integer":
            v = rng.integers(-5, 10, size=size).astype(float)
        elif kind == "huge":
            v = rng.uniform(-1, 1, size=size) * 1.7e308
        elif kind == "tiny":
            v = rng.normal(size=size) * 1e-300
        elif kind == "zero":
            v = np.zeros(size)
        else:
            sizes = np.array([bin(m).count("1") for m in range(size)], dtype=float)
            v = sizes ** 2
        v[0] = 0.0
        return pg.TUGame(v)

    def files(kind: str, content):
        path = folder / f"input{kind}"
        if path.is_symlink() or path.exists():
            path.unlink()
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", errors="surrogatepass")
        return str(path)

    paths = st.one_of(
        st.builds(files, st.sampled_from([".toml", ".nfg", ".txt", ""]),
                  st.one_of(st.sampled_from(_TOML_SNIPPETS), st.binary(max_size=64),
                            st.text(max_size=64))),
        st.sampled_from([str(folder / "missing.toml"), str(folder), "/dev/null",
                         str(folder / "fifo.toml"), str(folder / "link.toml"), "",
                         "bad\x00name.toml"]),
        st.builds(Path, st.just(str(folder / "written.nfg"))))

    anything = st.one_of(number, text, st.none(), st.binary(max_size=8), nested, arrays(),
                         games(), st.dictionaries(st.tuples(small_int), number, max_size=4),
                         st.just(lambda S: len(S)), st.just(lambda S: "x"),
                         st.just(_nfg_game()), paths, st.just(object()))

    per_param = {
        "tu": st.one_of(games(), games(), games(), anything),
        "values": st.one_of(arrays(), nested, games().map(lambda g: g.values),
                            games().map(lambda g: g.values),
                            st.dictionaries(st.tuples(small_int), number, max_size=4),
                            st.just(lambda S: float(len(S))), anything),
        "players": st.one_of(small_int, big_int, st.lists(text, max_size=5), anything),
        "method": text, "domain": text, "production": text, "form": text,
        "n_samples": st.one_of(st.integers(-2, 500), big_int, anything),
        "random_state": st.one_of(st.integers(-5, 2 ** 32), anything),
        "path": st.one_of(paths, anything), "text": st.one_of(st.sampled_from(_TOML_SNIPPETS),
                                                              st.text(max_size=80), anything),
        "game": st.one_of(st.just(_nfg_game()), anything),
    }

    @st.composite
    def call(draw):
        name = draw(st.sampled_from(sorted(entries or ENTRIES)))
        _, positional, keywords, _, _ = ENTRIES[name]
        args = [draw(per_param.get(p, anything)) for p in positional]
        kwargs = {}
        for k in keywords:
            if draw(st.integers(0, 3)) == 0:
                kwargs[k] = draw(per_param.get(k, anything))
        if name == "write_nfg" and not isinstance(args[1], Path) and isinstance(args[1], str):
            args[1] = str(folder / "out.nfg")   # never write outside the folder
        return name, args, kwargs

    return call()


def _prepare(folder: Path) -> None:
    if hasattr(os, "mkfifo") and not (folder / "fifo.toml").exists():
        os.mkfifo(folder / "fifo.toml")
    link = folder / "link.toml"
    if not link.is_symlink():
        link.symlink_to("/dev/zero")


def run(budget: int = 1000, *, seed: int = 0, entries=None, verbose: bool = False) -> dict:
    """Make ``budget`` random calls and count the outcomes.

    Returns
    -------
    dict
        ``{"ok", "documented", "undocumented", "total", "seconds", "by_entry", "failures"}``
        with the failures as (entry, exception type, message) triples.

    Examples
    --------
    >>> r = run(20, seed=1)
    >>> r["undocumented"], r["total"]
    (0, 20)
    """
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed

    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 1:
        raise ValueError(f"run: budget must be a positive integer, got {budget!r}")
    counts: Counter = Counter()
    by_entry: Counter = Counter()
    failures: list[tuple[str, str, str]] = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="paxgame-api-fuzz-") as tmp:
        folder = Path(tmp)
        _prepare(folder)

        @hseed(seed)
        @settings(max_examples=budget, deadline=None, database=None,
                  phases=[Phase.generate], suppress_health_check=list(HealthCheck))
        @given(strategy(folder, entries))
        def one(item):
            name, args, kwargs = item
            func = ENTRIES[name][0]
            error = None
            try:
                func(*args, **kwargs)
            except Exception as err:  # noqa: BLE001 - classified and reported, not swallowed
                error = err
            outcome = classify(name, error)
            counts[outcome] += 1
            by_entry[name] += 1
            if outcome == "undocumented":
                failures.append((name, type(error).__name__, str(error)[:300]))
                if verbose:
                    import traceback

                    traceback.print_exception(error)

        one()
    return {"ok": counts["ok"], "documented": counts["documented"],
            "undocumented": counts["undocumented"], "total": sum(counts.values()),
            "seconds": time.perf_counter() - start, "by_entry": dict(by_entry),
            "failures": failures}


def main(argv=None) -> int:
    """The command; returns the exit status."""
    parser = argparse.ArgumentParser(description="API fuzz of paxgame's cooperative and "
                                                 "game-file functions.")
    parser.add_argument("--budget", type=int, default=2000, help="number of calls")
    parser.add_argument("--seed", type=int, default=0, help="generator seed")
    parser.add_argument("--memory-gib", type=float, default=4.0,
                        help="address-space limit of this process (0: none)")
    parser.add_argument("--entry", action="append", choices=sorted(ENTRIES), default=None,
                        help="fuzz only this entry point (repeatable)")
    parser.add_argument("--verbose", action="store_true", help="print tracebacks")
    args = parser.parse_args(argv)
    if args.budget < 1:
        parser.error(f"--budget must be positive, got {args.budget}")
    if args.memory_gib > 0:
        import resource

        limit = int(args.memory_gib * 2 ** 30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    result = run(args.budget, seed=args.seed, entries=args.entry, verbose=args.verbose)
    print(f"calls: {result['total']}  ok: {result['ok']}  documented errors: "
          f"{result['documented']}  UNDOCUMENTED: {result['undocumented']}  "
          f"time: {result['seconds']:.1f} s")
    print("per entry: " + ", ".join(f"{k} {v}" for k, v in sorted(result["by_entry"].items())))
    seen = Counter((name, kind, message[:120]) for name, kind, message in result["failures"])
    for (name, kind, message), count in seen.most_common(60):
        print(f"UNDOCUMENTED {name} (x{count}): {kind}: {message!r}")
    return 1 if result["undocumented"] else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""Fuzz the game-file loaders: every input must load or raise a documented error.

Usage::

    python -m paxgame.io.fuzz --budget 100000 [--seed 0] [--corpus games] [--save DIR]

Inputs are generated with hypothesis: valid TOML and ``.nfg`` games built from strategies,
the same texts mutated (characters inserted, deleted, replaced; slices duplicated), truncated
at a random point, mutated copies of the seed files (every ``.toml`` and ``.nfg`` under
``--corpus`` and the Gambit corpus when present: scenarios, repeated and cooperative games
too), and random bytes. Each input is written to a file in a temporary directory (with a
``.toml``, ``.nfg``, other or no suffix) and passed to :func:`paxgame.load`.

Outcomes:

``loaded``
    ``load`` returned a game.
``documented``
    ``load`` raised ``GameFileError``, ``ValueError``, ``TypeError`` or
    ``FileNotFoundError`` whose message starts with ``load:`` (the file's own error), or with
    another public function's name and a colon (a constructor's validation).
``UNDOCUMENTED``
    any other exception, or a message that does not follow that convention. The command
    prints each (type, message, and the saved input file under ``--save``) and exits 1.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import tempfile
import time
import traceback
from collections import Counter
from fractions import Fraction
from pathlib import Path

from ..errors import GameFileError
from . import load
from ._normal_form_schema import _toml_value

__all__ = ["classify", "run", "main"]

#: A documented message starts with ``load:`` or a public function's name and a colon.
_DOCUMENTED = re.compile(r"^(load: |[A-Za-z_][A-Za-z0-9_.]*: |Unknown method ')")

#: Characters the mutations insert: the syntax of both formats, digits, and some unicode.
_ALPHABET = '{}[]",=.#/\\-+_ \n\t0123456789eEinfa"\'Rr\x00\x7fé\u2028\ud7ff'


#: Pathological fragments: huge numbers and exponents, zero denominators, deep nesting.
_EXTREMES = ["9" * 5000, "1e999999999", "-1e-999999999", "1/" + "0" * 5000, "0." + "5" * 5000,
             "1e308", "17976931348623159" + "0" * 292, "[" * 3000, "{" * 3000, '"' * 3001,
             "\\" * 3000, "nan", "-inf", "1/0", "0/0", "3/" + "1" * 5000, "NFG 1 R", "\n" * 50]


def classify(error: BaseException | None) -> str:
    """``"loaded"``, ``"documented"`` or ``"undocumented"`` for the outcome of one load."""
    if error is None:
        return "loaded"

    if isinstance(error, (GameFileError, ValueError, TypeError, FileNotFoundError)) and (
            _DOCUMENTED.match(str(error))):
        return "documented"
    return "undocumented"


# -- strategies ----------------------------------------------------------------------------
def _strategies(seeds: list[tuple[str, str]]):
    from hypothesis import strategies as st

    names = st.text(min_size=0, max_size=8)
    number = st.one_of(
        st.integers(-10, 10),
        st.integers(-10 ** 30, 10 ** 30),
        st.fractions(max_denominator=50).filter(lambda f: abs(f) < 10 ** 6),
        st.floats(allow_nan=False, allow_infinity=False, width=64),
    )

    @st.composite
    def game_parts(draw):
        n = draw(st.integers(2, 3))
        counts = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
        profiles = math.prod(counts)
        values = draw(st.lists(number, min_size=n * profiles, max_size=n * profiles))
        players = draw(st.lists(names, min_size=n, max_size=n))
        actions = [draw(st.lists(names, min_size=m, max_size=m)) for m in counts]
        return n, counts, values, players, actions, draw(names)

    def nfg_text(parts, form, with_names, comment):
        n, counts, values, players, actions, title = parts

        def q(s):
            return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

        def num(x):
            if isinstance(x, Fraction):
                return str(x)
            return repr(x) if isinstance(x, float) else str(x)

        head = f"NFG 1 R {q(title)} {{ {' '.join(map(q, players))} }}\n"
        if with_names:
            head += "{ " + " ".join("{ " + " ".join(map(q, a)) + " }" for a in actions) + " }\n"
        else:
            head += "{ " + " ".join(map(str, counts)) + " }\n"
        if comment is not None:
            head += q(comment) + "\n"
        if form == "payoff":
            return head + " ".join(num(v) for v in values) + "\n"
        rows = [values[k * n:(k + 1) * n] for k in range(len(values) // n)]
        body = "{\n" + "".join('{ "" ' + ", ".join(num(v) for v in r) + " }\n"
                               for r in rows) + "}\n"
        return head + body + " ".join(str(k + 1) for k in range(len(rows))) + "\n"

    def toml_text(parts, extra):
        n, counts, values, players, actions, title = parts
        import numpy as np

        arr = np.array([float(v) if not isinstance(v, int) else v for v in values],
                       dtype=object).reshape((math.prod(counts), n)).T
        payoffs = [np.reshape(arr[i], counts, order="F").tolist() for i in range(n)]
        lines = ['kind = "normal_form"', f"name = {_toml_value(title)}",
                 f"players = {_toml_value(players)}", f"actions = {_toml_value(actions)}",
                 f"payoffs = {_toml_value(payoffs)}"]
        lines += extra
        return "\n".join(lines) + "\n"

    valid_nfg = st.builds(nfg_text, game_parts(), st.sampled_from(["payoff", "outcome"]),
                          st.booleans(), st.one_of(st.none(), names)).map(
        lambda t: (".nfg", t))
    valid_toml = st.builds(
        toml_text, game_parts(),
        st.lists(st.sampled_from(['source = "x"', 'description = "y"', 'payof = 1',
                                  'kind = "repeated"', 'nme = "z"', 'players = 3']),
                 max_size=1)).map(lambda t: (".toml", t))
    sources = [valid_nfg, valid_toml]
    if seeds:
        sources.append(st.sampled_from(seeds))
    valid = st.one_of(*sources)

    @st.composite
    def mutated(draw):
        suffix, text = draw(valid)
        for _ in range(draw(st.integers(1, 4))):
            i = draw(st.integers(0, len(text)))
            j = draw(st.integers(i, min(len(text), i + 12)))
            op = draw(st.sampled_from(["insert", "delete", "replace", "duplicate", "extreme"]))
            if op == "extreme":
                text = text[:i] + draw(st.sampled_from(_EXTREMES)) + text[j:]
            elif op == "insert":
                text = text[:i] + draw(st.text(_ALPHABET, min_size=1, max_size=4)) + text[i:]
            elif op == "delete":
                text = text[:i] + text[j:]
            elif op == "replace":
                text = text[:i] + draw(st.text(_ALPHABET, min_size=1, max_size=4)) + text[j:]
            else:
                text = text[:j] + text[i:j] * draw(st.integers(2, 20)) + text[j:]
        return suffix, text

    @st.composite
    def truncated(draw):
        suffix, text = draw(valid)
        return suffix, text[:draw(st.integers(0, max(0, len(text) - 1)))]

    suffix = st.sampled_from([".toml", ".nfg", ".txt", ""])
    random_bytes = st.tuples(suffix, st.binary(max_size=200))
    random_text = st.tuples(suffix, st.text(_ALPHABET, max_size=200))
    return st.one_of(valid, mutated(), truncated(), random_bytes, random_text)


def _seed_files(corpus: list[Path]) -> list[tuple[str, str]]:
    seeds = []
    for folder in corpus:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".toml", ".nfg") and path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                if len(text) <= 20_000:
                    seeds.append((path.suffix, text))
    return seeds


# -- running -------------------------------------------------------------------------------
def run(budget: int = 1000, *, seed: int = 0, corpus=("games",), save: str | None = None,
        verbose: bool = False) -> dict:
    """Load ``budget`` generated inputs and count the outcomes.

    Parameters
    ----------
    budget : int
        Number of inputs hypothesis generates (it may stop a little earlier when it runs out
        of distinct inputs).
    seed : int
        Seed of the generator: the same seed gives the same inputs.
    corpus : sequence of path-like
        Folders whose ``.toml`` and ``.nfg`` files are mutated too.
    save : str, optional
        Folder where inputs that raised an undocumented exception are copied.

    Returns
    -------
    dict
        ``{"loaded": int, "documented": int, "undocumented": int, "total": int,
        "seconds": float, "failures": [(input file, exception type, message), ...]}``.

    Examples
    --------
    >>> counts = run(20, seed=1)
    >>> counts["undocumented"], counts["total"]
    (0, 20)
    """
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed

    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 1:
        raise ValueError(f"run: budget must be a positive integer, got {budget!r}")
    seeds = _seed_files([Path(c) for c in corpus])
    counts: Counter = Counter()
    failures: list[tuple[str, str, str]] = []
    keep = Path(save) if save else None
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="paxgame-fuzz-") as tmp:
        folder = Path(tmp)

        @hseed(seed)
        @settings(max_examples=budget, deadline=None, database=None,
                  phases=[Phase.generate], suppress_health_check=list(HealthCheck))
        @given(_strategies(seeds))
        def one(item):
            suffix, content = item
            path = folder / f"input{suffix}"
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_bytes(content.encode("utf-8", errors="surrogatepass"))
            error = None
            try:
                load(path)
            except Exception as err:  # noqa: BLE001 - classified and reported, not swallowed
                error = err
            outcome = classify(error)
            counts[outcome] += 1
            if outcome == "undocumented":
                kept = str(path)
                if keep is not None:
                    kept = str(keep / f"undocumented-{counts[outcome]}{suffix}")
                    Path(kept).write_bytes(path.read_bytes())
                failures.append((kept, type(error).__name__, str(error)[:300]))
                if verbose:
                    traceback.print_exception(error)

        one()
    total = sum(counts.values())
    return {"loaded": counts["loaded"], "documented": counts["documented"],
            "undocumented": counts["undocumented"], "total": total,
            "seconds": time.perf_counter() - start, "failures": failures}


def main(argv=None) -> int:
    """The ``python -m paxgame.io.fuzz`` command; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m paxgame.io.fuzz",
                                     description="Fuzz paxgame's game-file loaders.")
    parser.add_argument("--budget", type=int, default=1000, help="number of inputs")
    parser.add_argument("--seed", type=int, default=0, help="generator seed")
    parser.add_argument("--corpus", action="append", default=None,
                        help="folder of seed files to mutate (repeatable; default: games and "
                             "../shared/games-corpus/gambit when present)")
    parser.add_argument("--save", default=None,
                        help="folder for inputs that raise an undocumented exception")
    parser.add_argument("--verbose", action="store_true", help="print tracebacks")
    args = parser.parse_args(argv)
    if args.budget < 1:
        parser.error(f"--budget must be positive, got {args.budget}")
    corpus = args.corpus or ["games", "../shared/games-corpus/gambit"]
    result = run(args.budget, seed=args.seed, corpus=corpus, save=args.save,
                 verbose=args.verbose)
    print(f"inputs: {result['total']}  loaded: {result['loaded']}  documented errors: "
          f"{result['documented']}  UNDOCUMENTED: {result['undocumented']}  "
          f"time: {result['seconds']:.1f} s")
    for path, kind, message in result["failures"][:50]:
        print(f"UNDOCUMENTED {kind}: {message!r} (input: {path})")
    return 1 if result["undocumented"] else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

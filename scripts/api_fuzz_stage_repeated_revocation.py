"""API fuzz of the stage, repeated and revocation entry points: documented errors only.

Hypothesis drives each public function of the stage games (NormalFormGame, nash, pure_nash,
correlated, minmax, eliminate_dominated, eliminate_weakly_dominated, logit_qre), the repeated
and regime games (RepeatedGame and its critical_delta / sustaining_deltas / payoff_set,
minimum_transfer, RegimeGame and its markov_equilibria / zero_sum_value / critical_delta),
the revocation model (solve, minimum_assurance, hedge, assurance_for_share, Scenario.replace)
and the matching batch kernels with random and hostile arguments: NaN, infinities, 1e308,
huge and negative integers, booleans, complex numbers, strings, None, ragged and nested
lists, numpy arrays of many dtypes and shapes (empty ones included), and valid games and
scenarios beside them.

An outcome is ``ok`` (a return value), ``documented`` (a ``ValueError`` or ``TypeError`` whose
message starts with the function's name and a colon, or the ``Unknown method '...' for
NAME`` of a method table) or a finding: ``UNDOCUMENTED`` (any other exception, or a message
led by another name), ``HANG`` (a call over ``--call-seconds``, default 20 s) or
``WRONG_OPTIMAL`` (a result with status ``optimal`` whose own ``verify()`` fails).

Usage::

    python scripts/api_fuzz_stage_repeated_revocation.py --budget 5000 [--seed 0]

The command limits its own address space (default 4 GiB), prints the counts and each
finding, and exits 1 when there is one. The test suite runs a few hundred calls of the same
generator (``tests/property/test_api_fuzz_stage_repeated_revocation.py``).
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import time
from collections import Counter

import numpy as np

import paxgame as pg
from paxgame.games.scenario import Instrument, Partner

__all__ = ["ENTRIES", "classify", "strategy", "run", "main"]


class CallTimeout(BaseException):
    """Raised by the alarm inside a call that runs too long (not an Exception, so library
    code cannot swallow it)."""


def _pd():
    return pg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])


def _scenario():
    p = Partner(name="p", access_value=3.0, outside_option=1.2, revocation_loss=6.0,
                provider_value=[1.0, 0.5], revocation_gain=[2.0, 12.0])
    return pg.Scenario(partners=(p,), discount=0.9, regime_names=("a", "b"),
                       transition=np.array([[0.9, 0.1], [0.2, 0.8]]),
                       instruments=(Instrument(name="bond"),))


def _replace(sc, path, value):
    return sc.replace(**{path: value})


def _variant(sc, path, value):
    """A scenario with one parameter changed, or None when the change is invalid."""
    try:
        return sc.replace(**{path: value})
    except (ValueError, TypeError):
        return None


def _rg_method(name):
    def call(rg, *args, **kwargs):
        return getattr(rg, name)(*args, **kwargs)
    call.__name__ = name
    return call


def _regime_method(name):
    def call(rgm, *args, **kwargs):
        return getattr(rgm, name)(*args, **kwargs)
    call.__name__ = name
    return call


#: Public name -> (callable, positional parameters, keyword parameters, accepted prefixes).
ENTRIES = {
    "NormalFormGame": (pg.NormalFormGame, ("payoffs",), ("players", "actions"),
                       ("NormalFormGame",)),
    "nash": (pg.nash, ("game",), ("method", "tol"), ("nash",)),
    "pure_nash": (pg.pure_nash, ("game",), ("tol",), ("pure_nash",)),
    "correlated": (pg.correlated, ("game",), ("objective", "coarse", "tol"), ("correlated",)),
    "minmax": (pg.minmax, ("game", "player"), ("mixed", "tol"), ("minmax",)),
    "eliminate_dominated": (pg.eliminate_dominated, ("game",), ("mixed",),
                            ("eliminate_dominated",)),
    "eliminate_weakly_dominated": (pg.eliminate_weakly_dominated, ("game",),
                                   ("mixed", "order", "tol"), ("eliminate_weakly_dominated",)),
    "logit_qre": (pg.logit_qre, ("game", "lam"), ("tol",), ("logit_qre",)),
    "RepeatedGame": (pg.RepeatedGame, ("game", "delta"), (), ("RepeatedGame",)),
    "RepeatedGame.critical_delta": (_rg_method("critical_delta"), ("self_rg", "profile"),
                                    ("punishment",), ("critical_delta",)),
    "RepeatedGame.sustaining_deltas": (_rg_method("sustaining_deltas"), ("self_rg", "profile"),
                                       ("punishment",), ("sustaining_deltas",)),
    "RepeatedGame.payoff_set": (_rg_method("payoff_set"), ("self_rg",), ("method", "tol"),
                                ("payoff_set",)),
    "sustaining_deltas": (pg.sustaining_deltas, ("rg", "profile"), ("punishment", "grid"),
                          ("sustaining_deltas",)),
    "minimum_transfer": (pg.minimum_transfer, ("rg", "profile", "transfer"),
                         ("punishment", "tol", "max_amount"), ("minimum_transfer",)),
    "RegimeGame": (pg.RegimeGame, ("stage_games", "transition", "delta"), (),
                   ("RegimeGame",)),
    "RegimeGame.markov_equilibria": (_regime_method("markov_equilibria"), ("self_rgm",), (),
                                     ("markov_equilibria",)),
    "RegimeGame.zero_sum_value": (_regime_method("zero_sum_value"), ("self_rgm",), (),
                                  ("zero_sum_value",)),
    "RegimeGame.critical_delta": (_regime_method("critical_delta"), ("self_rgm", "profiles"),
                                  ("punishment",), ("critical_delta",)),
    "solve": (pg.solve, ("sc",), ("levels",), ("solve",)),
    "minimum_assurance": (pg.minimum_assurance, ("sc",), ("target",), ("minimum_assurance",)),
    "hedge": (pg.hedge, ("sc", "partner"), ("risk_aversion", "alpha"), ("hedge",)),
    "assurance_for_share": (pg.assurance_for_share, ("sc", "partner", "share"),
                            ("risk_aversion", "alpha"), ("assurance_for_share",)),
    "Scenario.replace": (_replace, ("self_sc", "path", "value"), (), ("Scenario.replace",
                                                                  "replace", "Scenario")),
    "batch.pure_nash": (pg.batch.pure_nash, ("payoffs",), ("tol",), ("batch.pure_nash",)),
    "batch.support_enumeration": (pg.batch.support_enumeration, ("A", "B"), ("tol",),
                                  ("batch.support_enumeration",)),
    "batch.vertex_enumeration": (pg.batch.vertex_enumeration, ("A", "B"), ("tol",),
                                 ("batch.vertex_enumeration",)),
    "batch.lemke_howson": (pg.batch.lemke_howson, ("A", "B"), ("labels", "max_iter"),
                           ("batch.lemke_howson",)),
    "batch.critical_delta": (pg.batch.critical_delta, ("payoffs", "profiles"),
                             ("punishment",), ("batch.critical_delta",)),
    "batch.minimum_assurance": (pg.batch.minimum_assurance, ("sc",), ("target",),
                                ("batch.minimum_assurance",)),
}


def classify(name: str, error: BaseException | None, result=None) -> str:
    """``"ok"``, ``"documented"``, ``"undocumented"``, ``"hang"`` or ``"wrong_optimal"``."""
    if isinstance(error, CallTimeout):
        return "hang"
    if error is None:
        items = result if isinstance(result, list) else [result]
        for r in items:
            if getattr(r, "status", None) == "optimal" and hasattr(r, "verify"):
                try:
                    ok = bool(r.verify().ok)
                except Exception:  # noqa: BLE001 - a verify that raises is a finding
                    ok = False
                if not ok:
                    return "wrong_optimal"
        return "ok"
    if not isinstance(error, (ValueError, TypeError)):
        return "undocumented"
    msg = str(error)
    for prefix in ENTRIES[name][3]:
        if msg.startswith(prefix + ": ") or re.match(
                rf"^Unknown method '.*' for {re.escape(prefix)}; ", msg, flags=re.S):
            return "documented"
    return "undocumented"


def strategy(entries=None):
    """A hypothesis strategy of (entry name, args, kwargs)."""
    from hypothesis import strategies as st

    small_int = st.integers(-3, 6)
    big_int = st.sampled_from([30, 64, 1000, 10 ** 6, 2 ** 31, 2 ** 63, 10 ** 30, -2 ** 63])
    special = st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308, -1.7e308,
                               5e-324, -0.0, 1e-300, 1 - 1e-12, 1.0, 0.0])
    number = st.one_of(small_int, big_int, special, st.floats(-1e3, 1e3, allow_nan=False),
                       st.booleans(), st.complex_numbers(max_magnitude=5, allow_nan=False))
    text = st.one_of(st.text(max_size=8), st.sampled_from(
        ["support", "vertex", "pure", "lemke_howson", "zero_sum", "logit", "support_newton",
         "welfare", "egalitarian", "nash", "optimal", "abreu_sannikov", "outer", "inner",
         "participation", "continuity", "sequential", "simultaneous", "", "p", "a"]))
    dtype = st.sampled_from([np.float64, np.float32, np.int64, np.int8, np.bool_,
                             np.complex128, object, "U3"])

    @st.composite
    def arrays(draw, min_ndim=0, max_ndim=4):
        ndim = draw(st.integers(min_ndim, max_ndim))
        shape = tuple(draw(st.sampled_from([0, 1, 2, 3, 4, 40])) for _ in range(ndim))
        if int(np.prod(shape)) > 20000:
            shape = shape[:2]
        rng = np.random.default_rng(draw(st.integers(0, 2 ** 16)))
        fill = draw(st.sampled_from(["int", "normal", "special", "huge", "tiny"]))
        if fill == "int":
            data = rng.integers(-5, 6, size=shape).astype(float)
        elif fill == "special":
            data = rng.choice([0.0, 1.0, np.nan, np.inf, -np.inf, 1e308], size=shape)
        elif fill == "huge":
            data = rng.normal(size=shape) * 1e300
        elif fill == "tiny":
            data = rng.normal(size=shape) * 1e-300
        else:
            data = rng.normal(size=shape)
        try:
            with np.errstate(all="ignore"):
                return np.asarray(data).astype(draw(dtype))
        except (TypeError, ValueError, OverflowError):
            return np.asarray(data)

    nested = st.recursive(st.one_of(number, text, st.none()),
                          lambda inner: st.lists(inner, max_size=4), max_leaves=16)

    @st.composite
    def games(draw):
        n = draw(st.sampled_from([2, 2, 2, 3]))
        shape = tuple(draw(st.integers(1, 4)) for _ in range(n))
        rng = np.random.default_rng(draw(st.integers(0, 2 ** 16)))
        scale = draw(st.sampled_from([1.0, 1e9, 1e-9, 4 / 3, 1e300]))
        kind = draw(st.sampled_from(["int", "normal", "zero"]))
        if kind == "int":
            p = rng.integers(-5, 6, size=(n,) + shape) * scale
        elif kind == "normal":
            p = rng.normal(size=(n,) + shape) * scale
        else:
            p = np.zeros((n,) + shape)
        return pg.NormalFormGame(list(p))

    delta = st.one_of(st.floats(0.01, 0.99), special, number)
    repeated = st.builds(pg.RepeatedGame, games().filter(lambda g: g.n_players == 2),
                         st.floats(0.05, 0.95))
    regime = st.builds(lambda g, d: pg.RegimeGame([g, g], np.full((2, 2), 0.5), d),
                       games().filter(lambda g: g.n_players == 2), st.floats(0.05, 0.95))
    anything = st.one_of(number, text, st.none(), nested, arrays(), st.just(_pd()),
                         st.just(object()), st.just(_scenario()))
    profile = st.one_of(st.tuples(small_int, small_int), st.tuples(small_int),
                        st.lists(small_int, max_size=4), anything)
    scen = st.one_of(st.just(_scenario()), st.builds(
        _variant, st.just(_scenario()),
        st.sampled_from(["discount", "partners.0.access_value", "partners.p.revocation_loss",
                         "instruments.bond.cap", "horizon"]),
        st.sampled_from([0.5, 0.99, 2.0, 1e6, 10 ** 5])).filter(lambda x: x is not None))

    per_param = {
        "game": st.one_of(games(), games(), anything),
        "payoffs": st.one_of(arrays(), nested, games().map(lambda g: np.asarray(g.payoffs)),
                             games().map(lambda g: np.asarray(g.payoffs)[None])),
        "A": st.one_of(arrays(), nested), "B": st.one_of(arrays(), nested),
        "player": st.one_of(small_int, anything), "partner": st.one_of(small_int, text,
                                                                       anything),
        "lam": st.one_of(st.floats(0, 50), special, anything),
        "delta": delta, "tol": st.one_of(st.floats(0, 1e-3), special, anything),
        "method": text, "objective": st.one_of(text, small_int), "order": text,
        "target": text, "punishment": st.one_of(text, st.lists(number, max_size=3), anything),
        "rg": st.one_of(repeated, repeated, anything), "self_rg": repeated, "self_rgm": regime,
        "self_sc": scen,
        "profile": profile, "profiles": st.one_of(arrays(), profile),
        "transfer": st.one_of(arrays(), nested, anything),
        "stage_games": st.one_of(st.lists(games(), max_size=3), anything),
        "transition": st.one_of(arrays(), nested, anything),
        "sc": st.one_of(scen, scen, anything), "path": st.one_of(text, st.sampled_from(
            ["discount", "partners.0.access_value", "partners.*.revocation_gain",
             "transition", "instruments.bond.cap", "partners.9.access_value"])),
        "value": st.one_of(number, arrays(), nested),
        "share": st.one_of(st.floats(0, 1), special, anything),
        "risk_aversion": st.one_of(st.floats(0, 10), special, anything),
        "alpha": st.one_of(st.floats(0, 1), special, anything),
        "labels": st.one_of(small_int, big_int, st.lists(small_int, max_size=3), anything),
        "max_iter": st.one_of(small_int, big_int, anything),
        "max_amount": st.one_of(special, small_int, anything),
        "grid": st.one_of(small_int, big_int, anything),
        "levels": st.one_of(arrays(), special, anything),
    }

    names = sorted(entries or ENTRIES)

    @st.composite
    def call(draw):
        # a seeded random choice spreads calls evenly (sampled_from favours the first names
        # in a short run)
        name = names[draw(st.randoms(use_true_random=False)).randrange(len(names))]
        _, positional, keywords, _ = ENTRIES[name]
        args = [draw(per_param.get(p, anything)) for p in positional]
        kwargs = {}
        for k in keywords:
            if draw(st.integers(0, 2)) == 0:
                kwargs[k] = draw(per_param.get(k, anything))
        return name, args, kwargs

    return call()


def _alarm(signum, frame):
    raise CallTimeout()


def run(budget: int = 500, *, seed: int = 0, entries=None, call_seconds: float = 20.0,
        verbose: bool = False) -> dict:
    """Make ``budget`` random calls and count the outcomes.

    Returns
    -------
    dict
        ``{"ok", "documented", "undocumented", "hang", "wrong_optimal", "total", "seconds",
        "by_entry", "failures"}``, the failures as (entry, kind, message) triples.
    """
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed

    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 1:
        raise ValueError(f"run: budget must be a positive integer, got {budget!r}")
    counts: Counter = Counter()
    by_entry: Counter = Counter()
    failures: list = []
    start = time.perf_counter()
    previous = signal.signal(signal.SIGALRM, _alarm)

    @hseed(seed)
    @settings(max_examples=budget, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy(entries))
    def one(item):
        name, args, kwargs = item
        func = ENTRIES[name][0]
        error, result = None, None
        signal.setitimer(signal.ITIMER_REAL, call_seconds)
        try:
            with np.errstate(all="ignore"):
                result = func(*args, **kwargs)
        except CallTimeout as err:
            error = err
        except Exception as err:  # noqa: BLE001 - classified and reported, not swallowed
            error = err
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        try:
            signal.setitimer(signal.ITIMER_REAL, call_seconds)
            outcome = classify(name, error, result)
        except CallTimeout:
            outcome = "hang"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        counts[outcome] += 1
        by_entry[name] += 1
        if outcome not in ("ok", "documented"):
            detail = (f"{type(error).__name__}: {str(error)[:300]}" if error is not None
                      else f"status optimal, verify() fails: {str(result)[:200]}")
            failures.append((name, outcome, detail))
            if verbose and error is not None:
                import traceback

                traceback.print_exception(error)

    try:
        one()
    finally:
        signal.signal(signal.SIGALRM, previous)
    return {**{k: counts[k] for k in ("ok", "documented", "undocumented", "hang",
                                      "wrong_optimal")},
            "total": sum(counts.values()), "seconds": time.perf_counter() - start,
            "by_entry": dict(by_entry), "failures": failures}


def main(argv=None) -> int:
    """The command; returns the exit status."""
    parser = argparse.ArgumentParser(description="API fuzz of paxgame's stage, repeated and "
                                                 "revocation functions.")
    parser.add_argument("--budget", type=int, default=2000, help="number of calls")
    parser.add_argument("--seed", type=int, default=0, help="generator seed")
    parser.add_argument("--memory-gib", type=float, default=4.0,
                        help="address-space limit of this process (0: none)")
    parser.add_argument("--call-seconds", type=float, default=20.0,
                        help="a call running longer is reported as a hang")
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
    r = run(args.budget, seed=args.seed, entries=args.entry, call_seconds=args.call_seconds,
            verbose=args.verbose)
    print(f"calls: {r['total']}  ok: {r['ok']}  documented errors: {r['documented']}  "
          f"UNDOCUMENTED: {r['undocumented']}  HANG: {r['hang']}  WRONG_OPTIMAL: "
          f"{r['wrong_optimal']}  time: {r['seconds']:.1f} s")
    print("per entry: " + ", ".join(f"{k} {v}" for k, v in sorted(r["by_entry"].items())))
    seen = Counter((name, kind, detail[:140]) for name, kind, detail in r["failures"])
    for (name, kind, detail), count in seen.most_common(80):
        print(f"{kind.upper()} {name} (x{count}): {detail!r}")
    return 1 if r["failures"] else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

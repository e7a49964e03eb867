"""CLI fuzz: random argument vectors from the real option set never give exit 3.

Argument vectors are drawn (hypothesis) from the sub-commands and options of
:func:`paxgame.cli.build_parser` (read from the parser itself, so a new option is fuzzed at
once), a quarter of them well-formed commands with at most one hostile change, with values from pools of valid, hostile and malformed inputs: shipped game files,
saved sweeps, missing paths, directories, empty and binary files, a FIFO, links to
``/dev/zero``, huge and malformed grids, huge and negative integers. Each vector runs
in-process through :func:`paxgame.cli.main` under an address-space limit; the exit code must
be 0, 1 or 2 (never 3, an internal error), a vector must answer within a minute (a blocked
call is reported, not waited for), and with ``--json`` standard output must be one JSON
document carrying the same exit code.

Left out in-process, for speed and safety: ``bench`` (runs the benchmark suite), ``--debug``
(re-raises by design), valid ``--scheduler`` values (they start process pools or a Dask
cluster) and the repeated-game files (a payoff set takes seconds). The suite runs 200
vectors; at scale::

    CLI_FUZZ_EXAMPLES=5000 python -m pytest -q tests/cli/test_cli_fuzz.py
"""

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import paxgame as pg
from paxgame import cli

pytest.importorskip("xarray")
pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("CLI_FUZZ_EXAMPLES", "200"))
MEMORY_LIMIT = 3 * 2**30  # bytes of address space on top of what the test process holds
SKIP_COMMANDS = {"bench"}
SKIP_OPTIONS = {"--debug", "-h", "--help"}

GAME_FILES = ["games/classic/prisoners_dilemma.toml", "games/classic/chicken.toml",
              "games/cooperative/glove.toml", "games/cooperative/majority3.toml",
              "games/repeated/calm_and_crisis.toml",
              "games/scenarios/plural_dependencies.toml"]


def _options():
    """{command: [(flag, nargs, choices)]} read from the real parser."""
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.choices and isinstance(a.choices, dict))
    table = {}
    for name, p in sub.choices.items():
        if name in SKIP_COMMANDS:
            continue
        table[name] = [(a.option_strings[0], a.nargs, a.choices) for a in p._actions
                       if a.option_strings and a.option_strings[0] not in SKIP_OPTIONS]
    return table


OPTIONS = _options()


@pytest.fixture(scope="module")
def pools(tmp_path_factory):
    """Every path a vector can name lives in a temporary directory (the game files are
    copies), and the fuzz runs there: a shuffled vector that writes where it reads can only
    touch copies."""
    tmp = tmp_path_factory.mktemp("fuzz")
    for f in GAME_FILES:
        (tmp / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / f, tmp / f)
    (tmp / "empty.toml").write_text("")
    (tmp / "binary.toml").write_bytes(bytes(range(256)) * 4)
    (tmp / "bom.toml").write_bytes(b"\xef\xbb\xbf" + (ROOT / GAME_FILES[0]).read_bytes())
    (tmp / "zero.toml").symlink_to("/dev/zero")
    (tmp / "zero.nc").symlink_to("/dev/zero")
    os.mkfifo(tmp / "fifo.toml")
    (tmp / "dir.toml").mkdir()
    (tmp / "notes.nc").write_text("a user's file")
    (tmp / "userdir.zarr").mkdir()
    (tmp / "userdir.zarr" / "keep.txt").write_text("keep")
    sc = pg.load(tmp / GAME_FILES[-1])
    pg.sweep(sc, {"discount": [0.8, 0.9]}).save(tmp / "saved.nc")
    pg.sweep(sc, {"discount": [0.8, 0.9]}, out=tmp / "saved.zarr")
    inputs = [str(tmp / f) for f in GAME_FILES] + [
        str(tmp / n) for n in ("empty.toml", "binary.toml", "bom.toml", "zero.toml",
                               "zero.nc", "fifo.toml", "dir.toml", "notes.nc", "saved.nc",
                               "saved.zarr", "userdir.zarr", "missing.toml", "missing.nc")]
    outputs = [str(tmp / n) for n in ("o.nc", "o.zarr", "o.png", "o.svg", "o.pdf", "odir",
                                      "o.toml", "o.nfg", "o.txt", "notes.nc",
                                      "userdir.zarr", "zero.nc", "dir.toml", "ck",
                                      "missing/deeper/o.nc")] + ["", "-"]
    return {"tmp": tmp, "inputs": inputs, "outputs": outputs}


GRIDS = ["discount=0.8:0.95:3", "discount=0.5,0.9", "horizon=5:40:8", "horizon=1:2:3",
         "partners.0.revocation_gain.hawkish=0:20:4", "screening=0:1:2",
         "discount=0:1:10000000000", "discount=0.1:0.9:100000", "discount=nan:1:3",
         "discount=0:1:1e10", "discount=0:1:-1", "discount", "=1:2:3", "nosuch=0:1:2",
         "partners.9.access_value=1:2:2", "discount=0.9:0.8:2", "discount=,,,",
         "regimes.transition=0:1:2", "discount=1e308:1e309:2"]
INTS = ["0", "1", "2", "3", "-1", "7", "65536", "10000000000", "x", "1.5", "",
        "99999999999999999999999"]
WORDS = ["amount", "constructible", "amount,total_cost", "nosuch", "", "support", "vertex",
         "lemke_howson", "pure", "outer", "enumerate", "bogus", "participation",
         "continuity", "nc", "zarr", "processes"]


@st.composite
def argvs(draw, pools):
    command = draw(st.sampled_from(sorted(OPTIONS) + ["nosuch", ""]))
    argv = [command] if command else []
    if command in ("solve", "assurance", "sweep", "plot", "convert"):
        argv.append(draw(st.sampled_from(pools["inputs"])))
    if command == "convert":
        argv.append(draw(st.sampled_from(pools["outputs"])))
    opts = OPTIONS.get(command, [("--json", 0, None)])
    for flag, nargs, choices in draw(st.lists(st.sampled_from(opts), max_size=6)):
        if nargs == 0:
            argv.append(flag)
            continue
        if flag == "--grid":
            value = draw(st.sampled_from(GRIDS))
        elif flag in ("--out", "--checkpoint"):
            value = draw(st.sampled_from(pools["outputs"]))
        elif flag in ("--chunk", "--workers", "--dpi"):
            value = draw(st.sampled_from(INTS))
        elif flag == "--scheduler":
            value = draw(st.sampled_from(["bogus", "", "thread"]))
        elif choices:
            value = draw(st.sampled_from([*choices, "bogus"]))
        else:
            value = draw(st.sampled_from(WORDS))
        if nargs == "?" and draw(st.booleans()):
            argv.append(flag)
        elif draw(st.integers(0, 9)) == 0:
            argv.append(f"{flag}={value}")
        else:
            argv += [flag, value]
    if draw(st.integers(0, 4)) == 0:  # abbreviations and explicit values of flags
        argv.append(draw(st.sampled_from(["--js", "--json=1", "--jso", "--out-", "--grid"])))
    return draw(st.permutations(argv)) if draw(st.integers(0, 5)) == 0 else argv


VALID_GRIDS = ["discount=0.8:0.95:3", "discount=0.5,0.9", "horizon=5:40:8",
               "partners.0.revocation_gain.hawkish=0:20:4", "screening=0:1:2"]


@st.composite
def valid_argvs(draw, pools):
    """Mostly well-formed vectors (a command with a file of the kind it takes and options
    it uses), so that the fuzz also runs the commands to the end and checks their JSON."""
    tmp = pools["tmp"]
    scenario = str(tmp / GAME_FILES[-1])
    command = draw(st.sampled_from(["solve", "assurance", "sweep", "plot", "convert"]))
    if command == "solve":
        game = draw(st.sampled_from(GAME_FILES))
        argv = ["solve", str(tmp / game)]
        if "classic" in game:
            argv += draw(st.sampled_from([[], ["--method", "support"], ["--method", "pure"],
                                          ["--method", "vertex"]]))
    elif command == "assurance":
        argv = ["assurance", scenario, "--target",
                draw(st.sampled_from(["participation", "continuity"]))]
    elif command == "sweep":
        grids = draw(st.lists(st.sampled_from(VALID_GRIDS), min_size=1, max_size=2,
                              unique_by=lambda g: g.split("=")[0]))
        argv = ["sweep", scenario] + [a for g in grids for a in ("--grid", g)]
        argv += ["--out", str(tmp / draw(st.sampled_from(["v.nc", "v.zarr", "vdir"])))]
        argv += draw(st.sampled_from([[], ["--overwrite"]]))
        argv += draw(st.sampled_from([[], ["--quantity", "amount,constructible"],
                                      ["--target", "continuity"], ["--chunk", "2"],
                                      ["--checkpoint", str(tmp / "vck")]]))
    elif command == "plot":
        source = draw(st.sampled_from([str(tmp / "saved.nc"), str(tmp / GAME_FILES[2]),
                                       str(tmp / GAME_FILES[0]), scenario]))
        argv = ["plot", source, "--out", str(tmp / draw(st.sampled_from(["v.png", "v.svg"]))),
                "--dpi", draw(st.sampled_from(["50", "72"]))]
    else:
        argv = ["convert", str(tmp / GAME_FILES[0]),
                str(tmp / draw(st.sampled_from(["v.nfg", "v.toml"])))]
    if draw(st.booleans()):
        argv.append("--json")
    if draw(st.integers(0, 3)) == 0:  # one hostile change
        k = draw(st.integers(0, len(argv) - 1))
        argv[k] = draw(st.sampled_from(pools["inputs"] + pools["outputs"] + GRIDS + INTS))
    return argv


@pytest.fixture(scope="module")
def memory_limit():
    """Limit the address space while the fuzz runs (restored afterwards)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/status") as fh:
        vm = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize"))
    limit = vm + MEMORY_LIMIT
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    yield
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


class Hang(Exception):
    """A vector ran longer than PER_VECTOR_SECONDS (e.g. blocked on a FIFO)."""


PER_VECTOR_SECONDS = 60


def _alarm(signum, frame):
    raise Hang(f"no answer within {PER_VECTOR_SECONDS} s")


def check(argv, capsys):
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(PER_VECTOR_SECONDS)
    try:
        code = cli.main(list(argv))  # a Hang inside is reported by main as exit 3
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), (argv, code, err)
    assert "internal error" not in err, (argv, err)
    options = argv[:argv.index("--")] if "--" in argv else argv
    if any(a == "--json" or a.startswith("--json=") for a in options):
        payload = json.loads(out)
        assert payload["exit_code"] == code, (argv, out)
    return code


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_cli_fuzz_never_exits_3(pools, memory_limit, capsys, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(pools["tmp"])
    originals = {f: (ROOT / f).read_bytes() for f in GAME_FILES}

    codes = []

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.one_of(argvs(pools), argvs(pools), argvs(pools), valid_argvs(pools)))
    def run(argv):
        codes.append(check(argv, capsys))
        # nothing of the user's is touched
        assert (pools["tmp"] / "notes.nc").read_text() == "a user's file"
        assert (pools["tmp"] / "userdir.zarr" / "keep.txt").read_text() == "keep"

    run()
    assert all((ROOT / f).read_bytes() == data for f, data in originals.items())
    counts = {c: codes.count(c) for c in sorted(set(codes))}
    with capsys.disabled():
        print(f"\ncli fuzz: {len(codes)} argument vectors, exit codes {counts}")
    assert len(codes) >= min(EXAMPLES, 100) and 0 in counts  # some vectors do run


# The findings of the fuzz and the red-team pass, each a fixed vector.
FOUND = [
    ["sweep", "games/scenarios/plural_dependencies.toml", "--grid",
     "discount=0:1:10000000000", "--out", "{tmp}/a.nc", "--json"],
    ["plot", "games/cooperative/glove.toml", "--out", "{tmp}/f.png", "--dpi", "100000"],
    ["solve", "games/cooperative/glove.toml", "--json=1"],
    ["sweep", "games/scenarios/plural_dependencies.toml", "--grid",
     "discount=0.1:0.9:3000000", "--chunk", "10000000000", "--out", "{tmp}/a.nc"],
    ["sweep", "games/scenarios/plural_dependencies.toml", "--grid", "discount=0.8:0.9:2",
     "--scheduler", "processes", "--workers", "100000", "--out", "{tmp}/a.nc"],
]


def test_found_vectors_exit_2_under_a_memory_limit_in_a_subprocess(tmp_path):
    """The vectors that once allocated without bound, run in a fresh process whose address
    space is limited to 2 GiB (a MemoryError there would be exit 3)."""
    script = textwrap.dedent("""
        import json, resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, resource.RLIM_INFINITY))
        from paxgame import cli
        codes = [cli.main(argv) for argv in json.loads(sys.argv[1])]
        print(json.dumps(codes))
    """)
    vectors = [[a.format(tmp=tmp_path) for a in v] for v in FOUND]
    proc = subprocess.run([sys.executable, "-c", script, json.dumps(vectors)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    codes = json.loads(proc.stdout.strip().splitlines()[-1])
    assert codes == [2] * len(FOUND), (codes, proc.stderr)
    assert "internal error" not in proc.stderr

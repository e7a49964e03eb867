"""Fault injection for sweeps: kills, damaged chunks, two writers, hostile ``--out`` targets.

Every case is drawn from a seeded generator. Afterwards:

* no user file is lost or changed;
* every output either reads complete and equal to an uninterrupted run, or says it is
  incomplete (a netCDF file is whole or absent; a Zarr store's marker says so);
* the command exits 0 or 2, never 3, and running it again (at most twice: a damaged chunk is
  reported once, then recomputed) gives the uninterrupted result.

The suite runs a handful of seeded cases of each kind. At scale::

    python tests/unit/test_sweep_faults.py --cases 200 --seed 1
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

import paxgame as pg
from paxgame import storage
from paxgame.cli import main
from paxgame.errors import StoreError

pytest.importorskip("xarray")
pytest.importorskip("zarr")

ROOT = Path(__file__).resolve().parents[2]
PLURAL = str(ROOT / "games" / "scenarios" / "plural_dependencies.toml")
USER_TEXT = "a user's notes: never to be lost"

# The child runs the real command with two kinds of kill points: the k-th call of the batch
# kernel (between chunks) or the k-th rename (a temporary file written, not yet renamed: a
# chunk, a marker or the netCDF file). SLOW makes each chunk take a while (two writers).
CHILD = textwrap.dedent("""
    import os, signal, sys, time
    import paxgame.batch as batch
    from paxgame import cli
    kind, k, slow = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    calls = {"kernel": 0, "rename": 0}
    kernel, rename = batch.minimum_assurance, os.replace
    def hooked_kernel(*a, **kw):
        calls["kernel"] += 1
        if kind == "kernel" and calls["kernel"] == k:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(slow)
        return kernel(*a, **kw)
    def hooked_rename(*a, **kw):
        calls["rename"] += 1
        if kind == "rename" and calls["rename"] == k:
            os.kill(os.getpid(), signal.SIGKILL)
        return rename(*a, **kw)
    batch.minimum_assurance = hooked_kernel
    os.replace = hooked_rename
    sys.exit(cli.main(sys.argv[4:]))
""")

_REFERENCE: dict[int, np.ndarray] = {}


def reference(n: int) -> np.ndarray:
    if n not in _REFERENCE:
        grid = {"discount": np.linspace(0.8, 0.95, n)}
        _REFERENCE[n] = pg.sweep(pg.load(PLURAL), grid)["amount"].values
    return _REFERENCE[n]


class Case:
    """One seeded scenario: a work directory with a user's file, a grid, an output."""

    def __init__(self, tmp: Path, seed: int):
        self.rng = np.random.default_rng(seed)
        self.seed = seed
        self.dir = tmp
        self.n = int(self.rng.integers(6, 17))
        self.chunk = int(self.rng.integers(2, 6))
        self.fmt = str(self.rng.choice(["nc", "zarr"]))
        self.use_checkpoint = bool(self.rng.integers(0, 2))
        self.out = tmp / f"result.{self.fmt}"
        self.ck = tmp / "ck"
        self.user = tmp / "notes.txt"
        self.user.write_text(USER_TEXT)

    def argv(self, out=None) -> list[str]:
        argv = ["sweep", PLURAL, "--grid", f"discount=0.8:0.95:{self.n}", "--chunk",
                str(self.chunk), "--out", str(out or self.out), "--json"]
        if self.use_checkpoint:
            argv += ["--checkpoint", str(self.ck)]
        return argv

    def child(self, kind="none", k=0, slow=0.0, out=None) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", CHILD, kind, str(k), str(slow),
                                 *self.argv(out)], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def user_files_intact(self) -> None:
        assert self.user.read_text() == USER_TEXT, self.seed

    def check_output(self, out=None) -> bool:
        """The output is complete and right, or says it is incomplete; True if complete."""
        out = Path(out or self.out)
        if not out.exists():
            return False
        try:
            ds = pg.SweepResult.open(out)
        except StoreError as err:  # only an unfinished Zarr store may be refused
            assert out.suffix == ".zarr" and "incomplete" in str(err), (self.seed, err)
            try:
                partial = pg.SweepResult.open(out, partial=True)["amount"].values
            except StoreError as err:  # killed while the store was being created
                assert "incomplete" in str(err), (self.seed, err)
                return False
            done = ~np.isnan(partial)
            np.testing.assert_array_equal(partial[done], reference(self.n)[done])
            return False
        np.testing.assert_array_equal(ds["amount"].values, reference(self.n))
        return True

    def finish(self, capsys) -> None:
        """Run the command again until it succeeds: at most one exit 2 (a damaged chunk,
        reported and moved aside) before exit 0, never 3; then the output is complete."""
        codes = []
        for _ in range(2):
            code = main(self.argv())
            out, _ = capsys.readouterr()
            assert json.loads(out)["exit_code"] == code
            codes.append(code)
            if code == 0:
                break
        assert codes[-1] == 0 and set(codes) <= {0, 2}, (self.seed, codes)
        assert self.check_output(), self.seed
        self.user_files_intact()


def run_kill(tmp: Path, seed: int, capsys) -> None:
    case = Case(tmp, seed)
    chunks = -(-case.n // case.chunk)
    kind = str(case.rng.choice(["kernel", "rename"]))
    k = int(case.rng.integers(1, chunks + 3))
    proc = case.child(kind, k)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode in (0, -signal.SIGKILL, 2), (seed, proc.returncode, err)
    assert "internal error" not in err, (seed, err)
    case.user_files_intact()
    case.check_output()
    case.finish(capsys)


DAMAGES = ("truncate", "empty", "flip", "zeros", "delete", "dev-zero", "swap", "foreign")


def run_corrupt(tmp: Path, seed: int, capsys) -> None:
    case = Case(tmp, seed)
    case.use_checkpoint = True
    assert main(case.argv()) == 0
    capsys.readouterr()
    files = sorted(case.ck.glob("chunk-*.npz"))
    victims = case.rng.choice(len(files), size=int(case.rng.integers(1, len(files) + 1)),
                              replace=False)
    for v in victims:
        path = files[int(v)]
        damage = str(case.rng.choice(DAMAGES))
        data = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(data[: int(case.rng.integers(0, len(data)))])
        elif damage == "empty":
            path.write_bytes(b"")
        elif damage == "flip":
            pos = int(case.rng.integers(0, len(data)))
            path.write_bytes(data[:pos] + bytes([data[pos] ^ 0xFF]) + data[pos + 1:])
        elif damage == "zeros":
            path.write_bytes(bytes(len(data)))
        elif damage == "delete":
            path.unlink()
        elif damage == "dev-zero":
            path.unlink()
            path.symlink_to("/dev/zero")
        elif damage == "swap":  # another chunk of the same sweep under this name
            other = files[(int(v) + 1) % len(files)]
            if other != path and other.exists() and not other.is_symlink():
                shutil.copyfile(other, path)
        else:  # a chunk of another sweep
            foreign = tmp / "foreign"
            pg.sweep(pg.load(PLURAL), {"discount": np.linspace(0.7, 0.9, case.n)},
                     chunk=case.chunk, checkpoint=foreign)
            shutil.copyfile(sorted(foreign.glob("chunk-*.npz"))[int(v)], path)
    if case.out.suffix == ".zarr":
        storage.remove_store("test", case.out)
    else:
        case.out.unlink()
    case.finish(capsys)
    rejected = list(case.ck.glob("*.rejected*"))
    assert all(p.name.startswith("chunk-") for p in rejected)


def run_two_writers(tmp: Path, seed: int, capsys) -> None:
    case = Case(tmp, seed)
    case.use_checkpoint = bool(case.rng.integers(0, 2))
    same_out = bool(case.rng.integers(0, 2)) or not case.use_checkpoint
    outs = [case.out, case.out if same_out else tmp / f"second.{case.fmt}"]
    procs = []
    for out in outs:
        procs.append(case.child("none", 0, slow=0.05, out=out))
        time.sleep(float(case.rng.uniform(0.0, 0.3)))
    results = [p.communicate(timeout=300) for p in procs]
    codes = [p.returncode for p in procs]
    for code, (_, err) in zip(codes, results):
        assert code in (0, 2), (seed, codes, err)
        if code == 2:
            assert "in use by another running sweep" in err, (seed, err)
    assert 0 in codes, (seed, codes, results)
    case.user_files_intact()
    for out, code in zip(outs, codes):
        if code == 0:
            assert case.check_output(out), seed
    case.finish(capsys)


def run_out_targets(tmp: Path, seed: int, capsys) -> None:
    """--out at existing files, directories and links: refused (exit 2) or written without
    touching anything of the user's."""
    case = Case(tmp, seed)
    userdir = tmp / "userdir"
    userdir.mkdir()
    (userdir / "thesis.txt").write_text(USER_TEXT)
    kinds = ["file.nc", "file.zarr", "dir.zarr", "dir.nc", "link.zarr", "link.nc",
             "plain", "userdir", "dangling.zarr", "link-to-dir"]
    for name in case.rng.permutation(kinds):
        target = tmp / f"t-{name}"
        if name.startswith("file"):
            target.write_text(USER_TEXT)
        elif name.startswith("dir"):
            target.mkdir()
            (target / "keep.txt").write_text(USER_TEXT)
        elif name.startswith("link"):
            target.symlink_to(userdir if "dir" in name or "zarr" in name else case.user)
        elif name == "plain":
            target.write_text(USER_TEXT)
        elif name == "dangling.zarr":
            target.symlink_to(tmp / "nowhere")
        else:
            target = userdir
        for extra in ([], ["--overwrite"]):
            code = main([*case.argv(out=target), *extra])
            out, _ = capsys.readouterr()
            assert code in (0, 2) and json.loads(out)["exit_code"] == code, (seed, name, out)
        case.user_files_intact()
        assert (userdir / "thesis.txt").read_text() == USER_TEXT, (seed, name)
        if name.startswith("file") or name == "plain":
            assert target.read_text() == USER_TEXT, (seed, name)
        if name.startswith("dir"):
            assert (target / "keep.txt").read_text() == USER_TEXT, (seed, name)
        if name == "userdir":  # a directory: the sweep is written inside, beside the thesis
            case.check_output(userdir / "sweep.nc")


KINDS = {"kill": run_kill, "corrupt": run_corrupt, "two_writers": run_two_writers,
         "out_targets": run_out_targets}


@pytest.mark.parametrize("seed", range(3))
def test_killed_sweeps(tmp_path, capsys, seed):
    run_kill(tmp_path, seed, capsys)


@pytest.mark.parametrize("seed", range(6))
def test_damaged_checkpoints(tmp_path, capsys, seed):
    run_corrupt(tmp_path, seed, capsys)


@pytest.mark.parametrize("seed", range(1))
def test_two_writers(tmp_path, capsys, seed):
    run_two_writers(tmp_path, seed, capsys)


@pytest.mark.parametrize("seed", range(2))
def test_out_targets(tmp_path, capsys, seed):
    run_out_targets(tmp_path, seed, capsys)


class _Capsys:
    """capsys for runs outside pytest: collects what main() prints, returns it once."""

    def __init__(self):
        import io

        self.out, self.err = io.StringIO(), io.StringIO()

    def readouterr(self):
        texts = []
        for buf in (self.out, self.err):
            texts.append(buf.getvalue())
            buf.seek(0)
            buf.truncate()
        return tuple(texts)


def _at_scale(cases: int, seed: int) -> None:  # pragma: no cover - run by hand
    import contextlib
    import tempfile

    counts = dict.fromkeys(KINDS, 0)
    start = time.perf_counter()
    os.chdir(ROOT)
    for i in range(cases):
        kind = list(KINDS)[i % len(KINDS)]
        cap = _Capsys()
        with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(cap.out), \
                contextlib.redirect_stderr(cap.err):
            KINDS[kind](Path(tmp), seed * 1_000_003 + i, cap)
        counts[kind] += 1
    print(f"{cases} fault-injection cases passed ({counts}) in "
          f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":  # pragma: no cover
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    opts = parser.parse_args()
    _at_scale(opts.cases, opts.seed)

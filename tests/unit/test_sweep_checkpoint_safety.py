"""Checkpoints: one live writer, fingerprinted and checksummed chunks, bounded reads.

Regression tests for issue 18: a second sweep on the same checkpoint deleted the first's
temporary files (the first died with FileNotFoundError, exit 2); a chunk copied in from
another sweep was merged silently; a truncated or empty chunk raised BadZipFile/EOFError and
a manifest linked to /dev/zero raised MemoryError (exit 3).
"""

import fcntl
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

import paxgame as pg
from paxgame import storage
from paxgame.cli import main
from paxgame.errors import CheckpointError, StoreError

pytest.importorskip("xarray")
pytest.importorskip("zarr")

PLURAL = "games/scenarios/plural_dependencies.toml"
GRID = {"discount": np.linspace(0.8, 0.95, 12)}


@pytest.fixture(scope="module")
def sc():
    return pg.load(PLURAL)


@pytest.fixture(scope="module")
def reference(sc):
    return pg.sweep(sc, GRID)["amount"].values


def chunk_files(ck):
    return sorted(ck.glob("chunk-*.npz"))


def hold_lock(path, pid=b"4242"):
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.write(fd, pid)
    return fd


def test_a_checkpoint_held_by_a_live_sweep_is_refused_and_left_alone(tmp_path, sc):
    ck = tmp_path / "ck"
    ck.mkdir()
    (ck / ".tmp-inflight.npz").write_bytes(b"the other sweep's half-written chunk")
    fd = hold_lock(ck / ".lock")
    try:
        with pytest.raises(CheckpointError, match=r"checkpoint '.*ck' is in use by another "
                                                  r"running sweep \(process 4242\)"):
            pg.sweep(sc, GRID, chunk=4, checkpoint=ck)
        assert (ck / ".tmp-inflight.npz").exists()  # the live writer's file is untouched
        assert not (ck / "manifest.json").exists()
    finally:
        os.close(fd)
    res = pg.sweep(sc, GRID, chunk=4, checkpoint=ck)  # released: it runs and cleans up
    assert res.computed_points == 12 and not (ck / ".tmp-inflight.npz").exists()
    assert not (ck / ".lock").exists()  # the lock file is removed on release


def test_a_killed_holder_does_not_block_the_next_sweep(tmp_path, sc, reference):
    ck = tmp_path / "ck"
    ck.mkdir()
    code = (f"import fcntl, os, signal; fd = os.open({str(ck / '.lock')!r}, "
            f"os.O_RDWR | os.O_CREAT); fcntl.flock(fd, fcntl.LOCK_EX); "
            f"os.kill(os.getpid(), signal.SIGKILL)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == -9
    assert (ck / ".lock").exists()  # left behind, but no longer locked
    np.testing.assert_array_equal(pg.sweep(sc, GRID, chunk=4, checkpoint=ck)["amount"].values,
                                  reference)


def test_an_output_written_by_a_live_sweep_is_refused(tmp_path, sc):
    target = tmp_path / "s.zarr"
    fd = hold_lock(tmp_path / ".s.zarr.lock")
    try:
        with pytest.raises(StoreError, match="in use by another running sweep"):
            pg.sweep(sc, GRID, out=target)
        res = pg.sweep(sc, GRID)
        with pytest.raises(StoreError, match="in use by another running sweep"):
            res.save(tmp_path / "s.zarr")
    finally:
        os.close(fd)
    assert not target.exists()
    pg.sweep(sc, GRID, out=target)
    assert storage.store_state(target)["complete"] is True


def test_chunks_carry_the_fingerprint_and_a_checksum(tmp_path, sc):
    res = pg.sweep(sc, GRID, chunk=4, checkpoint=tmp_path)
    with np.load(chunk_files(tmp_path)[0]) as data:
        meta = json.loads(bytes(data["paxgame-meta"]).decode())
    assert meta["fingerprint"] == res.fingerprint and (meta["start"], meta["stop"]) == (0, 4)
    assert len(meta["sha256"]) == 64


def test_a_chunk_from_another_sweep_is_refused_moved_aside_and_recomputed(tmp_path, sc,
                                                                          reference):
    ck, other = tmp_path / "ck", tmp_path / "other"
    pg.sweep(sc, GRID, chunk=4, checkpoint=ck)
    pg.sweep(sc, {"discount": np.linspace(0.7, 0.95, 12)}, chunk=4, checkpoint=other)
    victim = chunk_files(ck)[1]
    shutil.copy(chunk_files(other)[1], victim)
    with pytest.raises(CheckpointError, match=rf"{victim.name}' belongs to another sweep.*"
                                              rf"moved aside"):
        pg.sweep(sc, GRID, chunk=4, checkpoint=ck)
    assert (ck / (victim.name + ".rejected")).exists() and not victim.exists()
    res = pg.sweep(sc, GRID, chunk=4, checkpoint=ck)
    assert res.computed_points == 4
    np.testing.assert_array_equal(res["amount"].values, reference)


def test_a_flipped_byte_fails_the_checksum(tmp_path, sc, reference):
    pg.sweep(sc, GRID, chunk=4, checkpoint=tmp_path)
    victim = chunk_files(tmp_path)[2]
    with np.load(victim) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["amount"] = arrays["amount"] + 1.0  # same shapes, valid file, wrong numbers
    with open(victim, "wb") as fh:
        np.savez(fh, **arrays)
    with pytest.raises(CheckpointError, match="fails its checksum"):
        pg.sweep(sc, GRID, chunk=4, checkpoint=tmp_path)
    np.testing.assert_array_equal(pg.sweep(sc, GRID, chunk=4, checkpoint=tmp_path)
                                  ["amount"].values, reference)


@pytest.mark.parametrize("damage", ["truncated", "empty", "fifo", "symlink-to-dev-zero",
                                    "directory", "old-format"])
def test_damaged_chunks_exit_2_naming_the_file_then_resume(tmp_path, damage, reference):
    ck, out = tmp_path / "ck", tmp_path / "out.nc"
    argv = ["sweep", PLURAL, "--grid", "discount=0.8:0.95:12", "--chunk", "4",
            "--checkpoint", str(ck), "--out", str(out)]
    assert main(argv) == 0
    victim = chunk_files(ck)[1]
    data = victim.read_bytes()
    victim.unlink()
    if damage == "truncated":
        victim.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        victim.write_bytes(b"")
    elif damage == "fifo":
        os.mkfifo(victim)
    elif damage == "symlink-to-dev-zero":
        victim.symlink_to("/dev/zero")
    elif damage == "directory":
        victim.mkdir()
    else:
        np.savez(victim, amount=np.zeros(4))  # a chunk without fingerprint or checksum
    out.unlink()
    assert main(argv) == 2
    assert not out.exists()
    assert main([*argv, "--json"]) == 0  # the damaged chunk was moved aside: recomputed
    np.testing.assert_array_equal(pg.SweepResult.open(out)["amount"].values, reference)


def test_damaged_chunk_message_names_the_file(tmp_path, sc, capsys):
    pg.sweep(sc, GRID, chunk=4, checkpoint=tmp_path)
    victim = chunk_files(tmp_path)[0]
    victim.write_bytes(victim.read_bytes()[:100])
    with pytest.raises(CheckpointError, match=rf"checkpoint file '.*{victim.name}' is "
                                              rf"unreadable or truncated"):
        pg.sweep(sc, GRID, chunk=4, checkpoint=tmp_path)


@pytest.mark.parametrize("damage", ["dev-zero", "fifo", "huge", "directory"])
def test_a_manifest_that_is_not_a_small_regular_file_is_refused(tmp_path, sc, damage):
    pg.sweep(sc, GRID, chunk=4, checkpoint=tmp_path)
    manifest = tmp_path / "manifest.json"
    manifest.unlink()
    if damage == "dev-zero":
        manifest.symlink_to("/dev/zero")
    elif damage == "fifo":
        os.mkfifo(manifest)
    elif damage == "huge":
        with open(manifest, "wb") as fh:
            fh.truncate(storage.MAX_METADATA_BYTES + 1)
    else:
        manifest.mkdir()
    with pytest.raises(CheckpointError, match=r"unreadable manifest '.*manifest\.json'"):
        pg.sweep(sc, GRID, chunk=4, checkpoint=tmp_path)
    assert os.path.lexists(manifest)  # never removed


def test_the_cli_exits_2_on_a_manifest_linked_to_dev_zero(tmp_path, capsys):
    (tmp_path / "manifest.json").symlink_to("/dev/zero")
    code = main(["sweep", PLURAL, "--grid", "discount=0.8:0.9:3", "--checkpoint",
                 str(tmp_path), "--out", str(tmp_path / "o.nc"), "--json"])
    out, err = capsys.readouterr()
    assert code == 2 and "manifest.json" in err
    assert json.loads(out)["error"] == "CheckpointError"


def test_read_regular_refuses_special_files(tmp_path):
    link = tmp_path / "zero"
    link.symlink_to("/dev/zero")
    with pytest.raises(OSError):
        storage.read_regular(link, 10)
    with pytest.raises(OSError, match="not a regular file"):
        storage.read_regular("/dev/zero", 10)
    big = tmp_path / "big"
    big.write_bytes(b"x" * 11)
    with pytest.raises(OSError, match="more than the 10"):
        storage.read_regular(big, 10)
    assert storage.read_regular(big, 11) == b"x" * 11


def test_a_store_killed_while_being_created_reads_as_incomplete(tmp_path, sc, reference):
    # found by the fault-injection family: a kill inside the store's creation left a marked
    # store without its arrays, and the partial read returned a dataset without 'amount'
    target = tmp_path / "s.zarr"
    storage.create_store(target, fingerprint="f" * 64, quantities=["amount"])
    assert storage.store_state(target)["complete"] is False
    for partial in (False, True):
        with pytest.raises(StoreError, match="incomplete"):
            pg.SweepResult.open(target, partial=partial)
    # the next sweep replaces it (a paxgame store of another sweep: only when asked)
    with pytest.raises(StoreError, match="holds a paxgame store already"):
        pg.sweep(sc, GRID, out=target)
    res = pg.sweep(sc, GRID, out=target, overwrite=True)
    np.testing.assert_array_equal(res["amount"].values, reference)


def test_a_store_is_never_an_unmarked_directory(tmp_path, monkeypatch):
    # the store is marked under a temporary name and renamed: a kill at any point leaves
    # either nothing or a marked store at the path (and a leftover temporary is cleaned)
    target = tmp_path / "s.zarr"
    calls = []
    real = os.rename

    def dying_rename(a, b):
        calls.append((a, b))
        raise KeyboardInterrupt  # stands in for a kill just before the rename

    monkeypatch.setattr(os, "rename", dying_rename)
    with pytest.raises(KeyboardInterrupt):
        storage.create_store(target, fingerprint="f" * 64)
    monkeypatch.setattr(os, "rename", real)
    assert calls and not target.exists()
    assert not list(tmp_path.glob(".s.zarr.tmp-*"))  # removed on the way out
    leftover = tmp_path / ".s.zarr.tmp-killed"
    leftover.mkdir()
    storage.mark_store(leftover, complete=False)
    storage.create_store(target, fingerprint="f" * 64)
    assert not leftover.exists() and storage.store_state(target)["complete"] is False

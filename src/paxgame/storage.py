"""Where sweep results and checkpoints are written, and the rules that keep a user's files safe.

Every writer in paxgame (:func:`paxgame.sweep`, :meth:`paxgame.SweepResult.save` and the
``paxgame sweep`` command) goes through this module and follows these rules.

1. **Delete only what paxgame wrote.** A Zarr store written by paxgame carries a marker file,
   ``.paxgame-store.json``, at its top. A target path is written only when it does not exist,
   is an empty directory, or is a directory carrying that marker *and* the caller asked to
   overwrite it (or it holds the same sweep). Anything else (a user's directory, a plain
   file, a symbolic link, a store another program wrote) is refused with
   :class:`~paxgame.errors.StoreError` before a byte is touched. In a checkpoint directory
   paxgame deletes only its own temporary files (``.tmp-*``, left by a killed write) and its
   lock file; a chunk file that fails its check is renamed (``*.rejected``), never deleted.
   Beside an output it deletes only the hidden temporaries a killed writer left there: a
   ``.NAME.tmp-*`` directory holding nothing but its marker, or a ``.NAME.tmp-*`` file. A
   netCDF file is replaced only if it records the fingerprint of a sweep paxgame saved
   (:func:`prepare_file`), again only when asked or when it holds the same sweep.
2. **Completeness is recorded last, atomically.** A store is created with its marker in one
   step (made under a hidden temporary name, marked, then renamed), so a store path never
   names an unmarked directory of paxgame's. The marker says ``"complete": false`` before
   the first chunk and is replaced (written to a temporary name, then renamed) by
   ``"complete": true`` after the last one. A store whose writer died reads as
   incomplete. A netCDF file is written to a temporary name and renamed: it is whole or
   absent.
3. **Unfinished points are marked missing.** A streamed store holds a boolean variable
   ``computed``, false until a point's chunk is written; readers see unfinished points as
   missing, never as a valid-looking answer.
4. **Readers check.** :meth:`paxgame.SweepResult.open` refuses an incomplete store unless
   asked to read it partially (then only the computed points are kept), and refuses a
   ``.zarr`` directory without the marker.
5. **Chunks are fingerprinted.** A checkpoint directory holds ``manifest.json`` (the sweep's
   fingerprint: SHA-256 of the scenario, the grid, the quantities, the target, the evaluator
   and the paxgame version) and one ``chunk-START-STOP.npz`` per finished chunk. Every chunk
   carries the manifest's fingerprint, its own point range and the SHA-256 of its arrays
   (names, dtypes, shapes and bytes). A chunk that is unreadable, truncated, from another
   sweep or whose checksum differs raises :class:`~paxgame.errors.CheckpointError` naming
   the file; the file is first moved aside (renamed ``*.rejected``) so that running the
   sweep again recomputes its points. Nothing is merged unchecked.
6. **Concurrent writers are excluded.** A writer holds an exclusive lock
   (:func:`fcntl.flock`, released by the kernel when the process dies) on ``.lock`` inside a
   checkpoint directory, and on ``.NAME.lock`` next to an output store or netCDF file, for
   as long as it writes. A second sweep on the same checkpoint or output is refused with
   :class:`~paxgame.errors.CheckpointError` or :class:`~paxgame.errors.StoreError` naming
   the path; it never deletes the first one's files. The lock file is removed on release.
7. **Reads are bounded.** A manifest, marker or chunk is read only if it is a regular file
   (not a symbolic link, a device or a FIFO) no larger than its format allows (the marker
   and manifest 1 MiB; a chunk 32 bytes per point and quantity, plus 1 MiB), and a chunk's
   archive members are checked against the same bound before they are decompressed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .errors import CheckpointError, StoreError

try:  # POSIX; elsewhere an exclusive create of the lock file stands in
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

__all__ = ["MARKER", "prepare_store", "create_store", "prepare_file", "write_file",
           "mark_store", "store_state", "remove_store",
           "zarr_access", "exclusive", "output_lock", "read_regular", "Checkpoint",
           "CHECKPOINT_FORMAT", "MANIFEST", "MAX_METADATA_BYTES"]

#: Name of the marker file at the top of every store paxgame writes.
MARKER = ".paxgame-store.json"
_FORMAT = "paxgame-sweep-store"
#: Largest marker or manifest read (bytes).
MAX_METADATA_BYTES = 2**20
#: Name and format tag of a checkpoint's manifest.
MANIFEST = "manifest.json"
CHECKPOINT_FORMAT = "paxgame-sweep-checkpoint"
_CHECKPOINT_VERSION = 2  # version 1 chunks carried no fingerprint or checksum
_CHUNK_RE = re.compile(r"^chunk-(\d{12})-(\d{12})\.npz$")
_META = "paxgame-meta"  # not an identifier: cannot clash with a quantity's name
_BYTES_PER_POINT = 32
_LOCK = ".lock"


def read_regular(path, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    The file is opened without following a symbolic link and without blocking (a FIFO), and
    its type and size are checked on the open descriptor before anything is read.

    Raises
    ------
    OSError
        The path is missing, a symbolic link, not a regular file, or larger than ``limit``
        (the message says which).
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                 | getattr(os, "O_NONBLOCK", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(f"{str(path)!r} is not a regular file")
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if info.st_size > limit:
            raise OSError(f"{str(path)!r} has {info.st_size} bytes, more than the {limit} "
                          f"its format allows")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise OSError(f"{str(path)!r} grew past {limit} bytes while being read")
    return data


def _kind_of(path: Path) -> str:
    """What a path that is not a regular file is, in words (for messages)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return "missing"
    if stat.S_ISLNK(info.st_mode):
        return "a symbolic link"
    if stat.S_ISDIR(info.st_mode):
        return "a directory"
    if stat.S_ISFIFO(info.st_mode):
        return "a FIFO"
    if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
        return "a device"
    if stat.S_ISREG(info.st_mode):
        return f"a file of {info.st_size} bytes"
    return "not a regular file"


# --------------------------------------------------------------------------- exclusion

@contextlib.contextmanager
def exclusive(func: str, lock: Path, what: str, error: type = StoreError) -> Iterator[None]:
    """Hold an exclusive lock on the file ``lock`` while the block runs.

    The lock is :func:`fcntl.flock` on the file (the kernel releases it when the process
    dies, so a killed sweep never blocks the next one); the file records the holder's
    process id for messages and is removed on release. When another live process holds it,
    ``error`` is raised at once: ``"{func}: {what} is in use by another running sweep
    (process N)"``.
    """
    lock = Path(lock)
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
                         | (0 if fcntl is not None else os.O_EXCL), 0o644)
        except FileExistsError:  # pragma: no cover - the Windows stand-in
            raise error(f"{func}: {what} is in use by another running sweep (its lock "
                        f"{str(lock)!r} exists; remove it if no sweep is running)") from None
        except OSError as err:
            raise error(f"{func}: cannot lock {what}: {str(lock)!r}: {err.strerror or err}"
                        ) from err
        if fcntl is None:  # pragma: no cover
            break
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise error(f"{func}: {what} is in use by another running sweep (process "
                        f"{holder}); wait for it to finish or use another path") from None
        except BaseException:
            os.close(fd)
            raise
        # A holder that was releasing may have removed the file we opened: lock the file
        # that the path names now, or try again.
        try:
            same = os.stat(lock, follow_symlinks=False).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            if os.stat(lock, follow_symlinks=False).st_ino == os.fstat(fd).st_ino:
                os.unlink(lock)
        os.close(fd)


def output_lock(func: str, path) -> contextlib.AbstractContextManager:
    """The lock of an output store or netCDF file: ``.NAME.lock`` in its directory."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    return exclusive(func, p.parent / f".{p.name}.lock", repr(str(p)), StoreError)


def _atomic_write(path: Path, writer: Callable[[Any], None]) -> None:
    """Write ``path`` through a temporary file in its directory, then rename it."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            writer(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _atomic_write_text(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    _atomic_write(path, lambda fh: fh.write(data))


def store_state(path) -> dict | None:
    """The marker of a store paxgame wrote (a dict with ``complete``), or ``None``.

    ``None`` means the path is not a directory carrying a readable paxgame marker.
    """
    p = Path(path)
    marker = p / MARKER
    if p.is_symlink() or not p.is_dir() or marker.is_symlink() or not marker.is_file():
        return None
    try:
        found = json.loads(read_regular(marker, MAX_METADATA_BYTES).decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(found, dict) or found.get("format") != _FORMAT:
        return None
    return found


def prepare_store(func: str, path, overwrite: bool = False,
                  fingerprint: str | None = None) -> Path:
    """Check that ``path`` may be written as a new store; remove an old paxgame store.

    Parameters
    ----------
    func : str
        The public function's name, leading every error message.
    path : str or os.PathLike
        The target store (a directory).
    overwrite : bool
        Whether an existing store *written by paxgame* may be replaced. Nothing else is ever
        replaced.
    fingerprint : str, optional
        The sweep's fingerprint: a paxgame store of the *same* sweep (a rerun or a resume)
        is replaced without ``overwrite``, since it holds the same numbers.

    Returns
    -------
    pathlib.Path
        The path, now absent (the writer creates it).

    Raises
    ------
    StoreError
        The path is a symbolic link, a file, a non-empty directory paxgame did not write, or
        a paxgame store while ``overwrite`` is false.
    """
    p = Path(path)
    if p.is_symlink():
        raise StoreError(f"{func}: {str(p)!r} is a symbolic link; paxgame writes a store only "
                         f"to a new path or an empty directory, never through a link")
    if not p.exists():
        return p
    if not p.is_dir():
        raise StoreError(f"{func}: {str(p)!r} exists and is not a directory; choose a new "
                         f"path (nothing was written)")
    if not any(p.iterdir()):
        p.rmdir()
        return p
    state = store_state(p)
    if state is None:
        raise StoreError(f"{func}: {str(p)!r} is a non-empty directory that paxgame did not "
                         f"write; it is left untouched: choose a new path")
    same = fingerprint is not None and state.get("fingerprint") == fingerprint
    if not (overwrite or same):
        raise StoreError(f"{func}: {str(p)!r} holds a paxgame store already; pass "
                         f"overwrite=True (--overwrite on the command line) to replace it")
    remove_store(func, p)
    return p


def prepare_file(func: str, path, overwrite: bool, fingerprint: str,
                 recorded: Callable[[Path], str | None]) -> Path:
    """Check that a one-file output (a netCDF file) may be written at ``path``.

    A new path is fine. An existing regular file is replaced only when ``recorded(path)``
    finds the fingerprint of a sweep paxgame saved there, and either ``overwrite`` is true or
    it is this very sweep; anything else (a user's file, a directory, a link) is refused with
    :class:`~paxgame.errors.StoreError` and left untouched. Temporaries of a killed earlier
    save (``.NAME.tmp-*``, regular files) are removed; call this under :func:`output_lock`.
    """
    p = Path(path)
    if p.is_symlink() or (p.exists() and not p.is_file()):
        raise StoreError(f"{func}: {str(p)!r} exists and is not a regular file; choose a new "
                         f"path (nothing was written)")
    if p.exists():
        found = recorded(p)
        if found is None:
            raise StoreError(f"{func}: {str(p)!r} exists and is not a sweep paxgame saved; it "
                             f"is left untouched: choose a new path")
        if not overwrite and found != fingerprint:
            raise StoreError(f"{func}: {str(p)!r} exists; pass overwrite=True (--overwrite on "
                             f"the command line) to replace it")
    for old in p.parent.glob(f".{p.name}.tmp-*"):
        if old.is_file() and not old.is_symlink():
            old.unlink()
    return p


def write_file(path, writer: Callable[[Path], None]) -> None:
    """Write a one-file output whole or not at all: ``writer`` fills a temporary file beside
    ``path`` (``.NAME.tmp-PID`` with the same suffix), which is then renamed."""
    p = Path(path)
    tmp = p.with_name(f".{p.name}.tmp-{os.getpid()}{p.suffix}")
    try:
        writer(tmp)
        os.replace(tmp, p)
    finally:
        if tmp.exists():
            tmp.unlink()


def remove_store(func: str, path) -> None:
    """Delete a store paxgame wrote (its marker is checked first; anything else is refused)."""
    p = Path(path)
    if store_state(p) is None:
        raise StoreError(f"{func}: refusing to delete {str(p)!r}: it carries no paxgame marker")
    shutil.rmtree(p)


def create_store(path, **info) -> Path:
    """Create an empty store marked incomplete, atomically: the path either does not exist or
    is a directory carrying the marker (a writer killed at any point leaves no unmarked
    directory behind).

    The directory is made under a hidden temporary name beside ``path`` (``.NAME.tmp-*``),
    marked, then renamed. Call it under :func:`output_lock` after :func:`prepare_store`; the
    temporary directories of killed writers (holding nothing but the marker) are removed
    first.
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    for old in p.parent.glob(f".{p.name}.tmp-*"):
        if old.is_dir() and not old.is_symlink() and store_state(old) is not None \
                and {c.name for c in old.iterdir()} <= {MARKER}:
            shutil.rmtree(old)
    tmp = Path(tempfile.mkdtemp(prefix=f".{p.name}.tmp-", dir=p.parent))
    try:
        mark_store(tmp, complete=False, **info)
        os.rename(tmp, p)
    except BaseException:
        if tmp.exists():
            shutil.rmtree(tmp)
        raise
    return p


def mark_store(path, complete: bool, **info) -> None:
    """Write the store's marker atomically (``complete`` false before writing, true after)."""
    p = Path(path)
    payload = {"format": _FORMAT, "version": 1, "complete": bool(complete), **info}
    _atomic_write_text(p / MARKER, json.dumps(payload, indent=2, sort_keys=True))


@contextlib.contextmanager
def zarr_access():
    """Open or write a marked store: Zarr's note that the marker is no Zarr node is expected."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*paxgame-store\.json.*")
        yield


# --------------------------------------------------------------------------- checkpoints

def _checksum(fingerprint: str, start: int, stop: int, values: Mapping[str, np.ndarray]
              ) -> str:
    h = hashlib.sha256(f"{fingerprint}:{start}:{stop}".encode("ascii"))
    for name in sorted(values):
        arr = np.ascontiguousarray(values[name])
        h.update(f"|{name}|{arr.dtype.str}|{arr.shape}|".encode("utf-8"))
        h.update(arr.tobytes())
    return h.hexdigest()


class Checkpoint:
    """A checkpoint directory: a manifest naming the sweep and its finished chunks.

    Use it as a context manager: entering locks the directory (rule 6), checks or writes the
    manifest (rule 5) and removes the temporary files of a killed write; leaving releases
    the lock.

    Parameters
    ----------
    func : str
        The public function's name, leading every message.
    directory : str or os.PathLike
        The checkpoint directory (created if missing).
    manifest : dict
        ``format``, ``fingerprint`` and a description of the sweep (for messages).
    """

    def __init__(self, func: str, directory, manifest: dict):
        self.func = func
        self.dir = Path(directory)
        self.manifest = {**manifest, "format": CHECKPOINT_FORMAT,
                         "version": _CHECKPOINT_VERSION}
        self.fingerprint = manifest["fingerprint"]
        self._stack = contextlib.ExitStack()

    def _error(self, message: str) -> CheckpointError:
        return CheckpointError(f"{self.func}: {message}")

    def __enter__(self) -> "Checkpoint":
        if self.dir.exists() and not self.dir.is_dir():
            raise self._error(f"checkpoint {str(self.dir)!r} is a file, not a directory")
        self.dir.mkdir(parents=True, exist_ok=True)
        self._stack.enter_context(exclusive(self.func, self.dir / _LOCK,
                                            f"checkpoint {str(self.dir)!r}", CheckpointError))
        try:
            self._open()
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def _open(self) -> None:
        path = self.dir / MANIFEST
        if os.path.lexists(path):
            try:
                found = json.loads(read_regular(path, MAX_METADATA_BYTES).decode("utf-8"))
            except (OSError, ValueError) as err:
                raise self._error(f"checkpoint {str(self.dir)!r} has an unreadable manifest "
                                  f"{str(path)!r} ({_kind_of(path)}: {err})") from err
            if not isinstance(found, dict) or found.get("format") != CHECKPOINT_FORMAT:
                raise self._error(f"checkpoint {str(self.dir)!r} has a manifest that is not "
                                  f"a paxgame sweep checkpoint")
            if found.get("version") != _CHECKPOINT_VERSION:
                raise self._error(f"checkpoint {str(self.dir)!r} was written by another "
                                  f"paxgame release (checkpoint format version "
                                  f"{found.get('version')!r}, this one reads "
                                  f"{_CHECKPOINT_VERSION}): use an empty directory")
            if found.get("fingerprint") != self.fingerprint:
                raise self._error(
                    f"checkpoint {str(self.dir)!r} belongs to another sweep (scenario "
                    f"{found.get('scenario')!r}, grid {found.get('names')} of shape "
                    f"{found.get('shape')}, quantity {found.get('quantities')}, target "
                    f"{found.get('target')!r}); its fingerprint "
                    f"{str(found.get('fingerprint'))[:12]} differs from this sweep's "
                    f"{self.fingerprint[:12]}: use an empty directory")
        else:
            stray = [p.name for p in self.dir.iterdir()
                     if not (p.name.startswith(".tmp-") or p.name == _LOCK)]
            if stray:
                raise self._error(f"checkpoint {str(self.dir)!r} is not empty and has no "
                                  f"manifest (found {sorted(stray)[0]!r}): use an empty "
                                  f"directory")
            _atomic_write_text(path, json.dumps(self.manifest, indent=2, sort_keys=True))
        for p in self.dir.glob(".tmp-*"):  # our own leftovers of a killed write
            if p.is_file() and not p.is_symlink():
                p.unlink()

    def finished(self, size: int) -> list[tuple[int, int, Path]]:
        """The chunk files ``(start, stop, path)`` in grid order (not yet read or checked)."""
        chunks = []
        for p in sorted(self.dir.iterdir()):
            m = _CHUNK_RE.match(p.name)
            if not m:
                continue
            start, stop = int(m.group(1)), int(m.group(2))
            if not 0 <= start < stop <= size:
                raise self._error(f"checkpoint file {str(p)!r} covers points {start}:{stop}, "
                                  f"outside the grid of {size} points")
            chunks.append((start, stop, p))
        chunks.sort(key=lambda c: c[0])
        for (a0, a1, pa), (b0, b1, pb) in zip(chunks, chunks[1:]):
            if b0 < a1:
                raise self._error(f"checkpoint {str(self.dir)!r} has overlapping chunks "
                                  f"{str(pa.name)!r} ({a0}:{a1}) and {str(pb.name)!r} "
                                  f"({b0}:{b1})")
        return chunks

    def _load(self, start: int, stop: int, path: Path, quantities) -> dict:
        """Read and check one chunk; raise ``CheckpointError`` (the file is left alone)."""
        limit = (stop - start) * _BYTES_PER_POINT * (len(quantities) + 1) + 2**20
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                         | getattr(os, "O_NONBLOCK", 0))
        except OSError as err:
            raise self._error(f"checkpoint file {str(path)!r} cannot be opened "
                              f"({_kind_of(path)}: {err.strerror or err})") from err
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise self._error(f"checkpoint file {str(path)!r} is not a regular file")
        with os.fdopen(fd, "rb") as fh:
            info = os.fstat(fh.fileno())
            if info.st_size == 0:
                raise self._error(f"checkpoint file {str(path)!r} is empty")
            if info.st_size > limit:
                raise self._error(f"checkpoint file {str(path)!r} has {info.st_size} bytes, "
                                  f"more than a chunk of {stop - start} points can hold")
            try:
                with zipfile.ZipFile(fh) as zf:
                    unpacked = sum(m.file_size for m in zf.infolist())
                if unpacked > limit:
                    raise ValueError(f"it unpacks to {unpacked} bytes, more than a chunk of "
                                     f"{stop - start} points can hold")
                fh.seek(0)
                with np.load(fh, allow_pickle=False) as data:
                    meta = json.loads(bytes(data[_META]).decode("utf-8"))
                    values = {q: data[q] for q in quantities}
            except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile,
                    zlib.error, UnicodeDecodeError) as err:
                what = "it is not a paxgame chunk" if isinstance(err, KeyError) else \
                    f"{type(err).__name__}: {err}"
                raise self._error(f"checkpoint file {str(path)!r} is unreadable or truncated "
                                  f"({what})") from err
        if not isinstance(meta, dict) or meta.get("fingerprint") != self.fingerprint:
            found = meta.get("fingerprint") if isinstance(meta, dict) else None
            raise self._error(f"checkpoint file {str(path)!r} belongs to another sweep (its "
                              f"fingerprint {str(found)[:12]} differs from the manifest's "
                              f"{self.fingerprint[:12]})")
        if (meta.get("start"), meta.get("stop")) != (start, stop):
            raise self._error(f"checkpoint file {str(path)!r} holds points "
                              f"{meta.get('start')}:{meta.get('stop')}, not the {start}:{stop} "
                              f"its name says")
        if any(v.shape != (stop - start,) for v in values.values()):
            raise self._error(f"checkpoint file {str(path)!r} holds arrays of the wrong "
                              f"length for points {start}:{stop}")
        if meta.get("sha256") != _checksum(self.fingerprint, start, stop, values):
            raise self._error(f"checkpoint file {str(path)!r} fails its checksum (its bytes "
                              f"changed after it was written)")
        return values

    def _reject(self, path: Path) -> Path:
        """Move a chunk that failed its check aside (never delete it)."""
        for n in range(1000):
            aside = path.with_name(path.name + (".rejected" if n == 0 else f".rejected-{n}"))
            if not os.path.lexists(aside):
                os.replace(path, aside)
                return aside
        raise self._error(f"checkpoint file {str(path)!r} failed its check and cannot be "
                          f"moved aside (1000 rejected copies exist): clear the directory")

    def check(self, size: int, quantities) -> list[tuple[int, int, Path]]:
        """Check every finished chunk; move each one that fails aside, then raise.

        Returns
        -------
        list of (start, stop, path)
            The chunks, all of which passed.

        Raises
        ------
        CheckpointError
            Naming the first chunk that failed and the number of chunks moved aside; a run
            of the same sweep afterwards recomputes their points.
        """
        chunks = self.finished(size)
        failed = []
        for start, stop, path in chunks:
            try:
                self._load(start, stop, path, quantities)
            except CheckpointError as err:
                failed.append((path, self._reject(path), err))
        if failed:
            path, aside, err = failed[0]
            more = f" (and {len(failed) - 1} more chunk files)" if len(failed) > 1 else ""
            raise self._error(f"{str(err).removeprefix(self.func + ': ')}; it was moved aside "
                              f"to {str(aside.name)!r}{more} and its points will be "
                              f"recomputed when the sweep runs again") from err
        return chunks

    def read(self, start: int, stop: int, path: Path, quantities) -> dict:
        """The checked arrays of one finished chunk (never unpickles anything)."""
        return self._load(start, stop, path, quantities)

    def write(self, start: int, stop: int, values: Mapping[str, np.ndarray]) -> None:
        """Write one finished chunk atomically, with its fingerprint and checksum."""
        values = {q: np.ascontiguousarray(v) for q, v in values.items()}
        meta = {"fingerprint": self.fingerprint, "start": start, "stop": stop,
                "sha256": _checksum(self.fingerprint, start, stop, values)}
        blob = np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), dtype=np.uint8)
        path = self.dir / f"chunk-{start:012d}-{stop:012d}.npz"
        _atomic_write(path, lambda fh: np.savez(fh, **values, **{_META: blob}))

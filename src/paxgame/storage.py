"""Where sweep results are written, and the rules that keep a user's files safe.

Rules (every writer in paxgame follows them):

1. **Delete only what paxgame wrote.** A Zarr store written by paxgame carries a marker file,
   ``.paxgame-store.json``, at its top. A target path is written only when it does not exist,
   is an empty directory, or is a directory carrying that marker *and* the caller asked to
   overwrite it. Anything else (a user's directory, a plain file, a symbolic link, a store
   another program wrote) is refused with :class:`~paxgame.errors.StoreError` before a byte is
   touched.
2. **Completeness is recorded last, atomically.** The marker is written with
   ``"complete": false`` before the first chunk and replaced (write to a temporary name, then
   rename) with ``"complete": true`` after the last one. A store whose writer died reads as
   incomplete.
3. **Unfinished points are marked missing.** A streamed store holds a boolean variable
   ``computed``, false until a point's chunk is written; readers see unfinished points as
   missing, never as a valid-looking answer.
4. **Readers check.** :func:`open_store` refuses an incomplete store unless asked to read it
   partially (then only the computed points are kept), and refuses a ``.zarr`` directory
   without the marker.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path

from .errors import StoreError

__all__ = ["MARKER", "prepare_store", "mark_store", "store_state", "remove_store",
           "zarr_access"]

#: Name of the marker file at the top of every store paxgame writes.
MARKER = ".paxgame-store.json"
_FORMAT = "paxgame-sweep-store"


def _atomic_write_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def store_state(path) -> dict | None:
    """The marker of a store paxgame wrote (a dict with ``complete``), or ``None``.

    ``None`` means the path is not a directory carrying a readable paxgame marker.
    """
    p = Path(path)
    marker = p / MARKER
    if p.is_symlink() or not p.is_dir() or marker.is_symlink() or not marker.is_file():
        return None
    try:
        if marker.stat().st_size > 65_536:
            return None
        found = json.loads(marker.read_text(encoding="utf-8"))
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


def remove_store(func: str, path) -> None:
    """Delete a store paxgame wrote (its marker is checked first; anything else is refused)."""
    p = Path(path)
    if store_state(p) is None:
        raise StoreError(f"{func}: refusing to delete {str(p)!r}: it carries no paxgame marker")
    shutil.rmtree(p)


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

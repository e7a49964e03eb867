"""Parameter sweeps of the revocation model: grids, chunks, checkpoints, local or Dask runs.

:func:`sweep` evaluates a quantity of the minimum credible assurance (by default its
``amount``) over the Cartesian product of one-dimensional grids of dotted scenario
parameters, e.g. ``{"discount": ..., "partners.partner.revocation_gain.hawkish": ...}``.
The grid is cut into chunks of consecutive points (in C order of the grid); every chunk is
evaluated with one call of the batch kernel :func:`paxgame.batch.minimum_assurance`, so
memory stays flat however large the grid and there is no Python loop over points. The
answer is a :class:`SweepResult` holding an :class:`xarray.Dataset` with one coordinate per
swept parameter, saved as netCDF (``.nc``) or Zarr (``.zarr``).

With ``checkpoint=DIR`` every finished chunk is written atomically (to a temporary file that
is then renamed) next to a manifest carrying a fingerprint of the scenario, the grid, the
quantity and the target. A run that is killed resumes where it stopped and gives the same
dataset as an uninterrupted run; a directory written by another sweep is refused with
:class:`~paxgame.errors.CheckpointError`.

Every point depends only on its own parameters, so the result is identical for any chunk
size and any scheduler (serial, ``"processes"`` or ``"dask"``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import storage
from .errors import StoreError

__all__ = ["sweep", "SweepResult", "evaluate_assurance", "check_grid_size", "TARGETS",
           "SCHEDULERS", "MAX_POINTS", "MAX_MEMORY_BYTES", "MAX_CHUNK"]

#: The assurance targets a sweep can evaluate (see :func:`paxgame.minimum_assurance`).
TARGETS = ("participation", "continuity", "unique_participation", "unique_continuity")
#: The schedulers: ``None`` runs in this process.
SCHEDULERS = (None, "processes", "dask")
#: Points per chunk when ``chunk`` is not given.
DEFAULT_CHUNK = 65_536
#: Grids with at least this many points show a progress bar when ``progress=None``.
PROGRESS_THRESHOLD = 100_000
#: Most points in a grid (a streamed Zarr output); the size is checked before any work.
MAX_POINTS = 10**10
#: Most bytes of results held in memory (8 per point and quantity) without ``out``.
MAX_MEMORY_BYTES = 2 * 2**30
#: Most points evaluated in one call of the batch kernel (the chunk is capped, not refused,
#: when the grid is smaller).
MAX_CHUNK = 2**21

_STORE_CHUNK_BYTES = 8 * 2**20


# --------------------------------------------------------------------------- evaluation

def evaluate_assurance(scenario, params: Mapping[str, np.ndarray], quantities: Sequence[str],
                       target: str) -> dict[str, np.ndarray]:
    """Evaluate one chunk of points with the batch kernel (the default sweep evaluator).

    Parameters
    ----------
    scenario : Scenario
        The base scenario.
    params : mapping of str to 1-D ndarray
        For each swept dotted parameter, its value at every point of the chunk (equal lengths).
    quantities : sequence of str
        Names of the arrays of :func:`paxgame.batch.minimum_assurance` to return.
    target : str
        ``"participation"`` or ``"continuity"``.

    Returns
    -------
    dict of str to ndarray
        One array per quantity, of the chunk's length.
    """
    from . import batch

    out = batch.minimum_assurance(scenario, target=target, **params)
    return {q: _field(out, q) for q in quantities}


def _field(out, name: str) -> np.ndarray:
    if isinstance(out, Mapping) or name.startswith("amount:"):
        value = out[name]
    else:
        value = getattr(out, name, None)
    if value is None:
        raise ValueError(f"sweep: the batch kernel returned no quantity {name!r}")
    return np.asarray(value)


def _evaluate_chunk(evaluator, scenario, names, values, shape, quantities, target, start,
                    stop):
    """Evaluate points ``start:stop`` of the flattened grid (runs in workers too)."""
    index = np.unravel_index(np.arange(start, stop, dtype=np.int64), shape)
    params = {name: np.asarray(vals)[idx] for name, vals, idx in zip(names, values, index)}
    out = evaluator(scenario, params, tuple(quantities), target)
    result = {}
    for q in quantities:
        if q not in out:
            raise ValueError(f"sweep: the evaluator returned no quantity {q!r}")
        arr = np.asarray(out[q])
        if arr.shape != (stop - start,):
            arr = np.broadcast_to(arr, (stop - start,)) if arr.ndim == 0 else arr
            if arr.shape != (stop - start,):
                raise ValueError(f"sweep: the evaluator returned {q!r} with shape {arr.shape}"
                                 f", expected ({stop - start},)")
        result[q] = np.ascontiguousarray(arr)
    return start, stop, result


# --------------------------------------------------------------------------- fingerprint

def _canonical(obj, depth: int = 0):
    """A JSON-able, order-stable description of ``obj`` (floats exactly, arrays hashed)."""
    if depth > 50:
        raise ValueError("sweep: the scenario is nested too deeply to fingerprint")
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return float(obj).hex()
    if isinstance(obj, np.ndarray):
        arr = np.ascontiguousarray(obj)
        if arr.dtype == object:
            return ["ndarray-object", list(arr.shape),
                    [_canonical(x, depth + 1) for x in arr.ravel().tolist()]]
        return ["ndarray", arr.dtype.str, list(arr.shape),
                hashlib.sha256(arr.tobytes()).hexdigest()]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return [type(obj).__qualname__,
                {f.name: _canonical(getattr(obj, f.name), depth + 1)
                 for f in dataclasses.fields(obj)}]
    if isinstance(obj, Mapping):
        return ["mapping", sorted(([str(k), _canonical(v, depth + 1)] for k, v in obj.items()),
                                  key=lambda kv: kv[0])]
    if isinstance(obj, (list, tuple)):
        return [_canonical(x, depth + 1) for x in obj]
    if isinstance(obj, (set, frozenset)):
        return ["set", sorted(json.dumps(_canonical(x, depth + 1)) for x in obj)]
    if hasattr(obj, "__dict__"):
        return [type(obj).__qualname__,
                {k: _canonical(v, depth + 1) for k, v in sorted(vars(obj).items())
                 if not k.startswith("_")}]
    return [type(obj).__qualname__, repr(obj)]


def fingerprint(scenario, names, values, quantities, target, evaluator) -> str:
    """SHA-256 of the scenario, the grid, the quantities, the target, the evaluator and the
    paxgame version."""
    module = getattr(evaluator, "__module__", "")
    evaluator_name = f"{module}.{getattr(evaluator, '__qualname__', repr(evaluator))}"
    payload = {
        "scenario": _canonical(scenario),
        "grid": [[name, _canonical(np.asarray(v))] for name, v in zip(names, values)],
        "quantities": list(quantities),
        "target": target,
        "evaluator": evaluator_name,
        "paxgame": _version(),  # another release may compute other numbers: never mix them
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("paxgame")
    except PackageNotFoundError:  # running from a source tree
        return "unknown"


# --------------------------------------------------------------------------- sinks

def _blocks(a: int, b: int, shape: tuple[int, ...]):
    """Hyper-rectangles (tuples of slices) covering flat C-order points a:b, in order.

    Each block's points are consecutive in the flat order, so the values of a chunk can be
    cut into the blocks one after the other.
    """
    if a >= b:
        return
    if len(shape) == 1:
        yield (slice(a, b),)
        return
    inner = math.prod(shape[1:])
    i0, r0 = divmod(a, inner)
    i1, r1 = divmod(b, inner)
    if i0 == i1:
        for sub in _blocks(r0, r1, shape[1:]):
            yield (slice(i0, i0 + 1), *sub)
        return
    if r0:
        for sub in _blocks(r0, inner, shape[1:]):
            yield (slice(i0, i0 + 1), *sub)
        i0 += 1
    if i1 > i0:
        yield (slice(i0, i1), *(slice(0, n) for n in shape[1:]))
    if r1:
        for sub in _blocks(0, r1, shape[1:]):
            yield (slice(i1, i1 + 1), *sub)


class _MemorySink:
    """Holds the whole grid in memory (the default)."""

    def __init__(self, size, shape, names, coords, quantities, attrs):
        self.size, self.shape, self.names = size, shape, names
        self.coords, self.quantities, self.attrs = coords, quantities, attrs
        self.arrays: dict[str, np.ndarray] = {}

    def put(self, start, stop, vals):
        for q in self.quantities:
            v = vals[q]
            if q not in self.arrays:
                self.arrays[q] = np.empty(self.size, dtype=v.dtype)
            elif self.arrays[q].dtype != v.dtype:
                raise ValueError(f"sweep: quantity {q!r} changed dtype between chunks "
                                 f"({self.arrays[q].dtype} and {v.dtype})")
            self.arrays[q][start:stop] = v

    def dataset(self):
        import xarray as xr

        data = {q: (self.names, self.arrays[q].reshape(self.shape)) for q in self.quantities}
        return xr.Dataset(data, coords=self.coords, attrs=self.attrs)


class _ZarrSink(_MemorySink):
    """Streams every chunk into a Zarr store: memory stays flat for any grid size.

    The store follows :mod:`paxgame.storage`: its marker says ``complete: false`` until
    :meth:`close`, and the boolean variable ``computed`` marks the points already written.
    """

    def __init__(self, path, *args):
        super().__init__(*args)
        self.path = Path(path)
        self.group = None
        self.dtypes: dict[str, np.dtype] = {}

    def _create(self, vals):
        import dask.array as da
        import xarray as xr
        import zarr

        data = {}
        dtypes = {q: vals[q].dtype for q in self.quantities}
        dtypes["computed"] = np.dtype(bool)
        for q, dtype in dtypes.items():
            # storage chunks of about 8 MiB: a region write rewrites at most a few of them
            chunks = da.core.normalize_chunks("auto", self.shape, limit=_STORE_CHUNK_BYTES,
                                              dtype=dtype)
            data[q] = (self.names, da.zeros(self.shape, dtype=dtype, chunks=chunks))
        storage.create_store(self.path, fingerprint=self.attrs["fingerprint"],
                             quantities=list(self.quantities))
        with storage.zarr_access():
            xr.Dataset(data, coords=self.coords, attrs=self.attrs).to_zarr(
                self.path, mode="a", compute=False, consolidated=False)
            self.group = zarr.open_group(str(self.path), mode="r+")
        self.dtypes = dtypes

    def put(self, start, stop, vals):
        if self.group is None:
            self._create(vals)
        vals = {**vals, "computed": np.ones(stop - start, dtype=bool)}
        for q in (*self.quantities, "computed"):  # "computed" last: the chunk is then whole
            v = vals[q]
            if v.dtype != self.dtypes[q]:
                raise ValueError(f"sweep: quantity {q!r} changed dtype between chunks "
                                 f"({self.dtypes[q]} and {v.dtype})")
            target, offset = self.group[q], 0
            for block in _blocks(start, stop, self.shape):
                shape = tuple(sl.stop - sl.start for sl in block)
                n = math.prod(shape)
                target[block] = v[offset:offset + n].reshape(shape)
                offset += n

    def close(self):
        """Record the store as complete (atomically, after every chunk is written)."""
        storage.mark_store(self.path, complete=True, fingerprint=self.attrs["fingerprint"],
                           quantities=list(self.quantities))

    def dataset(self):
        import xarray as xr

        with storage.zarr_access():
            return xr.open_zarr(self.path, consolidated=False).drop_vars("computed")


# --------------------------------------------------------------------------- result

def _nc_fingerprint(path: Path) -> str | None:
    """The sweep fingerprint recorded in a netCDF file paxgame wrote, else ``None``."""
    import xarray as xr

    try:
        with xr.open_dataset(path, engine="netcdf4") as ds:
            found = ds.attrs.get("fingerprint")
    except (OSError, ValueError, KeyError, RuntimeError):  # not a netCDF file: not ours
        return None
    return found if isinstance(found, str) else None


@dataclass(frozen=True)
class SweepResult:
    """The outcome of :func:`sweep`: a labelled dataset and how it was produced.

    Attributes
    ----------
    dataset : xarray.Dataset
        One data variable per quantity, one dimension (and coordinate) per swept parameter,
        in the order of the grid. Attributes record the scenario name, the target, the
        quantities and the sweep's fingerprint.
    fingerprint : str
        SHA-256 of the scenario, the grid, the quantities and the target.
    computed_points : int
        Points evaluated by this call (the rest were read from the checkpoint).
    """

    dataset: Any
    fingerprint: str
    computed_points: int = 0
    resumed_points: int = 0
    names: tuple[str, ...] = field(default=())

    def __getitem__(self, name):
        return self.dataset[name]

    @property
    def shape(self) -> tuple[int, ...]:
        """The grid's shape (one axis per swept parameter)."""
        return tuple(self.dataset.sizes[n] for n in self.names)

    def save(self, path, overwrite: bool = False) -> Path:
        """Save the dataset: netCDF for a ``.nc`` path, Zarr for a ``.zarr`` path.

        A netCDF file is written to a temporary name and renamed, so a reader never sees a
        partial file; a Zarr store is marked complete only after its last byte (see
        :mod:`paxgame.storage`).

        Parameters
        ----------
        path : str or os.PathLike
            The target. It must not exist, or be an empty directory (Zarr), unless it is a
            netCDF file or a Zarr store paxgame saved and ``overwrite`` is true (or it holds
            this very sweep). A user's file or directory, a symbolic link or a foreign store
            is never replaced.
        overwrite : bool
            Replace a netCDF file or Zarr store that paxgame saved earlier.

        Raises
        ------
        paxgame.errors.StoreError
            The target exists and may not be replaced (nothing is written).
        """
        p = Path(path)
        suffix = p.suffix.lower()
        if suffix not in (".nc", ".zarr"):
            raise ValueError(f"SweepResult.save: unknown file type {suffix or str(p)!r}; use a "
                             f"path ending in .nc (netCDF) or .zarr (Zarr)")
        with storage.output_lock("SweepResult.save", p):
            self._save(p, suffix, overwrite)
        return p

    def _save(self, p: Path, suffix: str, overwrite: bool) -> None:
        if suffix == ".nc":
            storage.prepare_file("SweepResult.save", p, overwrite=overwrite,
                                 fingerprint=self.fingerprint, recorded=_nc_fingerprint)
            storage.write_file(p, lambda tmp: self.dataset.to_netcdf(tmp, engine="netcdf4"))
        else:
            storage.prepare_store("SweepResult.save", p, overwrite=overwrite,
                                  fingerprint=self.fingerprint)
            names = [str(q) for q in self.dataset.data_vars]
            storage.create_store(p, fingerprint=self.fingerprint, quantities=names)
            with storage.zarr_access():
                self.dataset.to_zarr(p, mode="a", consolidated=False)
            storage.mark_store(p, complete=True, fingerprint=self.fingerprint,
                               quantities=names)

    @staticmethod
    def open(path, partial: bool = False):
        """Open a saved sweep (``.nc`` or ``.zarr``) as an :class:`xarray.Dataset` in memory.

        Parameters
        ----------
        path : str or os.PathLike
            A netCDF file or a Zarr store written by :func:`sweep` or :meth:`save`.
        partial : bool
            Read a Zarr store whose writer did not finish: points not yet computed are set
            missing (NaN, or a masked value for non-float quantities). By default such a
            store is refused.

        Returns
        -------
        xarray.Dataset

        Raises
        ------
        paxgame.errors.StoreError
            A Zarr directory without paxgame's marker, or an incomplete store without
            ``partial=True``.
        """
        import xarray as xr

        p = Path(path)
        suffix = p.suffix.lower()
        if suffix == ".nc":
            if not p.exists():
                raise FileNotFoundError(f"SweepResult.open: {str(p)!r}: no such file")
            if not p.is_file():
                raise StoreError(f"SweepResult.open: {str(p)!r} is not a regular file")
            try:
                with xr.open_dataset(p, engine="netcdf4") as ds:
                    return ds.load()
            except (OSError, ValueError, KeyError, RuntimeError) as err:
                raise StoreError(f"SweepResult.open: {str(p)!r} is not a netCDF file that "
                                 f"can be read ({type(err).__name__}: {err})") from err
        if suffix == ".zarr":
            if not p.exists():
                raise FileNotFoundError(f"SweepResult.open: {str(p)!r}: no such store")
            state = storage.store_state(p)
            if state is None:
                raise StoreError(f"SweepResult.open: {str(p)!r} is not a store written by "
                                 f"paxgame (no {storage.MARKER} marker)")
            if not state.get("complete") and not partial:
                raise StoreError(f"SweepResult.open: {str(p)!r} is incomplete: its sweep "
                                 f"stopped before the last chunk; resume the sweep from its "
                                 f"checkpoint, or pass partial=True to read the computed "
                                 f"points only")
            try:
                with storage.zarr_access(), xr.open_zarr(p, consolidated=False) as ds:
                    ds = ds.load()
            except (OSError, ValueError, KeyError, TypeError) as err:
                state_word = "complete" if state.get("complete") else "incomplete"
                raise StoreError(f"SweepResult.open: {str(p)!r} is an {state_word} store "
                                 f"whose Zarr data cannot be read ({type(err).__name__}: "
                                 f"{err}); run its sweep again") from err
            expected = state.get("quantities")
            if not isinstance(expected, list):
                expected = str(ds.attrs.get("quantities", "")).split()
            missing = [q for q in expected if q not in ds.data_vars]
            if not state.get("complete") and (missing or "computed" not in ds):
                raise StoreError(f"SweepResult.open: {str(p)!r} is incomplete and holds no "
                                 f"computed point yet (its writer stopped while creating it)")
            if missing:
                raise StoreError(f"SweepResult.open: {str(p)!r} lacks the quantities "
                                 f"{missing} its marker lists; run its sweep again")
            if "computed" in ds:
                done = ds["computed"].astype(bool)
                ds = ds.drop_vars("computed")
                if not state.get("complete"):
                    ds = ds.where(done)
            return ds
        raise ValueError(f"SweepResult.open: unknown file type {suffix or str(p)!r}; use a "
                         f"path ending in .nc (netCDF) or .zarr (Zarr)")

    def __repr__(self) -> str:
        dims = ", ".join(f"{n}: {self.dataset.sizes[n]}" for n in self.names)
        return (f"SweepResult({', '.join(self.dataset.data_vars)} over ({dims}); "
                f"fingerprint {self.fingerprint[:12]})")


# --------------------------------------------------------------------------- validation

def _check_grid(grid) -> tuple[tuple[str, ...], tuple[np.ndarray, ...]]:
    if not isinstance(grid, Mapping):
        raise TypeError(f"sweep: grid must be a mapping of dotted parameter names to 1-D "
                        f"arrays of values, got {type(grid).__name__}")
    if not grid:
        raise ValueError("sweep: grid is empty; give at least one parameter to sweep")
    from ._validation import as_float_array

    names, values = [], []
    for name, vals in grid.items():
        if not isinstance(name, str) or not name.strip():
            raise TypeError(f"sweep: grid keys must be non-empty strings, got {name!r}")
        arr = as_float_array("sweep", f"grid[{name!r}]", vals)
        raw = np.asarray(vals) if not isinstance(vals, np.ndarray) else vals
        if raw.dtype.kind in "iu" and raw.dtype != bool:  # integer parameters stay integers
            arr = raw.astype(np.int64)
        if arr.ndim != 1:
            raise ValueError(f"sweep: grid[{name!r}] must be one-dimensional, got shape "
                             f"{arr.shape}")
        if arr.size == 0:
            raise ValueError(f"sweep: grid[{name!r}] has no values")
        arr.setflags(write=False)
        names.append(name)
        values.append(arr)
    return tuple(names), tuple(values)


def check_grid_size(func: str, shape: Sequence[int], n_quantities: int = 1,
                    streamed: bool = False) -> int:
    """The number of points of a grid of ``shape``, refused before any allocation if too big.

    Parameters
    ----------
    func : str
        The caller's name, leading the message.
    shape : sequence of int
        Values per swept parameter.
    n_quantities : int
        Quantities kept per point.
    streamed : bool
        Whether the results are streamed to a Zarr store (then only :data:`MAX_POINTS`
        applies) or held in memory (then also :data:`MAX_MEMORY_BYTES`, at 8 bytes per
        point and quantity).

    Returns
    -------
    int
        The number of points.

    Raises
    ------
    ValueError
        The grid is larger than the limit (the message gives both numbers).
    """
    size = math.prod(int(n) for n in shape)
    dims = " x ".join(str(int(n)) for n in shape)
    if size > MAX_POINTS:
        raise ValueError(f"{func}: the grid has {dims} = {size:.3g} points, more than the "
                         f"{MAX_POINTS:.0e} a sweep accepts; use fewer values")
    need = 8 * size * max(1, n_quantities)
    if not streamed and need > MAX_MEMORY_BYTES:
        raise ValueError(f"{func}: the grid has {dims} = {size} points, about "
                         f"{need / 2**30:.3g} GiB of results in memory (more than "
                         f"{MAX_MEMORY_BYTES / 2**30:g} GiB): write them to a Zarr store "
                         f"chunk by chunk (out='results.zarr', --out results.zarr on the "
                         f"command line) or use fewer values")
    return size


def _check_quantity(quantity) -> tuple[str, ...]:
    if isinstance(quantity, str):
        quantities = (quantity,)
    elif isinstance(quantity, Sequence) and quantity:
        quantities = tuple(quantity)
    else:
        raise TypeError(f"sweep: quantity must be a name or a non-empty list of names, got "
                        f"{quantity!r}")
    for q in quantities:
        base = q.split(":", 1)[0] if isinstance(q, str) else q
        if not isinstance(q, str) or not base.isidentifier() or (
                ":" in q and not q.split(":", 1)[1].strip()):
            raise ValueError(f"sweep: quantity {q!r} is not a valid name (a name, or "
                             f"amount:<instrument name>)")
    if len(set(quantities)) != len(quantities):
        raise ValueError(f"sweep: quantity lists a name twice: {list(quantities)}")
    return quantities


def _check_chunk(chunk) -> int:
    if chunk is None:
        return DEFAULT_CHUNK
    if isinstance(chunk, bool) or not isinstance(chunk, (int, np.integer)):
        raise TypeError(f"sweep: chunk must be a positive integer, got {type(chunk).__name__}")
    if chunk < 1:
        raise ValueError(f"sweep: chunk must be a positive integer, got {chunk}")
    return int(chunk)


def _missing(size: int, done: list[tuple[int, int]], chunk: int) -> list[tuple[int, int]]:
    """The ranges of points still to compute, cut at ``chunk`` boundaries of the grid."""
    todo, pos = [], 0
    for a, b in sorted(done) + [(size, size)]:
        s = pos
        while s < a:
            e = min(a, (s // chunk + 1) * chunk)
            todo.append((s, e))
            s = e
        pos = max(pos, b)
    return todo


# --------------------------------------------------------------------------- schedulers

def _run_serial(task, ranges, on_done):
    for start, stop in ranges:
        on_done(*task(start, stop))


def _run_processes(task_args, ranges, on_done, workers):
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing as mp

    workers = workers or os.cpu_count() or 1
    # forkserver: workers do not inherit this process's threads (Dask, BLAS) or its memory.
    ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods()
                         else "spawn")
    pending = iter(ranges)
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        running = set()
        for _ in range(2 * workers):
            nxt = next(pending, None)
            if nxt is None:
                break
            running.add(pool.submit(_evaluate_chunk, *task_args, *nxt))
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                on_done(*fut.result())
                nxt = next(pending, None)
                if nxt is not None:
                    running.add(pool.submit(_evaluate_chunk, *task_args, *nxt))


def _run_dask(task_args, ranges, on_done, workers):
    from distributed import Client, as_completed, get_client

    try:
        client, own = get_client(), False
    except ValueError:
        client = Client(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                        processes=True, dashboard_address=None)
        own = True
    try:
        evaluator, scenario, *rest = task_args
        [scenario_future] = client.scatter([scenario], broadcast=True)
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        pending = iter(ranges)
        seq = as_completed()
        for _ in range(2 * n_workers):
            nxt = next(pending, None)
            if nxt is None:
                break
            seq.add(client.submit(_evaluate_chunk, evaluator, scenario_future, *rest, *nxt,
                                  pure=False))
        for fut in seq:
            on_done(*fut.result())
            fut.release()
            nxt = next(pending, None)
            if nxt is not None:
                seq.add(client.submit(_evaluate_chunk, evaluator, scenario_future, *rest,
                                      *nxt, pure=False))
    finally:
        if own:
            client.close()
            if client.cluster is not None:
                client.cluster.close()


# --------------------------------------------------------------------------- sweep

def sweep(sc, grid: Mapping[str, Sequence[float]], quantity: str | Sequence[str] = "amount",
          *, target: str = "participation", chunk: int | None = None, checkpoint=None,
          scheduler: str | None = None, workers: int | None = None, progress: bool | None = None,
          evaluator: Callable | None = None, out=None, overwrite: bool = False
          ) -> SweepResult:
    """Evaluate the minimum credible assurance over a grid of scenario parameters.

    Parameters
    ----------
    sc : Scenario
        The base scenario; every point replaces the swept parameters in it (as
        ``sc.replace(**point)`` would).
    grid : mapping of str to 1-D array_like
        Dotted parameter names (those :meth:`~paxgame.games.Scenario.replace` accepts) and
        their values.
        The sweep covers the Cartesian product, in the mapping's order.
    quantity : str or sequence of str, default "amount"
        Which arrays of :func:`paxgame.batch.minimum_assurance` to keep (e.g. ``"amount"``,
        ``"constructible"``, ``"total_cost"``).
    target : {"participation", "continuity"}
        The assurance target.
    chunk : int, optional
        Points per chunk (default 65,536). Memory use grows with the chunk, not the grid.
    checkpoint : str or os.PathLike, optional
        A directory for finished chunks: a killed run called again with the same arguments
        resumes from it. A directory from another sweep raises
        :class:`~paxgame.errors.CheckpointError`.
    scheduler : {None, "processes", "dask"}
        ``None`` evaluates in this process, ``"processes"`` in a pool of local processes,
        ``"dask"`` on the active :class:`distributed.Client` (a local one is started and
        closed when none is active).
    workers : int, optional
        Worker processes for a pool or a locally started Dask cluster (default: the number
        of cores).
    progress : bool, optional
        Show a tqdm progress bar; by default grids of 100,000 points or more show one (when
        writing to a terminal).
    evaluator : callable, optional
        ``evaluator(sc, params, quantities, target) -> {quantity: array}`` for one chunk
        (default ``paxgame.sweep.evaluate_assurance``, the batch kernel). It must be importable by
        worker processes and depend on each point only through its parameters.
    out : str or os.PathLike, optional
        A ``.zarr`` path: every finished chunk is written straight into this Zarr store
        instead of being held in memory, so memory stays flat for any grid size; the
        result's dataset is then read lazily from the store. The path must be new or an
        empty directory; an existing paxgame store is replaced only with ``overwrite=True``,
        and nothing else is ever replaced (:mod:`paxgame.storage`).
    overwrite : bool
        Allow ``out`` to replace a Zarr store that paxgame wrote earlier.

    Returns
    -------
    SweepResult

    Notes
    -----
    Chunks are consecutive runs of points of the flattened grid. Every point is evaluated
    by the vectorised batch kernel and depends only on its own parameters, so chunk size,
    scheduler and interruptions do not change the result.

    Examples
    --------
    >>> import numpy as np
    >>> import paxgame as pg
    >>> sc = pg.load("games/scenarios/plural_dependencies.toml")
    >>> res = pg.sweep(sc, {"discount": [0.8, 0.9, 0.95],
    ...                     "partners.0.revocation_gain.hawkish": [6.0, 9.0, 12.0]},
    ...                quantity=["amount", "constructible"], target="continuity")
    >>> res["amount"].dims
    ('discount', 'partners.0.revocation_gain.hawkish')
    >>> res["amount"].sel(discount=0.9).values.round(3).tolist()
    [0.0, 0.28, 3.28]
    """
    if evaluator is None:
        evaluator = evaluate_assurance
    if not callable(evaluator):
        raise TypeError(f"sweep: evaluator must be callable, got {type(evaluator).__name__}")
    if target not in TARGETS:
        raise ValueError(f"sweep: target must be one of {', '.join(TARGETS)}, got {target!r}")
    if scheduler is not None and scheduler not in SCHEDULERS:
        from ._validation import check_method

        check_method("sweep", scheduler, [s for s in SCHEDULERS if s])
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or workers < 1):
        raise ValueError(f"sweep: workers must be a positive integer, got {workers!r}")
    most = 4 * (os.cpu_count() or 1)
    if workers is not None and workers > most:
        raise ValueError(f"sweep: workers must be at most {most} (four per core: each is a "
                         f"process of its own), got {workers}")
    if out is not None and Path(out).suffix.lower() != ".zarr":
        raise ValueError(f"sweep: out must be a path ending in .zarr (a Zarr store written "
                         f"chunk by chunk), got {str(out)!r}")
    names, values = _check_grid(grid)
    quantities = _check_quantity(quantity)
    size = check_grid_size("sweep", [v.size for v in values], len(quantities),
                           streamed=out is not None)
    if evaluator is evaluate_assurance:
        from .revocation.batch import QUANTITIES  # local: sweep is imported by paxgame

        known = list(QUANTITIES) + [f"amount:{name}" for name in
                                    getattr(sc, "instrument_names", ())]
        if len(getattr(sc, "instrument_names", ())) > 1:
            known.remove("amount")  # several instruments: one variable per instrument
        for q in quantities:
            if q not in known:
                from ._validation import nearest

                hint = nearest(q, known)
                extra = f" (did you mean '{hint}'?)" if hint else ""
                raise ValueError(f"sweep: unknown quantity {q!r}{extra}; choose from: "
                                 f"{', '.join(known)}")
    chunk = _check_chunk(chunk)
    if min(chunk, size) > MAX_CHUNK:
        raise ValueError(f"sweep: chunk must be at most {MAX_CHUNK} points (the batch kernel "
                         f"holds a chunk's work arrays in memory), got {chunk}")
    if not hasattr(sc, "replace"):
        raise TypeError(f"sweep: sc must be a Scenario, got {type(sc).__name__}")
    for name, vals in zip(names, values):  # bad names and values fail here, before any work
        # every value of a short axis; of a long one (scalar parameters are checked against
        # intervals) its extremes and its first values, so validation stays fast
        if vals.dtype.kind == "f" and not np.isfinite(vals).all():
            k = int(np.flatnonzero(~np.isfinite(vals))[0])
            raise ValueError(f"sweep: grid[{name!r}][{k}] is {vals[k]}, not a finite number")
        if vals.size <= 4096:
            picks = range(vals.size)
        else:
            picks = sorted({*range(64), int(np.argmin(vals)), int(np.argmax(vals))})
        for k in picks:
            v = vals[k]
            try:
                sc.replace(**{name: v.item()})
            except (ValueError, TypeError) as err:
                where = f"grid[{name!r}]" + (f"[{k}]" if vals.size > 1 else "")
                raise type(err)(f"sweep: {where}: {err}") from err

    try:
        import xarray  # noqa: F401 - fail before any work when the extra is missing
    except ModuleNotFoundError as err:
        raise ModuleNotFoundError("sweep: needs xarray (pip install 'paxgame[dask]')",
                                  name="xarray") from err

    shape = tuple(v.size for v in values)
    fp = fingerprint(sc, names, values, quantities, target, evaluator)
    scenario_name = str(getattr(sc, "name", "") or "")
    manifest = {"fingerprint": fp, "scenario": scenario_name, "names": list(names),
                "shape": list(shape), "quantities": list(quantities), "target": target}
    with contextlib.ExitStack() as held:  # the locks of the checkpoint and the output
        store = None
        if checkpoint is not None:
            store = held.enter_context(storage.Checkpoint("sweep", checkpoint, manifest))
            store.check(size, quantities)  # a damaged chunk is moved aside and reported
        if out is not None:  # refused before any work: a user's directory is never touched
            held.enter_context(storage.output_lock("sweep", out))
            storage.prepare_store("sweep", out, overwrite=overwrite, fingerprint=fp)
        return _run(sc, names, values, shape, size, quantities, target, chunk, store, out,
                    scheduler, workers, progress, evaluator, fp, scenario_name)


def _run(sc, names, values, shape, size, quantities, target, chunk, store, out, scheduler,
         workers, progress, evaluator, fp, scenario_name):
    """Evaluate the points not in the checkpoint, writing chunks and the output as they come
    (the caller holds the locks)."""
    coords = {name: (name, vals) for name, vals in zip(names, values)}
    attrs = {"scenario": scenario_name, "target": target, "quantities": " ".join(quantities),
             "fingerprint": fp, "source": "paxgame.sweep"}
    sink_args = (size, shape, names, coords, quantities, attrs)
    sink = _ZarrSink(out, *sink_args) if out is not None else _MemorySink(*sink_args)

    done = []
    if store is not None:
        for start, stop, path in store.finished(size):  # one chunk in memory at a time
            sink.put(start, stop, store.read(start, stop, path, quantities))
            done.append((start, stop))
    resumed = sum(b - a for a, b in done)
    ranges = _missing(size, done, chunk)

    show = progress if progress is not None else size >= PROGRESS_THRESHOLD
    bar = None
    if show and ranges:
        from tqdm.auto import tqdm

        bar = tqdm(total=size, initial=resumed, unit="pt", desc="sweep",
                   disable=None if progress is None else False, smoothing=0.1)

    def on_done(start, stop, vals):
        if store is not None:
            store.write(start, stop, vals)
        sink.put(start, stop, vals)
        if bar is not None:
            bar.update(stop - start)

    task_args = (evaluator, sc, names, values, shape, quantities, target)
    try:
        if scheduler is None:
            _run_serial(lambda a, b: _evaluate_chunk(*task_args, a, b), ranges, on_done)
        elif scheduler == "processes":
            _run_processes(task_args, ranges, on_done, workers)
        else:
            _run_dask(task_args, ranges, on_done, workers)
    finally:
        if bar is not None:
            bar.close()
    if out is not None:
        sink.close()  # every point was put (a grid has at least one): mark it complete

    return SweepResult(dataset=sink.dataset(), fingerprint=fp, computed_points=size - resumed,
                       resumed_points=resumed, names=names)

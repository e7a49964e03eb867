"""The sweep machinery (chunks, checkpoints, resume, storage) on a toy evaluator.

The toy evaluator is a closed form, so these tests check the bookkeeping, not the model:
every chunk layout and every interruption must give the same dataset, byte for byte.
"""

from dataclasses import dataclass, replace as dc_replace

import numpy as np
import pytest

from paxgame import CheckpointError
from paxgame.sweep import SweepResult, _missing, sweep

xr = pytest.importorskip("xarray")


@dataclass(frozen=True)
class Toy:
    name: str = "toy"
    discount: float = 0.9
    gain: float = 12.0

    def replace(self, **changes):
        for key in changes:
            if key not in ("discount", "gain"):
                raise ValueError(f"replace: unknown parameter {key!r}")
        if not 0 < changes.get("discount", 0.5) < 1:
            raise ValueError("bad discount")
        return dc_replace(self, **changes)


CALLS = []


def toy(sc, params, quantities, target):
    n = len(next(iter(params.values())))
    CALLS.append(n)
    d = params.get("discount", np.full(n, sc.discount))
    g = params.get("gain", np.full(n, sc.gain))
    amount = np.maximum(0.0, g - 1.0 / (1.0 - d)) * (2.0 if target == "continuity" else 1.0)
    return {"amount": amount, "constructible": amount < 5.0}


class Boom(RuntimeError):
    pass


def failing_after(k):
    count = {"n": 0}

    def evaluator(sc, params, quantities, target):
        count["n"] += 1
        if count["n"] > k:
            raise Boom("killed")
        return toy(sc, params, quantities, target)

    evaluator.__qualname__ = "toy"  # the same fingerprint as the toy evaluator
    evaluator.__module__ = toy.__module__
    return evaluator


GRID = {"discount": np.linspace(0.5, 0.95, 37), "gain": np.linspace(0.0, 20.0, 23)}
Q = ["amount", "constructible"]


def run(**kw):
    kw.setdefault("evaluator", toy)
    return sweep(Toy(), kw.pop("grid", GRID), kw.pop("quantity", Q), **kw)


def same(a, b):
    assert a.dataset.identical(b.dataset)
    for q in a.dataset.data_vars:
        assert a.dataset[q].values.tobytes() == b.dataset[q].values.tobytes()


def test_labelled_dataset_matches_the_closed_form():
    res = run(chunk=100)
    ds = res.dataset
    assert ds["amount"].dims == ("discount", "gain")
    assert ds["constructible"].dtype == bool
    np.testing.assert_array_equal(ds["discount"].values, GRID["discount"])
    d, g = np.meshgrid(GRID["discount"], GRID["gain"], indexing="ij")
    np.testing.assert_array_equal(ds["amount"].values, np.maximum(0, g - 1 / (1 - d)))
    assert ds.attrs["scenario"] == "toy" and ds.attrs["target"] == "participation"
    assert res.shape == (37, 23) and res.computed_points == 37 * 23
    assert "fingerprint" in repr(res)


@pytest.mark.parametrize("chunk", [1, 7, 23, 500, 10_000])
def test_identical_for_any_chunk_size(chunk):
    same(run(chunk=chunk), run(chunk=851))


def test_chunks_bound_the_work_per_call():
    CALLS.clear()
    run(chunk=64)
    assert max(CALLS) == 64 and sum(CALLS) == 37 * 23 and len(CALLS) == -(-851 // 64)


def test_missing_ranges_align_to_chunk_boundaries():
    assert _missing(10, [], 4) == [(0, 4), (4, 8), (8, 10)]
    assert _missing(10, [(0, 4)], 4) == [(4, 8), (8, 10)]
    assert _missing(10, [(0, 3), (6, 9)], 4) == [(3, 4), (4, 6), (9, 10)]
    assert _missing(10, [(0, 10)], 3) == []


def test_interrupted_run_resumes_to_the_identical_result(tmp_path):
    full = run(chunk=50)
    ck = tmp_path / "ck"
    with pytest.raises(Boom):
        run(chunk=50, checkpoint=ck, evaluator=failing_after(6))
    assert len(list(ck.glob("chunk-*.npz"))) == 6
    resumed = run(chunk=50, checkpoint=ck)
    assert resumed.resumed_points == 300 and resumed.computed_points == 851 - 300
    same(resumed, full)
    again = run(chunk=50, checkpoint=ck)  # a finished checkpoint computes nothing
    assert again.computed_points == 0
    same(again, full)


def test_resume_with_another_chunk_size(tmp_path):
    full = run(chunk=851)
    with pytest.raises(Boom):
        run(chunk=40, checkpoint=tmp_path, evaluator=failing_after(3))
    same(run(chunk=97, checkpoint=tmp_path), full)


def test_leftover_temporary_files_are_removed(tmp_path):
    run(chunk=400, checkpoint=tmp_path)
    (tmp_path / ".tmp-abc.npz").write_bytes(b"partial")
    run(chunk=400, checkpoint=tmp_path)
    assert not list(tmp_path.glob(".tmp-*"))


@pytest.mark.parametrize("change", [
    dict(grid={"discount": GRID["discount"][:-1], "gain": GRID["gain"]}),
    dict(grid={"gain": GRID["gain"], "discount": GRID["discount"]}),
    dict(quantity=["amount"]),
    dict(target="continuity"),
])
def test_checkpoint_of_another_sweep_is_refused(tmp_path, change):
    run(chunk=300, checkpoint=tmp_path)
    with pytest.raises(CheckpointError, match="belongs to another sweep"):
        run(chunk=300, checkpoint=tmp_path, **change)


def test_checkpoint_of_another_scenario_is_refused(tmp_path):
    sweep(Toy(), GRID, Q, evaluator=toy, checkpoint=tmp_path)
    with pytest.raises(CheckpointError, match="scenario 'toy'"):
        sweep(Toy(name="toy", gain=11.0), GRID, Q, evaluator=toy, checkpoint=tmp_path)


def test_foreign_directories_are_refused(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "notes.txt").write_text("mine")
    with pytest.raises(CheckpointError, match="not empty and has no manifest"):
        run(checkpoint=tmp_path / "a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "manifest.json").write_text("{not json")
    with pytest.raises(CheckpointError, match="unreadable manifest"):
        run(checkpoint=tmp_path / "b")
    (tmp_path / "c").write_text("a file")
    with pytest.raises(CheckpointError, match="is a file"):
        run(checkpoint=tmp_path / "c")


def test_corrupt_chunk_file_is_reported(tmp_path):
    run(chunk=400, checkpoint=tmp_path)
    victim = sorted(tmp_path.glob("chunk-*.npz"))[0]
    victim.write_bytes(b"garbage")
    with pytest.raises(CheckpointError, match="unreadable"):
        run(chunk=400, checkpoint=tmp_path)


@pytest.mark.parametrize("suffix", [".nc", ".zarr"])
def test_save_and_open_round_trip(tmp_path, suffix):
    res = run(chunk=200)
    path = res.save(tmp_path / f"sweep{suffix}")
    back = SweepResult.open(path)
    assert back["amount"].dims == ("discount", "gain")
    np.testing.assert_array_equal(back["amount"].values, res["amount"].values)
    np.testing.assert_array_equal(back["constructible"].values, res["constructible"].values)
    assert back.attrs["fingerprint"] == res.fingerprint


def test_netcdf_files_are_byte_identical_across_chunkings(tmp_path):
    run(chunk=13).save(tmp_path / "a.nc")
    run(chunk=851).save(tmp_path / "b.nc")
    assert (tmp_path / "a.nc").read_bytes() == (tmp_path / "b.nc").read_bytes()


def test_save_rejects_unknown_suffix(tmp_path):
    with pytest.raises(ValueError, match=r"SweepResult.save: unknown file type '.csv'"):
        run().save(tmp_path / "x.csv")


def test_progress_bar_is_shown_on_request(capsys):
    run(chunk=100, progress=True)
    assert "sweep" in capsys.readouterr().err
    run(chunk=100, progress=False)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(grid={}), ValueError, "grid is empty"),
    (dict(grid=[1, 2]), TypeError, "grid must be a mapping"),
    (dict(grid={"discount": [0.5, np.nan]}), ValueError, "must be finite"),
    (dict(grid={"discount": [[0.5]]}), ValueError, "one-dimensional"),
    (dict(grid={"discount": []}), ValueError, "has no values"),
    (dict(grid={"delta": [0.5]}), ValueError, "sweep: grid\\['delta'\\]: replace: unknown"),
    (dict(grid={"discount": [0.5, 1.5]}), ValueError, "sweep: grid\\['discount'\\]\\[1\\]: bad"),
    (dict(chunk=0), ValueError, "chunk must be a positive integer"),
    (dict(chunk=2.5), TypeError, "chunk must be a positive integer"),
    (dict(scheduler="threads"), ValueError, "Unknown method 'threads' for sweep"),
    (dict(target="always"), ValueError, "target must be one of"),
    (dict(quantity=["amount", "amount"]), ValueError, "lists a name twice"),
    (dict(quantity=[]), TypeError, "quantity must be a name"),
    (dict(workers=0), ValueError, "workers must be a positive integer"),
    (dict(quantity="cost"), ValueError, "evaluator returned no quantity 'cost'"),
])
def test_invalid_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        run(**kwargs)


from hypothesis import given, strategies as st  # noqa: E402


@given(n1=st.integers(1, 9), n2=st.integers(1, 9), chunk=st.integers(1, 100),
       done=st.lists(st.integers(0, 80), max_size=6))
def test_any_chunking_and_any_finished_chunks_give_the_same_grid(n1, n2, chunk, done):
    """Property: whatever the chunk size and whichever chunks a previous run finished, the
    ranges still to compute tile the rest of the grid exactly once."""
    size = n1 * n2
    cuts = sorted({min(c, size) for c in done})
    finished = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
    todo = _missing(size, finished, chunk)
    covered = np.zeros(size, dtype=int)
    for a, b in finished + todo:
        covered[a:b] += 1
        assert 0 <= a < b <= size
    assert np.all(covered == 1)
    assert all(b - a <= chunk for a, b in todo)
    grid = {"discount": np.linspace(0.5, 0.9, n1), "gain": np.linspace(0.0, 20.0, n2)}
    same(run(grid=grid, chunk=chunk), run(grid=grid, chunk=size))


@given(shape=st.lists(st.integers(1, 5), min_size=1, max_size=4), data=st.data())
def test_blocks_tile_a_flat_range_in_order(shape, data):
    from paxgame.sweep import _blocks

    shape = tuple(shape)
    size = int(np.prod(shape))
    a = data.draw(st.integers(0, size))
    b = data.draw(st.integers(a, size))
    flat = np.arange(size).reshape(shape)
    pieces = [flat[block].ravel() for block in _blocks(a, b, shape)]
    got = np.concatenate(pieces) if pieces else np.array([], dtype=int)
    np.testing.assert_array_equal(got, np.arange(a, b))
    assert len(pieces) <= 2 * len(shape) + 1


@pytest.mark.parametrize("chunk", [17, 400, 10_000])
def test_streaming_to_zarr_gives_the_same_dataset(tmp_path, chunk):
    streamed = run(chunk=chunk, out=tmp_path / "s.zarr")
    memory = run(chunk=chunk)
    same(streamed, memory)
    assert streamed.dataset["amount"].chunks is not None  # read lazily from the store
    with pytest.raises(ValueError, match="out must be a path ending in .zarr"):
        run(out=tmp_path / "s.nc")


def test_streaming_resumes_from_the_checkpoint(tmp_path):
    full = run(chunk=50)
    with pytest.raises(Boom):
        run(chunk=50, checkpoint=tmp_path / "ck", evaluator=failing_after(4),
            out=tmp_path / "s.zarr")
    res = run(chunk=50, checkpoint=tmp_path / "ck", out=tmp_path / "s.zarr")
    assert res.resumed_points == 200
    same(res, full)

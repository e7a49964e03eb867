"""Nothing lost: a sweep killed with SIGKILL at random points resumes to the identical dataset.

The sweep runs in a subprocess with a checkpoint directory; the test kills it (SIGKILL, no
chance to clean up) once a randomly chosen number of chunks is on disk, three times, then lets
it finish and compares the dataset and the netCDF file byte for byte with an uninterrupted
run.
"""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

import paxgame as pg
from paxgame.sweep import SweepResult

pytest.importorskip("xarray")
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

ROOT = Path(__file__).resolve().parents[2]
GAIN = "partners.0.revocation_gain.hawkish"
SCRIPT = textwrap.dedent(f"""
    import sys
    import numpy as np
    import paxgame as pg

    sc = pg.load({str(ROOT / "games/scenarios/plural_dependencies.toml")!r})
    grid = {{"discount": np.linspace(0.5, 0.99, 12), {GAIN!r}: np.linspace(0.0, 40.0, 10)}}
    res = pg.sweep(sc, grid, ["amount", "constructible"], target="participation",
                   chunk=1, checkpoint=sys.argv[1], progress=False)
    res.save(sys.argv[2])
""")
N_CHUNKS = 120


def _chunks(directory: Path) -> int:
    return len(list(directory.glob("chunk-*.npz"))) if directory.exists() else 0


def test_killed_sweep_resumes_to_the_identical_result(tmp_path):
    script = tmp_path / "run_sweep.py"
    script.write_text(SCRIPT)
    ck, out = tmp_path / "checkpoint", tmp_path / "resumed.nc"
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    rng = np.random.default_rng(2024)
    kills = []
    for target in sorted(rng.integers(3, N_CHUNKS - 5, size=3)):
        proc = subprocess.Popen([sys.executable, str(script), str(ck), str(out)], cwd=ROOT,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while proc.poll() is None and _chunks(ck) < target and time.monotonic() < deadline:
            time.sleep(0.002)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        err = proc.stderr.read().decode()
        proc.stderr.close()
        assert proc.returncode in (-signal.SIGKILL, 0), err
        kills.append((_chunks(ck), proc.returncode))
    assert any(code == -signal.SIGKILL and 0 < n < N_CHUNKS for n, code in kills), kills
    out.unlink(missing_ok=True)  # a run the machine let finish before its kill is fine too
    done = subprocess.run([sys.executable, str(script), str(ck), str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr

    sc = pg.load("games/scenarios/plural_dependencies.toml")
    grid = {"discount": np.linspace(0.5, 0.99, 12), GAIN: np.linspace(0.0, 40.0, 10)}
    reference = pg.sweep(sc, grid, ["amount", "constructible"], target="participation",
                         chunk=70, progress=False)
    resumed = SweepResult.open(out)
    for q in ("amount", "constructible"):
        assert resumed[q].values.tobytes() == reference[q].values.tobytes()
    reference.save(tmp_path / "reference.nc")
    assert out.read_bytes() == (tmp_path / "reference.nc").read_bytes()

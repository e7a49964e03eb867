"""The planar convex-set kernel: hulls of degenerate clouds, distances, the APS step."""

import numpy as np
import pytest
from scipy.spatial import ConvexHull

from paxgame.kernels import repeated_polygon as rp


@pytest.mark.parametrize("kind", ["normal", "grid", "near_collinear"])
def test_hull_matches_qhull(kind):
    rng = np.random.default_rng({"normal": 0, "grid": 1, "near_collinear": 2}[kind])
    for _ in range(150):
        n = int(rng.integers(3, 300))
        if kind == "normal":
            pts = rng.normal(size=(n, 2))
        elif kind == "grid":
            pts = rng.integers(0, 5, size=(n, 2)).astype(float)   # duplicates, collinear runs
        else:
            pts = rng.normal(size=(n, 2))
            pts[: n // 2, 0] = 1.0 + rng.normal(size=n // 2) * 1e-15
        ref = pts[ConvexHull(pts).vertices]
        assert rp.hausdorff2d(rp.hull2d(pts, 1e-12), ref) <= 1e-9


def test_degenerate_hulls():
    assert rp.hull2d(np.array([[1.0, 2.0]] * 5)).shape == (1, 2)
    seg = rp.hull2d(np.array([[0, 0], [1, 1], [3, 3], [2, 2 + 1e-16]], float))
    np.testing.assert_allclose(seg, [[0, 0], [3, 3]])
    assert rp.dimension2d(seg) == 1 and rp.area2d(seg) == 0.0
    # a sliver whose extreme vertex lies beyond its neighbours on their line is kept
    sliver = np.array([[0, 0], [10, 10], [5, 5 + 1e-14], [2, 2]], float)
    np.testing.assert_allclose(rp.hull2d(sliver, 1e-12), [[0, 0], [10, 10]])


def test_distance_and_hausdorff():
    square = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], float)
    np.testing.assert_allclose(rp.distance2d([[0.5, 0.5], [2, 0.5], [2, 2]], square),
                               [0, 1, np.sqrt(2)])
    assert rp.hausdorff2d(square, square * 2) == pytest.approx(np.sqrt(2))
    assert rp.contains2d([[1 + 1e-12, 0.5]], square, 1e-9)[0]


def test_clip_halfplane():
    square = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], float)
    half = rp.clip_halfplane(square, np.array([1.0, 0.0]), 0.5)
    assert rp.area2d(half) == pytest.approx(0.5)
    assert len(rp.clip_halfplane(square, np.array([1.0, 0.0]), -1.0)) == 0

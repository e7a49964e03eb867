"""The TU batch kernels against direct formulas (permutations, marginal sums)."""

import itertools
import math

import numpy as np
import pytest

import paxgame as pg
from paxgame.kernels import tu as ktu


def _shapley_by_orders(v, n):
    phi = np.zeros(n)
    for order in itertools.permutations(range(n)):
        S = 0
        for i in order:
            phi[i] += v[S | 1 << i] - v[S]
            S |= 1 << i
    return phi / math.factorial(n)


def _banzhaf_direct(v, n):
    return np.array([sum(v[S | 1 << i] - v[S] for S in range(1 << n) if not (S >> i) & 1)
                     for i in range(n)]) / 2 ** (n - 1)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 6])
@pytest.mark.parametrize("block_bits", [1, 2, 18])
def test_shapley_and_banzhaf_match_direct(n, block_bits):
    rng = np.random.default_rng(n)
    v = rng.normal(size=(3, 1 << n))
    v[:, 0] = 0
    got = ktu.shapley(v, block_bits=block_bits)
    gotb = ktu.banzhaf(v, block_bits=block_bits)
    for k in range(3):
        np.testing.assert_allclose(got[k], _shapley_by_orders(v[k], n), atol=1e-12)
        np.testing.assert_allclose(gotb[k], _banzhaf_direct(v[k], n), atol=1e-12)


def test_coalition_sums_and_shapes():
    x = np.array([[1.0, 2.0, 4.0], [0.5, -1.0, 3.0]])
    cs = pg.batch.coalition_sums(x)
    assert cs.shape == (2, 8)
    for S in range(8):
        assert cs[0, S] == sum(x[0, i] for i in range(3) if (S >> i) & 1)
    assert pg.batch.coalition_sums(x[0]).shape == (8,)
    # leading batch dimensions are kept
    assert pg.batch.shapley(np.zeros((2, 3, 8))).shape == (2, 3, 3)


def test_kernel_rejects_bad_length():
    with pytest.raises(ValueError, match="2\\*\\*n"):
        ktu.shapley(np.zeros((2, 6)))


def test_large_game_blocks_agree():
    # n = 12 with tiny blocks exercises the high-bit bookkeeping
    rng = np.random.default_rng(0)
    v = rng.random(1 << 12)
    v[0] = 0
    np.testing.assert_allclose(ktu.shapley(v, block_bits=4), ktu.shapley(v), atol=1e-12)
    np.testing.assert_allclose(ktu.banzhaf(v, block_bits=5), ktu.banzhaf(v), atol=1e-12)
    assert ktu.shapley(v).sum() == pytest.approx(v[-1])

"""Regression: the payoff-set figure's legend sits beside the axes, not over the sets."""

import pytest

import paxgame as pg

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
from paxgame import plot  # noqa: E402  (after the backend is chosen)


def test_the_payoff_set_legend_does_not_cover_the_sets():
    import matplotlib.pyplot as plt

    rg = pg.examples.load("prisoners_dilemma_high_stakes_d02")
    g = rg.stage_game
    fig = plot.payoff_sets([rg.payoff_set(method=m) for m in ("outer", "abreu_sannikov", "inner")],
                           game=rg, minmax=[pg.minmax(g, i) for i in range(2)],
                           nash=pg.pure_nash(g))
    try:
        fig.canvas.draw()
        ax = fig.axes[0]
        legend = ax.get_legend().get_window_extent()
        axes = ax.get_window_extent()
        assert legend.x0 >= axes.x1  # wholly to the right of the plotting area
        assert legend.x1 <= fig.bbox.x1 + 1  # and inside the figure
    finally:
        plt.close(fig)

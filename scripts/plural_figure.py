"""The figure of the plural dependencies page: plural dependence against assurance.

Run by the documentation build (``.. plot::`` on docs/scenarios/plural_dependencies.rst).
It draws the plane that ``scripts/scenario_answers.py`` computed with ``pg.sweep`` and
``paxgame.revocation.hedging.evaluate_policies`` and pinned in
``tests/regression/revocation_answers.json`` (the regression test recomputes it and fails
when a number moves): the partner's value of hedging alone minus that of the minimum
continuity assurance alone, over the rival stack's maturity hazard and the partner's risk
aversion. Positive (blue): plural dependence is the better hedge; hatched: no credible
assurance exists there (the bond's cap is too small).
"""

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

# the documentation build runs this from the repository root (plot_working_directory)
plane = json.loads(Path("tests/regression/revocation_answers.json").read_text())[
    "plural_dependencies"]["plane"]
hz = np.array(plane["hazard"])
lam = np.array(plane["risk_aversion"])
adv = np.array(plane["plural_advantage"], dtype=float)
ok = np.array(plane["assurance_constructible"], dtype=float) > 0.5

fig, ax = plt.subplots(figsize=(6.4, 4.2))
top = float(np.nanmax(np.abs(adv))) or 1.0
im = ax.pcolormesh(np.arange(len(lam) + 1), np.arange(len(hz) + 1), adv, cmap="RdBu",
                   vmin=-top, vmax=top, shading="flat")
for i in range(len(hz)):
    for j in range(len(lam)):
        ax.text(j + 0.5, i + 0.5, f"{adv[i, j]:.1f}", ha="center", va="center", fontsize=8)
        if not ok[i, j]:
            ax.add_patch(plt.Rectangle((j, i), 1, 1, fill=False, hatch="//", lw=0))
ax.set_xticks(np.arange(len(lam)) + 0.5, [f"{x:g}" for x in lam])
ax.set_yticks(np.arange(len(hz)) + 0.5, [f"{x:g}" for x in hz])
ax.set_xlabel("partner's risk aversion (weight on CVaR)")
ax.set_ylabel("rival stack's maturity hazard per period")
ax.set_title("Hedge only minus minimum assurance only (partner's value)\n"
             "hatched: no credible assurance within the bond's cap", fontsize=9)
fig.colorbar(im, ax=ax, label="value over the horizon")
fig.tight_layout()

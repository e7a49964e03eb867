"""Compare the package's answers (read into plain dicts by ``adapter``) with the oracle's.

Each function returns a list of human-readable disagreements (empty when they agree).
"""

import numpy as np

from .assurance import target_met

VALUE_RTOL = 1e-7
#: Prefix of a note where the package did better than the oracle's grid and the oracle's
#: model confirms the package's levels: a miss of the oracle's search, not of the package.
ORACLE_MISS = "oracle-miss:"


def _close(a, b, scale):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=VALUE_RTOL,
                                                   atol=VALUE_RTOL * scale))


def equilibrium(orc, pkg):
    """Oracle ``solve`` result against the package's equilibrium fields."""
    out = []
    if pkg["status"] != orc["status"]:
        return [f"status: oracle {orc['status']}, package {pkg['status']}"]
    if not _close(pkg["exit_value"], orc["X"], 1.0 + np.max(np.abs(orc["X"]))):
        out.append(f"exit_value: oracle {orc['X'].tolist()}, package {pkg['exit_value']}")
    if orc["status"] != "optimal":
        return out
    for k in ("stay", "maintain"):
        if np.asarray(pkg[k]).shape != orc[k].shape or not (np.asarray(pkg[k]) == orc[k]).all():
            out.append(f"{k}: oracle {orc[k].astype(int).tolist()}, "
                       f"package {np.asarray(pkg[k]).astype(int).tolist()}")
    scale = 1.0 + max(float(np.max(np.abs(orc["V"]))), float(np.max(np.abs(orc["U"]))))
    for k, o in (("partner_value", orc["V"]), ("provider_value", orc["U"]),
                 ("revocation_probability", orc["revocation_probability"]),
                 ("exit_probability", orc["exit_probability"])):
        s = 1.0 if k.endswith("probability") else scale
        if not _close(pkg[k], o, s):
            out.append(f"{k}: oracle {np.round(o, 9).tolist()}, "
                       f"package {np.round(np.asarray(pkg[k], float), 9).tolist()}")
    for k in ("ambiguous", "n_equilibria"):
        if pkg.get(k) is not None and pkg[k] != orc[k]:
            out.append(f"{k}: oracle {orc[k]}, package {pkg[k]}")
    return out


def commitment(d, y):
    s = np.where(np.isfinite(d["cap"]), d["cap"], 1.0)
    s = np.where(s > 0, s, np.inf)
    return float(np.sum(np.asarray(y, float) / s[None, :]))


def net_cost(d, y):
    return float(np.sum(np.asarray(y, float) * (d["c"] - d["p"])[None, :]) / (1 - d["delta"]))


def minimum(d, target, orc, pkg, rtol=1e-5):
    """Oracle ``assurance.minimum`` (may be None: more than two cells) against the package's
    AssuranceResult fields."""
    out = []
    st = pkg["status"]
    if st == "uncertified":
        return ["package status uncertified"]
    if st == "optimal" and pkg["constructible"]:
        y = np.asarray(pkg["levels"], float)
        if np.any(y < -1e-12) or np.any(y > d["cap"][None, :] * (1 + 1e-12) + 1e-12):
            out.append(f"levels outside [0, cap]: {y.tolist()}")
        if not target_met(d, y, target):
            out.append(f"package levels {np.round(y, 9).tolist()} do not meet {target} "
                       f"per the oracle")
        c = net_cost(d, y)
        if abs(c - pkg["total_cost"]) > 1e-7 * (1 + abs(c)):
            out.append(f"total_cost {pkg['total_cost']} is not the cost of the levels ({c})")
    if orc is None:
        return out
    o = orc["status"]
    if o == "unbounded" or st == "unbounded":
        if not (o == "unbounded" and st == "unbounded"):
            out.append(f"status: oracle {o}, package {st}")
        return out
    pkg_ok = st == "optimal" and pkg["constructible"] and not any(
        "do not meet" in m for m in out)
    if o == "not_constructible":
        if st == "optimal" and pkg["constructible"]:
            y = np.asarray(pkg["levels"], float)
            if pkg_ok:
                out.append(f"{ORACLE_MISS} not constructible in the oracle's box, but the "
                           f"package's levels {np.round(y, 9).tolist()} meet the target")
            else:
                out.append(f"oracle: not constructible; package optimal with levels "
                           f"{np.round(y, 9).tolist()}")
        return out
    # oracle optimal
    if not (st == "optimal" and pkg["constructible"]):
        out.append(f"oracle optimal at {np.round(orc['y'], 7).tolist()} (cost {orc['cost']:.9g}); "
                   f"package {st}, constructible={pkg['constructible']}")
        return out
    y = np.asarray(pkg["levels"], float)
    c, m = net_cost(d, y), commitment(d, y)
    ctol = rtol * (1 + abs(orc["cost"]))
    mtol = rtol * (1 + abs(orc["commitment"]))
    worse = c > orc["cost"] + ctol or (abs(c - orc["cost"]) <= ctol and m > orc["commitment"] + mtol)
    better = c < orc["cost"] - ctol or (abs(c - orc["cost"]) <= ctol and m < orc["commitment"] - mtol)
    what = (f"oracle (cost {orc['cost']:.9g}, commitment {orc['commitment']:.9g}) at "
            f"{np.round(orc['y'], 7).tolist()}, package (cost {c:.9g}, commitment {m:.9g}) at "
            f"{np.round(y, 9).tolist()}")
    if worse:
        out.append(f"package not minimal (exact={pkg.get('exact')}): {what}")
    elif better:
        # the oracle's model says the package's point meets the target: the grid missed it
        out.append(f"{ORACLE_MISS} " + what if pkg_ok else f"package below the oracle: {what}")
    return out


def real(disagreements):
    """The disagreements that are not the oracle's own resolution misses."""
    return [m for m in disagreements if ORACLE_MISS not in m]

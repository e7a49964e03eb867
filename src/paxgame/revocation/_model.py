"""From a Scenario to the kernel's plain arrays (one row per partner).

Governance and revocation rules of MODEL.md 3.4 enter here:

* self-enforcing instruments: bilaterally their forfeit and compensation count as zero (after
  a revocation the victim leaves anyway, so the provider never pays); under collective
  governance they count, subject to the credibility bound imposed in the assurance LPs;
* adversary carve-out: partner i turns adversarial with hazard q_i per period and is then
  revoked with no forfeit, no compensation and no exit of the others;
* screening: every such revocation also hits each ally with probability 1 - pi (pi = 0 under
  blanket revocation), a one-period outage costing the ally its collateral loss, compensated
  by the instruments that cover collateral. The ally's expected per-period collateral cost is
  ``rho_i (1 - pi) L^c_i`` with ``rho_i = 1 - prod_{k != i} (1 - q_k)`` (the chance that some
  other partner is revoked as an adversary in a period; a stationary approximation).
"""

from __future__ import annotations

import numpy as np

COEFS = ("forfeit", "compensation", "carry", "coproduction", "partner_flow")


def joint(sc) -> bool:
    """True when the provider keeps or revokes the allies as one block (MODEL.md 3.4)."""
    return sc.n_partners > 1 and (sc.governance == "collective" or sc.revocation == "blanket")


def screening(sc) -> float:
    return 0.0 if sc.revocation == "blanket" else sc.screening


def outage_rate(sc) -> np.ndarray:
    """rho_i: per-period chance that another partner is revoked as an adversary."""
    q = np.array([p.adversary_hazard for p in sc.partners])
    rho = np.empty(sc.n_partners)
    for i in range(sc.n_partners):
        rho[i] = 1.0 - np.prod(np.delete(1.0 - q, i))
    return rho * (1.0 - screening(sc))


def coefficients(sc) -> dict[str, np.ndarray]:
    """Effective per-unit coefficients, shape (partners, instruments)."""
    n, J = sc.n_partners, len(sc.instruments)
    coef = {k: np.zeros((n, J)) for k in COEFS}
    coef["cap"] = np.zeros((n, J))
    out = outage_rate(sc)
    for j, ins in enumerate(sc.instruments):
        credible = ins.enforced or sc.governance == "collective"
        for k in COEFS:
            coef[k][:, j] = getattr(ins, k)
        if not credible:
            coef["forfeit"][:, j] = 0.0
            coef["compensation"][:, j] = 0.0
        if ins.covers_collateral:
            coef["partner_flow"][:, j] += out * coef["compensation"][:, j]
        coef["cap"][:, j] = ins.cap
    return coef


def self_enforcing(sc) -> np.ndarray:
    """(instruments,) bool: the instruments whose forfeit needs the credibility bound."""
    return np.array([(not ins.enforced) and sc.governance == "collective"
                     for ins in sc.instruments])


def base_params(sc, partners=None) -> dict[str, np.ndarray]:
    """Kernel parameters without instrument coefficients, one row per partner."""
    idx = list(range(sc.n_partners)) if partners is None else list(partners)
    ps = [sc.partners[i] for i in idx]
    B, K = len(ps), sc.n_regimes
    out = outage_rate(sc)[idx]
    return {
        "discount": np.full(B, sc.discount),
        "transition": np.broadcast_to(sc.transition, (B, K, K)).copy(),
        "provider_value": np.array([p.provider_value for p in ps], dtype=float),
        "revocation_gain": np.array([p.revocation_gain for p in ps], dtype=float),
        "access_value": np.array([p.access_value for p in ps]),
        "outside_option": np.array([p.outside_option for p in ps]),
        "revocation_loss": np.array([p.revocation_loss for p in ps]),
        "adversary_hazard": np.array([p.adversary_hazard for p in ps]),
        "collateral_cost": out * np.array([p.collateral_loss for p in ps]),
    }


def with_instrument(base: dict, coef: dict, j: int | None, partners=None) -> dict:
    """Kernel parameters with instrument j's coefficients (None: a zero instrument)."""
    p = dict(base)
    B = base["discount"].shape[0]
    idx = slice(None) if partners is None else list(partners)
    for k in (*COEFS, "cap"):
        p[k] = np.zeros(B) if j is None else np.asarray(coef[k][idx, j], dtype=float).copy()
    if j is None:
        p["cap"] = np.full(B, np.inf)
    return p


def with_levels(base: dict, coef: dict, levels: np.ndarray, partners=None) -> dict:
    """Kernel parameters with all instruments at fixed levels, folded into level 1."""
    p = dict(base)
    idx = slice(None) if partners is None else list(partners)
    lv = np.asarray(levels, dtype=float)[idx]
    for k in COEFS:
        p[k] = (coef[k][idx] * lv).sum(axis=1)
    p["cap"] = np.full(lv.shape[0], np.inf)
    return p

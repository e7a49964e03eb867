"""The revocation model: equilibria on the exact state, minimum credible assurance, hedging.

* :func:`solve` -- the selected equilibrium of a :class:`~paxgame.Scenario`;
* :func:`minimum_assurance` -- the smallest credible assurance for participation or
  continuity, per partner and for the coalition, with constructibility and its reason, and
  for the unique targets (every equilibrium keeps the partners in) with the price of
  uniqueness (:class:`UniqueAssuranceResult`);
* :func:`hedge` -- a partner's CVaR-penalised split across stacks, and
  :func:`assurance_for_share` -- the smallest assurance lifting the provider's share, and
  :func:`hedge_policies` -- plural dependence against assurance (four policies);
* :func:`compare` and :func:`format_report` -- the scenario against its counterfactuals
  (governance, revocation mode, adversary hazard), as ``paxgame solve`` prints it.
"""

from . import report
from .assurance import AssuranceResult, minimum_assurance
from .equilibrium import ScenarioEquilibrium, solve
from .hedging import (HedgeResult, PolicyComparison, ShareAssuranceResult, assurance_for_share,
                      hedge, hedge_policies)
from .report import Comparison, compare, format_report
from .unique import UniqueAssuranceResult

__all__ = ["AssuranceResult", "Comparison", "HedgeResult", "PolicyComparison",
           "ScenarioEquilibrium", "ShareAssuranceResult", "UniqueAssuranceResult",
           "assurance_for_share", "compare", "format_report", "hedge", "hedge_policies",
           "minimum_assurance", "solve"]

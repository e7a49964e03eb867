"""The revocation model (MODEL.md section 3): equilibria, minimum credible assurance, hedging.

* :func:`solve` -- the partner-best equilibrium of a :class:`~paxgame.Scenario`;
* :func:`minimum_assurance` -- the smallest credible assurance for participation or
  continuity, per partner and for the coalition, with constructibility and its reason;
* :func:`hedge` -- a partner's CVaR-penalised split across stacks, and
  :func:`assurance_for_share` -- the smallest assurance lifting the provider's share;
* :func:`format_report` -- the readable table ``paxgame solve`` prints.
"""

from . import report
from .assurance import AssuranceResult, minimum_assurance
from .equilibrium import ScenarioEquilibrium, solve
from .hedging import HedgeResult, ShareAssuranceResult, assurance_for_share, hedge
from .report import format_report

__all__ = ["AssuranceResult", "HedgeResult", "ScenarioEquilibrium", "ShareAssuranceResult",
           "assurance_for_share", "format_report", "hedge", "minimum_assurance", "solve"]

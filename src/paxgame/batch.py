"""The vectorised core's public face: one call solves many games or parameter points.

Every function takes stacked arrays with a leading batch axis (or arrays that broadcast like
numpy) and returns stacked results; the scalar solvers of paxgame call these same kernels.
"""

from .kernels.tu import banzhaf, coalition_sums, shapley
from .revocation.batch import minimum_assurance, revocation_equilibrium
from .repeated.batch import critical_delta
from .kernels.pure_nash import pure_nash
from .kernels.support_enumeration import support_enumeration

__all__: list[str] = []
__all__ += ["shapley", "banzhaf", "coalition_sums"]
__all__ += ["minimum_assurance", "revocation_equilibrium"]
__all__ += ["critical_delta"]
__all__ += ["pure_nash", "support_enumeration"]

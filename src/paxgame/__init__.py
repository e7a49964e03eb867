"""paxgame: game theory for technology coalitions.

Stage games (Nash and correlated equilibria), repeated and regime-switching games (critical
discount factors, subgame-perfect payoff sets, minimum transfers), the revocation model
(equilibria and the minimum credible assurance that keeps partners in), hedging across
stacks, and cooperative coalition games (Shapley, core, nucleolus, cost of stability), on a
vectorised numeric core exposed as :mod:`paxgame.batch`.

This module only re-exports the public API of the family packages.
"""

from importlib.metadata import PackageNotFoundError, version as _version

from . import errors
from ._results import Certificate, SolverResult
from .errors import CheckpointError, GameFileError, SolverError, StoreError
from .games import *  # noqa: F401,F403
from .games import __all__ as _games_all
from .io import load
from .io import __all__ as _io_all  # noqa: F401
from .stage import *  # noqa: F401,F403
from .stage import __all__ as _stage_all
from .repeated import *  # noqa: F401,F403
from .repeated import __all__ as _repeated_all
from .revocation import *  # noqa: F401,F403
from .revocation import __all__ as _revocation_all
from .cooperative import *  # noqa: F401,F403
from .cooperative import __all__ as _cooperative_all
from .io.interop import *  # noqa: F401,F403
from .io.interop import __all__ as _interop_all
from . import batch  # noqa: E402
from . import examples  # noqa: E402
from .solving import solve  # noqa: E402,F811 - one meaning: dispatch on the game's type
from .sweep import sweep, SweepResult  # noqa: E402

try:
    __version__ = _version("paxgame")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = sorted({
    "Certificate", "SolverResult", "CheckpointError", "GameFileError", "SolverError",
    "StoreError",
    "batch", "errors", "examples", "load", "solve", *_games_all, *_stage_all, *_repeated_all, *_revocation_all,
    *_cooperative_all, *_interop_all, "sweep", "SweepResult",
})

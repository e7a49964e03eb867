""":func:`solve`: the equilibria of whatever game it is given, like ``paxgame solve FILE``.

``pg.solve`` has one meaning: *the equilibrium answer for this game*. It dispatches on the
type of its argument to the family's solver and returns that solver's result unchanged:

==================  ====================================================  ==========================
given               computes                                              returns
==================  ====================================================  ==========================
``Scenario``        the selected Markov perfect equilibrium               ``ScenarioEquilibrium``
                    (:func:`paxgame.revocation.solve`)
``NormalFormGame``  Nash equilibria (:func:`paxgame.nash`)                ``NashResult`` (a list of
                                                                          ``Equilibrium``)
``RepeatedGame``    the subgame-perfect payoff set                        ``PayoffSet``
                    (:meth:`RepeatedGame.payoff_set`)
``RegimeGame``      pure stationary Markov perfect equilibria             list of
                    (:meth:`RegimeGame.markov_equilibria`)                ``MarkovEquilibrium``
==================  ====================================================  ==========================

A TU game has no equilibrium: it is refused with the names of its solution concepts
(:func:`paxgame.shapley`, :func:`paxgame.nucleolus`, :func:`paxgame.core`, ...). Keyword
options go to the solver named in the table, so an option it does not take is an error.
"""

from __future__ import annotations

from .games import NormalFormGame, Scenario, TUGame
from .repeated import RegimeGame, RepeatedGame
from .revocation import solve as _solve_scenario
from .stage import nash

__all__ = ["solve"]


def solve(game, *args, **options):
    """The equilibria of a game, dispatched on its type (as the ``paxgame solve`` command).

    Parameters
    ----------
    game : Scenario, NormalFormGame, RepeatedGame or RegimeGame
        For example a file read by :func:`paxgame.load` or :func:`paxgame.examples.load`.
    *args, **options
        Passed to the solver of the game's kind: ``levels`` for a scenario
        (:func:`paxgame.revocation.solve`), ``method`` / ``options`` for a normal-form game
        (:func:`paxgame.nash`), ``method`` and its options for a repeated game
        (:func:`paxgame.repeated.payoff_set`) and a regime game
        (:func:`paxgame.repeated.regime.markov_equilibria`).

    Returns
    -------
    ScenarioEquilibrium, NashResult, PayoffSet or list of MarkovEquilibrium
        The result of the solver of the game's kind (see the module's table).

    Raises
    ------
    TypeError
        ``game`` is a :class:`TUGame` (the message names its solution concepts) or not a
        game at all; or an option that the kind's solver does not take.

    Examples
    --------
    >>> import paxgame as pg
    >>> eq = pg.solve(pg.examples.load("innovation_sovereignty"))
    >>> type(eq).__name__, eq.status
    ('ScenarioEquilibrium', 'optimal')
    >>> eqs = pg.solve(pg.examples.load("chicken"))
    >>> type(eqs).__name__, [[round(float(x), 4) for x in eq.payoffs] for eq in eqs]
    ('NashResult', [[2.0, 7.0], [7.0, 2.0], [4.6667, 4.6667]])
    >>> pg.solve(pg.examples.load("glove"))
    Traceback (most recent call last):
    ...
    TypeError: solve: a TUGame has no equilibrium to solve for; call one of its solution concepts: pg.shapley, pg.banzhaf, pg.core, pg.least_core, pg.nucleolus, pg.cost_of_stability
    """
    if isinstance(game, Scenario):
        return _solve_scenario(game, *args, **options)
    if isinstance(game, NormalFormGame):
        return nash(game, *args, **options)
    if isinstance(game, RepeatedGame):
        return game.payoff_set(*args, **options)
    if isinstance(game, RegimeGame):
        return game.markov_equilibria(*args, **options)
    if isinstance(game, TUGame):
        raise TypeError("solve: a TUGame has no equilibrium to solve for; call one of its "
                        "solution concepts: pg.shapley, pg.banzhaf, pg.core, pg.least_core, "
                        "pg.nucleolus, pg.cost_of_stability")
    raise TypeError(f"solve: game must be a Scenario, NormalFormGame, RepeatedGame or "
                    f"RegimeGame (read a file with pg.load), got {type(game).__name__}")

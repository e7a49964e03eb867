"""Stage-game solvers: Nash equilibria, correlated equilibria, minmax, dominance."""

__all__: list[str] = []

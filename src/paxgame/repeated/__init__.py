"""The repeated family of solvers (see the package docs)."""

__all__: list[str] = []

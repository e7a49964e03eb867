"""The cooperative family of solvers (see the package docs)."""

__all__: list[str] = []

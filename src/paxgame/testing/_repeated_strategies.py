"""(filled by its family)."""

__all__: list[str] = []

"""Conversions between paxgame objects and files or peer libraries.

Owned by the io package: ``read_nfg``, ``write_nfg``, ``save`` and ``from_nashpy``.
"""

__all__: list[str] = []

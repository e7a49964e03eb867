"""The vectorised core's public face: one call solves many games or parameter points.

Every function takes stacked arrays with a leading batch axis (or arrays that broadcast like
numpy) and returns stacked results; the scalar solvers of paxgame call these same kernels.
"""

__all__: list[str] = []

"""Game objects: data and validation only (solvers live in the family packages)."""

from .normal_form import NormalFormGame

__all__ = ["NormalFormGame"]

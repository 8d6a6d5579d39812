"""Saring: election information integrity (saring sebelum sharing)."""

__version__ = "0.1.0"

"""Kinomost: cross-border film and TV exchange and online distribution."""

__version__ = "0.1.0"

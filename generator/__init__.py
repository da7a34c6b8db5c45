"""A static fact-check website generator: claims, denials, sources and actors, cross-linked."""

__version__ = "0.1.0"

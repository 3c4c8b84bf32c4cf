"""Networked Councillor: the programme handbook, one blog per councillor, and syndication."""

__version__ = "0.1.0"

"""Casework: case management for every case-management discipline."""

__version__ = "0.1.0"

"""The server-rendered web workspace."""

"""Text folding for search: case- and accent-insensitive, identical on SQLite and PostgreSQL."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse white space ("José  Núñez" -> "jose nunez")."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())

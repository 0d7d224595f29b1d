"""Clients: identity, language and culture, preferences in their own words, support system."""

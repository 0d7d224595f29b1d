"""Instruments and scoring rules as the product offers them (the rules live in ``rules``)."""

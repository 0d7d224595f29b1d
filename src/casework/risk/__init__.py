"""Risk tiers: the tier of each case with its basis and any override."""

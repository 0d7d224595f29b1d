"""Domain-free building blocks: the clock, problem errors, text folding, base models."""

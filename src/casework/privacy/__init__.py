"""Privacy: sensitivity labels, client consents, restrictions and the accounting of disclosures."""

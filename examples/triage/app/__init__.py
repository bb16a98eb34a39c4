"""A tiny shop: inventory and pricing, with a few deliberate flaws for the triage workflow."""

"""Deterministic starting configurations, one module per config family."""

"""Helpers for testing the engine: generators of valid cases."""

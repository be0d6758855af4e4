"""The rule language and its backends."""

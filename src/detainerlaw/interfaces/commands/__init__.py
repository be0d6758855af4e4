"""Command-line commands contributed by features; each module has ``register(app)``."""

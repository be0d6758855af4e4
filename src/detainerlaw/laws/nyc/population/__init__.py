"""Populations: synthetic (calibrated), imported (Deportation Data Project) and the bundled sample."""

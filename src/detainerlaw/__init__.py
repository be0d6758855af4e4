"""detainerlaw: immigration-detainer laws as rules that decide, explain, simulate and prove."""

__version__ = "0.1.0"

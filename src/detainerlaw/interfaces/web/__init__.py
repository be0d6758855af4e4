"""Server-rendered pages (Jinja2): screener, law timeline, reform lab, claim checker."""

"""The interfaces people use: the command line, the HTTP API and the web pages, all through ``detainerlaw.law``."""

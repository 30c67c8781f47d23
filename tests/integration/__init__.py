"""Integration tests: the handlers, the pipeline and the CLI on the embedded default (moto)."""

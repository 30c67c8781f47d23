"""Unit tests: pure code only (no moto, no LocalCloud, no CDK); `make unit` runs them in seconds."""

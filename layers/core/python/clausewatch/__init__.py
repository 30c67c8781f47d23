"""clausewatch: evidenced terms, obligations and deadlines from signed contracts."""

__version__ = "0.1.0"

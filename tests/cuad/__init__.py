"""The extractor and the text path on the real contracts of ../shared/cuad (skipped when absent)."""

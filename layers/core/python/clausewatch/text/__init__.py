"""Text extraction: PDF validation, the local text-layer extractor and Textract parsing.

Both engines yield Textract-shaped responses that one parser (trp) turns into DocumentText.
"""

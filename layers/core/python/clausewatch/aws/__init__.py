"""Thin adapters over AWS services, one module per service; the pure domain never imports them."""

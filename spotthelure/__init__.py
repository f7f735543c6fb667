"""Spot the Lure: validation and rendering of the book's content."""

"""The Sphinx extension's former name: it lives in :mod:`spotthelure.sphinx` now."""
from .sphinx import setup  # noqa: F401

"""Unit tests, one file per concern."""

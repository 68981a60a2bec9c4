"""Hostile-input tests (issue 9): one test per reproduction."""

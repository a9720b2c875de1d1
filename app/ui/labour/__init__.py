"""Editors for labour rule sets and roles."""

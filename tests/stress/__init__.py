"""Robustness tests with real processes and real files: kills, conflicts, locks, backups."""

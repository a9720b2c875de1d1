"""Clients, their contacts and projects: details, dates, status lifecycle and the estimate that counts."""

"""Clients, contacts and projects: the client and project dialogs, status actions."""

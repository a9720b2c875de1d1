"""Search everything: clients, contacts, projects, estimates, quote numbers, line descriptions.

:mod:`.schema` builds the index (migration 0010), :mod:`.query` answers a search box.
"""

"""Storage: open, check and migrate a database, back it up, presence, offline take and merge."""

"""The company using the database: its settings, its quote numbering, and setting up a new one."""

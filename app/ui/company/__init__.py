"""The company's windows: the first-run welcome, setting up a company, and its settings."""

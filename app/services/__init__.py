"""Use cases and domain logic: plain Python, callable from the GUI, the CLI and tests."""

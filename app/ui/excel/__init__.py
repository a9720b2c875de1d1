"""Excel export and import in the GUI."""

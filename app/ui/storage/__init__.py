"""The File menu's database commands, sharing and the merge dialog."""

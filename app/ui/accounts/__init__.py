"""The client's page and the growth grid (View › Client page, View › Growth grid)."""

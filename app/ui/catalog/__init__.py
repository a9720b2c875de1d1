"""The catalog's editors: items, their categories, suppliers."""

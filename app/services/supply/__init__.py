"""Suppliers' quotes, the lines that follow them, the validity guard and the orders sent."""

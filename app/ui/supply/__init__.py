"""Suppliers' quotes, line quotes, the validity guard and orders: the windows."""

"""What the company sells and who it buys from: catalog items, their categories, suppliers."""

"""Equipment the company owns: the stock and sub-rental rate editors."""

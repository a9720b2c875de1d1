"""Equipment: the stock editors, availability while estimating, the timeline, shortages."""

"""Excel: the client quote and cost sheet out, estimates back in."""

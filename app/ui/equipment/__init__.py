"""Equipment: the stock editor, availability in the estimate, sub-rentals, shortages and the timeline."""

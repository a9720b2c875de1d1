"""View › Capacity outlook: the pipeline's weighted demand against the crew and the equipment."""

"""The crew: people and their calls, conflicts, staffing and capacity."""

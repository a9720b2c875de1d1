"""Project types, milestones and the deadlines list: the windows."""

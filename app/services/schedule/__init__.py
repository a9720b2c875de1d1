"""Project types, milestone templates, a project's milestones and the deadlines list."""

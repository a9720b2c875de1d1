"""The account manager's view of one client: its page (contacts, projects, quotes, activities,
figures) and the growth grid of what each client has bought, category by category."""

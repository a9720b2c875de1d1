"""The account manager's follow-ups: activities on projects and clients, My follow-ups, the start
page, and the project's brief (edited by the AM, read by the PM in a dock beside the estimate)."""

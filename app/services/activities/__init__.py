"""What the account manager logs on projects and clients, and the project's brief.

- :mod:`.records`: activities (call, meeting, email, quote sent, follow-up, note) on a project or,
  with no project, a client, edited as master data (one :class:`~app.services.master_data.RecordKind`
  per owner: the project's, the client's own); ticking one done stamps ``done_at``, unticking clears it.
- :mod:`.follow_ups`: *My follow-ups* (an owner's open activities with a due date, overdue first, then
  the undated open follow-ups), the lists of a project and of a client (its projects' too), and the
  names a follow-up's owner is picked from.
- :mod:`.sent`: Send quote logs a done ``quote_sent`` activity inside the send's transaction.
- :mod:`.brief`: the project's brief (goals, audience, venue notes, dates, the budget the client
  mentioned, must-haves, competitors), read and saved with the project's optimistic version check.
"""

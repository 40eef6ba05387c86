"""The ground floor's shared plumbing, used by every app and depending on none of them.

- `admin.ReadOnlyAdmin`: the admin base for rows only services write;
- `jobs.enqueue`: queue a background job once the transaction commits;
- `pdf.render_pdf`: HTML to PDF with WeasyPrint, the one place that calls it;
- `api`: API auth for every router (bearer tokens, registration tokens, `STAFF_AUTH`),
  `require(request, permission)` and `require_event`, with the permission names of events.permissions.

Nothing here knows about orders or sessions, and only `api` reads a model (the
ApiToken or Participant that names a caller). Every app imports this package from
any floor (events, ticketing, sessions, conference) without an arrow running up.
"""

"""Where the upper apps plug into the ground floor without events importing them.

ticketing and sessions build on events, so events never imports them. Instead
they register here, from their AppConfig.ready():

    @personal_panel(order=20)
    def badge_panel(request, participant):   # -> HTML string, or None to show nothing
        ...

    @demo_seeder(order=20)
    def seed_tickets(event):                  # called by `manage.py seed_demo` for the demo conference
        ...

    register_badge_resolver(resolve)          # resolve(code) -> Participant | None, from a badge QR

The signing kiosk scans badges, whose codes belong to ticketing; ticketing
registers the one resolver, events only asks it.

    on_approved(issue_free_pass)               # run in order by a background job after an approval commits
    on_approved(issue_badge_if_valid)

    participant_admin_action(issue_badges)      # an action on the admin's participant list
"""

_panels = []
_seeders = []
_badge_resolver = None

_approval_hooks = []
_participant_admin_actions = []


def personal_panel(order=50):
    def register(func):
        _panels.append((order, func))
        _panels.sort(key=lambda item: item[0])
        return func

    return register


def demo_seeder(order=50):
    def register(func):
        _seeders.append((order, func))
        _seeders.sort(key=lambda item: item[0])
        return func

    return register


def on_approved(func):
    """Register func(participant), run by events.tasks.after_approval once a participant is approved."""
    if func not in _approval_hooks:
        _approval_hooks.append(func)
    return func


def run_approval_hooks(participant):
    for func in _approval_hooks:
        func(participant)


def participant_admin_action(func):
    """Register a Django admin action (decorated with @admin.action) for the participant list."""
    if func not in _participant_admin_actions:
        _participant_admin_actions.append(func)
    return func


def participant_admin_actions():
    return list(_participant_admin_actions)


def render_personal_panels(request, participant):
    """The HTML of every registered panel for this participant's personal page, in order."""
    rendered = (func(request, participant) for _order, func in _panels)
    return [html for html in rendered if html]


def run_demo_seeders(event, stdout=None):
    for _order, func in _seeders:
        func(event)
        if stdout is not None:
            stdout.write(f"  seeded {func.__module__}.{func.__name__}")


def register_badge_resolver(func):
    """Set the function that turns a scanned badge code into a Participant (or None); the last one wins."""
    global _badge_resolver
    _badge_resolver = func
    return func


def resolve_badge(code):
    """The participant a scanned badge code belongs to, or None (also when no resolver is registered)."""
    if _badge_resolver is None or not code:
        return None
    return _badge_resolver(code)


_event_links = []


def event_link(order=50):
    """Register func(event) -> [(label, url), …]: links on the public event page (agenda, tickets…)."""

    def register(func):
        _event_links.append((order, func))
        _event_links.sort(key=lambda item: item[0])
        return func

    return register


def event_links(event):
    return [link for _order, func in _event_links for link in func(event)]


_data_sections = []
_erasers = []
_erasure_blockers = []


def personal_data_section(order=50):
    """Register func(participant) -> (key, title, rows) or None: a part of the participant's data export.

    rows is a list of dicts (JSON-ready values); title is the translated heading of the PDF section.
    """

    def register(func):
        _data_sections.append((order, func))
        _data_sections.sort(key=lambda item: item[0])
        return func

    return register


def personal_data_sections(participant):
    sections = (func(participant) for _order, func in _data_sections)
    return [section for section in sections if section]


def personal_data_eraser(func):
    """Register func(participant): blank what an upper app keeps about a participant being erased."""
    if func not in _erasers:
        _erasers.append(func)
    return func


def run_personal_data_erasers(participant):
    for func in _erasers:
        func(participant)


def erasure_blocker(func):
    """Register func(participant) -> [translated reason, …]: why an erasure must wait for an organizer."""
    if func not in _erasure_blockers:
        _erasure_blockers.append(func)
    return func


def erasure_blockers(participant):
    return [reason for func in _erasure_blockers for reason in func(participant)]

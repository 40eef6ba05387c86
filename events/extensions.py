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

    @dashboard_figures(order=20)
    def ticket_figures(event):                 # -> [events.dashboard.Figure, …] for the organizers' dashboard
        ...

    @staff_link(order=30)
    def checkin_links(event, user):            # -> [(label, url), …] on the event page, [] for the public
        ...
"""

from dataclasses import dataclass

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


_staff_links = []


def staff_link(order=50):
    """Register func(event, user) -> [(label, url), …]: the event page's links for organizers and door staff.

    Each func checks the user's permissions itself and returns [] for anyone else.
    """

    def register(func):
        _staff_links.append((order, func))
        _staff_links.sort(key=lambda item: item[0])
        return func

    return register


def staff_links(event, user):
    if not (user and user.is_authenticated):
        return []
    return [link for _order, func in _staff_links for link in func(event, user)]


# --- Session doors ---------------------------------------------------------
# The check-in door of an agenda session needs the session's seats and the
# holder's reservation, which belong to sessions; ticketing asks through here.


@dataclass(frozen=True)
class SessionDoor:
    """What a session's door needs to know about one participant.

    `reserved`: the participant holds a confirmed seat reservation (always admitted).
    `walk_in_seats`: seats left for people without one (the room's seats minus
    confirmed reservations); None when the session sets no limit.
    """

    event_id: int
    reserved: bool
    walk_in_seats: int | None


_session_door = None


def register_session_door(func):
    """Set func(session_id, participant_id) -> SessionDoor | None (None: no such session)."""
    global _session_door
    _session_door = func
    return func


def session_door(session_id, participant_id):
    """The door of an agenda session for one participant, or None (also when no provider is registered)."""
    return _session_door(session_id, participant_id) if _session_door else None


_dashboard_figures = []


def dashboard_figures(order=50):
    """Register func(event) -> [Figure, …]: figures for the organizers' dashboard (see events/dashboard.py)."""

    def register(func):
        if all(existing is not func for _order, existing in _dashboard_figures):
            _dashboard_figures.append((order, func))
            _dashboard_figures.sort(key=lambda item: item[0])
        return func

    return register


def collect_dashboard_figures(event):
    return [figure for _order, func in _dashboard_figures for figure in func(event)]


# --- Organizer e-mail: recipient filters and reminder attachments ----------------

_recipient_filters = []
_reminder_attachments = []


class RecipientFilter:
    """A filter the compose page offers: choices(event) -> [(value, label)], apply(queryset, value) -> queryset."""

    def __init__(self, key, label, choices, apply, order):
        self.key, self.label, self.choices, self.apply, self.order = key, label, choices, apply, order


def recipient_filter(key, *, label, choices, order=50):
    """Register apply(participants, value) as the filter `key` of organizer e-mails (e.g. ticket type, session)."""

    def register(apply):
        global _recipient_filters
        kept = [item for item in _recipient_filters if item.key != key]
        _recipient_filters = sorted([*kept, RecipientFilter(key, label, choices, apply, order)], key=lambda f: f.order)
        return apply

    return register


def recipient_filters():
    return list(_recipient_filters)


def reminder_attachment(func):
    """Register func(participant) -> [(file name, bytes, MIME type)] for the day-before reminder.

    Called in the participant's language; return [] when there is nothing to attach.
    """
    if func not in _reminder_attachments:
        _reminder_attachments.append(func)
    return func


def reminder_attachments(participant):
    return [attachment for func in _reminder_attachments for attachment in func(participant)]


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

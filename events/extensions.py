"""Where the upper apps plug into the ground floor without events importing them.

ticketing and sessions build on events, so events never imports them. Each
extension point is one declared `Hook` below, in the manner of pretix's
`base/signals.py`: its docstring says what a receiver gets, when it is called,
what it may return or do, and in which order receivers run. Receivers connect
only from an `AppConfig.ready()` (directly, or by decorating a function in a
module that ready() imports); connecting the same function twice, taking an
order another receiver holds, or a second receiver of a one-receiver hook is an
error at start-up, not a silent "last one wins". `manage.py hooks` prints who
plugs in where, and tests/test_hooks.py fails on a hook without documentation
or one that nothing fires.

Where core flow crosses floors, the receiving app connects ONE function whose
body writes its steps out in order (ticketing.flows.after_approval: the free
pass, then the badge), so a reader following events.services.decide_application
lands on the whole sequence.

The hooks, by what they serve:

- personal page:      PERSONAL_PANELS, NEXT_STEPS, REGISTRATION_PATHS
- approval:           APPROVED
- public event page:  EVENT_LINKS, STAFF_LINKS
- organizers:         DASHBOARD_FIGURES, PARTICIPANT_ADMIN_ACTIONS, PARTICIPANT_ADMIN_FILTERS, RECIPIENT_FILTERS,
                      REMINDER_ATTACHMENTS
- organizer home:     ORGANIZER_HEADLINES, ORGANIZER_TODOS, ORGANIZER_TOOLS
- personal data:      PERSONAL_DATA_SECTIONS, PERSONAL_DATA_ERASERS, ERASURE_BLOCKERS
- doors and kiosk:    BADGE_RESOLVER, SESSION_DOOR
- an event's dates:   EVENT_MOVED
- demo data:          DEMO_SEEDERS

The decorator-style functions under each hook (`personal_panel(order=20)`,
`on_approved(func)`, …) are the ways to connect, kept short for the receivers.
"""

from dataclasses import dataclass

from .hooks import HOOKS, Hook, ordered_decorator  # noqa: F401 (HOOKS: every hook, read here by `manage.py hooks`)

# --- The personal page ---------------------------------------------------------

PERSONAL_PANELS = Hook(
    "personal_panels",
    """
    Carries (request, participant). Fired while the personal page renders, for the participant that
    browser owns. A receiver returns an HTML string (a rendered template) or None to show nothing;
    it must check nothing about the asker (the page already did) and must not write.
    Order: by `order`, top to bottom (ticketing's badge 20, orders 25; agenda 30; declarations 40).
    """,
    via="render_personal_panels",
    fired_by=["events.views.personal_page"],
    ordered=True,
)
personal_panel = ordered_decorator(PERSONAL_PANELS)


def render_personal_panels(request, participant):
    """The HTML of every panel for this participant's personal page, in order."""
    rendered = (func(request, participant) for func in PERSONAL_PANELS.receivers())
    return [html for html in rendered if html]


NEXT_STEPS = Hook(
    "next_steps",
    """
    Carries (participant). Fired by events.steps.next_step after the ground floor's own steps
    (waiting for review, not accepted) found none. A receiver returns an events.steps.Step (what
    the person does next, with its link) or None. Order: by `order`; the first step answered wins.
    """,
    via="first_next_step",
    fired_by=["events.steps.next_step"],
    ordered=True,
)
next_step = ordered_decorator(NEXT_STEPS)


def first_next_step(participant):
    for func in NEXT_STEPS.receivers():
        step = func(participant)
        if step is not None:
            return step
    return None


REGISTRATION_PATHS = Hook(
    "registration_paths",
    """
    Carries (event), keyed by participant category. Fired when the event page and the register
    view choose where people of a category register. The one receiver per category returns a URL
    where they register instead of the ground floor's form (ticketing sends businesses to the
    ticket shop: the order is their registration), or None to keep the form.
    """,
    via="registration_path_for",
    fired_by=["events.views.register", "events.views.event_detail", "events.services.register_participant"],
    single=True,
    keyed=True,
)


def registration_path(category):
    def register(func):
        return REGISTRATION_PATHS.connect(func, key=category)

    return register


def registration_path_for(event, category):
    funcs = REGISTRATION_PATHS.receivers(key=category)
    return funcs[0](event) if funcs else None


# --- Approval ------------------------------------------------------------------

APPROVED = Hook(
    "approved",
    """
    Carries (participant), approved and committed. Fired by the background job
    events.tasks.after_approval, which events.services.decide_application (and every other path
    into "approved") queues on commit. A receiver does what its app owes an approved person and
    must be idempotent (the job may run again). One receiver: the app whose flow it is writes its
    steps out in order in that one function (ticketing.flows.after_approval).
    """,
    via="run_approval_hooks",
    fired_by=["events.tasks.after_approval"],
    single=True,
)


def on_approved(func):
    return APPROVED.connect(func)


def run_approval_hooks(participant):
    for func in APPROVED.receivers():
        func(participant)


# --- The public event page -----------------------------------------------------

EVENT_LINKS = Hook(
    "event_links",
    """
    Carries (event). Fired while the public event page renders. A receiver returns
    [(label, url), …] of public pages (agenda, tickets, declarations), [] for none.
    Order: by `order`, left to right (agenda 10, tickets 20, declarations 40).
    """,
    via="event_links",
    fired_by=["events.views.event_detail"],
    ordered=True,
)
event_link = ordered_decorator(EVENT_LINKS)


def event_links(event):
    return [link for func in EVENT_LINKS.receivers() for link in func(event)]


STAFF_LINKS = Hook(
    "staff_links",
    """
    Carries (event, user), a signed-in user. Fired while the event page and the staff pages render.
    A receiver checks the user's permissions itself and returns [(label, url), …] of the pages that
    user works on, [] for anyone else. Order: by `order`.
    """,
    via="staff_links",
    fired_by=["events.views.event_detail"],
    ordered=True,
)
staff_link = ordered_decorator(STAFF_LINKS)


def staff_links(event, user):
    if not (user and user.is_authenticated):
        return []
    return [link for func in STAFF_LINKS.receivers() for link in func(event, user)]


# --- Organizers ----------------------------------------------------------------

DASHBOARD_FIGURES = Hook(
    "dashboard_figures",
    """
    Carries (event). Fired while the organizers' dashboard and its CSV render. A receiver returns
    [events.dashboard.Figure, …] computed with a bounded number of queries. Order: by `order`.
    """,
    via="collect_dashboard_figures",
    fired_by=["events.dashboard.figures"],
    ordered=True,
)
dashboard_figures = ordered_decorator(DASHBOARD_FIGURES)


def collect_dashboard_figures(event):
    return [figure for func in DASHBOARD_FIGURES.receivers() for figure in func(event)]


PARTICIPANT_ADMIN_ACTIONS = Hook(
    "participant_admin_actions",
    """
    Carries nothing: each receiver is a Django admin action (decorated with @admin.action). Fired
    (read) when the admin's participant list renders, which adds them to its actions. The action
    checks its own permissions. Order: connection order, after the ground floor's own actions.
    """,
    via="participant_admin_actions",
    fired_by=["events.admin.ParticipantAdmin.actions"],
)


def participant_admin_action(func):
    return PARTICIPANT_ADMIN_ACTIONS.connect(func)


def participant_admin_actions():
    return PARTICIPANT_ADMIN_ACTIONS.receivers()


PARTICIPANT_ADMIN_FILTERS = Hook(
    "participant_admin_filters",
    """
    Carries nothing: each receiver is a Django admin list filter (a SimpleListFilter class). Fired
    (read) when the admin's participant list renders, which adds them after its own filters; the
    organizer home links to them (ticketing's "badge: valid ticket, no badge yet"). A filter narrows
    the queryset it is given and nothing else. Order: connection order.
    """,
    via="participant_admin_filters",
    fired_by=["events.admin.ParticipantAdmin.get_list_filter"],
)


def participant_admin_filter(list_filter):
    return PARTICIPANT_ADMIN_FILTERS.connect(list_filter)


def participant_admin_filters():
    return PARTICIPANT_ADMIN_FILTERS.receivers()


class RecipientFilter:
    """A filter the compose page offers: choices(event) -> [(value, label)], apply(queryset, value) -> queryset."""

    def __init__(self, key, label, choices, apply, order):
        self.key, self.label, self.choices, self.apply, self.order = key, label, choices, apply, order


RECIPIENT_FILTERS = Hook(
    "recipient_filters",
    """
    Carries (participants, value), keyed by filter name ("ticket_type", "session"). Fired (read) when
    the organizers' e-mail compose page and a campaign's recipient query are built. A receiver is
    apply(participants, value) -> narrowed queryset, connected with a label and
    choices(event) -> [(value, label)]. One per key.
    Order: by `order` on the compose page. A filter connected with `reminder_value` also chooses who
    gets the day-before reminder (ticketing's "holders of a valid ticket"); else the approved do.
    """,
    via="recipient_filters",
    fired_by=["events.campaigns.forms._filters", "events.campaigns.services.filter_participants"],
    ordered=True,
    single=True,
    keyed=True,
)
_filter_details = {}


def recipient_filter(key, *, label, choices, order=50, reminder_value=None):
    def register(apply):
        _filter_details[key] = (label, choices, reminder_value)
        return RECIPIENT_FILTERS.connect(apply, order=order, key=key)

    return register


def recipient_filters():
    return [
        RecipientFilter(item.key, *_filter_details[item.key][:2], item.func, item.order)
        for item in RECIPIENT_FILTERS.connected()
    ]


def reminder_recipients():
    """{filter key: value} choosing who gets the day-before reminder, or {} (then the approved do)."""
    chosen = {item.key: _filter_details[item.key][2] for item in RECIPIENT_FILTERS.connected()}
    return {key: value for key, value in chosen.items() if value is not None}


REMINDER_ATTACHMENTS = Hook(
    "reminder_attachments",
    """
    Carries (participant), in the participant's language. Fired while the day-before reminder to
    that participant is built. A receiver returns [(file name, bytes, MIME type), …], [] when it has
    nothing to attach (the badge PDF, the personal agenda). Order: connection order.
    """,
    via="reminder_attachments",
    fired_by=["events.campaigns.services.build_message"],
)


def reminder_attachment(func):
    return REMINDER_ATTACHMENTS.connect(func)


def reminder_attachments(participant):
    return [attachment for func in REMINDER_ATTACHMENTS.receivers() for attachment in func(participant)]


# --- The organizer home (events/organizer.py) -------------------------------------

ORGANIZER_HEADLINES = Hook(
    "organizer_headlines",
    """
    Carries (event). Fired while an organizer's home of that event (/e/<slug>/manage/) renders, after
    events' registrations and before its signatures. A receiver returns [events.organizer.Headline, …]
    (a figure already formatted for the reader), each with a fixed number of queries whatever the
    size of the event (tests/events/test_organizer_home.py counts them). Order: by `order`.
    """,
    via="collect_organizer_headlines",
    fired_by=["events.organizer.home"],
    ordered=True,
)
organizer_headlines = ordered_decorator(ORGANIZER_HEADLINES)


def collect_organizer_headlines(event):
    return [item for func in ORGANIZER_HEADLINES.receivers() for item in func(event)]


ORGANIZER_TODOS = Hook(
    "organizer_todos",
    """
    Carries (event). Fired with the organizer home, after events' "applications waiting" and before
    its erasure requests and failed e-mails. A receiver returns [events.organizer.Todo, …]: what waits
    for an organizer, with its count and the address of the list filtered to exactly those (also at
    0: the home shows it done), with a fixed number of queries. Order: by `order`.
    """,
    via="collect_organizer_todos",
    fired_by=["events.organizer.home"],
    ordered=True,
)
organizer_todos = ordered_decorator(ORGANIZER_TODOS)


def collect_organizer_todos(event):
    return [item for func in ORGANIZER_TODOS.receivers() for item in func(event)]


ORGANIZER_TOOLS = Hook(
    "organizer_tools",
    """
    Carries (event, user), a signed-in user. Fired on every organizer page to draw the shared
    organizer navigation and the home's list of tools. A receiver returns [events.organizer.Tool, …]
    of its app's organizer pages that this user may open ([] for anyone else), and must not query
    the database. Order: by `order` (the agenda builder 15, ticketing's door and badge tools 20).
    """,
    via="collect_organizer_tools",
    fired_by=["events.organizer.tools"],
    ordered=True,
)
organizer_tools = ordered_decorator(ORGANIZER_TOOLS)


def collect_organizer_tools(event, user):
    return [item for func in ORGANIZER_TOOLS.receivers() for item in func(event, user)]


# --- Personal data (Law 91/2025/QH15, Decree 356/2025) ----------------------------

PERSONAL_DATA_SECTIONS = Hook(
    "personal_data_sections",
    """
    Carries (participant). Fired when the participant downloads their data (JSON and PDF). A receiver
    returns (key, translated title, rows) with rows a list of JSON-ready dicts, or None; it lists only
    this participant's own data, never another person's. Order: by `order` (ticketing 20-29,
    agenda 30-39).
    """,
    via="personal_data_sections",
    fired_by=["events.privacy.personal_data"],
    ordered=True,
)
personal_data_section = ordered_decorator(PERSONAL_DATA_SECTIONS)


def personal_data_sections(participant):
    sections = (func(participant) for func in PERSONAL_DATA_SECTIONS.receivers())
    return [section for section in sections if section]


PERSONAL_DATA_ERASERS = Hook(
    "personal_data_erasers",
    """
    Carries (participant), the participant row already blanked. Fired inside the erasure's
    transaction (a request with nothing to check, an organizer's completion, the retention job). A
    receiver blanks or deletes what its app keeps about that person (badges, order names,
    reservations) and gives back what they held (seats). Order: connection order.
    """,
    via="run_personal_data_erasers",
    fired_by=["events.privacy.erase_participant"],
)


def personal_data_eraser(func):
    return PERSONAL_DATA_ERASERS.connect(func)


def run_personal_data_erasers(participant):
    for func in PERSONAL_DATA_ERASERS.receivers():
        func(participant)


ERASURE_BLOCKERS = Hook(
    "erasure_blockers",
    """
    Carries (participant). Fired when the participant asks to be erased. A receiver returns
    [translated reason, …] why the erasure must wait for an organizer (paid orders), [] for none.
    Order: connection order.
    """,
    via="erasure_blockers",
    fired_by=["events.privacy.request_erasure"],
)


def erasure_blocker(func):
    return ERASURE_BLOCKERS.connect(func)


def erasure_blockers(participant):
    return [reason for func in ERASURE_BLOCKERS.receivers() for reason in func(participant)]


# --- Doors and the signing kiosk -------------------------------------------------

BADGE_RESOLVER = Hook(
    "badge_resolver",
    """
    Carries (code), a scanned badge code. Fired by the signing kiosk and the meeting area's desk to
    find whose badge it is: badge codes belong to ticketing, the kiosk to events, the desk to
    sessions. The one receiver returns the Participant whose current badge that is (signature and
    version checked), or None.
    """,
    via="resolve_badge",
    fired_by=["events.declarations.views.kiosk", "sessions.meetings.desk.check_in"],
    single=True,
)


def register_badge_resolver(func):
    return BADGE_RESOLVER.connect(func)


def resolve_badge(code):
    """The participant a scanned badge code belongs to, or None (also when no resolver is connected)."""
    funcs = BADGE_RESOLVER.receivers()
    return funcs[0](code) if funcs and code else None


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


SESSION_DOOR = Hook(
    "session_door",
    """
    Carries (session_id, participant_id). Fired by ticketing's check-in at a session's door: seats
    and reservations belong to sessions, which ticketing may not import. The one receiver returns a
    SessionDoor, or None when there is no such session.
    """,
    via="session_door",
    fired_by=["ticketing.services.checkin._insert_at_door"],
    single=True,
)


def register_session_door(func):
    return SESSION_DOOR.connect(func)


def session_door(session_id, participant_id):
    """The door of an agenda session for one participant, or None (also when no receiver is connected)."""
    funcs = SESSION_DOOR.receivers()
    return funcs[0](session_id, participant_id) if funcs else None


# --- An event's dates ------------------------------------------------------------
@dataclass(frozen=True)
class SessionDoorChoice:
    """A session a scanner can stand at the door of: its id, title (in the request's language), start and room."""

    session_id: int
    title: str
    starts_at: object
    room: str


SESSION_DOORS = Hook(
    "session_doors",
    """
    Carries (event). Fired when the scanner page lists what a device can stand at: sessions belong to
    the agenda, which ticketing may not import. The one receiver returns [SessionDoorChoice, …] of
    the event's sessions whose door a scanner can keep, in start order.
    """,
    via="session_doors",
    fired_by=["ticketing.selectors.scanner_doors"],
    single=True,
)


def register_session_doors(func):
    return SESSION_DOORS.connect(func)


def session_doors(event):
    """The sessions of an event a scanner can choose as its door (none without a receiver)."""
    funcs = SESSION_DOORS.receivers()
    return funcs[0](event) if funcs else []


EVENT_MOVED = Hook(
    "event_moved",
    """
    Carries (event, days): the event, whose dates already moved by `days` whole days. Fired by
    events.services.move_event inside its transaction (`manage.py seed_demo` moves the door
    rehearsal to today with it). A receiver moves what its app dates for that event, or voids
    what belonged to the old dates: ticketing undoes admissions made before the new doors open,
    sessions moves the agenda and publishes it again. Order: connection order (installed apps).
    """,
    via="run_event_moved",
    fired_by=["events.services.move_event"],
)


def on_event_moved(func):
    return EVENT_MOVED.connect(func)


def run_event_moved(event, days):
    for func in EVENT_MOVED.receivers():
        func(event, days)


# --- Demo data -------------------------------------------------------------------

DEMO_SEEDERS = Hook(
    "demo_seeders",
    """
    Carries (event), a new demo event: the conference, then the door rehearsal held today. Fired
    by `manage.py seed_demo` once per event, when it creates it. A receiver adds its app's demo
    data for that event (an event whose doors are open now gets what a door needs) and must be
    idempotent (seed_demo runs at every `run.sh start`).
    Order: by `order` (tickets 20, agenda 30, declarations 70).
    """,
    via="run_demo_seeders",
    fired_by=[
        "events.management.commands.seed_demo.Command.handle",
        "events.management.commands.seed_demo.Command._rehearsal",
    ],
    ordered=True,
)
demo_seeder = ordered_decorator(DEMO_SEEDERS)


def run_demo_seeders(event, stdout=None):
    for func in DEMO_SEEDERS.receivers():
        func(event)
        if stdout is not None:
            stdout.write(f"  seeded {func.__module__}.{func.__name__}")

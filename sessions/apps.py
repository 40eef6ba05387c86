from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    # django.contrib.sessions owns the label "sessions"; every label-taking
    # command and string foreign key uses "agenda" ("agenda.Session").
    name = "sessions"
    label = "agenda"
    verbose_name = _("Agenda")

    def ready(self):
        from events.extensions import (
            demo_seeder,
            event_link,
            on_event_moved,
            organizer_todos,
            organizer_tools,
            personal_panel,
            recipient_filter,
            register_session_door,
            register_session_doors,
            reminder_attachment,
        )

        from . import (
            mailing,
            organizer,
            privacy,  # noqa: F401 (registers personal data sections)
        )
        from .demo import seed_agenda
        from .selectors import session_door, session_doors
        from .services import move_sessions
        from .views import personal_panel as agenda_panel

        personal_panel(order=30)(agenda_panel)
        demo_seeder(order=30)(seed_agenda)
        on_event_moved(move_sessions)  # events.services.move_event: the agenda keeps its clock
        event_link(order=10)(agenda_link)
        register_session_door(session_door)  # ticketing's session check-in asks through events
        register_session_doors(session_doors)  # the scanner page lists them as doors to choose
        recipient_filter("session", label=mailing.LABEL, choices=mailing.session_choices, order=30)(
            mailing.filter_by_session
        )
        reminder_attachment(mailing.agenda_attachment)
        organizer_todos(order=30)(organizer.todos)
        organizer_tools(order=15)(organizer.tools)  # the builder before ticketing's door tools
        register_floor_privacy()
        register_meetings(personal_panel, organizer_tools)


def register_meetings(personal_panel, organizer_tools):
    """Connect (sessions/meetings/): the personal page's panel, the organizer home, the desk, personal data."""
    from events.extensions import organizer_headlines, staff_link

    from .meetings import organizer as meetings_organizer
    from .meetings import privacy  # noqa: F401 (registers personal data sections and the eraser)
    from .meetings.views import personal_panel as meetings_panel

    personal_panel(order=35)(meetings_panel)  # after "My agenda" (30), before declarations (40)
    organizer_tools(order=16)(meetings_organizer.tools)  # beside the agenda builder
    organizer_headlines(order=35)(meetings_organizer.headlines)  # no-shows, after ticketing's (20)
    staff_link(order=40)(meetings_organizer.staff_links)  # the meeting desk, after ticketing's door (30)


def register_floor_privacy():
    """The roundtable floor's sections of the data export and its eraser register on import."""
    from .floor import privacy  # noqa: F401


def agenda_link(event):
    return [(gettext("Agenda"), reverse("agenda:agenda", args=[event.slug]))]

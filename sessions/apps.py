from django.apps import AppConfig
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
            personal_panel,
            recipient_filter,
            register_session_door,
            reminder_attachment,
        )

        from . import mailing

        from . import privacy  # noqa: F401 (registers personal data sections)
        from .demo import seed_agenda
        from .selectors import session_door
        from .views import personal_panel as agenda_panel

        personal_panel(order=30)(agenda_panel)
        demo_seeder(order=30)(seed_agenda)
        event_link(order=10)(agenda_link)
        register_session_door(session_door)  # ticketing's session check-in asks through events
        recipient_filter("session", label=mailing.LABEL, choices=mailing.session_choices, order=30)(
            mailing.filter_by_session
        )
        reminder_attachment(mailing.agenda_attachment)


def agenda_link(event):
    from django.urls import reverse
    from django.utils.translation import gettext as _

    return [(_("Agenda"), reverse("agenda:agenda", args=[event.slug]))]

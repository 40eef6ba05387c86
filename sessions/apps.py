from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    # django.contrib.sessions owns the label "sessions"; every label-taking
    # command and string foreign key uses "agenda" ("agenda.Session").
    name = "sessions"
    label = "agenda"
    verbose_name = _("Agenda")

    def ready(self):
        from events.extensions import demo_seeder, personal_panel

        from .demo import seed_agenda
        from .views import personal_panel as agenda_panel

        personal_panel(order=30)(agenda_panel)
        demo_seeder(order=30)(seed_agenda)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    # django.contrib.sessions owns the label "sessions"; every label-taking
    # command and string foreign key uses "agenda" ("agenda.Session").
    name = "sessions"
    label = "agenda"
    verbose_name = _("Agenda")

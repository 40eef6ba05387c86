from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from .api import api
from .health import health

admin.site.site_header = "Hội nghị KOL toàn quốc"
admin.site.site_title = "Hội nghị KOL toàn quốc"

urlpatterns = [
    path("health", health, name="health"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("ticketing.urls")),
    path("e/<slug:slug>/agenda/", include("sessions.urls")),
    path("", include("events.declarations.urls")),
    path("", include("events.campaigns.urls")),
    path("", include("events.urls")),
]

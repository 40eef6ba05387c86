from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from . import staff
from .api import api
from .health import health

staff_patterns = (
    [
        path("", staff.StaffSignInView.as_view(), name="sign_in"),
        path("home/", staff.home, name="home"),
        path("events/", staff.staff_events, name="events"),
        path("sign-out/", staff.sign_out, name="sign_out"),
    ],
    "staff",
)

admin.site.site_header = "Hội nghị KOL toàn quốc"
admin.site.site_title = "Hội nghị KOL toàn quốc"

urlpatterns = [
    path("health", health, name="health"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("staff/", include(staff_patterns)),
    path("kiosk/login/", staff.kiosk_sign_in, name="kiosk_login"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("ticketing.urls")),
    path("e/<slug:slug>/agenda/", include("sessions.urls")),
    path("", include("events.declarations.urls")),
    path("", include("events.campaigns.urls")),
    path("", include("events.urls")),
]

# Under /api/ these answer JSON in the API's error contract (conference/error_views.py).
handler400 = "conference.error_views.bad_request"
handler403 = "conference.error_views.permission_denied"
handler404 = "conference.error_views.page_not_found"
handler500 = "conference.error_views.server_error"

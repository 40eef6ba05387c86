"""Agenda pages, included per event at e/<slug>/agenda/ by conference.urls."""

from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("changes/", views.changes, name="changes"),
    path("tracks.css", views.track_styles, name="track_styles"),
    path("s/<int:pk>/", views.session_detail, name="session"),
    path("s/<int:pk>/bookmark/", views.bookmark, name="bookmark"),
    path("s/<int:pk>/unbookmark/", views.unbookmark, name="unbookmark"),
    path("s/<int:pk>/reserve/", views.reserve, name="reserve"),
    path("s/<int:pk>/cancel-reservation/", views.cancel_reservation, name="cancel_reservation"),
    path("agenda.ics", views.calendar_all, name="calendar"),
    path("room/<int:room_id>.ics", views.calendar_room, name="calendar_room"),
    path("track/<slug:track_slug>.ics", views.calendar_track, name="calendar_track"),
    path("me/<str:token>.ics", views.calendar_personal, name="calendar_personal"),
    path("schedule.xml", views.frab_xml, name="frab_xml"),
    path("schedule.json", views.frab_json, name="frab_json"),
    path("builder/", views.builder, name="builder"),
]

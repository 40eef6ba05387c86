"""Agenda pages, included per event at e/<slug>/agenda/ by conference.urls."""

from django.urls import path

from . import views
from .floor import views as floor
from .meetings import desk_views, report_views
from .meetings import views as meetings

app_name = "agenda"

urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("changes/", views.changes, name="changes"),
    path("tracks.css", views.track_styles, name="track_styles"),
    path("s/<int:pk>/", views.session_detail, name="session"),
    path("s/<int:pk>.ics", views.calendar_session, name="calendar_session"),
    path("people/<int:pk>/", views.person, name="person"),
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
    # The open roundtable live (sessions/floor/)
    path("s/<int:pk>/floor/", floor.floor, name="floor"),
    path("s/<int:pk>/floor/live/", floor.floor_live, name="floor_live"),
    path("s/<int:pk>/floor/ask/", floor.floor_ask, name="floor_ask"),
    path("s/<int:pk>/floor/q/<int:question_id>/vote/", floor.floor_vote, name="floor_vote"),
    path("s/<int:pk>/floor/q/<int:question_id>/unvote/", floor.floor_unvote, name="floor_unvote"),
    path("s/<int:pk>/floor/poll/<int:poll_id>/answer/", floor.floor_answer_poll, name="floor_answer_poll"),
    path("s/<int:pk>/floor/feedback/", floor.floor_feedback, name="floor_feedback"),
    path("s/<int:pk>/feedback/", floor.feedback, name="floor_feedback_read"),
    path("s/<int:pk>/moderate/", floor.moderate, name="floor_moderate"),
    path("s/<int:pk>/moderate/live/", floor.moderate_live, name="floor_moderate_live"),
    path("s/<int:pk>/moderate/q/<int:question_id>/", floor.moderate_question, name="floor_moderate_question"),
    path("s/<int:pk>/moderate/q/<int:question_id>/block/", floor.moderate_block, name="floor_block"),
    path("s/<int:pk>/moderate/questions-open/", floor.moderate_questions_open, name="floor_questions_open"),
    path("s/<int:pk>/moderate/polls/", floor.poll_create, name="floor_poll_create"),
    path("s/<int:pk>/moderate/polls/<int:poll_id>/open/", floor.poll_open, name="floor_poll_open"),
    path("s/<int:pk>/moderate/polls/<int:poll_id>/close/", floor.poll_close, name="floor_poll_close"),
    path("s/<int:pk>/moderate/export.<str:fmt>", floor.export, name="floor_export"),
    path("s/<int:pk>/wall/<str:wall_token>/", floor.wall_page, name="floor_wall"),
    path("s/<int:pk>/wall/<str:wall_token>/live/", floor.wall_live, name="floor_wall_live"),
    # Connect: one-to-one meetings (sessions/meetings/)
    path("meetings/", meetings.directory, name="meetings"),
    path("meetings/profile/", meetings.profile_edit, name="meetings_profile"),
    path("meetings/profile/hide/", meetings.profile_hide, name="meetings_profile_hide"),
    path("meetings/p/<int:participant_id>/", meetings.profile_detail, name="meetings_person"),
    path("meetings/p/<int:participant_id>/request/", meetings.request_meeting, name="meetings_request"),
    path("meetings/mine/", meetings.mine, name="meetings_mine"),
    path("meetings/r/<int:request_id>/accept/", meetings.accept, name="meetings_accept"),
    path("meetings/r/<int:request_id>/decline/", meetings.decline, name="meetings_decline"),
    path("meetings/r/<int:request_id>/cancel/", meetings.cancel, name="meetings_cancel"),
    path("meetings/desk/", desk_views.meeting_desk, name="meetings_desk"),
    path("meetings/report/", report_views.meetings_report, name="meetings_report"),
    path("meetings/report.<str:fmt>", report_views.meetings_export, name="meetings_export"),
]

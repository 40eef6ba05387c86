"""Agenda pages: public agenda and session pages, exports, the attendee's own choices, the organizers' builder."""

import re
from datetime import date

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core import signing
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import links, permissions
from events import selectors as event_selectors
from events.errors import DomainError, NotFound
from events.models import Participant

from . import exports, selectors, services
from .agenda import Agenda
from .enums import PersonRole, SessionFormat, SessionLanguage
from .models import Session

CALENDAR_SALT = "agenda.personal-calendar"
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _agenda(slug):
    event = event_selectors.public_event(slug)
    try:
        return event, selectors.published_agenda(event)
    except NotFound:
        raise Http404


def agenda(request, slug):
    event = event_selectors.public_event(slug)
    try:
        published = selectors.published_agenda(event)
    except NotFound:
        return render(request, "agenda/not_published.html", {"event": event}, status=404)
    day = _day(request.GET.get("day"), published.days)
    room = published.room(_int(request.GET.get("room")))
    track = published.track(request.GET.get("track", ""))
    search = request.GET.get("q", "")[:100]
    sessions = published.select(day=None if (search or room or track) else day, room=room, track=track, search=search)
    participant = links.current_participant(request, event)
    bookmarks, reservations = selectors.personal_choices(participant) if participant else (set(), {})
    context = {
        "event": event,
        "agenda": published,
        "day": day,
        "room": room,
        "track": track,
        "search": search,
        "sessions": sessions,
        "seats": selectors.seats(event),
        "bookmarks": bookmarks,
        "reservations": reservations,
        "participant": participant,
    }
    return render(request, "agenda/agenda.html", context)


def _day(value, days):
    try:
        chosen = date.fromisoformat(value or "")
    except ValueError:
        chosen = None
    return chosen if chosen in days else (days[0] if days else None)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def session_detail(request, slug, pk):
    event, published = _agenda(slug)
    session = published.session(pk)
    if session is None:
        raise Http404
    participant = links.current_participant(request, event)
    bookmarks, reservations = selectors.personal_choices(participant) if participant else (set(), {})
    context = {
        "event": event,
        "agenda": published,
        "session": session,
        "seats_left": _seats_left(selectors.seats(event), session),
        "participant": participant,
        "bookmarked": session.id in bookmarks,
        "reservation": reservations.get(session.id),
    }
    return render(request, "agenda/session.html", context)


def _seats_left(seats, session):
    capacity, taken = seats.get(session.id, (session.capacity or 0, 0))
    return max(capacity - taken, 0)


def personal_panel(request, participant):
    """The "My agenda" panel on the personal page (registered in AgendaConfig.ready)."""
    event = participant.event
    published = selectors.latest_publication(event)
    entries = []
    if published is not None:
        entries = selectors.personal_agenda(Agenda.from_publication(published), participant)
    path = reverse(
        "agenda:calendar_personal", kwargs={"slug": event.slug, "token": personal_calendar_token(participant)}
    )
    calendar_url = request.build_absolute_uri(path)
    context = {
        "event": event,
        "published": published,
        "entries": entries,
        "calendar_url": calendar_url,
        # webcal:// makes phones and desktop calendars offer "subscribe" rather than a one-off import.
        "webcal_url": "webcal://" + calendar_url.split("://", 1)[1],
    }
    return render_to_string("agenda/_personal_panel.html", context, request=request)


def track_styles(request, slug):
    """The published tracks' colours as CSS classes, so pages need no inline style (strict CSP)."""
    _event, published = _agenda(slug)
    rules = [f".track-{t.id} {{ --track: {t.color}; }}" for t in published.tracks if HEX_COLOUR.fullmatch(t.color)]
    response = HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def changes(request, slug):
    """Every published version with its readable changelog, newest first."""
    event = event_selectors.public_event(slug)
    versions = selectors.publications(event)
    return render(request, "agenda/changes.html", {"event": event, "versions": versions})


def _personal_action(request, slug, pk, action, done):
    event = event_selectors.public_event(slug)
    participant = links.current_participant(request, event)
    if participant is None:
        return redirect("events:personal_page", slug=slug)
    session = Session.objects.filter(pk=pk, event=event).first()
    if session is None:
        raise Http404
    try:
        action(session=session, participant=participant)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = reverse("agenda:session", kwargs={"slug": slug, "pk": pk})
    return redirect(target)


@require_POST
def bookmark(request, slug, pk):
    return _personal_action(request, slug, pk, services.bookmark_session, _("Added to your agenda."))


@require_POST
def unbookmark(request, slug, pk):
    return _personal_action(request, slug, pk, services.remove_bookmark, _("Removed from your agenda."))


@require_POST
def reserve(request, slug, pk):
    return _personal_action(request, slug, pk, services.reserve_seat, _("Your reservation is saved."))


@require_POST
def cancel_reservation(request, slug, pk):
    return _personal_action(request, slug, pk, services.cancel_reservation, _("Your reservation is cancelled."))


def _calendar_response(request, event, published, sessions, name, filename):
    with translation.override(request.GET.get("lang") if request.GET.get("lang") in ("vi", "en") else None):
        body = exports.icalendar(published, event=event, sessions=sessions, name=name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def calendar_all(request, slug):
    event, published = _agenda(slug)
    return _calendar_response(request, event, published, published.sessions, event.name, f"{slug}.ics")


def calendar_room(request, slug, room_id):
    event, published = _agenda(slug)
    room = published.room(room_id)
    if room is None:
        raise Http404
    sessions = published.select(room=room)
    return _calendar_response(request, event, published, sessions, f"{event.name} · {room.name}", f"room-{room_id}.ics")


def calendar_track(request, slug, track_slug):
    event, published = _agenda(slug)
    track = published.track(track_slug)
    if track is None:
        raise Http404
    sessions = published.select(track=track)
    return _calendar_response(request, event, published, sessions, f"{event.name} · {track.name}", f"{track_slug}.ics")


def personal_calendar_token(participant):
    """The secret in a personal calendar address: signed, so it cannot be guessed or altered."""
    return signing.Signer(salt=CALENDAR_SALT).sign(str(participant.pk))


def calendar_personal(request, slug, token):
    event, published = _agenda(slug)
    try:
        pk = signing.Signer(salt=CALENDAR_SALT).unsign(token)
    except signing.BadSignature:
        raise Http404
    participant = Participant.objects.filter(pk=pk, event=event).first()
    if participant is None:
        raise Http404
    sessions = selectors.calendar_sessions(published, participant)
    with translation.override(participant.language):
        name = _("My agenda") + f" · {event.name}"
    return _calendar_response(request, event, published, sessions, name, "my-agenda.ics")


def frab_xml(request, slug):
    event, published = _agenda(slug)
    return HttpResponse(exports.frab_xml(published, event=event), content_type="application/xml; charset=utf-8")


def frab_json(request, slug):
    event, published = _agenda(slug)
    return JsonResponse(exports.frab_json(published, event=event), json_dumps_params={"ensure_ascii": False})


@staff_member_required
def builder(request, slug):
    if not permissions.is_organizer(request.user):
        raise Http404
    event = event_selectors.event_for_staff(slug)
    context = {
        "event": event,
        "latest": selectors.latest_publication(event),
        "formats": SessionFormat.choices,
        "session_languages": SessionLanguage.choices,
        "roles": PersonRole.choices,
        "participants": selectors.speaker_choices(event),
        "messages_js": {
            "roles": {value: str(label) for value, label in PersonRole.choices},
            "saved": _("Saved."),
            "published": _("Published version %(number)s."),
            "conflictsLive": _("This position conflicts with the agenda."),
            "failed": _("Could not save. Try again."),
            "noTrack": _("No track"),
            "confirmDelete": _("Remove this session from the draft?"),
            "person": _("Person"),
            "role": _("Role"),
            "remove": _("Remove"),
            "pending": _("not approved"),
        },
    }
    return render(request, "agenda/builder.html", context)

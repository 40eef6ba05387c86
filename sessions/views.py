"""Agenda pages: public agenda and session pages, exports, the attendee's own choices, the organizers' builder."""

import re
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import links, organizer, permissions
from events import selectors as event_selectors
from events.errors import DomainError, NotFound
from events.models import Participant

from . import exports, selectors, services
from .agenda import Agenda
from .enums import PersonRole, ReservationStatus, SessionFormat, SessionLanguage
from .grid import day_grid
from .meetings import selectors as meeting_selectors
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
    view = "grid" if request.GET.get("view") == "grid" else "list"
    context = {
        "event": event,
        "agenda": published,
        "view": view,
        # The grid is one day's; a search or filter narrows that day instead of listing every day.
        "grid": day_grid([s for s in sessions if s.day == day], published.rooms) if view == "grid" else None,
        "day": day,
        "positions": selectors.waitlist_positions(participant) if reservations else {},
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
        "waitlist_position": selectors.waitlist_positions(participant).get(session.id) if reservations else None,
    }
    return render(request, "agenda/session.html", context)


def person(request, slug, pk):
    """A speaker's or moderator's page: who they are and their sessions on the published agenda."""
    event, published = _agenda(slug)
    found = published.person(pk)
    if found is None:
        raise Http404
    who, appearances = found
    return render(request, "agenda/person.html", {"event": event, "person": who, "appearances": appearances})


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
        result = action(session=session, participant=participant)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done(result) if callable(done) else done)
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
    return _personal_action(request, slug, pk, services.reserve_seat, _reserved_message)


def _reserved_message(reservation):
    # Joining a full session's waitlist must not read as a reserved seat.
    if reservation.status == ReservationStatus.CONFIRMED:
        return _("Your seat is reserved.")
    position = selectors.waitlist_positions(reservation.participant).get(reservation.session_id)
    return _(
        "The session is full: you are number %(position)s on the waitlist. We will e-mail you if a seat frees up."
    ) % {"position": position}


@require_POST
def cancel_reservation(request, slug, pk):
    return _personal_action(request, slug, pk, services.cancel_reservation, _("Your reservation is cancelled."))


def _feed_language(request):
    """A feed speaks the language of the page that linked it (its ?lang=), Vietnamese when none is given.

    Calendar apps and conference apps fetch feeds without the visitor's cookie or
    Accept-Language, so the request's own language would be an accident of the client.
    """
    asked = request.GET.get("lang")
    return asked if asked in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _calendar_response(request, event, published, sessions, name, filename, *, language=None, meetings=()):
    """`name` is a function, called in the feed's language like the body (calendar apps show it as the title)."""
    with translation.override(language or _feed_language(request)):
        body = exports.icalendar(published, event=event, sessions=sessions, name=name(), meetings=meetings)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def calendar_all(request, slug):
    event, published = _agenda(slug)
    return _calendar_response(request, event, published, published.sessions, lambda: event.name, f"{slug}.ics")


def calendar_session(request, slug, pk):
    event, published = _agenda(slug)
    session = published.session(pk)
    if session is None:
        raise Http404
    return _calendar_response(request, event, published, [session], lambda: session.title, f"session-{pk}.ics")


def calendar_room(request, slug, room_id):
    event, published = _agenda(slug)
    room = published.room(room_id)
    if room is None:
        raise Http404
    sessions = published.select(room=room)
    filename = f"room-{room_id}.ics"
    return _calendar_response(request, event, published, sessions, lambda: f"{event.name} · {room.name}", filename)


def calendar_track(request, slug, track_slug):
    event, published = _agenda(slug)
    track = published.track(track_slug)
    if track is None:
        raise Http404
    sessions = published.select(track=track)
    filename = f"{track_slug}.ics"
    return _calendar_response(request, event, published, sessions, lambda: f"{event.name} · {track.name}", filename)


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
    language = participant.language  # a subscription is fetched for months: the person's own language
    title = lambda: _("My agenda") + f" · {event.name}"  # noqa: E731 (evaluated in the person's language)
    meetings = meeting_selectors.calendar_meetings(participant)
    return _calendar_response(
        request, event, published, sessions, title, "my-agenda.ics", language=language, meetings=meetings
    )


def frab_xml(request, slug):
    event, published = _agenda(slug)
    with translation.override(_feed_language(request)):
        body = exports.frab_xml(published, event=event)
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


def frab_json(request, slug):
    event, published = _agenda(slug)
    with translation.override(_feed_language(request)):
        body = exports.frab_json(published, event=event)
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@login_required
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
        # Day tabs as people read them ("Thứ 7 14/8"), formatted here in the page's language.
        "day_labels": {day.isoformat(): formats.date_format(day, "D j/n") for day in _event_days(event)},
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
            "publishConfirm": _(
                "Publish the draft as the public agenda? Everyone sees it at once, "
                "and people on moved or cancelled sessions are e-mailed."
            ),
            "publishConflicts": _("Conflicts still saved in the draft (%(count)s):"),
            "publishClean": _("No conflicts in the draft."),
        },
    }
    context.update(organizer.navigation(event, request.user, "agenda_builder"))
    return render(request, "agenda/builder.html", context)


def _event_days(event):
    return [event.start_date + timedelta(days=n) for n in range((event.end_date - event.start_date).days + 1)]

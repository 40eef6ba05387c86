"""The roundtable's pages: the phone (floor), the moderator's queue, the projector wall, and their POSTs.

Live updates are short polls of a `live/` address with If-None-Match: the ETag
is the floor's version (with the viewer and language), so an unchanged floor
costs one indexed read and a 304, and any app server answers it. Why polling
rather than SSE or WebSockets: see the README, "The open roundtable live".
Forms work without JavaScript (POST, redirect back); floor.js sends them with
fetch and redraws at once.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from events import links
from events import selectors as event_selectors
from events.errors import DomainError

from .. import selectors as agenda_selectors
from ..models import Session
from . import exports, rules, selectors, services, wall

FETCH_HEADER = "HTTP_X_FLOOR"  # floor.js sends "X-Floor: 1" and gets JSON instead of a redirect


def _session(slug, pk):
    """The event and the live, published session, or 404."""
    event = event_selectors.public_event(slug)
    session = Session.objects.filter(pk=pk, event=event, cancelled_at__isnull=True).select_related("room").first()
    if session is None or not agenda_selectors.is_published(session):
        raise Http404
    services.floor_of(session)  # the live/ addresses answer once the floor exists
    return event, session


def _live_session(slug, pk):
    """(event, session, version) for a live/ address, from one query; 404 without a live floor."""
    session = selectors.live_session(slug, pk)
    if session is None:
        raise Http404
    return session.event, session, session.floor.version


def _moderator(request, slug, pk):
    """(event, session, participant) for the session's moderator or an organizer; 404 for anyone else."""
    event, session = _session(slug, pk)
    participant = links.current_participant(request, event)
    if not rules.moderates(session, participant=participant, user=request.user):
        raise Http404
    return event, session, participant


def _done(request, target, message=None, error=None):
    """Answer a POST: JSON to floor.js, else a message and a redirect back to the page."""
    if request.META.get(FETCH_HEADER) == "1":
        if error is not None:
            return JsonResponse({"code": error.code, "message": str(error.message)}, status=error.status)
        return JsonResponse({"ok": True, "message": str(message or "")})
    if error is not None:
        messages.error(request, error.message)
    elif message:
        messages.success(request, message)
    return redirect(target)


def _live(request, etag, render_fragment):
    """The fragment, or 304 when the browser's ETag is the current one (nothing rendered, nothing queried)."""
    etag = f'"{etag}-{translation.get_language()}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(render_fragment())
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


# --- The phone -----------------------------------------------------------------------


def floor(request, slug, pk):
    event, session = _session(slug, pk)
    participant = links.current_participant(request, event)
    context = {
        "event": event,
        "session": session,
        "participant": participant,
        "moderates": rules.moderates(session, participant=participant, user=request.user),
        "sees_feedback": rules.sees_feedback(session, participant=participant, user=request.user),
        "feedback_open": timezone.now() >= session.starts_at,
        "version": selectors.version(session.pk),
        **selectors.audience_view(session, participant),
    }
    return render(request, "agenda/floor/floor.html", context)


@require_GET
def floor_live(request, slug, pk):
    event, session, version = _live_session(slug, pk)
    participant = links.current_participant(request, event)
    etag = f"{version}-p{participant.pk if participant else 0}"

    def fragment():
        context = {"event": event, "session": session, "participant": participant}
        context.update(selectors.audience_view(session, participant))
        return render_to_string("agenda/floor/_audience.html", context, request=request)

    return _live(request, etag, fragment)


def _attendee_post(request, slug, pk, action, message):
    event, session = _session(slug, pk)
    target = reverse("agenda:floor", kwargs={"slug": slug, "pk": pk})
    participant = links.current_participant(request, event)
    if participant is None:
        error = DomainError("sign_in_first", _("Open your personal page link first to take part."))
        error.status = 403
        return _done(request, target, error=error)
    try:
        action(session, participant)
    except DomainError as error:
        return _done(request, target, error=error)
    return _done(request, target, message)


@require_POST
def floor_ask(request, slug, pk):
    def ask(session, participant):
        services.ask_question(
            session=session,
            participant=participant,
            text=request.POST.get("text", ""),
            show_name=request.POST.get("show_name") == "1",
        )

    return _attendee_post(request, slug, pk, ask, _("Sent. The moderator will put it to the room."))


@require_POST
def floor_vote(request, slug, pk, question_id):
    def vote(session, participant):
        services.vote(session=session, participant=participant, question_id=question_id)

    return _attendee_post(request, slug, pk, vote, _("Your vote counts."))


@require_POST
def floor_unvote(request, slug, pk, question_id):
    def unvote(session, participant):
        services.unvote(session=session, participant=participant, question_id=question_id)

    return _attendee_post(request, slug, pk, unvote, _("Vote taken back."))


@require_POST
def floor_answer_poll(request, slug, pk, poll_id):
    def answer(session, participant):
        chosen = [int(v) for v in request.POST.getlist("option") if v.isdigit()][:20]
        services.answer_poll(session=session, participant=participant, poll_id=poll_id, option_ids=chosen)

    return _attendee_post(request, slug, pk, answer, _("Thank you for answering."))


@require_POST
def floor_feedback(request, slug, pk):
    def feedback(session, participant):
        services.leave_feedback(
            session=session,
            participant=participant,
            rating=request.POST.get("rating"),
            comment=request.POST.get("comment", ""),
        )

    return _attendee_post(request, slug, pk, feedback, _("Thank you for your feedback."))


# --- The moderator -------------------------------------------------------------------


def moderate(request, slug, pk):
    event, session, participant = _moderator(request, slug, pk)
    context = {
        "event": event,
        "session": session,
        "wall_url": wall.wall_url(session),
        "is_organizer": rules.sees_feedback(session, user=request.user),
        **selectors.moderation_view(session),
    }
    return render(request, "agenda/floor/moderate.html", context)


@require_GET
def moderate_live(request, slug, pk):
    event, session, version = _live_session(slug, pk)
    if not rules.moderates(session, participant=links.current_participant(request, event), user=request.user):
        raise Http404

    def fragment():
        context = {"event": event, "session": session, **selectors.moderation_view(session)}
        return render_to_string("agenda/floor/_queue.html", context, request=request)

    return _live(request, f"{version}-m", fragment)


def _moderator_post(request, slug, pk, action, message=None):
    event, session, participant = _moderator(request, slug, pk)
    target = reverse("agenda:floor_moderate", kwargs={"slug": slug, "pk": pk})
    try:
        action(session)
    except DomainError as error:
        return _done(request, target, error=error)
    return _done(request, target, message)


@require_POST
def moderate_question(request, slug, pk, question_id):
    def act(session):
        services.moderate_question(session=session, question_id=question_id, action=request.POST.get("action", ""))

    return _moderator_post(request, slug, pk, act)


@require_POST
def moderate_block(request, slug, pk, question_id):
    by = request.user if request.user.is_authenticated else None

    def act(session):
        services.block_sender(session=session, question_id=question_id, by=by)

    return _moderator_post(request, slug, pk, act, _("The sender can no longer post in this session."))


@require_POST
def moderate_questions_open(request, slug, pk):
    def act(session):
        services.set_questions_open(session=session, open=request.POST.get("open") == "1")

    return _moderator_post(request, slug, pk, act)


@require_POST
def poll_create(request, slug, pk):
    def act(session):
        services.create_poll(
            session=session,
            question=request.POST.get("question", ""),
            options=request.POST.get("options", "").splitlines()[:50],
            multiple=request.POST.get("multiple") == "1",
        )

    return _moderator_post(request, slug, pk, act, _("Poll saved. Open it when the room is ready."))


@require_POST
def poll_open(request, slug, pk, poll_id):
    return _moderator_post(request, slug, pk, lambda session: services.open_poll(session=session, poll_id=poll_id))


@require_POST
def poll_close(request, slug, pk, poll_id):
    return _moderator_post(request, slug, pk, lambda session: services.close_poll(session=session, poll_id=poll_id))


def feedback(request, slug, pk):
    """The session's feedback, for organizers and the session's own people."""
    event, session = _session(slug, pk)
    participant = links.current_participant(request, event)
    if not rules.sees_feedback(session, participant=participant, user=request.user):
        raise Http404
    context = {"event": event, "session": session, **selectors.feedback_summary(session)}
    return render(request, "agenda/floor/feedback.html", context)


def export(request, slug, pk, fmt):
    """The record of the roundtable (questions, votes, poll results) as CSV or XLSX: organizers only."""
    event, session = _session(slug, pk)
    if not rules.sees_feedback(session, user=request.user):
        raise Http404
    return exports.response(session, fmt)


# --- The wall ------------------------------------------------------------------------


def wall_page(request, slug, pk, wall_token):
    event, session = _session(slug, pk)
    wall.check(session, wall_token)
    floor_url = request.build_absolute_uri(reverse("agenda:floor", kwargs={"slug": slug, "pk": pk}))
    context = {
        "event": event,
        "session": session,
        "floor_url": floor_url,
        "qr": wall.qr_data_uri(floor_url),
        "wall_token": wall_token,
        **selectors.wall_view(session),
    }
    return render(request, "agenda/floor/wall.html", context)


@require_GET
def wall_live(request, slug, pk, wall_token):
    event, session, version = _live_session(slug, pk)
    wall.check(session, wall_token)

    def fragment():
        context = {"event": event, "session": session, **selectors.wall_view(session)}
        return render_to_string("agenda/floor/_wall.html", context, request=request)

    return _live(request, f"{version}-w", fragment)

"""The meeting pages of a participant signed in by their personal link: directory, profile, requests.

Everyone else is sent to the personal page, which asks for a link. Each view
names who asks (links.current_participant of this event) and calls one service;
domain errors come back as a message in the person's language, never a 500.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import links
from events import selectors as event_selectors
from events.enums import Category, ParticipantStatus
from events.errors import DomainError

from . import profiles, requests, rules, selectors

QUERY_MAX = 100


def _signed_in(request, slug):
    """(event, participant) of the signed-in participant, or (event, None)."""
    event = event_selectors.public_event(slug)
    return event, links.current_participant(request, event)


def _to_personal_page(slug):
    return redirect("events:personal_page", slug=slug)


def directory(request, slug):
    event, participant = _signed_in(request, slug)
    if participant is None:
        return _to_personal_page(slug)
    event_rules = rules.rules_of(event)
    query = request.GET.get("q", "").replace("\x00", "")[:QUERY_MAX]
    category = request.GET.get("category", "")
    context = {
        "event": event,
        "participant": participant,
        "rules": event_rules,
        "takes_part": rules.may_take_part(participant),
        "profiles": selectors.directory(event_rules, participant, query=query, category=category),
        "query": query,
        "category": category,
        "categories": _requestable(event_rules, participant),
    }
    return render(request, "agenda/meetings/directory.html", context)


def _requestable(event_rules, participant):
    """(value, label) of the categories this participant may request, for the directory's filter."""
    if event_rules is None:
        return []
    allowed = rules.requestable_categories(event_rules, participant.category)
    return [(value, label) for value, label in Category.choices if value in allowed]


def profile_edit(request, slug):
    event, participant = _signed_in(request, slug)
    if participant is None:
        return _to_personal_page(slug)
    profile = profiles.profile_of(participant)
    event_rules = rules.rules_of(event)
    status = 200
    if request.method == "POST":
        try:
            profiles.save_profile(
                participant=participant,
                bio=request.POST.get("bio", ""),
                topics=request.POST.get("topics", ""),
                organization=request.POST.get("organization", ""),
                listed=request.POST.get("listed") == "1",
                publish=request.POST.get("publish") == "1",
                consent=request.POST.get("consent") == "1",
            )
        except DomainError as error:
            messages.error(request, error.message)
            status = error.status
        else:
            messages.success(request, _("Your meeting profile is saved."))
            return redirect("agenda:meetings", slug=slug)
    context = {
        "event": event,
        "participant": participant,
        "profile": profile,
        "visible": rules.may_take_part(participant),
        "consent_text": profiles.consent_text(),
        "asks_listed": event_rules is not None and participant.category in event_rules.opt_in_categories,
        "channels": participant.channels.all(),
    }
    return render(request, "agenda/meetings/profile_edit.html", context, status=status)


@require_POST
def profile_hide(request, slug):
    event, participant = _signed_in(request, slug)
    if participant is None:
        return _to_personal_page(slug)
    profiles.hide_profile(participant=participant)
    messages.success(request, _("Your meeting profile is hidden and your consent withdrawn."))
    return redirect("agenda:meetings", slug=slug)


def profile_detail(request, slug, participant_id):
    event, participant = _signed_in(request, slug)
    if participant is None:
        return _to_personal_page(slug)
    profile = selectors.visible_profile(rules.rules_of(event), participant, participant_id)
    if profile is None:
        raise Http404
    context = {
        "event": event,
        "participant": participant,
        "profile": profile,
        "between": selectors.open_request_between(participant, participant_id),
    }
    return render(request, "agenda/meetings/profile.html", context)


def _act(request, slug, action, message, target="agenda:meetings_mine"):
    event, participant = _signed_in(request, slug)
    if participant is None:
        return _to_personal_page(slug)
    try:
        action(participant)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return redirect(target, slug=slug)


@require_POST
def request_meeting(request, slug, participant_id):
    def send(participant):
        requests.send_request(sender=participant, recipient_id=participant_id, message=request.POST.get("message", ""))

    return _act(request, slug, send, _("Your request is sent. You will get an e-mail when it is answered."))


def mine(request, slug):
    event, participant = _signed_in(request, slug)
    if participant is None:
        return _to_personal_page(slug)
    context = {"event": event, "participant": participant, "mine": selectors.my_meetings(participant)}
    return render(request, "agenda/meetings/mine.html", context)


@require_POST
def accept(request, slug, request_id):
    def act(participant):
        requests.accept_request(request_id=request_id, by=participant)

    return _act(request, slug, act, _("Accepted. The meeting is in your list below."))


@require_POST
def decline(request, slug, request_id):
    def act(participant):
        requests.decline_request(request_id=request_id, by=participant)

    return _act(request, slug, act, _("Declined. The sender is told."))


@require_POST
def cancel(request, slug, request_id):
    def act(participant):
        requests.cancel_request(request_id=request_id, by=participant)

    return _act(request, slug, act, _("Cancelled. The other person is told."))


def personal_panel(request, participant):
    """The "Meetings" panel on the personal page: only when the organizers opened meetings."""
    event_rules = rules.rules_of(participant.event)
    if event_rules is None or not event_rules.open or participant.status != ParticipantStatus.APPROVED:
        return None
    context = {
        "event": participant.event,
        "takes_part": rules.may_take_part(participant),
        "mine": selectors.my_meetings(participant),
    }
    return render_to_string("agenda/meetings/_personal_panel.html", context, request=request)

"""Organizer pages for e-mails to participants, and the public one-click opt-out."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from .. import organizer, permissions
from ..enums import CampaignStatus, DeliveryStatus
from ..errors import DomainError
from ..models import Campaign
from ..selectors import event_for_staff
from . import services
from .forms import CampaignForm

LOG_PAGE_SIZE = 100


def organizer_only(view):
    """Anonymous visitors log in first; signed-in users without the organizer role get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.can_send_mail(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _campaign(slug, pk):
    event = event_for_staff(slug)
    return event, get_object_or_404(Campaign.objects.select_related("event", "created_by"), event=event, pk=pk)


@organizer_only
def campaign_list(request, slug):
    event = event_for_staff(slug)
    campaigns = Campaign.objects.filter(event=event).select_related("created_by")
    context = {"event": event, "campaigns": campaigns, **organizer.navigation(event, request.user, "campaigns")}
    return render(request, "events/campaigns/list.html", context)


@organizer_only
@require_http_methods(["GET", "POST"])
def campaign_compose(request, slug, pk=None):
    event = event_for_staff(slug)
    campaign = get_object_or_404(Campaign, event=event, pk=pk) if pk else None
    if campaign is not None and campaign.status != CampaignStatus.DRAFT:
        messages.error(request, _("This e-mail is being sent or was sent; it can no longer change."))
        return redirect("campaigns:detail", slug=slug, pk=campaign.pk)
    form = CampaignForm(request.POST or None, instance=campaign, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.save_draft(
                event=event,
                fields=form.campaign_fields(),
                filters=form.chosen_filters(),
                by=request.user,
                campaign=campaign,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("campaigns:detail", slug=slug, pk=campaign.pk)
    status = 400 if request.method == "POST" else 200
    context = {"event": event, "form": form, "campaign": campaign}
    context.update(organizer.navigation(event, request.user, "campaigns"))
    return render(request, "events/campaigns/compose.html", context, status=status)


@organizer_only
def campaign_detail(request, slug, pk):
    event, campaign = _campaign(slug, pk)
    deliveries = campaign.deliveries.select_related("participant").order_by("pk")
    shown_status = request.GET.get("status", "")
    if shown_status in DeliveryStatus.values:
        deliveries = deliveries.filter(status=shown_status)
    counts = services.progress(campaign)
    context = {
        "event": event,
        "campaign": campaign,
        "counts": counts,
        "count_rows": [(value, label, counts[value]) for value, label in DeliveryStatus.choices],
        "statuses": DeliveryStatus.choices,
        "shown_status": shown_status,
        "log": Paginator(deliveries, LOG_PAGE_SIZE).get_page(request.GET.get("page")),
        "preview": services.preview(campaign) if campaign.status == CampaignStatus.DRAFT else None,
        **organizer.navigation(event, request.user, "campaigns"),
    }
    return render(request, "events/campaigns/detail.html", context)


@organizer_only
def campaign_progress(request, slug, pk):
    """The counts the detail page polls while a job sends."""
    _event, campaign = _campaign(slug, pk)
    return JsonResponse({"status": campaign.status, "counts": services.progress(campaign)})


@organizer_only
@require_POST
def campaign_send(request, slug, pk):
    _event, campaign = _campaign(slug, pk)
    return _act(request, campaign, services.start_sending, _("Sending has started."))


@organizer_only
@require_POST
def campaign_retry(request, slug, pk):
    _event, campaign = _campaign(slug, pk)
    return _act(request, campaign, services.retry_failed, _("The failed deliveries are being sent again."))


@organizer_only
@require_POST
def campaign_release(request, slug, pk):
    _event, campaign = _campaign(slug, pk)
    done = _("The interrupted deliveries are marked failed: retry them to send again.")
    return _act(request, campaign, services.release_interrupted, done)


def _act(request, campaign, action, done):
    try:
        action(campaign)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("campaigns:detail", slug=campaign.event.slug, pk=campaign.pk)


# RFC 8058: mail clients POST the one-click opt-out without a CSRF token; the signed link is the credential.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def opt_out(request, token):
    """GET asks to confirm (link scanners open links without meaning it); POST records the opt-out."""
    try:
        participant = services.participant_from_opt_out_token(token)
    except DomainError as error:
        return render(request, "events/campaigns/opt_out.html", {"error": error.message}, status=400)
    done = request.method == "POST"
    if done:
        services.opt_out(participant)
    return render(request, "events/campaigns/opt_out.html", {"participant": participant, "done": done})

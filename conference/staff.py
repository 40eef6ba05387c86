"""The one staff sign-in: door staff, door supervisors, kiosk staff and organizers, each sent where they work.

This lives on the top floor because it sends people to pages of every app:
organizers to their event's organizer home (events), door roles to the
scanner (ticketing). The kiosk's old address /kiosk/login/ forwards here.

Landing after sign-in, in order:
1. a safe `next=` (same host, see Django's url_has_allowed_host_and_scheme);
2. organizers: the organizer home of the one current event (/e/<slug>/manage/);
3. door roles: the scanner of the one current event (the scanner asks for its gate);
4. several current events: a picker (staff:events) with each event's pages for that person.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from events import extensions, permissions
from events import selectors as event_selectors


def is_staff_member(user):
    """Holds a staff role: organizer, door staff, door supervisor (or superuser)."""
    return permissions.is_organizer(user) or bool(permissions.permissions_of(user))


class StaffSignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy("Wrong user name or password. Both are case-sensitive."),
        "no_role": gettext_lazy("This account has no staff role at the conference. Ask an organizer to give you one."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not is_staff_member(user):
            raise forms.ValidationError(self.error_messages["no_role"], code="no_role")


def event_pages(event, user):
    """[(label, url)] of one event's pages this staff member works on, the main one first."""
    pages = []
    if permissions.is_organizer(user):
        pages.append((_("Organizer home"), reverse("events:organizer_home", args=[event.slug])))
    if permissions.is_door_staff(user):
        pages.append((_("Door check-in"), reverse("ticketing:scanner", args=[event.slug])))
    if permissions.can_run_signing_kiosk(user):
        pages.append((_("Signing kiosk"), reverse("declarations:kiosk_index", args=[event.slug])))
    # Then the apps' staff pages (events.extensions.STAFF_LINKS: the meeting desk, live arrivals), once each.
    listed = {url for _label, url in pages}
    return pages + [(label, url) for label, url in extensions.staff_links(event, user) if url not in listed]


def landing_url(user):
    """Where a signed-in staff member starts: their one event's main page, else the event picker."""
    events = event_selectors.events_for_staff()
    if len(events) == 1:
        pages = event_pages(events[0], user)
        if pages:
            return pages[0][1]
    return reverse("staff:events")


class StaffSignInView(auth_views.LoginView):
    """The staff sign-in page; lockout and rate limits apply by its URL name (conference.security)."""

    template_name = "staff/sign_in.html"
    authentication_form = StaffSignInForm

    def get(self, request, *args, **kwargs):
        # Signed in with a `next` it was sent back from: that account may not open it, so offer
        # another sign-in instead of redirecting (which would loop).
        if is_staff_member(request.user) and not self.get_redirect_url():
            return redirect(self.get_default_redirect_url())
        return super().get(request, *args, **kwargs)

    def get_default_redirect_url(self):
        return landing_url(self.request.user)


@login_required
def home(request):
    """The staff nav's home link: where this person starts (see landing_url)."""
    return redirect(landing_url(request.user))


@login_required
def staff_events(request):
    """The events a staff member may work on today, each with the pages for their roles."""
    if not is_staff_member(request.user):
        return redirect("staff:sign_in")
    rows = [(event, event_pages(event, request.user)) for event in event_selectors.events_for_staff()]
    return render(request, "staff/events.html", {"rows": rows})


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("staff:sign_in")


def kiosk_sign_in(request):
    """The signing kiosk's old sign-in address: the one staff sign-in, keeping `next`."""
    query = request.GET.urlencode()
    return redirect(reverse("staff:sign_in") + (f"?{query}" if query else ""))

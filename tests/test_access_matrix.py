"""Every URL and every API operation, asked by every kind of caller, answers exactly what the table allows.

Callers (ACTORS): anonymous; an attendee holding a magic-link session for
participant A; door staff; a door supervisor; an organizer; and for the API
also one bearer token per scope in events.permissions.TOKEN_SCOPES (each token
belongs to an organizer, so only its scope limits it).

The walk discovers endpoints itself (django.urls resolver, recursively; the
OpenAPI schema of conference.api.api), so an endpoint missing from URLS or
API_OPERATIONS fails test_every_endpoint_declares_its_access: a new endpoint
must say who may use it.

HOW TO ADD A ROW
    HTML page, keyed by "namespace:url_name":
        URLS["checkin:arrivals"] = expect("GET", denied=302, door=200, supervisor=200, organizer=200)
    API operation, keyed by its operationId in /api/v1/openapi.json:
        API_OPERATIONS["search_participants"] = expect(
            "GET", denied=401, door=200, supervisor=200, organizer=200, tokens={SCAN: 200})

    expect(method, denied=<status for everyone not named>, <actor>=<status>, ...,
           tokens={<scope>: <status>}, token_denied=<status for tokens with other scopes, default 403>)
    Actors: anon, attendee, door, supervisor, organizer. The status is the exact
    code the caller gets for a request with real objects in the URL and an empty
    body (so an allowed POST may answer 400/422: it got past the permission check;
    a refused one answers 401/403/404 or a redirect to a login page).
    URL parameters are filled from the world fixture by parameter name
    (PARAMS_BY_NAME); a URL whose parameter means something else overrides it in
    PARAMS_BY_URL. Capability URLs (order token, personal calendar token, magic
    link) are the credential: whoever holds the token gets the page.

Attendees never see another attendee's records by changing an id or token: see
the test_attendee_* tests at the bottom.
"""

import json
from dataclasses import dataclass, field

import pytest
from django.contrib.admin import site as admin_site
from django.core import signing
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from events import permissions
from events.enums import Category, ParticipantStatus
from events.permissions import (
    DECIDE_APPLICATIONS,
    MANAGE_BADGES,
    READ_ARRIVALS,
    READ_PARTICIPANTS,
    SCAN,
    TOKEN_SCOPES,
    UNDO_SCAN,
    WRITE_AGENDA,
)
from tests.events.factories import make_participant, open_personal_link

ROLES = ("anon", "attendee", "door", "supervisor", "organizer")


@dataclass(frozen=True)
class Expect:
    method: str
    denied: int
    grants: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    token_denied: int = 403

    def status_for(self, actor):
        if actor.startswith("token:"):
            return self.tokens.get(actor.removeprefix("token:"), self.token_denied)
        return self.grants.get(actor, self.denied)


def expect(method, denied, *, tokens=None, token_denied=403, **grants):
    unknown = set(grants) - set(ROLES)
    assert not unknown, f"unknown actors {unknown}"
    unknown_scopes = set(tokens or {}) - TOKEN_SCOPES
    assert not unknown_scopes, f"unknown scopes {unknown_scopes}"
    return Expect(method, denied, dict(grants), dict(tokens or {}), token_denied)


def public(method="GET", status=200):
    return expect(method, status)


EVERYONE_NOT_FOUND = 404

STAFF_PAGE = {"denied": "login"}  # HTML staff pages send everyone else to a login page

# --- HTML pages, keyed by "namespace:url_name" -------------------------------------
URLS = {
    "health": public(),
    "set_language": public("POST", 302),
    # Public pages.
    "events:event_list": public(),
    "events:event_detail": public(),
    "events:register": public(),
    "events:request_link": public("POST", 400),  # the same answer whoever asks; empty form is 400
    "events:magic_login": public(),  # the signed link is the credential; the GET only shows a button
    "events:registration_received": public(),  # the same page whoever registered with whatever address
    "events:personal_page": public(),  # without a session it shows the "ask for a link" form
    "events:sign_out": public("POST", 302),
    "ticketing:buy": public(),
    "ticketing:order_placed": public(),
    "ticketing:stripe_webhook": public("POST", 400),  # the Stripe signature is the credential
    # SePay's API key / Casso's signature is the credential: without it everyone gets 401.
    "ticketing:sepay_webhook": public("POST", 401),
    "ticketing:casso_webhook": public("POST", 401),
    "agenda:agenda": public(),
    "agenda:changes": public(),
    "agenda:track_styles": public(),
    "agenda:session": public(),
    "agenda:calendar_session": public(),
    "agenda:person": public(),  # only people named on the published agenda have a page
    "agenda:calendar": public(),
    "agenda:calendar_room": public(),
    "agenda:calendar_track": public(),
    "agenda:frab_xml": public(),
    "agenda:frab_json": public(),
    "declarations:public": public(),
    "declarations:canonical_text": public(),
    "declarations:sealed_pdf": public(status=404),  # not sealed yet: nobody
    "kiosk_login": public(status=302),  # the kiosk's old sign-in address forwards to the staff sign-in
    # The one staff sign-in, its landing pages, and pairing a phone by code.
    "staff:sign_in": expect("GET", 200, door=302, supervisor=302, organizer=302),  # signed in: sent on
    "staff:sign_out": public("POST", 302),
    "staff:home": expect("GET", **STAFF_PAGE, door=302, supervisor=302, organizer=302),
    "staff:events": expect("GET", **STAFF_PAGE, door=200, supervisor=200, organizer=200),
    "ticketing:pair_device": public(),
    # Capability URLs: the token in the address is the credential.
    "ticketing:order": public(),
    "ticketing:pay_by_card": public("POST", 302),
    "ticketing:confirm": public("POST", 302),
    "ticketing:choose_transfer": public("POST", 302),
    "ticketing:cancel": public("POST", 302),
    "ticketing:receipt": public(status=404),  # unpaid order: no receipt for anyone
    "ticketing:attendees": public(),  # changing one needs the buyer's proof besides (tests/ticketing/test_handover.py)
    "ticketing:attendees_link": public("POST", 302),  # the link goes to the buyer's address, not the caller
    "ticketing:holder_proof": public(status=302),  # the signed link e-mailed to the buyer is the credential
    "ticketing:waitlist_join": public(),
    "ticketing:waitlist_joined": public(),
    "ticketing:waitlist_entry": public(),
    "ticketing:waitlist_confirm": public("POST", 302),
    "ticketing:waitlist_leave": public("POST", 302),
    "ticketing:waitlist_buy": public("POST", 400),  # the empty form is refused; nothing is bought
    "agenda:calendar_personal": public(),
    # The attendee's own records (magic-link session); everyone else is told "not found" or sent away.
    "ticketing:badge_download": expect("GET", 404, attendee=200),
    "events:withdraw_consent": expect("POST", 404, attendee=302),
    "declarations:sign": expect("GET", 302, attendee=200),
    "declarations:withdraw": expect("POST", 404, attendee=302),
    "agenda:bookmark": public("POST", 302),  # without a session: back to the agenda with a message
    "agenda:unbookmark": public("POST", 302),
    "agenda:reserve": public("POST", 302),
    "agenda:cancel_reservation": public("POST", 302),
    # Staff pages.
    "declarations:kiosk_index": expect("GET", **STAFF_PAGE, door=200, supervisor=200, organizer=200),
    "declarations:kiosk": expect("GET", **STAFF_PAGE, door=200, supervisor=200, organizer=200),
    # Staff get past the check; without a kiosk name in the session they go back to scanning.
    "declarations:kiosk_confirm": expect("GET", **STAFF_PAGE, door=302, supervisor=302, organizer=302),
    "agenda:builder": expect("GET", **STAFF_PAGE, door=404, supervisor=404, organizer=200),
    "ticketing:print_job_download": expect("GET", 404, organizer=200),
    # Door check-in pages.
    "ticketing:scanner": expect("GET", **STAFF_PAGE, door=200, supervisor=200, organizer=200),
    # The scanner's service worker and web app manifest (offline door check-in).
    "ticketing:scanner_service_worker": expect("GET", **STAFF_PAGE, door=200, supervisor=200, organizer=200),
    "ticketing:scanner_manifest": expect("GET", **STAFF_PAGE, door=200, supervisor=200, organizer=200),
    "ticketing:arrivals": expect("GET", **STAFF_PAGE, door=403, supervisor=200, organizer=200),
    "ticketing:scanner_devices": expect("GET", **STAFF_PAGE, door=403, supervisor=403, organizer=200),
    "ticketing:revoke_scanner_device": expect("POST", **STAFF_PAGE, door=403, supervisor=403, organizer=302),
    # Organizer e-mail (signed-in staff without the organizer role are refused).
    "campaigns:list": expect("GET", **STAFF_PAGE, door=403, supervisor=403, organizer=200),
    "campaigns:compose": expect("GET", **STAFF_PAGE, door=403, supervisor=403, organizer=200),
    "campaigns:detail": expect("GET", **STAFF_PAGE, door=403, supervisor=403, organizer=200),
    "campaigns:edit": expect("GET", **STAFF_PAGE, door=403, supervisor=403, organizer=200),
    "campaigns:progress": expect("GET", **STAFF_PAGE, door=403, supervisor=403, organizer=200),
    "campaigns:send": expect("POST", **STAFF_PAGE, door=403, supervisor=403, organizer=302),
    "campaigns:retry": expect("POST", **STAFF_PAGE, door=403, supervisor=403, organizer=302),
    "campaigns:release": expect("POST", **STAFF_PAGE, door=403, supervisor=403, organizer=302),
    "campaigns:opt_out": public(),  # the signed link is the credential
    # The organizer home and the organizers' dashboard.
    "events:organizer_home": expect("GET", **STAFF_PAGE, door=403, supervisor=403, organizer=200),
    "events:dashboard": expect("GET", **STAFF_PAGE, door=403, supervisor=403, organizer=200),
    "events:dashboard_data": expect("GET", **STAFF_PAGE, door=403, supervisor=403, organizer=200),
    "events:dashboard_csv": expect("GET", **STAFF_PAGE, door=403, supervisor=403, organizer=200),
    # The attendee's own personal data: see, correct, download, erase.
    "events:edit_details": expect("GET", 404, attendee=200),
    "events:my_data_json": expect("GET", 404, attendee=200),
    "events:my_data_pdf": expect("GET", 404, attendee=200),
    "events:request_erasure": expect("GET", 404, attendee=200),
    # The roundtable floor (sessions/floor/): the phone page and its live region are public (signed-in
    # people can act there); its POSTs answer everyone with a redirect back (and a message: "open your
    # personal link first", or the domain error of an empty form).
    "agenda:floor": public(),
    "agenda:floor_live": public(),
    "agenda:floor_ask": public("POST", 302),
    "agenda:floor_vote": public("POST", 302),
    "agenda:floor_unvote": public("POST", 302),
    "agenda:floor_answer_poll": public("POST", 302),
    "agenda:floor_feedback": public("POST", 302),
    # The session's moderator (attendee A is not) and organizers; everyone else is told "not found".
    "agenda:floor_moderate": expect("GET", 404, organizer=200),
    "agenda:floor_moderate_live": expect("GET", 404, organizer=200),
    "agenda:floor_moderate_question": expect("POST", 404, organizer=302),
    "agenda:floor_block": expect("POST", 404, organizer=302),
    "agenda:floor_questions_open": expect("POST", 404, organizer=302),
    "agenda:floor_poll_create": expect("POST", 404, organizer=302),
    "agenda:floor_poll_open": expect("POST", 404, organizer=302),
    "agenda:floor_poll_close": expect("POST", 404, organizer=302),
    "agenda:floor_export": expect("GET", 404, organizer=200),  # organizers only: it names every sender
    "agenda:floor_feedback_read": expect("GET", 404, organizer=200),  # and the session's people (B, not A)
    # The wall's signed address is the credential (the moderator's page gives it).
    "agenda:floor_wall": public(),
    "agenda:floor_wall_live": public(),
    # Connect (sessions/meetings/): a participant's own pages; without a personal-link session everyone
    # is sent to the personal page (302). POSTs answer with a redirect and the domain error in words.
    "agenda:meetings": expect("GET", 302, attendee=200),
    "agenda:meetings_profile": expect("GET", 302, attendee=200),
    "agenda:meetings_profile_hide": public("POST", 302),
    "agenda:meetings_person": expect("GET", 302, attendee=404),  # A's own profile is not for A to request
    "agenda:meetings_request": public("POST", 302),
    "agenda:meetings_mine": expect("GET", 302, attendee=200),
    "agenda:meetings_accept": public("POST", 302),  # another's request: "does not exist", nothing changes
    "agenda:meetings_decline": public("POST", 302),
    "agenda:meetings_cancel": public("POST", 302),
    # The meeting area's desk: whoever scans badges at the doors scans them there too.
    "agenda:meetings_desk": expect("GET", **STAFF_PAGE, door=200, supervisor=200, organizer=200),
    # The organizers' meeting figures and export: organizers only (door staff 403, as on the organizer home).
    "agenda:meetings_report": expect("GET", **STAFF_PAGE, door=403, supervisor=403, organizer=200),
    "agenda:meetings_export": expect("GET", **STAFF_PAGE, door=403, supervisor=403, organizer=200),
}

PUBLIC_API = {"denied": 200, "token_denied": 200}
# X-Registration-Token operations: the registration's secret is the only credential; sessions and bearer tokens are not.
REGISTRATION_TOKEN_ONLY = {"denied": 401, "token_denied": 401}

# --- API operations, keyed by operationId ------------------------------------------
API_OPERATIONS = {
    "list_events": expect("GET", **PUBLIC_API),
    "register_participant": expect("POST", 422, token_denied=422),  # public; the empty body is refused
    "read_my_registration": expect("GET", **REGISTRATION_TOKEN_ONLY),
    "list_participants": expect("GET", 403, anon=401, attendee=401, organizer=200, tokens={READ_PARTICIPANTS: 200}),
    "decide_application": expect("POST", 403, anon=401, attendee=401, organizer=400, tokens={DECIDE_APPLICATIONS: 400}),
    "decide_applications": expect(
        "POST", 403, anon=401, attendee=401, organizer=400, tokens={DECIDE_APPLICATIONS: 400}
    ),
    # Public, with organizer-only fields for READ_SIGNATURES (checked in tests/events/declarations).
    "list_declarations": expect("GET", **PUBLIC_API),
    "list_signatures": expect("GET", **PUBLIC_API),
    "verify_declaration_chain": expect("GET", **PUBLIC_API),
    "read_my_badge": expect("GET", **REGISTRATION_TOKEN_ONLY),
    "download_my_badge_pdf": expect("GET", **REGISTRATION_TOKEN_ONLY),
    "read_participant_badge": expect("GET", 403, anon=401, attendee=401, organizer=200, tokens={MANAGE_BADGES: 200}),
    "download_participant_badge_pdf": expect(
        "GET", 403, anon=401, attendee=401, organizer=200, tokens={MANAGE_BADGES: 200}
    ),
    "list_badge_keys": expect("GET", **PUBLIC_API),  # public keys, for offline verification
    "list_ticket_types": expect("GET", **PUBLIC_API),
    "create_order": expect("POST", 422, token_denied=422),  # public; the empty body is refused
    "read_order": expect("GET", **REGISTRATION_TOKEN_ONLY),  # order token or registration token
    "choose_bank_transfer": expect("POST", **REGISTRATION_TOKEN_ONLY),  # the order token only
    "exchange_personal_link": expect("POST", 400, token_denied=400),  # the e-mailed link is the credential
    "scan_badge": expect(
        "POST", 403, anon=401, attendee=401, door=200, supervisor=200, organizer=200, tokens={SCAN: 200}
    ),
    # The supervisor undoes the admission first; later allowed callers find it already undone (409).
    "undo_check_in": expect(
        "POST", 403, anon=401, attendee=401, supervisor=200, organizer=409, tokens={UNDO_SCAN: 409}
    ),
    "search_participants": expect(
        "GET", 403, anon=401, attendee=401, door=200, supervisor=200, organizer=200, tokens={SCAN: 200}
    ),
    # Participant B is admitted by the first allowed caller; later ones are told "already checked in" (200).
    "admit_participant": expect(
        "POST", 403, anon=401, attendee=401, door=200, supervisor=200, organizer=200, tokens={SCAN: 200}
    ),
    "list_arrivals": expect(
        "GET", 403, anon=401, attendee=401, supervisor=200, organizer=200, tokens={READ_ARRIVALS: 200}
    ),
    # The badge desk: a scan's permission; a reprint without a reason is answered 200 (it asks for one).
    "print_badge_on_arrival": expect(
        "POST", 403, anon=401, attendee=401, door=200, supervisor=200, organizer=200, tokens={SCAN: 200}
    ),
    "print_badge_by_name": expect(
        "POST", 403, anon=401, attendee=401, door=200, supervisor=200, organizer=200, tokens={SCAN: 200}
    ),
    # A walk-in skips the organizers' review: door staff need the organizers' permission too (and a
    # token both scopes). The body's category is unknown, so the allowed caller gets 400, nothing saved.
    "register_walk_in": expect("POST", 403, anon=401, attendee=401, organizer=400),
    # Offline scanning: the same permission as a scan, to keep the lists and to send the queued scans.
    "download_offline_data": expect(
        "GET", 403, anon=401, attendee=401, door=200, supervisor=200, organizer=200, tokens={SCAN: 200}
    ),
    "sync_offline_scans": expect(
        "POST", 403, anon=401, attendee=401, door=200, supervisor=200, organizer=200, tokens={SCAN: 200}
    ),
    "read_published_agenda": expect("GET", **PUBLIC_API),
    "list_agenda_versions": expect("GET", **PUBLIC_API),
    "read_agenda_draft": expect("GET", 403, anon=401, attendee=401, organizer=200, tokens={WRITE_AGENDA: 200}),
    # The body's times are backwards, so an allowed caller gets 400 and nothing is saved.
    "create_session": expect("POST", 403, anon=401, attendee=401, organizer=400, tokens={WRITE_AGENDA: 400}),
    "update_session": expect("PATCH", 403, anon=401, attendee=401, organizer=200, tokens={WRITE_AGENDA: 200}),
    # The organizer removes the session; the token then finds nothing (404).
    "delete_session": expect("DELETE", 403, anon=401, attendee=401, organizer=204, tokens={WRITE_AGENDA: 404}),
    # Nothing changed since the world published the agenda: allowed callers get 409.
    "publish_agenda": expect("POST", 403, anon=401, attendee=401, organizer=409, tokens={WRITE_AGENDA: 409}),
    "reserve_seat": expect("POST", **REGISTRATION_TOKEN_ONLY),
    "cancel_reservation": expect("DELETE", **REGISTRATION_TOKEN_ONLY),
    "read_my_reservation": expect("GET", **REGISTRATION_TOKEN_ONLY),
}

# Not walked: the admin has its own login (checked in test_admin_*), the API is
# walked by operationId, and /health is checked in tests/test_abuse.py.
SKIP_URL_PREFIXES = ("admin:", "api:")


# --- The world: real objects to put in URLs ----------------------------------------


class World:
    """Real rows for every URL parameter, created on first use (some are slow, e.g. print jobs)."""

    def __init__(self, event, organizer, door_staff):
        from django.contrib.auth.models import Group, User

        from tests.ticketing.factories import make_free_type
        from ticketing.services import issue_badge
        from ticketing.services.issuing import issue_free_pass

        self.event = event
        self.organizer = organizer
        self.door_staff = door_staff
        self.supervisor = User.objects.create_user("giamsat", password="pw-giamsat")
        self.supervisor.groups.add(Group.objects.get(name=permissions.DOOR_SUPERVISOR))
        make_free_type(event, Category.KOL, seats=10)
        self.a = make_participant(event, full_name="Nguyễn Tiến Cường", status=ParticipantStatus.APPROVED)
        self.b = make_participant(event, full_name="Trần Thị Bình", status=ParticipantStatus.APPROVED)
        for participant in (self.a, self.b):
            issue_free_pass(participant)
        self.badge_a = issue_badge(self.a)
        self.badge_b = issue_badge(self.b)
        self._cache = {}
        self.session  # a published agenda, so agenda pages answer  # noqa: B018

    def lazy(self, name, build):
        if name not in self._cache:
            self._cache[name] = build()
        return self._cache[name]

    @property
    def order(self):
        from tests.ticketing.factories import make_business_type, place_order

        return self.lazy("order", lambda: place_order(self.event, make_business_type(self.event)))

    def buyer_link_signature(self):
        from ticketing.services import handover

        return handover.buyer_link_path(self.order).rstrip("/").rsplit("/", 1)[-1]

    @property
    def waitlist_entry(self):
        from tests.ticketing.factories import make_business_type
        from ticketing.models import WaitingListEntry

        return self.lazy(
            "waitlist_entry",
            lambda: WaitingListEntry.objects.create(
                event=self.event, ticket_type=make_business_type(self.event), name="Hoàng Minh Châu", email="c@hk.vn"
            ),
        )

    @property
    def room(self):
        from tests.agenda.factories import make_room

        return self.lazy("room", lambda: make_room(self.event, "Hội trường Thống Nhất", capacity=800))

    @property
    def track(self):
        from tests.agenda.factories import make_track

        return self.lazy("track", lambda: make_track(self.event))

    @property
    def session(self):
        def build():
            from sessions.services import publish_agenda
            from tests.agenda.factories import make_session

            session = make_session(self.event, self.room, track=self.track, people=[self.b])  # B speaks
            publish_agenda(event=self.event, by=self.organizer)
            return session

        return self.lazy("session", build)

    @property
    def floor_question(self):
        def build():
            from sessions.floor import services

            services.floor_of(self.session)
            return services.ask_question(session=self.session, participant=self.b, text="B hỏi: KOL có cần giấy phép?")

        return self.lazy("floor_question", build)

    @property
    def floor_poll(self):
        from sessions.floor import services

        return self.lazy(
            "floor_poll",
            lambda: services.create_poll(session=self.session, question="Đồng ý?", options=["Có", "Không"]),
        )

    def wall_token(self):
        from sessions.floor.wall import wall_token

        self.floor_question  # noqa: B018 (the floor exists, so its live addresses answer)
        return wall_token(self.session)

    @property
    def declaration(self):
        from tests.events.conftest import make_declaration

        return self.lazy("declaration", lambda: make_declaration(self.event))

    @property
    def print_job(self):
        from ticketing.models import PrintJob

        def build():
            from django.core.files.base import ContentFile

            job = PrintJob.objects.create(event=self.event)
            job.file.save("the-ban-in.pdf", ContentFile(b"%PDF-1.4 in"))
            return job

        return self.lazy("print_job", build)

    @property
    def check_in(self):
        from ticketing.services import checkin

        def build():
            from django.utils import timezone

            # The doors are open only while the event runs.
            self.event.start_date = self.event.end_date = timezone.localdate()
            self.event.save()
            return checkin.scan(code=self.badge_a.code, gate="Cổng A", by=self.door_staff).check_in_id

        return self.lazy("check_in", build)

    @property
    def campaign(self):
        from events.models import Campaign

        return self.lazy(
            "campaign",
            lambda: Campaign.objects.create(
                event=self.event, subject_vi="Thư thử", body_vi="Kính gửi {name},", created_by=self.organizer
            ),
        )

    @property
    def device_token(self):
        from ticketing.services import devices

        return self.lazy(
            "device_token", lambda: devices.create_scanner_device(event=self.event, name="Cổng A", by=self.organizer)[0]
        )

    def opt_out_token(self, participant):
        from events.campaigns.services import opt_out_url

        return opt_out_url(participant).rstrip("/").rsplit("/", 1)[-1]

    def magic_signed(self, participant):
        from events.links import magic_link

        return magic_link(participant).rstrip("/").rsplit("/", 1)[-1]

    def calendar_token(self, participant):
        from sessions.views import personal_calendar_token

        return personal_calendar_token(participant)

    def kiosk_token(self, participant):
        from events.declarations.views import KIOSK_TOKEN_SALT

        return signing.dumps({"p": participant.pk, "d": self.declaration.pk}, salt=KIOSK_TOKEN_SALT)


# URL parameter -> value, by parameter name.
PARAMS_BY_NAME = {
    "slug": lambda w: w.event.slug,
    "category": lambda w: Category.KOL,
    "signed": lambda w: w.magic_signed(w.a),
    "purpose": lambda w: "updates",
    "job_id": lambda w: w.print_job.pk,
    "pk": lambda w: w.session.pk,
    "session_id": lambda w: w.session.pk,
    "room_id": lambda w: w.room.pk,
    "track_slug": lambda w: w.track.slug,
    "declaration_slug": lambda w: w.declaration.slug,
    "number": lambda w: 1,
    "participant_id": lambda w: w.a.pk,
    "check_in_id": lambda w: w.check_in,
    "token_id": lambda w: w.device_token.pk,
    "key": lambda w: "registrations",
    "code": lambda w: w.order.code,
    "token": lambda w: w.order.token,
    "question_id": lambda w: w.floor_question.pk,
    "poll_id": lambda w: w.floor_poll.pk,
    "fmt": lambda w: "csv",
    "wall_token": lambda w: w.wall_token(),
}
# Where a parameter name means something else in one URL.
PARAMS_BY_URL = {
    # B's link: the attendee actor spends A's links (a spent link voids the older ones).
    "events:magic_login": {"signed": lambda w: w.magic_signed(w.b)},
    "agenda:calendar_personal": {"token": lambda w: w.calendar_token(w.a)},
    "agenda:person": {"pk": lambda w: w.b.pk},
    **{f"agenda:meetings_{name}": {"request_id": lambda w: w.a.pk} for name in ("accept", "decline", "cancel")},
    "campaigns:opt_out": {"token": lambda w: w.opt_out_token(w.a)},
    **{
        f"campaigns:{name}": {"pk": lambda w: w.campaign.pk}
        for name in ("detail", "edit", "progress", "send", "retry", "release")
    },
    "declarations:kiosk_confirm": {"token": lambda w: w.kiosk_token(w.a)},
    "ticketing:holder_proof": {"signed": lambda w: w.buyer_link_signature()},
    **{
        f"ticketing:waitlist_{name}": {"token": lambda w: w.waitlist_entry.token}
        for name in ("entry", "confirm", "leave", "buy")
    },
    # A live/ address answers once the session's floor exists (its page was opened): the question makes it.
    **{
        name: {"pk": lambda w: (w.floor_question, w.session.pk)[1]}
        for name in ("agenda:floor_live", "agenda:floor_moderate_live")
    },
}


# JSON bodies for API writes: ninja parses the body before the view checks
# permissions, so an empty body would answer 422 to everyone. Each body is valid
# but harmless (an unknown decision, an unknown badge code).
BODIES = {
    "decide_application": lambda w: {"decision": "khong-ro"},
    "exchange_personal_link": lambda w: {"link": "khong-phai-lien-ket"},
    "decide_applications": lambda w: {"decision": "khong-ro", "participant_ids": [w.a.pk]},
    "scan_badge": lambda w: {"code": "KHONG-PHAI-MA", "gate": "Cổng A"},
    "admit_participant": lambda w: {"participant": w.b.pk, "gate": "Cổng A", "event": w.event.slug},
    "sync_offline_scans": lambda w: {"event": w.event.slug, "device_id": "may-quet-1", "scans": []},
    "print_badge_on_arrival": lambda w: {"code": "KHONG-PHAI-MA", "gate": "Bàn in", "event": w.event.slug},
    "print_badge_by_name": lambda w: {"participant": w.b.pk, "gate": "Bàn in", "event": w.event.slug, "mode": "print"},
    "register_walk_in": lambda w: {
        "gate": "Bàn in",
        "event": w.event.slug,
        "full_name": "Khách Vãng Lai",
        "email": "khach@example.vn",
        "category": "khong-ro",
    },  # fmt: skip
    "create_session": lambda w: {
        "title_vi": "Phiên thử",
        "room_id": w.room.pk,
        "starts_at": "2027-08-14T13:00:00+07:00",
        "ends_at": "2027-08-14T12:00:00+07:00",
    },
}


# Query strings for API reads that need them.
QUERIES = {
    "search_participants": lambda w: f"?event={w.event.slug}&q=Cuong",
    "list_arrivals": lambda w: f"?event={w.event.slug}",
    "download_offline_data": lambda w: f"?event={w.event.slug}",
}


def fill(name, parameters, world):
    overrides = PARAMS_BY_URL.get(name, {})
    return {key: (overrides.get(key) or PARAMS_BY_NAME[key])(world) for key in parameters}


# --- Discovery -----------------------------------------------------------------------


def walk_urls(resolver=None, namespace="", parameters=()):
    """(name, URL parameters) for every named URL pattern, recursively.

    For example ("events:register", ("slug", "category")).
    """
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        inner_parameters = (*parameters, *entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk_urls(entry, inner, inner_parameters)
        elif isinstance(entry, URLPattern):
            yield (
                f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed {entry.pattern}>",
                inner_parameters,
            )


def html_url_names():
    return sorted({name for name, _ in walk_urls() if not name.startswith(SKIP_URL_PREFIXES)})


def api_operations():
    """operationId -> (method, path template) from the OpenAPI schema."""
    from conference.api import api

    schema = api.get_openapi_schema()
    return {
        operation["operationId"]: (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }


# --- Callers ---------------------------------------------------------------------------


def actors_for_api():
    return [*ROLES, *(f"token:{scope}" for scope in sorted(TOKEN_SCOPES))]


def make_client(actor, world):
    from django.test import Client

    from events.services import issue_api_token

    client = Client()
    if actor == "attendee":
        # The attendee opens their personal link, as in real life.
        open_personal_link(client, world.a)
    elif actor == "door":
        client.force_login(world.door_staff)
    elif actor == "supervisor":
        client.force_login(world.supervisor)
    elif actor == "organizer":
        client.force_login(world.organizer)
    elif actor.startswith("token:"):
        _, secret = issue_api_token(user=world.organizer, name="thiết bị", scopes=[actor.removeprefix("token:")])
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def request(client, method, path, body=None):
    if method in ("POST", "PATCH", "PUT") and path.startswith("/api/"):
        return client.generic(method, path, json.dumps(body or {}), content_type="application/json")
    return client.generic(method, path)


@pytest.fixture
def world(event, organizer, door_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return World(event, organizer, door_staff)


def outcome(response):
    """The status; "login" for a redirect to the staff sign-in page (the usual refusal for HTML staff pages),
    "admin_login" for one to the admin's own login (only admin pages may send anyone there)."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("staff:sign_in") + "?"):
            return "login"
        if location.startswith(reverse("admin:login")):
            return "admin_login"
    return response.status_code


def observe(world, actors, method, path, body=None):
    return {actor: outcome(request(make_client(actor, world), method, path, body)) for actor in actors}


def mismatches(expected, observed):
    return {
        actor: {"expected": expected.status_for(actor), "got": got}
        for actor, got in observed.items()
        if got != expected.status_for(actor)
    }


# --- The tests --------------------------------------------------------------------------


def test_every_endpoint_declares_its_access():
    assert {"missing from URLS": sorted(set(html_url_names()) - set(URLS))} == {"missing from URLS": []}
    assert {"missing from API_OPERATIONS": sorted(set(api_operations()) - set(API_OPERATIONS))} == {
        "missing from API_OPERATIONS": []
    }


def test_the_table_has_no_rows_for_endpoints_that_are_gone():
    assert sorted(set(URLS) - set(html_url_names())) == []
    assert sorted(set(API_OPERATIONS) - set(api_operations())) == []


def test_the_table_uses_each_declared_method():
    operations = api_operations()
    assert {op: row.method for op, row in API_OPERATIONS.items() if op in operations} == {
        op: operations[op][0] for op in API_OPERATIONS if op in operations
    }


@pytest.mark.parametrize("name", sorted(URLS))
def test_html_url_answers_each_caller_as_the_table_says(name, world):
    path = reverse(name, kwargs=fill(name, dict(walk_urls())[name], world))
    row = URLS[name]

    observed = observe(world, ROLES, row.method, path)

    assert mismatches(row, observed) == {}


@pytest.mark.parametrize("operation_id", sorted(API_OPERATIONS))
def test_api_operation_answers_each_caller_as_the_table_says(operation_id, world):
    method, template = api_operations()[operation_id]
    parameters = [part[1:-1] for part in template.split("/") if part.startswith("{")]
    path = template.format(**fill(operation_id, parameters, world))
    row = API_OPERATIONS[operation_id]

    body = BODIES[operation_id](world) if operation_id in BODIES else None
    if operation_id in QUERIES:
        path += QUERIES[operation_id](world)

    observed = observe(world, actors_for_api(), method, path, body)

    assert mismatches(row, observed) == {}


# --- The admin: its own login -----------------------------------------------------------


def admin_changelists():
    return sorted(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist" for m in admin_site._registry)


@pytest.mark.parametrize("name", admin_changelists())
def test_admin_sends_anonymous_and_non_staff_to_its_login(name, world):
    observed = observe(world, ("anon", "attendee", "door", "supervisor"), "GET", reverse(name))

    assert observed == {
        "anon": "admin_login",
        "attendee": "admin_login",
        "door": "admin_login",
        "supervisor": "admin_login",
    }


# --- An attendee never reaches another attendee's records ---------------------------------


@pytest.fixture
def attendee_client(world):
    return make_client("attendee", world)


def test_attendee_badge_download_is_always_their_own(attendee_client, world):
    response = attendee_client.get(reverse("ticketing:badge_download", kwargs={"slug": world.event.slug}))

    assert response.status_code == 200
    assert world.badge_a.code != world.badge_b.code
    assert response["Content-Disposition"].startswith("inline") or "attachment" in response["Content-Disposition"]
    from ticketing.services import badge_pdf_path

    assert b"".join(response.streaming_content) == badge_pdf_path(world.badge_a).read_bytes()


def test_attendee_cannot_open_another_participants_page_with_a_forged_link(attendee_client, world):
    signed_for_a = world.magic_signed(world.a)
    forged = signed_for_a.replace(str(world.a.pk), str(world.b.pk), 1)

    url = reverse("events:magic_login", kwargs={"slug": world.event.slug, "signed": forged})
    shown, spent = attendee_client.get(url), attendee_client.post(url)
    page = attendee_client.get(reverse("events:personal_page", kwargs={"slug": world.event.slug}))

    assert (shown.status_code, spent.status_code) == (400, 400)
    assert world.b.full_name not in page.content.decode()
    assert world.a.full_name in page.content.decode()


def test_attendee_cannot_read_another_participants_badge_through_the_api(attendee_client, world):
    for suffix in ("badge", "badge.pdf"):
        response = attendee_client.get(f"/api/v1/participants/{world.b.pk}/{suffix}")
        assert response.status_code == 401


def test_a_registration_token_reads_only_its_own_badge(world):
    from django.test import Client

    response = Client().get("/api/v1/registration/badge", HTTP_X_REGISTRATION_TOKEN=world.a.token)
    forged = Client().get("/api/v1/registration/badge", HTTP_X_REGISTRATION_TOKEN=world.a.token[:-2] + "xx")

    assert response.status_code == 200
    assert response.json()["code"] == world.badge_a.code
    assert forged.status_code == 401


def test_an_order_page_and_receipt_need_the_orders_own_token(attendee_client, world):
    order = world.order
    guessed = order.token[:-3] + ("aaa" if not order.token.endswith("aaa") else "bbb")

    assert attendee_client.get(reverse("ticketing:order", kwargs={"token": guessed})).status_code == 404
    assert attendee_client.get(reverse("ticketing:receipt", kwargs={"token": guessed})).status_code == 404
    assert attendee_client.get(f"/api/v1/orders/{order.code}").status_code == 401


def test_a_personal_calendar_token_cannot_be_rewritten_for_another_participant(world):
    from django.test import Client

    token = world.calendar_token(world.a)
    forged = token.replace(str(world.a.pk), str(world.b.pk), 1)
    url = reverse("agenda:calendar_personal", kwargs={"slug": world.event.slug, "token": forged})

    assert Client().get(url).status_code == 404


# --- A token bound to one event acts for that event only (issue #16) -----------------------

TOKEN_OPERATIONS = sorted(op for op, row in API_OPERATIONS.items() if row.tokens)
# A scan names no event: a bound device's scan is judged within its own event (a badge of another
# event is refused there), so it answers 200 without acting for the other event.
OTHER_EVENT_STATUS = {"scan_badge": 200}


def bound_token_client(world, event):
    from django.test import Client

    from events.services import issue_api_token

    api_token, secret = issue_api_token(user=world.organizer, name="máy của sự kiện", scopes=sorted(TOKEN_SCOPES))
    api_token.event = event
    api_token.save(update_fields=["event"])
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def api_request_for(operation_id, world):
    method, template = api_operations()[operation_id]
    parameters = [part[1:-1] for part in template.split("/") if part.startswith("{")]
    path = template.format(**fill(operation_id, parameters, world)) + (
        QUERIES[operation_id](world) if operation_id in QUERIES else ""
    )
    return method, path, BODIES[operation_id](world) if operation_id in BODIES else None


@pytest.fixture
def other_event(db):
    from datetime import date

    from events.models import Event

    return Event.objects.create(
        slug="kol-2028", name_vi="Hội nghị KOL lần thứ hai", name_en="Second KOL Conference",
        start_date=date(2028, 8, 12), end_date=date(2028, 8, 13), venue="Hà Nội", status="published",
    )  # fmt: skip


@pytest.mark.parametrize("operation_id", TOKEN_OPERATIONS)
def test_a_token_of_another_event_is_refused_by_every_token_operation(operation_id, world, other_event):
    """A token of event 2 with every scope once read event 1's participants and badge codes and undid its admission."""
    method, path, body = api_request_for(operation_id, world)

    response = request(bound_token_client(world, other_event), method, path, body)

    assert response.status_code == OTHER_EVENT_STATUS.get(operation_id, 403), response.content
    if response.status_code == 403:
        assert response.json()["code"] in {"token_other_event", "device_other_event"}


@pytest.mark.parametrize("operation_id", TOKEN_OPERATIONS)
def test_a_token_bound_to_the_event_itself_acts_within_its_scopes(operation_id, world):
    """Control for the test above: the refusal comes from the event, not from the binding."""
    method, path, body = api_request_for(operation_id, world)

    response = request(bound_token_client(world, world.event), method, path, body)

    assert response.status_code not in {401, 403}, response.content


def test_a_token_of_another_event_cannot_read_unlisted_signatures(world, other_event):
    path = f"/api/v1/events/{world.event.slug}/declarations/{world.declaration.slug}/signatures?unlisted=true"

    assert bound_token_client(world, other_event).get(path).status_code == 403
    assert bound_token_client(world, world.event).get(path).status_code == 200


def test_a_scan_by_a_device_of_another_event_does_not_admit_this_events_badge(world, other_event):
    from ticketing.models import CheckIn

    body = {"code": world.badge_a.code, "gate": "Cổng A"}

    answer = request(bound_token_client(world, other_event), "POST", "/api/v1/checkin/scan", body)

    assert answer.status_code == 200 and answer.json()["result"] != "admitted"
    assert CheckIn.objects.filter(participant=world.a).count() == 0

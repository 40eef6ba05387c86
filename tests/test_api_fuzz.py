"""Fuzz every operation of /api/v1/openapi.json with schemathesis (issue #9, point 4).

For each operation and each kind of caller (an organizer's bearer token holding
every scope, an attendee's X-Registration-Token, nobody), hypothesis generates
requests from the schema (valid ones and deliberately invalid ones) and sends
them through the WSGI app in-process, so they see this test's database. Every
answer must be no 5xx, a status code the operation documents, and a body that
matches the documented schema.

The database holds the demo conference (seed_demo: events, participants,
ticket types, declarations, a published agenda), a paid order and an
admission, and path parameters are drawn from those real ids and slugs as often
as from the generated ones, so requests reach the business code, not only 404.
The number of examples is bounded (FUZZ_EXAMPLES, default 8 per operation and
caller) to keep the run short; raise it locally to search harder.
"""

import os
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Every scope an API token can hold (events/api.py, ticketing/api.py and checkin_api.py, sessions/api.py,
# declarations).
ALL_SCOPES = [
    "participants:read",
    "participants:decide",
    "declarations:read",
    "badges:read",
    "checkin:scan",
    "checkin:undo",
    "agenda:write",
]
# Security headers that schemathesis may fill in from the schema's security schemes;
# the caller under test decides them instead.
AUTH_HEADERS = {"authorization", "x-registration-token", "x-order-token", "cookie"}


def load_schema():
    from conference.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@dataclass
class World:
    """Real identifiers in the fuzzing database, by path parameter name."""

    known: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)


def build_world(caller):
    from django.contrib.auth.models import Group, User

    from events.enums import ParticipantStatus
    from events.models import Declaration, Event, Participant
    from events.permissions import ORGANIZER
    from events.services import issue_api_token
    from sessions.models import Session
    from ticketing import services as ticketing
    from ticketing.models import TicketType
    from ticketing.services.checkin import scan
    from ticketing.services.orders import PassRequest, create_order

    call_command("seed_demo", participants=24, verbosity=0)
    event = Event.objects.get(slug="kol-2027")
    # The doors are open today, so scans and undos reach their real answers.
    event.start_date = event.end_date = timezone.localdate()
    event.save()
    holder = Participant.objects.filter(event=event, status=ParticipantStatus.APPROVED).order_by("pk").first()
    ticketing.issue_badge(holder)
    holder.refresh_from_db()
    organizer = User.objects.get(username="bantochuc")
    assert organizer.groups.filter(name=ORGANIZER).exists()
    admission = scan(code=holder.badge.code, gate="Cổng A", by=organizer)
    paid = TicketType.objects.filter(event=event, price__gt=0).first()
    order = create_order(
        event=event,
        buyer={
            "name": "Phạm Minh Tuấn",
            "email": "tuan.pham@saoviet.vn",
            "organization": "Công ty Cổ phần Truyền thông Số Sao Việt",
            "tax_code": "0101234567",
            "language": "vi",
        },
        passes=[PassRequest(ticket_type_id=paid.pk, attendee_name="Nguyễn Thu Hà", attendee_email="ha@saoviet.vn")],
    )
    world = World(
        known={
            "slug": ["kol-2027", "kien-tao-niem-tin-so"],
            "declaration_slug": list(Declaration.objects.values_list("slug", flat=True)),
            "participant_id": list(Participant.objects.filter(event=event).values_list("pk", flat=True)[:5]),
            "session_id": list(Session.objects.filter(event=event).values_list("pk", flat=True)[:5]),
            "check_in_id": [admission.check_in_id],
            "code": [order.code],
        }
    )
    if caller == "organizer":
        _token, secret = issue_api_token(user=organizer, name="fuzz", scopes=ALL_SCOPES)
        world.headers = {"Authorization": f"Bearer {secret}"}
    elif caller == "attendee":
        world.headers = {"X-Registration-Token": holder.token, "X-Order-Token": order.token}
    assert Group.objects.filter(name=ORGANIZER).exists()
    return world


SCHEMA = load_schema()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture
def keep_test_connection():
    """Requests run through the real WSGI handler, which closes the database connection when a
    response ends; the test's transaction lives on that connection, so keep it open, as
    django.test.Client does."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("caller", ["organizer", "attendee", "anonymous"])
def test_every_operation_answers_within_its_schema(caller, keep_test_connection):
    world = build_world(caller)
    failures = []
    for operation in OPERATIONS:
        try:
            fuzz_operation(operation, world)
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - report every operation's failures together
            failures.append(f"{operation.label} as {caller}:\n{error}")
    assert failures == [], "\n\n".join(failures)


def fuzz_operation(operation, world):
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy, data=st.data())
    def run(case, data):
        for name in list(case.path_parameters or {}):
            choices = world.known.get(name)
            if choices and data.draw(st.booleans()):
                case.path_parameters[name] = data.draw(st.sampled_from(choices))
        headers = {k: v for k, v in (case.headers or {}).items() if k.lower() not in AUTH_HEADERS}
        case.headers = {**headers, **world.headers}
        case.cookies = {}
        response = case.call()
        case.validate_response(response, checks=CHECKS)

    run()

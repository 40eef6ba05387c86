"""Personal data rights: audit log, access (JSON/PDF), correction, erasure, retention, backup/restore."""

import datetime
import io
import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from events import audit, privacy, services
from events.declarations import selectors as declaration_selectors
from events.declarations import services as declaration_services
from events.enums import ParticipantStatus
from events.models import AuditEntry, ChainEntry, ErasureRequest, Participant

from .factories import make_participant, open_personal_link

pytestmark = pytest.mark.django_db

ONLINE = declaration_services.Signing(ip_address="203.0.113.7", user_agent="Mozilla/5.0 (iPhone)")


def sign(declaration, participant):
    return declaration_services.sign_declaration(
        declaration=declaration,
        participant=participant,
        typed_name=participant.full_name,
        consent=True,
        public=True,
        signing=ONLINE,
    )


def login(client, participant):
    open_personal_link(client, participant)
    return client


# --- audit log ---------------------------------------------------------------


@pytest.mark.parametrize("action", ["x", "test.action", "order.cancelled", "Events.Order.Cancelled", "events.order."])
def test_record_refuses_an_action_name_outside_the_one_form(event, action):
    with pytest.raises(ValueError):
        audit.record(action=action, event=event)
    assert not AuditEntry.objects.exists()


def test_record_stores_actor_object_event_and_json_details(event, organizer, kol):
    entry = audit.record(
        action="events.participant.noted", actor=organizer, obj=kol, when=datetime.date(2027, 1, 2), ids={1, 2}
    )
    assert (entry.actor, entry.object_type, entry.object_id, entry.event) == (
        organizer,
        "events.participant",
        str(kol.pk),
        event,
    )
    assert entry.details == {"when": "2027-01-02", "ids": [1, 2]}


def test_decision_is_audited(event, organizer):
    person = make_participant(event)
    services.decide_application(
        participant=person, decision=ParticipantStatus.APPROVED, reason="Đủ điều kiện", by=organizer
    )
    entry = AuditEntry.objects.get(action="events.application.approved")
    assert (entry.actor, entry.object_id, entry.details["previous"], entry.details["reason"]) == (
        organizer,
        str(person.pk),
        "pending",
        "Đủ điều kiện",
    )


def test_seal_and_token_issue_and_revoke_are_audited(event, organizer, declaration):
    declaration_services.seal_declaration(declaration=declaration, by=organizer)
    token, _secret = services.issue_api_token(user=organizer, name="máy quét", scopes=["checkin:scan"])
    services.revoke_api_token(api_token=token, by=organizer)
    services.revoke_api_token(api_token=token, by=organizer)  # twice: logged once
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", "actor"))
    assert actions == [
        ("events.declaration.sealed", organizer.pk),
        ("events.api_token.issued", organizer.pk),
        ("events.api_token.revoked", organizer.pk),
    ]


def test_admin_export_is_audited(organizer_client, organizer, event):
    people = [make_participant(event) for _ in range(2)]
    url = reverse("admin:events_participant_changelist")
    response = organizer_client.post(url, {"action": "export_csv", "_selected_action": [p.pk for p in people]})
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="events.participants.exported")
    assert (entry.actor, entry.details["format"], sorted(entry.details["participant_ids"])) == (
        organizer,
        "csv",
        sorted(p.pk for p in people),
    )


def test_audit_admin_is_read_only(organizer_client, organizer, kol):
    entry = audit.record(action="events.participant.noted", actor=organizer, obj=kol)
    assert organizer_client.get(reverse("admin:events_auditentry_add")).status_code == 403
    change = organizer_client.post(reverse("admin:events_auditentry_change", args=[entry.pk]), {"action": "y"})
    assert change.status_code in (403, 200)
    entry.refresh_from_db()
    assert entry.action == "events.participant.noted"
    assert (
        organizer_client.post(reverse("admin:events_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )


# --- access and correction ------------------------------------------------------


def test_personal_data_json_has_every_section(client, kol, declaration):
    sign(declaration, kol)
    response = login(client, kol).get(reverse("events:my_data_json", args=[kol.event.slug]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)["sections"]
    assert data["registration"][0]["full_name"] == "Nguyễn Tiến Cường"
    assert data["consents"][0]["text_version"] == "2026-01"
    assert data["declaration_signatures"][0]["name_as_signed"] == "Nguyễn Tiến Cường"
    for key in ("orders", "payments", "badge", "check_ins", "reservations", "bookmarks"):
        assert key in data  # the upper apps registered their sections


def test_personal_data_pdf_keeps_vietnamese_diacritics(client, kol, tmp_path):
    response = login(client, kol).get(reverse("events:my_data_pdf", args=[kol.event.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "data.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Nguyễn Tiến Cường" in text
    assert "Hội nghị KOL toàn quốc lần thứ nhất" in text


def test_data_and_erasure_pages_need_the_magic_link(client, event):
    for name in ("my_data_json", "my_data_pdf", "request_erasure", "edit_details"):
        assert client.get(reverse(f"events:{name}", args=[event.slug])).status_code == 404


def test_participant_corrects_details(client, kol):
    login(client, kol)
    url = reverse("events:edit_details", args=[kol.event.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"full_name": "Nguyễn  Tiến Cường", "title": "Nhà báo", "organization": "Báo Mới", "phone": "0987 654 321"}
    )
    assert response.status_code == 302
    kol.refresh_from_db()
    assert (kol.full_name, kol.title, kol.organization, kol.phone) == (
        "Nguyễn Tiến Cường",
        "Nhà báo",
        "Báo Mới",
        "+84987654321",
    )


def test_bad_correction_is_refused_and_nothing_saved(client, kol):
    login(client, kol)
    response = client.post(reverse("events:edit_details", args=[kol.event.slug]), {"full_name": "", "phone": "12"})
    assert response.status_code == 400
    kol.refresh_from_db()
    assert kol.full_name == "Nguyễn Tiến Cường"


# --- erasure -------------------------------------------------------------------


def test_erasure_needs_explicit_confirmation(client, kol):
    login(client, kol)
    response = client.post(reverse("events:request_erasure", args=[kol.event.slug]), {})
    assert response.status_code == 400
    kol.refresh_from_db()
    assert kol.anonymized_at is None and not ErasureRequest.objects.exists()


def test_erasure_without_blockers_runs_at_once_and_keeps_the_chain(client, kol, declaration, event):
    sign(declaration, kol)
    login(client, kol)
    response = client.post(reverse("events:request_erasure", args=[event.slug]), {"confirm": "on"})
    assert response.status_code == 302
    kol.refresh_from_db()
    assert kol.anonymized_at is not None
    assert (kol.full_name, kol.phone, kol.organization, kol.email) == ("—", "", "", f"erased-{kol.pk}@invalid")
    assert not kol.channels.exists()
    assert not kol.consents.filter(withdrawn_at__isnull=True).exists()
    entry = ChainEntry.objects.get(participant=kol)
    assert (entry.display_name, entry.salt) == ("", "")
    assert declaration_selectors.verify_chain(declaration).ok
    assert Participant.objects.filter(event=event).count() == 1  # counts stay
    assert ErasureRequest.objects.get().state == "done"
    assert AuditEntry.objects.filter(action="events.participant.erased", object_id=str(kol.pk)).exists()
    # The browser is signed out and the old link no longer opens the page.
    assert client.get(reverse("events:my_data_json", args=[event.slug])).status_code == 404


def test_erasure_twice_is_a_conflict(kol):
    privacy.request_erasure(participant=kol)
    kol.refresh_from_db()
    from events.errors import Conflict

    with pytest.raises(Conflict):
        privacy.request_erasure(participant=kol)


def test_pending_request_is_completed_from_the_admin(organizer_client, organizer, kol):
    erasure = ErasureRequest.objects.create(participant=kol, blockers=["x"])
    url = reverse("admin:events_erasurerequest_changelist")
    chosen = {"action": "perform_erasure", "_selected_action": [erasure.pk]}

    confirm = organizer_client.post(url, chosen)  # first a page that says who will be erased
    kol.refresh_from_db()
    assert confirm.status_code == 200
    assert kol.full_name in confirm.content.decode() and "Không thể hoàn tác" in confirm.content.decode()
    assert kol.full_name != "—"

    response = organizer_client.post(url, {**chosen, "post": "yes"})
    assert response.status_code == 302
    erasure.refresh_from_db()
    kol.refresh_from_db()
    assert (erasure.state, erasure.done_by, kol.full_name) == ("done", organizer, "—")
    assert AuditEntry.objects.get(action="events.participant.erased").actor == organizer


# --- retention -----------------------------------------------------------------


def test_anonymize_expired_erases_only_past_retention(event, declaration, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    people = [make_participant(event, full_name=name, status="approved") for name in ("Trần Thị Bình", "Lê Văn Đạt")]
    for person in people:
        sign(declaration, person)
    today = event.end_date + datetime.timedelta(days=30)
    assert privacy.anonymize_expired(today=today) == 0
    assert privacy.anonymize_expired(today=today + datetime.timedelta(days=1)) == 2
    assert set(Participant.objects.values_list("full_name", flat=True)) == {"—"}
    assert declaration_selectors.verify_chain(declaration).ok
    assert declaration.entries.count() == 2


def test_event_retention_overrides_the_setting(event, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 10_000
    event.retention_days = 0
    event.start_date = event.end_date = datetime.date(2020, 1, 1)
    event.save()
    make_participant(event)
    out = io.StringIO()
    call_command("anonymize_expired", stdout=out)
    assert "anonymized 1 participants" in out.getvalue()
    call_command("verify_declarations", stdout=io.StringIO())


def test_a_daily_job_anonymizes_expired_events(event, settings):
    """The retention rule runs by itself: a daily django-q2 schedule calls the same function."""
    from django_q.models import Schedule
    from django_q.tasks import async_task

    from events.apps import ANONYMIZATION_SCHEDULE

    schedule = Schedule.objects.get(name=ANONYMIZATION_SCHEDULE)
    assert (schedule.func, schedule.schedule_type) == ("events.tasks.anonymize_expired", Schedule.DAILY)
    settings.PERSONAL_DATA_RETENTION_DAYS = 0
    event.start_date = event.end_date = datetime.date(2020, 1, 1)
    event.save()
    make_participant(event, full_name="Phạm Thị Hà")

    async_task(schedule.func)  # the suite runs jobs inline (tests/settings.py)

    assert Participant.objects.get().full_name == "—"


# --- backup and restore --------------------------------------------------------


def _verify_in_fresh_process(database_url, tmp_path):
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="conference.settings")
    return subprocess.run(
        [sys.executable, "manage.py", "verify_declarations"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.mark.django_db(transaction=True)
def test_backup_restore_into_a_fresh_database_keeps_the_chain(event, declaration, tmp_path):
    for name in ("Nguyễn Văn An", "Trần Thị Bình"):
        sign(declaration, make_participant(event, full_name=name, status="approved"))
    call_command("backup", str(tmp_path / "bk"), stdout=io.StringIO())
    if connection.vendor == "sqlite":
        target = tmp_path / "restored.sqlite3"
        call_command("restore", str(tmp_path / "bk"), "--target", str(target), "--no-media", stdout=io.StringIO())
        url = f"sqlite:///{target}"
    else:
        import psycopg

        db = connection.settings_dict
        name = f"restore_{uuid.uuid4().hex[:8]}"
        admin_url = f"postgresql://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/postgres"
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = admin_url.rsplit("/", 1)[0] + f"/{name}"
        call_command("restore", str(tmp_path / "bk"), "--target", url, "--no-media", stdout=io.StringIO())
    try:
        done = _verify_in_fresh_process(url, tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"OK      {event.slug}/{declaration.slug}  2 entries" in done.stdout
    finally:
        if connection.vendor != "sqlite":
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_organizers_read_the_audit_log_and_requests_door_staff_do_not(organizer_client, client, door_staff, kol):
    audit.record(action="events.application.approved", obj=kol)
    ErasureRequest.objects.create(participant=kol)
    for name in ("admin:events_auditentry_changelist", "admin:events_erasurerequest_changelist"):
        assert organizer_client.get(reverse(name)).status_code == 200
    client.force_login(door_staff)
    assert client.get(reverse("admin:events_auditentry_changelist")).status_code == 302  # not staff: to login


def test_erasure_page_asks_for_confirmation(client, kol):
    response = login(client, kol).get(reverse("events:request_erasure", args=[kol.event.slug]))
    assert response.status_code == 200
    assert b'name="confirm"' in response.content

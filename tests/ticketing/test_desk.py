"""The badge desk: admit or only print on the first scan, "printed" apart from "admitted", reprints with a
reason (audited), a person found by name, walk-ins; and the printer job through a stand-in `lp` on PATH."""

import json
import os
import stat

import pytest

from events.enums import Category, ConsentPurpose, ParticipantStatus
from events.errors import Conflict, DomainError, PermissionDenied
from events.models import AuditEntry, Participant
from tests.events.factories import make_participant
from tests.ticketing.factories import make_business_type, make_free_type
from ticketing import services
from ticketing.enums import DeskMode, DeskPrintState, ScanResult
from ticketing.models import Badge, CheckIn, DeskPrint, OrderPosition, Quota, ScanLog
from ticketing.services import checkin, desk

pytestmark = pytest.mark.django_db

DESK = "Bàn in thẻ 1"
AGREED = [ConsentPurpose.PARTICIPATION]
WALK_IN = {"full_name": "Đặng Thùy Linh", "email": "linh.dang@example.vn", "organization": "Báo Tuổi Trẻ", "title": ""}


def door(by, event):
    return checkin.Door(gate=DESK, by=by, event_slug=event.slug)


def test_first_scan_admits_and_prints_once(holder, door_staff, open_event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as jobs:
        outcome = desk.desk_scan(holder.badge.code, door=door(door_staff, open_event), mode=DeskMode.ADMIT_AND_PRINT)

    printed = DeskPrint.objects.get()
    assert (outcome.scan.result, outcome.printed, outcome.reprint_needs_reason) == ("admitted", printed, False)
    assert (printed.participant, printed.badge_version, printed.gate, printed.reason) == (holder, 1, DESK, "")
    assert CheckIn.objects.get().gate == DESK
    assert Badge.objects.get().printed_at == printed.printed_at
    assert ScanLog.objects.get().result == "admitted"
    assert len(jobs) == 1  # the print job, queued after the commit


def test_print_only_desk_prints_without_admitting(holder, door_staff, open_event):
    outcome = desk.desk_scan(holder.badge.code, door=door(door_staff, open_event), mode=DeskMode.PRINT_ONLY)

    assert (outcome.scan.result, outcome.printed is not None) == (ScanResult.PRINTED, True)
    assert CheckIn.objects.count() == 0
    assert ScanLog.objects.get().result == "printed"


def test_second_scan_asks_for_a_reason_and_prints_nothing(holder, door_staff, open_event):
    desk.desk_scan(holder.badge.code, door=door(door_staff, open_event), mode=DeskMode.ADMIT_AND_PRINT)

    again = desk.desk_scan(holder.badge.code, door=door(door_staff, open_event), mode=DeskMode.ADMIT_AND_PRINT)

    assert (again.scan.result, again.printed, again.reprint_needs_reason) == ("already_checked_in", None, True)
    assert again.printed_before == DeskPrint.objects.get()


def test_reprint_with_a_reason_is_printed_and_audited(holder, door_staff, open_event):
    first = desk.desk_scan(holder.badge.code, door=door(door_staff, open_event), mode=DeskMode.ADMIT_AND_PRINT)

    again = desk.desk_scan(
        holder.badge.code, door=door(door_staff, open_event), mode=DeskMode.ADMIT_AND_PRINT, reason="Mất thẻ"
    )

    assert (again.printed.reason, again.printed_before) == ("Mất thẻ", first.printed)
    entry = AuditEntry.objects.get(action="ticketing.badge.reprinted")
    assert (entry.actor, entry.event, entry.details["reason"], entry.details["participant"]) == (
        door_staff,
        open_event,
        "Mất thẻ",
        holder.pk,
    )
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize("mode", [DeskMode.ADMIT_AND_PRINT, DeskMode.PRINT_ONLY])
def test_refused_badges_print_nothing(holder, door_staff, open_event, mode):
    old_code = holder.badge.code
    services.reissue_badge(holder.badge)

    outcome = desk.desk_scan(old_code, door=door(door_staff, open_event), mode=mode)
    forged = desk.desk_scan("KOL1.not-a-badge", door=door(door_staff, open_event), mode=mode)

    assert (outcome.scan.result, forged.scan.result) == ("revoked", "invalid")
    assert DeskPrint.objects.count() == 0


def test_print_only_desk_refuses_a_holder_without_a_valid_ticket(holder, door_staff, open_event):
    Participant.objects.filter(pk=holder.pk).update(status=ParticipantStatus.REJECTED)

    outcome = desk.desk_scan(holder.badge.code, door=door(door_staff, open_event), mode=DeskMode.PRINT_ONLY)

    assert (outcome.scan.result, outcome.printed) == ("not_allowed", None)


def test_desk_by_name_issues_the_missing_badge_and_prints(open_event, door_staff, django_capture_on_commit_callbacks):
    person = make_participant(open_event, full_name="Lý Minh Quân", status=ParticipantStatus.APPROVED)

    outcome = desk.desk_by_name(person.pk, door=door(door_staff, open_event), mode=DeskMode.ADMIT_AND_PRINT)

    assert (outcome.scan.result, outcome.printed.badge_version) == ("admitted", 1)
    assert Badge.objects.get(participant=person).printed_at is not None


def test_desk_by_name_of_another_events_participant_is_not_found(holder, door_staff, other_event):
    with pytest.raises(DomainError) as error:
        desk.desk_by_name(holder.pk, door=door(door_staff, other_event), mode=DeskMode.ADMIT_AND_PRINT)
    assert error.value.code == "participant_not_found"


def test_walk_in_by_an_organizer_is_approved_admitted_and_printed(open_event, organizer):
    outcome = desk.desk_walk_in(
        fields=WALK_IN,
        category=Category.KOL,
        consents=AGREED,
        door=door(organizer, open_event),
        mode=DeskMode.ADMIT_AND_PRINT,
    )

    person = Participant.objects.get(email="linh.dang@example.vn")
    assert (person.status, person.decided_by, outcome.scan.result) == ("approved", organizer, "admitted")
    assert outcome.printed.participant_id == person.pk
    assert AuditEntry.objects.filter(action="events.participant.walk_in", object_id=str(person.pk)).count() == 1


def test_walk_in_by_door_staff_without_the_organizers_permission_is_refused(open_event, door_staff):
    with pytest.raises(PermissionDenied):
        desk.desk_walk_in(
            fields=WALK_IN,
            category=Category.KOL,
            consents=AGREED,
            door=door(door_staff, open_event),
            mode=DeskMode.ADMIT_AND_PRINT,
        )
    assert Participant.objects.count() == 0


def test_walk_in_with_a_registered_email_says_find_them_by_name(holder, open_event, organizer):
    fields = {**WALK_IN, "email": holder.email}
    with pytest.raises(Conflict) as error:
        desk.desk_walk_in(
            fields=fields, category=Category.KOL, consents=AGREED, door=door(organizer, open_event), mode="admit"
        )
    assert error.value.code == "already_registered"


def test_walk_in_with_a_bad_email_is_refused(open_event, organizer):
    with pytest.raises(DomainError) as error:
        desk.desk_walk_in(
            fields={**WALK_IN, "email": "khong-phai-email"},
            category=Category.KOL,
            consents=AGREED,
            door=door(organizer, open_event),
            mode="admit",
        )
    assert error.value.code == "invalid_email"


def walk_in(by, event, *, category=Category.KOL, consents=AGREED):
    return desk.desk_walk_in(
        fields=WALK_IN, category=category, consents=consents, door=door(by, event), mode=DeskMode.ADMIT_AND_PRINT
    )


def test_walk_in_records_each_consent_the_person_gave(open_event, organizer):
    walk_in(organizer, open_event, consents=[ConsentPurpose.PARTICIPATION, ConsentPurpose.UPDATES])

    person = Participant.objects.get(email=WALK_IN["email"])
    consents = list(person.consents.values_list("purpose", "text_version", "text_language", "withdrawn_at"))
    assert consents == [("participation", "2026-01", "vi", None), ("updates", "2026-01", "vi", None)]


def test_walk_in_without_consent_to_participation_is_refused_and_nothing_saved(open_event, organizer):
    with pytest.raises(DomainError) as error:
        walk_in(organizer, open_event, consents=[ConsentPurpose.UPDATES])

    assert error.value.code == "consent_required"
    assert (Participant.objects.count(), DeskPrint.objects.count(), AuditEntry.objects.count()) == (0, 0, 0)


def test_walk_in_at_an_event_selling_passes_gets_their_categorys_free_pass(open_event, organizer):
    make_business_type(open_event)
    free = make_free_type(open_event, Category.KOL)

    outcome = walk_in(organizer, open_event)

    person = Participant.objects.get(email=WALK_IN["email"])
    assert list(OrderPosition.objects.filter(participant=person).values_list("ticket_type", "price")) == [(free.pk, 0)]
    assert (outcome.scan.result, outcome.printed.badge_version) == ("admitted", 1)
    assert Quota.objects.get(pk=free.quotas.get().pk).taken == 1


def test_walk_in_of_a_category_without_a_free_pass_is_refused_before_anything_is_saved(open_event, organizer):
    make_business_type(open_event)

    with pytest.raises(DomainError) as error:
        walk_in(organizer, open_event, category=Category.BUSINESS)

    assert (error.value.code, error.value.field) == ("walk_in_needs_pass", "category")
    assert Participant.objects.count() == 0


def test_walk_in_when_the_free_pass_is_sold_out_leaves_nothing_half_saved(open_event, organizer):
    free = make_free_type(open_event, Category.KOL, seats=0)

    with pytest.raises(DomainError) as error:
        walk_in(organizer, open_event)

    assert error.value.code == "sold_out"
    assert (Participant.objects.count(), CheckIn.objects.count(), DeskPrint.objects.count()) == (0, 0, 0)
    assert Quota.objects.get(pk=free.quotas.get().pk).taken == 0


@pytest.fixture
def fake_lp(tmp_path, monkeypatch):
    """A stand-in for CUPS's `lp` (the outside world) that records its arguments and answers like lp."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "lp"
    record = tmp_path / "lp-calls.json"
    script.write_text(
        "#!/usr/bin/env python3\nimport json, sys\n"
        f"open({str(record)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
        "print('request id is Desk1-7 (1 file(s))')\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return record


def test_print_job_sends_the_badge_pdf_to_the_desks_printer(holder, door_staff, open_event, fake_lp, settings):
    settings.BADGE_DESK_PRINTERS = {DESK: "Desk1"}
    outcome = desk.desk_scan(holder.badge.code, door=door(door_staff, open_event), mode=DeskMode.ADMIT_AND_PRINT)

    sent = desk.send_desk_print(outcome.printed)

    (arguments,) = [json.loads(line) for line in fake_lp.read_text().splitlines()]
    assert arguments[-1] == str(services.badge_pdf_path(Badge.objects.get()))
    assert arguments[arguments.index("-d") + 1] == "Desk1"
    assert (sent.state, sent.printer_answer, sent.printer) == (DeskPrintState.SENT, "Desk1-7", "Desk1")


def test_print_job_of_a_badge_reissued_meanwhile_prints_nothing(holder, door_staff, open_event, fake_lp):
    outcome = desk.desk_scan(holder.badge.code, door=door(door_staff, open_event), mode=DeskMode.ADMIT_AND_PRINT)
    services.reissue_badge(holder.badge)

    sent = desk.send_desk_print(outcome.printed)

    assert sent.state == DeskPrintState.FAILED
    assert not fake_lp.exists()


def test_print_job_records_a_printer_that_fails(holder, door_staff, open_event, tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "lp").write_text("#!/bin/sh\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n")
    (folder / "lp").chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    outcome = desk.desk_scan(holder.badge.code, door=door(door_staff, open_event), mode=DeskMode.ADMIT_AND_PRINT)

    sent = desk.send_desk_print(outcome.printed)

    assert (sent.state, sent.printer_answer) == (DeskPrintState.FAILED, "lp: The printer or class does not exist.")


# --- The desk's API ----------------------------------------------------------------------------


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


def test_desk_scan_api_prints_then_asks_for_a_reason_then_reprints(client, holder, door_staff, open_event):
    client.force_login(door_staff)
    body = {"code": holder.badge.code, "gate": DESK, "event": open_event.slug}

    first = post(client, "/api/v1/checkin/desk/scan", body).json()
    again = post(client, "/api/v1/checkin/desk/scan", body).json()
    reprint = post(client, "/api/v1/checkin/desk/scan", {**body, "reason": "Thẻ bị rách"}).json()

    assert (first["result"], first["printed"], first["reprint_needs_reason"]) == ("admitted", True, False)
    assert (again["result"], again["printed"], again["reprint_needs_reason"]) == ("already_checked_in", False, True)
    assert again["printed_before_gate"] == DESK
    assert (reprint["printed"], reprint["print_id"]) == (True, DeskPrint.objects.latest("pk").pk)


def test_desk_walk_in_api_needs_the_organizers_permission(client, door_staff, open_event):
    client.force_login(door_staff)
    body = {"gate": DESK, "event": open_event.slug, "category": "kol", **WALK_IN}

    response = post(client, "/api/v1/checkin/desk/walk-in", body)

    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


def test_desk_walk_in_api_by_an_organizer_prints(client, organizer, open_event):
    client.force_login(organizer)
    body = {"gate": DESK, "event": open_event.slug, "category": "kol", "consent_participation": "yes", **WALK_IN}

    answer = post(client, "/api/v1/checkin/desk/walk-in", body).json()

    assert (answer["result"], answer["printed"], answer["participant"]["name"]) == ("admitted", True, "Đặng Thùy Linh")
    person = Participant.objects.get(email=WALK_IN["email"])
    assert (list(person.consents.values_list("purpose", "text_language")), person.language) == (
        [("participation", "en")],
        "en",
    )


def test_desk_walk_in_api_without_consent_answers_why(client, organizer, open_event):
    client.force_login(organizer)
    body = {"gate": DESK, "event": open_event.slug, "category": "kol", **WALK_IN}

    response = client.post(
        "/api/v1/checkin/desk/walk-in", json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="vi"
    )

    assert (response.status_code, response.json()["code"]) == (400, "consent_required")
    assert response.json()["message"] == "Người đăng ký phải đồng ý cho phép xử lý dữ liệu cá nhân của mình."
    assert Participant.objects.count() == 0


def test_desk_api_refuses_an_unknown_mode(client, holder, door_staff, open_event):
    client.force_login(door_staff)
    body = {"code": holder.badge.code, "gate": DESK, "event": open_event.slug, "mode": "in-tat-ca"}

    assert post(client, "/api/v1/checkin/desk/scan", body).status_code == 422
    assert DeskPrint.objects.count() == 0

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.enums import Category, ParticipantStatus
from events.errors import DomainError
from events.models import Participant
from tests.events.factories import make_participant
from ticketing import services
from ticketing.enums import BadgeLayout, PrintJobStatus
from ticketing.models import Badge, PrintJob
from ticketing.services.issuing import issue_free_pass
from ticketing.services.payments import mark_transfer_received

from .conftest import decoded_codes, pdf_page_count, pdf_pages
from .factories import make_business_type, make_free_type, place_order

pytestmark = pytest.mark.django_db(transaction=True)


def approved_people(event, count, **fields):
    return [make_participant(event, status=ParticipantStatus.APPROVED, **fields) for _ in range(count)]


def run_job(event, organizer, **filters):
    job = services.create_print_job(event=event, by=organizer, **{"layout": BadgeLayout.SHEET, **filters})
    return PrintJob.objects.get(pk=job.pk)


def test_print_job_builds_one_pdf_issues_missing_badges_and_marks_them_printed(event, organizer, tmp_path):
    people = approved_people(event, 5)
    make_participant(event, status=ParticipantStatus.PENDING)

    job = run_job(event, organizer, layout=BadgeLayout.SINGLE)

    assert (job.status, job.total, job.done, job.progress_percent) == (PrintJobStatus.DONE, 5, 5, 100)
    content = job.file.read()
    assert pdf_page_count(content, tmp_path) == 5
    assert Badge.objects.filter(participant__in=people, printed_at__isnull=False).count() == 5
    assert list(tmp_path.glob("media/print-jobs/job-*/*.pdf")) == []  # chunk files cleaned up


def test_print_job_in_chunks_keeps_the_order_and_every_code_decodes(event, organizer, tmp_path, monkeypatch):
    monkeypatch.setattr(services.badges, "PRINT_CHUNK_SIZE", 4)
    approved_people(event, 9)

    job = run_job(event, organizer)

    assert (job.chunks_total, job.chunks_done) == (3, 3)
    pages = pdf_pages(job.file.read(), tmp_path, dpi=100)
    assert len(pages) == 3  # 9 badges, four per A4 sheet
    decoded = [code for page in pages for code in decoded_codes(page)]
    expected = Badge.objects.filter(participant_id__in=job.participant_ids).values_list("code", flat=True)
    assert sorted(decoded) == sorted(expected)


def test_print_job_progress_counts_badges_as_they_are_drawn(event, organizer, tmp_path, monkeypatch):
    monkeypatch.setattr(services.badges, "PRINT_PROGRESS_STEP", 4)
    approved_people(event, 9)
    seen = []
    draw = services.badges.pdf.render_badges

    def watching(badges, **options):  # what the admin's page would show while this step is drawn
        if options.get("layout") == BadgeLayout.SHEET:  # not the single badges e-mailed on issue
            seen.append(PrintJob.objects.values_list("done", flat=True).get())
        return draw(badges, **options)

    monkeypatch.setattr(services.badges.pdf, "render_badges", watching)

    job = run_job(event, organizer)

    assert seen == [0, 4, 8]  # one chunk of 125, counted every four badges instead of once at its end
    assert (job.status, job.done, job.total) == (PrintJobStatus.DONE, 9, 9)
    assert pdf_page_count(job.file.read(), tmp_path) == 3  # the steps joined: full A4 sheets, then one badge
    assert list(tmp_path.glob("media/print-jobs/job-*/*.pdf")) == []


def test_print_job_filters_by_category_unprinted_and_registration_time(event, organizer):
    kols = approved_people(event, 2, category=Category.KOL)
    regulators = approved_people(event, 3, category=Category.REGULATOR)
    Participant.objects.filter(pk=regulators[0].pk).update(created_at=timezone.now() - timedelta(days=10))
    services.mark_printed([services.issue_badge(regulators[1])])

    by_category = run_job(event, organizer, category=Category.KOL)
    unprinted_regulators = run_job(event, organizer, category=Category.REGULATOR)
    recent_all = run_job(
        event,
        organizer,
        category=Category.REGULATOR,
        only_unprinted=False,
        registered_since=timezone.now() - timedelta(days=1),
    )

    assert sorted(by_category.participant_ids) == sorted(p.pk for p in kols)
    assert sorted(unprinted_regulators.participant_ids) == sorted([regulators[0].pk, regulators[2].pk])
    assert sorted(recent_all.participant_ids) == sorted([regulators[1].pk, regulators[2].pk])


def test_print_job_with_nothing_to_print_is_refused(event, organizer, tmp_path):
    with pytest.raises(DomainError) as error:
        run_job(event, organizer)

    assert error.value.code == "nothing_to_print"
    assert PrintJob.objects.count() == 0


def test_admin_print_job_form_refuses_an_empty_filter(event, organizer_client):
    approved_people(event, 1, category=Category.KOL)

    response = organizer_client.post(
        reverse("admin:ticketing_printjob_add"),
        {"event": event.pk, "category": Category.PLATFORM, "layout": BadgeLayout.SHEET},
        HTTP_ACCEPT_LANGUAGE="vi",
    )

    assert response.status_code == 200
    assert "Không có thẻ nào khớp với bộ lọc này: không có gì để in." in response.content.decode()
    assert PrintJob.objects.count() == 0


def test_finished_print_job_page_has_no_save_buttons(event, organizer, organizer_client):
    approved_people(event, 1)
    job = run_job(event, organizer)

    page = organizer_client.get(reverse("admin:ticketing_printjob_change", args=[job.pk])).content.decode()
    refused = organizer_client.post(reverse("admin:ticketing_printjob_change", args=[job.pk]), {"layout": "single"})

    assert 'name="_save"' not in page and 'name="_continue"' not in page and 'name="_addanother"' not in page
    assert reverse("ticketing:print_job_download", args=[job.pk]) in page
    assert refused.status_code == 403


def test_admin_creates_a_print_job_and_organizer_downloads_it(event, organizer_client, tmp_path):
    approved_people(event, 2)

    response = organizer_client.post(
        reverse("admin:ticketing_printjob_add"),
        {"event": event.pk, "category": "", "only_unprinted": "on", "layout": BadgeLayout.SHEET},
    )
    job = PrintJob.objects.get()
    listing = organizer_client.get(reverse("admin:ticketing_printjob_changelist"))
    download = organizer_client.get(reverse("ticketing:print_job_download", args=[job.pk]))

    assert response.status_code == 302
    assert (job.status, job.total) == (PrintJobStatus.DONE, 2)
    assert '<progress max="100" value="100"></progress><br>2 / 2' in listing.content.decode()
    assert download.status_code == 200
    assert pdf_page_count(b"".join(download.streaming_content), tmp_path) == 1


def test_print_job_download_is_hidden_from_door_staff(event, organizer, door_staff, client):
    approved_people(event, 1)
    job = run_job(event, organizer)
    client.force_login(door_staff)

    assert client.get(reverse("ticketing:print_job_download", args=[job.pk])).status_code == 404


def test_admin_reprint_action_returns_a_pdf_and_marks_printed(event, organizer_client, tmp_path):
    badge = services.issue_badge(approved_people(event, 1)[0])

    response = organizer_client.post(
        reverse("admin:ticketing_badge_changelist"), {"action": "reprint_single", "_selected_action": [badge.pk]}
    )

    assert response["Content-Type"] == "application/pdf"
    assert pdf_page_count(response.content, tmp_path) == 1
    assert Badge.objects.get(pk=badge.pk).printed_at is not None


def test_admin_reissue_action_bumps_the_version(event, organizer_client):
    badge = services.issue_badge(approved_people(event, 1)[0])

    organizer_client.post(
        reverse("admin:ticketing_badge_changelist"), {"action": "reissue", "_selected_action": [badge.pk]}
    )

    assert Badge.objects.get(pk=badge.pk).version == 2


def test_admin_key_page_never_shows_the_private_key(event, organizer_client, approved):
    key = services.event_key(event)

    page = organizer_client.get(reverse("admin:ticketing_eventkey_change", args=[key.pk])).content.decode()

    assert bytes(key.public_key).hex() in page
    assert key.private_key_encrypted not in page


@pytest.mark.parametrize("count", [1, 3])
def test_badge_admin_list_query_count_does_not_grow_with_badges(
    event, organizer_client, django_assert_max_num_queries, count
):
    for participant in approved_people(event, count):
        services.issue_badge(participant)

    with django_assert_max_num_queries(12):
        response = organizer_client.get(reverse("admin:ticketing_badge_changelist"))

    assert response.status_code == 200
    assert response.content.decode().count('name="_selected_action"') == count


@pytest.mark.parametrize("count", [1, 3])
def test_print_job_admin_list_query_count_does_not_grow_with_jobs(
    event, organizer, organizer_client, django_assert_max_num_queries, count
):
    approved_people(event, 1)
    for _ in range(count):
        run_job(event, organizer, only_unprinted=False)

    with django_assert_max_num_queries(12):
        response = organizer_client.get(reverse("admin:ticketing_printjob_changelist"))

    assert response.status_code == 200
    assert response.content.decode().count('name="_selected_action"') == count


def test_print_job_that_cannot_write_its_file_is_marked_failed(event, organizer, settings, tmp_path):
    services.issue_badge(approved_people(event, 1)[0])
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker  # the parts cannot be written under a file

    # Jobs run inline in tests, so the task's error reaches the caller; in production django-q2 records it.
    with pytest.raises(NotADirectoryError):
        services.create_print_job(event=event, layout=BadgeLayout.SHEET, by=organizer)

    job = PrintJob.objects.get()
    assert job.status == PrintJobStatus.FAILED
    assert job.error.startswith("NotADirectoryError: [Errno 20] Not a directory")
    assert job.finished_at is not None


def test_print_job_admin_page_shows_progress_and_download(event, organizer, organizer_client):
    approved_people(event, 2)
    job = run_job(event, organizer)

    page = organizer_client.get(reverse("admin:ticketing_printjob_change", args=[job.pk])).content.decode()

    assert '<progress max="100" value="100"></progress><br>2 / 2' in page
    assert reverse("ticketing:print_job_download", args=[job.pk]) in page


def test_participant_admin_action_issues_badges_to_valid_ticket_holders_only(event, organizer_client):
    approved = approved_people(event, 2)
    pending = make_participant(event, status=ParticipantStatus.PENDING)

    response = organizer_client.post(
        reverse("admin:events_participant_changelist"),
        {"action": "issue_badges", "_selected_action": [p.pk for p in [*approved, pending]]},
        follow=True,
    )

    assert sorted(Badge.objects.values_list("participant_id", flat=True)) == sorted(p.pk for p in approved)
    assert "Đã cấp và gửi e-mail 2 thẻ." in response.content.decode()


def ticket_holders(event, organizer):
    """Two paid business pass holders and two KOLs with free passes issued on approval."""
    business_type, free_type = make_business_type(event), make_free_type(event, Category.KOL)
    order = place_order(event, business_type, 2)
    mark_transfer_received(order=order, by=organizer)
    kols = approved_people(event, 2, category=Category.KOL)
    for kol in kols:
        issue_free_pass(kol)
    buyers = [position.participant for position in order.positions.all()]
    return business_type, free_type, buyers, kols


def test_print_job_filters_by_ticket_type(event, organizer):
    business_type, free_type, buyers, kols = ticket_holders(event, organizer)
    approved_people(event, 1, category=Category.KOL)  # approved but holds no pass: never printed

    business = run_job(event, organizer, ticket_type=business_type)
    free = run_job(event, organizer, ticket_type=free_type)
    every = run_job(event, organizer, only_unprinted=False)

    assert business.ticket_type == business_type
    assert sorted(business.participant_ids) == sorted(p.pk for p in buyers)
    assert sorted(free.participant_ids) == sorted(p.pk for p in kols)
    assert sorted(every.participant_ids) == sorted(p.pk for p in [*buyers, *kols])


def test_print_job_with_a_ticket_type_of_another_event_is_refused(event, organizer, other_event):
    foreign = make_business_type(other_event)

    with pytest.raises(DomainError) as error:
        services.create_print_job(event=event, ticket_type=foreign, layout=BadgeLayout.SHEET, by=organizer)

    assert error.value.code == "ticket_type_of_another_event"
    assert PrintJob.objects.count() == 0


def test_admin_print_job_form_filters_by_ticket_type(event, organizer, organizer_client):
    business_type, _free_type, buyers, _kols = ticket_holders(event, organizer)

    form = organizer_client.get(reverse("admin:ticketing_printjob_add")).content.decode()
    response = organizer_client.post(
        reverse("admin:ticketing_printjob_add"),
        {"event": event.pk, "category": "", "ticket_type": business_type.pk, "layout": BadgeLayout.SHEET},
    )

    assert 'name="ticket_type"' in form
    assert f"{event} · {business_type}" in form
    assert response.status_code == 302
    job = PrintJob.objects.get()
    assert job.ticket_type == business_type
    assert sorted(job.participant_ids) == sorted(p.pk for p in buyers)
    change_page = organizer_client.get(reverse("admin:ticketing_printjob_change", args=[job.pk])).content.decode()
    assert str(business_type) in change_page


def test_admin_print_job_form_refuses_a_ticket_type_of_another_event(event, organizer_client, other_event):
    foreign = make_business_type(other_event)

    response = organizer_client.post(
        reverse("admin:ticketing_printjob_add"),
        {"event": event.pk, "category": "", "ticket_type": foreign.pk, "layout": BadgeLayout.SHEET},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "This ticket type belongs to another event." in response.content.decode()
    assert PrintJob.objects.count() == 0


def test_erasure_deletes_the_print_jobs_and_cached_badge_pdfs_that_carry_the_name(event, organizer):
    """The files print the name: a print job PDF holding the erased participant's badge goes (the job
    says to print again), as do their cached badge PDFs; another event's job stays."""
    from pathlib import Path

    from events import privacy

    people = approved_people(event, 3, category=Category.KOL)
    holding = run_job(event, organizer, category=Category.KOL)
    others = approved_people(event, 1, category=Category.BUSINESS)
    elsewhere = run_job(event, organizer, category=Category.BUSINESS)
    cached = services.badge_pdf_path(Badge.objects.get(participant=people[0]))
    job_file = Path(holding.file.path)
    assert job_file.exists() and cached.exists()

    privacy.erase_participant(participant=people[0], by=organizer, reason="request")

    holding.refresh_from_db()
    elsewhere.refresh_from_db()
    assert not job_file.exists() and not cached.exists()
    assert holding.file.name == ""
    assert "Hãy in lại" in holding.error or "Print again" in holding.error  # in the language of the erasure
    assert elsewhere.file and Path(elsewhere.file.path).exists() and others

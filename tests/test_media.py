"""A MEDIA_ROOT that cannot be written answers 503 "storage unavailable", and /health says so (issue #16)."""

import os
import subprocess
import uuid

import pytest

pytestmark = pytest.mark.django_db


def _mount_tmpfs(path, options):
    return (
        subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True).returncode == 0
    )


@pytest.fixture
def read_only_media(settings, tmp_path):
    """MEDIA_ROOT on a read-only file system: a read-only tmpfs as root, else a folder without write permission."""
    media = tmp_path / "media"
    media.mkdir()
    mounted = os.geteuid() == 0 and _mount_tmpfs(media, "ro,size=64k")
    if not mounted:
        media.chmod(0o500)
    settings.MEDIA_ROOT = media
    try:
        yield media
    finally:
        if mounted:
            subprocess.run(["umount", str(media)], check=True)
        else:
            media.chmod(0o700)


@pytest.fixture
def full_media(settings, tmp_path):
    """MEDIA_ROOT on a file system with no space left (a 64 KiB tmpfs filled up; needs root to mount)."""
    media = tmp_path / "full-media"
    media.mkdir()
    if os.geteuid() != 0 or not _mount_tmpfs(media, "size=64k"):
        pytest.skip("a full file system needs `mount -t tmpfs` (root)")
    try:
        with open(media / "filler", "wb", buffering=0) as filler:
            try:
                while True:
                    filler.write(b"\0" * 4096)
            except OSError:  # ENOSPC: the file system is full
                pass
        settings.MEDIA_ROOT = media
        yield media
    finally:
        subprocess.run(["umount", str(media)], check=True)


@pytest.fixture
def badge_holder(event):
    from events.enums import Category, ParticipantStatus
    from tests.events.factories import make_participant
    from tests.ticketing.factories import make_free_type
    from ticketing.services.issuing import issue_free_pass

    make_free_type(event, Category.KOL, seats=10)
    participant = make_participant(event, full_name="Nguyễn Tiến Cường", status=ParticipantStatus.APPROVED)
    issue_free_pass(participant)
    return participant


def test_health_reports_media_that_cannot_be_written_and_stays_up(client, read_only_media):
    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": True, "cache": True, "media": False, "worker": True},
    }


@pytest.mark.parametrize("storage", ["read_only_media", "full_media"])
def test_a_badge_pdf_on_unwritable_media_answers_503_json_not_500(organizer_client, badge_holder, storage, request):
    request.getfixturevalue(storage)

    response = organizer_client.get(f"/api/v1/participants/{badge_holder.pk}/badge.pdf", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    assert response.json() == {
        "code": "storage_unavailable",
        "message": "Files cannot be saved right now: the file storage is full or read-only. Please try again later.",
    }


def test_a_badge_page_download_on_read_only_media_answers_a_translated_page(
    client, event, badge_holder, read_only_media
):
    from django.urls import reverse

    from tests.events.factories import open_personal_link

    open_personal_link(client, badge_holder)

    response = client.get(reverse("ticketing:badge_download", kwargs={"slug": event.slug}))

    assert response.status_code == 503
    assert "Hiện không lưu được tệp" in response.content.decode()


def test_a_finished_print_job_whose_file_is_missing_says_so(organizer_client, event, settings, tmp_path):
    from django.core.files.base import ContentFile

    from ticketing.enums import PrintJobStatus
    from ticketing.models import PrintJob

    settings.MEDIA_ROOT = tmp_path / "media"
    job = PrintJob.objects.create(event=event, status=PrintJobStatus.DONE)
    job.file.save(f"the-{uuid.uuid4().hex}.pdf", ContentFile(b"%PDF-1.4"))
    os.remove(job.file.path)

    download = organizer_client.get(f"/badges/print-jobs/{job.pk}/download/")
    changelist = organizer_client.get("/admin/ticketing/printjob/")

    assert download.status_code == 410
    assert "Lệnh in đã xong nhưng tệp PDF không còn trong bộ nhớ tệp." in download.content.decode()
    assert "Thiếu tệp: hãy tạo lại lệnh in" in changelist.content.decode()

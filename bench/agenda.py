"""Agenda: the public agenda page and the API list with 300 sessions across 8 rooms over 2 days.

Renders in-process through Django's test client (no network, no server), so
the figures are the application's render time: p50 and p99 over REPEAT
requests after a warm-up. Targets (issue 6, this 2-core machine): the page
and the API list each answer in < 150 ms at p99.
"""

import os
import statistics
import time
from datetime import date, datetime, timedelta

from bench._mode import size

SESSIONS = size("BENCH_AGENDA_SESSIONS", 300, 48)
ROOMS = 8
REPEAT = size("BENCH_AGENDA_REPEAT", 60, 5)
TARGET_MS = 150


def _ensure_django():
    """Set Django up on a throwaway database when the runner has not (python -c 'import bench.agenda')."""
    # after django.setup() (bench/run.py): settings and models exist only then
    from django.conf import settings

    if settings.configured:
        return
    # after django.setup() (bench/run.py): settings and models exist only then
    import tempfile

    import django
    from django.core.management import call_command

    os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="conference-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
    django.setup()
    call_command("migrate", verbosity=0)


def _agenda():
    # after django.setup() (bench/run.py): settings and models exist only then
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from events.models import Event, Participant
    from sessions.models import Room, Session, SessionPerson, Track
    from sessions.services import publish_agenda

    event = Event.objects.create(
        slug=f"bench-agenda-{int(time.time())}",
        name_vi="Hội nghị KOL toàn quốc lần thứ nhất",
        name_en="First National KOL Conference",
        start_date=date(2027, 8, 14),
        end_date=date(2027, 8, 15),
        status="published",
    )
    rooms = Room.objects.bulk_create(
        Room(event=event, name_vi=f"Phòng {n + 1}", name_en=f"Room {n + 1}", capacity=200, position=n)
        for n in range(ROOMS)
    )
    tracks = [
        Track.objects.create(event=event, slug=s, name_vi=s, name_en=s)
        for s in ("misinformation", "legal-framework", "responsible-influence", "digital-safety")
    ]
    people = Participant.objects.bulk_create(
        Participant(
            event=event,
            category="regulator",
            full_name=f"Nguyễn Văn Diễn Giả {n}",
            email=f"dg{n}@example.vn",
            status="approved",
            organization="Hiệp hội An ninh mạng quốc gia",
        )
        for n in range(120)
    )
    sessions, per_day = [], SESSIONS // 2
    for index in range(SESSIONS):
        day, slot = divmod(index, per_day)
        start = timezone.make_aware(datetime(2027, 8, 14 + day, 7, 0)) + timedelta(minutes=20 * (slot // ROOMS))
        sessions.append(
            Session(
                event=event,
                room=rooms[slot % ROOMS],
                track=tracks[index % 4],
                title_vi=f"Phiên thảo luận số {index}",
                title_en=f"Session {index}",
                abstract_vi="Trao đổi giữa KOL, cơ quan quản lý và nền tảng số. " * 4,
                starts_at=start,
                ends_at=start + timedelta(minutes=20),
                capacity=30 if index % 5 == 0 else None,
            )
        )
    Session.objects.bulk_create(sessions)
    SessionPerson.objects.bulk_create(
        SessionPerson(session=s, participant=people[(i * 3 + k) % len(people)], position=k)
        for i, s in enumerate(sessions)
        for k in range(3)
    )
    organizer = get_user_model().objects.create_user(f"bench-{event.slug}", is_staff=True)
    publish_agenda(event=event, by=organizer)
    return event


def _timed(client, url):
    client.get(url)  # warm-up: template loading, URL resolving
    samples = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, round(0.99 * (len(samples) - 1)))]


def run():
    _ensure_django()
    # after django.setup() (bench/run.py): settings and models exist only then
    from django.test import Client, override_settings

    event = _agenda()
    client = Client(HTTP_HOST="localhost")
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    rows = []
    with override_settings(STORAGES=plain_static):  # no collectstatic manifest needed to render
        for name, url in [
            ("agenda page, one day", f"/e/{event.slug}/agenda/"),
            ("agenda page, search", f"/e/{event.slug}/agenda/?q=so+12"),
            ("API agenda list", f"/api/v1/events/{event.slug}/agenda"),
        ]:
            p50, p99 = _timed(client, url)
            label = f"agenda: {name} ({SESSIONS} sessions, {ROOMS} rooms, 2 days)"
            rows.append({"scenario": f"{label} p50", "value": f"{p50:.1f}", "unit": "ms", "target": ""})
            rows.append({"scenario": f"{label} p99", "value": f"{p99:.1f}", "unit": "ms", "target": f"< {TARGET_MS}"})
    return rows

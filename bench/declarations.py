"""Benchmark of the declaration chain: appends per second and full verification time; prints a table.

    .venv/bin/python bench/declarations.py [--signers 2000]

Runs against a throw-away SQLite database (or DATABASE_URL if set, which it
then fills: point it at a scratch database).
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="bench-declarations-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")


def main():
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--signers", type=int, default=2000)
    signers = parser.parse_args().signers
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from events.declarations import selectors, services
    from events.models import Event, Participant

    event = Event.objects.create(
        slug="bench", name_vi="Bench", start_date=date(2027, 8, 14), end_date=date(2027, 8, 14), status="published"
    )
    people = Participant.objects.bulk_create(
        Participant(
            event=event, category="kol", full_name=f"Nguyễn Văn Số {n}", email=f"p{n}@example.vn", status="approved"
        )
        for n in range(signers)
    )
    declaration = services.create_declaration(event=event, slug="bench", title_vi="Bench")
    services.publish_version(declaration=declaration, title_vi="T", title_en="T", body_vi="Nội dung", body_en="Body")
    services.open_declaration(declaration=declaration)
    signing = services.Signing(ip_address="203.0.113.1", user_agent="bench")
    started = time.perf_counter()
    for person in people:
        services.sign_declaration(
            declaration=declaration,
            participant=person,
            typed_name=person.full_name,
            consent=True,
            public=True,
            signing=signing,
        )
    signing_seconds = time.perf_counter() - started
    started = time.perf_counter()
    result = selectors.verify_chain(declaration)
    verify_seconds = time.perf_counter() - started
    assert result.ok and result.entries == signers
    print(f"| measure (SQLite unless DATABASE_URL) | {signers} signers |")
    print("|---|---|")
    print(f"| signatures appended per second (sequential, one lock each) | {signers / signing_seconds:.0f} |")
    print(f"| ms per signature | {1000 * signing_seconds / signers:.2f} |")
    print(f"| full chain verification, seconds | {verify_seconds:.3f} |")


if __name__ == "__main__":
    main()

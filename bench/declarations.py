"""Benchmark of the declaration chain: appends per second and full verification time.

    bash run.sh bench declarations        (BENCH_SIGNERS, default 2000; 50 in quick mode)

Runs in bench/run.py's throw-away database. Invariant: the chain verifies, with one entry per signer.
"""

import time
from datetime import date

from bench._mode import size


def run():
    signers = size("BENCH_SIGNERS", 2000, 50)
    # after django.setup() (bench/run.py): settings and models exist only then
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
    name = f"declaration chain, {signers} signers"
    return [
        {"scenario": f"{name}: chain verifies", "value": int(result.ok), "unit": "1 = yes", "target": "= 1"},
        {
            "scenario": f"{name}: entries verified",
            "value": result.entries,
            "unit": "signatures",
            "target": f"= {signers}",
        },
        {
            "scenario": f"{name}: appends (sequential, one lock each)",
            "value": round(signers / signing_seconds),
            "unit": "signatures/s",
            "target": "",
        },
        {
            "scenario": f"{name}: per signature",
            "value": round(1000 * signing_seconds / signers, 2),
            "unit": "ms",
            "target": "",
        },
        {"scenario": f"{name}: full verification", "value": round(verify_seconds, 3), "unit": "s", "target": ""},
    ]

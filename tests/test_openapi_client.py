"""A client generated from our OpenAPI schema by openapi-python-client works (issue #17, item 5).

Generators name functions after operation ids and map binary answers to bytes, so the schema's
verbs (`list_events`, `scan_badge`) and `{type: string, format: binary}` PDFs are what this proves.
"""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.ticketing.factories import make_business_type

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def generated_client(live_server, tmp_path, monkeypatch):
    schema = tmp_path / "openapi.json"
    schema.write_bytes(requests.get(f"{live_server.url}/api/v1/openapi.json", timeout=30).content)
    generator = Path(sys.executable).with_name("openapi-python-client")
    output = tmp_path / "kol_api"
    subprocess.run(
        [str(generator), "generate", "--path", str(schema), "--output-path", str(output), "--meta", "none"],
        check=True, capture_output=True, cwd=tmp_path, timeout=300,
        env={**os.environ, "PATH": f"{generator.parent}:{os.environ.get('PATH', '')}"},  # it formats with ruff
    )  # fmt: skip
    monkeypatch.syspath_prepend(str(tmp_path))  # --meta none: the output folder is the package itself
    return lambda module: importlib.import_module(f"kol_api.{module}")


def test_a_generated_client_lists_events_and_their_ticket_types(generated_client, live_server, event):
    make_business_type(event)
    client = generated_client("client").Client(base_url=live_server.url)

    events = generated_client("api.events.list_events").sync(client=client)
    ticket_types = generated_client("api.ticketing.list_ticket_types").sync(slug=event.slug, client=client)

    assert [found.slug for found in events] == [event.slug]
    assert [(kind.name, kind.price) for kind in ticket_types] == [("Thẻ doanh nghiệp", 1_500_000)]

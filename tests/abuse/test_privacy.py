"""Kiosk signing, erasure and the attendee's export (issue #16, item 5), replayed against gunicorn."""

import pytest
import requests
from django.conf import settings

from .conftest import submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def holder(event):
    """An approved KOL with a signed badge."""
    from tests.events.factories import make_participant
    from ticketing.services import issue_badge

    person = make_participant(event, full_name="Nguyễn Tiến Cường", status="approved")
    issue_badge(person)
    person.refresh_from_db()
    return person


def _kiosk(base, event, declaration):
    """Door staff signed in at the staff page with their own password, at a kiosk named "Bàn ký 1"."""
    staff = requests.Session()
    signed_in = submit(staff, f"{base}/staff/", {"username": "soatve", "password": "pw-soatve"}, allow_redirects=False)
    assert signed_in.status_code == 302
    kiosk = f"{base}/e/{event.slug}/kiosk/{declaration.slug}/"
    submit(staff, kiosk, {"kiosk": "Bàn ký 1"})
    return staff, kiosk


def test_door_staff_holding_a_badge_cannot_sign_for_someone_who_is_not_there(
    gunicorn_server, event, holder, door_staff
):
    """The review's staff member signed the declaration for a participant by scanning their badge alone."""
    from events.declarations.pins import MAX_FAILURES, signing_pin
    from events.models import ChainEntry
    from tests.events.conftest import make_declaration

    declaration = make_declaration(event)
    base, _log = gunicorn_server(workers=2)
    staff, kiosk = _kiosk(base, event, declaration)
    scanned = submit(staff, kiosk, {"code": holder.badge.code}, allow_redirects=False)
    confirm = base + scanned.headers["Location"]
    wrong = f"{(int(signing_pin(holder)) + 1) % 1_000_000:06d}"

    without_pin = submit(staff, confirm, {"consent": "on", "public": "yes", "pin": ""})
    guesses = [submit(staff, confirm, {"consent": "on", "public": "yes", "pin": wrong}) for _ in range(MAX_FAILURES)]
    right_after_guessing = submit(staff, confirm, {"consent": "on", "public": "yes", "pin": signing_pin(holder)})

    assert scanned.status_code == 302
    assert [a.status_code for a in (without_pin, *guesses, right_after_guessing)] == [400] * (MAX_FAILURES + 2)
    assert "Nhập sai mã PIN quá nhiều lần cho thẻ này" in right_after_guessing.text  # counted across workers
    assert ChainEntry.objects.count() == 0


def test_the_participant_at_the_kiosk_signs_with_the_pin_from_their_badge_email(
    gunicorn_server, event, holder, door_staff
):
    """Control for the test above: the person who is there, with their PIN, signs."""
    from events.declarations.pins import signing_pin
    from events.models import ChainEntry
    from tests.events.conftest import make_declaration

    declaration = make_declaration(event)
    base, _log = gunicorn_server(workers=2)
    staff, kiosk = _kiosk(base, event, declaration)
    confirm = base + submit(staff, kiosk, {"code": holder.badge.code}, allow_redirects=False).headers["Location"]

    signed = submit(
        staff, confirm, {"consent": "on", "public": "yes", "pin": signing_pin(holder)}, allow_redirects=False
    )

    entry = ChainEntry.objects.get()
    assert signed.status_code == 302
    assert (entry.participant_id, entry.kiosk, entry.staff.username) == (holder.pk, "Bàn ký 1", "soatve")


def _personal_session(base, participant):
    from events.links import magic_link

    session = requests.Session()
    link = magic_link(participant).replace(settings.SITE_URL, base)
    assert submit(session, link, {}, allow_redirects=False).status_code == 302
    return session, link


def test_an_attendees_export_holds_none_of_the_buyers_personal_data(gunicorn_server, event, organizer):
    """The review's attendee downloaded data.json and found the buyer's name, e-mail and tax code."""
    from events.models import Participant
    from tests.ticketing.factories import make_business_type, place_order
    from ticketing.services.payments import mark_transfer_received

    order = place_order(event, make_business_type(event))
    mark_transfer_received(order=order, by=organizer, reference="FT27123456")
    attendee = Participant.objects.get(email="ha.nguyen@saoviet.vn")
    base, _log = gunicorn_server()
    session, _link = _personal_session(base, attendee)

    exports = [session.get(f"{base}/e/{event.slug}/me/data.{kind}", timeout=30) for kind in ("json", "pdf")]

    assert [e.status_code for e in exports] == [200, 200]
    text = exports[0].text
    assert "ha.nguyen@saoviet.vn" in text
    for buyers in ("Phạm Minh Tuấn", "tuan.pham@saoviet.vn", "0101234567", order.token):
        assert buyers not in text


def test_a_pending_erasure_stops_links_and_other_sessions_at_once(gunicorn_server, event, organizer):
    """A buyer with a paid order asks for erasure (it waits for an organizer): what could leak stops now."""
    from events.links import magic_link
    from events.models import ErasureRequest, Participant
    from tests.ticketing.factories import make_business_type, place_order
    from ticketing.services.payments import mark_transfer_received

    buyer = Participant.objects.create(
        event=event, category="business", status="approved", full_name="Phạm Minh Tuấn", email="tuan.pham@saoviet.vn"
    )
    order = place_order(event, make_business_type(event), buyer_participant=buyer)
    mark_transfer_received(order=order, by=organizer, reference="FT27123456")
    base, _log = gunicorn_server()
    unused_link = magic_link(buyer).replace(settings.SITE_URL, base)
    asking, _link = _personal_session(base, buyer)
    elsewhere, _other = _personal_session(base, buyer)  # e.g. a shared computer left signed in
    erase = f"{base}/e/{event.slug}/me/erase/"

    asked = submit(asking, erase, {"confirm": "on"}, allow_redirects=False)
    other_browser = elsewhere.get(f"{base}/e/{event.slug}/me/data.json", timeout=30)
    old_link = submit(requests.Session(), unused_link, {}, allow_redirects=False)

    assert asked.status_code == 302
    assert ErasureRequest.objects.get(participant=buyer).state == "pending"
    assert other_browser.status_code == 404
    assert old_link.status_code == 400


def test_a_free_pass_is_no_payment_and_does_not_hold_an_erasure_for_an_organizer(gunicorn_server, event):
    """The review's KOL with a 0 ₫ pass asked for erasure and was told to wait for an organizer."""
    from events.models import ErasureRequest, Participant
    from tests.events.factories import make_participant
    from tests.ticketing.factories import make_free_type
    from ticketing.services.issuing import issue_free_pass

    make_free_type(event, "kol")
    kol = make_participant(event, full_name="Nguyễn Tiến Cường", status="approved")
    issue_free_pass(kol)
    base, _log = gunicorn_server()
    session, _link = _personal_session(base, kol)

    asked = submit(session, f"{base}/e/{event.slug}/me/erase/", {"confirm": "on"}, allow_redirects=False)

    kol.refresh_from_db()
    assert asked.status_code == 302
    assert ErasureRequest.objects.get(participant=kol).state == "done"
    assert (kol.full_name, Participant.objects.get(pk=kol.pk).email) == ("—", f"erased-{kol.pk}@invalid")

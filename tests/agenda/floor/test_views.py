"""The floor's pages: the phone, the moderator, the wall, the live answers (304 while nothing changed), exports."""

import pytest
from django.urls import reverse

from events import privacy
from events.enums import ParticipantStatus
from sessions import services as agenda_services
from sessions.enums import PersonRole
from sessions.floor import services, wall
from sessions.models import Question, QuestionVote, SessionPerson
from tests.agenda.factories import make_session
from tests.events.factories import make_participant, open_personal_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def roundtable(event, small_room, organizer):
    session = make_session(event, small_room, format="roundtable", title_vi="Bàn tròn mở: KOL và pháp luật")
    agenda_services.publish_agenda(event=event, by=organizer)
    return session


@pytest.fixture
def moderator(event, roundtable):
    person = make_participant(event, full_name="Đỗ Quang Minh", status=ParticipantStatus.APPROVED)
    SessionPerson.objects.create(session=roundtable, participant=person, role=PersonRole.MODERATOR)
    return person


def _url(name, session, **kwargs):
    return reverse(f"agenda:{name}", kwargs={"slug": session.event.slug, "pk": session.pk, **kwargs})


def test_ask_from_the_phone_escapes_the_text_and_shows_it_after_approval(client, event, roundtable, attendee):
    open_personal_link(client, attendee)

    response = client.post(_url("floor_ask", roundtable), {"text": "<script>alert(1)</script> KOL?", "show_name": "1"})
    question = Question.objects.get()
    services.moderate_question(session=roundtable, question_id=question.pk, action="approve")
    page = client.get(_url("floor", roundtable)).content.decode()

    assert response.status_code == 302
    assert "&lt;script&gt;alert(1)&lt;/script&gt; KOL?" in page
    assert "<script>alert(1)" not in page
    assert attendee.full_name in page


def test_ask_without_a_personal_link_is_refused_in_json(client, roundtable):
    response = client.post(_url("floor_ask", roundtable), {"text": "Xin chào"}, HTTP_X_FLOOR="1")

    assert response.status_code == 403
    assert response.json()["code"] == "sign_in_first"
    assert Question.objects.count() == 0


def test_too_long_question_answers_400_with_a_message(client, roundtable, attendee):
    open_personal_link(client, attendee)

    response = client.post(_url("floor_ask", roundtable), {"text": "x" * 500}, HTTP_X_FLOOR="1")

    assert response.status_code == 400
    assert response.json()["code"] == "floor_too_long"


def test_live_before_the_floor_page_was_opened_is_404(client, roundtable):
    assert client.get(_url("floor_live", roundtable)).status_code == 404


def test_live_answers_304_until_the_floor_changes(client, event, roundtable, attendee):
    client.get(_url("floor", roundtable))
    first = client.get(_url("floor_live", roundtable))
    same = client.get(_url("floor_live", roundtable), HTTP_IF_NONE_MATCH=first["ETag"])
    services.ask_question(session=roundtable, participant=attendee, text="Câu hỏi mới")
    changed = client.get(_url("floor_live", roundtable), HTTP_IF_NONE_MATCH=first["ETag"])

    assert (first.status_code, same.status_code, changed.status_code) == (200, 304, 200)
    assert changed["ETag"] != first["ETag"]
    assert same.content == b""


def test_live_304_costs_one_query(client, roundtable, django_assert_max_num_queries):
    client.get(_url("floor", roundtable))
    etag = client.get(_url("floor_live", roundtable))["ETag"]

    with django_assert_max_num_queries(1):  # session with event and floor version
        assert client.get(_url("floor_live", roundtable), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_vote_twice_over_http_counts_once(client, event, roundtable, attendee):
    question = services.ask_question(session=roundtable, participant=attendee, text="Câu hỏi")
    services.moderate_question(session=roundtable, question_id=question.pk, action="approve")
    open_personal_link(client, attendee)

    for _ in range(2):
        assert client.post(_url("floor_vote", roundtable, question_id=question.pk), HTTP_X_FLOOR="1").status_code == 200

    assert Question.objects.get().votes == 1
    assert QuestionVote.objects.count() == 1


def test_moderator_by_personal_link_runs_the_queue(client, roundtable, moderator, attendee):
    question = services.ask_question(session=roundtable, participant=attendee, text="Chờ duyệt")
    open_personal_link(client, moderator)

    page = client.get(_url("floor_moderate", roundtable))
    client.post(_url("floor_moderate_question", roundtable, question_id=question.pk), {"action": "approve"})

    assert page.status_code == 200
    assert attendee.full_name in page.content.decode()  # moderators always know who
    assert Question.objects.get().status == "approved"


def test_attendee_cannot_moderate(client, roundtable, attendee):
    question = services.ask_question(session=roundtable, participant=attendee, text="Tự duyệt")
    open_personal_link(client, attendee)

    page = client.get(_url("floor_moderate", roundtable))
    post = client.post(_url("floor_moderate_question", roundtable, question_id=question.pk), {"action": "approve"})

    assert (page.status_code, post.status_code) == (404, 404)
    assert Question.objects.get().status == "pending"


def test_moderate_unknown_action_answers_400(client, roundtable, organizer, attendee):
    question = services.ask_question(session=roundtable, participant=attendee, text="Câu hỏi")
    client.force_login(organizer)

    response = client.post(
        _url("floor_moderate_question", roundtable, question_id=question.pk), {"action": "delete"}, HTTP_X_FLOOR="1"
    )

    assert response.status_code == 400


def test_wall_needs_its_signed_address(client, roundtable, attendee):
    question = services.ask_question(session=roundtable, participant=attendee, text="Lên màn hình?", show_name=False)
    services.moderate_question(session=roundtable, question_id=question.pk, action="approve")

    good = client.get(wall.wall_url(roundtable))
    forged = client.get(_url("floor_wall", roundtable, wall_token="abc"))

    assert good.status_code == 200
    assert "Lên màn hình?" in good.content.decode()
    assert attendee.full_name not in good.content.decode()  # the sender chose "a participant"
    assert forged.status_code == 404


def test_organizer_exports_the_roundtable_as_csv_and_xlsx(client, roundtable, organizer, attendee):
    services.ask_question(session=roundtable, participant=attendee, text='=HYPERLINK("http://x")')
    poll = services.create_poll(session=roundtable, question="Đồng ý?", options=["Có", "Không"])
    client.force_login(organizer)

    csv_body = client.get(_url("floor_export", roundtable, fmt="csv")).content.decode("utf-8-sig")
    xlsx = client.get(_url("floor_export", roundtable, fmt="xlsx"))

    assert "'=HYPERLINK" in csv_body
    assert attendee.full_name in csv_body
    assert f"{poll.question} — Có" in csv_body
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_question_with_a_control_character_still_exports_as_xlsx(client, roundtable, organizer, attendee):
    """Issue #16 found "x\\u0007" breaking an XLSX export with a 500; a phone could send one in a question too."""
    import io

    from openpyxl import load_workbook

    sent = services.ask_question(session=roundtable, participant=attendee, text="Xin hỏi\u0007 diễn giả")
    Question.objects.create(session=roundtable, participant=attendee, text="Câu cũ\u001b")  # saved before
    client.force_login(organizer)

    xlsx = client.get(_url("floor_export", roundtable, fmt="xlsx"))

    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    texts = [cell.value for cell in next(sheet.iter_cols(min_col=2, max_col=2))]
    assert sent.text == "Xin hỏi diễn giả"  # the floor drops it as it arrives
    assert {"Xin hỏi diễn giả", "Câu cũ"} <= set(texts)


def test_questions_votes_and_ballots_are_exported_and_erased_with_the_person(event, roundtable, attendee, organizer):
    other = make_participant(event, full_name="Hoàng Thị Mai", status=ParticipantStatus.APPROVED)
    mine = services.ask_question(session=roundtable, participant=attendee, text="Câu hỏi của tôi")
    theirs = services.ask_question(session=roundtable, participant=other, text="Câu hỏi khác")
    services.moderate_question(session=roundtable, question_id=theirs.pk, action="approve")
    services.vote(session=roundtable, participant=attendee, question_id=theirs.pk)

    sections = privacy.personal_data_json(attendee)["sections"]
    privacy.erase_participant(participant=attendee, by=organizer, reason="Yêu cầu xoá")

    assert [row["question"] for row in sections["floor_questions"]] == [mine.text]
    assert [row["question"] for row in sections["floor_votes"]] == [theirs.text]
    assert list(Question.objects.values_list("text", "votes")) == [("Câu hỏi khác", 0)]
    assert QuestionVote.objects.count() == 0


def test_rate_limit_counts_per_person_not_per_address(client, event, roundtable, attendee, settings):
    from django.core.cache import cache

    cache.clear()  # counters are keyed by participant id, which repeats from test to test
    settings.RATE_LIMIT_FLOOR_QUESTION = (2, 300)
    neighbour = make_participant(event, full_name="Phan Văn Đức", status=ParticipantStatus.APPROVED)
    open_personal_link(client, attendee)
    from django.test import Client

    other = Client()  # the same hall, the same NAT address
    open_personal_link(other, neighbour)

    statuses = [client.post(_url("floor_ask", roundtable), {"text": f"Câu {n}"}).status_code for n in range(3)]
    theirs = other.post(_url("floor_ask", roundtable), {"text": "Câu của tôi"}).status_code

    assert statuses == [302, 302, 429]
    assert theirs == 302
    assert Question.objects.count() == 3


def test_vote_on_a_question_of_another_session_is_not_found(client, event, roundtable, small_room, attendee):
    elsewhere = make_session(event, small_room, "14:00", "15:00", title_vi="Phiên khác")
    question = services.ask_question(session=elsewhere, participant=attendee, text="Ở phiên khác")
    services.moderate_question(session=elsewhere, question_id=question.pk, action="approve")
    open_personal_link(client, attendee)

    response = client.post(_url("floor_vote", roundtable, question_id=question.pk), HTTP_X_FLOOR="1")

    assert response.status_code == 404
    assert response.json()["code"] == "question_not_found"
    assert Question.objects.get().votes == 0


@pytest.mark.parametrize("size", [1, 3])
def test_floor_page_queries_do_not_grow_with_the_questions(client, event, roundtable, attendee, size, count_queries):
    for n in range(size):
        asker = make_participant(event, full_name=f"Người hỏi {n}", status=ParticipantStatus.APPROVED)
        question = services.ask_question(session=roundtable, participant=asker, text=f"Câu hỏi {n}", show_name=True)
        services.moderate_question(session=roundtable, question_id=question.pk, action="approve")
        services.vote(session=roundtable, participant=attendee, question_id=question.pk)
    open_personal_link(client, attendee)
    client.get(_url("floor", roundtable))

    queries = count_queries(lambda: client.get(_url("floor", roundtable)))

    assert queries == FLOOR_PAGE_QUERIES


# The browser session, the event, the session, its publication, the floor, the person, the two role checks,
# the version, the questions, the live poll, my votes, my waiting questions, questions open: fixed whatever
# the number of questions (the live/ address that phones ask every 700 ms costs 1; see above).
FLOOR_PAGE_QUERIES = 15

"""The roundtable floor's rules: questions wait for the moderator, one vote per person, polls, feedback, blocks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.enums import ParticipantStatus
from events.errors import Conflict, DomainError, PermissionDenied
from sessions import services as agenda_services
from sessions.floor import selectors, services
from sessions.models import Question
from tests.agenda.factories import make_session
from tests.events.factories import make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def roundtable(event, small_room, organizer):
    session = make_session(event, small_room, format="roundtable", title_vi="Bàn tròn mở: KOL và pháp luật")
    agenda_services.publish_agenda(event=event, by=organizer)
    return session


def _person(event, name):
    return make_participant(event, full_name=name, status=ParticipantStatus.APPROVED)


def test_ask_question_waits_for_the_moderator_and_moves_the_version(event, roundtable, attendee):
    before = selectors.version(roundtable.pk)

    question = services.ask_question(
        session=roundtable, participant=attendee, text="  Ai chịu trách nhiệm\n khi quảng cáo sai? "
    )

    assert question.text == "Ai chịu trách nhiệm khi quảng cáo sai?"
    assert question.status == "pending"
    assert selectors.audience_view(roundtable, attendee)["questions"] == []
    assert selectors.version(roundtable.pk) > before


def test_ask_question_too_long_or_empty_is_refused(roundtable, attendee):
    with pytest.raises(DomainError) as long:
        services.ask_question(session=roundtable, participant=attendee, text="a" * 281)
    with pytest.raises(DomainError) as empty:
        services.ask_question(session=roundtable, participant=attendee, text="   ")

    assert (long.value.code, empty.value.code) == ("floor_too_long", "floor_empty")
    assert Question.objects.count() == 0


def test_vote_twice_counts_once_and_unvote_takes_it_back(event, roundtable, attendee):
    question = services.ask_question(session=roundtable, participant=attendee, text="Câu hỏi")
    services.moderate_question(session=roundtable, question_id=question.pk, action="approve")
    voter = _person(event, "Lê Văn Hùng")

    first = services.vote(session=roundtable, participant=voter, question_id=question.pk)
    second = services.vote(session=roundtable, participant=voter, question_id=question.pk)

    assert (first, second) == (True, False)
    assert Question.objects.get().votes == 1
    assert services.unvote(session=roundtable, participant=voter, question_id=question.pk) is True
    assert Question.objects.get().votes == 0


def test_vote_on_a_question_the_room_does_not_see_is_refused(roundtable, attendee):
    question = services.ask_question(session=roundtable, participant=attendee, text="Câu hỏi chờ duyệt")

    with pytest.raises(Conflict) as refused:
        services.vote(session=roundtable, participant=attendee, question_id=question.pk)

    assert refused.value.code == "question_not_open"


def test_block_sender_hides_their_questions_and_stops_them(event, roundtable, attendee):
    question = services.ask_question(session=roundtable, participant=attendee, text="Spam spam")
    services.moderate_question(session=roundtable, question_id=question.pk, action="approve")

    services.block_sender(session=roundtable, question_id=question.pk)

    assert Question.objects.get().status == "hidden"
    with pytest.raises(PermissionDenied):
        services.ask_question(session=roundtable, participant=attendee, text="Lại là tôi")


def test_pin_keeps_one_pinned_question(roundtable, attendee):
    first = services.ask_question(session=roundtable, participant=attendee, text="Một")
    second = services.ask_question(session=roundtable, participant=attendee, text="Hai")

    services.moderate_question(session=roundtable, question_id=first.pk, action="pin")
    services.moderate_question(session=roundtable, question_id=second.pk, action="pin")

    assert list(Question.objects.filter(pinned=True).values_list("text", flat=True)) == ["Hai"]


def test_poll_single_choice_one_ballot_per_person_and_results(event, roundtable, attendee):
    poll = services.create_poll(session=roundtable, question="Có nên cấp phép KOL?", options=["Có", "Không", ""])
    yes, no = poll.options.all()
    with pytest.raises(Conflict):
        services.answer_poll(session=roundtable, participant=attendee, poll_id=poll.pk, option_ids=[yes.pk])
    services.open_poll(session=roundtable, poll_id=poll.pk)

    services.answer_poll(session=roundtable, participant=attendee, poll_id=poll.pk, option_ids=[yes.pk])
    with pytest.raises(Conflict) as twice:
        services.answer_poll(session=roundtable, participant=attendee, poll_id=poll.pk, option_ids=[no.pk])
    with pytest.raises(DomainError) as both:
        services.answer_poll(
            session=roundtable, participant=_person(event, "Vũ Thị Lan"), poll_id=poll.pk, option_ids=[yes.pk, no.pk]
        )

    result = selectors.live_poll(roundtable)
    assert twice.value.code == "poll_already_answered"
    assert both.value.code == "poll_choice"
    assert [(o.label, n, pct) for o, n, pct in result.rows] == [("Có", 1, 100), ("Không", 0, 0)]


def test_poll_needs_two_answers(roundtable):
    with pytest.raises(DomainError) as refused:
        services.create_poll(session=roundtable, question="Một đáp án?", options=["Có"])

    assert refused.value.code == "poll_options"


def test_feedback_before_the_session_begins_is_refused_then_replaced(roundtable, attendee):
    with pytest.raises(Conflict):
        services.leave_feedback(session=roundtable, participant=attendee, rating=5)
    roundtable.starts_at = timezone.now() - timedelta(minutes=5)
    roundtable.ends_at = timezone.now() + timedelta(minutes=55)
    roundtable.save()

    services.leave_feedback(session=roundtable, participant=attendee, rating=4, comment="Hay")
    services.leave_feedback(session=roundtable, participant=attendee, rating=5)

    summary = selectors.feedback_summary(roundtable)
    assert (summary["count"], summary["average"]) == (1, 5)
    with pytest.raises(DomainError):
        services.leave_feedback(session=roundtable, participant=attendee, rating=9)

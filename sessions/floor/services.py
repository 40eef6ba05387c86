"""Every write to a session's floor. Each moves Floor.version in its own transaction, so live pages see it.

Rules written once here: a blocked sender neither asks nor votes; the room votes
only on questions it sees; one vote per person per question (a unique row, the
count moved by F() + 1 beside it); one ballot per person per poll; polls take
answers only while open. Errors are DomainErrors with stable codes.
"""

import functools
import random
import time
import unicodedata

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.contention import is_contention
from events.errors import Conflict, DomainError, NotFound, PermissionDenied

from ..enums import PollStatus, QuestionStatus
from ..models import Feedback, Floor, FloorBlock, Poll, PollBallot, PollOption, Question, QuestionVote
from ..models.floor import COMMENT_MAX_LENGTH, QUESTION_MAX_LENGTH

POLL_MAX_OPTIONS = 8


CONTENTION_RETRIES = 2


def busy_on_contention(func):
    """Retry a write that could not get the database's lock in time, then answer 409 "busy", never 500.

    A hall voting at once queues on SQLite's one writer (busy_timeout 5 s) or one PostgreSQL row;
    the writes are idempotent (unique rows), so trying again after a short random pause is safe.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        for attempt in range(CONTENTION_RETRIES + 1):
            try:
                return func(*args, **kwargs)
            except OperationalError as error:
                if not is_contention(error):
                    raise
                if attempt == CONTENTION_RETRIES:
                    raise Conflict("busy", _("Many people are voting right now; please try again in a moment."))
                time.sleep(random.uniform(0.05, 0.3))

    return wrapper


def floor_of(session):
    """The session's Floor row, created on first use (a race to create it is won by one and read by the other)."""
    floor = Floor.objects.filter(session=session).first()
    if floor is not None:
        return floor
    try:
        with transaction.atomic():
            return Floor.objects.create(session=session)
    except IntegrityError:
        return Floor.objects.get(session=session)


def touch(session):
    """Move the floor's version: every live page redraws on its next ask."""
    floor_of(session)
    touch_id(session.pk)


def touch_id(session_id):
    Floor.objects.filter(session_id=session_id).update(version=F("version") + 1)


def _not_blocked(session, participant):
    if FloorBlock.objects.filter(session=session, participant=participant).exists():
        raise PermissionDenied("floor_blocked", _("The moderator has stopped you from posting in this session."))


def _text(value, *, limit, field, required=True):
    # One line, no control characters: no layout tricks on the wall, nothing an export cannot write.
    text = " ".join("".join(c for c in (value or "") if c.isspace() or unicodedata.category(c) != "Cc").split())
    if required and not text:
        raise DomainError("floor_empty", _("Write something first."), field=field)
    if len(text) > limit:
        raise DomainError("floor_too_long", _("At most %(limit)d characters, please.") % {"limit": limit}, field=field)
    return text


@busy_on_contention
def ask_question(*, session, participant, text, show_name=False):
    """Send a question from the floor; it waits for the moderator. Moves the version."""
    _not_blocked(session, participant)
    if not floor_of(session).questions_open:
        raise Conflict("questions_closed", _("Questions are closed for this session."))
    text = _text(text, limit=QUESTION_MAX_LENGTH, field="text")
    with transaction.atomic():
        question = Question.objects.create(session=session, participant=participant, text=text, show_name=show_name)
        touch(session)
    return question


def _question(session, question_id):
    question = Question.objects.filter(session=session, pk=question_id).first()
    if question is None:
        raise NotFound("question_not_found", _("This question does not exist."))
    return question


@busy_on_contention
def vote(*, session, participant, question_id):
    """One upvote per person: the unique row decides, the count moves with it. A second vote is a no-op.

    Returns True when this call counted a vote. One transaction: the row, the
    count, the version.
    """
    _not_blocked(session, participant)
    question = _question(session, question_id)
    if question.status != QuestionStatus.APPROVED:
        raise Conflict("question_not_open", _("This question cannot be voted on."))
    try:
        with transaction.atomic():
            QuestionVote.objects.create(question=question, participant=participant)
            Question.objects.filter(pk=question.pk).update(votes=F("votes") + 1)
            touch_id(session.pk)  # the floor exists: the question was asked there
    except IntegrityError:
        return False  # already voted: the person's second vote counts nothing
    return True


@busy_on_contention
def unvote(*, session, participant, question_id):
    """Take one's vote back; nothing happens when there was none."""
    question = _question(session, question_id)
    with transaction.atomic():
        deleted, _rows = QuestionVote.objects.filter(question=question, participant=participant).delete()
        if deleted:
            Question.objects.filter(pk=question.pk, votes__gt=0).update(votes=F("votes") - 1)
            touch(session)
    return bool(deleted)


MODERATION = {
    "approve": {"status": QuestionStatus.APPROVED},
    "hide": {"status": QuestionStatus.HIDDEN, "pinned": False},
    "answered": {"status": QuestionStatus.ANSWERED, "pinned": False},
    "pin": {"status": QuestionStatus.APPROVED, "pinned": True},
    "unpin": {"pinned": False},
}


def moderate_question(*, session, question_id, action):
    """Approve, hide, pin, unpin or mark answered (one of MODERATION). Moves the version."""
    if action not in MODERATION:
        raise DomainError("unknown_action", _("Unknown action."), field="action")
    question = _question(session, question_id)
    with transaction.atomic():
        if action == "pin":  # one pinned question: the one being answered now
            Question.objects.filter(session=session, pinned=True).update(pinned=False)
        Question.objects.filter(pk=question.pk).update(**MODERATION[action])
        touch(session)


def block_sender(*, session, question_id, by=None):
    """Stop the sender of a question from asking and voting in this session; hide their questions."""
    question = _question(session, question_id)
    with transaction.atomic():
        FloorBlock.objects.get_or_create(session=session, participant=question.participant, defaults={"by": by})
        Question.objects.filter(session=session, participant=question.participant).exclude(
            status=QuestionStatus.ANSWERED
        ).update(status=QuestionStatus.HIDDEN, pinned=False)
        touch(session)


def set_questions_open(*, session, open):
    floor_of(session)
    with transaction.atomic():
        Floor.objects.filter(session=session).update(questions_open=open)
        touch(session)


def create_poll(*, session, question, options, multiple=False):
    """A poll in draft with 2 to POLL_MAX_OPTIONS answers (blank lines dropped)."""
    question = _text(question, limit=200, field="question")
    labels = [label for label in (" ".join(o.split()) for o in options) if label]
    if not 2 <= len(labels) <= POLL_MAX_OPTIONS:
        raise DomainError(
            "poll_options", _("Give between 2 and %(max)d answers.") % {"max": POLL_MAX_OPTIONS}, field="options"
        )
    if any(len(label) > 120 for label in labels):
        raise DomainError(
            "floor_too_long", _("At most %(limit)d characters, please.") % {"limit": 120}, field="options"
        )
    with transaction.atomic():
        poll = Poll.objects.create(session=session, question=question, multiple=multiple)
        PollOption.objects.bulk_create(
            [PollOption(poll=poll, label=label, position=n) for n, label in enumerate(labels)]
        )
        touch(session)
    return poll


def _poll(session, poll_id):
    poll = Poll.objects.filter(session=session, pk=poll_id).first()
    if poll is None:
        raise NotFound("poll_not_found", _("This poll does not exist."))
    return poll


def open_poll(*, session, poll_id):
    """Open a poll; any other open poll of the session closes (the wall shows one live poll)."""
    poll = _poll(session, poll_id)
    with transaction.atomic():
        Poll.objects.filter(session=session, status=PollStatus.OPEN).exclude(pk=poll.pk).update(
            status=PollStatus.CLOSED
        )
        Poll.objects.filter(pk=poll.pk).update(status=PollStatus.OPEN)
        touch(session)


def close_poll(*, session, poll_id):
    poll = _poll(session, poll_id)
    with transaction.atomic():
        Poll.objects.filter(pk=poll.pk).update(status=PollStatus.CLOSED)
        touch(session)


@busy_on_contention
def answer_poll(*, session, participant, poll_id, option_ids):
    """Cast one ballot: one or (multiple choice) several of the poll's answers, once per person."""
    poll = _poll(session, poll_id)
    if poll.status != PollStatus.OPEN:
        raise Conflict("poll_closed", _("This poll is not open."))
    chosen = list(PollOption.objects.filter(poll=poll, pk__in=option_ids))
    if not chosen or (len(chosen) > 1 and not poll.multiple):
        raise DomainError(
            "poll_choice",
            _("Choose one answer.") if not poll.multiple else _("Choose at least one answer."),
            field="option",
        )
    try:
        with transaction.atomic():
            ballot = PollBallot.objects.create(poll=poll, participant=participant)
            ballot.options.set(chosen)
            touch(session)
    except IntegrityError:
        raise Conflict("poll_already_answered", _("You have already answered this poll."))
    return ballot


@busy_on_contention
def leave_feedback(*, session, participant, rating, comment=""):
    """Rate the session 1-5 with an optional comment, once the session has begun; a second time replaces the first."""
    if timezone.now() < session.starts_at:
        raise Conflict("feedback_too_early", _("Feedback opens when the session begins."))
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise DomainError("feedback_rating", _("Choose a rating from 1 to 5."), field="rating")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise DomainError(
            "floor_too_long",
            _("At most %(limit)d characters, please.") % {"limit": COMMENT_MAX_LENGTH},
            field="comment",
        )
    feedback, _created = Feedback.objects.update_or_create(
        session=session, participant=participant, defaults={"rating": rating, "comment": comment}
    )
    return feedback

"""What the phone, the moderator and the wall draw: a fixed number of queries each, whatever the room asks."""

from dataclasses import dataclass

from django.db.models import Avg, Count
from django.utils.translation import gettext as _

from events.enums import EventStatus

from ..enums import VISIBLE_QUESTIONS, PollStatus, QuestionStatus
from ..models import Feedback, Floor, FloorBlock, Poll, PollBallot, PollOption, Question, QuestionVote, Session

WALL_QUESTIONS = 6


def live_session(slug, pk):
    """The session behind a live/ address with its event and floor, in one query; None for no live floor.

    A floor exists only once a published session's page was opened (views create it there), so a
    poll never reads the large published snapshot: 500 phones asking every 700 ms stay cheap.
    """

    return (
        Session.objects.select_related("event", "floor", "room")
        .filter(pk=pk, event__slug=slug, cancelled_at__isnull=True, floor__isnull=False)
        .exclude(event__status=EventStatus.DRAFT)
        .first()
    )


def version(session_id):
    """The floor's version, or 0 before anything happened: the live pages' ETag (one indexed read)."""
    return Floor.objects.filter(session_id=session_id).values_list("version", flat=True).first() or 0


def questions_open(session):
    return Floor.objects.filter(session=session).values_list("questions_open", flat=True).first() is not False


def shown_name(question):
    """What the room reads as the sender: their name if they chose so, else "A participant"."""
    return question.participant.full_name if question.show_name else _("A participant")


@dataclass(frozen=True)
class PollResult:
    poll: Poll
    rows: list  # [(option, count, percent)]
    ballots: int


def poll_results(polls):
    """PollResults for `polls`, counted from the ballots in two queries."""
    polls = list(polls)
    options = PollOption.objects.filter(poll__in=polls).annotate(n=Count("ballots")).order_by("position", "pk")
    ballots = dict(
        PollBallot.objects.filter(poll__in=polls).values("poll").annotate(n=Count("pk")).values_list("poll", "n")
    )
    by_poll = {poll.pk: [] for poll in polls}
    for option in options:
        by_poll[option.poll_id].append(option)
    results = []
    for poll in polls:
        total = ballots.get(poll.pk, 0)
        rows = [(o, o.n, round(100 * o.n / total) if total else 0) for o in by_poll[poll.pk]]
        results.append(PollResult(poll=poll, rows=rows, ballots=total))
    return results


def live_poll(session):
    poll = Poll.objects.filter(session=session, status=PollStatus.OPEN).first()
    return poll_results([poll])[0] if poll else None


def audience_view(session, participant):
    """The phone's view: the questions the room sees, my votes, my own waiting questions, the live poll."""
    visible = list(Question.objects.filter(session=session, status__in=VISIBLE_QUESTIONS).select_related("participant"))
    mine = set()
    waiting = []
    ballot = None
    poll = live_poll(session)
    if participant is not None:
        mine = set(
            QuestionVote.objects.filter(question__session=session, participant=participant).values_list(
                "question_id", flat=True
            )
        )
        waiting = list(Question.objects.filter(session=session, participant=participant, status=QuestionStatus.PENDING))
        if poll is not None:
            ballot = PollBallot.objects.filter(poll=poll.poll, participant=participant).first()
    return {
        "questions": [(q, shown_name(q), q.pk in mine) for q in visible if q.status == QuestionStatus.APPROVED],
        "answered": [(q, shown_name(q)) for q in visible if q.status == QuestionStatus.ANSWERED],
        "waiting": waiting,
        "poll": poll,
        "ballot": ballot,
        "questions_open": questions_open(session),
    }


def moderation_view(session):
    """Every question with its real sender (moderators always know who), the blocked, every poll's results."""
    questions = list(Question.objects.filter(session=session).select_related("participant"))
    by_status = {status: [] for status in QuestionStatus.values}
    for question in questions:
        by_status[question.status].append((question, shown_name(question)))
    return {
        "by_status": by_status,
        "pending": by_status[QuestionStatus.PENDING],
        "approved": by_status[QuestionStatus.APPROVED],
        "answered": by_status[QuestionStatus.ANSWERED],
        "hidden": by_status[QuestionStatus.HIDDEN],
        "blocked": list(FloorBlock.objects.filter(session=session).select_related("participant")),
        "polls": poll_results(Poll.objects.filter(session=session)),
        "questions_open": questions_open(session),
    }


def wall_view(session):
    """The projector: the pinned question, the top approved ones, the live poll."""
    top = list(
        Question.objects.filter(session=session, status=QuestionStatus.APPROVED).select_related("participant")[
            :WALL_QUESTIONS
        ]
    )
    return {
        "questions": [(q, shown_name(q)) for q in top],
        "poll": live_poll(session),
        "answered": Question.objects.filter(session=session, status=QuestionStatus.ANSWERED).count(),
    }


def feedback_summary(session):
    rows = Feedback.objects.filter(session=session).order_by("-created_at")
    figures = rows.aggregate(average=Avg("rating"), count=Count("pk"))
    return {"feedback": list(rows), "average": figures["average"], "count": figures["count"]}

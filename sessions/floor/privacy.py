"""A person's questions, votes, poll ballots and feedback: in their data export, and erased with them.

The rows go by CASCADE when the participant row goes; an erasure that keeps an
anonymised row (events' erasure) calls `erase_floor` below, which also takes
their votes off the counts the room sees.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from events.extensions import personal_data_eraser, personal_data_section

from ..models import Feedback, PollBallot, Question, QuestionVote
from . import services


def _when(value):
    return timezone.localtime(value).isoformat() if value else None


@personal_data_section(order=32)
def questions_section(participant):
    rows = [
        {
            "session": str(q.session),
            "question": q.text,
            "name_shown": q.show_name,
            "status": q.get_status_display(),
            "votes": q.votes,
            "sent_at": _when(q.created_at),
        }
        for q in Question.objects.filter(participant=participant).select_related("session")
    ]
    return ("floor_questions", _("Questions from the floor"), rows)


@personal_data_section(order=33)
def votes_section(participant):
    votes = [
        {"session": str(v.question.session), "question": v.question.text, "voted_at": _when(v.created_at)}
        for v in QuestionVote.objects.filter(participant=participant).select_related("question__session")
    ]
    ballots = [
        {
            "session": str(b.poll.session),
            "poll": b.poll.question,
            "answers": [o.label for o in b.options.all()],
            "answered_at": _when(b.created_at),
        }
        for b in PollBallot.objects.filter(participant=participant)
        .select_related("poll__session")
        .prefetch_related("options")
    ]
    feedback = [
        {"session": str(f.session), "rating": f.rating, "comment": f.comment, "given_at": _when(f.created_at)}
        for f in Feedback.objects.filter(participant=participant).select_related("session")
    ]
    return ("floor_votes", _("Votes, poll answers and feedback"), votes + ballots + feedback)


@personal_data_eraser
def erase_floor(participant):
    """Delete the person's questions, votes (taken off the counts), ballots and feedback; live pages redraw."""
    with transaction.atomic():
        sessions = set(Question.objects.filter(participant=participant).values_list("session_id", flat=True))
        for vote in QuestionVote.objects.filter(participant=participant).select_related("question"):
            sessions.add(vote.question.session_id)
            Question.objects.filter(pk=vote.question_id, votes__gt=0).update(votes=F("votes") - 1)
        QuestionVote.objects.filter(participant=participant).delete()
        Question.objects.filter(participant=participant).delete()
        PollBallot.objects.filter(participant=participant).delete()
        Feedback.objects.filter(participant=participant).delete()
        for session_id in sessions:
            services.touch_id(session_id)

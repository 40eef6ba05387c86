"""The open roundtable live: questions from the floor, their votes, polls and feedback of one session.

Counts shown live (a question's votes) are kept on the row and moved only by
`F() + 1` in the same transaction that inserts the unique vote row, so the
count is exactly the number of vote rows however many phones vote at once.
`Floor.version` moves on every change; the live pages ask for it with
If-None-Match and get a 304 from one indexed read (sessions/floor/live.py).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Participant

from ..enums import PollStatus, QuestionStatus
from .session import Session

QUESTION_MAX_LENGTH = 280
COMMENT_MAX_LENGTH = 1000


def one_per_person(of, name):
    """The database's guarantee that a person has at most one row per `of` (a vote per question, a
    ballot per poll, ...), whatever races above it: the services insert and catch the IntegrityError."""
    return models.UniqueConstraint(fields=[of, "participant"], name=name)


class PersonsRow(models.Model):
    """A row a participant has once per `of` (a field name): a vote, a block, a ballot, a feedback."""

    of = None

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.participant} · {getattr(self, self.of)}"


class Floor(models.Model):
    """One session's live state: its version (moved by every change) and whether questions are open."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="floor", verbose_name=_("session"))
    version = models.PositiveBigIntegerField(_("version"), default=1)
    questions_open = models.BooleanField(_("questions open"), default=True)

    class Meta:
        verbose_name = _("roundtable floor")
        verbose_name_plural = _("roundtable floors")

    def __str__(self):
        return f"{self.session} v{self.version}"


class Question(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="questions", verbose_name=_("session"))
    # CASCADE: a person's questions go with the erasure of their data (Decree 356/2025).
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="floor_questions", verbose_name=_("sender")
    )
    text = models.CharField(_("question"), max_length=QUESTION_MAX_LENGTH)
    show_name = models.BooleanField(_("show my name"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.PENDING
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    votes = models.PositiveIntegerField(_("votes"), default=0, editable=False)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("question from the floor")
        verbose_name_plural = _("questions from the floor")
        ordering = ["-pinned", "-votes", "created_at", "pk"]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self):
        return self.text[:60]


class QuestionVote(PersonsRow):
    of = "question"

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="vote_rows", verbose_name=_("question")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="floor_votes", verbose_name=_("participant")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote on a question")
        verbose_name_plural = _("votes on questions")
        constraints = [one_per_person("question", "one_vote_per_question")]


class FloorBlock(PersonsRow):
    """A sender the moderator has stopped from asking or voting in this session."""

    of = "session"
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="floor_blocks", verbose_name=_("session")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="floor_blocks", verbose_name=_("participant")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("blocked by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("blocked sender")
        verbose_name_plural = _("blocked senders")
        constraints = [one_per_person("session", "one_block_per_session")]


class Poll(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="polls", verbose_name=_("session"))
    question = models.CharField(_("poll question"), max_length=200)
    multiple = models.BooleanField(_("several answers allowed"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=PollStatus.choices, default=PollStatus.DRAFT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.question


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options", verbose_name=_("poll"))
    label = models.CharField(_("answer"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("poll answer")
        verbose_name_plural = _("poll answers")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label


class PollBallot(PersonsRow):
    """A person's answer to a poll: one row per poll and person, with the options they chose."""

    of = "poll"
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("poll"))
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="poll_ballots", verbose_name=_("participant")
    )
    options = models.ManyToManyField(PollOption, related_name="ballots", verbose_name=_("answers"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("poll ballot")
        verbose_name_plural = _("poll ballots")
        constraints = [one_per_person("poll", "one_ballot_per_poll")]


class Feedback(PersonsRow):
    of = "session"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("session"))
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="session_feedback", verbose_name=_("participant")
    )
    rating = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session feedback")
        verbose_name_plural = _("session feedback")
        constraints = [
            one_per_person("session", "one_feedback_per_session"),
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"),
        ]

    def __str__(self):
        return f"{super().__str__()} ({self.rating}/5)"

"""Models of the agenda app (label "agenda"), one module per concept."""

from .floor import Feedback, Floor, FloorBlock, Poll, PollBallot, PollOption, Question, QuestionVote
from .meetings import (
    Meeting,
    MeetingHold,
    MeetingPlace,
    MeetingProfile,
    MeetingRequest,
    MeetingRules,
    MeetingWindow,
)
from .override import ConflictOverride
from .publication import Publication
from .reservation import Bookmark, Reservation
from .room import Room
from .session import Session, SessionPerson
from .track import Track

__all__ = [
    "Feedback",
    "Floor",
    "FloorBlock",
    "Poll",
    "PollBallot",
    "PollOption",
    "Question",
    "QuestionVote",
    "Meeting",
    "MeetingHold",
    "MeetingPlace",
    "MeetingRequest",
    "MeetingProfile",
    "MeetingRules",
    "MeetingWindow",
    "Bookmark",
    "ConflictOverride",
    "Publication",
    "Reservation",
    "Room",
    "Session",
    "SessionPerson",
    "Track",
]

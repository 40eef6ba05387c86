"""Models of the agenda app (label "agenda"), one module per concept."""

from .floor import Feedback, Floor, FloorBlock, Poll, PollBallot, PollOption, Question, QuestionVote
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
    "Bookmark",
    "ConflictOverride",
    "Publication",
    "Reservation",
    "Room",
    "Session",
    "SessionPerson",
    "Track",
]

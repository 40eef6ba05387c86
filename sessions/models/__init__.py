"""Models of the agenda app (label "agenda"), one module per concept."""

from .override import ConflictOverride
from .publication import Publication
from .reservation import Bookmark, Reservation
from .room import Room
from .session import Session, SessionPerson
from .track import Track

__all__ = [
    "Bookmark",
    "ConflictOverride",
    "Publication",
    "Reservation",
    "Room",
    "Session",
    "SessionPerson",
    "Track",
]

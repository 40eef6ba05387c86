"""Who may run a session's floor: its moderator (a participant signed in by their personal link) or an organizer."""

from events import permissions

from ..enums import PersonRole
from ..models import SessionPerson


def moderates(session, *, participant=None, user=None):
    """True for organizers and for the participant who is this session's moderator."""
    if user is not None and permissions.is_organizer(user):
        return True
    return (
        participant is not None
        and SessionPerson.objects.filter(session=session, participant=participant, role=PersonRole.MODERATOR).exists()
    )


def sees_feedback(session, *, participant=None, user=None):
    """Organizers and the session's own people (moderator, speakers, panelists) read its feedback."""
    if user is not None and permissions.is_organizer(user):
        return True
    return participant is not None and SessionPerson.objects.filter(session=session, participant=participant).exists()

"""Who may do what: named predicates that views, routers and admin actions call.

Roles are Django groups so organizers can grant them in the admin. Attendees
have no account: their magic-link session names the participant records they
own (see events.links).
"""

from django.utils.translation import gettext_lazy as _

ORGANIZER = "Organizer"
DOOR_STAFF = "Door staff"
DOOR_SUPERVISOR = "Door supervisor"

ROLE_LABELS = {ORGANIZER: _("Organizer"), DOOR_STAFF: _("Door staff"), DOOR_SUPERVISOR: _("Door supervisor")}


def _in_group(user, group):
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    # Cache the group names on the user object: several checks run per request.
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True))
    return group in user._role_names


def is_organizer(user):
    return _in_group(user, ORGANIZER)


def is_door_staff(user):
    return _in_group(user, DOOR_STAFF) or _in_group(user, DOOR_SUPERVISOR) or is_organizer(user)


def is_door_supervisor(user):
    return _in_group(user, DOOR_SUPERVISOR) or is_organizer(user)


def can_decide_applications(user):
    return is_organizer(user)


def can_read_participants(user):
    return is_organizer(user)


def can_run_signing_kiosk(user):
    # The signing table is staffed like the doors: door staff, supervisors, organizers.
    return is_door_staff(user)


def can_manage_declarations(user):
    return is_organizer(user)


def can_read_all_signatures(user):
    return is_organizer(user)


def can_manage_badges(user):
    """Issue, reissue, print and download any participant's badge."""
    return is_organizer(user)


def can_manage_payments(user):
    """Mark transfers received, import bank statements, refund, cancel orders."""
    return is_organizer(user)


def can_send_mail(user):
    """Compose, preview, send and retry e-mails to participants."""
    return is_organizer(user)

"""Who may do what: the one table of roles and permissions, and the named predicates built on it.

Roles are Django groups so organizers can grant them in the admin. A role holds
permissions (ROLE_PERMISSIONS); an API token holds a subset of the same names
as its scopes and can never do more than its user (see events.common.api.require).
Attendees have no account: their magic-link session names the participant
records they own (see events.links), so their rights are "their own records
only" and are checked by ownership, not by this table.

To add a permission: add a constant, put it in PERMISSIONS with its label, give
it to the roles that need it, and name it in the view or router
(`require(request, permissions.X)`). tests/test_access_matrix.py
checks every URL and API operation against the table.
"""

from django.utils.translation import gettext_lazy as _

ORGANIZER = "Organizer"
DOOR_STAFF = "Door staff"
DOOR_SUPERVISOR = "Door supervisor"

ROLE_LABELS = {ORGANIZER: _("Organizer"), DOOR_STAFF: _("Door staff"), DOOR_SUPERVISOR: _("Door supervisor")}

# Permission names double as API token scopes.
SCAN = "checkin:scan"
READ_ARRIVALS = "checkin:read"
UNDO_SCAN = "checkin:undo"
READ_PARTICIPANTS = "participants:read"
DECIDE_APPLICATIONS = "participants:decide"
MANAGE_BADGES = "badges:read"
READ_SIGNATURES = "declarations:read"
MANAGE_DECLARATIONS = "declarations:manage"
RUN_SIGNING_KIOSK = "declarations:kiosk"
WRITE_AGENDA = "agenda:write"
MANAGE_PAYMENTS = "payments:manage"

PERMISSIONS = {
    SCAN: _("Scan badges at the door"),
    UNDO_SCAN: _("Undo an admission at the door"),
    READ_ARRIVALS: _("Watch live arrivals"),
    READ_PARTICIPANTS: _("Read participants"),
    DECIDE_APPLICATIONS: _("Approve or reject applications"),
    MANAGE_BADGES: _("Issue, print and download any badge"),
    READ_SIGNATURES: _("Read all declaration signatures"),
    MANAGE_DECLARATIONS: _("Manage declarations"),
    RUN_SIGNING_KIOSK: _("Run the signing kiosk"),
    WRITE_AGENDA: _("Edit and publish the agenda"),
    MANAGE_PAYMENTS: _("Mark transfers received, import statements, refund"),
}

# The matrix: role -> what it may do. Supervisors do everything door staff do, undo, and watch
# live arrivals (they decide where to send door staff when a queue builds up).
ROLE_PERMISSIONS = {
    DOOR_STAFF: frozenset({SCAN, RUN_SIGNING_KIOSK}),
    DOOR_SUPERVISOR: frozenset({SCAN, UNDO_SCAN, READ_ARRIVALS, RUN_SIGNING_KIOSK}),
    ORGANIZER: frozenset(PERMISSIONS),
}

# Scopes an API token may be issued with: every permission is also a scope.
TOKEN_SCOPES = frozenset(PERMISSIONS)


def _role_names(user):
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    # Cache the group names on the user object: several checks run per request.
    if not hasattr(user, "_role_names"):
        user._role_names = frozenset(user.groups.values_list("name", flat=True))
    return user._role_names


def permissions_of(user):
    """Every permission the user holds through their roles (superusers hold all)."""
    if user and user.is_authenticated and user.is_active and user.is_superuser:
        return frozenset(PERMISSIONS)
    granted = set()
    for role in _role_names(user):
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(granted)


def has_permission(user, permission, *, token=None):
    """True when the user's roles grant `permission` and, for a token, its scopes include it too."""
    if permission not in PERMISSIONS:
        raise ValueError(f"Unknown permission {permission!r}: declare it in events.permissions.PERMISSIONS")
    if token is not None and permission not in token.scopes:
        return False
    return permission in permissions_of(user)


def is_organizer(user):
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser) or (
        ORGANIZER in _role_names(user)
    )


def is_door_staff(user):
    return has_permission(user, SCAN)


def is_door_supervisor(user):
    return has_permission(user, UNDO_SCAN)


def can_watch_arrivals(user):
    return has_permission(user, READ_ARRIVALS)


def can_decide_applications(user):
    return has_permission(user, DECIDE_APPLICATIONS)


def can_read_participants(user):
    return has_permission(user, READ_PARTICIPANTS)


def can_run_signing_kiosk(user):
    return has_permission(user, RUN_SIGNING_KIOSK)


def can_manage_declarations(user):
    return has_permission(user, MANAGE_DECLARATIONS)


def can_read_all_signatures(user):
    return has_permission(user, READ_SIGNATURES)


def can_manage_badges(user):
    """Issue, reissue, print and download any participant's badge."""
    return has_permission(user, MANAGE_BADGES)


def can_manage_payments(user):
    """Mark transfers received, import bank statements, refund, cancel orders."""
    return has_permission(user, MANAGE_PAYMENTS)


def can_write_agenda(user):
    return has_permission(user, WRITE_AGENDA)


def can_send_mail(user):
    """Compose, preview, send and retry e-mails to participants."""
    return is_organizer(user)


def token_covers_event(token, event_id):
    """A token bound to one event acts for that event only; an unbound token (or none) is not limited here."""
    return token is None or token.event_id is None or token.event_id == event_id

"""Ticketing's part of flows that start on the ground floor, each written out in order in one place.

events fires its hooks (events.extensions); ticketing connects one function per
flow here, from TicketingConfig.ready(), so a reader following
events.services.decide_application lands on every step below.
"""

from .services import badges
from .services.issuing import issue_free_pass


def after_approval(participant):
    """An approved participant (events.extensions.APPROVED, run by a job after the approval commits):

    1. the free pass their category gets, if any (KOLs, regulators and platforms: passes are not sold
       to them); a full quota leaves them without one, logged, for organizers to see;
    2. the badge, once they hold a valid ticket (the free pass, or a business pass already paid),
       e-mailed to them with their signing PIN.

    Both steps are idempotent: the job may run again.
    """
    issue_free_pass(participant)
    badges.issue_badge_if_valid(participant)

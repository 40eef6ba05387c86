"""The organizers' back office for ticketing, one module per desk of it.

- door:     admissions, the scan log, check-in conflicts, event keys
- badges:   badges, the participant list's "issue badges" action and badge filter, bulk print jobs
- sales:    quotas, ticket types, vouchers
- orders:   orders with their positions, payments and notes; the money actions
- payments: payments, refunds, bank transfers to review, Stripe events
- waitlist: the waiting list for sold-out passes, in line order

Importing the package registers every model admin (Django's autodiscovery imports it).
"""

from . import badges, door, orders, payments, sales, waitlist  # noqa: F401 (each registers its model admins)
from .badges import BadgeListFilter, issue_badges

__all__ = ["BadgeListFilter", "issue_badges"]

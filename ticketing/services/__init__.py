"""Ticketing business processes, one module per process.

quotas: taking and giving back seats; orders: buying, vouchers, expiry,
cancellation, buying a waiting-list offer; waitlist: the line for sold-out
passes and the offers of freed seats; payments: confirming money and
refunding; issuing: free passes on approval and turning paid passes into
participants; receipts: the PDF mail; badges: issuing, reissuing, verifying
and printing badges.
"""

# Badges are used as `services.issue_badge(...)` across the app and its callers.
from .badges import (  # noqa: E402, F401 - the package's public face
    badge_pdf_path,
    badges_pdf,
    check_badge_code,
    check_print_filter,
    create_print_job,
    event_key,
    fail_print_job,
    finish_print_job,
    issue_badge,
    issue_badge_if_valid,
    issue_badges,
    mark_printed,
    participant_for_badge_code,
    public_keys,
    reissue_badge,
    render_print_chunk,
    sign_badges_in_bulk,
    start_print_job,
)

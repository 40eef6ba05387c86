"""Money in whole đồng, written in the reader's convention: 1.500.000 ₫ in Vietnamese, 1,500,000 ₫ in English."""

from django.utils import formats


def format_vnd(amount):
    """The amount grouped with the active language's thousand separator, then the đồng sign."""
    if amount is None:
        return "—"
    sign = "-" if amount < 0 else ""
    grouped = formats.number_format(abs(int(amount)), decimal_pos=0, force_grouping=True)
    return f"{sign}{grouped} ₫"

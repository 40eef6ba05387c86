"""Money in whole đồng, written the Vietnamese way: 1.500.000 ₫."""


def format_vnd(amount):
    if amount is None:
        return "—"
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(int(amount)):,}".replace(",", ".") + " ₫"

"""Models of the ticketing app, one module per concept (tickets and orders, badges, check-in)."""

from .badge import Badge, EventKey, PrintJob

__all__ = ["Badge", "EventKey", "PrintJob"]

"""Sessions API router, mounted by conference.api."""

from ninja import Router

router = Router(tags=["agenda"])

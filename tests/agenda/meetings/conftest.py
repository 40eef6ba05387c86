"""Fixtures of the meeting tests: real signed badges for the desk (issued through ticketing)."""

from tests.events.conftest import badge_code  # noqa: F401 - the fixture, by name

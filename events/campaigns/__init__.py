"""Organizer communications: compose, preview, send, retry, opt out, and the day-before reminder."""

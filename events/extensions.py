"""Where the upper apps plug into the ground floor without events importing them.

ticketing and sessions build on events, so events never imports them. Instead
they register here, from their AppConfig.ready():

    @personal_panel(order=20)
    def badge_panel(request, participant):   # -> HTML string, or None to show nothing
        ...

    @demo_seeder(order=20)
    def seed_tickets(event):                  # called by `manage.py seed_demo` for the demo conference
        ...

    @on_participant_approved
    def issue_free_pass(participant):        # called by events.services after an approval commits
        ...

Listeners are plain function calls made explicitly by events.services (not
Django signals), in registration order, after the approval's transaction.
"""

_panels = []
_seeders = []
_approval_listeners = []


def personal_panel(order=50):
    def register(func):
        _panels.append((order, func))
        _panels.sort(key=lambda item: item[0])
        return func

    return register


def demo_seeder(order=50):
    def register(func):
        _seeders.append((order, func))
        _seeders.sort(key=lambda item: item[0])
        return func

    return register


def render_personal_panels(request, participant):
    """The HTML of every registered panel for this participant's personal page, in order."""
    rendered = (func(request, participant) for _order, func in _panels)
    return [html for html in rendered if html]


def run_demo_seeders(event, stdout=None):
    for _order, func in _seeders:
        func(event)
        if stdout is not None:
            stdout.write(f"  seeded {func.__module__}.{func.__name__}")


def on_participant_approved(func):
    """Register func(participant), called once a participant's approval has committed."""
    if func not in _approval_listeners:
        _approval_listeners.append(func)
    return func


def participant_approved(participant):
    """Tell every registered listener that this participant is now approved (after the commit)."""
    for func in _approval_listeners:
        func(participant)

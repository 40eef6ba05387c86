"""The declared hooks (issue #17 item 1): each documented, each fired, receivers only from ready()."""

import importlib
import inspect
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from events import extensions
from events.extensions import HOOKS


def _resolve(dotted):
    module_path, _sep, rest = dotted.partition(":")
    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:]:
            target = getattr(target, name)
        return target.fget if isinstance(target, property) else target
    raise ImportError(dotted)


def test_who_plugs_in_where_is_printed():
    out = io.StringIO()
    call_command("hooks", stdout=out)
    printed = out.getvalue()
    print(printed)  # noqa: T201 - the map of the house, in the test log
    assert (
        "approved (one receiver); fired by events.tasks.after_approval\n    ticketing.flows.after_approval" in printed
    )
    assert "personal_panels (ordered)" in printed and "sessions.views.personal_panel  [order 30]" in printed


@pytest.mark.parametrize("hook", list(HOOKS.values()), ids=list(HOOKS))
def test_every_hook_is_documented_and_fired_somewhere(hook):
    assert hook.doc.startswith("Carries") and "Fired" in hook.doc, hook.name
    assert "Order" in hook.doc or hook.single, f"{hook.name}: in which order do its receivers run?"
    assert len(hook.doc) > 120, hook.name
    via = getattr(extensions, hook.via)
    assert hook.name in inspect.getsource(via) or hook.name.upper() in inspect.getsource(via), hook.via
    assert hook.fired_by
    for dotted in hook.fired_by:
        assert f"{hook.via}(" in inspect.getsource(_resolve(dotted)), f"{dotted} does not fire {hook.name}"


@pytest.mark.parametrize("hook", list(HOOKS.values()), ids=list(HOOKS))
def test_every_hook_has_its_receivers_from_the_apps(hook):
    assert hook.connected(), f"{hook.name}: no app connects to it"


def test_receivers_connect_only_from_ready_and_never_twice():
    with pytest.raises(ImproperlyConfigured, match="AppConfig.ready"):
        extensions.event_link(order=99)(lambda event: [])
    hook = extensions.Hook("test_only", "Carries nothing. Fired never.", via="event_links", fired_by=[], ordered=True)
    try:
        from django.apps import apps

        apps.ready = False  # as while the apps' ready() run
        try:

            def first(event):
                return []

            def second(event):
                return []

            hook.connect(first, order=10)
            with pytest.raises(ImproperlyConfigured, match="connected twice"):
                hook.connect(first, order=20)
            with pytest.raises(ImproperlyConfigured, match="both take order 10"):
                hook.connect(second, order=10)
        finally:
            apps.ready = True
    finally:
        del HOOKS["test_only"]


def test_a_one_receiver_hook_refuses_a_second():
    from django.apps import apps

    apps.ready = False
    try:
        with pytest.raises(ImproperlyConfigured, match="takes one receiver"):
            extensions.on_approved(lambda participant: None)
    finally:
        apps.ready = True

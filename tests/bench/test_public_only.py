"""Benchmarks call the project's public functions only, as tests do (issue #22).

bench/badges.py once called ticketing.services._signed; when services became a package the
scenario crashed and nothing noticed. This reads every bench module, and the Django shell code
its scenarios send to `manage.py shell -c` (upper-case string constants), for a private name
taken from one of our apps.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
APPS = ("events", "ticketing", "sessions", "conference")


def _trees(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    yield tree
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                try:
                    yield ast.parse(node.value.value)
                except SyntaxError:
                    continue


def private_uses(tree):
    """Private names this code takes from our apps: `from app.x import _y`, `app_module._y`."""
    ours, found = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in APPS:
            for alias in node.names:
                ours.add(alias.asname or alias.name)
                if alias.name.startswith("_"):
                    found.append(f"{node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            ours.update(a.asname or a.name.split(".")[0] for a in node.names if a.name.split(".")[0] in APPS)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ours:
            if node.attr.startswith("_") and not node.attr.startswith("__"):
                found.append(f"{node.value.id}.{node.attr}")
    return found


def test_bench_code_uses_no_private_name_of_our_apps():
    found = {
        path.name: uses
        for path in sorted((ROOT / "bench").glob("*.py"))
        if (uses := [use for tree in _trees(path) for use in private_uses(tree)])
    }

    assert found == {}


def test_the_check_finds_a_private_call_such_as_the_one_that_broke_the_badges_bench():
    code = "from ticketing import services\nservices._signed(participant, 1)\nfrom events.links import _read\n"

    assert private_uses(ast.parse(code)) == ["events.links._read", "services._signed"]

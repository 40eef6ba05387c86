"""The floors hold (issue #17 item 3): `lint-imports` keeps pyproject.toml's contracts (the layers, no
circle between sibling modules), and it really fails on an arrow up a floor, between ticketing and
sessions, or on a circle closed by a deferred import."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def _lint(folder):
    return subprocess.run([LINT_IMPORTS], cwd=folder, capture_output=True, text=True, timeout=120)


def test_the_project_keeps_its_floors():
    answer = _lint(ROOT)
    assert answer.returncode == 0, answer.stdout + answer.stderr


@pytest.mark.parametrize(
    "module, arrow",
    [
        ("events/leak.py", "from ticketing import models\n"),
        ("events/leak.py", "def late():\n    from conference import settings  # deferred imports count too\n"),
        ("ticketing/leak.py", "import sessions.services\n"),
        ("ticketing/services/quotas.py", "def late():\n    from . import payments  # payments imports quotas\n"),
    ],
    ids=["events-up-to-ticketing", "deferred-events-up-to-conference", "ticketing-across-to-sessions", "circle"],
)
def test_an_arrow_up_or_across_the_floors_fails(tmp_path, module, arrow):
    for package in ("conference", "events", "ticketing", "sessions"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / module).write_text(arrow)

    answer = _lint(tmp_path)

    assert answer.returncode != 0 and "BROKEN" in answer.stdout, answer.stdout

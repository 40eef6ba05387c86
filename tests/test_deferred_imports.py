"""Every deferred import says why (issue #17 item 3, pretalx's rule): an import inside a function
either carries a comment on its line, or follows a comment line that explains its block of imports
(for example "the app registry is ready only here", "slow import, only when exporting")."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("conference", "events", "ticketing", "sessions", "bench")


def _import_runs(function):
    """Runs of consecutive import statements in the bodies of a function (nested blocks included)."""
    for node in ast.walk(function):
        for field in ("body", "orelse", "finalbody", "handlers"):
            run = []
            statements = getattr(node, field, [])
            for statement in statements if isinstance(statements, list) else []:
                if isinstance(statement, ast.Import | ast.ImportFrom):
                    run.append(statement)
                    continue
                if run:
                    yield run
                run = []
            if run:
                yield run


def _deferred_imports_without_reason(path):
    lines = path.read_text().splitlines()
    tree = ast.parse("\n".join(lines))
    functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    for run in {tuple(run) for function in functions for run in _import_runs(function)}:
        first, last = run[0].lineno, run[-1].end_lineno
        said = any("#" in lines[n - 1] for n in range(first, last + 1))
        if not said and not (first >= 2 and lines[first - 2].strip().startswith("#")):
            yield f"{path.relative_to(ROOT)}:{first}: {lines[first - 1].strip()}"


def test_every_deferred_import_says_why():
    missing = [
        found
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
        for found in sorted(_deferred_imports_without_reason(path))
    ]
    assert not missing, "deferred imports without a reason:\n" + "\n".join(missing)

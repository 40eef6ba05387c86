"""Benchmark runner: `bash run.sh bench [scenario ...]` prints one table.

Every module bench/<name>.py with a `run()` is a scenario; run() returns rows
(dicts with "scenario", "value", "unit" and optionally "target").
The runner gives all scenarios one fresh data folder (SQLite database, media,
secret key) so a benchmark never touches .data/, sets Django up and migrates.
"""

import importlib
import os
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


def scenario_names():
    # bench/_name.py modules are shared helpers, not scenarios.
    return sorted(path.stem for path in BENCH_DIR.glob("*.py") if path.stem != "run" and not path.stem.startswith("_"))


def setup_django():
    """A throwaway data folder shared with the servers and workers the scenarios start."""
    data_dir = tempfile.mkdtemp(prefix="conference-bench-")
    os.environ["DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
    # SQLite in the throwaway folder unless BENCH_DATABASE_URL names a database to use (and migrate).
    os.environ.pop("DATABASE_URL", None)
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return data_dir


def print_table(rows):
    headers = ["scenario", "value", "unit", "target"]
    table = [headers] + [[str(row.get(key, "")) for key in headers] for row in rows]
    widths = [max(len(line[index]) for line in table) for index in range(len(headers))]
    for number, line in enumerate(table):
        print(" | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
        if number == 0:
            print("-+-".join("-" * width for width in widths))


def main(argv):
    wanted = argv or scenario_names()
    unknown = sorted(set(wanted) - set(scenario_names()))
    if unknown:
        print(f"unknown scenario(s): {', '.join(unknown)}; available: {', '.join(scenario_names())}", file=sys.stderr)
        return 2
    data_dir = setup_django()
    print(f"data folder: {data_dir}; {os.cpu_count()} CPU cores", file=sys.stderr)
    rows = []
    for name in wanted:
        started = time.perf_counter()
        module = importlib.import_module(f"bench.{name}")
        rows.extend(module.run())
        print(f"{name}: done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))

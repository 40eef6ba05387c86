"""Benchmark runner: `bash run.sh bench [--quick] [--json FILE] [scenario ...]` prints one table.

Every module bench/<name>.py with a `run()` is a scenario; run() returns rows
(dicts with "scenario", "value", "unit" and optionally "target").
The runner gives all scenarios one fresh data folder (SQLite database, media,
secret key) so a benchmark never touches .data/, sets Django up and migrates.

A target written "= N" is an invariant (seats oversold, wrong verdicts, badges
that do not decode, server errors): the run fails (exit 1) when a value differs,
and when a scenario crashes. Every other target ("< 400 ms", ">= 250") is a
goal for a full run on a quiet machine: reported, never failed, since the
machine may be shared. --quick runs every scenario with small counts (what CI
does); --json FILE also writes the table with the commit, date, CPU count and
load average at the start, so figures can be compared over time.
"""

import argparse
import importlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
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
    # Django is set up only once the settings module is chosen from the arguments
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    if not os.environ.get("DATABASE_URL"):
        # A migrated copy for scenarios that start servers on a database of their own (bench/_server.migrate).
        template = Path(data_dir) / "migrated.sqlite3"
        with sqlite3.connect(Path(data_dir) / "db.sqlite3") as source, sqlite3.connect(template) as copy:
            source.backup(copy)
        os.environ["BENCH_MIGRATED_DB"] = str(template)
    return data_dir


def broken_invariant(row):
    """Why this row breaks its invariant (target "= N"), or "" when it holds or has none."""
    target = str(row.get("target", ""))
    if not target.startswith("= "):
        return ""
    try:
        holds = float(row["value"]) == float(target[2:])
    except ValueError:
        holds = False
    return (
        "" if holds else f"{row['scenario']}: {row['value']} {row.get('unit', '')}".rstrip() + f", must be {target[2:]}"
    )


def as_number(value):
    """A row's value as a JSON number when it is one ("12.5" → 12.5), else unchanged ("skipped")."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return int(number) if number.is_integer() and "." not in str(value) else number


def print_table(rows):
    headers = ["scenario", "value", "unit", "target"]
    table = [headers] + [[str(row.get(key, "")) for key in headers] for row in rows]
    widths = [max(len(line[index]) for line in table) for index in range(len(headers))]
    for number, line in enumerate(table):
        print(" | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
        if number == 0:
            print("-+-".join("-" * width for width in widths))


def machine():
    """What the figures depend on, read at the start: commit, date, CPU count, load average."""

    def git(*args):
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return result.stdout.strip() if result.returncode == 0 else ""

    commit = git("rev-parse", "HEAD") or "unknown"
    if commit != "unknown" and git("status", "--porcelain", "--untracked-files=no"):
        commit += "+uncommitted changes"
    return {
        "commit": commit,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "load_average": [round(load, 2) for load in os.getloadavg()],
    }


def run_scenario(name):
    """The rows of one scenario; a crash is printed and becomes a broken row, and the other scenarios still run."""
    started = time.perf_counter()
    try:
        rows = importlib.import_module(f"bench.{name}").run()
    except Exception:  # noqa: BLE001 - any crash fails the run (exit 1) after the other scenarios report
        traceback.print_exc()
        print(f"{name}: CRASHED after {time.perf_counter() - started:.1f} s", file=sys.stderr)
        return [{"scenario": f"{name}: crashed", "value": 1, "unit": "crash", "target": "= 0"}]
    print(f"{name}: done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return rows


def parse(argv):
    parser = argparse.ArgumentParser(prog="bash run.sh bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "scenarios", nargs="*", metavar="scenario", help=f"default: all ({', '.join(scenario_names())})"
    )
    parser.add_argument("--quick", action="store_true", help="small counts, invariants only (CI)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")
    return parser.parse_args(argv)


def main(argv):
    options = parse(argv)
    wanted = options.scenarios or scenario_names()
    unknown = sorted(set(wanted) - set(scenario_names()))
    if unknown:
        print(f"unknown scenario(s): {', '.join(unknown)}; available: {', '.join(scenario_names())}", file=sys.stderr)
        return 2
    if options.quick:
        os.environ["BENCH_QUICK"] = "1"  # read by bench/_mode.py, here and in the servers scenarios start
    context = {**machine(), "quick": bool(options.quick)}
    data_dir = setup_django()
    print(f"data folder: {data_dir}; {context['cpu_count']} CPU cores; load {context['load_average']}", file=sys.stderr)
    rows = []
    for name in wanted:
        rows.extend(run_scenario(name))
    print_table(rows)
    if options.json:
        kept = [{**row, "value": as_number(row["value"])} for row in rows]
        Path(options.json).write_text(json.dumps({**context, "rows": kept}, ensure_ascii=False, indent=1) + "\n")
    broken = [reason for reason in map(broken_invariant, rows) if reason]
    for reason in broken:
        print(f"INVARIANT BROKEN: {reason}", file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))

"""The benchmark: one command, one table.

    .venv/bin/python bench/run.py            # every scenario
    .venv/bin/python bench/run.py ticketing  # only bench/ticketing.py

Each bench/<name>.py exposes run() -> list of row dicts; rows print as a table.
"""

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def scenarios(selected):
    names = sorted(path.stem for path in (ROOT / "bench").glob("*.py") if path.stem not in {"run", "__init__"})
    return [name for name in names if not selected or name in selected]


def table(rows):
    columns = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    cells = [[str(row.get(column, "")) for column in columns] for row in rows]
    widths = [max(len(column), *(len(line[i]) for line in cells)) for i, column in enumerate(columns)]
    lines = [" | ".join(column.ljust(widths[i]) for i, column in enumerate(columns))]
    lines.append("-+-".join("-" * width for width in widths))
    lines += [" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)) for line in cells]
    return "\n".join(lines)


def main(argv):
    rows = []
    for name in scenarios(set(argv)):
        print(f"running bench/{name}.py …", file=sys.stderr, flush=True)
        rows += importlib.import_module(f"bench.{name}").run()
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

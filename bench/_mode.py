"""Full or quick runs: the same code paths, with small counts in quick mode.

`bash run.sh bench --quick` (or BENCH_QUICK=1) is what CI runs after the SQLite suite: every
scenario end to end in about a minute, checked for its invariants, never for its timings.
"""

import os


def quick():
    """True in quick mode (bench/run.py --quick sets BENCH_QUICK=1 for the scenarios and their servers)."""
    return os.environ.get("BENCH_QUICK", "") not in ("", "0")


def size(name, full, small):
    """A count: the environment's `name` if set, else `small` in quick mode, else `full`."""
    if os.environ.get(name):
        return int(os.environ[name])
    return small if quick() else full

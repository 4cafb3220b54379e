"""Print how the parsers handle a real-reporting expression table, with failures by class.

    .venv/bin/python scripts/real_expressions_report.py [--table PATH] [--all]

--table defaults to tests/data/real_expressions.jsonl (tests/data/heldout_expressions.jsonl and
tests/data/heldout2_expressions.jsonl are the held-out tables, in the same format; a bare PATH is
read as --table PATH); --all prints every failing row, not only the first five of each class.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.real_expressions import TABLE, Outcome, run_all  # noqa: E402


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, help="same as --table")
    parser.add_argument("--table", type=Path, default=None, help="the JSONL table to run")
    parser.add_argument("--all", action="store_true", help="print every failing row")
    args = parser.parse_args(argv)
    if args.path is not None and args.table is not None:
        parser.error("give the table once: either PATH or --table PATH")
    table = args.table or args.path or TABLE
    outcomes = run_all(table)
    right = sum(o.right for o in outcomes)
    silent = [o for o in outcomes if o.silently_wrong]
    print(f"{table.name}")
    print(f"{len(outcomes)} expressions: {right} handled right ({right / len(outcomes):.1%}), ")
    print(f"{len(outcomes) - right} not, of which {len(silent)} silently wrong")
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_kind[o.row["kind"]].append(o)
    for kind, group in sorted(by_kind.items()):
        ok = sum(o.right for o in group)
        print(f"  {kind:9} {ok}/{len(group)} ({ok / len(group):.1%})")
    classes: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        if not o.right:
            classes[o.failure_class].append(o)
    for name, group in sorted(classes.items(), key=lambda kv: -len(kv[1])):
        silent_mark = " [SILENTLY WRONG]" if group[0].silently_wrong else ""
        print(f"\n{name}: {len(group)}{silent_mark}")
        for o in group if args.all else group[:5]:
            print("  " + o.describe().replace("\n", "\n  "))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Print how the parsers handle the real-reporting expression table, with failures by class.

    .venv/bin/python scripts/real_expressions_report.py [TABLE.jsonl] [--all]

TABLE defaults to tests/data/real_expressions.jsonl; --all prints every failing row, not only
the first five of each class.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.real_expressions import TABLE, Outcome, run_all  # noqa: E402


def main(argv: list[str]) -> int:
    show_all = "--all" in argv
    paths = [Path(a) for a in argv if not a.startswith("--")]
    outcomes = run_all(paths[0] if paths else TABLE)
    right = sum(o.right for o in outcomes)
    silent = [o for o in outcomes if o.silently_wrong]
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
        for o in group if show_all else group[:5]:
            print("  " + o.describe().replace("\n", "\n  "))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

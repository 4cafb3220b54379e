"""``python -m minerals_summ.testing``: run a FakeChatServer on loopback until interrupted.

For trying the command line without a provider: chat completions and the Files and Batch
endpoints, every answer the draft in ``--draft`` (default: no records, valid for any article).
With ``--auto-batches`` a batch moves on as it is polled: in progress at the first retrieve,
completed at the second.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import threading
from pathlib import Path

from minerals_summ.testing.server import FakeChatServer

EMPTY_DRAFT = {
    "summary": "The article reports no agreement or policy scheme.",
    "agreements": [],
    "policy_schemes": [],
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m minerals_summ.testing", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: free)")
    parser.add_argument("--draft", type=Path, help="a JSON file: the draft every answer gives")
    parser.add_argument("--auto-batches", action="store_true", help="batches move when polled")
    args = parser.parse_args()
    draft = json.loads(args.draft.read_text(encoding="utf-8")) if args.draft else EMPTY_DRAFT
    server = FakeChatServer(default=draft, auto_batches=args.auto_batches, port=args.port)
    with server:
        print(f"serving {server.base_url} (Ctrl-C stops)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()

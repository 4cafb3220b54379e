"""Throughput, library overhead and cache speed of minerals-summ against FakeChatServer.

Run: .venv/bin/python benchmarks/throughput.py [--rpm 600 --latency 0.5 --n 300 ...]

Prints each figure beside its target; asserts nothing. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import openai

from minerals_summ import Article, Summariser, summarise, summarise_many
from minerals_summ.gold import GoldArticle, load_gold
from minerals_summ.testing import FakeChatServer

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "us-pakistan-critical-minerals.gold.json"
PUBLISHED = "2025-09-09"


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rpm", type=int, default=600, help="server and client limit L (req/min)")
    p.add_argument("--latency", type=float, default=0.5, help="server latency d per call (s)")
    p.add_argument("--n", type=int, default=300, help="articles in the throughput batch")
    p.add_argument("--concurrency", type=int, default=16, help="summarise_many concurrency C")
    p.add_argument("--sequential", type=int, default=20, help="articles in the sequential loop")
    p.add_argument("--calls", type=int, default=300, help="warm calls timed for the overhead")
    p.add_argument("--warmup", type=int, default=10, help="untimed calls before the overhead")
    p.add_argument("--cache-n", type=int, default=100, help="articles in the cache runs (M)")
    p.add_argument("--only", choices=["throughput", "overhead", "cache"], help="one part only")
    p.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # the child server's mode
    return p.parse_args()


def articles(seed: GoldArticle, n: int, tag: str = "Ref") -> list[Article]:
    """n distinct articles: the seed plus a reference line (a distinct text and cache key)."""
    return [
        Article(id=f"{tag}{i}", text=f"{seed.text}\n{tag} {i}.", published=PUBLISHED)
        for i in range(n)
    ]


def client(server: FakeChatServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key="bench-key", max_retries=0)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def row(name: str, value: str, target: str, met: bool | None = None) -> None:
    verdict = "" if met is None else ("  [met]" if met else "  [MISSED]")
    print(f"  {name:<38} {value:>14}   target {target}{verdict}")


def bench_throughput(seed: GoldArticle, a: argparse.Namespace) -> None:
    print(f"1. Throughput: L={a.rpm} rpm, d={a.latency}s, N={a.n}, C={a.concurrency}")
    with FakeChatServer(default=seed.draft, rpm=a.rpm, latency=a.latency, record=False) as server:
        summariser = Summariser(client=client(server), model="m")
        batch = articles(seed, a.n)
        wall, outcomes = timed(
            lambda: summarise_many(
                batch,
                summariser=summariser,
                rpm=a.rpm,
                concurrency=a.concurrency,
                cache=False,
                progress=False,
            )
        )
        requests, limited = server.request_count, server.rate_limited
    ok_ids = {o.article_id for o in outcomes if o.ok}
    lost = sum(1 for art in batch if art.id not in ok_ids)
    achieved = requests / wall * 60
    # The sequential loop gets its own server (same settings): a fresh 60 s window.
    with FakeChatServer(default=seed.draft, rpm=a.rpm, latency=a.latency, record=False) as server:
        c = client(server)
        subset = articles(seed, a.sequential, tag="Seq")
        seq_wall, _ = timed(
            lambda: [summarise(x.text, published=x.published, client=c, model="m") for x in subset]
        )
    per_article = seq_wall / a.sequential
    speedup = per_article * a.n / wall
    print(f"  batch wall time {wall:.2f}s, {requests} requests, {limited} answered 429")
    print(f"  sequential: {a.sequential} articles in {seq_wall:.2f}s ({per_article:.3f}s each)")
    row("achieved rpm / L", f"{achieved / a.rpm:.3f}", ">= 0.95", achieved / a.rpm >= 0.95)
    share = limited / max(1, requests)
    row("429s / requests", f"{share:.2%}", "<= 2%", share <= 0.02)
    row("lost articles", str(lost), "0", lost == 0)
    row("speedup over sequential (est.)", f"{speedup:.1f}x", "(reported)")


def serve(seed_path: Path) -> None:
    """Serve the seed's draft until stdin closes, printing the base URL first (``--serve``)."""
    with FakeChatServer(default=load_gold(seed_path).draft, record=False) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()


@contextlib.contextmanager
def server_url(seed: GoldArticle, *, own_process: bool) -> Iterator[str]:
    """The base URL of a FakeChatServer answering the seed's draft, here or in a child process."""
    if not own_process:
        with FakeChatServer(default=seed.draft, record=False) as server:
            yield server.base_url
        return
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(SEED)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        yield child.stdout.readline().strip()
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=30)


def overhead(
    seed: GoldArticle, a: argparse.Namespace, *, own_process: bool
) -> tuple[list[float], list[float]]:
    """Per-call times of summarise() and of the bare openai call it makes, interleaved.

    Every call is a distinct article (the seed plus a numbered line), as in a real batch, so
    nothing the library keeps per article text (its normalised form) carries over; the bare
    call sends that article's own request body, as the library does.
    """
    count = a.warmup + a.calls
    texts = [f"{seed.text}\nOverhead {i}." for i in range(count)]
    with FakeChatServer(default=seed.draft) as server:  # what the library sends, exactly
        for text in texts[:2]:
            summarise(text, published=PUBLISHED, client=client(server), model="m")
        sent = [request.body for request in server.requests]
    bodies = [with_article(sent[0], texts[0], text) for text in texts]
    assert bodies[1] == sent[1], "a body built for an article differs from the one sent"
    with server_url(seed, own_process=own_process) as url:
        c = openai.OpenAI(base_url=url, api_key="bench-key", max_retries=0)
        lib_times: list[float] = []
        bare_times: list[float] = []
        for i, (text, body) in enumerate(zip(texts, bodies, strict=True)):
            # Interleaved: a background load disturbs both sides alike.
            lib = timed(partial(summarise, text, published=PUBLISHED, client=c, model="m"))[0]
            bare = timed(partial(c.chat.completions.create, **body))[0]
            if i >= a.warmup:
                lib_times.append(lib)
                bare_times.append(bare)
    return lib_times, bare_times


def with_article(body: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """``body`` (a request the library sent for article ``old``) as sent for article ``new``."""
    messages = [
        {**m, "content": m["content"].replace(old, new)} if m["role"] == "user" else m
        for m in body["messages"]
    ]
    return {**body, "messages": messages}


def bench_overhead(seed: GoldArticle, a: argparse.Namespace) -> None:
    print(f"2. Overhead: summarise() vs bare openai call, no latency, {a.calls} warm calls each")
    for own_process in (True, False):
        lib_times, bare_times = overhead(seed, a, own_process=own_process)
        extra = [lib - bare for lib, bare in zip(lib_times, bare_times, strict=True)]
        lib, raw = statistics.median(lib_times), statistics.median(bare_times)
        if own_process:
            print("  server in its own process, as a provider's is:")
        else:
            print("  server in this process (its threads share the GIL):")
        print(f"  summarise() {lib * 1000:.1f} ms, bare create() {raw * 1000:.1f} ms (medians)")
        own = statistics.median(extra) * 1000
        if own_process:
            row("library's own time per article", f"{own:.1f} ms", "<= 10 ms", own <= 10)
        else:
            row("library's own time, same process", f"{own:.1f} ms", "(reported)")
        print(f"  {'':<38} (mean {statistics.mean(extra) * 1000:.1f} ms, ratio {lib / raw:.2f})")


def bench_cache(seed: GoldArticle, a: argparse.Namespace) -> None:
    print(f"3. Cache: two identical runs of M={a.cache_n}, d={a.latency}s, C={a.concurrency}")
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeChatServer(default=seed.draft, latency=a.latency, record=False) as server,
    ):
        summariser = Summariser(client=client(server), model="m")
        batch = articles(seed, a.cache_n, tag="Cache")
        path = Path(tmp) / "cache.sqlite"

        def run() -> list[Any]:
            return summarise_many(
                batch,
                summariser=summariser,
                concurrency=a.concurrency,
                cache=path,
                progress=False,
            )

        first, first_out = timed(run)
        before = server.request_count
        second, second_out = timed(run)
        made = server.request_count - before
    cached = sum(o.cached for o in second_out)
    ok = sum(o.ok for o in first_out)
    print(f"  first {first:.2f}s ({ok} ok), second {second:.3f}s ({cached} served from cache)")
    row("cached re-run speedup", f"{first / second:.0f}x", ">= 50x", first / second >= 50)
    row("requests in the re-run", str(made), "0", made == 0)


def main() -> None:
    a = parse_args()
    if a.serve is not None:
        serve(a.serve)
        return
    seed = load_gold(SEED)
    print(f"minerals-summ benchmark, {time.strftime('%Y-%m-%d %H:%M')}")
    start = time.perf_counter()
    parts = {"throughput": bench_throughput, "overhead": bench_overhead, "cache": bench_cache}
    for name, bench in parts.items():
        if a.only in (None, name):
            bench(seed, a)
    print(f"total {time.perf_counter() - start:.1f}s")


if __name__ == "__main__":
    main()

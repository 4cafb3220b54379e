"""Web pages, URLs, feeds and manifests in: the text the model sees, dates and metadata."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest
from click.testing import CliRunner

from minerals_summ import Article, InputError, summarise, summarise_many
from minerals_summ.articles import prepare
from minerals_summ.cli import cli
from minerals_summ.feeds import read_feed
from minerals_summ.gold import GoldArticle
from minerals_summ.manifest import read_manifest
from minerals_summ.testing import FakeChatServer
from minerals_summ.webpages import extract_page, fetch, looks_like_html
from tests.webpage_support import news_page

PAGE = Path(__file__).parent / "pages" / "us-pakistan-critical-minerals.html"
LOOPBACK = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$"])


class _Site(http.server.ThreadingHTTPServer):
    """A loopback web server: path -> (status, content type, body, delay in seconds)."""

    def __init__(self, pages: dict[str, tuple[int, str, bytes, float]]) -> None:
        self.pages = pages
        self.agents: list[str] = []
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Site

    def do_GET(self) -> None:
        self.server.agents.append(self.headers.get("User-Agent", ""))
        status, kind, body, delay = self.server.pages.get(self.path, (404, "text/plain", b"", 0))
        time.sleep(delay)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def site() -> Iterator[_Site]:
    server = _Site({"/story": (200, "text/html; charset=utf-8", PAGE.read_bytes(), 0)})
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def client(server: FakeChatServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key="test-key")


def evidence(summary: Any) -> list[Any]:
    return [e for record in summary.records() for e in record.evidence]


def test_a_saved_page_without_published_uses_the_page_date(seed: GoldArticle) -> None:
    """Held-out: the saved page summarised from its file with no --published."""
    text = extract_page(PAGE.read_bytes()).text
    with FakeChatServer([seed.draft]) as server:
        result = CliRunner().invoke(
            cli,
            ["summarise", str(PAGE), "--base-url", server.base_url, "--model", "m"],
            env={"OPENAI_API_KEY": "test-key"},
        )
        sent = server.requests[0].messages[-1]["content"]
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["published"] == "2025-09-09"
    assert data["provenance"]["published_source"] == "page"
    assert (
        data["provenance"]["url"] == "https://ledger.example/mining/us-pakistan-critical-minerals"
    )
    assert "<script" not in sent
    assert "Most read" not in sent
    assert "Advertisement" not in sent
    assert "The article was published on 2025-09-09." in sent
    quotes = [
        e for kind in ("agreements", "policy_schemes") for r in data[kind] for e in r["evidence"]
    ]
    assert quotes
    assert all(text[e["start"] : e["end"]] == e["quote"] for e in quotes)
    dates = {r["date"]["text"]: r["date"]["value"] for r in data["agreements"] if r["date"]}
    assert dates["On July 31"] == "2025-07-31"
    assert dates["on Monday"] == "2025-09-08"  # relative: resolved from the page's date


def test_an_html_string_is_reduced_to_its_main_text(seed: GoldArticle) -> None:
    html = PAGE.read_text(encoding="utf-8")
    assert looks_like_html(html)
    assert not looks_like_html(seed.text)
    with FakeChatServer([seed.draft]) as server:
        summary = summarise(html, client=client(server), model="m")
        sent = server.requests[0].messages[-1]["content"]
    assert "<" not in sent.split("<<<ARTICLE", 1)[1].split("ARTICLE>>>")[0]
    article = summary._article
    assert article is not None
    assert "<p>" not in article
    assert all(article[e.start : e.end] == e.quote for e in evidence(summary))
    assert summary.provenance is not None
    assert summary.provenance.published_source == "page"


def test_a_given_date_wins_over_the_page_date() -> None:
    document = prepare(Article(id="x", path=PAGE, published="2025-10-01"), max_chars=10**6)
    assert (document.published, document.published_source) == (dt.date(2025, 10, 1), "given")
    assert document.source == str(PAGE)
    plain = prepare("An article. On July 31 a deal.", max_chars=10**6)
    assert (plain.published, plain.published_source) == (None, "none")


def test_a_page_with_no_article_text_is_an_input_error() -> None:
    page = "<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>"
    with pytest.raises(InputError, match="no article text"):
        prepare(page, max_chars=10**6)


def test_the_date_may_be_only_in_json_ld(seed: GoldArticle) -> None:
    page = news_page("T", seed.text, published=dt.date(2025, 9, 9), date_meta="ld", template=2)
    assert extract_page(page).published == dt.date(2025, 9, 9)
    undated = news_page("T", seed.text, published=None, template=1)
    assert extract_page(undated).published is None  # never a date guessed from the text


@LOOPBACK
def test_a_url_is_fetched_with_our_user_agent(site: _Site, seed: GoldArticle) -> None:
    with FakeChatServer([seed.draft]) as server:
        summary = summarise(
            Article(id="u", url=f"{site.url}/story"), client=client(server), model="m"
        )
    assert site.agents
    assert site.agents[0].startswith("minerals-summ/")
    assert summary.published == dt.date(2025, 9, 9)
    assert summary.provenance is not None
    assert summary.provenance.url == f"{site.url}/story"  # the caller's address wins
    assert summary.provenance.title == "US, Pakistan announce key pact on critical minerals"


@LOOPBACK
def test_fetch_failures_are_input_errors(site: _Site) -> None:
    site.pages["/big"] = (200, "text/html", b"<p>x</p>" * 1000, 0)
    site.pages["/slow"] = (200, "text/html", b"<p>late</p>", 2.0)
    with pytest.raises(InputError, match="answered 404"):
        fetch(f"{site.url}/missing")
    with pytest.raises(InputError, match="cap of 1,000 bytes"):
        fetch(f"{site.url}/big", max_bytes=1000)
    with pytest.raises(InputError, match="timeout"):
        fetch(f"{site.url}/slow", timeout=0.2)
    with pytest.raises(InputError, match="only http"):
        fetch("file:///etc/passwd")


@LOOPBACK
def test_a_feed_lists_articles_that_are_fetched(site: _Site, seed: GoldArticle) -> None:
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Minerals Wire</title>
    <link>{site.url}</link><description>d</description>
    <item><title>US, Pakistan pact</title><link>{site.url}/story</link><guid>story-1</guid>
    <pubDate>Tue, 09 Sep 2025 07:30:00 GMT</pubDate></item>
    <item><title>Gone</title><link>{site.url}/gone</link><guid>story-2</guid></item>
    </channel></rss>"""
    site.pages["/feed.xml"] = (200, "application/rss+xml", rss.encode(), 0)
    articles = read_feed(f"{site.url}/feed.xml")
    assert [(a.id, a.title, a.source, a.published) for a in articles] == [
        ("story-1", "US, Pakistan pact", "Minerals Wire", dt.date(2025, 9, 9)),
        ("story-2", "Gone", "Minerals Wire", None),
    ]
    with FakeChatServer(default=seed.draft) as server:
        outcomes = summarise_many(articles, client=client(server), model="m", cache=False)
    assert outcomes[0].ok
    assert outcomes[0].summary is not None
    assert outcomes[0].summary.provenance is not None
    assert outcomes[0].summary.provenance.source == "Minerals Wire"
    assert isinstance(outcomes[1].error, InputError)
    assert outcomes[1].to_json()["url"] == f"{site.url}/gone"  # a failure keeps its address
    with pytest.raises(InputError, match="not an RSS or Atom feed"):
        read_feed(b"<html><body><p>no</p></body></html>")


def _monday(summary: Any) -> str | None:
    dates = {a.date.text: a.date.value for a in summary.agreements if a.date}
    return None if dates.get("on Monday") is None else dates["on Monday"].isoformat()


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_a_manifest_gives_each_article_its_own_date(
    kind: str, seed: GoldArticle, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text(seed.text, encoding="utf-8")
    rows = [
        {"id": "early", "path": "a.txt", "published": "2025-09-09", "title": "Early"},
        {"id": "late", "text": seed.text + "\n", "published": "2025-09-17", "url": "https://x/l"},
        {"id": "page", "path": str(PAGE), "source": "Ledger"},
    ]
    manifest = tmp_path / f"manifest.{kind}"
    if kind == "jsonl":
        manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    else:
        columns = ["id", "text", "path", "url", "published", "title", "source"]
        import csv

        with manifest.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, columns)
            writer.writeheader()
            writer.writerows(rows)
    articles = read_manifest(manifest)
    assert [a.id for a in articles] == ["early", "late", "page"]
    out = tmp_path / "out.jsonl"
    with FakeChatServer(default=seed.draft) as server:
        result = CliRunner().invoke(
            cli,
            [
                "summarise",
                "--manifest",
                str(manifest),
                "--out",
                str(out),
                "--no-cache",
                "--base-url",
                server.base_url,
                "--model",
                "m",
            ],
            env={"OPENAI_API_KEY": "test-key"},
        )
    assert result.exit_code == 0, result.output
    lines = {d["id"]: d for d in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    mondays = {i: _monday(_summary(line)) for i, line in lines.items()}
    assert mondays == {"early": "2025-09-08", "late": "2025-09-15", "page": "2025-09-08"}
    provenance = {i: line["summary"]["provenance"] for i, line in lines.items()}
    assert provenance["early"]["title"] == "Early"
    assert provenance["late"]["url"] == "https://x/l"
    assert provenance["page"]["source"] == "Ledger"
    assert provenance["page"]["published_source"] == "page"


def _summary(line: dict[str, Any]) -> Any:
    from minerals_summ import ArticleSummary

    return ArticleSummary.model_validate(line["summary"])


def test_a_bad_manifest_names_the_line(tmp_path: Path) -> None:
    manifest = tmp_path / "m.jsonl"
    manifest.write_text('{"id": "a", "text": "x"}\n{"id": "b", "publshed": "2025-01-01"}\n')
    with pytest.raises(InputError, match=r"m.jsonl:2: unknown column\(s\) 'publshed'"):
        read_manifest(manifest)
    manifest.write_text('{"id": "a", "text": "x", "published": "soon"}\n')
    with pytest.raises(InputError, match=r"m\.jsonl:1: published"):
        read_manifest(manifest)
    manifest.write_text('{"id": "a", "title": "no text"}\n')
    with pytest.raises(InputError, match="needs a text, path or url"):
        read_manifest(manifest)


def test_a_relative_date_without_publication_is_a_warning_per_article(
    seed: GoldArticle, caplog: pytest.LogCaptureFixture
) -> None:
    articles = [
        Article(id="undated", text=seed.text),
        Article(id="dated", text=seed.text + " ", published="2025-09-09"),
    ]
    with (
        caplog.at_level(logging.WARNING, "minerals_summ"),
        FakeChatServer(default=seed.draft) as server,
    ):
        outcomes = summarise_many(articles, client=client(server), model="m", cache=False)
    assert all(o.ok for o in outcomes)
    warnings = [r.getMessage() for r in caplog.records if "unresolved" in r.getMessage()]
    assert len(warnings) == 1
    assert warnings[0].startswith("undated: ")
    assert "'on Monday'" in warnings[0]


def test_a_directory_batch_reads_saved_pages_too(seed: GoldArticle, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(seed.text, encoding="utf-8")
    (tmp_path / "b.html").write_bytes(PAGE.read_bytes())
    (tmp_path / "c.md").write_text("not an article", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with FakeChatServer(default=seed.draft) as server:
        result = CliRunner().invoke(
            cli,
            [
                "summarise",
                str(tmp_path),
                "--out",
                str(out),
                "--no-cache",
                "--base-url",
                server.base_url,
                "--model",
                "gpt-4.1-mini",
            ],
            env={"OPENAI_API_KEY": "test-key"},
        )
    assert result.exit_code == 0, result.output
    ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(ids) == [str(tmp_path / "a.txt"), str(tmp_path / "b.html")]

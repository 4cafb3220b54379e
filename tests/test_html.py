"""The notebook view: escaped, well-nested HTML whose marks hold exactly the evidence."""

from __future__ import annotations

import hashlib
import re
import sys
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from minerals_summ import ArticleSummary
from minerals_summ.gold import GoldArticle
from minerals_summ.html import summary_html
from minerals_summ.records import Agreement, Evidence, Money, Party, PolicyScheme, Provenance, Usage
from minerals_summ.resolve import resolve
from minerals_summ.tables import (
    BATCH_COLUMNS,
    COLUMNS,
    summaries_to_dataframe,
    to_dataframe,
    to_records,
)
from minerals_summ.vocabulary import AgreementKind, Instrument, PartyKind, Status

VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}


@pytest.fixture(scope="module")
def resolved(seed: GoldArticle) -> ArticleSummary:
    return resolve(seed.draft, seed.text, seed.published)


class Page(HTMLParser):
    """Checks nesting as it parses; collects the text of each evidence's marks, ids and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.tags: list[str] = []
        self.marked: dict[str, str] = {}
        self.mark_records: dict[str, str | None] = {}
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self.article: list[str] = []  # the text of the article pane, links back left out

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append(tag)
        if attributes.get("id"):
            assert attributes["id"] not in self.ids, f"duplicate id {attributes['id']}"
            self.ids.add(str(attributes["id"]))
        if tag == "a":
            self.hrefs.append(str(attributes["href"]))
        if tag == "mark":
            evidence = str(attributes["data-evidence"])
            self.marked.setdefault(evidence, "")
            self.mark_records[evidence] = attributes["data-record"]
            assert "mark" not in {t for t, a in self.stack if a.get("data-evidence") == evidence}
        if tag not in VOID:
            self.stack.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        opened, _ = self.stack.pop()
        assert opened == tag, f"<{opened}> closed by </{tag}>"

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        tags = [(tag, attributes.get("class")) for tag, attributes in self.stack]
        if ("div", "ms-article") in tags and "sup" not in {tag for tag, _ in tags}:
            self.article.append(data)
        for tag, attributes in self.stack:
            if tag == "mark":
                self.marked[str(attributes["data-evidence"])] += data


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    assert page.stack == [], "unclosed tags"
    return page


def evidence(article: str, start: int, end: int) -> Evidence:
    return Evidence(quote=article[start:end], start=start, end=end)


def agreement(title: str, *quotes: Evidence, party: str = "Acme") -> Agreement:
    return Agreement(
        title=title,
        kind=AgreementKind.OTHER,
        status=Status.SIGNED,
        parties=(Party(name=party, kind=PartyKind.COMPANY),),
        evidence=quotes,
    )


def scheme(name: str, *quotes: Evidence) -> PolicyScheme:
    return PolicyScheme(
        name=name,
        country="IN",
        instrument=Instrument.OTHER,
        status=Status.APPROVED,
        evidence=quotes,
    )


def check_marks(summary: ArticleSummary, article: str) -> Page:
    """Every evidence is marked, exactly, under its record; links go both ways."""
    page = parse(summary_html(summary, article))
    assert "".join(page.article) == article
    records: list[tuple[str, Agreement | PolicyScheme]] = [
        *((f"agreement-{i}", a) for i, a in enumerate(summary.agreements)),
        *((f"policy_scheme-{i}", s) for i, s in enumerate(summary.policy_schemes)),
    ]
    expected = {
        f"{rid}-{k}": article[e.start : e.end]
        for rid, record in records
        for k, e in enumerate(record.evidence)
    }
    assert page.marked == expected
    assert page.mark_records == {name: name.rsplit("-", 1)[0] for name in expected}
    targets = {href.removeprefix("#") for href in page.hrefs}
    assert targets <= page.ids, "a link to nothing"
    for name in expected:
        assert any(t.endswith(f"-{name}") for t in targets), f"no link to evidence {name}"
    for rid in {name.rsplit("-", 1)[0] for name in expected}:
        assert any(t.endswith(f"-{rid}") for t in targets), f"no link back to {rid}"
    return page


def test_seed_evidence_is_marked_exactly(seed: GoldArticle, resolved: ArticleSummary) -> None:
    page = check_marks(resolved, seed.text)
    assert len(page.marked) == 8
    assert "".join(page.text).count("Frontier Works Organization") >= 2  # table and article


def test_hostile_text_is_escaped() -> None:
    hostile = "<script>alert(1)</script>"
    article = f"Intro {hostile} & \"quoted\" 'single' <b>bold</b>: Acme & Co signed."
    start = article.index("<script>")
    record = agreement(
        f'{hostile} "title" & <i>x</i>',
        evidence(article, start, article.index(" 'single'")),
        party='<img src=x onerror="alert(1)">',
    )
    summary = ArticleSummary(summary=f"{hostile} & summary", agreements=(record,))
    html = summary_html(summary, article)
    assert "<script>" not in html
    assert "<img" not in html
    page = check_marks(summary, article)
    assert {"script", "img", "b", "i"}.isdisjoint(page.tags)
    text = "".join(page.text)
    assert f'{hostile} "title" & <i>x</i>' in text
    assert '<img src=x onerror="alert(1)">' in text
    assert f"{hostile} & summary" in text


def test_overlapping_spans_nest_properly() -> None:
    article = "Alpha beta gamma delta epsilon zeta eta theta iota kappa."
    words = {m.group(): m.start() for m in re.finditer(r"\w+", article)}

    def span(first: str, last: str) -> Evidence:
        return evidence(article, words[first], words[last] + len(last))

    summary = ArticleSummary(
        summary="overlaps",
        agreements=(
            agreement("one", span("Alpha", "delta"), span("gamma", "epsilon")),
            agreement("two", span("beta", "eta"), span("Alpha", "Alpha")),
        ),
        policy_schemes=(
            scheme("three", span("delta", "delta"), evidence(article, words["eta"], len(article))),
            scheme("same span", span("beta", "eta")),
        ),
    )
    page = check_marks(summary, article)
    assert len(page.marked) == 7
    assert page.marked["agreement-0-0"] == "Alpha beta gamma delta"
    assert page.marked["policy_scheme-0-1"] == "eta theta iota kappa."


def test_spans_that_cannot_be_placed_are_not_marked(seed: GoldArticle) -> None:
    page = parse(summary_html(seed.summary, seed.text))  # gold evidence has no offsets (0:0)
    assert page.marked == {}
    assert seed.text.split("\n")[0] in "".join(page.text)
    beyond = agreement("beyond", Evidence(quote="x", start=5, end=500))
    assert (
        parse(summary_html(ArticleSummary(summary="", agreements=(beyond,)), "short")).marked == {}
    )


def test_without_article_only_tables(seed: GoldArticle, resolved: ArticleSummary) -> None:
    page = parse(summary_html(resolved))
    assert page.marked == {}
    assert page.tags.count("table") == 4
    assert "Article" not in page.text
    empty = parse(summary_html(ArticleSummary(summary="nothing")))
    assert "No agreement or policy scheme in this article." in empty.text


def test_repr_html_uses_the_article_when_known(seed: GoldArticle, resolved: ArticleSummary) -> None:
    summary = resolved.model_copy()
    assert summary._repr_html_() == summary_html(summary)
    summary._article = seed.text
    assert summary._repr_html_() == summary_html(summary, seed.text)
    assert len(parse(summary._repr_html_()).marked) == 8
    assert resolved._article is None


def test_records_match_the_summary(seed: GoldArticle, resolved: ArticleSummary) -> None:
    rows = to_records(resolved)
    assert rows == resolved.to_records()
    assert [tuple(row) for row in rows] == [COLUMNS] * 4
    mou, trade, talks, incentive = rows
    assert mou["kind"] == "agreement"
    assert mou["title"] == resolved.agreements[0].title
    assert mou["type"] == "memorandum_of_understanding"
    assert mou["parties"] == "Frontier Works Organization; U.S. Strategic Metals"
    assert mou["countries"] == "PK, US"
    assert mou["minerals"] == "cobalt, nickel, copper, lithium"
    assert mou["amount"] is None
    assert (mou["date"].isoformat(), mou["date_precision"]) == ("2025-09-08", "day")
    assert mou["published"] == seed.published
    assert mou["evidence_count"] == 2
    assert talks["status"] == "exploring"
    assert incentive["kind"] == "policy_scheme"
    assert incentive["title"] == resolved.policy_schemes[0].name
    assert (incentive["type"], incentive["countries"]) == ("grant_or_subsidy", "IN")
    assert (incentive["amount"], incentive["currency"]) == (Decimal("15000000000"), "INR")
    assert incentive["parties"] is None
    assert incentive["article_sha256"] is None  # no provenance here
    assert trade["date_precision"] == "day"


def test_dataframes(seed: GoldArticle, resolved: ArticleSummary) -> None:
    pd = pytest.importorskip("pandas")
    frame = resolved.to_dataframe()
    assert list(frame.columns) == list(COLUMNS)
    assert list(frame["kind"]) == ["agreement"] * 3 + ["policy_scheme"]
    assert frame["amount"].iloc[3] == 15e9
    assert frame["date"].iloc[0] == pd.Timestamp("2025-09-08")
    assert to_dataframe(ArticleSummary(summary="")).empty

    class Outcome:
        def __init__(
            self, article_id: str, summary: ArticleSummary | None, error: BaseException | None
        ) -> None:
            self.article_id, self.summary, self.error = article_id, summary, error

    money = Money(text="$5", amount=Decimal(5), currency="USD")
    other = ArticleSummary(
        summary="", agreements=(agreement("x").model_copy(update={"value": money}),)
    )
    batch = summaries_to_dataframe(
        [
            resolved,
            Outcome("bad", None, ValueError("model said <no>")),
            Outcome("good", other, None),
            Outcome("none", ArticleSummary(summary="no records"), None),
        ]
    )  # fmt: skip
    assert list(batch.columns) == list(BATCH_COLUMNS)
    assert list(batch["article_id"]) == [0, 0, 0, 0, "bad", "good", "none"]
    failed = batch[batch["article_id"] == "bad"].iloc[0]
    assert (failed["error_type"], failed["error"]) == ("ValueError", "model said <no>")
    assert pd.isna(failed["kind"])
    assert batch[batch["article_id"] == "good"].iloc[0]["amount"] == 5.0
    assert pd.isna(batch[batch["article_id"] == "none"].iloc[0]["kind"])
    assert list(summaries_to_dataframe([]).columns) == list(BATCH_COLUMNS)


def test_dataframe_without_pandas_says_what_to_install(
    seed: GoldArticle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'minerals-summ\[pandas\]'"):
        to_dataframe(seed.summary)


def test_provenance_in_rows_and_a_warning_for_another_text(
    seed: GoldArticle, resolved: ArticleSummary
) -> None:
    provenance = Provenance(
        model="m-1",
        mode="tools",
        prompt_version="p",
        schema_version="s",
        library_version="0",
        attempts=1,
        transport_retries=0,
        usage=Usage(total_tokens=7),
        article_sha256=hashlib.sha256(seed.text.encode("utf-8")).hexdigest(),
        wall_time_s=0.5,
    )
    summary = resolved.model_copy(update={"provenance": provenance})
    assert {(row["article_sha256"], row["model"]) for row in to_records(summary)} == {
        (provenance.article_sha256, "m-1")
    }
    same = parse(summary_html(summary, seed.text))
    assert "m-1, tools mode" in "".join(same.text)
    assert "sha256 differs" not in "".join(same.text)
    other = parse(summary_html(summary, seed.text + " "))
    assert "sha256 differs" in "".join(other.text)

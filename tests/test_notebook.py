"""The notebook: values highlighted by kind with a legend, the many-article view, progress bars
without ipywidgets warnings, and the rendered DOM checked in headless Chromium when present."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import types
import warnings
from pathlib import Path

import openai
import pytest

from minerals_summ import Article, ArticleSummary, summarise_many
from minerals_summ.gold import GoldArticle
from minerals_summ.html import KINDS, ArticlesView, articles_html, summary_html
from minerals_summ.progress import in_notebook, progress_bar
from minerals_summ.resolve import resolve
from minerals_summ.testing import FakeChatServer
from tests.test_html import parse


@pytest.fixture(scope="module")
def resolved(seed: GoldArticle) -> ArticleSummary:
    return resolve(seed.draft, seed.text, seed.published)


def test_values_are_highlighted_by_kind_with_a_legend(
    seed: GoldArticle, resolved: ArticleSummary
) -> None:
    html = summary_html(resolved, seed.text)
    page = parse(html)  # still well nested, evidence marks still exact
    assert 'class="ms-legend"' in html
    for label, colour in KINDS.values():
        assert f'rgba({colour},0.45);padding:0 4px;margin-right:6px">{label}<' in html
    budget = resolved.policy_schemes[0].budget
    assert budget is not None
    assert budget.span is not None
    assert (
        'data-value="money" data-record="policy_scheme-0" '
        'title="P1 amount: INR 15,000,000,000"' in html
    )
    kinds = {k for k in KINDS if f'data-value="{k}"' in html}
    assert kinds == {"money", "quantity", "date", "party", "official"}
    assert len(page.marked) == 8


def test_many_articles_link_to_their_views(seed: GoldArticle) -> None:
    articles = [
        Article(id="pk", text=seed.text, published="2025-09-09", title="Pact"),
        Article(id="broken", text=""),
    ]
    with FakeChatServer(default=seed.draft) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test-key")
        outcomes = summarise_many(articles, client=client, model="gpt-4.1-mini", cache=False)
    html = ArticlesView(outcomes)._repr_html_()
    assert html == articles_html(outcomes)
    page = parse(html)
    summary = outcomes[0].summary
    assert summary is not None
    links = [h for h in page.hrefs if h.startswith("#ms-") and h.count("-") == 1]
    assert len(links) == 1
    assert links[0][1:] in page.ids  # the row links to the article's own view
    assert "InputError: the article is empty" in html
    assert "A1 FWO and U.S. Strategic Metals" in html
    assert len(page.marked) == 8  # the article's view, its evidence highlighted


def test_a_notebook_without_ipywidgets_gets_a_text_bar_and_no_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shell = type("ZMQInteractiveShell", (), {})()
    fake = types.ModuleType("IPython")
    fake.get_ipython = lambda: shell  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", fake)
    monkeypatch.setattr("minerals_summ.progress.widgets_available", lambda: False)
    assert in_notebook()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an "IProgress not found" warning fails the test
        bar = progress_bar(3, enabled=None)  # on by default in a notebook
        assert bar is not None
        assert type(bar).__module__ == "tqdm.std"
        bar.update(3)
        bar.close()
    monkeypatch.delitem(sys.modules, "IPython")
    assert not in_notebook()
    assert progress_bar(3, enabled=False) is None


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Runs in the page once it is laid out: every evidence mark holds its quote and is visible,
# every value span sits in the article pane with its kind's colour, and the legend shows.
CHECK = """<script>
const quotes = JSON.parse(document.getElementById('expected').textContent);
const got = {};
document.querySelectorAll('mark[data-evidence]').forEach(m => {
  got[m.dataset.evidence] = (got[m.dataset.evidence] || '') + m.textContent;
});
const values = [...document.querySelectorAll('[data-value]')];
const result = {
  quotes_ok: Object.keys(quotes).every(k => got[k] === quotes[k]),
  marks: Object.keys(got).length,
  visible: [...document.querySelectorAll('mark')].every(m => m.getBoundingClientRect().height > 0),
  value_kinds: [...new Set(values.map(v => v.dataset.value))].sort(),
  coloured: values.every(v => getComputedStyle(v).backgroundColor !== 'rgba(0, 0, 0, 0)'),
  legend: document.querySelector('.ms-legend').getBoundingClientRect().width > 0,
};
document.body.setAttribute('data-result', JSON.stringify(result));
</script>"""


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium here (apt-get install chromium)")
def test_the_view_renders_in_headless_chromium(
    seed: GoldArticle, resolved: ArticleSummary, tmp_path: Path
) -> None:
    expected = {
        f"{kind}-{i}-{k}": e.quote
        for kind, records in (
            ("agreement", resolved.agreements),
            ("policy_scheme", resolved.policy_schemes),
        )
        for i, record in enumerate(records)
        for k, e in enumerate(record.evidence)
    }
    page = tmp_path / "view.html"
    page.write_text(
        "<!DOCTYPE html><html><body>"
        + summary_html(resolved, seed.text)
        + f'<script type="application/json" id="expected">{json.dumps(expected)}</script>'
        + CHECK
        + "</body></html>",
        encoding="utf-8",
    )
    profile = tmp_path / "profile"
    dom = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    marker = 'data-result="'
    raw = dom[dom.index(marker) + len(marker) :].split('"', 1)[0]
    result = json.loads(raw.replace("&quot;", '"'))
    assert result == {
        "quotes_ok": True,
        "marks": 8,
        "visible": True,
        "value_kinds": ["date", "money", "official", "party", "quantity"],
        "coloured": True,
        "legend": True,
    }

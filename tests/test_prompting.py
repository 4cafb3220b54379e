"""The prompt is rendered here, once compiled, exactly as instructor's own templating would."""

from __future__ import annotations

import asyncio
import textwrap

import instructor
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from instructor.v2.core.templating import handle_templating

from minerals_summ.gold import GoldArticle
from minerals_summ.prompting import _dedent, load_prompt
from minerals_summ.schema import ArticleDraft, checking

LINES = st.lists(
    st.text(st.sampled_from(list(" \t{}%#ab\u00a0")), max_size=8)
    | st.sampled_from(["{{ article }}", "{% raw %}", "{#", "  indented", "\t", "   ", ""]),
    max_size=6,
)


def instructor_rendering(article: str, published: str | None) -> list[dict[str, str]]:
    """What instructor 1.17 sends for the same templates, given them and a context."""
    kwargs = {"messages": load_prompt().messages()}
    context = {"article": article, "published": published}
    return list(handle_templating(kwargs, instructor.Mode.TOOLS, context=context)["messages"])


@given(lines=LINES, published=st.sampled_from([None, "2025-09-09"]))
@settings(max_examples=150, deadline=None)
def test_rendering_matches_instructor_templating(lines: list[str], published: str | None) -> None:
    article = "\n".join(lines)
    assert load_prompt().render(article=article, published=published) == instructor_rendering(
        article, published
    )


def test_the_seed_renders_as_instructor_would(seed: GoldArticle) -> None:
    indented = textwrap.indent(seed.text, "    ")
    for article in (seed.text, indented, f"{{{{ article }}}}\n{seed.text}"):
        rendered = load_prompt().render(article=article, published="2025-09-09")
        assert rendered == instructor_rendering(article, "2025-09-09")
        assert rendered[1]["content"].count(seed.text.splitlines()[0]) == 1


@given(st.text(st.sampled_from(list(" \t\nab")), max_size=30))
@settings(max_examples=300, deadline=None)
def test_dedent_fast_path_is_textwrap_dedent(text: str) -> None:
    assert _dedent(text) == textwrap.dedent(text)


def test_the_check_applies_only_inside_its_context(seed: GoldArticle) -> None:
    payload = seed.draft.model_dump_json()
    seen: list[str] = []
    ArticleDraft.model_validate_json(payload)  # no check outside
    with checking(lambda draft: seen.append(draft.summary)):
        ArticleDraft.model_validate_json(payload)
    ArticleDraft.model_validate_json(payload)
    assert seen == [seed.draft.summary]


def test_concurrent_tasks_keep_their_own_check(seed: GoldArticle) -> None:
    payload = seed.draft.model_dump_json()

    async def task(name: str, seen: list[str]) -> None:
        with checking(lambda _: seen.append(name)):
            await asyncio.sleep(0)  # the other task sets its check in between
            ArticleDraft.model_validate_json(payload)

    async def both() -> list[str]:
        seen: list[str] = []
        await asyncio.gather(task("a", seen), task("b", seen))
        return seen

    assert sorted(asyncio.run(both())) == ["a", "b"]


def test_a_failing_check_is_a_validation_error(seed: GoldArticle) -> None:
    def refuse(_: ArticleDraft) -> None:
        raise ValueError("not in the article")

    with checking(refuse), pytest.raises(ValueError, match="not in the article"):
        ArticleDraft.model_validate_json(seed.draft.model_dump_json())

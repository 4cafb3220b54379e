"""The prompt is rendered here, as instructor's templating would; the check is the call's own."""

from __future__ import annotations

import asyncio
import contextlib
import json
import textwrap
from typing import Any, cast

import httpx2
import instructor
import openai
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from instructor.v2.core.templating import handle_templating

from minerals_summ import Config, summarise
from minerals_summ.gold import GoldArticle, load_gold
from minerals_summ.llm import _ANSWER, _MODES, RESPONSE_MODEL, _in_call
from minerals_summ.prompting import compact_schema, delimiter_for, load_prompt
from minerals_summ.schema import ArticleDraft, draft_json_schema
from minerals_summ.testing import FakeChatServer
from tests.conftest import SEEDS

LINES = st.lists(
    st.text(st.sampled_from(list(" \t{}%#ab\u00a0")), max_size=8)
    | st.sampled_from(["{{ article }}", "{% raw %}", "{#", "  indented", "\t", "   ", ""]),
    max_size=6,
)


def templates() -> list[dict[str, str]]:
    """The prompt's messages, still templates."""
    prompt = load_prompt()
    return [{"role": "system", "content": prompt.system}, {"role": "user", "content": prompt.user}]


def instructor_rendering(article: str, published: str | None) -> list[dict[str, str]]:
    """What instructor 1.17 sends for the same templates, given them and a context."""
    kwargs = {"messages": templates()}
    context = {"article": article, "published": published, "delimiter": delimiter_for(article)}
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


def test_the_check_applies_to_the_answer_only_inside_its_context(seed: GoldArticle) -> None:
    payload = seed.draft.model_dump_json()
    seen: list[str] = []
    _ANSWER.model_validate_json(payload)  # no check outside
    with _in_call(lambda draft: seen.append(draft.summary)):
        _ANSWER.model_validate_json(payload)
        ArticleDraft.model_validate_json(payload)  # a caller's own validation: never checked
    _ANSWER.model_validate_json(payload)
    assert seen == [seed.draft.summary]


def test_the_answer_is_the_draft_as_the_model_sees_it() -> None:
    assert _ANSWER.__name__ == "ArticleDraft"
    assert _ANSWER.model_json_schema() == ArticleDraft.model_json_schema()


def test_concurrent_tasks_keep_their_own_check(seed: GoldArticle) -> None:
    payload = seed.draft.model_dump_json()

    async def task(name: str, seen: list[str]) -> None:
        with _in_call(lambda _: seen.append(name)):
            await asyncio.sleep(0)  # the other task sets its check in between
            _ANSWER.model_validate_json(payload)

    async def both() -> list[str]:
        seen: list[str] = []
        await asyncio.gather(task("a", seen), task("b", seen))
        return seen

    assert sorted(asyncio.run(both())) == ["a", "b"]


def test_a_failing_check_is_a_validation_error(seed: GoldArticle) -> None:
    def refuse(_: ArticleDraft) -> None:
        raise ValueError("not in the article")

    with _in_call(refuse), pytest.raises(ValueError, match="not in the article"):
        _ANSWER.model_validate_json(seed.draft.model_dump_json())


def test_a_callers_validation_during_a_call_is_not_checked(seed: GoldArticle) -> None:
    """The caller's hook validates another article's draft while summarise() runs."""
    other = load_gold(SEEDS / "offtake-spodumene-agreement.gold.json")
    payload = other.draft.model_dump_json()
    validated: list[str] = []

    def on_response(response: httpx2.Response) -> None:
        validated.append(ArticleDraft.model_validate_json(payload).summary)

    with FakeChatServer(default=seed.draft) as server:
        http = httpx2.Client(event_hooks={"response": [on_response]})
        sdk = openai.OpenAI(base_url=server.base_url, api_key="k", http_client=http)
        summary = summarise(seed.text, published="2025-09-09", client=sdk, model="m")
    assert validated == [other.draft.summary]
    assert summary.agreements  # the call's own answer was checked, and passed


def instructor_request(mode: str, article: str, published: str, max_tokens: int) -> dict[str, Any]:
    """What instructor 1.17 itself sends, given the templates and ``context=``."""
    sent: dict[str, Any] = {}

    def create(*args: Any, **kwargs: Any) -> Any:
        sent.update(kwargs)
        raise RuntimeError("captured")

    patched = instructor.patch(create=create, mode=_MODES[mode])
    with contextlib.suppress(Exception):
        patched(
            response_model=RESPONSE_MODEL,
            messages=templates(),
            context={
                "article": article,
                "published": published,
                "delimiter": delimiter_for(article),
            },
            max_retries=0,
            strict=False,
            model="m",
            max_tokens=max_tokens,
        )
    return cast(dict[str, Any], json.loads(json.dumps(sent)))


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json"])
def test_requests_are_instructors_own_but_for_the_schema_text_in_json_mode(
    seed: GoldArticle, mode: str
) -> None:
    article = f"  {seed.text}\n{{{{ article }}}} {{% raw %}}\n   \n"
    with FakeChatServer(default=seed.draft) as server:
        sdk = openai.OpenAI(base_url=server.base_url, api_key="k")
        summarise(article, published="2025-09-09", client=sdk, model="m", mode=mode)
        ours = server.requests[0].body
    theirs = instructor_request(mode, article, "2025-09-09", Config().output_cap(article))
    if mode == "json":  # instructor appended its schema text, then its templating dropped "\n"
        theirs["messages"] = compact_schema(theirs["messages"])
        assert (
            json.dumps(draft_json_schema(), separators=(",", ":"))
            in theirs["messages"][0]["content"]
        )
        system = ours["messages"][0]["content"]
        assert system.endswith("not the schema itself\n")
        ours["messages"][0]["content"] = system.removesuffix("\n")
    assert ours == theirs

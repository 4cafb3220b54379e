"""The prompt is rendered here, compiled once, as instructor's templating would; the check is
the call's own."""

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
from jinja2.sandbox import SandboxedEnvironment

from minerals_summ import summarise
from minerals_summ.gold import GoldArticle, load_gold
from minerals_summ.prompting import Prompt, _dedent, load_prompt
from minerals_summ.schema import ArticleDraft
from minerals_summ.summarise import _ANSWER, _MODES, _RESPONSE_MODEL, _in_call
from minerals_summ.testing import FakeChatServer
from tests.conftest import SEEDS

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


@pytest.mark.parametrize(
    ("user", "spliced"),
    [
        ("A {{ article }} B{% if published %} on {{ published }}{% endif %}.", True),
        ("{% if published %}{{ published }}: {% endif %}{{ article }}", True),
        ("{{ article | upper }}", False),  # a filter: not copied as it is
        ('{% if published == "2025-09-09" %}today {% endif %}{{ article }}', False),
        ("{% if article|length > 3 %}long {% endif %}{{ article }}", False),
        ("{{ article }} and again {{ article }}", True),  # copied twice: Jinja renders it
        ("{% for c in article %}{{ c }}{% endfor %}", False),
        # a block around a printed name changes it (review finding): Jinja renders these
        ("{% filter lower %}{{ article }}{% endfilter %}", False),
        ("{% filter e %}{{ article }}{% endfilter %}", False),
        ("{% autoescape true %}{{ article }}{% endautoescape %}", False),
        ("{% filter indent(4) %}X\n{{ article }}{% endfilter %}", False),
        ("{% if published %}{{ published }}{% elif article %}none{% endif %} {{ article }}", True),
    ],
)
@pytest.mark.parametrize("published", [None, "2025-09-09"])
@pytest.mark.parametrize("article", ["x", "An {{ article }} {% raw %} text", "  indented", "A<b"])
def test_splicing_the_values_in_renders_as_jinja_would(
    user: str, spliced: bool, published: str | None, article: str
) -> None:
    prompt = Prompt(name="t", version="1", system="S", user=user)
    jinja = _dedent(
        SandboxedEnvironment().from_string(user).render(article=article, published=published)
    )
    assert prompt.render(article=article, published=published)[1]["content"] == jinja
    assert (prompt._pieces is not None) is spliced
    if spliced:  # the text around the values is kept only when each is copied in once
        given = frozenset({"article", "published"} if published else {"article"})
        assert bool(prompt._pieces[given]) is (user.count("{{ article }}") == 1)


class _Shouting(str):
    def __str__(self) -> str:
        return self.upper()


@pytest.mark.parametrize("article", [None, "", _Shouting("quiet")])
def test_values_other_than_plain_text_are_rendered_by_jinja(article: str | None) -> None:
    """None for both values, an empty article, a str subclass printing itself otherwise."""
    for user in ("Hi", "", "<{{ article }}>", "{% if published %}{{ published }}{% endif %}"):
        prompt = Prompt(name="t", version="1", system="S", user=user)
        jinja = SandboxedEnvironment().from_string(user).render(article=article, published=None)
        assert prompt.render(article=article, published=None)[1]["content"] == _dedent(jinja)


def test_the_seed_renders_as_instructor_would(seed: GoldArticle) -> None:
    indented = textwrap.indent(seed.text, "    ")
    for article in (seed.text, indented, f"{{{{ article }}}}\n{seed.text}"):
        rendered = load_prompt().render(article=article, published="2025-09-09")
        assert rendered == instructor_rendering(article, "2025-09-09")
        assert rendered[1]["content"].count(seed.text.splitlines()[0]) == 1


@given(st.text(st.sampled_from(list(" \t\n\rab")), max_size=30))
@settings(max_examples=300, deadline=None)
def test_dedent_fast_path_is_textwrap_dedent(text: str) -> None:
    assert _dedent(text) == textwrap.dedent(text)


def _never(*args: object, **kwargs: object) -> None:
    raise AssertionError("no request is made here")


def test_the_check_applies_to_the_answer_only_inside_its_context(seed: GoldArticle) -> None:
    payload = seed.draft.model_dump_json()
    seen: list[str] = []
    _ANSWER.model_validate_json(payload)  # no check outside
    with _in_call(lambda draft: seen.append(draft.summary), create=_never):
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
        with _in_call(lambda _: seen.append(name), create=_never):
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

    with _in_call(refuse, create=_never), pytest.raises(ValueError, match="not in the article"):
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


def instructor_request(mode: str, article: str, published: str) -> dict[str, Any]:
    """What instructor 1.17 itself sends, given the templates and ``context=``."""
    sent: dict[str, Any] = {}

    def create(*args: Any, **kwargs: Any) -> Any:
        sent.update(kwargs)
        raise RuntimeError("captured")

    patched = instructor.patch(create=create, mode=_MODES[mode])
    with contextlib.suppress(Exception):
        patched(
            response_model=_RESPONSE_MODEL,
            messages=load_prompt().messages(),
            context={"article": article, "published": published},
            max_retries=0,
            strict=False,
            model="m",
        )
    return cast(dict[str, Any], json.loads(json.dumps(sent)))


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json"])
def test_requests_are_instructors_own_but_for_one_newline_in_json_mode(
    seed: GoldArticle, mode: str
) -> None:
    article = f"  {seed.text}\n{{{{ article }}}} {{% raw %}}\n   \n"
    with FakeChatServer(default=seed.draft) as server:
        sdk = openai.OpenAI(base_url=server.base_url, api_key="k")
        summarise(article, published="2025-09-09", client=sdk, model="m", mode=mode)
        ours = server.requests[0].body
    theirs = instructor_request(mode, article, "2025-09-09")
    if mode == "json":  # instructor appended its schema text, then its templating dropped "\n"
        system = ours["messages"][0]["content"]
        assert system.endswith("not the schema itself\n")
        ours["messages"][0]["content"] = system.removesuffix("\n")
    assert ours == theirs

"""Load the versioned prompt files shipped as ``minerals_summ.prompts``.

The prompt version is the file's declared ``version`` plus a short hash of the file, so an edit
that forgets to bump the version still changes it (and so still invalidates cassettes and cache).
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from textwrap import dedent

from jinja2 import Environment, Template, meta
from jinja2.sandbox import SandboxedEnvironment

from minerals_summ.schema import draft_json_schema

__all__ = ["Prompt", "compact_schema", "delimiter_for", "load_prompt"]

# The only variables a template may use; all are always supplied (published may be None).
TEMPLATE_VARIABLES = frozenset({"article", "published", "delimiter"})


def delimiter_for(article: str) -> str:
    """The name of the lines around the article: ``ARTICLE`` (``<<<ARTICLE`` ... ``ARTICLE>>>``),
    or ``ARTICLE-2``, ``ARTICLE-3`` ... when the article itself contains that marker, so that an
    article can never close (or reopen) its own section. Compared ignoring case; the same article
    always gets the same name, so its requests stay byte-identical across attempts.
    """
    folded = article.casefold()
    name, n = "ARTICLE", 1
    while f"<<<{name}".casefold() in folded or f"{name}>>>".casefold() in folded:
        n += 1
        name = f"ARTICLE-{n}"
    return name


@dataclass(frozen=True)
class Prompt:
    """A versioned prompt: the system text and the user template, compiled once."""

    name: str
    version: str
    system: str
    user: str
    _user: Template = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The sandbox instructor itself renders templates in.
        object.__setattr__(self, "_user", SandboxedEnvironment().from_string(self.user))

    def render(self, *, article: str, published: str | None) -> list[dict[str, str]]:
        """The chat messages for ``article`` and its ``published`` date (ISO, or None).

        The system message is the same for every article. The article is a template variable,
        never template text: ``{{`` or ``{%`` inside it is copied as it is. (instructor's own
        templating, given a context, would render the whole message, article included, as a
        template.) It sits between delimiter lines it does not contain (:func:`delimiter_for`).
        """
        variables = {
            "article": article,
            "published": published,
            "delimiter": delimiter_for(article),
        }
        user = dedent(self._user.render(**variables))
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]


@cache
def load_prompt(name: str = "extract") -> Prompt:
    """Load ``prompts/NAME.toml``; fail loudly on a missing field or an unknown variable."""
    raw = resources.files("minerals_summ.prompts").joinpath(f"{name}.toml").read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    missing = {"version", "system", "user"} - data.keys()
    if missing:
        raise ValueError(f"prompt {name!r} lacks {sorted(missing)}")
    env = Environment(autoescape=False)
    if meta.find_undeclared_variables(env.parse(data["system"])):
        raise ValueError(f"prompt {name!r}: the system text must not use template variables")
    used = meta.find_undeclared_variables(env.parse(data["user"]))
    unknown = used - TEMPLATE_VARIABLES
    if unknown:
        raise ValueError(f"prompt {name!r} uses unknown variables {sorted(unknown)}")
    if not {"article", "delimiter"} <= used:
        raise ValueError(f"prompt {name!r}: the user template must use article and delimiter")
    digest = hashlib.sha256(raw).hexdigest()[:8]
    return Prompt(
        name=name,
        version=f"{data['version']}+{digest}",
        system=data["system"].strip(),
        user=data["user"].strip(),
    )


@cache
def _schema_texts() -> tuple[str, str]:
    schema = draft_json_schema()
    indented = json.dumps(schema, indent=2, ensure_ascii=False)
    return indented, json.dumps(schema, separators=(",", ":"), ensure_ascii=False)


def compact_schema(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    """The messages with the draft schema in the system message written compact.

    In json mode instructor appends the schema to the system message as ``json.dumps(schema,
    indent=2)``, about 40% more tokens than the same schema compact, and offers no option to
    change it; the words around it are kept as instructor writes them. Messages without the
    indented schema come back unchanged.
    """
    if not messages or messages[0].get("role") != "system":
        return messages
    indented, compact = _schema_texts()
    content = messages[0].get("content")
    if not isinstance(content, str) or indented not in content:
        return messages
    first = {**messages[0], "content": content.replace(indented, compact)}
    return [first, *messages[1:]]

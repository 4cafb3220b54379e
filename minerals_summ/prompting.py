"""Load the versioned prompt files shipped as ``minerals_summ.prompts``.

The prompt version is the file's declared ``version`` plus a short hash of the file, so an edit
that forgets to bump the version still changes it (and so still invalidates cassettes and cache).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from textwrap import dedent
from typing import Any

from jinja2 import Environment, Template, meta
from jinja2.sandbox import SandboxedEnvironment

__all__ = ["Prompt", "load_prompt"]

# The only variables a template may use; both are always supplied (published may be None).
TEMPLATE_VARIABLES = frozenset({"article", "published"})


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    system: str
    user: str
    _system: str = field(init=False, repr=False, compare=False)
    _user: Template = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Compiled once, in the sandbox instructor itself renders templates in. The system text
        # has no variables (load_prompt checks), so it is rendered once too.
        env = SandboxedEnvironment()
        object.__setattr__(self, "_system", _dedent(env.from_string(self.system).render()))
        object.__setattr__(self, "_user", env.from_string(self.user))

    def messages(self) -> list[dict[str, str]]:
        """The chat messages, still templates."""
        return [
            {"role": "system", "content": self.system},
            {"role": "user", "content": self.user},
        ]

    def render(self, **variables: Any) -> list[dict[str, str]]:
        """The chat messages with ``variables`` (``article``, ``published``) filled in.

        The article is a template variable, never template text: ``{{`` or ``{%`` inside it is
        copied as it is. The output is what instructor's own templating would produce (Jinja in a
        sandbox, then ``textwrap.dedent``), so rendering here and not in instructor changes no
        request; instructor compiles the templates anew on every call, this compiles them once.
        """
        user = _dedent(self._user.render(**variables))
        return [{"role": "system", "content": self._system}, {"role": "user", "content": user}]


_BLANK_LINE = re.compile(r"^[ \t]+$", re.MULTILINE)  # textwrap's own pattern for these


def _dedent(text: str) -> str:
    """``textwrap.dedent(text)``, quickly when the first line starts at the margin.

    Then there is no common indent to remove, and dedent only empties the lines that hold
    nothing but spaces and tabs. (textwrap.dedent takes ~80 us on an article-sized prompt.)
    """
    if text[:1] not in ("", " ", "\t", "\n"):
        # Such a line ends in a space or a tab, before a newline or at the end.
        if " \n" in text or "\t\n" in text or text.endswith((" ", "\t")):
            return _BLANK_LINE.sub("", text)
        return text
    return dedent(text)


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
    unknown = meta.find_undeclared_variables(env.parse(data["user"])) - TEMPLATE_VARIABLES
    if unknown:
        raise ValueError(f"prompt {name!r} uses unknown variables {sorted(unknown)}")
    digest = hashlib.sha256(raw).hexdigest()[:8]
    return Prompt(
        name=name,
        version=f"{data['version']}+{digest}",
        system=data["system"].strip(),
        user=data["user"].strip(),
    )

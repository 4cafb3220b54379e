"""Load the versioned prompt files shipped as ``minerals_summ.prompts``.

The prompt version is the file's declared ``version`` plus a short hash of the file, so an edit
that forgets to bump the version still changes it (and so still invalidates cassettes and cache).
"""

from __future__ import annotations

import hashlib
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
    """A versioned prompt: the system text and the user template, compiled once."""

    name: str
    version: str
    system: str
    user: str
    _user: Template = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The sandbox instructor itself renders templates in.
        object.__setattr__(self, "_user", SandboxedEnvironment().from_string(self.user))

    def render(self, **variables: Any) -> list[dict[str, str]]:
        """The chat messages with ``variables`` (``article``, ``published``) filled in.

        The article is a template variable, never template text: ``{{`` or ``{%`` inside it is
        copied as it is. (instructor's own templating, given a context, would render the whole
        message, article included, as a template.)
        """
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

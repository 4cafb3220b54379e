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
from typing import Any, cast

from jinja2 import Environment, Template, meta, nodes
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
    # The user template's text around its variables, by which variables are given (see render).
    # None when a variable is used otherwise than printed or tested for being set.
    _pieces: dict[frozenset[str], tuple[list[str], list[str]] | tuple[()]] | None = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        # Compiled once, in the sandbox instructor itself renders templates in. The system text
        # has no variables (load_prompt checks), so it is rendered once too.
        env = SandboxedEnvironment()
        object.__setattr__(self, "_system", _dedent(env.from_string(self.system).render()))
        object.__setattr__(self, "_user", env.from_string(self.user))
        object.__setattr__(self, "_pieces", {} if _only_copied_or_tested(self.user) else None)

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
        if (
            self._pieces is not None
            and variables.keys() == TEMPLATE_VARIABLES
            and type(variables["article"]) is str
            and all(type(v) is str and v for v in variables.values() if v is not None)
        ):
            user = self._spliced(variables)
        else:
            user = self._user.render(**variables)
        user = _dedent(user)
        return [{"role": "system", "content": self._system}, {"role": "user", "content": user}]

    def _spliced(self, variables: dict[str, str | None]) -> str:
        """The user template rendered by joining its text around the values, when it only
        copies each variable in as it is.

        Which variables are None decides the template's branches: for each such pattern the
        template is rendered once with marker values, and the text around them kept when each
        marker is printed exactly once. Otherwise (a variable printed twice, or a template
        :func:`_only_copied_or_tested` refused) it is rendered by Jinja every time.
        """
        key = frozenset(k for k, v in variables.items() if v is not None)
        known = cast(dict[frozenset[str], Any], self._pieces)
        pieces = known.get(key)
        if pieces is None:
            pieces = known[key] = _pieces(self._user, key)
        if not pieces:
            return self._user.render(**variables)
        text, names = pieces
        out = [text[0]]
        for name, after in zip(names, text[1:], strict=True):
            out.append(cast(str, variables[name]))
            out.append(after)
        return "".join(out)


# The only syntax a template may use to be rendered by splicing: text, printed names and
# {% if name %} ... {% else %} ... {% endif %}. Anything else (a filter block, autoescape, a
# filter or call anywhere, a loop, an assignment) leaves rendering to Jinja every time.
_SPLICEABLE = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.If)


def _only_copied_or_tested(source: str) -> bool:
    """Whether the template only prints its variables as they are (``{{ name }}``) and tests
    them for being set (``{% if name %}``): then a value matters only by being given."""
    allowed: set[int] = set()
    names: list[nodes.Name] = []

    def walk(node: nodes.Node) -> bool:
        if type(node) not in _SPLICEABLE:
            return False
        if isinstance(node, nodes.Output):
            allowed.update(id(child) for child in node.nodes if isinstance(child, nodes.Name))
        elif isinstance(node, nodes.If) and isinstance(node.test, nodes.Name):
            allowed.add(id(node.test))
        elif isinstance(node, nodes.Name):
            names.append(node)
        return all(walk(child) for child in node.iter_child_nodes())

    return walk(SandboxedEnvironment().parse(source)) and all(id(n) in allowed for n in names)


def _pieces(template: Template, given: frozenset[str]) -> tuple[list[str], list[str]] | tuple[()]:
    """The literal text between the ``given`` variables of ``template`` and the variables in
    order, when each is printed exactly once; else ``()``.

    One rendering with marker values shows it: the template passed
    :func:`_only_copied_or_tested`, so a value is printed as it is and counts in a test only by
    being given (a marker, like the real value, is a non-empty string).
    """
    marks = {name: f"\x00{name}\x00" for name in given}
    out = template.render(**dict.fromkeys(TEMPLATE_VARIABLES) | marks)
    if not marks or any(out.count(mark) != 1 for mark in marks.values()):
        return ()
    order = sorted(marks, key=lambda name: out.index(marks[name]))
    return re.split("|".join(re.escape(marks[name]) for name in order), out), order


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

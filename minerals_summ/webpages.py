"""Web pages in: the main text of an HTML page, and fetching a page by its URL.

:func:`extract_page` runs `trafilatura <https://trafilatura.readthedocs.io>`_, the field's
standard main-text extractor: navigation, scripts, ads, asides and footers are dropped, and the
page's title, canonical URL and publication date (``article:published_time``, JSON-LD
``datePublished`` and the like, never a date guessed from the text) come with the text. The
extracted text is what the model sees and what every offset in a summary refers to.

:func:`fetch` gets a page with httpx2: a timeout, a size cap and a user agent; every failure is
an :class:`~minerals_summ.exceptions.InputError` saying what went wrong, the cause chained.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from minerals_summ.exceptions import InputError
from minerals_summ.version import __version__

__all__ = [
    "FETCH_MAX_BYTES",
    "FETCH_TIMEOUT",
    "USER_AGENT",
    "Fetched",
    "Page",
    "extract_page",
    "fetch",
    "looks_like_html",
]

USER_AGENT = f"minerals-summ/{__version__} (+https://pypi.org/project/minerals-summ/)"
FETCH_TIMEOUT = 30.0  # seconds, per request
FETCH_MAX_BYTES = 20_000_000  # a news page is well under 5 MB; a longer answer is not one

# A page starts with a doctype or an element, or holds the elements only a page has.
_STARTS_HTML = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_PAGE_ELEMENT = re.compile(r"<(?:script|style|body|head|html|div|p|article|nav)\b[^>]*>", re.I)


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML page or fragment rather than an article's plain text.

    True when it starts with a doctype, ``<html>``, ``<head>`` or ``<body>``, or when it holds
    at least three page elements (``<p>``, ``<div>``, ``<script>``, ...): a news article's plain
    text holds none.
    """
    head = text[:100_000]
    return bool(_STARTS_HTML.match(head)) or len(_PAGE_ELEMENT.findall(head, 0)) >= 3


@dataclass(frozen=True)
class Page:
    """A page's main text and what its metadata says about it."""

    text: str
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    site: str | None = None


def _date(value: object) -> dt.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def extract_page(html: str | bytes, *, url: str | None = None) -> Page:
    """The main text of ``html`` with its title, URL and publication date.

    ``url`` (where the page was fetched from) is used when the page names no canonical URL.
    Raises :class:`InputError` when the page holds no article text.
    """
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        # The page's own metadata only: a date guessed from the text or the URL could anchor
        # "last month" to the wrong month without a word.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        where = f" at {url}" if url else ""
        raise InputError(
            f"no article text found in the web page{where} (trafilatura found only navigation, "
            "scripts or boilerplate); save the article's text, or check the page"
        )
    return Page(
        text=text,
        title=getattr(document, "title", None) or None,
        url=getattr(document, "url", None) or url,
        published=_date(getattr(document, "date", None)),
        site=getattr(document, "sitename", None) or None,
    )


@dataclass(frozen=True)
class Fetched:
    """What a URL returned: its bytes, content type and final address (after redirects)."""

    content: bytes
    content_type: str
    url: str

    @property
    def is_html(self) -> bool:
        return "html" in self.content_type or (
            not self.content_type
            and looks_like_html(self.content[:4096].decode("utf-8", "replace"))
        )

    def text(self) -> str:
        """The body as text, in the charset the server gave (else UTF-8)."""
        match = re.search(r"charset=([\w-]+)", self.content_type)
        try:
            return self.content.decode(match.group(1) if match else "utf-8")
        except (LookupError, UnicodeDecodeError) as exc:
            raise InputError(f"{self.url} is not text in a known encoding") from exc


def fetch(
    url: str,
    *,
    timeout: float = FETCH_TIMEOUT,
    max_bytes: int = FETCH_MAX_BYTES,
    user_agent: str = USER_AGENT,
) -> Fetched:
    """GET ``url`` (http or https), following redirects; InputError when it cannot be had."""
    import httpx2

    if not re.match(r"https?://", url, re.I):
        raise InputError(f"only http(s) URLs can be fetched, not {url!r}")
    headers = {"User-Agent": user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    try:
        with (
            httpx2.Client(timeout=timeout, follow_redirects=True, headers=headers) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise InputError(f"cannot fetch {url}: the server answered {response.status_code}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise InputError(
                    f"cannot fetch {url}: {int(declared):,} bytes, more than the cap of "
                    f"{max_bytes:,} bytes (max_bytes)"
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise InputError(
                        f"cannot fetch {url}: more than the cap of {max_bytes:,} bytes (max_bytes)"
                    )
                chunks.append(chunk)
            return Fetched(
                content=b"".join(chunks),
                content_type=response.headers.get("content-type", "").lower(),
                url=str(response.url),
            )
    except httpx2.TimeoutException as exc:
        raise InputError(f"cannot fetch {url}: no answer within {timeout:g}s (timeout)") from exc
    except httpx2.HTTPError as exc:
        raise InputError(f"cannot fetch {url}: {type(exc).__name__}: {exc}") from exc

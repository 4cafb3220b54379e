"""The articles a run takes: :class:`Article` and the checks every text passes before a call."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from minerals_summ.exceptions import InputError

__all__ = ["Article", "check_article"]


@dataclass(frozen=True, kw_only=True)
class Article:
    """One article of a batch: its id, its text, and the date relative dates are resolved against.

    Plain strings are accepted by the batch functions too (their id is their position).
    """

    id: str
    text: str
    published: dt.date | str | None = None
    url: str | None = None
    title: str | None = None


# C0 control characters other than the white-space ones; many of them mean binary data. Counted
# in the UTF-8 bytes, where they are single bytes that no other character's encoding contains.
_CONTROL = bytes(range(0x00, 0x09)) + b"\x0b" + bytes(range(0x0E, 0x20))


def check_article(text: object, max_chars: int) -> str:
    """The article as a string, or :class:`InputError` saying what to do."""
    if isinstance(text, bytes | bytearray):
        raise InputError("the article is bytes; decode it first, e.g. data.decode('utf-8')")
    if not isinstance(text, str):
        raise InputError(f"the article must be a str, not {type(text).__name__}")
    if not text.strip():
        raise InputError("the article is empty; pass the article's text")
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            "the article holds characters that are not valid Unicode (undecodable bytes?); "
            "decode it with the right encoding first"
        ) from exc
    controls = sum(data.count(byte) for byte in _CONTROL)
    if b"\x00" in data or controls > max(3, len(text) // 100):
        raise InputError("the article looks like binary data, not text; extract its text first")
    if len(text) > max_chars:
        raise InputError(
            f"the article has {len(text):,} characters, more than max_chars={max_chars:,}; "
            "split it into parts or raise max_chars"
        )
    return text

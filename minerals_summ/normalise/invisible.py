"""Characters that scraped web text carries but nobody reads: format characters and odd spaces.

Soft hyphens, zero-width spaces and joiners, word joiners, byte-order marks and direction marks
(Unicode category Cf) sit inside numbers, names and quotes of web pages without showing:
"Rs 1,5\u00ad00-crore" reads as "Rs 1,500-crore". Parsing and grounding ignore them; every offset
the library returns still points into the original text.
"""

from __future__ import annotations

import re
from itertools import chain

__all__ = ["FORMAT_CHARACTERS", "visible"]

# Unicode category Cf, as ranges (checked against unicodedata in tests/test_invisible.py; the
# Egyptian hieroglyph controls are taken to 1343F, the range later Unicode versions fill).
_CF_RANGES = [
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
]
FORMAT_CHARACTERS = frozenset(
    chr(c) for c in chain.from_iterable(range(a, b + 1) for a, b in _CF_RANGES)
)

_DROP = str.maketrans(dict.fromkeys(FORMAT_CHARACTERS))
_SPACE = re.compile(r"\s")


def visible(text: str) -> str:
    """``text`` without format characters, each white-space character (any kind) a plain space."""
    return _SPACE.sub(" ", text.translate(_DROP))

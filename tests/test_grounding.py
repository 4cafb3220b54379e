"""Tests for minerals_summ.grounding: locating quotes and names in the article's own text."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from minerals_summ.grounding import (
    _FOLD_TABLE,
    _NAME_DROP,
    ArticleText,
    _acronym,
    _alnum,
    _build,
    _fold,
    locate,
    locate_name,
)

SEEDS = Path(__file__).parent.parent / "seeds"
ARTICLE = (SEEDS / "us-pakistan-critical-minerals.txt").read_text(encoding="utf-8")


def found(quote: str, text: str = ARTICLE, *, fuzzy: bool = True) -> str | None:
    span = locate(quote, text, fuzzy=fuzzy)
    return None if span is None else text[span.start : span.end]


def found_name(name: str, text: str = ARTICLE) -> str | None:
    span = locate_name(name, text)
    return None if span is None else text[span.start : span.end]


# --- the seed article and its gold ----------------------------------------------------------

SEED_QUOTES = [
    "a memorandum of understanding signed between Pakistan’s Frontier Works Organization and US "
    "Strategic Metals on critical minerals in Pakistan",
    "producing and recycling critical minerals such as cobalt, nickel, copper and lithium",
    "the US sealed a trade deal with Pakistan wherein they agreed on a reduction of the so-called "
    "reciprocal tariffs, especially on Pakistani exports",
    "work together on developing their massive oil reserves",
    "India and Russia declared that they are exploring opportunities in rare earth and critical "
    "minerals extraction, underground coal gasification, and creation of modern industrial "
    "infrastructure last month",
    "the Union Cabinet in India approved a Rs 1,500-crore incentive scheme for critical and rare "
    "earth minerals",
    "The scheme is part of the National Critical Mineral Mission and is designed as a six-year "
    "package",
    "at least 270 kilo tonnes of annual recycling capacity, resulting in around 40 kilo tonne of "
    "annual critical mineral production",
    # text fields
    "on Monday",
    "On July 31",
    "last month",
    "Last week",
    "Rs 1,500-crore",
    "270 kilo tonnes",
    "40 kilo tonne",
]

SEED_NAMES = {
    "Frontier Works Organization": "Frontier Works Organization",
    "FWO": "FWO",
    "U.S. Strategic Metals": "US Strategic Metals",  # first occurrence, periods ignored
    "USSM": "USSM",
    "United States": "United States",
    "US": "US",
    "Pakistan": "Pakistan",
    "India": "India",
    "Russia": "Russia",
    "Zach Harkenrider": "Zach Harkenrider",
    "Natalie Baker": "Natalie Baker",
    "Donald Trump": "Donald Trump",
    "Prime Minister House": "Prime Minister House",
    "Union Cabinet": "Union Cabinet",
    "National Critical Mineral Mission": "National Critical Mineral Mission",
}


@pytest.mark.parametrize("fuzzy", [False, True])
@pytest.mark.parametrize("quote", SEED_QUOTES)
def test_seed_quotes_and_text_fields_are_found_verbatim(quote: str, fuzzy: bool) -> None:
    assert found(quote, fuzzy=fuzzy) == quote


@pytest.mark.parametrize(("name", "wording"), SEED_NAMES.items())
def test_seed_names_are_found(name: str, wording: str) -> None:
    assert found_name(name) == wording


# --- exact mode: white space, quotes, dashes and case only ----------------------------------


@pytest.mark.parametrize(
    ("quote", "wording"),
    [
        ("Rs 1,500–crore", "Rs 1,500-crore"),
        ("RS 1,500—CRORE", "Rs 1,500-crore"),
        ("Rs\u00a01,500-crore", "Rs 1,500-crore"),
        ("  on\n  Monday ", "on Monday"),
        ("Pakistan's Frontier Works", "Pakistan’s Frontier Works"),
        ("“work together on developing", "“work together on developing"),
        ('"work together on developing', "“work together on developing"),
        ("Chargé d'Affaires", "Chargé d’Affaires"),
    ],
)
def test_exact_mode_tolerates_typography(quote: str, wording: str) -> None:
    assert found(quote, fuzzy=False) == wording


@pytest.mark.parametrize(
    "quote",
    [
        "Rs 1,500 crore",  # a dash is not a space
        "Rs 1500-crore",
        "500-crore",  # not inside a number
        "the US sealed trade deal",  # a dropped word is fuzzy only
        "Frontier Works Organisation",
    ],
)
def test_exact_mode_rejects_other_differences(quote: str) -> None:
    assert found(quote, fuzzy=False) is None


def test_numbers_are_not_cut() -> None:
    assert found("Rs 1,500", "it cost Rs 1,500,000 in all") is None
    assert found("1,600", "output was 1,600.5 t") is None
    assert found("Rs 1,500", "it cost Rs 1,500, in all") == "Rs 1,500"


@pytest.mark.parametrize("quote", ["", "   ", "\n\t\u00a0"])
def test_empty_quote_or_name_is_none(quote: str) -> None:
    assert locate(quote, ARTICLE) is None
    assert locate_name(quote, ARTICLE) is None


def test_first_occurrence_is_returned() -> None:
    text = "Cobalt output rose. Later, cobalt output rose. Cobalt output rose again."
    span = locate("cobalt output rose", text)
    assert span is not None
    assert (span.start, span.end) == (0, 18)
    span = locate("the US sealed trade deal", ARTICLE + "\n" + ARTICLE)
    assert span is not None
    assert span.end < len(ARTICLE)


# --- fuzzy mode: small typographic differences ----------------------------------------------


@pytest.mark.parametrize(
    ("quote", "wording"),
    [
        (  # British spelling
            "Pakistan's Frontier Works Organisation and US Strategic Metals",
            "Pakistan’s Frontier Works Organization and US Strategic Metals",
        ),
        (
            "these minerals have been labeled as essential in a variety of technologies",
            "these minerals have been labelled as essential in a variety of technologies",
        ),
        (  # dropped small word
            "the US sealed trade deal with Pakistan",
            "the US sealed a trade deal with Pakistan",
        ),
        (  # added small word
            "has made the forging of such deals a key priority given the importance of the"
            " critical",
            "has made the forging of such deals a key priority given the importance of critical",
        ),
        (  # stray punctuation
            "the US sealed a trade deal with Pakistan, wherein they agreed",
            "the US sealed a trade deal with Pakistan wherein they agreed",
        ),
        (
            "critical minerals such as cobalt nickel, copper and lithium",
            "critical minerals such as cobalt, nickel, copper and lithium",
        ),
        (  # ellipsis
            "The USSM is a company based in Missouri ... critical minerals such as cobalt",
            "The USSM is a company based in Missouri which works for producing and recycling "
            "critical minerals such as cobalt",
        ),
        (
            "Last week, the Union Cabinet … approved a Rs 1,500-crore incentive scheme",
            "Last week, the Union Cabinet in India approved a Rs 1,500-crore incentive scheme",
        ),
        (
            "expected to help develop […] 270 kilo tonnes of annual recyling capacity",
            "expected to help develop at least 270 kilo tonnes of annual recycling capacity",
        ),
    ],
)
def test_fuzzy_tolerates_small_differences(quote: str, wording: str) -> None:
    assert found(quote, fuzzy=False) is None
    assert found(quote) == wording


@pytest.mark.parametrize(
    "quote",
    [
        "approved a Rs 1,500-crore incentive scheme ... the Union Cabinet in India",  # wrong order
        "US, Pakistan Announce Key Pact On Critical Minerals ... an official release",  # too far
        "the Union Cabinet in India ... a Rs 1,600-crore incentive scheme",  # a changed part
    ],
)
def test_ellipsis_parts_must_be_in_order_near_and_right(quote: str) -> None:
    assert found(quote) is None


OTHER_ARTICLE = (
    "The European Commission approved a new battery regulation on Tuesday, setting recycled "
    "content targets for lithium and cobalt from 2031."
)
NEGATIVE_TEXT = (
    "The ministry said it would not approve the lithium export licence this year. "
    "Output reached 1.5 million tonnes, and the six-year plan was approved."
)


@pytest.mark.parametrize(
    ("quote", "text"),
    [
        ("the Union Cabinet in India approved a Rs 1,600-crore incentive scheme", ARTICLE),
        ("at least 207 kilo tonnes of annual recycling capacity", ARTICLE),
        ("resulting in around 14 kilo tonne of annual critical mineral production", ARTICLE),
        (
            "The scheme is part of the National Critical Mineral Mission, designed as a ten-year",
            ARTICLE,
        ),
        ("India and Russia declared that they are not exploring opportunities", ARTICLE),
        ("the US never sealed a trade deal with Pakistan", ARTICLE),
        ("The ministry said it would approve the lithium export licence this year", NEGATIVE_TEXT),
        ("Output reached 1.5 billion tonnes, and the six-year plan", NEGATIVE_TEXT),
        ("Output reached 15 million tonnes", NEGATIVE_TEXT),
        ("the six-year plan was disapproved", NEGATIVE_TEXT),
        ("the Indian Cabinet approved a Rs 1,500-crore incentive scheme", ARTICLE),
        ("the UK sealed a trade deal with Pakistan", ARTICLE),
        (OTHER_ARTICLE, ARTICLE),
        ("The European Commission approved a new battery regulation", ARTICLE),
        ("work together on developing their massive gas reserves", ARTICLE),
    ],
)
def test_fuzzy_never_matches_a_different_claim(quote: str, text: str) -> None:
    assert found(quote, text) is None


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "wording"),
    [
        ("U.S. Strategic Metals", "a deal with US Strategic Metals.", "US Strategic Metals"),
        ("US Strategic Metals", "a deal with U.S. Strategic Metals.", "U.S. Strategic Metals"),
        ("Frontier Works Organisation", ARTICLE, "Frontier Works Organization"),
        ("Pakistan", "Pakistan’s army", "Pakistan"),
        (
            "Pakistan's Frontier Works Organization",
            ARTICLE,
            "Pakistan’s Frontier Works Organization",
        ),
        ("Pakistan Frontier Works Organization", ARTICLE, "Pakistan’s Frontier Works Organization"),
        ("Chargé d'Affaires", ARTICLE, "Chargé d’Affaires"),
        ("Department of Energy", ARTICLE, "Department of Energy"),
        ("National Critical Minerals Mission", ARTICLE, "National Critical Mineral Mission"),
        ("Ministry of Mines", "the Ministry   of\nMines said", "Ministry   of\nMines"),
        ("Phase 2 Fund", "the Phase 2 Fund", "Phase 2 Fund"),
    ],
)
def test_names_tolerate_typography(name: str, text: str, wording: str) -> None:
    assert found_name(name, text) == wording


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("John Smith", ARTICLE),
        ("Tin", "Martin Baker said"),
        ("India", "Indian exports rose"),
        ("Canada", "Canadian exports rose"),
        ("Russia", "the Russian side"),
        ("US", "join us for the launch"),
        ("Phase 2 Fund", "the Phase 3 Fund"),
        ("Phase 2 Fund", "the Phase 21 Fund"),
        ("Natalie Brown", ARTICLE),
        ("European Union", ARTICLE),
    ],
)
def test_names_not_in_the_text_are_none(name: str, text: str) -> None:
    assert found_name(name, text) is None


# --- properties -----------------------------------------------------------------------------

LETTERS = "abcdefghijklmé"  # words of the text; unrelated quotes use other letters
WORDS = st.text(LETTERS, min_size=1, max_size=8)
NUMBERS = st.one_of(
    st.integers(0, 9999).map(str),
    st.builds("{},{:03d}".format, st.integers(1, 999), st.integers(0, 999)),
    st.builds("{}.{}".format, st.integers(0, 99), st.integers(0, 9)),
)
TOKENS = st.one_of(
    WORDS,
    WORDS,
    NUMBERS,
    WORDS.map("“{}”".format),
    WORDS.map("‘{}’".format),
    WORDS.map("{}’s".format),
    st.tuples(WORDS, WORDS).map("–".join),
    st.sampled_from(["—", "–", "-", "―"]),
)
SEPARATORS = st.sampled_from([" ", " ", " ", "  ", "\n", "\u00a0", " \n\t"])
QUOTES = str.maketrans("“”‘’", "\"\"''")
DASHES = "‐‑‒–—―−-"


@st.composite
def articles(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    """A text of random tokens, and the offsets of each token."""
    tokens = draw(st.lists(TOKENS, min_size=1, max_size=40))
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    for token in tokens:
        sep = draw(SEPARATORS)
        parts += [sep, token]
        offsets.append((pos + len(sep), pos + len(sep) + len(token)))
        pos += len(sep) + len(token)
    return "".join(parts), offsets


CASES: list[Callable[[str], str]] = [str.lower, str.upper, str.title, str.swapcase, str.strip]


def _disguise(token: str, data: st.DataObject) -> str:
    """The same token with other case, quotes and dashes."""
    token = data.draw(st.sampled_from(CASES))(token)
    if data.draw(st.booleans()):
        token = token.translate(QUOTES)
    return "".join(data.draw(st.sampled_from(DASHES)) if c in DASHES else c for c in token)


def _normal(s: str) -> str:
    return _build(s).text.strip()


@given(data=st.data(), article=articles(), fuzzy=st.booleans())
@settings(max_examples=120, deadline=None)
def test_any_respaced_recased_requoted_substring_is_found(
    data: st.DataObject, article: tuple[str, list[tuple[int, int]]], fuzzy: bool
) -> None:
    text, offsets = article
    i = data.draw(st.integers(0, len(offsets) - 1))
    j = data.draw(st.integers(i, min(len(offsets) - 1, i + 12)))
    start, end = offsets[i][0], offsets[j][1]
    tokens = [text[s:e] for s, e in offsets[i : j + 1]]
    quote = "".join(data.draw(SEPARATORS) + _disguise(t, data) for t in tokens)
    span = locate(quote + data.draw(SEPARATORS), text, fuzzy=fuzzy)
    assert span is not None
    assert span.start <= start
    if span.start == start:
        assert span.end == end
    else:  # an earlier occurrence of the same words
        assert _normal(text[span.start : span.end]) == _normal(text[start:end])


@given(data=st.data(), article=articles())
@settings(max_examples=120, deadline=None)
def test_a_changed_digit_is_never_found(
    data: st.DataObject, article: tuple[str, list[tuple[int, int]]]
) -> None:
    text, offsets = article
    numeric = [k for k, (s, e) in enumerate(offsets) if any(c.isdigit() for c in text[s:e])]
    assume(numeric)
    k = data.draw(st.sampled_from(numeric))
    i = data.draw(st.integers(max(0, k - 6), k))
    j = data.draw(st.integers(k, min(len(offsets) - 1, k + 6)))
    number = text[offsets[k][0] : offsets[k][1]]
    digits = [p for p, c in enumerate(number) if c.isdigit()]
    p = data.draw(st.sampled_from(digits))
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != number[p]]))
    changed = number[:p] + new + number[p + 1 :]
    assume(changed not in re.findall(r"\d+(?:[.,]\d+)*", text))
    quote = text[offsets[i][0] : offsets[k][0]] + changed + text[offsets[k][1] : offsets[j][1]]
    assert locate(quote, text) is None
    assert locate_name(quote, text) is None


@given(data=st.data(), article=articles())
@settings(max_examples=60, deadline=None)
def test_any_respaced_recased_name_is_found(
    data: st.DataObject, article: tuple[str, list[tuple[int, int]]]
) -> None:
    text, offsets = article
    plain = [text[s:e].isalpha() for s, e in offsets]  # names of plain words only
    assume(any(plain))
    i = data.draw(st.sampled_from([k for k, p in enumerate(plain) if p]))
    j = i
    while j + 1 < len(offsets) and plain[j + 1] and j < i + 4 and data.draw(st.booleans()):
        j += 1
    start, end = offsets[i][0], offsets[j][1]
    tokens = [text[s:e] for s, e in offsets[i : j + 1]]
    # all capitals would make an acronym, which must match in capitals
    name = "".join(
        data.draw(SEPARATORS) + (t.title() if len(t) > 1 and data.draw(st.booleans()) else t)
        for t in tokens
    )
    span = locate_name(name, text)
    assert span is not None
    assert span.start <= start
    if span.start == start:
        assert span.end == end
    else:
        assert _normal(text[span.start : span.end]) == _normal(text[start:end])


@given(
    article=articles(),
    quote=st.lists(st.text("nopqrstuvwxyz", min_size=1, max_size=8), min_size=1, max_size=12),
)
@settings(max_examples=60, deadline=None)
def test_unrelated_quotes_are_not_found(
    article: tuple[str, list[tuple[int, int]]], quote: list[str]
) -> None:
    text, _ = article
    assert locate(" ".join(quote), text) is None
    assert locate_name(" ".join(quote), text) is None


# --- speed ----------------------------------------------------------------------------------


def test_many_searches_in_a_long_article_stay_quick() -> None:
    """A guard against a search that grows with the square of the article, not a benchmark."""
    text = ((OTHER_ARTICLE + " " + NEGATIVE_TEXT + "\n") * 200)[:45_000] + "\n" + ARTICLE
    assert len(text) > 45_000
    article = ArticleText(text)
    began = time.perf_counter()
    for quote in SEED_QUOTES * 2:
        span = article.locate(quote, fuzzy=False)
        assert span is not None
        assert text[span.start : span.end] == quote
    for quote in ["the US sealed trade deal with Pakistan", "Rs 1,600-crore incentive scheme"]:
        article.locate(quote)
    for name in SEED_NAMES:
        assert article.locate_name(name) is not None
    assert found_name("Frontier Works Organisation", text) == "Frontier Works Organization"
    assert time.perf_counter() - began < 3.0


@pytest.mark.parametrize(
    ("quote", "fuzzy"),
    [
        ("$1.25 billion", False),  # the article says A$1.25 billion
        ("40 percent", False),  # the article says -40 percent
        ("the €5 billion investment fund", True),  # the article says $5 billion
        ("output fell to 40 percent", True),
        ("binding agreement on lithium", True),  # the article says non-binding
        ("a binding agreement on lithium", True),
    ],
)
def test_currency_sign_and_negating_prefix_are_part_of_the_claim(quote: str, fuzzy: bool) -> None:
    text = (
        "Officials said the A$1.25 billion loan will help; output fell to -40 percent under a "
        "non-binding agreement on lithium, and the $5 billion investment fund stands."
    )
    assert locate(quote, text, fuzzy=fuzzy) is None
    assert locate("A$1.25 billion", text, fuzzy=False) is not None
    assert locate("the $5 billion investment fund", text) is not None


_TRICKY = st.text(
    alphabet=st.sampled_from(list("aZ1 .,'s_\x00\n\t\r\u00a0\u2009\u3000\x1c\x85’“—-İé۳ⒶⓐΣ")),
    max_size=24,
)


@given(text=_TRICKY | st.text(max_size=24))
@settings(max_examples=200, deadline=None)
def test_letters_and_digits_of_a_name(text: str) -> None:
    assert _alnum(text) == "".join(c for c in text if c.isalnum())


@example(text="`a`")  # the backtick folds to a quote
@given(text=_TRICKY | st.text(max_size=24))
@settings(max_examples=300, deadline=None)
def test_folding_is_one_character_for_one(text: str) -> None:
    folded = "".join(_FOLD_TABLE.get(c, " " if c == "\x00" else c) for c in text)
    lowered = folded.lower()  # in context: a final capital sigma becomes a final small one
    if len(lowered) != len(folded):  # "İ" lower-cases to two characters: kept as it is
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)
    assert len(_fold(text)) == len(text)
    assert _fold(text) == lowered


@given(text=_TRICKY | st.text(alphabet=st.sampled_from(list("UuS.s ⒶⓐΣ12")), max_size=8))
@settings(max_examples=300, deadline=None)
def test_an_acronym_is_a_name_whose_letters_are_capitals(text: str) -> None:
    letters = _alnum(text)
    expected = letters if letters.isupper() and len(letters) <= 6 else None
    assert _acronym(text) == expected


def _normal_form_by_hand(text: str, names: bool) -> tuple[str, list[int]]:
    """The module docstring's normal form, one character at a time: text, and each one's origin."""
    folded = _fold(text)
    if names:
        folded = _NAME_DROP.sub(lambda m: "\x00" * len(m.group()), folded)
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(folded):
        if not (folded[i].isspace() or folded[i] == "\x00"):
            out.append((folded[i], i))
            i += 1
            continue
        j = i
        while j < len(folded) and (folded[j].isspace() or folded[j] == "\x00"):
            j += 1
        spaces = [k for k in range(i, j) if folded[k] != "\x00"]
        if spaces:  # a run with white space in it is one space, at its first; \x00 alone go
            out.append((" ", spaces[0]))
        i = j
    return "".join(c for c, _ in out), [origin for _, origin in out]


@given(
    text=st.text(
        alphabet=st.sampled_from(list("aZs1 .,'_\x00\n\r\t\x0b\x85\xad\u00a0\u2009\u2028’—-İ")),
        max_size=40,
    ),
    names=st.booleans(),
)
@settings(max_examples=1000, deadline=None)
def test_normal_forms_and_their_maps_back(text: str, names: bool) -> None:
    norm = _build(text, names)
    expected_text, expected_origins = _normal_form_by_hand(text, names)
    assert norm.text == expected_text
    assert norm.origins == expected_origins

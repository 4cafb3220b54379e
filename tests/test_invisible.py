"""Invisible characters of scraped web text change no value and hide no quote.

Each format character (soft hyphen, zero-width space, joiners, word joiner, BOM, direction marks)
and each unusual space is put inside numbers, names and quotes, on the article's side and on the
model's side; values stay the same and every offset still points into the original article.
"""

from __future__ import annotations

import sys
import unicodedata
from decimal import Decimal
from typing import Any

import pytest

from minerals_summ.gold import GoldArticle
from minerals_summ.grounding import locate, locate_name
from minerals_summ.normalise import parse_money, parse_quantity, resolve_date
from minerals_summ.normalise.invisible import FORMAT_CHARACTERS, visible
from minerals_summ.resolve import resolve
from minerals_summ.schema import ArticleDraft

FORMAT = {
    "soft hyphen": "\u00ad",
    "zero-width space": "\u200b",
    "zero-width non-joiner": "\u200c",
    "zero-width joiner": "\u200d",
    "left-to-right mark": "\u200e",
    "right-to-left mark": "\u200f",
    "left-to-right embedding": "\u202a",
    "word joiner": "\u2060",
    "first strong isolate": "\u2068",
    "byte-order mark": "\ufeff",
    "arabic letter mark": "\u061c",
}
SPACES = {
    "no-break space": "\u00a0",
    "figure space": "\u2007",
    "thin space": "\u2009",
    "hair space": "\u200a",
    "narrow no-break space": "\u202f",
    "ideographic space": "\u3000",
}


def test_format_characters_are_unicode_category_cf() -> None:
    cf = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    assert cf <= FORMAT_CHARACTERS
    # Beyond this Python's Unicode tables, only code points later versions made Cf.
    assert all(unicodedata.category(c) in {"Cf", "Cn"} for c in FORMAT_CHARACTERS)


@pytest.mark.parametrize("char", FORMAT.values(), ids=FORMAT.keys())
@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("Rs 1,5{c}00-crore", "15000000000", "INR"),
        ("$1.5{c} billion", "1500000000", "USD"),
        ("US{c}$8.5 bil{c}lion", "8500000000", "USD"),
        ("{c}€100 billion", "100000000000", "EUR"),
    ],
)
def test_format_characters_inside_amounts(char: str, text: str, amount: str, currency: str) -> None:
    money = parse_money(text.format(c=char))
    assert (money.amount, money.currency) == (Decimal(amount), currency)


@pytest.mark.parametrize("char", [*FORMAT.values(), *SPACES.values()])
def test_invisible_characters_inside_quantities_and_dates(char: str) -> None:
    quantity = parse_quantity(f"27{char if char in FORMAT_CHARACTERS else ''}0 kilo{char}tonnes")
    assert (quantity.value, quantity.unit) == (Decimal(270000), "t")
    date = resolve_date(f"July{char}31,{char}2025", "2025-09-09")
    assert str(date.value) == "2025-07-31"


@pytest.mark.parametrize("char", [*FORMAT.values(), *SPACES.values()])
def test_quotes_and_names_are_found_on_either_side(char: str, seed_text: str) -> None:
    quote = "the Union Cabinet in India approved a Rs 1,500-crore incentive scheme"
    inner = char if char in FORMAT_CHARACTERS else ""
    between = f"{inner} " if inner else char
    article = seed_text.replace("Union Cabinet", f"Uni{inner}on{between}Cabi{inner}net")
    span = locate(quote, article, fuzzy=False)
    assert span is not None
    assert visible(article[span.start : span.end]).replace(" ", "") == quote.replace(" ", "")
    inside = quote.replace("1,500", f"1,{char}500") if char in FORMAT_CHARACTERS else quote
    assert locate(inside, seed_text, fuzzy=False) is not None
    joined = f"Fron{char}tier Works" if char in FORMAT_CHARACTERS else f"Frontier{char}Works"
    name = locate_name(f"{joined} Organization", seed_text)
    assert name is not None
    assert seed_text[name.start : name.end] == "Frontier Works Organization"


@pytest.mark.parametrize("char", FORMAT.values(), ids=FORMAT.keys())
def test_a_scraped_article_resolves_to_the_same_values(char: str, seed: GoldArticle) -> None:
    """Invisible characters inside the article's numbers, names and quoted passages."""
    article = (
        seed.text.replace("1,500-crore", f"1,5{char}00-crore")
        .replace("270 kilo", f"27{char}0 kilo")
        .replace("Frontier Works", f"Fron{char}tier Works")
        .replace("On July 31", f"On July 3{char}1")
        .replace("cobalt, nickel", f"cobalt,{char} nickel")
    )
    resolved = resolve(seed.draft, article, seed.published)
    expected = resolve(seed.draft, seed.text, seed.published)
    assert _values(resolved) == _values(expected)
    for record in resolved.records():
        for evidence in record.evidence:
            assert article[evidence.start : evidence.end] == evidence.quote
    budget = resolved.policy_schemes[0].budget
    assert budget is not None
    assert budget.span is not None
    assert article[budget.span.start : budget.span.end] == f"Rs 1,5{char}00-crore"


@pytest.mark.parametrize("char", FORMAT.values(), ids=FORMAT.keys())
def test_the_model_copying_invisible_characters_changes_nothing(
    char: str, seed: GoldArticle
) -> None:
    data = seed.draft.model_dump(mode="json")
    data["policy_schemes"][0]["budget"]["text"] = f"Rs 1,5{char}00-crore"
    data["policy_schemes"][0]["targets"][0]["quantity"]["text"] = f"27{char}0 kilo tonnes"
    data["agreements"][0]["evidence"][1] = data["agreements"][0]["evidence"][1].replace(
        "nickel", f"nic{char}kel"
    )
    resolved = resolve(ArticleDraft.model_validate(data), seed.text, seed.published)
    assert _values(resolved) == _values(resolve(seed.draft, seed.text, seed.published))


def _values(summary: Any) -> list[Any]:
    out: list[Any] = []
    for record in summary.records():
        for name in ("value", "budget", "date"):
            v = getattr(record, name, None)
            if v is not None:
                out.append((name, getattr(v, "amount", None), getattr(v, "value", None)))
        for target in getattr(record, "targets", ()):
            if target.quantity:
                out.append(("target", target.quantity.value, target.quantity.unit))
    return out

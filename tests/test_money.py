"""parse_money: real-world phrasings, the errors the model sees, and grouping round-trips."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minerals_summ.normalise.expression import whole_expression
from minerals_summ.normalise.money import parse_money

CASES = [
    # Indian amounts
    ("Rs 1,500-crore", "15000000000", "INR"),
    ("Rs 16,300 crore", "163000000000", "INR"),
    ("Rs 16,300-crore", "163000000000", "INR"),
    ("INR 16,300 Crores", "163000000000", "INR"),
    ("₹34,300 crore", "343000000000", "INR"),
    ("Rs. 2,00,000", "200000", "INR"),
    ("Rs 1,50,00,000", "15000000", "INR"),
    ("Rs 1 lakh crore", "1000000000000", "INR"),
    ("Rs 1.5 lakh-crore", "1500000000000", "INR"),
    ("Rs 20 lakh", "2000000", "INR"),
    ("Rs 5 lacs", "500000", "INR"),
    ("Rs225cr", "2250000000", "INR"),
    ("500 crore rupees", "5000000000", "INR"),
    ("Rs 10 thousand crore", "100000000000", "INR"),
    ("Rs 2,600 crore (budgetary support)", "26000000000", "INR"),
    ("Rs 500 crore ($60 million)", "5000000000", "INR"),
    # the first amount counts, whatever the digits of its conversion
    ("US$200-million (R1,45-billion)", "200000000", "USD"),
    # dollars
    ("$1.5-billion", "1500000000", "USD"),
    ("two (2) billion dollars", "2000000000", "USD"),  # words and digits: one number
    # scale abbreviations of the Malaysian, Philippine, Swiss and Italian press
    ("RM2.5bil", "2500000000", "MYR"),
    ("US$3 bil.", "3000000000", "USD"),
    ("RM120mil", "120000000", "MYR"),  # "mil" is a million in Malaysian English
    ("$1 tril", "1000000000000", "USD"),
    ("CHF 1,5 Mia.", "1500000000", "CHF"),
    ("€ 3 mld", "3000000000", "EUR"),
    # ... and a thousand in Spanish and Portuguese
    ("R$ 45 mil", "45000", "BRL"),
    ("US$ 200 mil dólares", "200000", "USD"),
    ("US$500-million", "500000000", "USD"),
    ("$2.75", "2.75", "USD"),
    ("$2.5bn", "2500000000", "USD"),
    ("$500k", "500000", "USD"),
    ("USD $100 million (Arafura Nolans equity)", "100000000", "USD"),
    ("up to $5 billion", "5000000000", "USD"),
    ("approximately $7 billion", "7000000000", "USD"),
    ("more than $2.2 billion (EXIM letters of interest)", "2200000000", "USD"),
    ("an estimated $1 billion", "1000000000", "USD"),
    ("some $300 mln", "300000000", "USD"),
    ("5 billion US dollars", "5000000000", "USD"),
    ("two billion dollars", "2000000000", "USD"),
    ("US$3.4 billion (with Engine No. 1 3%)", "3400000000", "USD"),
    ("$1\u00a0trillion", "1000000000000", "USD"),
    ("A$1.2 billion (roughly $763 million)", "1200000000", "AUD"),
    ("AUD5.8m (USD3.98m)", "5800000", "AUD"),
    ("AU$7 billion over 10 years", "7000000000", "AUD"),
    ("C$300 million", "300000000", "CAD"),
    ("CAD 1.2bn", "1200000000", "CAD"),
    ("NZ$50m", "50000000", "NZD"),
    ("HK$1 billion", "1000000000", "HKD"),
    ("S$200 million", "200000000", "SGD"),
    # other currencies, before and after
    ("EUR 2.5bn", "2500000000", "EUR"),
    ("€2 billion", "2000000000", "EUR"),
    ("500 million euros", "500000000", "EUR"),
    ("£50m", "50000000", "GBP"),
    ("GBP 1,500", "1500", "GBP"),
    ("20 million pounds", "20000000", "GBP"),
    ("3 billion yuan", "3000000000", "CNY"),
    ("RMB 10 billion", "10000000000", "CNY"),
    ("10 billion renminbi", "10000000000", "CNY"),
    ("¥500 billion", "500000000000", "JPY"),
    ("40 billion yen", "40000000000", "JPY"),
    ("₩3 trillion", "3000000000000", "KRW"),
    ("2,500,000 won", "2500000", "KRW"),
]


@pytest.mark.parametrize(("text", "amount", "currency"), CASES)
def test_parses_real_world_amounts(text: str, amount: str, currency: str) -> None:
    money = parse_money(text)
    assert money.text == text
    assert money.amount == Decimal(amount)
    assert str(money.amount) == amount
    assert money.currency == currency


@pytest.mark.parametrize(
    ("text", "default", "amount", "currency"),
    [
        ("$5 million", "AUD", "5000000", "AUD"),
        ("500 million dollars", "CAD", "500000000", "CAD"),
        ("500 million", "EUR", "500000000", "EUR"),
        ("Rs 1,500-crore", "USD", "15000000000", "INR"),
        ("US$5 million", "AUD", "5000000", "USD"),
    ],
)
def test_default_currency_applies_to_bare_dollars_and_bare_amounts(
    text: str, default: str, amount: str, currency: str
) -> None:
    money = parse_money(text, default_currency=default)
    assert (money.amount, money.currency) == (Decimal(amount), currency)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("4.35 crore shares", "counts shares"),
        ("33.47 lakh tonnes", "counts tonnes"),
        ("20%", "percentage"),
        ("20 per cent", "percentage"),
        ("10 per cent of eligible costs", "percentage"),
        ("50% (equal stakes / 50 percent voting rights)", "percentage"),
        ("the full amount", "no number"),
        ("", "no number"),
        ("500 crore", "no currency"),
        ("$1-2 billion", "range"),
        ("$1 billion to $2 billion", "range"),
        ("Rs 500-600 crore", "range"),
        ("$25\u201330 billion (VBM capex)", "range"),
        ("Rs 2,00,000 crore to Rs 2,50,000 crore (net savings)", "range"),
        ("between $1 billion and $2 billion", "range"),
        # a tilde between two figures is a range (Chinese and Japanese style), not "about"
        ("$1~2 billion", "range"),
        ("US$1.5 billion ～ US$2 billion", "range"),
        ("about A$300m~A$400m", "range"),
        ("Rs 225 crore/GWh", "price per GWh"),
        ("$40 per tonne", "price per tonne"),
        ("$5-a-tonne", "price per tonne"),
        ("Rs 496.60 apiece", "amount for each item"),
        ("US$1.20 apiece", "amount for each item"),
        ("Rs 100 a piece", "price per piece"),
        # an amount per party or per item is no total: "the two will invest $1 billion each"
        ("at least USD $1 billion each", "amount for each item"),
        ("two loans of $100 million each", "amount for each item"),
        # a rate per period shorter than a year is no amount (a yearly flow is: see below)
        ("R2,500 per month", "rate \\(per month\\)"),
        ("$3 million a week", "rate \\(per week\\)"),
        ("US$40,000/day", "rate \\(per day\\)"),
        ("A$12 million (US$8 million) a quarter", "rate \\(per quarter\\)"),
        ("Rs 50 lakh monthly", "rate \\(monthly\\)"),
        ("€10,000 por mes", "rate \\(per mes\\)"),
        # a scale abbreviation whose value depends on the language
        ("$3MM", "scale word \\('MM'\\)"),
        ("R$ 2,5 bi", "scale word \\('bi'\\)"),
        ("US$ 300 mil", "scale word \\('mil'\\)"),
        ("$40 grand", "scale word \\('grand'\\)"),
        ("1,50 million dollars", "digit grouping"),
        ("1,50 million (US$2m)", "digit grouping"),
    ],
)
def test_rejects_what_is_not_one_amount(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as info:
        parse_money(text)
    message = str(info.value)
    assert f"'{text}'" in message
    assert "null" in message


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$500 million a year", "500000000", "USD"),
        ("A$20m per annum", "20000000", "AUD"),
        ("Rs 1,200 crore annually", "12000000000", "INR"),
        ("€3bn/yr", "3000000000", "EUR"),
    ],
)
def test_a_yearly_flow_is_the_amount(text: str, amount: str, currency: str) -> None:
    money = parse_money(text)
    assert (money.amount, money.currency) == (Decimal(amount), currency)


def test_no_default_for_shares_even_with_default_currency() -> None:
    with pytest.raises(ValueError, match="counts shares"):
        parse_money("4.35 crore shares", default_currency="INR")


def _indian(n: int) -> str:
    digits = str(n)
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    groups: list[str] = []
    while len(head) > 2:
        head, group = head[:-2], head[-2:]
        groups.insert(0, group)
    return ",".join([head, *groups, tail])


SCALE_WORDS = {
    "": 1,
    "thousand": 10**3,
    "lakh": 10**5,
    "million": 10**6,
    "mn": 10**6,
    "crore": 10**7,
    "cr": 10**7,
    "billion": 10**9,
    "bn": 10**9,
    "lakh crore": 10**12,
}
PREFIXES = {"Rs ": "INR", "₹": "INR", "$": "USD", "US$": "USD", "A$": "AUD", "€": "EUR", "£": "GBP"}


@given(
    n=st.integers(min_value=1, max_value=10**9),
    indian=st.booleans(),
    scale=st.sampled_from(sorted(SCALE_WORDS)),
    prefix=st.sampled_from(sorted(PREFIXES)),
    joiner=st.sampled_from([" ", "-"]),
)
def test_grouped_integers_with_scales_round_trip(
    n: int, indian: bool, scale: str, prefix: str, joiner: str
) -> None:
    number = _indian(n) if indian else f"{n:,}"
    text = f"{prefix}{number}{joiner}{scale}" if scale else f"{prefix}{number}"
    money = parse_money(text)
    assert money.amount == n * SCALE_WORDS[scale]
    assert str(money.amount) == str(n * SCALE_WORDS[scale])
    assert money.currency == PREFIXES[prefix]


@given(
    cents=st.integers(min_value=1, max_value=10**8),
    suffix=st.sampled_from(["yuan", "euros", "crore rupees", "million US dollars"]),
)
def test_decimals_are_exact_without_exponent(cents: int, suffix: str) -> None:
    number = Decimal(cents) / 100
    money = parse_money(f"{number} {suffix}")
    scale = {"crore rupees": 10**7, "million US dollars": 10**6}.get(suffix, 1)
    assert money.amount == number * scale
    assert "E" not in str(money.amount)


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("R$2 billion", "2000000000", "BRL"),
        ("MX$500 million", "500000000", "MXN"),
    ],
)
def test_other_dollars_are_not_us_dollars(text: str, amount: str, currency: str) -> None:
    money = parse_money(text)
    assert (money.amount, money.currency) == (Decimal(amount), currency)


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("R$ 2 bilhões", "2000000000", "BRL"),
        ("€3 Mrd", "3000000000", "EUR"),
        ("US$ 1.400 millones", "1400000000", "USD"),
        ("2,7 miliardi di dollari", "2700000000", "USD"),
        ("$11,83 miliar", "11830000000", "USD"),
    ],
)
def test_scale_words_of_other_languages_with_their_decimal_comma(
    text: str, amount: str, currency: str
) -> None:
    money = parse_money(text)
    assert (money.amount, money.currency) == (Decimal(amount), currency)


@pytest.mark.parametrize("text", ["Z$100 million", "N5bn ($3m)", "3 billion pesos"])
def test_unknown_currencies_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        parse_money(text)


@pytest.mark.parametrize(
    ("text", "amount"),
    [("$2 billion each year", "2000000000"), ("$500-million-a-year", "500000000")],
)
def test_an_annual_flow_is_no_price(text: str, amount: str) -> None:
    assert parse_money(text).amount == Decimal(amount)


@pytest.mark.parametrize(
    "text",
    [
        "10% of $2 billion",
        "30 per cent of the A$1.2 billion",
        "half of $2 billion",
        "two-thirds of the $900 million",
        "a 30% stake of $1 billion",
    ],
)
def test_a_share_of_an_amount_is_not_the_amount(text: str) -> None:
    with pytest.raises(ValueError, match="is a share") as info:
        parse_money(text)
    assert getattr(info.value, "category", None) == "part_of"


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("half a billion dollars", "500000000"),
        ("a quarter of a billion dollars", "250000000"),
        ("a 20% stake worth $1 billion", "1000000000"),
    ],
)
def test_fractions_of_a_scale_and_a_stake_s_worth_are_amounts(text: str, amount: str) -> None:
    assert parse_money(text).amount == Decimal(amount)


def test_a_copy_cut_out_of_a_share_is_sent_back() -> None:
    article = "The fund will take 10% of $2 billion raised by the company."
    start = article.index("$2")
    end = start + len("$2 billion")
    copied = parse_money(article[start:end]).amount
    cut = whole_expression(article, start, end, lambda t: parse_money(t).amount, value=copied)
    assert cut is not None
    assert cut.refused_as == "a share of a larger figure"

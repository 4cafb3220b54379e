"""Money as the world's reporting writes it: currencies, cents, fractions, prices, conversions."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from minerals_summ.normalise import parse_money
from minerals_summ.normalise.refusal import Refusal


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("R$ 15 bilhões", "15000000000", "BRL"),
        ("5 billion reais ($900 million)", "5000000000", "BRL"),
        ("R5bn ($908mn)", "5000000000", "ZAR"),
        ("R4,5 billion", "4500000000", "ZAR"),
        ("2 billion rand", "2000000000", "ZAR"),
        ("SR275.6m ($73.5m)", "275600000", "SAR"),
        ("one billion riyals ($266 million)", "1000000000", "SAR"),
        ("10 billion tenge", "10000000000", "KZT"),
        ("CN¥5bn", "5000000000", "CNY"),
        ("3 billion yuan", "3000000000", "CNY"),
        ("RMB 10 billion", "10000000000", "CNY"),
        ("¥500 billion", "500000000000", "JPY"),
        ("40億ドル(約4830億円)", "4000000000", "USD"),
        ("₩3 trillion", "3000000000000", "KRW"),
        ("Rp 5 trillion", "5000000000000", "IDR"),
        ("$11,83 miliar", "11830000000", "USD"),
        ("3 billion Chilean pesos", "3000000000", "CLP"),
        ("S/12,000 millones", "12000000000", "PEN"),
        ("MX$500 million", "500000000", "MXN"),
        ("2 billion Argentine pesos", "2000000000", "ARS"),
        ("C$300 million", "300000000", "CAD"),
        ("$US1.2 billion", "1200000000", "USD"),
        ("US$8.5 billion", "8500000000", "USD"),
        ("USD$1.8bn", "1800000000", "USD"),
        ("A$7 billion", "7000000000", "AUD"),
        ("AU$200m", "200000000", "AUD"),
        ("₹1,500 करोड़", "15000000000", "INR"),
        ("1,500 करोड़ रुपये", "15000000000", "INR"),
        ("7,280 रुपये करोड़", "72800000000", "INR"),
        ("₹7,280 કરોડ", "72800000000", "INR"),
        ("7 thousand 280 crore rupees", "72800000000", "INR"),
        ("US$ 9.504 millones", "9504000000", "USD"),
        ("150 mil millones de dólares", "150000000000", "USD"),
        ("530 milioni di dollari USA (791 milioni di AUD)", "530000000", "USD"),
        ("US$2.000.000.000", "2000000000", "USD"),
        ("AED 2 billion", "2000000000", "AED"),
        ("Dh500 million", "500000000", "AED"),
        # symbols of the country's own press
        ("N$2.2 billion (US$118 million)", "2200000000", "NAD"),
        ("NT$10 billion", "10000000000", "TWD"),
        ("RM500 million", "500000000", "MYR"),
        ("PhP47.36 billion", "47360000000", "PHP"),
        ("Php 2.5 billion", "2500000000", "PHP"),
        ("KSh5 billion", "5000000000", "KES"),
        ("TSh1.2 trillion", "1200000000000", "TZS"),
        ("USh300 billion", "300000000000", "UGX"),
        ("GH₵1 billion", "1000000000", "GHS"),
        ("E£3 billion", "3000000000", "EGP"),
        ("2.5 tln won (US$1.89 billion)", "2500000000000", "KRW"),
        ("3 trln rubles", "3000000000000", "RUB"),
    ],
)
def test_currencies_by_code_symbol_and_word(text: str, amount: str, currency: str) -> None:
    money = parse_money(text)
    assert (money.amount, money.currency) == (Decimal(amount), currency)


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("84.5¢", "0.845", "USD"),
        ("50 cents", "0.5", "USD"),
        ("half a billion dollars", "500000000", "USD"),
        ("a quarter of a billion dollars", "250000000", "USD"),
        ("three-quarters of a billion dollars", "750000000", "USD"),
        ("A$5.2 or US$3.4 billion", "5200000000", "AUD"),
        ("$20 billion or around ₩25 trillion", "20000000000", "USD"),
        ("$500 million a year", "500000000", "USD"),
    ],
)
def test_cents_fractions_and_conversions(text: str, amount: str, currency: str) -> None:
    money = parse_money(text)
    assert (money.amount, money.currency) == (Decimal(amount), currency)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("N5bn ($3m)", "unknown_currency"),
        ("Z$100 million", "unknown_currency"),
        ("3 billion pesos", "unknown_currency"),
        ("$110 per kilogram", "price_per_unit"),
        ("$39,000 per metric ton", "price_per_unit"),
        ("$10 per pound", "price_per_unit"),
        ("$4,500 an ounce", "price_per_unit"),
        ("$110/kg", "price_per_unit"),
        ("the $12-per-lb level", "price_per_unit"),
        ("A$2.50 or US$1.66 per share", "price_per_unit"),
        ("$US1153 ($1619) per dry metric tonne (dmt)", "price_per_unit"),
        ("21.000 dólares la tonelada", "price_per_unit"),
        ("10 US-Dollar pro Pfund", "price_per_unit"),
        ("1.6 million pounds U3O8", "not_money"),
        ("$2 billion and $3 billion", "two_values"),
        ("Rs 16,300 crore, PSUs Rs 18,000 crore", "two_values"),
        ("$1Tr to $3Tr", "range"),
        ("a third of a billion dollars", "inexact"),
        ("500 million", "no_currency"),
    ],
)
def test_what_is_not_one_amount_is_refused_with_its_reason(text: str, category: str) -> None:
    with pytest.raises(Refusal, match=re.escape(repr(text))) as info:
        parse_money(text)
    assert info.value.category == category
    assert "null" in str(info.value)


def test_an_unknown_currency_is_never_answered_with_the_conversion() -> None:
    with pytest.raises(Refusal) as info:
        parse_money("5 billion leones ($900 million)")
    assert info.value.category in {"not_money", "unknown_currency"}

"""parse_quantity: tonnage, energy and area phrasings, per-year forms, and the errors."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minerals_summ.normalise.expression import whole_expression
from minerals_summ.normalise.quantity import parse_quantity

CASES = [
    # tonnes
    ("270 kilo tonnes", "270000", "t", False),
    ("150,000 dry metric tonnes a year", "150000", "t", True),
    ("150,000 dry tonnes a year", "150000", "t", True),
    ("150,000 DMT a year", "150000", "t", True),
    ("20,000 wmt", "20000", "t", False),
    ("40 kilo tonne", "40000", "t", False),
    ("15 kilotonnes", "15000", "t", False),
    ("120 kt", "120000", "t", False),
    ("270,000 tonnes", "270000", "t", False),
    ("500 t", "500", "t", False),
    ("1,200 tons", "1200", "t", False),
    ("50,000 MT", "50000", "t", False),
    ("3,000 metric tonnes", "3000", "t", False),
    ("5 Mt", "5000000", "t", False),
    ("1.5 million tonnes", "1500000", "t", False),
    ("1.5m tonnes", "1500000", "t", False),
    ("at least 2 million metric tons", "2000000", "t", False),
    ("1.2 billion tonnes", "1200000000", "t", False),
    ("2 lakh tonnes", "200000", "t", False),
    ("33.47 lakh tonnes", "3347000", "t", False),
    ("3 crore tonnes", "30000000", "t", False),
    ("5 LMT", "500000", "t", False),
    ("two million tonnes", "2000000", "t", False),
    ("a 50,000-tonne plant", "50000", "t", False),
    ("around 10 thousand tonnes", "10000", "t", False),
    # tonnes per year
    ("10 Mtpa", "10000000", "t", True),
    ("10 MTPA", "10", "t", True),  # MT is metric tonnes, so MTPA metric tonnes a year
    ("5 mtpa", "5000000", "t", True),
    ("5 MMTPA", "5000000", "t", True),
    ("20,000 tpa", "20000", "t", True),
    ("50 ktpa", "50000", "t", True),
    ("350 kt/year", "350000", "t", True),
    ("900kt/year", "900000", "t", True),
    ("5,000 t/yr", "5000", "t", True),
    ("5,000 tonnes/year", "5000", "t", True),
    ("60,000 tonnes per annum", "60000", "t", True),
    ("up to 40,000 tonnes a year", "40000", "t", True),
    ("10,000 tonnes annually", "10000", "t", True),
    ("annual capacity of 10,000 tonnes", "10000", "t", True),
    ("5,000 tonnes of lithium hydroxide a year", "5000", "t", True),
    # hyphenated, with a label before the slash, in French
    ("2.4-million-ton-a-year", "2400000", "t", True),
    ("a 50,000-tonne-a-year plant", "50000", "t", True),
    ("3-million-tonne-per-annum", "3000000", "t", True),
    ("30 kt LCE/yr", "30000", "t", True),
    ("2 Mt ore/a", "2000000", "t", True),
    ("A 50Kt Ni/a", "50000", "t", True),
    ("12 kt (LCE)/yr", "12000", "t", True),
    # the unit spelled out in brackets after an abbreviation decides it, its scale too
    ("2.4 MTPA (million tonnes per annum)", "2400000", "t", True),
    ("20 MT (million tonnes)", "20000000", "t", False),
    ("800 MT (metric tonnes)", "800", "t", False),
    # a number in words with its digits in brackets, or the reverse, is one number
    ("two (2) million tonnes", "2000000", "t", False),
    ("Twelve (12) GWh", "12", "GWh", False),
    ("30 (thirty) hectares", "30", "ha", False),
    ("450 t (U3O8)/y", "450", "t", True),
    ("2 Mt (dry) a year", "2000000", "t", True),
    ("5,000 tonnes par an", "5000", "t", True),
    ("100 000 t/an", "100000", "t", True),
    ("over 160 Kt of nickel-in-MHP", "160000", "t", False),
    # energy
    ("5 GWh of niche ACC", "5", "GWh", False),
    ("50 Giga Watt Hour of ACC", "50", "GWh", False),
    ("minimum 5 GWh capacity", "5", "GWh", False),
    ("5 gigawatt-hours", "5", "GWh", False),
    ("500 MWh", "0.5", "GWh", False),
    ("2 TWh", "2000", "GWh", False),
    ("10 GWh per year", "10", "GWh", True),
    ("10 GWh a year", "10", "GWh", True),
    # area
    ("1,000 hectares", "1000", "ha", False),
    ("500 ha", "500", "ha", False),
    ("20 sq km", "2000", "ha", False),
    ("10 km2", "1000", "ha", False),
    ("3 square kilometres", "300", "ha", False),
    ("100 acres", "40.468564224", "ha", False),
    # mass in kg
    ("5 kg", "5", "kg", False),
    ("12 kilograms", "12", "kg", False),
    ("8,751 dry kg", "8751", "kg", False),
    ("500 grams", "0.5", "kg", False),
    ("100,000 oz", "3110.34768", "kg", False),
    ("1 Moz", "31103.4768", "kg", False),
]


@pytest.mark.parametrize(("text", "value", "unit", "per_year"), CASES)
def test_parses_real_world_quantities(text: str, value: str, unit: str, per_year: bool) -> None:
    quantity = parse_quantity(text)
    assert quantity.text == text
    assert quantity.value == Decimal(value)
    assert str(quantity.value) == value
    assert quantity.unit == unit
    assert quantity.per_year is per_year


def test_within_a_year_is_not_per_year() -> None:
    assert parse_quantity("500 tonnes within a year").per_year is False


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("57 strategic minerals (UWC)", "no unit"),
        ("12 of 17 rare earth elements", "no unit"),
        ("five critical minerals", "no unit"),
        ("5000", "bare number"),
        ("10 per cent", "percentage"),
        ("20%", "percentage"),
        ("$5 billion", "money"),
        ("Rs 1,500-crore", "money"),
        ("nickel output", "no number"),
        ("", "no number"),
        ("175,000 tonnes to more than 300,000 tonnes per year in nickel", "range"),
        ("350 kt/year to 900kt/year in copper", "range"),
        ("20,000-30,000 tonnes", "range"),
        ("between 2 and 3 million tonnes", "range"),
        ("20~30 Mt", "range"),
        ("around 1,000 ~ 1,200 tonnes a year", "range"),
        ("3〜5万トン", "range"),
    ],
)
def test_rejects_what_is_not_one_quantity(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as info:
        parse_quantity(text)
    message = str(info.value)
    assert f"'{text}'" in message
    assert "null" in message


UNITS = {
    "tonnes": ("t", 1, False),
    "kilo tonnes": ("t", 10**3, False),
    "MT": ("t", 1, False),
    "tpa": ("t", 1, True),
    "tonnes per annum": ("t", 1, True),
    "GWh": ("GWh", 1, False),
    "hectares": ("ha", 1, False),
    "kg": ("kg", 1, False),
}
SCALES = {"": 1, "thousand": 10**3, "lakh": 10**5, "million": 10**6, "crore": 10**7}


@given(
    n=st.integers(min_value=1, max_value=10**9),
    scale=st.sampled_from(sorted(SCALES)),
    unit=st.sampled_from(sorted(UNITS)),
    qualifier=st.sampled_from(["", "about ", "at least ", "up to ", "nearly "]),
)
def test_grouped_integers_with_scales_and_units_round_trip(
    n: int, scale: str, unit: str, qualifier: str
) -> None:
    words = " ".join(part for part in (f"{n:,}", scale, unit) if part)
    quantity = parse_quantity(qualifier + words)
    canonical, factor, per_year = UNITS[unit]
    assert quantity.value == n * SCALES[scale] * factor
    assert str(quantity.value) == str(n * SCALES[scale] * factor)
    assert (quantity.unit, quantity.per_year) == (canonical, per_year)


@pytest.mark.parametrize("text", ["300 tonnes per day", "5 t/day", "10 MW"])
def test_not_annual_or_not_a_quantity(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(text))):
        parse_quantity(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # a rate per period, hyphenated or in another language
        ("1,000-tonne-a-day", "rate_per_period"),
        ("800k tonnes / mois", "rate_per_period"),
        ("300 tonnes par mois", "rate_per_period"),
        ("400 t/mes", "rate_per_period"),
        # a label in brackets between the unit and its "per" hides nothing
        ("1,500 tonnes (ore) per day", "rate_per_period"),
        ("900 t (dry)/h", "rate_per_period"),
        ("4.1 g (Au)/t", "per_unit"),
        # a grade, a yield, a figure per head: "per" anything but a year
        ("3.33 grams per tonne", "per_unit"),
        ("2.5 g/t gold", "per_unit"),
        ("2.5 g Au/t", "per_unit"),
        ("1,000 tonnes per hectare", "per_unit"),
        ("90 tonnes per capita", "per_unit"),
        ("10 kg per vehicle", "per_unit"),
    ],
)
def test_a_figure_per_anything_but_a_year_is_refused(text: str, category: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(text))) as info:
        parse_quantity(text)
    assert getattr(info.value, "category", None) == category


def test_words_and_digits_that_disagree_are_no_number() -> None:
    with pytest.raises(ValueError, match=re.escape("'five (6) tonnes'")) as info:
        parse_quantity("five (6) tonnes")
    assert getattr(info.value, "category", None) == "not_a_quantity"


def test_per_cent_inside_a_material_is_no_ratio() -> None:
    text = "half a million tonnes of six per cent lithium oxide concentrate a year"
    quantity = parse_quantity(text)
    assert (quantity.value, quantity.per_year) == (Decimal(500000), True)


def test_a_copy_cut_out_of_a_grade_is_sent_back() -> None:
    article = "Drilling returned 3.33 grams per tonne gold over 12 metres."
    start = article.index("3.33")
    end = start + len("3.33 grams")
    copied = parse_quantity(article[start:end]).value
    cut = whole_expression(article, start, end, lambda t: parse_quantity(t).value, value=copied)
    assert cut is not None
    assert cut.whole == "3.33 grams per tonne"
    assert cut.refused_as is not None
    assert "grade" in cut.refused_as


def test_odd_digits_count_only_in_the_figure_read() -> None:
    assert parse_quantity("20 million tonnes (1,50 million)").value == Decimal(20000000)
    with pytest.raises(ValueError, match="digit grouping"):
        parse_quantity("1,50 million tonnes")


@pytest.mark.parametrize(
    "text", ["half of the 20,000 tonnes", "40% of 2 million tonnes", "a third of 900 kt"]
)
def test_a_share_of_a_quantity_is_not_the_quantity(text: str) -> None:
    with pytest.raises(ValueError, match="is a share") as info:
        parse_quantity(text)
    assert getattr(info.value, "category", None) == "part_of"

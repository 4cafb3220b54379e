"""Quantities as the world's reporting writes them: pounds, short and long tons, other languages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from minerals_summ.normalise import parse_quantity
from minerals_summ.normalise.refusal import Refusal

LB = Decimal("0.45359237")


@pytest.mark.parametrize(
    ("text", "value", "unit", "per_year"),
    [
        ("1.6 million pounds U3O8", 1_600_000 * LB, "kg", False),
        ("2 million pounds of copper", 2_000_000 * LB, "kg", False),
        ("about 2-million pounds a year", 2_000_000 * LB, "kg", True),
        ("5 Mlbs", 5_000_000 * LB, "kg", False),
        ("340 000 lbs", 340_000 * LB, "kg", False),
        ("18 Millionen Pfund U3O8", 18_000_000 * LB, "kg", False),
        ("10 short tons", Decimal("9.0718474"), "t", False),
        ("10 long tons", Decimal("10.160469088"), "t", False),
        ("500,000 metric-ton-per-year", Decimal(500000), "t", True),
        ("800 000 ounces of platinum", 800_000 * Decimal("0.0311034768"), "kg", False),
        ("26.8 Mozs", Decimal("26.8") * 10**6 * Decimal("0.0311034768"), "kg", False),
        ("c.38,900 PGM ounces", 38_900 * Decimal("0.0311034768"), "kg", False),
        ("24,560 tU", Decimal(24560), "t", False),
        ("100 GW h", Decimal(100), "GWh", False),
        ("about 4000 square km", Decimal(400000), "ha", False),
        ("6,000 MTPA (metric tonne per annum)", Decimal(6000), "t", True),
        ("3 million tonnes per year (Mtpa)", Decimal(3_000_000), "t", True),
        ("1 million 300 thousand tons", Decimal(1_300_000), "t", False),
        ("106 millones de toneladas", Decimal(106_000_000), "t", False),
        ("60.000 tonnellate annuali", Decimal(60000), "t", True),
        ("120.000 ton per tahun", Decimal(120000), "t", True),
        ("86 लाख टन", Decimal(8_600_000), "t", False),
        ("प्रति वर्ष छह हजार टन", Decimal(6000), "t", True),
        ("年間10万トン", Decimal(100000), "t", True),
        ("56.700tpa", Decimal(56700), "t", True),
        ("1,6 Mio. oz", Decimal("1.6") * 10**6 * Decimal("0.0311034768"), "kg", False),
    ],
)
def test_units_of_real_reporting(text: str, value: Decimal, unit: str, per_year: bool) -> None:
    quantity = parse_quantity(text)
    assert (quantity.value, quantity.unit, quantity.per_year) == (value, unit, per_year)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("2.6 and 6.0 million tons", "two_values"),
        ("30,000 tons of nickel and 2,600 tons of cobalt a year", "two_values"),
        ("216,000tpy LCE against 60,000tpy LCE", "two_values"),
        ("0.744 million lbs and .718 million lbs", "two_values"),
        ("2.6 to 6.0 million tons", "range"),
        ("entre 20 mil y 30 mil toneladas", "range"),
        ("1,000 tonnes per day", "rate_per_period"),
        ("up to 1,800 tonnes of ore per day", "rate_per_period"),
        ("5,000 tpd", "rate_per_period"),
        ("7,000 jobs", "not_a_quantity"),
        ("a 335 megawatt (MW) power plant", "not_a_quantity"),
    ],
)
def test_what_is_not_one_quantity_is_refused_with_its_reason(text: str, category: str) -> None:
    with pytest.raises(Refusal) as info:
        parse_quantity(text)
    assert info.value.category == category

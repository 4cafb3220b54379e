"""'About', 'more than', 'up to': kept with the figure, shown, exported and scored."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rich.console import Console

from minerals_summ.display import summary_table
from minerals_summ.evaluate import score
from minerals_summ.gold import GoldArticle
from minerals_summ.normalise import parse_money, parse_quantity
from minerals_summ.records import Money
from minerals_summ.tables import to_records
from minerals_summ.vocabulary import Qualifier

Q = Qualifier


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("$2 billion", Q.EXACT),
        ("about A$200 million", Q.APPROXIMATELY),
        ("roughly $5bn", Q.APPROXIMATELY),
        ("nearly R600-million", Q.APPROXIMATELY),
        ("an estimated $1 billion", Q.APPROXIMATELY),
        ("~$900 million", Q.APPROXIMATELY),
        ("at least US$848 million", Q.AT_LEAST),
        ("a minimum of $5 million", Q.AT_LEAST),
        ("$2 billion or more", Q.AT_LEAST),
        ("more than $2 billion", Q.MORE_THAN),
        ("over Rs 500 crore", Q.MORE_THAN),
        ("exceeding $1 billion", Q.MORE_THAN),
        ("exceeds ₹42,000 crore", Q.MORE_THAN),
        ("in excess of £50m", Q.MORE_THAN),
        ("$40M+", Q.MORE_THAN),
        ("up to $120,000,000", Q.UP_TO),
        ("as much as $3 billion", Q.UP_TO),
        ("no more than $5bn", Q.UP_TO),
        ("not exceed $750 million", Q.UP_TO),
        ("less than $1 million", Q.LESS_THAN),
        ("under $10m", Q.LESS_THAN),
        # words between the qualifier and the figure qualify nothing themselves
        ("up to an additional US$570 million", Q.UP_TO),
        ("up to a further $200 million", Q.UP_TO),
        ("more than an additional A$50m", Q.MORE_THAN),
        ("about another $1 billion", Q.APPROXIMATELY),
        ("up to a total of $5 billion", Q.UP_TO),
        ("an additional $570 million", Q.EXACT),
        ("a further $200 million", Q.EXACT),
        ("a maximum principal amount of US$150 million", Q.UP_TO),
        ("up to a loan of $300 million", Q.UP_TO),
        # comparison signs, as tables and company slides write them
        ("> US$5 million", Q.MORE_THAN),
        ("＞A$12m", Q.MORE_THAN),
        ("<$1 million", Q.LESS_THAN),
        ("≥ €40 million", Q.AT_LEAST),
        (">= Rs 500 crore", Q.AT_LEAST),
        ("≤$250m", Q.UP_TO),
        ("<= C$3 million", Q.UP_TO),
        ("≈ $1.2 billion", Q.APPROXIMATELY),
    ],
)
def test_money_qualifiers(text: str, qualifier: Qualifier) -> None:
    assert parse_money(text).qualifier is qualifier


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("270 kilo tonnes", Q.EXACT),
        ("at least 270 kilo tonnes", Q.AT_LEAST),
        ("around 40 kilo tonne", Q.APPROXIMATELY),
        ("minimum 5 GWh capacity", Q.AT_LEAST),
        ("up to 150,000 dry metric tonnes a year", Q.UP_TO),
        ("more than 2 million tonnes", Q.MORE_THAN),
        ("c.38,900 PGM ounces", Q.APPROXIMATELY),
        ("up to an additional 20,000 tonnes", Q.UP_TO),
        ("a maximum of 18 125 tonnes", Q.UP_TO),
        ("an estimated annual capacity of 34 million mt", Q.APPROXIMATELY),
        ("at least an annual output of 2 million tonnes", Q.AT_LEAST),
        ("~700ktpa", Q.APPROXIMATELY),  # a tilde before a lone figure; between two, a range
        ("> 1.2 Mtpa", Q.MORE_THAN),
        ("<50 kt", Q.LESS_THAN),
        ("≥10 GWh", Q.AT_LEAST),
        ("≤ 3,000 hectares", Q.UP_TO),
    ],
)
def test_quantity_qualifiers(text: str, qualifier: Qualifier) -> None:
    assert parse_quantity(text).qualifier is qualifier


def test_the_qualifier_is_shown_exported_and_scored(seed: GoldArticle) -> None:
    gold = seed.summary
    budget = gold.policy_schemes[0].budget
    assert budget is not None
    up_to = budget.model_copy(update={"qualifier": Q.UP_TO})
    scheme = gold.policy_schemes[0].model_copy(update={"budget": up_to})
    predicted = gold.model_copy(update={"policy_schemes": (scheme,)})

    console = Console(width=200, record=True)
    console.print(summary_table(predicted))
    assert "up to INR 15,000,000,000" in console.export_text()
    row = to_records(predicted)[-1]
    assert (row["amount"], row["currency"], row["amount_qualifier"]) == (
        Decimal(15000000000),
        "INR",
        "up_to",
    )
    result = score(predicted, gold)
    assert result.by_field["policy_scheme.budget"].tp == 0
    assert score(gold, gold).by_field["policy_scheme.budget"].tp == 1


def test_money_defaults_to_exact() -> None:
    assert Money(text="$5", amount=Decimal(5), currency="USD").qualifier is Q.EXACT

"""Turn the article's own words into numbers, dates and codes.

The model copies phrases ("Rs 1,500-crore", "270 kilo tonnes", "last month"); these functions
compute the values. Every function raises ``ValueError`` with a message that names the offending
text and says what to write instead: the message goes back to the model verbatim.
"""

from minerals_summ.normalise.countries import country_code
from minerals_summ.normalise.dates import published_date, resolve_date
from minerals_summ.normalise.minerals import canonical_mineral
from minerals_summ.normalise.money import parse_money
from minerals_summ.normalise.quantity import parse_quantity

__all__ = [
    "canonical_mineral",
    "country_code",
    "parse_money",
    "parse_quantity",
    "published_date",
    "resolve_date",
]

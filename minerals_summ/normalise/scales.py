"""Scale words and number words as news articles write them, in English and in other languages.

Real reporting on critical minerals comes from Latin America, Europe, Indonesia, India and East
Asia as well as the English-speaking press: "US$ 1.400 millones", "R$ 15 bilhões", "2,7 miliardi",
"₹7,280 કરોડ", "40億ドル". A language's scale word also tells how its numbers are written: after
:data:`DECIMAL_COMMA` scales the comma is the decimal mark and the dot groups thousands.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

__all__ = ["DECIMAL_COMMA", "DECIMAL_COMMA_WORDS", "NUMBER_WORDS", "SCALES"]


def _table(words: dict[str, int]) -> dict[str, Decimal]:
    # NFC, as the parsers read text: the nukta of "करोड़" is a character of its own.
    return {unicodedata.normalize("NFC", w): Decimal(v) for w, v in words.items()}


_ENGLISH = _table(
    {
        "hundred": 10**2,
        "thousand": 10**3,
        "k": 10**3,
        "million": 10**6,
        "millions": 10**6,
        "mn": 10**6,
        "mln": 10**6,
        "m": 10**6,
        "billion": 10**9,
        "billions": 10**9,
        "bn": 10**9,
        "bln": 10**9,
        "b": 10**9,
        "bil": 10**9,  # Malaysian and Philippine house style: "RM1.2bil", "P3 bil"
        "trillion": 10**12,
        "tln": 10**12,
        "trln": 10**12,
        "tn": 10**12,
        "trn": 10**12,
        "tr": 10**12,
        "tril": 10**12,
    }
)
# Indian numbering, in English and in the scripts of Indian reporting; numbers as in English.
_INDIAN = _table(
    {
        "lakh": 10**5,
        "lakhs": 10**5,
        "lac": 10**5,
        "lacs": 10**5,
        "crore": 10**7,
        "crores": 10**7,
        "cr": 10**7,
        "हज़ार": 10**3,  # Hindi, Marathi (Devanagari)
        "हजार": 10**3,
        "लाख": 10**5,
        "करोड़": 10**7,
        "करोड": 10**7,
        "कोटी": 10**7,
        "अरब": 10**9,
        "खरब": 10**11,
        "હજાર": 10**3,  # Gujarati
        "લાખ": 10**5,
        "કરોડ": 10**7,
        "వేల": 10**3,  # Telugu
        "లక్ష": 10**5,
        "లక్షల": 10**5,
        "కోటి": 10**7,
        "కోట్ల": 10**7,
        "லட்சம்": 10**5,  # Tamil
        "கோடி": 10**7,
        "লাখ": 10**5,  # Bengali
        "কোটি": 10**7,
        "ಲಕ್ಷ": 10**5,  # Kannada
        "ಕೋಟಿ": 10**7,
        "ലക്ഷം": 10**5,  # Malayalam
        "കോടി": 10**7,
    }
)
# Spanish, Portuguese, Italian, French, German, Swedish, Indonesian: a decimal comma.
DECIMAL_COMMA = _table(
    {
        "mil": 10**3,
        "miles": 10**3,
        "mila": 10**3,
        "tausend": 10**3,
        "ribu": 10**3,
        "millón": 10**6,
        "millon": 10**6,
        "millones": 10**6,
        "milhão": 10**6,
        "milhao": 10**6,
        "milhões": 10**6,
        "milhoes": 10**6,
        "milione": 10**6,
        "milioni": 10**6,
        "millionen": 10**6,
        "mio": 10**6,
        "miljon": 10**6,
        "miljoner": 10**6,
        "juta": 10**6,
        "bilhão": 10**9,
        "bilhao": 10**9,
        "bilhões": 10**9,
        "bilhoes": 10**9,
        "miliardo": 10**9,
        "miliardi": 10**9,
        "milliard": 10**9,
        "milliards": 10**9,
        "milliarde": 10**9,
        "milliarden": 10**9,
        "mrd": 10**9,
        "mia": 10**9,  # Swiss German: "CHF 2 Mia."
        "mld": 10**9,  # Italian and Polish: "2 mld"
        "miljard": 10**9,
        "miljarder": 10**9,
        "miliar": 10**9,
        "billón": 10**12,
        "billones": 10**12,
        "trilhão": 10**12,
        "trilhões": 10**12,
        "triliun": 10**12,
    }
)
# Other words of those languages that may follow a number: "4.350 tonnellate", "21.000 dólares".
DECIMAL_COMMA_WORDS = (
    r"toneladas?|tonnellat[ae]|tonnen|d[óo]lares|dollari|reales|reais|pesos|soles|onzas?|libras?"
    r"|quilos?|rupiah"
)
# Chinese and Japanese: myriads.
_EAST_ASIAN = _table({"万": 10**4, "萬": 10**4, "億": 10**8, "亿": 10**8, "兆": 10**12})

SCALES: dict[str, Decimal] = _ENGLISH | _INDIAN | DECIMAL_COMMA | _EAST_ASIAN

_ENGLISH_NUMBERS = (  # noqa: SIM905
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()
NUMBER_WORDS: dict[str, int] = {word: value for value, word in enumerate(_ENGLISH_NUMBERS)}
NUMBER_WORDS |= {"thirty": 30, "forty": 40, "fifty": 50, "a": 1, "an": 1}
NUMBER_WORDS |= {
    unicodedata.normalize("NFC", w): v
    for w, v in {
        "एक": 1,
        "दो": 2,
        "तीन": 3,
        "चार": 4,
        "पांच": 5,
        "पाँच": 5,
        "छह": 6,
        "छः": 6,
        "सात": 7,
        "आठ": 8,
        "नौ": 9,
        "दस": 10,
    }.items()
}

"""Currency markers as news articles write them: codes, symbols and words, before or after a number.

Each marker is a regex and the ISO 4217 code it stands for. ``None`` is a bare dollar ("$",
"dollars"): the caller's default currency, else USD. :data:`UNCLEAR` is a currency word that does
not say which country's currency it is ("pesos", "francs", "rials"): refused, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["AFTER", "ANY_BEFORE", "BEFORE", "ISO_CODES", "UNCLEAR", "After", "Before"]

UNCLEAR = "?"

ISO_CODES = (  # noqa: SIM905
    "USD AUD CAD NZD HKD SGD EUR GBP JPY CNY CNH INR KRW CHF ZAR BRL IDR CLP MXN RUB SAR AED PKR "
    "PHP MYR THB VND NOK SEK DKK PLN TRY KZT ARS PEN NGN KES ZMW CDF TWD QAR OMR KWD BHD MAD EGP "
    "GHS BWP NAD MZN AOA UAH COP BOB UYU BDT LKR NPR MNT UZS ILS TZS UGX ETB XOF XAF MWK RWF CZK "
    "HUF RON ISK"
).split()


@dataclass(frozen=True)
class Before:
    """A marker written before the number ("US$", "Rs", "€"); compiled to end where it starts."""

    pattern: re.Pattern[str]
    code: str | None


@dataclass(frozen=True)
class After:
    """A marker written after the number ("crore rupees", "euros", "cents")."""

    pattern: re.Pattern[str]
    code: str | None
    cents: bool = False
    pounds: bool = False  # "pounds" alone: sterling, unless a material follows (a weight)


_BEFORE: list[tuple[str, str | None]] = [
    (r"US\s?\$|U\.S\.\s?\$|\$\s?US|\$us", "USD"),  # "$US": Australian; "$us": Bolivian
    (r"A\$|AU\$|AUD\s?\$|\$A", "AUD"),
    (r"C\$|CA\$|Can\$|CAD\s?\$", "CAD"),
    (r"NZ\$", "NZD"),
    (r"HK\$", "HKD"),
    (r"S\$|SG\$", "SGD"),
    (r"R\$", "BRL"),
    (r"MX\$|Mex\$", "MXN"),
    (r"AR\$", "ARS"),
    (r"CLP\$|CL\$", "CLP"),
    (r"COL\$", "COP"),
    (r"S/\.?", "PEN"),
    (r"€", "EUR"),
    (r"£", "GBP"),
    (r"JP¥|¥|円", "JPY"),
    (r"CN¥|RMB|元", "CNY"),
    (r"₩", "KRW"),
    (r"₹|(?<![A-Za-z])(?:Rs|RS|rs|Re)\.?|रु\.?|रू\.?", "INR"),
    (r"₸", "KZT"),
    (r"(?<![A-Za-z])Rp\.?", "IDR"),
    (r"(?<![A-Za-z])SR", "SAR"),
    (r"(?<![A-Za-z$])R", "ZAR"),  # "R5bn": South African reporting
    (r"₱", "PHP"),
    (r"₦", "NGN"),
    (r"₽", "RUB"),
    (r"₺", "TRY"),
    (r"₫", "VND"),
    (r"฿", "THB"),
    (r"₪", "ILS"),
    (r"₴", "UAH"),
    (r"(?<![A-Za-z])Dhs?\.?", "AED"),
    # As the country's own press writes them: "N$2.2 billion", "RM500 million", "PhP47 billion".
    (r"(?<![A-Za-z])N\$", "NAD"),
    (r"(?<![A-Za-z])NT\$", "TWD"),
    (r"(?<![A-Za-z])RM", "MYR"),
    (r"(?<![A-Za-z])Ph[Pp]", "PHP"),
    (r"(?<![A-Za-z])K[Ss]h", "KES"),
    (r"(?<![A-Za-z])T[Ss]h", "TZS"),
    (r"(?<![A-Za-z])U[Ss]h", "UGX"),
    (r"GH₵|GH¢|₵", "GHS"),
    (r"E£", "EGP"),
    (r"(?<![A-Za-z])\$", None),
    *((rf"(?<![A-Za-z]){code}(?:\s?\$)?", code) for code in ISO_CODES),  # "USD$1.8bn"
]
BEFORE = [Before(re.compile(rf"(?:{p})\s*$"), code) for p, code in _BEFORE]
ANY_BEFORE = "|".join(p for p, _ in _BEFORE)

_DOLLARS = r"(?:dollars?|d[óo]lar(?:es)?|dollari|ドル)"
_PESOS = r"pesos?"
_AFTER: list[tuple[str, str | None]] = [
    (rf"(?:US|U\.S\.|American|United\s+States)\s+{_DOLLARS}", "USD"),
    (rf"{_DOLLARS}\s+(?:USA|US|estadounidenses|americanos)|US-Dollar|米ドル|美元|\$us", "USD"),
    (rf"Australian\s+{_DOLLARS}", "AUD"),
    (rf"Canadian\s+{_DOLLARS}", "CAD"),
    (rf"New\s+Zealand\s+{_DOLLARS}", "NZD"),
    (rf"Hong\s+Kong\s+{_DOLLARS}", "HKD"),
    (rf"Singapore\s+{_DOLLARS}", "SGD"),
    (rf"Namibian\s+{_DOLLARS}", "NAD"),
    (rf"Taiwan(?:ese)?\s+{_DOLLARS}", "TWD"),
    (_DOLLARS, None),
    (r"euros?", "EUR"),
    (r"pounds?\s+sterling|sterling|British\s+pounds?", "GBP"),
    (r"Egyptian\s+pounds?", "EGP"),
    (r"(?:Chinese\s+)?yuan|renminbi|RMB|元|人民币", "CNY"),
    (r"(?:Japanese\s+)?yen|円", "JPY"),
    (r"(?:South\s+)?(?:Korean\s+)?won|원", "KRW"),
    (r"(?:Indian\s+)?rupees?|रुपये|रुपए|रुपया|रुपयों|રૂપિયા|రూపాయలు|ரூபாய்", "INR"),
    (r"Pakistani\s+rupees?", "PKR"),
    (r"Sri\s+Lankan\s+rupees?", "LKR"),
    (r"Nepalese\s+rupees?", "NPR"),
    (r"(?:Indonesian\s+)?rupiah", "IDR"),
    (r"(?:Brazilian\s+)?reais|Brazilian\s+real|reales", "BRL"),
    (r"(?:South\s+African\s+)?rand", "ZAR"),
    (r"(?:Saudi\s+)?riyals?|Saudi\s+rials?", "SAR"),
    (r"Qatari\s+riyals?", "QAR"),
    (r"Omani\s+rials?", "OMR"),
    (r"(?:Kazakh(?:stani)?\s+)?tenge", "KZT"),
    (rf"Chilean\s+{_PESOS}|{_PESOS}\s+chilenos", "CLP"),
    (rf"Mexican\s+{_PESOS}|{_PESOS}\s+mexicanos", "MXN"),
    (rf"Argentin(?:e|ian)\s+{_PESOS}|{_PESOS}\s+argentinos", "ARS"),
    (rf"Philippine\s+{_PESOS}", "PHP"),
    (rf"Colombian\s+{_PESOS}", "COP"),
    (r"(?:Peruvian\s+)?(?:nuevos\s+)?soles|Peruvian\s+sol", "PEN"),
    (r"(?:UAE\s+|Emirati\s+)?dirhams?", "AED"),
    (r"Moroccan\s+dirhams?", "MAD"),
    (r"(?:Russian\s+)?(?:roubles?|rubles?)", "RUB"),
    (r"(?:Turkish\s+)?liras?", "TRY"),
    (r"(?:Nigerian\s+)?naira", "NGN"),
    (r"(?:Ghanaian\s+)?cedis?", "GHS"),
    (r"Kenyan\s+shillings?", "KES"),
    (r"Tanzanian\s+shillings?", "TZS"),
    (r"Ugandan\s+shillings?", "UGX"),
    (r"Zambian\s+kwacha", "ZMW"),
    (r"Malawian\s+kwacha", "MWK"),
    (r"Congolese\s+francs?", "CDF"),
    (r"Swiss\s+francs?", "CHF"),
    (r"(?:Malaysian\s+)?ringgit", "MYR"),
    (r"(?:Thai\s+)?baht", "THB"),
    (r"(?:Bangladeshi\s+)?taka", "BDT"),
    (r"(?:Botswana\s+)?pula", "BWP"),
    (r"(?:Israeli\s+)?(?:new\s+)?shekels?", "ILS"),
    (r"(?:Ukrainian\s+)?hryvnias?", "UAH"),
    (r"(?:Polish\s+)?zlot(?:y|ys|ies)", "PLN"),
    (r"Swedish\s+kron(?:a|or)", "SEK"),
    (r"Norwegian\s+kron(?:e|er)", "NOK"),
    (r"Danish\s+kron(?:e|er)", "DKK"),
    (r"(?:Mongolian\s+)?(?:tugriks?|tögrögs?)", "MNT"),
    (
        rf"{_PESOS}|francs?|CFA\s+francs?|rials?|shillings?|dinars?|kwacha|kron(?:a|or|e|er)",
        UNCLEAR,
    ),
    *((code, code) for code in ISO_CODES),
]
# In Spanish, Portuguese and Italian the currency follows "de"/"di": "millones de dólares".
_OF = r"[\s-]*(?:(?:de|di|do|da)\s+)?"
# Case matters only for the codes: "RMB" and "USD" are codes, "rmb" and "usd" are not written.
AFTER = [
    *(
        After(
            re.compile(rf"{_OF}(?:{p})(?![^\W\d_])", 0 if p in ISO_CODES else re.IGNORECASE),
            code,
        )
        for p, code in _AFTER
    ),
    After(re.compile(r"[\s-]*pounds?(?![^\W\d_])", re.IGNORECASE), "GBP", pounds=True),
    After(re.compile(r"\s*¢|[\s-]*cents?(?![^\W\d_])", re.IGNORECASE), None, cents=True),
    After(
        re.compile(r"[\s-]*(?:US|U\.S\.)\s+cents?(?![^\W\d_])", re.IGNORECASE), "USD", cents=True
    ),
    After(re.compile(r"[\s-]*Australian\s+cents?(?![^\W\d_])", re.IGNORECASE), "AUD", cents=True),
]

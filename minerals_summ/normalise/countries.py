"""Country names, codes and demonyms to ISO 3166-1 alpha-2 codes.

The ISO table comes from pycountry (alpha-2, alpha-3, name, official name, common name), so it is
never retyped here. On top of it sits one small, explicit alias table for what news writing uses and
ISO does not: short forms ("U.S.", "UK", "DRC"), older or informal names ("Turkey", "Russia",
"Ivory Coast") and adjectives or demonyms ("Pakistani", "Congolese", "Filipino"). pycountry's fuzzy
search is deliberately not used: it gets "U.S." and adjectives wrong.

The European Union is not a country but is a jurisdiction in this library: it maps to ``"EU"``.

>>> country_code("the U.S.")
'US'
>>> country_code("Pakistan’s")
'PK'
"""

from __future__ import annotations

import re
import unicodedata
from functools import cached_property, lru_cache

import pycountry

__all__ = [
    "ALIASES",
    "CAPITALS",
    "EU",
    "CountryMentions",
    "country_code",
    "country_names",
    "mentions_country",
]

EU = "EU"

# Keys are written in the normalised form of ``_key`` (lowercase, no dots, ASCII).
# Values are alpha-2 codes that pycountry knows, or "EU" (tests/test_countries.py checks this).
ALIASES: dict[str, str] = {
    # European Union
    "eu": EU,
    "european union": EU,
    # short forms and informal names
    "us": "US",
    "usa": "US",
    "america": "US",
    "united states of america": "US",
    "uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "drc": "CD",
    "dr congo": "CD",
    "democratic republic of congo": "CD",
    "lao pdr": "LA",
    "trinidad": "TT",
    "bosnia": "BA",
    "european commission": "EU",
    "dr of congo": "CD",
    "congo-kinshasa": "CD",
    "congo kinshasa": "CD",
    "republic of the congo": "CG",
    "republic of congo": "CG",
    "congo-brazzaville": "CG",
    "congo brazzaville": "CG",
    "korea": "KR",
    "rok": "KR",
    "dprk": "KP",
    "russia": "RU",
    "turkey": "TR",
    "czech republic": "CZ",
    "uae": "AE",
    "emirates": "AE",
    "saudi": "SA",
    "ksa": "SA",
    "prc": "CN",
    "mainland china": "CN",
    "ivory coast": "CI",
    "macedonia": "MK",
    "brunei": "BN",
    "cape verde": "CV",
    "swaziland": "SZ",
    "burma": "MM",
    "east timor": "TL",
    "vatican": "VA",
    "vatican city": "VA",
    "holy see": "VA",
    "netherlands": "NL",
    "holland": "NL",
    "hong kong": "HK",
    # adjectives and demonyms
    "american": "US",
    "pakistani": "PK",
    "british": "GB",
    "english": "GB",
    "congolese": "CD",
    "south korean": "KR",
    "korean": "KR",
    "north korean": "KP",
    "russian": "RU",
    "vietnamese": "VN",
    "iranian": "IR",
    "lao": "LA",
    "laotian": "LA",
    "bolivian": "BO",
    "tanzanian": "TZ",
    "turkish": "TR",
    "czech": "CZ",
    "emirati": "AE",
    "saudi arabian": "SA",
    "taiwanese": "TW",
    "chinese": "CN",
    "indian": "IN",
    "japanese": "JP",
    "australian": "AU",
    "canadian": "CA",
    "chilean": "CL",
    "argentine": "AR",
    "argentinian": "AR",
    "argentinean": "AR",
    "indonesian": "ID",
    "philippine": "PH",
    "filipino": "PH",
    "kazakh": "KZ",
    "kazakhstani": "KZ",
    "mongolian": "MN",
    "ukrainian": "UA",
    "german": "DE",
    "french": "FR",
    "dutch": "NL",
    "swiss": "CH",
    "brazilian": "BR",
    "peruvian": "PE",
    "mexican": "MX",
    "moroccan": "MA",
    "south african": "ZA",
    "greenlandic": "GL",
    "zambian": "ZM",
    "zimbabwean": "ZW",
    "namibian": "NA",
    "malian": "ML",
    "ghanaian": "GH",
    "nigerian": "NG",
    "rwandan": "RW",
    "kenyan": "KE",
    "ugandan": "UG",
    "ethiopian": "ET",
    "egyptian": "EG",
    "malagasy": "MG",
    "mozambican": "MZ",
    "guinean": "GN",
    "burundian": "BI",
    "malawian": "MW",
    "botswanan": "BW",
    "nigerien": "NE",
    "gabonese": "GA",
    "angolan": "AO",
    "italian": "IT",
    "spanish": "ES",
    "portuguese": "PT",
    "polish": "PL",
    "swedish": "SE",
    "finnish": "FI",
    "norwegian": "NO",
    "danish": "DK",
    "belgian": "BE",
    "austrian": "AT",
    "irish": "IE",
    "estonian": "EE",
    "serbian": "RS",
    "israeli": "IL",
    "qatari": "QA",
    "omani": "OM",
    "kuwaiti": "KW",
    "uzbek": "UZ",
    "kyrgyz": "KG",
    "tajik": "TJ",
    "afghan": "AF",
    "bangladeshi": "BD",
    "sri lankan": "LK",
    "nepalese": "NP",
    "thai": "TH",
    "malaysian": "MY",
    "singaporean": "SG",
    "burmese": "MM",
    "cambodian": "KH",
    "new zealander": "NZ",
    "colombian": "CO",
    "ecuadorian": "EC",
    "venezuelan": "VE",
    "cuban": "CU",
    "jamaican": "JM",
    "guyanese": "GY",
}

# Capitals that stand for their government in news writing ("Beijing said", "talks with Kinshasa").
CAPITALS: dict[str, str] = {
    "washington": "US",
    "beijing": "CN",
    "new delhi": "IN",
    "delhi": "IN",
    "islamabad": "PK",
    "canberra": "AU",
    "ottawa": "CA",
    "london": "GB",
    "brussels": EU,
    "tokyo": "JP",
    "seoul": "KR",
    "kinshasa": "CD",
    "santiago": "CL",
    "buenos aires": "AR",
    "lima": "PE",
    "brasilia": "BR",
    "jakarta": "ID",
    "pretoria": "ZA",
    "riyadh": "SA",
    "astana": "KZ",
    "moscow": "RU",
    "kyiv": "UA",
    "kiev": "UA",
    "berlin": "DE",
    "paris": "FR",
    "mexico city": "MX",
    "la paz": "BO",
    "manila": "PH",
    "hanoi": "VN",
    "ulaanbaatar": "MN",
    "nairobi": "KE",
    "lusaka": "ZM",
    "harare": "ZW",
    "windhoek": "NA",
    "bamako": "ML",
    "accra": "GH",
    "abuja": "NG",
    "kigali": "RW",
    "dodoma": "TZ",
    "maputo": "MZ",
    "luanda": "AO",
    "nuuk": "GL",
    "copenhagen": "DK",
    "stockholm": "SE",
    "oslo": "NO",
    "helsinki": "FI",
    "rome": "IT",
    "madrid": "ES",
    "lisbon": "PT",
    "warsaw": "PL",
    "abu dhabi": "AE",
    "doha": "QA",
    "tehran": "IR",
    "ankara": "TR",
    "tashkent": "UZ",
    "kabul": "AF",
    "dhaka": "BD",
    "colombo": "LK",
    "bangkok": "TH",
    "kuala lumpur": "MY",
    "naypyidaw": "MM",
    "wellington": "NZ",
    "bogota": "CO",
    "quito": "EC",
    "caracas": "VE",
    "cairo": "EG",
    "rabat": "MA",
    "addis ababa": "ET",
    "kampala": "UG",
    "gaborone": "BW",
    "lilongwe": "MW",
    "antananarivo": "MG",
    "conakry": "GN",
    "niamey": "NE",
    "libreville": "GA",
    "taipei": "TW",
}

_POSSESSIVE = re.compile(r"['’]s$|(?<=s)['’]$")
_SPACES = re.compile(r"\s+")


def _key(name: str) -> str:
    """Normalise a name for lookup: ASCII, lowercase, no dots, no leading 'the', no possessive."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _SPACES.sub(" ", text.strip().replace(".", "")).strip().lower()
    text = _POSSESSIVE.sub("", text).strip()
    text = text.removeprefix("the ").strip()
    return text.replace("’", "'")


def _names(country: object) -> list[str]:
    """The ISO names pycountry gives for one country, plus "X, Republic of" inverted."""
    names = [getattr(country, field, None) for field in ("name", "official_name", "common_name")]
    out = [n for n in names if isinstance(n, str)]
    for n in list(out):
        if ", " in n:
            head, tail = n.split(", ", 1)
            out.append(f"{tail} {head}")
    return out


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    """Normalised key -> alpha-2, from pycountry first, then the alias table on top."""
    index: dict[str, str] = {}
    heads: dict[str, set[str]] = {}
    for country in pycountry.countries:
        code = str(country.alpha_2)
        index[_key(code)] = code
        index[_key(str(country.alpha_3))] = code
        for name in _names(country):
            index.setdefault(_key(name), code)
        if ", " in country.name:  # "Bolivia, Plurinational State of" -> "Bolivia", if unique
            heads.setdefault(_key(country.name.split(", ", 1)[0]), set()).add(code)
    for head, codes in heads.items():
        if len(codes) == 1 and head not in index:
            index[head] = next(iter(codes))
    index.update(ALIASES)
    return index


@lru_cache(maxsize=1024)
def country_code(name: str) -> str:
    """ISO 3166-1 alpha-2 code for a country name, code or demonym; ``"EU"`` for the European Union.

    Raises ``ValueError`` with a message meant for the model that wrote ``name``.
    """
    key = _key(name)
    if not key:
        raise ValueError(
            f"{name!r} is empty; give the ISO 3166-1 alpha-2 code (e.g. 'PK'), "
            "'EU' for the European Union, or null."
        )
    variants = [key, re.sub(r"^st\.? ", "saint ", key), key.replace(" of the ", " of ")]
    code = next((_index()[v] for v in variants if v in _index()), None)
    if code is None:
        raise ValueError(
            f"{name!r} is not a country name this library knows; give the ISO 3166-1 alpha-2 "
            "code (e.g. 'PK'), 'EU' for the European Union, or null."
        )
    return code


@lru_cache(maxsize=1)
def _names_by_code() -> dict[str, list[str]]:
    """Alpha-2 (or "EU") -> every key of the index and capital that names it."""
    by_code: dict[str, list[str]] = {}
    for key, code in [*_index().items(), *CAPITALS.items()]:
        by_code.setdefault(code, []).append(key)
    return by_code


def country_names(code: str) -> tuple[str, ...]:
    """Every normalised name, code, short form, demonym and capital of one country (or the EU).

    >>> "canadian" in country_names("CA")
    True
    """
    return tuple(_names_by_code().get(code, ()))


_DOTS = re.compile(r"\.(?=[A-Za-z])|(?<=[A-Z])\.")


class CountryMentions:
    """A text prepared for asking which countries it names; its plain forms are built once.

    A country is named by a name, demonym, capital or short form. Short forms and codes ("US",
    "U.S.", "DRC", "IND") count in capitals only, so that "us" and "ind" in running text do not.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _plain(self) -> str:
        return _DOTS.sub("", self.text.replace("’", "'"))

    @cached_property
    def _folded(self) -> str:
        return _key(self._plain)

    def mentions(self, code: str) -> bool:
        """Whether the text names the country (or the EU) of ``code``."""
        names = _names_by_code().get(code, [])
        short = [n.upper() for n in names if len(n) <= 3 and n.isalpha()]
        long_ = [n for n in names if not (len(n) <= 3 and n.isalpha())]
        if short and re.search(rf"(?<![A-Za-z])(?:{'|'.join(short)})(?![A-Za-z])", self._plain):
            return True
        pattern = "|".join(re.escape(n) for n in sorted(long_, key=len, reverse=True))
        found = re.search(rf"(?<![a-z])(?:{pattern})(?![a-z])", self._folded) if pattern else None
        return found is not None


def mentions_country(code: str, text: str) -> bool:
    """Whether ``text`` names the country of ``code`` (see :class:`CountryMentions`)."""
    return CountryMentions(text).mentions(code)

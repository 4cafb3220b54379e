"""Mineral names, forms and chemical symbols to the :class:`Mineral` vocabulary.

Lookup order, first hit wins:

1. chemical symbols, matched case-sensitively ("Li", "Co", "In", "As", "Sn", "W"), so that English
   words such as "in", "as" or "co" are never read as elements;
2. things that are not minerals here (oil, gas, thermal coal, gold, iron ore, the generic "critical
   minerals", "lithium-ion"), which raise ``ValueError`` saying why;
3. names, case-insensitive and singular or plural: the enum values and their display names
   ("metallurgical_coal", "Metallurgical Coal"), British spellings ("aluminium", "caesium"), ores
   and traded forms ("spodumene", "coltan", "yellowcake", "NdPr", "PGMs");
4. the same after dropping a form word ("copper cathode", "flake graphite", "phosphate rock");
5. a typo fallback (rapidfuzz Damerau-Levenshtein) only for inputs of six letters or more, at most
   one edit (two from nine letters), with a unique best mineral. Short names never go fuzzy, so
   "tin" can never become "zinc".

Decision: "lithium-ion" names a battery chemistry, not a mineral form, so it is rejected with a
message asking for the minerals the article itself names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein

from minerals_summ.vocabulary import Mineral

__all__ = ["canonical_mineral", "is_mineral_name"]

M = Mineral
_SYMBOLS: dict[str, Mineral] = {
    s: m
    for m, symbols in {
        M.ALUMINUM: "Al",
        M.ANTIMONY: "Sb",
        M.ARSENIC: "As",
        M.BERYLLIUM: "Be",
        M.BISMUTH: "Bi",
        M.BORON: "B",
        M.CERIUM: "Ce",
        M.CESIUM: "Cs",
        M.CHROMIUM: "Cr",
        M.COBALT: "Co",
        M.COPPER: "Cu",
        M.DYSPROSIUM: "Dy",
        M.ERBIUM: "Er",
        M.EUROPIUM: "Eu",
        M.FLUORSPAR: "CaF2",
        M.GADOLINIUM: "Gd",
        M.GALLIUM: "Ga",
        M.GERMANIUM: "Ge",
        M.HAFNIUM: "Hf",
        M.HOLMIUM: "Ho",
        M.INDIUM: "In",
        M.IRIDIUM: "Ir",
        M.LANTHANUM: "La",
        M.LEAD: "Pb",
        M.LITHIUM: "Li Li2CO3 LiOH",
        M.LUTETIUM: "Lu",
        M.MAGNESIUM: "Mg",
        M.MANGANESE: "Mn",
        M.NEODYMIUM: "Nd",
        M.NICKEL: "Ni",
        M.NIOBIUM: "Nb",
        M.PALLADIUM: "Pd",
        M.PLATINUM: "Pt",
        M.PRASEODYMIUM: "Pr",
        M.RHENIUM: "Re",
        M.RHODIUM: "Rh",
        M.RUBIDIUM: "Rb",
        M.RUTHENIUM: "Ru",
        M.SAMARIUM: "Sm",
        M.SCANDIUM: "Sc",
        M.SILICON: "Si",
        M.SILVER: "Ag",
        M.TANTALUM: "Ta",
        M.TELLURIUM: "Te",
        M.TERBIUM: "Tb",
        M.THULIUM: "Tm",
        M.TIN: "Sn",
        M.TITANIUM: "Ti",
        M.TUNGSTEN: "W",
        M.URANIUM: "U U3O8",
        M.VANADIUM: "V",
        M.YTTERBIUM: "Yb",
        M.YTTRIUM: "Y",
        M.ZINC: "Zn",
        M.ZIRCONIUM: "Zr",
    }.items()
    for s in symbols.split()
}

_NOT_MINERALS: dict[str, str] = {
    **dict.fromkeys(
        ["oil", "crude", "crude oil", "petroleum", "natural gas", "gas", "lng", "shale gas"],
        "{t} is not a critical mineral on the USGS 2025 list; leave it out of minerals "
        "(oil and gas belong to the activity 'energy').",
    ),
    **dict.fromkeys(
        ["coal", "thermal coal", "steam coal", "steaming coal", "lignite"],
        "{t} is not on the USGS 2025 list: only metallurgical (coking) coal is. Leave it out of "
        "minerals (coal for power belongs to the activity 'energy'), or write "
        "'metallurgical_coal' if the article says coking or metallurgical coal.",
    ),
    **dict.fromkeys(
        ["gold", "iron ore", "iron", "steel", "diamonds", "diamond"],
        "{t} is not a critical mineral on the USGS 2025 list; leave it out of minerals.",
    ),
    **dict.fromkeys(
        [
            "critical minerals",
            "critical mineral",
            "critical raw materials",
            "strategic minerals",
            "minerals",
            "critical and strategic minerals",
            "battery minerals",
            "battery metals",
        ],
        "{t} is generic and adds nothing; list the specific minerals the article names, or none.",
    ),
    **dict.fromkeys(
        [
            "lithium ion",
            "lithium ion battery",
            "lithium ion batteries",
            "lead acid",
            "lead acid battery",
            "lead acid batteries",
            "batteries",
            "battery",
        ],
        "{t} names a battery, not a mineral; list the minerals the article itself names "
        "(e.g. 'lithium', 'cobalt'), or none.",
    ),
}

_FORMS: dict[Mineral, tuple[str, ...]] = {
    M.RARE_EARTH_ELEMENTS: (
        "rare earth",
        "rare earths",
        "rare earth element",
        "ree",
        "rees",
        "rare earth mineral",
        "rare earth metal",
        "rare earth oxide",
        "heavy rare earth",
        "light rare earth",
        "rare earth magnet",
        "ndpr",
        "reo",
        "treo",
        "ndfeb",
        "neodymium praseodymium",
        "didymium",
    ),
    M.PLATINUM_GROUP_METALS: (
        "pgm",
        "pgms",
        "pge",
        "pges",
        "platinum group metal",
        "platinum group element",
        "platinum group",
    ),
    M.LITHIUM: (
        "spodumene",
        "lepidolite",
        "petalite",
        "lithium brine",
        "lce",
        "lithium carbonate equivalent",
    ),
    M.FLUORSPAR: ("fluorite", "acid grade fluorspar"),
    M.BARITE: ("baryte", "barytes"),
    M.ALUMINUM: ("bauxite", "alumina", "aluminium"),
    M.METALLURGICAL_COAL: ("coking coal", "met coal"),
    M.TUNGSTEN: ("wolfram", "wolframite", "scheelite"),
    M.TANTALUM: ("coltan", "tantalite", "columbite tantalite"),
    M.TITANIUM: ("ilmenite", "rutile"),
    M.URANIUM: ("yellowcake", "yellow cake"),
    M.SILICON: ("polysilicon", "ferrosilicon"),
    M.NICKEL: ("mixed hydroxide precipitate", "mhp", "nickel pig iron", "npi"),
    M.CESIUM: ("caesium",),
    M.TIN: ("cassiterite",),
    M.CHROMIUM: ("chromite",),
    M.ZIRCONIUM: ("zircon",),
    M.NIOBIUM: ("columbite",),
    M.ANTIMONY: ("stibnite",),
    M.PHOSPHATE: ("phosphate rock",),
    M.POTASH: ("potassium chloride", "muriate of potash"),
}

# Form words dropped when the full name is unknown: "copper cathode" -> "copper".
_FORM_PREFIX = re.compile(
    r"^(?:natural|flake|synthetic|spherical|refined|primary|secondary|recycled|high purity|"
    r"battery grade|heavy|light)\s+"
)
_FORM_SUFFIX = re.compile(
    r"\s+(?:ores?|concentrates?|cathodes?|metals?|oxides?|sulphates?|sulfates?|carbonates?|"
    r"hydroxides?|matte|powders?|compounds?|chemicals?|rock|deposits?|reserves?|mining|"
    r"minerals?|elements?|supply|supplies|magnets?)$"
)


def _key(name: str) -> str:
    """Lowercase, no "(REE)"-style asides, hyphens/underscores as spaces, no leading 'the'."""
    key = re.sub(r"\s*\([^)]*\)", " ", name.strip().strip(".,;:'\"").lower())
    return re.sub(r"[\s_\-–]+", " ", key).strip().removeprefix("the ")


@lru_cache(maxsize=1)
def _names() -> dict[str, Mineral]:
    """Every known name (lowercase key) -> Mineral: enum values (as display names) and forms."""
    names: dict[str, Mineral] = {_key(m.value): m for m in Mineral}
    names.update({form: m for m, forms in _FORMS.items() for form in forms})
    return names


def _lookup(key: str, text: str) -> Mineral | None:
    """Exact lookup of one key, singular or plural; raises for known non-minerals."""
    for candidate in (key, key[:-1] if len(key) > 3 and key.endswith("s") else key):
        if candidate in _NOT_MINERALS:
            raise ValueError(_NOT_MINERALS[candidate].format(t=repr(text)))
        if candidate in _names():
            return _names()[candidate]
    return None


def _fuzzy(key: str) -> Mineral | None:
    """A typo fallback: long inputs, one or two edits, and a single best mineral."""
    letters = len(key.replace(" ", ""))
    if letters < 6:
        return None
    limit = 2 if letters >= 9 else 1
    best: dict[Mineral, int] = {}
    for name, mineral in _names().items():
        if len(name) < 6:
            continue
        distance = DamerauLevenshtein.distance(key, name, score_cutoff=limit)
        if distance <= limit:
            best[mineral] = min(distance, best.get(mineral, distance))
    if not best:
        return None
    top = min(best.values())
    winners = [m for m, d in best.items() if d == top]
    return winners[0] if len(winners) == 1 else None


def is_mineral_name(word: str) -> bool:
    """Whether ``word`` names a mineral exactly (a name, form or symbol; no typo tolerance)."""
    if word in _SYMBOLS:
        return True
    key = _key(word)
    return key in _names() or (key.endswith("s") and key[:-1] in _names())


@lru_cache(maxsize=1024)
def canonical_mineral(name: str) -> Mineral:
    """The canonical :class:`Mineral` for a name, form or symbol the article uses.

    Raises ``ValueError`` (message meant for the model) for non-minerals and unknown names.
    """
    stripped = name.strip()
    if stripped in _SYMBOLS:
        return _SYMBOLS[stripped]
    key = _key(stripped)
    if not key:
        raise ValueError(
            f"{name!r} is empty; give a mineral name from the USGS 2025 critical minerals list "
            "(e.g. 'lithium'), or leave it out of minerals."
        )
    found = _lookup(key, name)
    if found is not None:
        return found
    reduced = key
    while True:
        shorter = _FORM_SUFFIX.sub("", _FORM_PREFIX.sub("", reduced))
        if shorter == reduced:
            break
        reduced = shorter
        found = _lookup(reduced, name)
        if found is not None:
            return found
    # A mineral named first, then words for its form: "vanadium pentoxide", "nickel laterite".
    first = key.split(" ", 1)[0]
    if first != key and first in _names() and len(first) > 3:
        return _names()[first]
    found = _fuzzy(key)
    if found is not None:
        return found
    raise ValueError(
        f"{name!r} is not a critical mineral this library knows; use a name from the USGS 2025 "
        "list (e.g. 'lithium', 'rare_earth_elements') or leave it out of minerals."
    )

"""Names as the linker compares them: normal forms, acronyms, initials and fuzzy equality.

Outlets name one party many ways: "Frontier Works Organization (FWO)", "FWO", "Frontier Works
Organisation"; "U.S. Strategic Metals", "USSM", "US Strategic Metals". A name therefore gives a
set of *keys* (its normal form, its acronym, its initials); two names are the same when they share
a key, or when their normal forms are one spelling apart (rapidfuzz).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from rapidfuzz import fuzz

from minerals_summ.normalise.countries import country_names

__all__ = [
    "GENERIC_WORDS",
    "core",
    "country_words",
    "distinctive_words",
    "division_of",
    "keys_match",
    "label",
    "name_keys",
    "normalise",
    "same_name",
]

_NOT_WORD = re.compile(r"[^\w\s]")
_POSSESSIVE = re.compile(r"['’]s$")
_SPACES = re.compile(r"\s+")

# Words that say what kind of body something is, not which one: dropped before comparing names,
# so that "Liontown Resources Ltd" and "Liontown Resources" are one name.
_SUFFIXES = frozenset({
    "ltd", "limited", "inc", "incorporated", "corp", "corporation", "plc", "pty", "llc", "co",
    "company", "group", "sa", "spa", "ag", "nv", "holdings",
})  # fmt: skip
_INITIAL_STOPWORDS = frozenset(
    ("a", "an", "and", "the", "of", "on", "in", "for", "to", "with", "by", "at")
)
# Words too common in this domain to tell two agreements or schemes apart by title or name.
GENERIC_WORDS = _INITIAL_STOPWORDS | frozenset({
    "from", "its", "their", "critical", "mineral", "minerals", "raw", "material", "materials",
    "strategic", "strategy", "national", "scheme", "programme", "program", "policy", "agreement",
    "deal", "memorandum", "understanding", "mou", "framework", "partnership", "cooperation",
    "pact", "accord", "signed", "sign", "signs", "new", "plan", "initiative", "government",
    "govt", "supply", "chain", "chains", "security", "secure", "securing",
    # Every export control reads "export controls on ... related items": the goods tell them apart.
    "export", "exports", "control", "controls", "restriction", "restrictions", "curbs", "items",
    "related", "measures", "rare", "earth", "earths", "element", "elements",
    # Export bans are called suspensions, halts, embargoes: the instrument is compared apart.
    "ban", "bans", "suspension", "suspensions", "halt", "embargo", "prohibition", "moratorium",
}) | frozenset({
    # The same words in the languages of mining countries' own press (Spanish, Portuguese,
    # French, Italian, German), accents folded: untranslated, they would pass for distinctive.
    "de", "del", "la", "las", "el", "los", "y", "en", "para", "por", "con", "da", "do", "das",
    "dos", "e", "em", "com", "des", "du", "le", "les", "et", "pour", "sur", "au", "aux", "di",
    "della", "delle", "dei", "per", "il", "lo", "gli", "sulle", "sui", "und", "der", "die",
    "fur", "von", "zur", "zum", "mit",
    "minerales", "minerais", "minerio", "minerios", "mineraux", "minerali",
    "mineralien", "rohstoffe", "criticos", "criticas", "critico", "critica", "critiques",
    "critique", "critici", "critiche", "kritische", "kritischen", "estrategicos", "estrategicas",
    "estrategico", "estrategica", "strategiques", "strategique", "strategici", "strategiche",
    "strategische", "materias", "materie", "primas", "prime", "premieres", "materiaux",
    "acuerdo", "acordo", "accord", "accordo", "abkommen", "memorando", "intesa",
    "entendimiento", "entendimento", "entente", "asociacion", "parceria", "partenariat",
    "partenariato", "estrategia", "politica", "exportacion", "exportaciones", "exportacao",
    "exportacoes", "exportation", "exportations", "esportazione", "esportazioni",
    "prohibicion", "proibicao", "interdiction", "divieto", "verbot", "exportverbot",
    "exportstopp", "suspensao", "sospensione", "nacional", "nationale",
    "nazionale", "gobierno", "governo", "gouvernement", "regierung",
})  # fmt: skip
# Words that name a kind of body: a name made of these alone ("the Ministry") is not distinctive.
_BODY_WORDS = frozenset({
    "ministry", "department", "office", "agency", "authority", "bank", "fund", "council",
    "commission", "board", "institute", "association", "union", "resources", "metals", "mining",
    "minerals", "energy", "motor", "motors", "united", "states", "american", "australian",
})  # fmt: skip
_FUZZY_NAME = 90.0  # fuzz.ratio of normal forms: one or two letters apart in a long name


def normalise(text: str) -> str:
    """Lower case, no accents or punctuation ("U.S." is "us"), single spaces.

    Letters of other scripts are kept ("الجولة الثالثة", "희토류"): dropped, two names in Arabic
    would both be empty and say nothing of each other.
    """
    folded = unicodedata.normalize("NFKD", text.replace("’", "'")).casefold()
    # Accents off Latin letters only: in kana the mark tells two words apart (ガ, カ).
    kept = [
        c for i, c in enumerate(folded)
        if not (unicodedata.combining(c) and i and folded[i - 1].isascii())
    ]  # fmt: skip
    folded = unicodedata.normalize("NFKC", "".join(kept))
    folded = re.sub(r"\b([a-z])\.(?=[a-z]\.)", r"\1", folded)  # u.s.a. -> usa.
    folded = folded.replace("'s ", " ").replace(".", "")
    folded = _NOT_WORD.sub(" ", folded)
    words = _SPACES.sub(" ", folded).strip().split(" ")
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def core(name: str) -> str:
    """The normal form without suffixes such as "Ltd" or "Group"."""
    words = [w for w in normalise(name).split() if w not in _SUFFIXES]
    return " ".join(words) or normalise(name)


def _initials(name: str) -> set[str]:
    """Initials of the significant words, with short capitalised words spelled out.

    "Frontier Works Organization" gives "fwo"; "U.S. Strategic Metals" gives "usm" and "ussm"
    (outlets write both "USSM" and "US Strategic Metals").
    """
    words = [w for w in re.split(r"[\s\-/&,]+", name.replace(".", "")) if w]
    words = [w for w in words if normalise(w) not in _INITIAL_STOPWORDS | _SUFFIXES]
    if len(words) < 2:
        return set()
    plain = "".join(normalise(w)[:1] for w in words)
    spelled = "".join(
        normalise(w) if w.isupper() and len(w) <= 3 else normalise(w)[:1] for w in words
    )
    return {plain, spelled} - {""}


def name_keys(
    name: str, acronym: str | None = None, drop: frozenset[str] = frozenset()
) -> frozenset[str]:
    """Every form under which this name can be recognised: normal form, acronym, initials.

    Initials are marked with "~" ("~fwo"): they stand for an acronym only when another name *is*
    that acronym, since two long names often share initials ("Tumontu Refining Programme" and
    "Tanracob Refining Programme"). Words in ``drop`` (a scheme's jurisdiction: "the UK's
    Critical Minerals Strategy" is its "Critical Minerals Strategy") are left out.
    """
    if drop:
        kept = [w for w in re.split(r"(\s+)", name) if _bare_word(w) not in drop]
        name = "".join(kept).strip() or name
    bare = re.sub(r"\([^)]*\)", " ", name)  # "Mission (NCMM)": the inner acronym is added below
    keys = {core(name), core(bare), *(f"~{i}" for i in _initials(bare))}
    if acronym:
        keys.add(normalise(acronym))
    # An acronym written inside the name, as in "National Critical Mineral Mission (NCMM)".
    for inner in re.findall(r"\(([^)]+)\)", name):
        keys.add(normalise(inner))
    return frozenset(k for k in keys if len(k.lstrip("~")) >= 2)


@lru_cache(maxsize=8192)
def _bare_word(word: str) -> str:
    """One word's normal form without a possessive ("UK's" is "uk")."""
    return normalise(_POSSESSIVE.sub("", word))


def keys_match(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when two names share a form, or one's initials are the other's acronym."""
    if {k for k in a if k[0] != "~"} & b:
        return True
    return any(k[0] == "~" and k[1:] in b for k in a) or any(k[0] == "~" and k[1:] in a for k in b)


def _contained(short: str, long: str) -> bool:
    """True when every word of ``short`` is in ``long`` and one of them is distinctive.

    "Iluka" is "Iluka Resources", "Ford" is "Ford Motor Company"; "Resources" alone is nobody.
    """
    words, others = short.split(), set(long.split())
    distinctive = [w for w in words if len(w) >= 4 and w not in GENERIC_WORDS | _BODY_WORDS]
    return bool(distinctive) and all(w in others for w in words)


def _leading(short: str, long: str) -> bool:
    """True when a one-word name is the first word of a longer one: "Rio" of "Rio Tinto", "LG"
    of "LG Energy Solution" (too short for :func:`_contained`, but outlets shorten this way).
    """
    words = long.split()
    return (
        " " not in short
        and len(short) >= 2
        and len(words) >= 2
        and words[0] == short
        and short not in GENERIC_WORDS | _BODY_WORDS
    )


def _syllabic(short: str, long: str) -> bool:
    """True when a one-word name is made of the first letters of the longer name's words, in
    order: "Codelco" of "Corporacion Nacional del Cobre", "Pemex" of "Petroleos Mexicanos",
    "Gecamines" of "Generale des Carrieres et des Mines". State companies are named this way
    (initials alone are keys: :func:`name_keys`). So that letters met by chance do not count, the
    name has five letters or more, its first piece is the first word's, every piece but the last
    has two letters or more, and one has three.
    """
    words = long.split()
    if " " in short or len(short) < 5 or len(words) < 2 or short in words:
        return False

    # Memoised on where it stands (letters left, next word, whether two pieces and a long one
    # are found): without it a long name of repeated letters takes exponential time.
    @cache
    def match(left: int, at: int, pieces: int, longest: int) -> bool:
        if not left:
            return pieces >= 2 and longest >= 3
        rest = short[len(short) - left :]
        for index in range(at, len(words)):
            word = words[index]
            for size in range(min(len(word), left), 0, -1):
                piece_fits = word[:size] == rest[:size] and (size >= 2 or size == left)
                if piece_fits and match(
                    left - size, index + 1, min(pieces + 1, 2), min(max(longest, size), 3)
                ):
                    return True
            if index == 0:
                return False  # the first piece is the first word's
        return False

    return match(len(short), 0, 0, 0)


def same_name(a: frozenset[str], b: frozenset[str], core_a: str, core_b: str) -> bool:
    """True when two names share a key, one is the other with words left out (or is its first
    word, or its syllables), or their normal forms are one spelling apart. ``core_a`` and
    ``core_b`` are the names' :func:`core` forms.
    """
    if keys_match(a, b):
        return True
    if _contained(core_a, core_b) or _contained(core_b, core_a):
        return True
    if _leading(core_a, core_b) or _leading(core_b, core_a):
        return True
    if _syllabic(core_a, core_b) or _syllabic(core_b, core_a):
        return True
    return fuzz.ratio(core_a, core_b) >= _FUZZY_NAME


def division_of(division: str, group: str, group_keys: frozenset[str]) -> bool:
    """True when ``division`` (a core name) is a part of ``group`` named by the group's acronym
    or initials and more words: "GE Renewable Energy" of "General Electric". (A part named by the
    group's whole name, "Sojitz Machinery" of "Sojitz", is found by :func:`same_name`.)
    """
    words = division.split()
    if len(words) < 2 or len(group.split()) < 2 or len(words[0]) < 2:
        return False
    return words[0] in {k.lstrip("~") for k in group_keys} and words[0] != group


@lru_cache(maxsize=512)
def country_words(code: str | None) -> frozenset[str]:
    """The words of a country's names, demonyms and capital ("uk", "british", "kingdom" ...).

    A scheme's jurisdiction is compared as a code; its name in the scheme's name ("the UK's
    strategy", "Canada's Critical Minerals Strategy") says nothing more.
    """
    if not code:
        return frozenset()
    return frozenset(w for name in country_names(code) for w in normalise(name).split())


def distinctive_words(text: str, drop: frozenset[str] = frozenset()) -> list[str]:
    """The words of a title or name that are not generic (nor in ``drop``), without repeats."""
    seen: dict[str, None] = {}
    for word in core(text).split():
        if word not in GENERIC_WORDS and word not in drop and len(word) >= 2:
            seen.setdefault(word, None)
    return list(seen)


def label(text: str, drop: frozenset[str] = frozenset()) -> str:
    """A title or name reduced to its distinctive words ("" when it has none)."""
    return " ".join(distinctive_words(text, drop))

"""country_code: names, codes and demonyms to ISO 3166-1 alpha-2 (or "EU")."""

from __future__ import annotations

import pycountry
import pytest

from minerals_summ.normalise.countries import ALIASES, EU, country_code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("United States", "US"),
        ("U.S.", "US"),
        ("US", "US"),
        ("USA", "US"),
        ("America", "US"),
        ("American", "US"),
        ("the United States of America", "US"),
        ("Pakistani", "PK"),
        ("Pakistan", "PK"),
        ("Pakistan's", "PK"),
        ("Pakistan’s", "PK"),
        ("PAK", "PK"),
        ("pk", "PK"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("Britain", "GB"),
        ("British", "GB"),
        ("Great Britain", "GB"),
        ("United Kingdom", "GB"),
        ("DRC", "CD"),
        ("DR Congo", "CD"),
        ("Democratic Republic of the Congo", "CD"),
        ("the Democratic Republic of the Congo", "CD"),
        ("Congolese", "CD"),
        ("Republic of the Congo", "CG"),
        ("Congo", "CG"),
        ("South Korea", "KR"),
        ("Korea", "KR"),
        ("Republic of Korea", "KR"),
        ("North Korea", "KP"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Vietnam", "VN"),
        ("Viet Nam", "VN"),
        ("Iran", "IR"),
        ("Laos", "LA"),
        ("Bolivia", "BO"),
        ("Tanzania", "TZ"),
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("Turkey", "TR"),
        ("Czechia", "CZ"),
        ("Czech Republic", "CZ"),
        ("UAE", "AE"),
        ("Emirati", "AE"),
        ("United Arab Emirates", "AE"),
        ("Saudi", "SA"),
        ("Saudi Arabia", "SA"),
        ("Taiwan", "TW"),
        ("Chinese", "CN"),
        ("China", "CN"),
        ("Indian", "IN"),
        ("India", "IN"),
        ("Japanese", "JP"),
        ("Australian", "AU"),
        ("Canadian", "CA"),
        ("Chilean", "CL"),
        ("Argentine", "AR"),
        ("Argentinian", "AR"),
        ("Indonesian", "ID"),
        ("Philippine", "PH"),
        ("Filipino", "PH"),
        ("the Philippines", "PH"),
        ("Kazakh", "KZ"),
        ("Mongolian", "MN"),
        ("Ukrainian", "UA"),
        ("Ukraine", "UA"),
        ("German", "DE"),
        ("French", "FR"),
        ("Dutch", "NL"),
        ("the Netherlands", "NL"),
        ("Swiss", "CH"),
        ("Brazilian", "BR"),
        ("Peruvian", "PE"),
        ("Mexican", "MX"),
        ("Moroccan", "MA"),
        ("South African", "ZA"),
        ("South Africa", "ZA"),
        ("Greenland", "GL"),
        ("Greenlandic", "GL"),
        ("Zambian", "ZM"),
        ("Zimbabwean", "ZW"),
        ("Namibian", "NA"),
        ("Malian", "ML"),
        ("Ghanaian", "GH"),
        ("Nigerian", "NG"),
        ("Rwandan", "RW"),
        ("Kenyan", "KE"),
        ("Côte d’Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("EU", "EU"),
        ("E.U.", "EU"),
        ("European Union", "EU"),
        ("the European Union", "EU"),
        ("  united states  ", "US"),
        ("CHINA", "CN"),
    ],
)
def test_country_code(name: str, code: str) -> None:
    assert country_code(name) == code


@pytest.mark.parametrize("name", ["Atlantis", "", "   ", "the", "Europe", "Korean Peninsula"])
def test_unknown_raises(name: str) -> None:
    with pytest.raises(ValueError, match="alpha-2 code") as info:
        country_code(name)
    message = str(info.value)
    assert repr(name) in message
    assert "'EU' for the European Union, or null" in message


def test_unknown_message_is_the_documented_one() -> None:
    with pytest.raises(ValueError, match="Atlantis") as info:
        country_code("Atlantis")
    assert str(info.value) == (
        "'Atlantis' is not a country name this library knows; give the ISO 3166-1 alpha-2 "
        "code (e.g. 'PK'), 'EU' for the European Union, or null."
    )


@pytest.mark.parametrize(("alias", "code"), sorted(ALIASES.items()))
def test_every_alias_maps_to_a_known_code(alias: str, code: str) -> None:
    assert code == EU or pycountry.countries.get(alpha_2=code) is not None
    assert country_code(alias) == code


def test_every_iso_country_round_trips() -> None:
    for country in pycountry.countries:
        for name in (country.alpha_2, country.alpha_3, country.name):
            assert country_code(name) == country.alpha_2, name


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Democratic Republic of Congo", "CD"),
        ("Lao PDR", "LA"),
        ("St Lucia", "LC"),
        ("St. Kitts and Nevis", "KN"),
        ("Trinidad", "TT"),
        ("Bosnia", "BA"),
        ("European Commission", "EU"),
    ],
)
def test_more_short_forms(name: str, code: str) -> None:
    assert country_code(name) == code

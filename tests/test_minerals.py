"""canonical_mineral: names, forms and symbols to the Mineral vocabulary."""

from __future__ import annotations

import pytest

from minerals_summ.normalise.minerals import canonical_mineral
from minerals_summ.vocabulary import Mineral

M = Mineral


@pytest.mark.parametrize("mineral", list(Mineral))
def test_enum_value_round_trips(mineral: Mineral) -> None:
    assert canonical_mineral(mineral.value) is mineral


@pytest.mark.parametrize("mineral", list(Mineral))
def test_display_name_round_trips(mineral: Mineral) -> None:
    display = mineral.value.replace("_", " ")
    assert canonical_mineral(display.title()) is mineral
    assert canonical_mineral(display.upper()) is mineral


@pytest.mark.parametrize(
    ("name", "mineral"),
    [
        # plurals and case
        ("Lithium", M.LITHIUM),
        ("COBALT", M.COBALT),
        ("nickels", M.NICKEL),
        ("phosphates", M.PHOSPHATE),
        # symbols
        ("Li", M.LITHIUM),
        ("Co", M.COBALT),
        ("Ni", M.NICKEL),
        ("Cu", M.COPPER),
        ("In", M.INDIUM),
        ("As", M.ARSENIC),
        ("Sn", M.TIN),
        ("W", M.TUNGSTEN),
        ("Li2CO3", M.LITHIUM),
        ("REE", M.RARE_EARTH_ELEMENTS),
        ("REEs", M.RARE_EARTH_ELEMENTS),
        # rare earths
        ("rare earths", M.RARE_EARTH_ELEMENTS),
        ("rare-earth elements", M.RARE_EARTH_ELEMENTS),
        ("Rare Earth Elements (REE)", M.RARE_EARTH_ELEMENTS),
        ("rare earth minerals", M.RARE_EARTH_ELEMENTS),
        ("heavy rare earths", M.RARE_EARTH_ELEMENTS),
        ("rare earth magnets", M.RARE_EARTH_ELEMENTS),
        ("NdPr", M.RARE_EARTH_ELEMENTS),
        # forms
        ("lithium carbonate", M.LITHIUM),
        ("lithium hydroxide", M.LITHIUM),
        ("spodumene", M.LITHIUM),
        ("cobalt sulphate", M.COBALT),
        ("cobalt sulfate", M.COBALT),
        ("nickel matte", M.NICKEL),
        ("copper concentrate", M.COPPER),
        ("copper cathodes", M.COPPER),
        ("natural graphite", M.GRAPHITE),
        ("flake graphite", M.GRAPHITE),
        ("synthetic graphite", M.GRAPHITE),
        ("fluorite", M.FLUORSPAR),
        ("baryte", M.BARITE),
        ("barytes", M.BARITE),
        ("bauxite", M.ALUMINUM),
        ("alumina", M.ALUMINUM),
        ("aluminium", M.ALUMINUM),
        ("caesium", M.CESIUM),
        ("coking coal", M.METALLURGICAL_COAL),
        ("met coal", M.METALLURGICAL_COAL),
        ("PGMs", M.PLATINUM_GROUP_METALS),
        ("platinum group metals", M.PLATINUM_GROUP_METALS),
        ("platinum-group elements", M.PLATINUM_GROUP_METALS),
        ("wolfram", M.TUNGSTEN),
        ("wolframite", M.TUNGSTEN),
        ("scheelite", M.TUNGSTEN),
        ("coltan", M.TANTALUM),
        ("cassiterite", M.TIN),
        ("ilmenite", M.TITANIUM),
        ("rutile", M.TITANIUM),
        ("chromite", M.CHROMIUM),
        ("zircon", M.ZIRCONIUM),
        ("polysilicon", M.SILICON),
        ("silicon metal", M.SILICON),
        ("yellowcake", M.URANIUM),
        ("uranium oxide", M.URANIUM),
        ("phosphate rock", M.PHOSPHATE),
        ("manganese ore", M.MANGANESE),
        ("high-purity alumina", M.ALUMINUM),
        # typos, only for long names
        ("lithum", M.LITHIUM),
        ("nickle", M.NICKEL),
        ("praseodymum", M.PRASEODYMIUM),
        ("rare earth elemnts", M.RARE_EARTH_ELEMENTS),
    ],
)
def test_canonical_mineral(name: str, mineral: Mineral) -> None:
    assert canonical_mineral(name) is mineral


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("oil", "oil and gas belong to the activity 'energy'"),
        ("crude", "oil and gas belong to the activity 'energy'"),
        ("natural gas", "oil and gas belong to the activity 'energy'"),
        ("gas", "oil and gas belong to the activity 'energy'"),
        ("LNG", "oil and gas belong to the activity 'energy'"),
        ("thermal coal", "only metallurgical \\(coking\\) coal is"),
        ("coal", "only metallurgical \\(coking\\) coal is"),
        ("gold", "not a critical mineral on the USGS 2025 list"),
        ("iron ore", "not a critical mineral on the USGS 2025 list"),
        ("gold ore", "not a critical mineral on the USGS 2025 list"),
        ("critical minerals", "generic and adds nothing"),
        ("Critical Minerals", "generic and adds nothing"),
        ("lithium-ion", "names a battery, not a mineral"),
        ("banana", "not a critical mineral this library knows"),
        ("", "is empty"),
    ],
)
def test_not_a_mineral_raises(name: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as info:
        canonical_mineral(name)
    assert str(info.value).startswith(repr(name))


def test_oil_message_is_the_documented_one() -> None:
    with pytest.raises(ValueError, match="oil") as info:
        canonical_mineral("oil")
    assert str(info.value) == (
        "'oil' is not a critical mineral on the USGS 2025 list; leave it out of minerals "
        "(oil and gas belong to the activity 'energy')."
    )


@pytest.mark.parametrize("word", ["in", "as", "sn", "co", "tinn", "zinx"])
def test_short_words_never_go_fuzzy(word: str) -> None:
    """Lowercase symbols are English words, and short names are too close to each other."""
    with pytest.raises(ValueError, match="not a critical mineral this library knows"):
        canonical_mineral(word)


@pytest.mark.parametrize(
    ("name", "mineral"),
    [
        ("vanadium pentoxide", M.VANADIUM),
        ("antimony trisulfide", M.ANTIMONY),
        ("manganese dioxide", M.MANGANESE),
        ("nickel laterite", M.NICKEL),
        ("graphite anode", M.GRAPHITE),
        ("lithium carbonate equivalent", M.LITHIUM),
        ("LCE", M.LITHIUM),
        ("REO", M.RARE_EARTH_ELEMENTS),
        ("NdFeB magnets", M.RARE_EARTH_ELEMENTS),
        ("neodymium-praseodymium", M.RARE_EARTH_ELEMENTS),
    ],
)
def test_a_mineral_named_first_then_its_form(name: str, mineral: M) -> None:
    assert canonical_mineral(name) is mineral


@pytest.mark.parametrize("name", ["lead-acid", "lead acid batteries", "lithium-ion"])
def test_batteries_are_not_minerals(name: str) -> None:
    with pytest.raises(ValueError, match="names a battery"):
        canonical_mineral(name)


def test_tin_is_never_zinc() -> None:
    assert canonical_mineral("tin") is M.TIN
    assert canonical_mineral("Tin") is M.TIN
    assert canonical_mineral("zinc") is M.ZINC

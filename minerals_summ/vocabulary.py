"""The closed vocabularies of docs/annotation.md, as string enums.

Every enum value is the exact token the model writes, the gold files store and the scorer compares.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "Activity",
    "AgreementKind",
    "Instrument",
    "Mineral",
    "PartyKind",
    "Precision",
    "Qualifier",
    "Status",
    "qualified",
]


class AgreementKind(StrEnum):
    MEMORANDUM_OF_UNDERSTANDING = "memorandum_of_understanding"
    FRAMEWORK_AGREEMENT = "framework_agreement"
    TRADE_AGREEMENT = "trade_agreement"
    INVESTMENT_AGREEMENT = "investment_agreement"
    OFFTAKE_AGREEMENT = "offtake_agreement"
    JOINT_VENTURE = "joint_venture"
    FINANCING_AGREEMENT = "financing_agreement"
    STRATEGIC_PARTNERSHIP = "strategic_partnership"
    COOPERATION_TALKS = "cooperation_talks"
    OTHER = "other"


class Instrument(StrEnum):
    GRANT_OR_SUBSIDY = "grant_or_subsidy"
    TAX_INCENTIVE = "tax_incentive"
    PUBLIC_FINANCING_OR_FUND = "public_financing_or_fund"
    EXPORT_RESTRICTION = "export_restriction"
    IMPORT_TARIFF = "import_tariff"
    STOCKPILING = "stockpiling"
    STRATEGIC_PLAN_OR_MISSION = "strategic_plan_or_mission"
    REGULATION_OR_STANDARD = "regulation_or_standard"
    EXPLORATION_SUPPORT = "exploration_support"
    RESEARCH_AND_DEVELOPMENT = "research_and_development"
    STATE_PARTICIPATION = "state_participation"
    OTHER = "other"


# The strongest status the article states, no stronger (docs/annotation.md).
class Status(StrEnum):
    PROPOSED = "proposed"
    EXPLORING = "exploring"
    UNDER_NEGOTIATION = "under_negotiation"
    ANNOUNCED = "announced"
    SIGNED = "signed"
    APPROVED = "approved"
    IN_FORCE = "in_force"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"


class PartyKind(StrEnum):
    GOVERNMENT = "government"
    STATE_ENTITY = "state_entity"
    COMPANY = "company"
    MILITARY = "military"
    MULTILATERAL = "multilateral"
    NGO = "ngo"
    OTHER = "other"


class Activity(StrEnum):
    EXPLORATION = "exploration"
    EXTRACTION = "extraction"
    PROCESSING = "processing"
    RECYCLING = "recycling"
    PRODUCTION = "production"
    MANUFACTURING = "manufacturing"
    TRADE = "trade"
    INVESTMENT = "investment"
    INFRASTRUCTURE = "infrastructure"
    ENERGY = "energy"
    RESEARCH = "research"
    OTHER = "other"


class Precision(StrEnum):
    """How exact a resolved date is: a week is its Monday, a month its 1st, a quarter its first
    day (Q3 = 1 July), a year 1 January."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class Qualifier(StrEnum):
    """How an amount or quantity relates to its figure, from the article's words ("about")."""

    EXACT = "exact"
    APPROXIMATELY = "approximately"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    UP_TO = "up_to"
    LESS_THAN = "less_than"


def qualified(qualifier: Qualifier, figure: str) -> str:
    """A figure as a reader says it with its qualifier: "up to USD 120,000,000"."""
    words = {
        Qualifier.EXACT: "",
        Qualifier.APPROXIMATELY: "about ",
        Qualifier.AT_LEAST: "at least ",
        Qualifier.MORE_THAN: "more than ",
        Qualifier.UP_TO: "up to ",
        Qualifier.LESS_THAN: "less than ",
    }
    return words[qualifier] + figure


class Mineral(StrEnum):
    """The USGS 2025 list of 60 critical minerals, plus two umbrella names.

    Names follow the USGS list (US spelling: ``aluminum``), in snake case.
    """

    ALUMINUM = "aluminum"
    ANTIMONY = "antimony"
    ARSENIC = "arsenic"
    BARITE = "barite"
    BERYLLIUM = "beryllium"
    BISMUTH = "bismuth"
    BORON = "boron"
    CERIUM = "cerium"
    CESIUM = "cesium"
    CHROMIUM = "chromium"
    COBALT = "cobalt"
    COPPER = "copper"
    DYSPROSIUM = "dysprosium"
    ERBIUM = "erbium"
    EUROPIUM = "europium"
    FLUORSPAR = "fluorspar"
    GADOLINIUM = "gadolinium"
    GALLIUM = "gallium"
    GERMANIUM = "germanium"
    GRAPHITE = "graphite"
    HAFNIUM = "hafnium"
    HOLMIUM = "holmium"
    INDIUM = "indium"
    IRIDIUM = "iridium"
    LANTHANUM = "lanthanum"
    LEAD = "lead"
    LITHIUM = "lithium"
    LUTETIUM = "lutetium"
    MAGNESIUM = "magnesium"
    MANGANESE = "manganese"
    METALLURGICAL_COAL = "metallurgical_coal"
    NEODYMIUM = "neodymium"
    NICKEL = "nickel"
    NIOBIUM = "niobium"
    PALLADIUM = "palladium"
    PHOSPHATE = "phosphate"
    PLATINUM = "platinum"
    POTASH = "potash"
    PRASEODYMIUM = "praseodymium"
    RHENIUM = "rhenium"
    RHODIUM = "rhodium"
    RUBIDIUM = "rubidium"
    RUTHENIUM = "ruthenium"
    SAMARIUM = "samarium"
    SCANDIUM = "scandium"
    SILICON = "silicon"
    SILVER = "silver"
    TANTALUM = "tantalum"
    TELLURIUM = "tellurium"
    TERBIUM = "terbium"
    THULIUM = "thulium"
    TIN = "tin"
    TITANIUM = "titanium"
    TUNGSTEN = "tungsten"
    URANIUM = "uranium"
    VANADIUM = "vanadium"
    YTTERBIUM = "ytterbium"
    YTTRIUM = "yttrium"
    ZINC = "zinc"
    ZIRCONIUM = "zirconium"
    RARE_EARTH_ELEMENTS = "rare_earth_elements"
    PLATINUM_GROUP_METALS = "platinum_group_metals"

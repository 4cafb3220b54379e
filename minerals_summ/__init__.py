"""minerals-summ: critical-minerals news articles in, typed and checked records out.

>>> from minerals_summ import summarise
>>> summary = summarise(article_text, published="2025-09-09")  # doctest: +SKIP
>>> summary.agreements[0].parties  # doctest: +SKIP
"""

from minerals_summ.batch import Article, Outcome, asummarise_many, summarise_many
from minerals_summ.cache import SummaryCache
from minerals_summ.exceptions import (
    Attempt,
    ConfigurationError,
    ExtractionError,
    InputError,
    MineralsSummError,
    ModelRefusal,
    OutputTruncated,
    Problem,
    ProviderError,
    RateLimited,
    RunError,
)
from minerals_summ.ratelimit import RateLimiter
from minerals_summ.resolve import DraftProblems, resolve
from minerals_summ.schema import (
    Agreement,
    AgreementDraft,
    ArticleDraft,
    ArticleSummary,
    Party,
    Person,
    PolicyScheme,
    PolicySchemeDraft,
    Provenance,
    Target,
    Usage,
    draft_json_schema,
    schema_version,
)
from minerals_summ.summarise import Config, Summariser, asummarise, check_article, summarise
from minerals_summ.transport import RetryPolicy
from minerals_summ.values import DateRef, Evidence, Money, Quantity, Span
from minerals_summ.version import __version__
from minerals_summ.vocabulary import (
    Activity,
    AgreementKind,
    Instrument,
    Mineral,
    PartyKind,
    Precision,
    Status,
)

__all__ = [
    "Activity",
    "Agreement",
    "AgreementDraft",
    "AgreementKind",
    "Article",
    "ArticleDraft",
    "ArticleSummary",
    "Attempt",
    "Config",
    "ConfigurationError",
    "DateRef",
    "DraftProblems",
    "Evidence",
    "ExtractionError",
    "InputError",
    "Instrument",
    "Mineral",
    "MineralsSummError",
    "ModelRefusal",
    "Money",
    "Outcome",
    "OutputTruncated",
    "Party",
    "PartyKind",
    "Person",
    "PolicyScheme",
    "PolicySchemeDraft",
    "Precision",
    "Problem",
    "Provenance",
    "ProviderError",
    "Quantity",
    "RateLimited",
    "RateLimiter",
    "RetryPolicy",
    "RunError",
    "Span",
    "Status",
    "Summariser",
    "SummaryCache",
    "Target",
    "Usage",
    "__version__",
    "asummarise",
    "asummarise_many",
    "check_article",
    "draft_json_schema",
    "resolve",
    "schema_version",
    "summarise",
    "summarise_many",
]

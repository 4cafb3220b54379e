"""minerals-summ: critical-minerals news articles in, typed and checked records out.

>>> from minerals_summ import summarise
>>> summary = summarise(article_text, published="2025-09-09")  # doctest: +SKIP
>>> summary.agreements[0].parties  # doctest: +SKIP

The deterministic core is usable on its own: :mod:`minerals_summ.normalise` (money, quantities,
dates, countries, minerals), :mod:`minerals_summ.grounding` (quotes and names in an article),
:func:`minerals_summ.resolve.resolve` (a draft checked against its article). Views:
:mod:`minerals_summ.display` (terminal), :mod:`minerals_summ.html` (notebook),
:mod:`minerals_summ.tables` (rows and DataFrames). Tests: :mod:`minerals_summ.testing`.
"""

from minerals_summ.articles import Article
from minerals_summ.batch import Outcome, asummarise_many, summarise_many
from minerals_summ.config import Config
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
from minerals_summ.records import (
    Agreement,
    DateRef,
    Evidence,
    Money,
    Party,
    Person,
    PolicyScheme,
    Provenance,
    Quantity,
    Target,
    Usage,
)
from minerals_summ.retries import RetryPolicy
from minerals_summ.summarise import Summariser, asummarise, summarise
from minerals_summ.summary import ArticleSummary
from minerals_summ.version import __version__

__all__ = [
    "Agreement",
    "Article",
    "ArticleSummary",
    "Attempt",
    "Config",
    "ConfigurationError",
    "DateRef",
    "Evidence",
    "ExtractionError",
    "InputError",
    "MineralsSummError",
    "ModelRefusal",
    "Money",
    "Outcome",
    "OutputTruncated",
    "Party",
    "Person",
    "PolicyScheme",
    "Problem",
    "Provenance",
    "ProviderError",
    "Quantity",
    "RateLimited",
    "RetryPolicy",
    "RunError",
    "Summariser",
    "Target",
    "Usage",
    "__version__",
    "asummarise",
    "asummarise_many",
    "summarise",
    "summarise_many",
]

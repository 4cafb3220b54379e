"""The package's shape: its import contracts, its public API, and modules of one concern."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import minerals_summ
from tests.conftest import ROOT

PUBLIC_API = {
    # running it
    "summarise", "asummarise", "summarise_many", "asummarise_many", "Summariser", "Config",
    "RetryPolicy", "Article", "Outcome",
    # what it returns
    "ArticleSummary", "Agreement", "PolicyScheme", "Party", "Person", "Target", "Money",
    "Quantity", "DateRef", "Evidence", "Provenance", "Usage",
    # what it raises
    "MineralsSummError", "ConfigurationError", "InputError", "RunError", "ExtractionError",
    "ModelRefusal", "OutputTruncated", "ProviderError", "RateLimited", "Attempt", "Problem",
    "__version__",
}  # fmt: skip


def test_the_import_contracts_hold() -> None:
    """pyproject.toml's [tool.importlinter]: the core imports nothing of the model layer, the
    fake server stands apart, and no two modules import each other, directly or not."""
    # In a process of its own: import-linter configures logging, which would silence the
    # library's loggers for the tests that follow.
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint), "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_public_api_is_the_documented_one() -> None:
    assert set(minerals_summ.__all__) == PUBLIC_API
    for name in minerals_summ.__all__:
        assert hasattr(minerals_summ, name), name


def test_every_public_class_has_a_docstring() -> None:
    for name in minerals_summ.__all__:
        value = getattr(minerals_summ, name)
        if isinstance(value, type):
            assert (value.__doc__ or "").strip(), name


def test_no_module_is_over_400_lines() -> None:
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in (ROOT / "minerals_summ").rglob("*.py")
    }
    assert {path: n for path, n in sizes.items() if n > 400} == {}


def test_every_field_of_the_records_is_described() -> None:
    from pydantic import BaseModel

    from minerals_summ.records import Span

    models = [getattr(minerals_summ, name) for name in minerals_summ.__all__]
    models = [m for m in models if isinstance(m, type) and issubclass(m, BaseModel)] + [Span]
    undescribed = [
        f"{model.__name__}.{field}"
        for model in models
        for field, info in model.model_fields.items()
        if not info.description
    ]
    assert undescribed == []

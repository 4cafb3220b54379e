"""Shared fixtures: the seed article and its gold, and the VCR settings for cassettes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from minerals_summ.gold import GoldArticle, load_gold

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "us-pakistan-critical-minerals.gold.json"


@pytest.fixture(scope="session")
def seed() -> GoldArticle:
    return load_gold(SEED)


@pytest.fixture(scope="session")
def seed_text(seed: GoldArticle) -> str:
    return seed.text


@pytest.fixture(scope="session")
def vcr_config() -> dict[str, Any]:
    """Replay settings. ``record_mode`` stays out of here: the command line decides it."""
    return {
        # Loopback only: the fake server runs on this machine; nothing else is reachable.
        "allowed_hosts": ["127.0.0.1", "localhost"],
    }

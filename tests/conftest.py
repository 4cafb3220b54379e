"""Shared fixtures: the seed article and its gold, and the VCR settings for cassettes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from vcr.persisters.filesystem import FilesystemPersister

from minerals_summ.gold import GoldArticle, load_gold
from tests import vcr_support

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "us-pakistan-critical-minerals.gold.json"


@pytest.fixture(scope="session")
def seed() -> GoldArticle:
    return load_gold(SEED)


@pytest.fixture(scope="session")
def seed_text(seed: GoldArticle) -> str:
    return seed.text


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    # pytest-recording's own persister drops cassette metadata (the provenance); vcrpy's keeps it.
    vcr.register_persister(FilesystemPersister)
    vcr.register_serializer("yaml", vcr_support.PrettyYAML)
    vcr.register_matcher("json_body", vcr_support.json_body)
    vcr.register_matcher("url_path", vcr_support.path)


@pytest.fixture(scope="session")
def vcr_config() -> dict[str, Any]:
    """Replay settings. ``record_mode`` stays out of here: the command line decides it."""
    return {
        # Loopback only: the fake server runs on this machine; nothing else is reachable.
        "allowed_hosts": ["127.0.0.1", "localhost"],
        "serializer": "yaml",
        "match_on": ["method", "url_path", "json_body"],
        "filter_headers": list(vcr_support.SECRET_HEADERS),
        "decode_compressed_response": True,
        "before_record_request": vcr_support.before_record_request,
        "before_record_response": vcr_support.before_record_response,
        "allow_playback_repeats": False,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(ROOT / "cassettes")


@dataclass
class Recording:
    """A cassette in use: replaying, or recording a new one."""

    cassette: Any
    recording: bool

    def claim(self, source: str, **fields: Any) -> dict[str, Any]:
        """Check (replay) or write (record) what produced this cassette; fail if stale."""
        stored: dict[str, Any] = self.cassette.get_metadata(
            "provenance", vcr_support.provenance(source, **fields)
        )
        assert stored["source"] == source, f"cassette is {stored['source']}, expected {source}"
        reason = vcr_support.stale(stored)
        if reason:
            kind = source.split(":", 1)[0]
            pytest.fail(
                f"cassette {self.cassette._path} was recorded with another {reason}; "
                f"re-record it with `{vcr_support.RERECORD[kind]}`",
                pytrace=False,
            )
        return stored


@pytest.fixture
def recording(vcr: Any, record_mode: str) -> Iterator[Recording]:
    """The test's cassette; after the test, every recorded interaction must have been played."""
    assert vcr is not None, "mark the test with @pytest.mark.vcr"
    live = record_mode in {"once", "new_episodes", "all", "rewrite"} and not vcr.write_protected
    yield Recording(cassette=vcr, recording=live)
    if not live:
        assert vcr.all_played, f"unplayed interactions in {vcr._path}"

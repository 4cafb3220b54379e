"""Correcting the linking from the command line (merge, split, rebuild) and seeing why mentions
are one event (`registry show --why`, :meth:`Registry.links`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from minerals_summ.registry import Link, Registry
from minerals_summ.registry.cli import registry
from tests.test_registry_cli import _results, _run
from tests.test_registry_support import AU, FWO, US, USSM, agreement, article


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A registry of three articles: two tellings of one framework, and an MoU with a scheme."""
    path = str(tmp_path / "registry.sqlite")
    _run("--db", path, "add", str(_results(tmp_path / "results.jsonl")))
    return path


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(registry, list(args), catch_exceptions=False)


def _event_of(db: str, mention: str) -> str:
    with Registry(db) as reg:
        return next(e for e, members in reg.clusters().items() if mention in members)


def _count(db: str) -> int:
    with Registry(db) as reg:
        return len(reg.clusters())


def test_show_why_gives_the_links_that_join_the_mentions_and_their_reasons(db: str) -> None:
    framework = _event_of(db, "frecine#0")
    assert _event_of(db, "manmonthly#0") == framework
    out = _run("--db", db, "show", framework, "--why")
    links = [line for line in out.splitlines() if " ~ " in line]
    assert links == ["  manmonthly#0 ~ frecine#0: +2.5"]  # two mentions, one link
    assert "+1 same countries" in out
    assert "WEAK" not in out
    assert "links (" not in _run("--db", db, "show", framework)  # only when asked


def test_split_then_merge_back_and_rebuild_keeps_the_corrections(db: str) -> None:
    framework = _event_of(db, "frecine#0")
    assert _count(db) == 3
    out = _run("--db", db, "split", framework, "manmonthly#0")
    assert len(out.strip().splitlines()) == 2  # the event left and the new one
    assert _count(db) == 4
    assert _event_of(db, "manmonthly#0") != _event_of(db, "frecine#0")
    assert "4 events before, 4 after, with new ids" in _run("--db", db, "rebuild")
    assert _event_of(db, "manmonthly#0") != _event_of(db, "frecine#0")  # the split survives

    _run("--db", db, "merge", _event_of(db, "frecine#0"), _event_of(db, "manmonthly#0"))
    assert _count(db) == 3
    assert "3 events before, 3 after, with new ids" in _run("--db", db, "rebuild")
    assert _event_of(db, "manmonthly#0") == _event_of(db, "frecine#0")


def test_a_hand_merge_against_the_rules_is_a_weak_link(db: str) -> None:
    framework, mou = _event_of(db, "frecine#0"), _event_of(db, "ndtv#0")
    _run("--db", db, "merge", framework, mou)
    with Registry(db) as reg:
        links = reg.links(framework)
    assert all(isinstance(link, Link) for link in links)
    assert len(links) == 2  # three mentions, two links
    weak, strong = links  # weakest first
    assert weak.mention == "ndtv#0"
    assert weak.weak
    assert weak.by_hand
    # The MoU is Pakistan-US, the framework Australia-US, six weeks apart.
    assert weak.score < 0
    assert "-2.5 each has a country the other lacks" in weak.reasons
    assert {strong.mention, strong.partner} == {"frecine#0", "manmonthly#0"}
    assert not strong.weak
    assert not strong.by_hand  # the linker joined these two, not the person
    out = _run("--db", db, "show", framework, "--why")
    assert "[WEAK, merged by hand]" in out
    assert out.index("ndtv#0 ~") < out.index("manmonthly#0 ~")  # weakest first


def test_the_weak_link_between_two_merged_groups_is_shown(tmp_path: Path) -> None:
    """Two events of two mentions each, merged by a person: each mention's best match is in
    its own group, but the link that joins the groups is weak, and it is the one shown first."""
    framework = agreement(
        "US-Australia critical minerals framework", [US, AU], date="2025-10-20", value="8500000000"
    )
    mou = agreement("FWO-USSM MoU", [FWO, USSM], date="2025-09-08")
    with Registry(tmp_path / "r.sqlite") as reg:
        for name, record, day in (
            ("a1", framework, "2025-10-21"),
            ("a2", framework, "2025-10-22"),
            ("b1", mou, "2025-09-09"),
            ("b2", mou, "2025-09-10"),
        ):
            reg.add(article(record, published=day), article_id=name)
        events = sorted(reg.clusters())
        assert len(events) == 2
        merged = reg.merge(events[0], events[1])
        links = reg.links(merged)
    assert len(links) == 3
    first, *rest = links
    assert first.weak
    assert first.by_hand
    assert {first.mention[0], (first.partner or "")[0]} == {"a", "b"}  # across the groups
    assert not any(link.weak or link.by_hand for link in rest)


def test_an_event_of_one_mention_has_no_partner(db: str) -> None:
    with Registry(db) as reg:
        (link,) = reg.links(_event_of(db, "ndtv#1"))
    assert link.partner is None
    assert not link.weak
    assert "the only mention" in _run("--db", db, "show", _event_of(db, "ndtv#1"), "--why")


def test_corrections_refuse_what_they_cannot_do(db: str) -> None:
    framework, scheme = _event_of(db, "frecine#0"), _event_of(db, "ndtv#1")
    missing = _invoke("--db", db, "merge", framework, "evt-404")
    assert missing.exit_code == 1
    assert "no event 'evt-404'" in missing.output
    kinds = _invoke("--db", db, "merge", framework, scheme)
    assert kinds.exit_code == 1
    assert "cannot be one event" in kinds.output
    # A bad id after good ones: nothing is merged, not even the good ones.
    mou = _event_of(db, "ndtv#0")
    for bad in ("evt-404", scheme):
        partial = _invoke("--db", db, "merge", framework, mou, bad)
        assert partial.exit_code == 1
        assert _count(db) == 3
    everything = _invoke("--db", db, "split", framework, "frecine#0", "manmonthly#0")
    assert everything.exit_code == 1
    assert "some, not all" in everything.output
    assert "frecine#0, manmonthly#0" in everything.output  # the ids to choose from
    stranger = _invoke("--db", db, "split", framework, "ndtv#0")
    assert stranger.exit_code == 1
    assert _count(db) == 3  # nothing changed
    with pytest.raises(KeyError), Registry(db) as reg:
        reg.links("evt-404")

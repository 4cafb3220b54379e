"""The registry file: adding, reading, filters, conflicts, corrections and their survival."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from minerals_summ.registry import Conflict, Event, Registry
from tests.test_registry_support import AU, FWO, US, USSM, agreement, article, gov, scheme


def _framework(value: str, published: str, title: str = "US-Australia framework") -> object:
    record = agreement(
        title,
        [US, AU],
        kind="framework_agreement",
        date="2025-10-20",
        value=value,
        minerals=("gallium", "rare_earth_elements"),
    )
    return article(record, published=published)


def test_adding_the_same_article_twice_changes_nothing(tmp_path: Path) -> None:
    with Registry(tmp_path / "r.sqlite") as registry:
        summary = article(
            agreement("FWO-USSM MoU", [FWO, USSM], date="2025-09-08"),
            scheme("Recycling scheme", "IN", date="2025-09-03"),
            published="2025-09-09",
        )
        first = registry.add(summary, article_id="ndtv")
        again = registry.add(summary, article_id="ndtv")
        assert first == again == ["evt-000001", "evt-000002"]
        assert sum(len(e.mentions) for e in registry.events()) == 2


def test_the_registry_is_a_file_that_reopens(tmp_path: Path) -> None:
    path = tmp_path / "deals.sqlite"
    with Registry(path) as registry:
        registry.add(_framework("8500000000", "2025-10-21"), article_id="a", url="https://x/a")  # type: ignore[arg-type]
    with Registry(path) as registry:
        [event] = registry.events()
        [mention] = event.mentions
        assert (mention.article_id, mention.url, mention.id) == ("a", "https://x/a", "a#0")
        assert mention.published == dt.date(2025, 10, 21)
        assert mention.evidence[0].quote == "a quote"


def test_two_records_of_one_article_are_two_events() -> None:
    registry = Registry(":memory:")
    a = agreement("Minerals deal", [FWO, USSM], date="2025-09-08")
    b = agreement("Minerals deal", [FWO, USSM], date="2025-09-08")
    ids = registry.add(article(a, b, published="2025-09-09"), article_id="x")
    assert len(set(ids)) == 2


def test_filters() -> None:
    registry = Registry(":memory:")
    registry.add(_framework("8500000000", "2025-10-21"), article_id="a")  # type: ignore[arg-type]
    registry.add(
        article(scheme("Lithium strategy", "CL", date="2023-04-20", minerals=("lithium",))),
        article_id="b",
    )
    assert [e.kind for e in registry.events(kind="policy_scheme")] == ["policy_scheme"]
    assert [e.countries for e in registry.events(country="au")] == [("AU", "US")]
    assert [e.minerals for e in registry.events(mineral="lithium")] == [("lithium",)]
    assert len(registry.events(since="2024-01-01")) == 1
    assert len(registry.events(until=dt.date(2024, 1, 1))) == 1
    assert registry.events(country="JP") == []
    with pytest.raises(KeyError):
        registry.event("evt-999999")


def test_disagreeing_values_are_kept_side_by_side() -> None:
    registry = Registry(":memory:")
    registry.add(_framework("8500000000", "2025-10-21"), article_id="a")  # type: ignore[arg-type]
    registry.add(_framework("8460000000", "2025-10-21"), article_id="b")  # type: ignore[arg-type]
    [event_id] = registry.add(_framework("3000000000", "2025-10-22"), article_id="c")  # type: ignore[arg-type]
    event = registry.event(event_id)
    assert len(event.mentions) == 3
    [conflict] = event.conflicts
    assert isinstance(conflict, Conflict)
    assert conflict.field == "value"
    assert [(v.value["amount"], v.mentions) for v in conflict.values] == [
        ("8500000000", ("a#0", "b#0")),  # within rounding: one value, two mentions
        ("3000000000", ("c#0",)),
    ]
    assert event.fields["date"][0].mentions == ("a#0", "b#0", "c#0")
    assert event.status == "signed"


def test_merge_and_split_survive_later_adds_and_a_rebuild() -> None:
    registry = Registry(":memory:")
    pakistan = gov("Pakistan", "PK")
    talks = agreement(
        "Minerals talks", [US, pakistan], kind="cooperation_talks", status="exploring"
    )
    trade = agreement("Trade deal", [US, pakistan], kind="trade_agreement", date="2025-07-31")
    [a] = registry.add(article(talks, published="2025-03-01"), article_id="talks")
    [b] = registry.add(article(trade, published="2025-08-01"), article_id="trade")
    assert a != b
    merged = registry.merge(a, b)  # a person says: the talks led to this deal
    assert isinstance(merged, Event)
    assert {m.id for m in merged.mentions} == {"talks#0", "trade#0"}
    assert registry.event(b).id == a  # the merged-away id still finds its event
    # A later article on the deal joins the merged event; the correction holds.
    [c] = registry.add(article(trade, published="2025-08-02"), article_id="trade-2")
    assert c == a
    split = registry.split(a, ["talks#0"])  # ... and changes their mind
    assert [m.id for m in split.mentions] == ["talks#0"]
    [d] = registry.add(article(talks, published="2025-03-02"), article_id="talks-2")
    assert registry.event(d).id in (split.id, a)
    registry.rebuild()
    clusters = {frozenset(ms) for ms in registry.clusters().values()}
    together = next(c for c in clusters if "trade#0" in c)
    assert "talks#0" not in together  # the split is respected by a rebuild
    assert "trade-2#0" in together


def test_merge_and_split_refuse_what_makes_no_sense() -> None:
    registry = Registry(":memory:")
    [a] = registry.add(_framework("8500000000", "2025-10-21"), article_id="a")  # type: ignore[arg-type]
    [s] = registry.add(article(scheme("Strategy", "CL")), article_id="s")
    with pytest.raises(ValueError, match="cannot be one event"):
        registry.merge(a, s)
    with pytest.raises(ValueError, match="some, not all"):
        registry.split(a, ["a#0"])
    with pytest.raises(KeyError):
        registry.merge(a, "evt-404")


def test_a_rebuild_computes_each_profile_again_from_its_record() -> None:
    """After the linker changed, a rebuild must not compare the profiles it stored before."""
    registry = Registry(":memory:")
    record = agreement("FWO-USSM MoU", [FWO, USSM], date="2025-09-08")
    registry.add(article(record, published="2025-09-09"), article_id="a")
    [row] = registry._store.mention_rows()
    fresh = row["profile"]
    registry._store.set_profile("a#0", fresh.replace('"label":"', '"label":"stale '))
    registry.rebuild()
    [row] = registry._store.mention_rows()
    assert row["profile"] == fresh

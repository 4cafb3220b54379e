"""The deal registry: one event per real-world agreement or policy scheme, across articles."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path
from types import TracebackType

from platformdirs import user_data_dir

from minerals_summ.records import Agreement, PolicyScheme
from minerals_summ.registry.linking import THRESHOLD, Candidate, compare, compatible, matches
from minerals_summ.registry.merge import build_event
from minerals_summ.registry.model import Event, Link, Mention
from minerals_summ.registry.profile import Profile
from minerals_summ.registry.rules import DEFAULT, Rules
from minerals_summ.registry.store import Store
from minerals_summ.summary import ArticleSummary

__all__ = ["Registry", "default_path"]

# Candidates compared per new mention: bounds the work per mention whatever the registry's size.
_CANDIDATES = 10


def default_path() -> Path:
    """``$MINERALS_SUMM_REGISTRY``, else ``registry.sqlite`` in the user's data directory."""
    configured = os.environ.get("MINERALS_SUMM_REGISTRY")
    if configured:
        return Path(configured)
    return Path(user_data_dir("minerals-summ")) / "registry.sqlite"


def _id(event: Event | str) -> str:
    return event.id if isinstance(event, Event) else event


class Registry:
    """An embedded database of mentions (records of articles) linked into events.

    >>> registry = Registry("deals.sqlite")                            # doctest: +SKIP
    >>> registry.add(summary, article_id="reuters-2025-10-20")         # doctest: +SKIP
    ['evt-000001']
    >>> [e.title for e in registry.events(country="AU", since="2025-01-01")]  # doctest: +SKIP

    Linking is incremental: each new mention is compared only with the events that share a
    blocking key with it (:mod:`minerals_summ.registry.profile`), so adding costs the same in a
    registry of ten events or of a million. Corrections (:meth:`merge`, :meth:`split`) are kept as
    must-link and cannot-link constraints, which later additions and :meth:`rebuild` respect.
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        threshold: float = THRESHOLD,
        rules: Rules = DEFAULT,
    ) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.threshold = threshold
        self.rules = rules  # the linker's optional rules (benchmarks/linking_cv.py measures them)
        self._store = Store(":memory:" if str(path) == ":memory:" else self.path)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def has_article(self, article_id: str) -> bool:
        """True when this article has been added."""
        return self._store.has_article(article_id)

    # --- adding ------------------------------------------------------------------------------

    def add(
        self,
        summary: ArticleSummary,
        *,
        article_id: str,
        published: dt.date | str | None = None,
        url: str | None = None,
        title: str | None = None,
    ) -> list[str]:
        """Link each record of the summary to an event (opening new ones); the event ids.

        Adding an article already in the registry changes nothing and returns its event ids.
        ``published`` defaults to the summary's own publication date.
        """
        store = self._store
        if store.has_article(article_id):
            return store.article_events(article_id)
        if isinstance(published, str):
            published = dt.date.fromisoformat(published)
        published = published or summary.published
        event_ids: list[str] = []
        with store.transaction():
            store.add_article(article_id, url, title, published.isoformat() if published else None)
            for position, record in enumerate(summary.records()):
                mention_id = f"{article_id}#{position}"
                profile = Profile.of(record, published)
                # Two records of one article are two events: the article would have said so.
                event_id = self._link(profile, mention_id, exclude=set(event_ids))
                if event_id is None:
                    event_id = store.new_event(profile.kind)
                store.add_mention(
                    mention_id,
                    article_id=article_id,
                    position=position,
                    kind=profile.kind,
                    event_id=event_id,
                    record=record.model_dump_json(),
                    profile=profile.to_json(),
                )
                self._index(event_id, profile)
                event_ids.append(event_id)
        return event_ids

    def _link(self, profile: Profile, mention_id: str, exclude: set[str]) -> str | None:
        """The event the mention joins (merging the others it bridges), or None for a new one."""
        store = self._store
        found = [e for e in store.candidates(profile.query_keys(), _CANDIDATES) if e not in exclude]
        if not found:
            return None
        rows = store.profiles(found)
        candidates = {
            e: Candidate(e, [(m, a, Profile.from_json(p)) for m, a, p in rows[e]]) for e in found
        }
        cannot = frozenset(store.cannot_link([mention_id]))
        merged = frozenset(store.merged(m for c in candidates.values() for m, _a, _p in c.mentions))
        matched = matches(
            profile,
            list(candidates.values()),
            cannot_link=cannot,
            merged=merged,
            threshold=self.threshold,
            rules=self.rules,
        )
        if not matched:
            return None
        target = candidates[matched[0]]
        if self.rules.anchored and profile.timeless:
            return target.event_id  # it cannot tell two events apart in time: see Rules.anchored
        for other_id in matched[1:]:
            other = candidates[other_id]
            ids = [m for m, _a, _p in (*target.mentions, *other.mentions)]
            pairs = {(min(a, b), max(a, b)) for a in ids for b in store.cannot_link([a])}
            if compatible(target, other, pairs, self.rules):
                self._absorb(target.event_id, other_id)
                target = Candidate(target.event_id, [*target.mentions, *other.mentions])
        return target.event_id

    def _absorb(self, keep: str, gone: str) -> None:
        """Move every mention of ``gone`` into ``keep``; ``gone`` stays known as an alias."""
        store = self._store
        store.move_mentions(store.mention_ids(gone), keep)
        store.delete_event(gone)
        store.add_alias(gone, keep)
        self._reindex(keep)

    def _index(self, event_id: str, profile: Profile) -> None:
        facets = [("country", c) for c in profile.countries]
        facets += [("mineral", m) for m in profile.minerals]
        when = profile.when
        self._store.index_event(
            event_id, profile.index_keys(), facets, when.isoformat() if when else None
        )

    def _reindex(self, event_id: str) -> None:
        self._store.clear_index(event_id)
        for _mention, _article, profile in self._store.profiles([event_id])[event_id]:
            self._index(event_id, Profile.from_json(profile))

    # --- reading -----------------------------------------------------------------------------

    def events(
        self,
        kind: str | None = None,
        country: str | None = None,
        mineral: str | None = None,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
    ) -> list[Event]:
        """Events passing every filter given, oldest first.

        ``country`` is an ISO code (a party's country or a scheme's jurisdiction), ``mineral`` a
        canonical name; ``since``/``until`` keep events with a date (a record's own, else its
        article's publication date) on or after / on or before that day.
        """
        ids = self._store.find_events(
            kind,
            country.upper() if country else None,
            mineral,
            str(since) if since else None,
            str(until) if until else None,
        )
        return self._build(ids)

    def event(self, event_id: str) -> Event:
        """One event by id (or by the id of an event since merged into it); else ``KeyError``."""
        events = self._build([self._store.resolve(event_id)])
        if not events:
            raise KeyError(event_id)
        return events[0]

    def _build(self, event_ids: list[str]) -> list[Event]:
        by_event: dict[str, list[Mention]] = {e: [] for e in event_ids}
        kinds: dict[str, str] = {}
        for start in range(0, len(event_ids), 500):  # SQLite limits the parameters of a query
            for row in self._store.mention_rows(event_ids[start : start + 500]):
                by_event[row["event_id"]].append(_mention(row))
                kinds[row["event_id"]] = row["kind"]
        return [build_event(e, kinds[e], by_event[e]) for e in event_ids if by_event[e]]

    def links(self, event: Event | str) -> list[Link]:
        """Why an event's mentions are one event: the links that hold them together, weakest
        first.

        Every pair of the event's mentions is compared by the registry's rules, and the
        strongest links that connect them all are kept (a maximum spanning tree: one link fewer
        than mentions; a vetoed pair is the weakest of links). A *weak* link (under the
        threshold, or vetoed) is where the event came together by a bridging mention or a
        person's merge (``by_hand``: a pair a person joined), and where to look for a wrong
        merge. An event of one mention has one link without a partner. A popular event of a
        few hundred mentions takes a second or two.
        """
        event_id = self._store.resolve(_id(event))
        rows = self._store.profiles([event_id])[event_id]
        if not rows:
            raise KeyError(event_id)
        profiles = {m: Profile.from_json(p) for m, _article, p in rows}
        ids = list(profiles)
        if len(ids) == 1:
            return [Link(ids[0], None, 0.0, (), None, weak=False, by_hand=False)]
        by_hand = self._store.must_links(ids)

        def link(a: str, b: str) -> Link:
            comparison = compare(profiles[a], profiles[b], self.rules)
            return Link(
                a,
                b,
                comparison.score,
                tuple(comparison.reasons),
                comparison.veto,
                weak=comparison.veto is not None or comparison.score < self.threshold,
                by_hand=(min(a, b), max(a, b)) in by_hand,
            )

        def strength(candidate: Link) -> tuple[bool, float]:
            return candidate.veto is None, candidate.score

        # Prim's algorithm: grow the tree from the first mention by its strongest link out.
        best = {m: link(m, ids[0]) for m in ids[1:]}  # each outside mention's best link in
        tree: list[Link] = []
        while best:
            chosen = max(best.values(), key=strength)
            tree.append(chosen)
            del best[chosen.mention]
            for m, current in list(best.items()):
                candidate = link(m, chosen.mention)
                if strength(candidate) > strength(current):
                    best[m] = candidate
        return sorted(tree, key=lambda found: (not found.weak, strength(found)))

    def clusters(self) -> dict[str, list[str]]:
        """Mention ids of every event: ``{event id: [mention id, ...]}``."""
        return {
            e: self._store.mention_ids(e)
            for e in self._store.find_events(None, None, None, None, None)
        }

    # --- corrections -------------------------------------------------------------------------

    def merge(self, a: Event | str, b: Event | str) -> Event:
        """Make ``b``'s mentions part of ``a``: a person's correction, kept for later adds."""
        a_id, b_id = self._store.resolve(_id(a)), self._store.resolve(_id(b))
        store = self._store
        if store.event_kind(a_id) is None or store.event_kind(b_id) is None:
            raise KeyError(a_id if store.event_kind(a_id) is None else b_id)
        if store.event_kind(a_id) != store.event_kind(b_id):
            raise ValueError("an agreement and a policy scheme cannot be one event")
        if a_id == b_id:
            return self.event(a_id)
        with store.transaction():
            a_mentions, b_mentions = store.mention_ids(a_id), store.mention_ids(b_id)
            store.add_constraints([(x, y) for x in a_mentions for y in b_mentions], must_link=True)
            self._absorb(a_id, b_id)
        return self.event(a_id)

    def split(self, event: Event | str, mentions: list[str] | list[Mention]) -> Event:
        """Move these mentions of an event into a new event of their own; the new event.

        The moved mentions and those left behind are kept apart from now on (cannot-link).
        """
        event_id = self._store.resolve(_id(event))
        moved = [m.id if isinstance(m, Mention) else m for m in mentions]
        store = self._store
        kind = store.event_kind(event_id)
        if kind is None:
            raise KeyError(event_id)
        current = store.mention_ids(event_id)
        if not moved or set(moved) - set(current) or set(moved) == set(current):
            raise ValueError("split needs some, not all, of the event's own mentions")
        staying = [m for m in current if m not in moved]
        with store.transaction():
            new_id = store.new_event(kind)
            store.add_constraints([(x, y) for x in moved for y in staying], must_link=False)
            store.move_mentions(moved, new_id)
            self._reindex(event_id)
            self._reindex(new_id)
        return self.event(new_id)

    def rebuild(self) -> None:
        """Link every mention again from scratch (say, after the linker changed), its profile
        computed again from its record.

        Mentions are taken in order of publication; corrections are respected: a mention joins
        the event of any mention it must be linked with, and never one it was split from. Events
        get new ids; an old id still finds the event that holds its first mention.
        """
        store = self._store
        rows = store.mention_rows()
        must: dict[str, set[str]] = {}
        for a, b, must_link in store.constraints():
            if must_link:
                must.setdefault(a, set()).add(b)
                must.setdefault(b, set()).add(a)
        placed: dict[str, str] = {}
        by_article: dict[str, set[str]] = {}
        with store.transaction():
            for event_id in {row["event_id"] for row in rows}:
                store.delete_event(event_id)
            for row in rows:
                # The profile is computed again: a changed linker may read records differently.
                mention = _mention(row)
                profile = Profile.of(mention.record, mention.published)
                store.set_profile(row["id"], profile.to_json())
                taken = by_article.setdefault(row["article_id"], set())
                partners = [placed[m] for m in must.get(row["id"], ()) if m in placed]
                event_id = partners[0] if partners else self._link(profile, row["id"], taken)
                if event_id is None:
                    event_id = store.new_event(profile.kind)
                store.move_mentions([row["id"]], event_id)
                self._index(event_id, profile)
                placed[row["id"]] = event_id
                taken.add(event_id)
            # An old id finds the new event that holds the first of its mentions.
            for row in rows:
                if store.resolve(row["event_id"]) == row["event_id"]:
                    store.add_alias(row["event_id"], placed[row["id"]])


def _mention(row: sqlite3.Row) -> Mention:
    record: Agreement | PolicyScheme
    if row["kind"] == "agreement":
        record = Agreement.model_validate_json(row["record"])
    else:
        record = PolicyScheme.model_validate_json(row["record"])
    return Mention(
        id=row["id"],
        event_id=row["event_id"],
        article_id=row["article_id"],
        position=row["position"],
        url=row["url"],
        title=row["title"],
        published=dt.date.fromisoformat(row["published"]) if row["published"] else None,
        record=record,
    )

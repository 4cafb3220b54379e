"""How long does the registry take to add 100,000 mentions of 20,000 events, and does the time
per mention grow with the registry's size?

    .venv/bin/python benchmarks/registry_scale.py                 # 20,000 events x 5 mentions
    .venv/bin/python benchmarks/registry_scale.py --events 2000   # a quick run

Synthetic events: agreements between a company and a government-backed party of two of 40
countries, and policy schemes of 40 jurisdictions, dated over ten years. Each event is reported by
five mentions that vary as outlets do: an acronym or the long form, a rounded amount, a date to the
day or to the month, a later stage. Mentions are grouped into articles of one to three records and
added in order of publication to a registry file in a temporary directory. The summaries are built
before the clock starts; what is timed is ``Registry.add`` alone, reported per block of 10,000
mentions (ms per mention), with the pairwise precision and recall of the result.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from minerals_summ import Agreement, ArticleSummary, DateRef, Evidence, Money, Party, PolicyScheme
from minerals_summ.registry import Registry, score_linking
from minerals_summ.vocabulary import AgreementKind, Instrument, PartyKind, Precision, Status

COUNTRIES = [
    "US", "AU", "CA", "GB", "FR", "DE", "JP", "KR", "IN", "CN", "BR", "CL", "AR", "PE", "MX",
    "ZA", "CD", "ZM", "NA", "BW", "ID", "PH", "VN", "MY", "SA", "AE", "KZ", "MN", "UA", "PL",
    "SE", "FI", "NO", "ES", "IT", "PT", "TR", "EG", "MA", "NG",
]  # fmt: skip
# 30 syllables, four to a name: 810,000 names, so that two synthetic companies rarely share one.
SYLLABLES = [
    "ka", "lo", "mi", "ra", "tu", "ven", "sol", "dar", "mek", "pin", "zor", "lith", "cob", "nik",
    "gra", "tan", "vel", "mon", "rex", "qua", "bel", "cor", "dun", "fen", "gal", "hor", "ist",
    "jun", "kel", "mur",
]  # fmt: skip
STAGES = [Status.UNDER_NEGOTIATION, Status.SIGNED, Status.IN_FORCE]
EVIDENCE = (Evidence(quote="synthetic", start=0, end=9),)


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(4)).title()


def _date(day: dt.date, month_only: bool) -> DateRef:
    if month_only:
        return DateRef(text="that month", value=day.replace(day=1), precision=Precision.MONTH)
    return DateRef(text="that day", value=day, precision=Precision.DAY)


def _money(amount: int, rounded: bool, currency: str) -> Money:
    if rounded:  # "$8.5 billion" for 8,460,000,000
        digits = len(str(amount)) - 2
        amount = round(amount, -digits)
    return Money(text=f"{currency} {amount}", amount=Decimal(amount), currency=currency)


def _event(rng: random.Random, number: int) -> list[tuple[dt.date, Agreement | PolicyScheme]]:
    """Five mentions of one synthetic event, each with its publication date."""
    start = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3650))
    amount = rng.randrange(10, 5000) * 1_000_000
    mentions: list[tuple[dt.date, Agreement | PolicyScheme]] = []
    if number % 2 == 0:
        home, host = rng.sample(COUNTRIES, 2)
        company = f"{_name(rng)} {rng.choice(['Resources', 'Metals', 'Lithium', 'Mining'])}"
        acronym = "".join(word[0] for word in company.split()).upper() + str(number % 97)
        state = f"{_name(rng)} Development Corporation"
        kind = rng.choice([k for k in AgreementKind if k != AgreementKind.OTHER])
        for i in range(5):
            stage = STAGES[min(i // 2, 2)]
            day = start + dt.timedelta(days=60 * (i // 2) + rng.randrange(2))
            parties = (
                Party(
                    name=acronym if i % 2 else company,
                    acronym=None if i % 2 else acronym,
                    kind=PartyKind.COMPANY,
                    country=home,
                ),
                Party(name=state, kind=PartyKind.STATE_ENTITY, country=host),
            )
            record = Agreement(
                title=f"{company} and {state} {kind.value.replace('_', ' ')}",
                kind=kind,
                status=stage,
                parties=parties,
                value=_money(amount, i % 3 == 1, "USD") if i != 4 else None,
                date=_date(day, i == 3),
                evidence=EVIDENCE,
            )
            mentions.append((day + dt.timedelta(days=1), record))
        return mentions
    country = rng.choice(COUNTRIES)
    instrument = rng.choice([i for i in Instrument if i != Instrument.OTHER])
    kind_word = rng.choice(["Minerals", "Battery", "Refining", "Exploration"])
    name = f"{_name(rng)} {kind_word} Programme"
    for i in range(5):
        stage = [Status.ANNOUNCED, Status.APPROVED, Status.IN_FORCE][min(i // 2, 2)]
        day = start + dt.timedelta(days=90 * (i // 2) + rng.randrange(2))
        scheme = PolicyScheme(
            name=name if i % 2 == 0 else f"the {name}",
            country=country,
            instrument=instrument,
            status=stage,
            budget=_money(amount, i % 3 == 1, "EUR") if i != 4 else None,
            date=_date(day, i == 3),
            evidence=EVIDENCE,
        )
        mentions.append((day + dt.timedelta(days=1), scheme))
    return mentions


def build(events: int, seed: int) -> tuple[list[tuple[str, ArticleSummary]], dict[str, int]]:
    """Articles in order of publication, and the gold event of each mention id."""
    rng = random.Random(seed)
    pool: list[tuple[dt.date, int, Agreement | PolicyScheme]] = []
    for number in range(events):
        pool += [(day, number, record) for day, record in _event(rng, number)]
    pool.sort(key=lambda item: (item[0], item[1]))
    articles: list[tuple[str, ArticleSummary]] = []
    gold: dict[str, int] = {}
    i = 0
    while i < len(pool):
        size = rng.choice((1, 1, 2, 3))
        group: list[tuple[dt.date, int, Agreement | PolicyScheme]] = []
        taken: set[int] = set()
        while i < len(pool) and len(group) < size and pool[i][1] not in taken:
            group.append(pool[i])
            taken.add(pool[i][1])
            i += 1
        article_id = f"art-{len(articles):06d}"
        agreements = tuple(r for _, _, r in group if isinstance(r, Agreement))
        schemes = tuple(r for _, _, r in group if isinstance(r, PolicyScheme))
        ordered = [n for _, n, r in group if isinstance(r, Agreement)]
        ordered += [n for _, n, r in group if isinstance(r, PolicyScheme)]
        gold |= {f"{article_id}#{k}": n for k, n in enumerate(ordered)}
        summary = ArticleSummary(
            summary="synthetic",
            agreements=agreements,
            policy_schemes=schemes,
            published=group[0][0],
        )
        articles.append((article_id, summary))
    return articles, gold


def ms(seconds: float, count: int) -> str:
    return f"{1000 * seconds / count:6.2f} ms/mention"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--block", type=int, default=10_000, help="mentions per timed block")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    started = time.perf_counter()
    articles, gold = build(args.events, args.seed)
    built = time.perf_counter() - started
    print(
        f"built {len(articles)} articles, {len(gold)} mentions of {args.events} events "
        f"in {built:.1f} s (not timed below)"
    )
    with tempfile.TemporaryDirectory() as directory:
        registry = Registry(Path(directory) / "scale.sqlite")
        added = block_start_mentions = 0
        total = 0.0
        block_time = 0.0
        for article_id, summary in articles:
            clock = time.perf_counter()
            added += len(registry.add(summary, article_id=article_id))
            elapsed = time.perf_counter() - clock
            total += elapsed
            block_time += elapsed
            if added - block_start_mentions >= args.block:
                count = added - block_start_mentions
                print(f"mentions {block_start_mentions:>7}-{added:<7} {ms(block_time, count)}")
                block_start_mentions, block_time = added, 0.0
        if added > block_start_mentions:
            count = added - block_start_mentions
            print(f"mentions {block_start_mentions:>7}-{added:<7} {ms(block_time, count)}")
        print(f"total: {added} mentions in {total:.1f} s ({1000 * total / added:.2f} ms/mention)")
        predicted = {m: e for e, ms in registry.clusters().items() for m in ms}
        result = score_linking(predicted, gold)
        found = len(set(predicted.values()))
        print(
            f"linking: pairwise P {result.pairwise_precision:.3f} "
            f"R {result.pairwise_recall:.3f}, B-cubed F1 {result.bcubed_f1:.3f}; {found} events"
        )
        registry.close()


if __name__ == "__main__":
    main()

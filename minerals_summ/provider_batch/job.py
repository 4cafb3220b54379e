"""A corpus through a provider's Batch API: prepare, submit, status, collect.

:class:`ProviderBatch` keeps its state in SQLite next to the results file
(``results.jsonl`` -> ``results.batch.sqlite``), so each step can be run again, from another
process, after any interruption: ``prepare`` skips articles it has, ``submit`` sends what is
pending (finding a batch whose creation it did not get to record), and ``collect`` takes each
article's answer once.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openai

from minerals_summ.articles import Article
from minerals_summ.batch import as_articles
from minerals_summ.cache import CacheOption, summary_cache, summary_key
from minerals_summ.config import Config, Mode, client_from_env, endpoint_of
from minerals_summ.exceptions import ConfigurationError
from minerals_summ.normalise import published_date
from minerals_summ.prompting import load_prompt
from minerals_summ.provider_batch import client as api
from minerals_summ.provider_batch.collect import Collector, Tally, parse_lines
from minerals_summ.provider_batch.ledger import Costs, costs_of
from minerals_summ.provider_batch.prepare import prepared_row
from minerals_summ.provider_batch.requests import MAX_BYTES, MAX_REQUESTS, chunks, request_line
from minerals_summ.provider_batch.state import Item, State, state_path
from minerals_summ.schema import schema_version
from minerals_summ.summary import ArticleSummary
from minerals_summ.version import __version__

__all__ = ["BatchInfo", "ProviderBatch"]

# The options a run's requests and checks depend on, kept in its state.
_CONFIG_FIELDS = (
    "model",
    "mode",
    "max_attempts",
    "timeout",
    "max_chars",
    "token_budget",
    "max_output_tokens",
    "temperature",
    "default_currency",
    "json_object_schema",
)


@dataclass(frozen=True)
class BatchInfo:
    """One batch as the provider last reported it."""

    batch_id: str | None
    round: int
    status: str
    requests: int
    completed: int
    failed: int
    collected: bool


class ProviderBatch:
    """The provider batch run whose results go to ``results`` (its state beside it).

    ``client`` is an ``openai.OpenAI`` for the provider (default: from ``OPENAI_API_KEY`` /
    ``OPENAI_BASE_URL``, built when a step first needs it); ``cache`` as for
    :func:`~minerals_summ.summarise_many` (successes are stored there, and articles already in
    it are not sent); ``max_resubmits``: how often an item is sent again after its batch
    expired with it undone, or after a 429 or 5xx result.
    """

    def __init__(
        self,
        results: str | Path,
        *,
        client: openai.OpenAI | None = None,
        cache: CacheOption = True,
        max_resubmits: int = 2,
    ) -> None:
        if client is not None and not isinstance(client, openai.OpenAI):
            raise ConfigurationError(
                f"client must be an openai.OpenAI, not {type(client).__name__}"
            )
        if (
            isinstance(max_resubmits, bool)
            or not isinstance(max_resubmits, int)
            or max_resubmits < 0
        ):
            raise ConfigurationError(
                f"max_resubmits must be a whole number >= 0, not {max_resubmits!r}"
            )
        self.results = Path(results)
        self.state = State(state_path(self.results))
        self._client = client
        self.max_resubmits = max_resubmits
        self.cache = summary_cache(cache)
        self._config: Config | None = None

    def close(self) -> None:
        self.state.close()
        if self.cache is not None:
            self.cache.close()

    def __enter__(self) -> ProviderBatch:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def client(self) -> openai.OpenAI:
        if self._client is None:
            built = client_from_env()
            assert isinstance(built, openai.OpenAI)
            self._client = built
        return self._client

    # -- configuration ----------------------------------------------------------------------

    def config(self) -> Config:
        """The configuration the run was prepared with."""
        if self._config is not None:
            return self._config
        meta = self.state.meta()
        if "config" not in meta:
            raise ConfigurationError(f"{self.state.path} holds no prepared run: run prepare first")
        for key, now in (
            ("prompt_version", load_prompt().version),
            ("schema_version", schema_version()),
        ):
            if meta[key] != now:
                raise ConfigurationError(
                    f"{self.state.path} was prepared with {key} {meta[key]}, this library has "
                    f"{now}: finish it with the version that prepared it, or prepare again"
                )
        self._config = Config(**meta["config"])
        return self._config

    def _cache_key(self, config: Config, text: str, published: str | None) -> str:
        return summary_key(config, text, published_date(published), endpoint_of(self.client))

    def _cache_get(self, config: Config, text: str, published: str | None) -> ArticleSummary | None:
        if self.cache is None:
            return None
        return self.cache.get(self._cache_key(config, text, published))

    def _cache_put(self, item: Item, summary: ArticleSummary) -> None:
        if self.cache is not None:
            self.cache.put(self._cache_key(self.config(), item.text, item.published), summary)

    # -- prepare ----------------------------------------------------------------------------

    def prepare(
        self,
        articles: Iterable[Article | str],
        *,
        config: Config | None = None,
        requests_file: str | Path | None = None,
        model: str | None = None,
        mode: Mode | None = None,
        max_attempts: int | None = None,
        timeout: float | None = None,
        max_chars: int | None = None,
        token_budget: int | None = None,
        max_output_tokens: int | None = None,
        temperature: float | None = None,
        default_currency: str | None = None,
        json_object_schema: bool | None = None,
    ) -> Tally:
        """Build each new article's request (the body a live call sends) into the state, and
        write every pending request to ``requests_file`` (the batch JSONL) when given.

        ``config`` and the :class:`Config` options as for :func:`~minerals_summ.summarise` (those
        left None keep ``config``'s value, or the default); a run keeps the configuration it
        was first prepared with. Articles already in the cache end at once (no request); an article
        that cannot be sent (empty, binary, too long) ends as its ``InputError``.
        """
        wanted = Config.from_options(
            config,
            model=model,
            mode=mode,
            max_attempts=max_attempts,
            timeout=timeout,
            max_chars=max_chars,
            token_budget=token_budget,
            max_output_tokens=max_output_tokens,
            temperature=temperature,
            default_currency=default_currency,
            json_object_schema=json_object_schema,
        )
        kept = {name: getattr(wanted, name) for name in _CONFIG_FIELDS}
        meta = self.state.meta()
        if "config" in meta and meta["config"] != kept:
            self.config()  # another prompt or schema version says so first
            raise ConfigurationError(
                f"{self.state.path} was prepared with another configuration ({meta['config']}); "
                "use another results file for another configuration"
            )
        self._config = None
        self.state.set_meta(
            {
                "config": kept,
                "prompt_version": load_prompt().version,
                "schema_version": schema_version(),
                "library": __version__,
            }
        )
        tally = Tally()
        known = self.state.ids()
        seq = self.state.next_seq()
        rows = []
        for _, article in as_articles(articles):
            if article.id in known:
                continue
            known.add(article.id)
            rows.append(prepared_row(wanted, article, seq, self._cache_get, tally))
            seq += 1
        self.state.add_items(rows)
        if requests_file is not None:
            self.write_requests(requests_file)
        return tally

    def write_requests(self, path: str | Path) -> int:
        """Write every pending request to ``path`` as batch JSONL; how many."""
        written = 0
        with Path(path).open("wb") as handle:
            for item in self.state.items("pending"):
                if item.request is not None:
                    handle.write(request_line(item.custom_id, item.request))
                    written += 1
        return written

    # -- submit -----------------------------------------------------------------------------

    def submit(self, *, max_requests: int = MAX_REQUESTS, max_bytes: int = MAX_BYTES) -> list[str]:
        """Send the pending requests as batches of at most ``max_requests`` requests and
        ``max_bytes`` bytes each; the new batches' ids."""
        self.config()  # refuses a state of another prompt or schema
        created = [self._resume(batch) for batch in self.state.batches() if not batch["batch_id"]]
        round_ = 1 + max((b["round"] for b in self.state.batches()), default=0)
        pending = (
            (i.custom_id, request_line(i.custom_id, i.request))
            for i in self.state.items("pending")
            if i.request
        )
        for chunk in chunks(pending, max_requests=max_requests, max_bytes=max_bytes):
            token = secrets.token_hex(8)
            self.state.new_batch(token, round_, [custom_id for custom_id, _ in chunk])
            created.append(self._send(token, b"".join(line for _, line in chunk)))
        return created

    def _resume(self, batch: dict[str, Any]) -> str:
        """A batch recorded but not known to be created: find it, or send it again."""
        token = batch["token"]
        found = api.find_batch(self.client, token) if batch["input_file_id"] else None
        if found is not None:
            self.state.update_batch(token, batch_id=found.id, status=found.status)
            return found.id
        lines = [
            request_line(i.custom_id, i.request)
            for i in self.state.items("submitted", token)
            if i.request
        ]
        return self._send(token, b"".join(lines))

    def _send(self, token: str, data: bytes) -> str:
        file_id = api.upload(self.client, data, f"minerals-summ-{token}.jsonl")
        self.state.update_batch(token, input_file_id=file_id)
        batch = api.create_batch(self.client, file_id, token)
        self.state.update_batch(token, batch_id=batch.id, status=batch.status)
        return batch.id

    # -- status -----------------------------------------------------------------------------

    def status(self, *, refresh: bool = True) -> list[BatchInfo]:
        """Every batch of the run, as the provider reports it now (``refresh``) or last did."""
        infos = []
        for batch in self.state.batches():
            counts = {"completed": 0, "failed": 0}
            if refresh and batch["batch_id"] and not batch["collected"]:
                remote = api.retrieve(self.client, batch["batch_id"])
                self.state.update_batch(batch["token"], status=remote.status)
                batch["status"] = remote.status
                if remote.request_counts is not None:
                    counts = remote.request_counts.model_dump()
            infos.append(
                BatchInfo(
                    batch_id=batch["batch_id"],
                    round=batch["round"],
                    status=batch["status"],
                    requests=batch["requests"],
                    completed=counts["completed"],
                    failed=counts["failed"],
                    collected=bool(batch["collected"]),
                )
            )
        return infos

    def counts(self) -> dict[str, int]:
        """Articles by state: pending, submitted, done, failed."""
        return self.state.counts()

    # -- collect ----------------------------------------------------------------------------

    def collect(
        self,
        *,
        output_files: Iterable[str | Path] = (),
        finish_live: bool = False,
        resubmit: bool = True,
    ) -> Tally:
        """Take the results of every finished batch (and of ``output_files``, results made
        elsewhere, e.g. by ``vllm run-batch`` from the prepared file); then send what is
        pending again: re-asks and resubmits as a follow-up batch (``resubmit``), or as live
        calls (``finish_live``), up to the same attempt limit as a live call."""
        config = self.config()
        tally = Tally()
        collector = Collector(
            self.state,
            config,
            max_resubmits=self.max_resubmits,
            cache_put=self._cache_put,
            tally=tally,
        )
        for path in output_files:
            data = Path(path).read_bytes()
            label = f"file:{Path(path).name}#{hashlib.sha256(data).hexdigest()[:12]}"
            for line in parse_lines(data, tally):
                collector.take(line, label, any_batch=True)
        external = bool(output_files)
        for batch in self.state.batches():
            if batch["collected"] or not batch["batch_id"]:
                continue
            remote = api.retrieve(self.client, batch["batch_id"])
            self.state.update_batch(batch["token"], status=remote.status)
            if remote.status not in api.TERMINAL:
                continue
            for file_id in (remote.output_file_id, remote.error_file_id):
                if file_id:
                    for line in parse_lines(api.download(self.client, file_id), tally):
                        collector.take(line, remote.id)
            errors = [e.model_dump() for e in (remote.errors.data or [])] if remote.errors else []
            collector.close_batch(remote.id, remote.status, errors)
            self.state.update_batch(batch["token"], collected=1, errors=json.dumps(errors))
        if finish_live:
            for item in self.state.items("pending"):
                collector.finish_live(item, self.client)
        elif resubmit and not external and self._unsent():
            self.submit()
        return tally

    def _unsent(self) -> bool:
        """Requests wait to be sent in a run that sends batches (not one collected from files
        made elsewhere): re-asks, resubmits, or a batch whose sending was interrupted."""
        batches = self.state.batches()
        waiting = self.state.counts().get("pending", 0)
        return bool(batches) and (waiting > 0 or any(not b["batch_id"] for b in batches))

    # -- results ----------------------------------------------------------------------------

    def deliver(
        self, write: Callable[[dict[str, Any]], None], *, already: Iterable[str] = ()
    ) -> int:
        """Hand every final outcome not yet delivered to ``write`` (an ``Outcome.to_json()``
        object), once, in input order, skipping ids in ``already`` (e.g. lines a results file
        holds from an interrupted delivery); how many were written."""
        skip, written = set(already), 0
        for item in self.state.items():
            if item.written or item.outcome is None:
                continue
            if item.custom_id not in skip:
                write(item.outcome)
                written += 1
            self.state.written(item.custom_id)
        return written

    def outcomes(self) -> list[dict[str, Any]]:
        """Every final outcome so far, as ``Outcome.to_json()`` objects, in input order."""
        return [item.outcome for item in self.state.items() if item.outcome is not None]

    def costs(self) -> Costs:
        """The tokens and the cost of the finished articles."""
        return costs_of(self.state, self.config().model)

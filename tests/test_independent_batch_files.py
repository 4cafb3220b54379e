"""Result files as another server writes them: line ends, a byte order mark, vllm's error lines,
cut-off lines; and the independent fake's files collected as files made elsewhere."""

from __future__ import annotations

import json
from pathlib import Path

from minerals_summ.gold import GoldArticle
from minerals_summ.provider_batch import ProviderBatch
from minerals_summ.provider_batch.collect import Tally, parse_lines
from tests.independent_batches import MALFORMED, Fails, IndependentBatchAPI
from tests.test_independent_batches import MODEL, corpus, drafts, failures, sdk


def test_result_lines_end_at_newline_alone() -> None:
    """JSON may hold U+2028, U+2029, U+0085 raw in a string; CRLF ends, a byte order mark, no
    final newline, a bare-string error, a status as a string and cut-off lines are all read."""
    answer = {"custom_id": "a\u2028b", "response": {"status_code": 200, "body": {"x": "1\x852"}}}
    lines = [
        json.dumps(answer, ensure_ascii=False),
        json.dumps({"custom_id": "c", "response": None, "error": "boom\u2029"}, ensure_ascii=False),
        '{"custom_id": "d\\"e", "response": {"status_code": 200, "body": {"choi',
        '{"id": "x", "custom_',
        '{"custom_id": "s", "response": {"status_code": "200", "body": {}}}',
    ]
    data = b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8")
    tally = Tally()
    parsed = list(parse_lines(data, tally))
    assert [(p.custom_id, p.malformed) for p in parsed] == [
        ("a\u2028b", False),
        ("c", False),
        ('d"e', True),
        ("s", False),
    ]
    assert parsed[-1].status_code == 200
    assert parsed[0].body == {"x": "1\x852"}
    assert parsed[1].error == {"message": "boom\u2029"}
    assert tally.malformed == 2


def test_files_made_elsewhere_are_collected_the_same_way(seed: GoldArticle, tmp_path: Path) -> None:
    """The ``vllm run-batch`` route, with the other server's output and error files."""
    good, wrong = drafts(seed)
    requests = tmp_path / "requests.jsonl"
    with ProviderBatch(tmp_path / "r.jsonl", cache=False) as run:
        run.prepare(corpus(seed, 4), model=MODEL, requests_file=requests)
    with IndependentBatchAPI(default=good.draft or {}, bom=True) as api:
        api.script("a1", wrong)
        api.script("a2", Fails(400, "prompt too long", style="vllm"))
        api.script("a3", MALFORMED)
        file = sdk(api).files.create(file=requests, purpose="batch")
        batch = sdk(api).batches.create(
            input_file_id=file.id, endpoint="/v1/chat/completions", completion_window="24h"
        )
        api.complete(batch.id)
        done = sdk(api).batches.retrieve(batch.id)
        paths = []
        for name, file_id in (("out", done.output_file_id), ("err", done.error_file_id)):
            assert file_id is not None
            paths.append(tmp_path / f"{name}.jsonl")
            paths[-1].write_bytes(sdk(api).files.content(file_id).content)
    with ProviderBatch(tmp_path / "r.jsonl", cache=False) as run:
        tally = run.collect(output_files=paths)
        assert (tally.succeeded, tally.reasked, tally.malformed) == (1, 1, 1)
        assert run.collect(output_files=paths).outcomes == []
        assert run.write_requests(tmp_path / "round2.jsonl") == 2  # a1's re-ask, a3 again
        outcomes = run.outcomes()
    assert failures(outcomes) == {"a2": "ItemRejected"}
    assert "prompt too long" in outcomes[-1]["error"]["message"]
    again = [
        json.loads(line)
        for line in (tmp_path / "round2.jsonl").read_text("utf-8").split("\n")
        if line
    ]
    assert [line["custom_id"] for line in again] == ["a1", "a3"]

"""The wheel ships the prompts and the type marker; the prompt loader fails loudly."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from minerals_summ.prompting import load_prompt
from tests.conftest import ROOT


def test_wheel_contains_prompts_and_py_typed(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("minerals_summ-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "minerals_summ/prompts/extract.toml" in names
    assert "minerals_summ/py.typed" in names
    assert not any(name.startswith(("tests/", "cassettes/", "seeds/")) for name in names)


def test_prompt_version_travels_with_a_content_hash() -> None:
    prompt = load_prompt()
    declared, digest = prompt.version.split("+")
    assert declared.isdigit()
    assert len(digest) == 8
    assert "{{ article }}" in prompt.user
    assert "{{" not in prompt.system
    assert "{%" not in prompt.system


def test_a_prompt_with_an_unknown_variable_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from minerals_summ import prompting

    bad = tmp_path / "bad.toml"
    bad.write_text('version = "1"\nsystem = "s"\nuser = "{{ article }} {{ secret }}"\n')

    class Files:
        def joinpath(self, name: str) -> Path:
            return tmp_path / name

    monkeypatch.setattr(prompting.resources, "files", lambda _package: Files())
    with pytest.raises(ValueError, match="unknown variables"):
        prompting.load_prompt.__wrapped__("bad")

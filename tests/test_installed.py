"""The installed console script, run as a user runs it: a subprocess, from a directory outside the repo."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = shutil.which("nichiro", path=str(Path(sys.executable).parent))


def nichiro(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    assert SCRIPT, "the nichiro console script is not installed beside this Python"
    env = {k: v for k, v in os.environ.items() if k != "NICHIRO_FACTS"}
    env["NICHIRO_CACHE_DIR"] = str(cwd / ".cache-for-test")
    return subprocess.run([SCRIPT, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=60)


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("elsewhere")


def test_script_is_installed() -> None:
    assert SCRIPT is not None


def test_bundled_facts_work_from_any_directory(elsewhere: Path) -> None:
    r = nichiro("meetings", "--year", "2016", "--json", cwd=elsewhere)
    assert r.returncode == 0 and r.stderr == ""
    meetings = json.loads(r.stdout)
    assert meetings and all(m["category"] == "meeting" for m in meetings)
    assert "2016-09-02" in {m["date"] for m in meetings}


def test_bundled_base_is_valid(elsewhere: Path) -> None:
    r = nichiro("check", cwd=elsewhere)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith("ok: ")


def test_python_dash_m(elsewhere: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "nichiro", "--version"], cwd=elsewhere, capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith("nichiro ")


def test_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    # Far more output than a pipe buffers, so that the write really fails when head has gone.
    lines = ['[[source]]\nid = "s"\nfile = "s.txt"\ntitle = "S"\npublisher = "P"\ndate = "2020"\n']
    for i in range(3000):
        lines.append(
            f'[[event]]\nid = "2000-event-{i}"\ndate = "2000"\ntitle = "Event {i} {"x" * 60}"\n'
            f'summary = "S."\nkind = "other"\nsources = [{{ source = "s", quote = "q" }}]\n'
        )
    (tmp_path / "many.toml").write_text("".join(lines), encoding="utf-8")
    assert SCRIPT
    shell = f"'{SCRIPT}' --facts-only --facts . timeline | head -1; echo \"status=${{PIPESTATUS[0]}}\""
    r = subprocess.run(["bash", "-c", shell], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    out = r.stdout.splitlines()
    assert len(out) == 2 and out[0].startswith("2000\tevent\tEvent 0 ") and out[1] == "status=0"
    assert r.stderr == ""


def test_no_colour_or_boxes_in_a_pipe(elsewhere: Path) -> None:
    r = nichiro("timeline", "--to", "1950", cwd=elsewhere)
    assert r.returncode == 0
    assert "\x1b[" not in r.stdout and "─" not in r.stdout and "│" not in r.stdout
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    # date, category, title, id, then the marks: status (fact or claim) and span (within or longer)
    assert rows and all(len(row) == 6 and row[4] in ("fact", "claim") for row in rows)
    assert {row[5] for row in rows} <= {"within", "longer"}


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        ("nichiro show 1956-10", 2, ["1956-10-19-soviet-japanese-joint-declaration"]),
        ("nichiro timeline --category tr", 3, ["treaty", "trade"]),
        ("nichiro meetings --kind phone", 3, ["phone-call"]),
        ("nichiro stats --by p", 3, ["person", "place"]),
    ],
)
def test_shell_completion(elsewhere: Path, words: str, cword: int, expected: list[str]) -> None:
    assert SCRIPT
    # As `nichiro completion bash`'s script asks: the words after `nichiro`, up to the one completed.
    env = dict(os.environ, _NICHIRO_COMPLETE="bash", NICHIRO_CACHE_DIR=str(elsewhere / ".cache-for-test"))
    completed = words.split()[1 : cword + 1]
    r = subprocess.run([SCRIPT, *completed], cwd=elsewhere, capture_output=True, text=True, env=env, timeout=60)
    assert [line.split("\t")[0] for line in r.stdout.splitlines()] == expected
    assert r.returncode == 0 and r.stderr == ""

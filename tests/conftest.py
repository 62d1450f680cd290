"""Shared test helpers: the fixture fact base, the CLI run with stdout and stderr apart."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from nichiro import cli, fast

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"
REPO = Path(__file__).resolve().parent.parent


def shared_sources() -> Path | None:
    """The source texts (../shared/sources beside the repository, or NICHIRO_SOURCES), if present."""
    path = Path(os.environ.get("NICHIRO_SOURCES", REPO.parent / "shared" / "sources"))
    return path if path.is_dir() else None


def needs_sources() -> Path:
    """The source texts; skip (fail in CI, which has them) when they are absent."""
    path = shared_sources()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have the source texts in ../shared/sources")
        pytest.skip("the source texts (../shared/sources) are not here: a fresh clone has none")
    return path


def needs_datasette() -> None:
    """Datasette (the web extra); skip where it is not installed (fail in CI, which installs it)."""
    import importlib.util

    if importlib.util.find_spec("datasette") is None:
        if os.environ.get("CI"):
            pytest.fail('CI must install the web extra: pip install ".[test,web]"')
        pytest.skip('Datasette is not installed: pip install ".[test,web]" runs these tests')


def needs_chromium() -> str:
    """A headless Chromium to drive; skip where there is none (fail in CI, whose .ci/run installs it)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have a Chromium: .ci/run installs Debian's chromium")
        pytest.skip("no chromium on PATH: the real-browser check needs one (apt-get install chromium)")
    return found


def needs_unprivileged() -> None:
    """Skip as root, who may read anything: `.ci/run` runs these tests again as an unprivileged user."""
    if os.geteuid() == 0:
        pytest.skip("running as root, who may read anything: .ci/run runs this as an unprivileged user")


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the developer's own cache: each gets an empty one of its own (and so
    does every nichiro a test starts: subprocesses inherit it)."""
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(params=["typer", "fast"])
def run(
    request: pytest.FixtureRequest,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
):
    """Run the CLI in-process; returns exit code, stdout and stderr separately.

    Every test runs twice: through typer, and through the console script's fast path (which hands
    what it cannot parse to typer): both must behave the same.
    """
    main = cli.main if request.param == "typer" else fast.main
    monkeypatch.delenv("NICHIRO_FACTS", raising=False)
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")

    def _run(*args: str) -> Result:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(int(code), captured.out, captured.err)

    return _run


@pytest.fixture
def facts_dir(tmp_path: Path) -> Path:
    """A writable copy of the good fixture base."""
    target = tmp_path / "facts"
    shutil.copytree(GOOD, target)
    return target

"""The package as built: the wheel ships what the tool needs, the sdist everything its own tests read."""

from __future__ import annotations

import email.parser
import importlib.util
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO

STYLES = REPO / "nichiro" / "styles"

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

# Files of the repository that the sdist leaves out on purpose: CI's own script, git's settings.
NOT_IN_SDIST = (".ci/", ".gitignore")
# What a walk of a tree without git skips: what a build, a test run or a venv leaves behind (and every
# hidden directory: .venv, .hypothesis, the caches).
_LEFTOVERS = {"dist", "build", "__pycache__"}


def _builder_available() -> None:
    if importlib.util.find_spec("build") is None or importlib.util.find_spec("hatchling") is None:
        pytest.skip("building the package needs `build` and `hatchling` (pip install '.[test]')")


def _source_files() -> set[str]:
    """The files of the source tree: git's list in a clone, else the tree itself (an unpacked sdist)."""
    if (REPO / ".git").exists() and shutil.which("git"):
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True)
        return {p for p in listed.stdout.split("\0") if p and (REPO / p).is_file()}
    files = set()
    for path in REPO.rglob("*"):
        rel = path.relative_to(REPO)
        dirs = rel.parts[:-1]
        if any(d in _LEFTOVERS or d.startswith(".") or d.endswith(".egg-info") for d in dirs):
            continue
        if path.is_file() and path.suffix not in (".pyc", ".db"):
            files.add(rel.as_posix())
    return files - {"PKG-INFO"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    _builder_available()
    out = tmp_path_factory.mktemp("dist")
    # No isolation: the test requirements hold the build backend, so no network is needed.
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
        text=True,
    )
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return {"sdist": sdist, "wheel": wheel}


def test_sdist_holds_what_the_tests_need(built: dict[str, Path]) -> None:
    with tarfile.open(built["sdist"]) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    expected = {f for f in _source_files() if not f.startswith(NOT_IN_SDIST)}
    missing = sorted(expected - names)
    assert not missing, f"the sdist lacks files of the repository (add them to the sdist's include): {missing}"
    for needed in ("scripts/gen_cli_docs.py", ".taplo.toml", "LICENSE", "tests/conftest.py"):
        assert needed in names


def test_wheel_ships_licence_types_facts_and_schemas(built: dict[str, Path]) -> None:
    with zipfile.ZipFile(built["wheel"]) as whl:
        names = set(whl.namelist())
        meta = email.parser.Parser().parsestr(
            whl.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        )
        licence = whl.read(next(n for n in names if n.endswith(".dist-info/licenses/LICENSE"))).decode()
    assert licence == (REPO / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence and "CC BY-SA" in licence  # the code's licence and the quotes'
    assert "nichiro/styles/" in licence and "CC BY-SA 3.0" in licence  # the CSL styles shipped for cite
    assert meta["License-Expression"] == "MIT AND CC-BY-SA-3.0"
    assert {n for n in names if n.endswith(".csl")} == {f"nichiro/styles/{p.name}" for p in STYLES.glob("*.csl")}
    assert "nichiro/py.typed" in names
    page = next(n for n in names if n.endswith(".data/data/share/man/man1/nichiro.1"))
    assert page.startswith("nichiro-")  # installed as <venv>/share/man/man1/nichiro.1
    assert "nichiro/schemas/facts.schema.json" in names
    shipped_facts = {n.removeprefix("nichiro/facts/") for n in names if n.startswith("nichiro/facts/")}
    assert shipped_facts == {p.name for p in (REPO / "facts").glob("*.toml")}


def test_the_console_script_is_nichiros_own(built: dict[str, Path]) -> None:
    """bin/nichiro, installed as the console script: nothing an installer writes runs before it can catch
    Ctrl-C (pip's script for an entry point starts with `import re`: docs/reliability.md)."""
    with zipfile.ZipFile(built["wheel"]) as whl:
        names = set(whl.namelist())
        (script,) = [n for n in names if re.fullmatch(r"nichiro-[^/]+\.data/scripts/nichiro", n)]
        shipped = whl.read(script).decode()
        entry_points = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        console_scripts = whl.read(entry_points[0]).decode() if entry_points else ""
    assert shipped.startswith("#!python\n")  # the installer puts the environment's Python here
    assert shipped.split("\n", 1)[1] == (REPO / "bin" / "nichiro").read_text(encoding="utf-8").split("\n", 1)[1]
    assert "console_scripts" not in console_scripts  # no second `nichiro` written by the installer
    code = [line for line in shipped.splitlines()[1:] if line.strip() and not line.startswith("#")]
    assert code[:2] == ["import sys", "try:"]


def test_classifiers_name_every_supported_python() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lowest = re.fullmatch(r">=3\.(\d+)", project["requires-python"])
    assert lowest, project["requires-python"]
    versions = {
        int(m) for c in project["classifiers"] for m in re.findall(r"^Programming Language :: Python :: 3\.(\d+)$", c)
    }
    assert min(versions) == int(lowest.group(1))
    assert versions == set(range(min(versions), max(versions) + 1))  # no gap
    assert "Typing :: Typed" in project["classifiers"]


def test_the_man_page_is_generated_from_the_app_and_fresh() -> None:
    spec = importlib.util.spec_from_file_location("gen_man", REPO / "scripts" / "gen_man.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    committed = (REPO / "nichiro.1").read_text(encoding="utf-8")
    assert gen.render() == committed, "nichiro.1 is stale: run `python scripts/gen_man.py`"
    from nichiro.options import walk

    for path, command in walk():  # every command and every option of it is in the page
        if path and not command.commands:
            assert ".SS " + " ".join(["nichiro", *path]).replace("-", "\\-") in committed, path
            for opt in command.options:
                assert opt.flags[0].replace("-", "\\-") in committed, (path, opt.flags)


def test_man_renders_the_page_without_warnings() -> None:
    man = shutil.which("man")
    if man is None:
        pytest.skip("no man here")
    r = subprocess.run(
        [man, "--warnings", "-l", str(REPO / "nichiro.1")],
        capture_output=True,
        text=True,
        env={"MANWIDTH": "100", "PATH": "/usr/bin:/bin", "MANPAGER": "cat", "PAGER": "cat", "LANG": "C.UTF-8"},
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert "NICHIRO(1)" in r.stdout and "nichiro completion" in r.stdout and "EXIT STATUS" in r.stdout

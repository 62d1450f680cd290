"""The fault battery (issue 16): every fault the red team found, reproduced; the store and the CLI must hold.

Each test is named after what must hold and says which item of the issue it reproduces. Tests that
need a user other than root are marked `unprivileged`: as root they skip, and `.ci/run` runs them
again as an unprivileged user (docs/reliability.md).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from nichiro.errors import ExitCode

from .conftest import GOOD

F = ("--facts-only", "--facts", str(GOOD))
SCRIPT = shutil.which("nichiro", path=str(Path(sys.executable).parent))
# The installed console script; beside a Python without it (CI's unprivileged run), `python -m nichiro`.
CONSOLE = [SCRIPT] if SCRIPT else [sys.executable, "-m", "nichiro"]
ROOT = os.geteuid() == 0
IO_ERROR = getattr(ExitCode, "IO_ERROR", 74)
needs_root = pytest.mark.skipif(not ROOT, reason="needs root: to make a file another user's")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache directory, as nichiro makes one (it does not exist yet)."""
    home = tmp_path / "cache"
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(home))
    return home


def the_store(cache: Path) -> Path:
    (path,) = [p for p in cache.iterdir() if re.fullmatch(r"store-[0-9a-f]{8}\.sqlite", p.name)]
    return path


def console(*args: str, cache: Path, timeout: float = 60, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """The console script, run as a user runs it, with its own cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NICHIRO_")}
    env["NICHIRO_CACHE_DIR"] = str(cache)
    env.update(kwargs.pop("env", {}))  # type: ignore[call-overload]
    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(
        [*CONSOLE, *args],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        timeout=timeout,
        **kwargs,  # type: ignore[call-overload]
    )


def one_line_error(err: str) -> bool:
    return err.startswith("nichiro: error: ") and err.count("\n") == 1 and "Traceback" not in err


def many_facts(directory: Path, n: int) -> Path:
    """A fact file of n events, big enough that building its store takes a while."""
    directory.mkdir(parents=True, exist_ok=True)
    lines = ['[[source]]\nid = "s"\nfile = "s.txt"\ntitle = "S"\npublisher = "P"\ndate = "2020"\n']
    for i in range(n):
        lines.append(
            f'[[event]]\nid = "2000-event-{i}"\ndate = "2000"\ntitle = "Event {i} of many {"word " * 12}"\n'
            f'summary = "Summary {i}: {"more words here " * 6}"\nkind = "other"\n'
            f'sources = [{{ source = "s", quote = "quote {i}" }}]\n'
        )
    (directory / "many.toml").write_text("".join(lines), encoding="utf-8")
    return directory


# --------------------------------------------------------------------------- 1. planted symlinks


def _foreign_database(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.execute("INSERT INTO notes VALUES ('mine')")
    conn.close()


# --------------------------------------------------------------------------- 3. export targets


def _targets(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """(kind, target, what must not change) for each target that is not a regular file."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    yield "fifo", fifo, fifo
    precious = tmp_path / "precious.txt"
    precious.write_text("precious", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(precious)
    yield "symlink", link, precious
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    yield "dangling symlink", dangling, dangling
    if ROOT:
        device = tmp_path / "null"
        try:
            os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except OSError:
            return
        yield "device", device, device


def _fingerprint(path: Path) -> tuple[int, int, bytes]:
    st = path.lstat()
    body = path.read_bytes() if stat.S_ISREG(st.st_mode) else os.readlink(path).encode() if path.is_symlink() else b""
    return st.st_mode, st.st_ino, body


@pytest.mark.parametrize("fmt", ["json", "sqlite"])
@pytest.mark.parametrize("force", [True, False])
def test_3_export_replaces_only_a_regular_file(run, tmp_path: Path, fmt: str, force: bool) -> None:
    for kind, target, kept in _targets(tmp_path):
        before = _fingerprint(kept)
        r = run(*F, "export", fmt, str(target), *(["--force"] if force else []))
        assert r.code == ExitCode.USAGE, (kind, r)
        assert one_line_error(r.err) and str(target) in r.err, (kind, r.err)
        assert _fingerprint(kept) == before, kind
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


# --------------------------------------------------------------------------- 4. damage never detected

_INDEX_ENTRY = re.compile(rb"\x05\x08!![\x01\x02](\d{4}-\d\d-\d\d)(\d{4}-\d\d-\d\d)")  # (wide=0, lo, hi, n)


def _pages(data: bytes, kind: int) -> Iterator[tuple[int, int]]:
    """The byte ranges of the pages of one b-tree kind (0x0a: index leaf, 0x0d: table leaf)."""
    size = int.from_bytes(data[16:18], "big")
    size = 65536 if size == 1 else size
    for start in range(0, len(data), size):
        if data[start + (100 if start == 0 else 0)] == kind:
            yield start, start + size


def _flip_index_dates(data: bytes, day: bytes) -> bytes:
    """Make the facts of this day end 1,000 years early in the date index alone: the b-tree stays
    well formed, the table and every checksum stay right."""
    out = bytearray(data)
    hits = 0
    for start, end in _pages(data, 0x0A):
        for m in _INDEX_ENTRY.finditer(data, start, end):
            if m[1] == day:
                out[m.start(2)] = ord("1")
                hits += 1
    assert hits, "no date index entry found: has the layout changed?"
    return bytes(out)


# --------------------------------------------------------------------------- 5. planted and hostile stores


def _poison(path: Path) -> None:
    """A title changed in the store, its checksum recomputed: only trust in who wrote it stops it."""
    with sqlite3.connect(path) as conn:
        for n, blob in conn.execute("SELECT n, record FROM records").fetchall():
            rec = json.loads(blob)
            rec["title"] = "POISONED"
            new = json.dumps(rec, ensure_ascii=False).encode()
            conn.execute("UPDATE records SET record = ?, crc = ? WHERE n = ?", (new, zlib.crc32(new), n))
    conn.close()


# --------------------------------------------------------------------------- 7. NUL and newlines in fields


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('id = "2014-finally-met"', 'id = "2014-finally-met\\n"', "id"),
        ('title = "', 'title = "\\u0000', "title"),
        ('summary = "', 'summary = "\\u0000', "summary"),
    ],
)
def test_7_a_nul_or_a_trailing_newline_is_invalid(run, facts_dir: Path, old: str, new: str, field: str) -> None:
    path = facts_dir / "base.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    r = run("--facts-only", "--facts", str(facts_dir), "check")
    assert r.code == ExitCode.INVALID_FACTS, r
    assert re.search(rf"base\.toml:\d+: .*: {field}: ", r.out), r.out


# --------------------------------------------------------------------------- 8. check --sources, unreadable files


def test_8_check_sources_on_a_missing_directory_is_a_usage_error(run) -> None:
    r = run(*F, "check", "--sources", "/nonexistent")
    assert r.code == ExitCode.USAGE and one_line_error(r.err) and "/nonexistent" in r.err


def test_8_check_sources_names_the_missing_texts_and_counts_only_quotes(run, tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(GOOD.parent / "sources" / "a.txt", sources / "a.txt")  # b.txt missing
    r = run(*F, "check", "--sources", str(sources))
    assert r.code == ExitCode.QUOTES_NOT_FOUND and one_line_error(r.err)
    assert "b.txt" in r.out and "missing" in r.out
    assert "quote not found" not in r.out  # the quotes of a missing text are not "not found"
    assert "1 of 2 source texts" in r.err, r.err


# --------------------------------------------------------------------------- 9. Ctrl-C


@pytest.mark.parametrize(
    ("module", "args"),
    [
        ("fast", ["--version"]),  # the first module the console script imports
        ("options", ["--help"]),  # the declaration, read by every command line
        ("helptext", ["--help"]),
        ("typer", ["--no-such-option"]),  # a line for typer
        ("sqlite3", ["search", "Putin"]),  # the store
    ],
)
def test_9_an_interrupt_while_importing_ends_quietly_with_130(tmp_path: Path, module: str, args: list[str]) -> None:
    """Ctrl-C in the first milliseconds arrives during an import: the console script catches it there too."""
    code = (
        "import builtins, sys\n"
        "real = builtins.__import__\n"
        "def interrupted(name, *args, **kwargs):\n"
        f"    if name == {module!r}:\n"
        "        raise KeyboardInterrupt\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = interrupted\n"
        "sys.argv = ['nichiro', *sys.argv[1:]]\n"
        "import runpy\n"
        "runpy.run_module('nichiro', run_name='__main__')\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={**os.environ, "NICHIRO_CACHE_DIR": str(tmp_path / "c")},
    )
    assert (r.returncode, r.stdout, r.stderr) == (130, "", "")


# --------------------------------------------------------------------------- 10. not bugs, not exit 70


NOT_UTF8 = os.fsdecode(b"facts-\xff\xfe")


@pytest.mark.parametrize("args", [("show", "\udcff"), ("search", "abe \udcff"), ("meetings", "--person", "\udcff")])
def test_10_arguments_that_are_not_utf8(run, args: tuple[str, ...]) -> None:
    r = run(*F, *args)
    assert r.code in (ExitCode.NOT_FOUND, ExitCode.USAGE), r
    assert one_line_error(r.err) and "\\xff" in r.err


def test_10_toml_nested_too_deep_names_file_and_line(run, tmp_path: Path) -> None:
    (tmp_path / "deep.toml").write_text(
        '[[event]]\nid = "2000-x"\n\nx = ' + "[" * 2000 + "]" * 2000 + "\n", encoding="utf-8"
    )
    r = run("--facts-only", "--facts", str(tmp_path), "timeline")
    assert r.code == ExitCode.INVALID_FACTS and one_line_error(r.err), r
    assert re.search(r"deep\.toml:4: .*nested", r.err), r.err


def test_10_stdout_on_a_full_disk(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        r = console(*F, "timeline", cache=tmp_path / "c", stdout=full)
    assert r.returncode == IO_ERROR and one_line_error(r.stderr), r
    assert "No space left on device" in r.stderr and "standard output" in r.stderr


def test_10_stdout_closed(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NICHIRO_")}
    env["NICHIRO_CACHE_DIR"] = str(tmp_path / "c")
    cmd = " ".join(f"'{a}'" for a in [*CONSOLE, *F, "timeline"])
    r = subprocess.run(["bash", "-c", f"{cmd} >&-"], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == IO_ERROR and one_line_error(r.stderr), r
    assert "standard output" in r.stderr


@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
def test_10_a_source_text_that_is_not_a_file(tmp_path: Path, kind: str) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(GOOD.parent / "sources" / "a.txt", sources / "a.txt")
    odd = sources / "b.txt"
    if kind == "fifo":
        os.mkfifo(odd)
    elif kind == "device":
        odd.symlink_to("/dev/zero")
    else:
        odd.mkdir()
    r = console(*F, "check", "--sources", str(sources), cache=tmp_path / "c", timeout=20)
    assert r.returncode == ExitCode.QUOTES_NOT_FOUND and one_line_error(r.stderr), r
    assert "b.txt" in r.stdout and "not a regular file" in r.stdout


# --------------------------------------------------------------------------- 11. temporary files


def _wait_for(predicate: object, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.005)
    return False


def test_11_export_json_on_a_directory_with_force_leaves_nothing(run, tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    r = run(*F, "export", "json", str(target), "--force")
    assert r.code == ExitCode.USAGE and one_line_error(r.err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"] and list(target.iterdir()) == []


def test_11_export_json_interrupted_leaves_nothing(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.replace

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    r = run(*F, "export", "json", str(tmp_path / "facts.json"))
    monkeypatch.setattr(os, "replace", real)
    assert r.code == 130
    assert list(tmp_path.iterdir()) == []


def _limited(limit: int) -> object:
    """For a child process: files may grow to `limit` bytes; a write beyond fails (EFBIG), as on a full disk."""

    def apply() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.parametrize("fmt", ["json", "sqlite"])
def test_11_export_on_a_full_disk_names_the_file_and_leaves_nothing(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"facts.{fmt}"
    r = console("export", fmt, str(target), cache=tmp_path / "c", preexec_fn=_limited(20_000))
    assert r.returncode == IO_ERROR and one_line_error(r.stderr), r
    assert str(target) in r.stderr
    assert list(out.iterdir()) == []


# --------------------------------------------------------------------------- 12. escaping in messages


@pytest.mark.parametrize(
    "args",
    [
        ("--facts", "a\n\x1b[31mred\x07", "timeline"),
        ("export", "json", "/nonexistent/\x1b]0;title\x07\n.json"),
    ],
)
def test_12_messages_escape_what_a_user_gave(run, args: tuple[str, ...]) -> None:
    r = run(*args)
    assert r.code in (ExitCode.USAGE, ExitCode.INVALID_FACTS, IO_ERROR), r
    assert one_line_error(r.err), r.err
    assert "\x1b" not in r.err and "\x07" not in r.err and "\\x1b" in r.err


def test_12_check_escapes_file_names_in_what_it_prints(run, tmp_path: Path) -> None:
    odd = tmp_path / "odd\x1b[2J\nname.toml"
    odd.write_text("[[event]\n", encoding="utf-8")
    r = run("--facts-only", "--facts", str(tmp_path), "check")
    assert r.code == ExitCode.INVALID_FACTS
    assert "\x1b" not in r.out + r.err and len(r.out.splitlines()) == 1 and "\\x1b[2J\\nname.toml" in r.out


# --------------------------------------------------------------------------- 13. one exit code, whichever parser


def _into_a_closed_pipe(args: list[str], cache: Path) -> subprocess.CompletedProcess[bytes]:
    """Run with stdout a pipe nobody reads from any more: the first write fails with EPIPE."""
    read, write = os.pipe()
    os.close(read)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NICHIRO_")}
    env |= {"NICHIRO_CACHE_DIR": str(cache), "COLUMNS": "100"}
    try:
        return subprocess.run([*CONSOLE, *args], stdout=write, stderr=subprocess.PIPE, env=env, timeout=60)
    finally:
        os.close(write)


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],  # typer
        ["meetings", "--help"],
        ["timeline", "--format", "table"],  # rich
        ["timeline"],  # the fast path, plain
        ["show", "1956-10-19-soviet-japanese-joint-declaration", "--json"],
    ],
)
def test_13_a_closed_pipe_ends_quietly_whoever_writes(tmp_path: Path, args: list[str]) -> None:
    r = _into_a_closed_pipe(args, tmp_path / "c")
    assert (r.returncode, r.stderr) == (0, b""), args


# --------------------------------------------------------------------------- 17. smaller items


def test_17_export_json_writes_with_the_umask(run, tmp_path: Path) -> None:
    target = tmp_path / "facts.json"
    r = run(*F, "export", "json", str(target))
    assert r.code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


# --------------------------------------------------------------------------- the same class elsewhere


@pytest.mark.parametrize("name", ["../secret.txt", "{tmp}/secret.txt"])
def test_a_source_text_outside_the_sources_directory_is_not_read(
    run, facts_dir: Path, tmp_path: Path, name: str
) -> None:
    name = name.format(tmp=tmp_path)
    path = facts_dir / "base.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('file = "b.txt"', f'file = "{name}"'), "utf-8")
    sources = tmp_path / "sources"
    shutil.copytree(GOOD.parent / "sources", sources)
    shutil.move(sources / "b.txt", tmp_path / "secret.txt")  # the right text, but outside the directory
    r = run("--facts-only", "--facts", str(facts_dir), "check", "--sources", str(sources))
    assert r.code in (ExitCode.INVALID_FACTS, ExitCode.QUOTES_NOT_FOUND), r
    assert "secret.txt" in r.out + r.err

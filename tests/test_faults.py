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
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from nichiro import store
from nichiro.errors import ExitCode

from .conftest import GOOD, needs_unprivileged

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


@pytest.mark.parametrize("victim_kind", ["empty file", "database"])
def test_1_a_symlink_planted_where_the_store_is_built_is_never_written_through(
    run, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, victim_kind: str
) -> None:
    """An attacker who can write to the cache plants a symlink at any name the moment it is free."""
    victim = tmp_path / "victim.db"
    victim.touch()
    if victim_kind == "database":
        _foreign_database(victim)
    before = victim.read_bytes()
    real_unlink = os.unlink

    def unlink_and_plant(path: str | os.PathLike[str], *args: object, **kwargs: object) -> None:
        try:
            real_unlink(path, *args, **kwargs)  # type: ignore[arg-type]
        finally:  # removed or not there: either way the name is free, and the attacker takes it
            if os.path.dirname(os.path.abspath(path)) == str(cache) and not os.path.lexists(path):
                os.symlink(victim, path)  # the race won: the name is the attacker's now

    monkeypatch.setattr(os, "unlink", unlink_and_plant)
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(cache))
    r = run(*F, "meetings", "--year", "2016", "--json")
    monkeypatch.setattr(os, "unlink", real_unlink)
    assert r.code == 0 and len(json.loads(r.out)) == 2
    assert victim.read_bytes() == before


def test_1_a_store_path_that_is_a_symlink_is_replaced_not_written_through(
    run, cache: Path, facts_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(cache))
    args = ("--facts-only", "--facts", str(facts_dir), "timeline", "--json")
    run(*args)
    path = the_store(cache)
    victim = tmp_path / "victim.sqlite"
    shutil.move(path, victim)  # a store of ours, elsewhere: the symlink leads to a file worth writing to
    path.symlink_to(victim)
    before = victim.read_bytes()
    (facts_dir / "more.toml").write_text(
        '[[event]]\nid = "2020-x"\ndate = "2020"\ntitle = "X"\nsummary = "X."\nkind = "other"\n'
        'sources = [{ source = "src-a", quote = "q" }]\n',
        encoding="utf-8",
    )
    r = run(*args)
    assert r.code == 0 and "2020-x" in r.out
    assert victim.read_bytes() == before
    assert not path.is_symlink() and path.is_file()


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757])
def test_1_a_cache_directory_others_may_write_is_not_used(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(mode)
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(shared))
    r = run(*F, "meetings", "--year", "2016", "--json")
    assert r.code == 0 and len(json.loads(r.out)) == 2
    assert list(shared.iterdir()) == []
    assert r.err.startswith("nichiro: warning: ") and r.err.count("\n") == 1 and str(shared) in r.err


@needs_root
def test_1_a_cache_directory_of_another_user_is_not_used(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o755)
    os.chown(theirs, 65534, 65534)
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(theirs))
    r = run(*F, "meetings", "--year", "2016", "--json")
    assert r.code == 0 and len(json.loads(r.out)) == 2
    assert list(theirs.iterdir()) == []
    assert r.err.startswith("nichiro: warning: ") and str(theirs) in r.err


# --------------------------------------------------------------------------- 2. pruning


def test_2_pruning_deletes_only_what_nichiro_wrote(run, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.mkdir(mode=0o700)
    mine = [cache / f"store-{i:08x}.sqlite" for i in range(12)] + [cache / "store-backup.sqlite"]
    for path in mine:
        _foreign_database(path)
    (cache / "store-notes.tmp").write_text("my notes", encoding="utf-8")
    (cache / "store-0.sqlite.123.tmp").write_text("my notes too", encoding="utf-8")
    for path in cache.iterdir():
        os.utime(path, (0, 0))  # old: nothing spares them but their not being nichiro's
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(cache))
    r = run(*F, "meetings", "--json")
    assert r.code == 0
    for path in mine:
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT text FROM notes").fetchall() == [("mine",)]
        conn.close()
    assert (cache / "store-notes.tmp").read_text(encoding="utf-8") == "my notes"
    assert (cache / "store-0.sqlite.123.tmp").read_text(encoding="utf-8") == "my notes too"


def test_2_pruning_still_keeps_the_cache_small(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for version in range(store._KEEP + 3):  # stores of other versions, as upgrades leave them
        monkeypatch.setattr(store, "FORMAT", 1000 + version)
        store.load([GOOD])
        time.sleep(0.01)
    stores = [p for p in cache.iterdir() if p.name.endswith(".sqlite")]
    assert len(stores) == store._KEEP


def test_2_a_database_of_another_program_at_the_stores_name_is_left_alone(
    run, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(cache))
    good = run(*F, "timeline", "--json")
    path = the_store(cache)
    path.unlink()
    _foreign_database(path)
    r = run(*F, "timeline", "--json")
    assert (r.code, r.out) == (0, good.out)
    assert "warning" in r.err and r.err.count("\n") == 1
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT text FROM notes").fetchall() == [("mine",)]
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


def test_4_damage_in_an_index_never_gives_a_wrong_answer(run, monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(cache))
    args = ("meetings", "--year", "2016", "--json")
    good = run(*args)
    assert "2016-09-02" in good.out
    path = the_store(cache)
    path.write_bytes(_flip_index_dates(path.read_bytes(), b"2016-09-02"))
    again = run(*args)
    assert (again.code, again.out) == (0, good.out)


def test_4_the_integrity_check_runs_only_when_something_else_wrote_the_store(
    cache: Path, facts_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The decision of docs/reliability.md: integrity_check costs 1 s at 100,000 facts, so it runs
    when the store's mtime is not the one nichiro sealed it with, and not on a run over a store that
    nichiro wrote, built or updated."""
    checks: list[str] = []
    real = store._check_integrity
    monkeypatch.setattr(store, "_check_integrity", lambda conn: checks.append("checked") or real(conn))
    store.load([facts_dir]).conn.close()  # built
    store.load([facts_dir]).conn.close()
    (facts_dir / "more.toml").write_text(
        '[[event]]\nid = "2020-x"\ndate = "2020"\ntitle = "X"\nsummary = "X."\nkind = "other"\n'
        'sources = [{ source = "src-a", quote = "q" }]\n',
        encoding="utf-8",
    )
    store.load([facts_dir]).conn.close()  # updated
    store.load([facts_dir]).conn.close()
    assert checks == []
    os.utime(the_store(cache))  # written by something else, as far as anyone can tell
    store.load([facts_dir]).conn.close()
    store.load([facts_dir]).conn.close()  # checked once, and sealed again
    assert checks == ["checked"]


def _shift_a_facts_row(data: bytes, fact_id: bytes) -> bytes:
    """Damage the header of a fact's row in `facts` as one flipped bit does: its `fid` (a one-byte
    integer, serial type 1) is made a text of 10 bytes (serial type 0x21), so that every column after
    it is read from the wrong place. No checksum covers this table; only integrity_check (which runs
    when the mtime changed) compares the row with its indexes."""
    out = bytearray(data)
    header = re.compile(
        rb"[\x0b-\x0e]\x00" + bytes([len(fact_id) * 2 + 13]) + rb"\x01\x1b" + rb"[^\x00]{6,7}" + re.escape(fact_id)
    )
    hits = 0
    for start, end in _pages(data, 0x0D):
        for m in header.finditer(data, start, end):
            out[m.start() + 3] ^= 0x20
            hits += 1
    assert hits == 1, f"{hits} rows of {fact_id!r} found: has the layout changed?"
    return bytes(out)


def test_4_a_facts_row_whose_columns_shifted_is_damage(run, monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    """Found by benchmarks/faults.py (bit rot, the mtime kept, seed 29): search read the category of a
    row whose columns had shifted and dropped the fact from its answer, exit 0. The row's sort key,
    which ends with its id, now gives the damage away."""
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(cache))
    args = ("search", "Putin Abe", "--json")
    good = run(*args)
    assert "2013-06-17-putin-abe-lough-erne-g8" in good.out
    path = the_store(cache)
    sealed = path.stat().st_mtime_ns
    path.write_bytes(_shift_a_facts_row(path.read_bytes(), b"2013-06-17-putin-abe-lough-erne-g8"))
    os.utime(path, ns=(sealed, sealed))  # below the file system: the seal cannot see it
    again = run(*args)
    assert (again.code, again.out) == (0, good.out)


@pytest.mark.parametrize("seed", range(12))
def test_4_random_bit_flips_never_give_a_wrong_answer(
    run, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory, seed: int
) -> None:
    import random

    from nichiro.paths import bundled_dir

    cache = tmp_path_factory.mktemp("flips")
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(cache))
    # The bundled facts, copied: the answers before and after the damage come from the same files,
    # whatever happens meanwhile to the working tree the package is installed from (a rebase, a stash).
    facts = tmp_path_factory.mktemp("facts") / "facts"
    shutil.copytree(bundled_dir(), facts)
    base = ("--facts-only", "--facts", str(facts))
    queries = [
        (*base, "meetings", "--year", "2016", "--json"),
        (*base, "search", "Putin Abe", "--json"),
        (*base, "timeline", "--json"),
    ]
    good = [run(*q) for q in queries]
    assert all(g.code == 0 and g.out for g in good), good
    path = the_store(cache)
    data = bytearray(path.read_bytes())
    rnd = random.Random(seed)
    for _ in range(8):
        at = rnd.randrange(len(data))
        data[at] ^= 1 << rnd.randrange(8)
    path.write_bytes(bytes(data))
    for q, g in zip(queries, good, strict=True):
        r = run(*q)
        assert (r.code, r.out) == (g.code, g.out), q


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


def test_5_a_store_others_may_write_to_is_not_trusted(run, monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(cache))
    good = run(*F, "timeline", "--json")
    path = the_store(cache)
    _poison(path)
    path.chmod(0o666)
    r = run(*F, "timeline", "--json")
    assert (r.code, r.out) == (0, good.out) and "POISONED" not in r.out


@needs_root
def test_5_a_store_of_another_user_is_not_trusted(run, monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(cache))
    good = run(*F, "timeline", "--json")
    path = the_store(cache)
    _poison(path)
    os.chown(path, 65534, 65534)
    r = run(*F, "timeline", "--json")
    assert (r.code, r.out) == (0, good.out) and "POISONED" not in r.out


def test_5_a_recursive_view_planted_as_meta_does_not_hang(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert console(*F, "timeline", "--json", cache=cache).returncode == 0
    path = the_store(cache)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE meta")
        conn.execute(
            "CREATE VIEW meta(key, value) AS WITH RECURSIVE forever(k) AS "
            "(SELECT 1 UNION ALL SELECT k + 1 FROM forever) SELECT 'x', k FROM forever"
        )
    conn.close()
    r = console(*F, "timeline", "--json", cache=cache, timeout=30)
    assert r.returncode == 0 and json.loads(r.stdout)


def test_5_a_unit_that_unpickles_to_nonsense_is_damage(
    run, monkeypatch: pytest.MonkeyPatch, cache: Path, facts_dir: Path
) -> None:
    import pickle

    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(cache))
    extra = facts_dir / "more.toml"
    extra.write_text(
        '[[event]]\nid = "2020-x"\ndate = "2020"\ntitle = "X"\nsummary = "X."\nkind = "other"\n'
        'sources = [{ source = "src-a", quote = "q" }]\n',
        encoding="utf-8",
    )
    args = ("--facts-only", "--facts", str(facts_dir), "timeline", "--json")
    run(*args)
    nonsense = zlib.compress(pickle.dumps(("base.toml", [1, 2, 3])))  # allowed types, wrong shape
    with sqlite3.connect(the_store(cache)) as conn:
        conn.execute(
            "UPDATE files SET unit = ?, crc = ? WHERE unit = (SELECT unit FROM files ORDER BY fid LIMIT 1)",
            (nonsense, zlib.crc32(nonsense)),
        )
    conn.close()
    extra.write_text(extra.read_text(encoding="utf-8").replace('title = "X"', 'title = "Y"'), encoding="utf-8")
    r = run(*args)
    assert r.code == 0, r.err
    assert [f["title"] for f in json.loads(r.out) if f["id"] == "2020-x"] == ["Y"]


# --------------------------------------------------------------------------- 6. edits that keep size and mtime


def test_6_an_edit_that_keeps_size_and_mtime_is_seen(
    run, monkeypatch: pytest.MonkeyPatch, cache: Path, facts_dir: Path
) -> None:
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(cache))
    path = facts_dir / "base.toml"
    args = ("--facts-only", "--facts", str(facts_dir), "show", "2016-09-02-putin-abe-vladivostok", "--json")
    assert "Vladivostok" in json.loads(run(*args).out)["title"]
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "Putin and Abe meet in Vladivostok" in text
    path.write_text(text.replace("Putin and Abe meet in Vladivostok", "Putin and Abe meet in Vladiwostok"), "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # as cp -p, rsync -t and tar x leave it
    assert path.stat().st_size == st.st_size
    assert json.loads(run(*args).out)["title"] == "Putin and Abe meet in Vladiwostok"


def test_6_a_file_replaced_by_another_with_the_same_size_and_mtime_is_seen(
    run, monkeypatch: pytest.MonkeyPatch, cache: Path, facts_dir: Path
) -> None:
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(cache))
    path = facts_dir / "base.toml"
    args = ("--facts-only", "--facts", str(facts_dir), "show", "2016-09-02-putin-abe-vladivostok", "--json")
    run(*args)
    st = path.stat()
    new = facts_dir / "new.tmp"
    new.write_text(path.read_text(encoding="utf-8").replace("Vladivostok", "Vladiwostok"), encoding="utf-8")
    os.utime(new, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(new, path)  # a new inode, as rsync and tar x make
    assert "Vladiwostok" in json.loads(run(*args).out)["title"]


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


@pytest.mark.unprivileged
def test_8_an_unreadable_fact_file_fails_alike_with_and_without_the_cache(
    run, monkeypatch: pytest.MonkeyPatch, cache: Path, facts_dir: Path
) -> None:
    needs_unprivileged()
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(cache))
    args = ("--facts-only", "--facts", str(facts_dir), "timeline", "--json")
    assert run(*args).code == 0
    (facts_dir / "base.toml").chmod(0)
    cached, afresh = run(*args), run("--no-cache", *args)
    assert cached.code == afresh.code == ExitCode.INVALID_FACTS
    assert cached.err == afresh.err and "base.toml" in cached.err and "ermission denied" in cached.err


# --------------------------------------------------------------------------- 9. Ctrl-C


@pytest.mark.parametrize(
    ("module", "args"),
    [
        ("fast", ["--version"]),  # the first module the console script imports
        ("options", ["--help"]),  # the declaration, read by every command line
        ("helptext", ["--help"]),
        ("typer", ["--no-such-option"]),  # a line for typer
        ("_sqlite3", ["search", "Putin"]),  # the store (SQLite's C module: nichiro.store)
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


def test_9_the_console_script_imports_nothing_before_it_can_catch_ctrl_c() -> None:
    """What runs before `console.run` catches KeyboardInterrupt is the least it can be: nichiro's two
    tiny modules, and nothing they import (`from __future__` is an import: a class built at start-up)."""

    def imported(code: str) -> set[str]:
        r = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return {line.rsplit("|", 1)[-1].strip() for line in r.stderr.splitlines() if line.startswith("import time:")}

    assert imported("import nichiro.console") - imported("pass") == {"nichiro", "nichiro.console"}


# --------------------------------------------------------------------------- 10. not bugs, not exit 70


def test_10_a_fact_file_deleted_and_recreated_while_a_run_starts(
    run, monkeypatch: pytest.MonkeyPatch, cache: Path, facts_dir: Path
) -> None:
    """`git checkout` and some editors delete a file and write it again; a run may list it in between."""
    from nichiro import paths

    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(cache))
    args = ("--facts-only", "--facts", str(facts_dir), "timeline", "--json")
    good = run(*args)
    path = facts_dir / "base.toml"
    text = path.read_text(encoding="utf-8")
    real = paths.listing
    calls = []

    def listed_then_deleted(*a: object, **k: object) -> list[str]:
        found = real(*a, **k)  # type: ignore[arg-type]
        calls.append(1)
        if len(calls) == 1:
            path.unlink()  # gone after it was listed...
        elif not path.exists():
            path.write_text(text, encoding="utf-8")  # ...and back a moment later
        return found

    monkeypatch.setattr(paths, "listing", listed_then_deleted)
    (facts_dir / "touch.toml").write_text("", encoding="utf-8")  # an edit, so that the files are looked at
    r = run(*args)
    assert r.code in (0, ExitCode.INVALID_FACTS), r
    if r.code == 0:
        assert r.out == good.out
    else:
        assert one_line_error(r.err) and "base.toml" in r.err


NOT_UTF8 = os.fsdecode(b"facts-\xff\xfe")


@pytest.mark.parametrize("no_cache", [False, True])
def test_10_a_directory_whose_name_is_not_utf8(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_cache: bool
) -> None:
    odd = tmp_path / NOT_UTF8
    shutil.copytree(GOOD, odd)
    monkeypatch.chdir(tmp_path)
    r = run(
        *(["--no-cache"] if no_cache else []),
        "--facts-only",
        "--facts",
        NOT_UTF8,
        "meetings",
        "--year",
        "2016",
        "--json",
    )
    assert r.code == 0 and len(json.loads(r.out)) == 2, r
    (odd / "bad.toml").write_text("[[event]\n", encoding="utf-8")
    r = run(*(["--no-cache"] if no_cache else []), "--facts-only", "--facts", NOT_UTF8, "meetings")
    assert r.code == ExitCode.INVALID_FACTS and one_line_error(r.err) and "\\xff" in r.err, r


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


def _as_from_a_terminal() -> None:
    """In the child: Ctrl-C and SIGTERM as a shell's foreground command gets them. A test suite started
    in the background of a script (`pytest &`) ignores SIGINT, and so would nichiro, rightly: it would
    finish its build, exit 0, and the test would fail for the way it was started."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_11_a_first_build_interrupted_leaves_nothing(tmp_path: Path, sig: int) -> None:
    facts = many_facts(tmp_path / "facts", 6000)
    cache = tmp_path / "cache"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NICHIRO_")}
    env["NICHIRO_CACHE_DIR"] = str(cache)
    proc = subprocess.Popen(
        [*CONSOLE, "--facts-only", "--facts", str(facts), "search", "event"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=_as_from_a_terminal,
    )
    try:
        started = _wait_for(lambda: cache.is_dir() and any(cache.iterdir()))
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert started, "the build never began"
    assert proc.returncode == 128 + sig and b"Traceback" not in err, (proc.returncode, err)
    assert [p.name for p in cache.iterdir()] in ([], [n for n in os.listdir(cache) if n.endswith(".sqlite")])


@pytest.mark.parametrize("what", ["store", "export"])
def test_11_a_signal_the_moment_the_temporary_file_is_made_leaves_nothing(
    run, monkeypatch: pytest.MonkeyPatch, cache: Path, tmp_path: Path, what: str
) -> None:
    """Ctrl-C right after mkstemp made the file, before its name was known to whoever cleans up: the
    file was left behind (test_11_a_first_build_interrupted_leaves_nothing, which signals a build the
    moment its file appears, failed now and then for it)."""
    import tempfile

    real = tempfile.mkstemp

    def made_then_interrupted(*args: object, **kwargs: object) -> tuple[int, str]:
        made = real(*args, **kwargs)  # type: ignore[call-overload]
        os.kill(os.getpid(), signal.SIGINT)
        return made  # type: ignore[no-any-return]

    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(cache))
    if what == "export":
        run(*F, "timeline")  # the store built first, so that only the export makes a temporary file
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(tempfile, "mkstemp", made_then_interrupted)
    r = run(*F, *(["export", "json", str(out / "base.json")] if what == "export" else ["timeline"]))
    assert r.code == ExitCode.INTERRUPTED
    assert list(out.iterdir()) == []
    assert [p.name for p in cache.iterdir() if not re.fullmatch(r"store-[0-9a-f]{8}\.sqlite", p.name)] == []


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


def test_11_the_store_on_a_full_disk_costs_speed_not_the_answer(tmp_path: Path) -> None:
    cache = tmp_path / "c"
    r = console("meetings", "--year", "2016", "--json", cache=cache, preexec_fn=_limited(50_000))
    assert r.returncode == 0 and len(json.loads(r.stdout)) >= 4, r
    assert r.stderr.startswith("nichiro: warning: ") and r.stderr.count("\n") == 1 and str(cache) in r.stderr
    assert [p.name for p in cache.iterdir()] == []


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


# --------------------------------------------------------------------------- 14. a busy store


def test_14_a_lock_held_by_another_process_is_not_damage(run, monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(cache))
    good = run(*F, "timeline", "--json")
    path = the_store(cache)
    inode = path.stat().st_ino
    ready, release = threading.Event(), threading.Event()

    def hold() -> None:  # another process, as far as SQLite's locks go (a second connection)
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("BEGIN EXCLUSIVE")
        ready.set()
        release.wait(60)
        conn.execute("ROLLBACK")
        conn.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert ready.wait(10)
        started = time.monotonic()
        r = run(*F, "timeline", "--json")
        took = time.monotonic() - started
    finally:
        release.set()
        holder.join()
    assert (r.code, r.out) == (0, good.out)
    assert took < 10, took
    assert "busy" in r.err and r.err.count("\n") == 1
    assert path.stat().st_ino == inode  # the healthy store is still there, untouched


# --------------------------------------------------------------------------- 17. smaller items


def test_17_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NICHIRO_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert store.cache_dir() == str(tmp_path / "home" / ".cache" / "nichiro")


def test_17_export_json_writes_with_the_umask(run, tmp_path: Path) -> None:
    target = tmp_path / "facts.json"
    r = run(*F, "export", "json", str(target))
    assert r.code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_17_the_suite_never_uses_the_developers_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    base = tmp_path_factory.getbasetemp().resolve()
    assert Path(store.cache_dir()).resolve().is_relative_to(base)


# ------------------------------------------------------------------------ nichiro cache info|clear (issue 12, 10)


def test_cache_clear_removes_what_nichiro_wrote_and_nothing_else(run, cache: Path, facts_dir: Path) -> None:
    run(*F, "timeline", "--json")
    run("--facts-only", "--facts", str(facts_dir), "timeline", "--json")  # a second store
    killed = cache / "store-0123abcd.sqlite.k1ll3d_1.tmp"
    killed.touch()
    (cache / "store-notes.sqlite").write_text("mine", encoding="utf-8")
    _foreign_database(cache / "store-0000beef.sqlite")
    r = run("cache", "clear")
    assert r.code == 0 and r.out == "" and r.err.startswith("removed 3 files nichiro wrote")
    assert sorted(p.name for p in cache.iterdir()) == ["store-0000beef.sqlite", "store-notes.sqlite"]
    again = run(*F, "timeline", "--json")
    assert again.code == 0 and len(json.loads(again.out)) == 7
    assert len(list(cache.glob("store-*.sqlite"))) == 3  # built again, beside the user's two


def test_cache_info_says_where_and_what(run, cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    run(*F, "timeline", "--json")
    r = run(*F, "cache", "info", "--json")
    info = json.loads(r.out)
    assert info["directory"] == str(cache) and info["used"] and info["store"]["state"] == "sound"
    assert info["store"]["facts"] == 8 and info["store"]["path"] == str(the_store(cache))
    plain = run(*F, "cache", "info")
    assert plain.out.startswith(f"cache: {cache}\nstore: {the_store(cache)}: ") and "8 facts from 1 files" in plain.out
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(shared))
    info = json.loads(run(*F, "cache", "info", "--json").out)
    assert not info["used"] and "others may write to it" in info["why_not"]


# --------------------------------------------------------------------------- the same class elsewhere


def test_the_cache_directory_is_created_private(run, cache: Path) -> None:
    run(*F, "timeline", "--json")
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700


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


@pytest.mark.parametrize("kind", ["fifo", "outside"])
def test_show_context_reads_only_a_regular_file_inside_the_sources(tmp_path: Path, kind: str) -> None:
    """`show --context` reads a source text as check --sources does: a FIFO is not waited on, and a
    source's file names a text inside the directory, never one elsewhere."""
    sources, facts = tmp_path / "sources", tmp_path / "facts"
    shutil.copytree(GOOD.parent / "sources", sources)
    shutil.copytree(GOOD, facts)
    if kind == "fifo":
        (sources / "b.txt").unlink()
        os.mkfifo(sources / "b.txt")
    else:
        path = facts / "base.toml"
        path.write_text(path.read_text(encoding="utf-8").replace('file = "b.txt"', 'file = "../secret.txt"'), "utf-8")
        shutil.move(sources / "b.txt", tmp_path / "secret.txt")
    args = ("--facts-only", "--facts", str(facts), "show", "2016-05-putin-abe-sochi", "--context")
    r = console(*args, "--sources", str(sources), cache=tmp_path / "c", timeout=20)
    assert r.returncode == ExitCode.USAGE and one_line_error(r.stderr), r
    assert "Sochi in May 2016" not in r.stdout

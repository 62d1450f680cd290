"""Fault sweep: random and hostile faults against an installed nichiro; how many were tried, how many held.

    python benchmarks/faults.py --python VENV/bin/python [--seeds 200] [--signals 200] [--check] [--json]

A fault held when nichiro gave the right answer (the same bytes and exit code as without the fault)
or refused with its documented exit code and one line on stderr, left no file behind and touched
nothing it did not write. tests/test_faults.py reproduces each kind once; this sweep tries many of
each, at random, as the red team of issue 16 did (docs/reliability.md gives the figures). Standard
library only. Every run gets its own cache under a temporary directory: the user's is not touched.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOOD = REPO / "tests" / "fixtures" / "good"
SOURCES = REPO / "tests" / "fixtures" / "sources"


class Sweep:
    def __init__(self, python: str, scratch: Path) -> None:
        bindir = Path(python).parent
        script = bindir / "nichiro"
        self.console = [str(script)] if script.exists() else [python, "-m", "nichiro"]
        self.scratch = scratch
        self.tried: Counter[str] = Counter()
        self.held: Counter[str] = Counter()
        self.broke: dict[str, list[str]] = {}
        self.notes: dict[str, Counter[str]] = {}

    def run(self, *args: str, cache: Path, timeout: float = 120, **kw: object) -> subprocess.CompletedProcess[bytes]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NICHIRO_")}
        env |= {"NICHIRO_CACHE_DIR": str(cache), "COLUMNS": "100"}
        kw.setdefault("stdout", subprocess.PIPE)
        kw.setdefault("stderr", subprocess.PIPE)
        return subprocess.run([*self.console, *args], env=env, timeout=timeout, **kw)  # type: ignore[call-overload,no-any-return]

    def record(self, kind: str, ok: bool, what: str = "") -> None:
        self.tried[kind] += 1
        if ok:
            self.held[kind] += 1
        else:
            self.broke.setdefault(kind, []).append(what)

    def note(self, kind: str, outcome: str) -> None:
        self.notes.setdefault(kind, Counter())[outcome] += 1

    def fresh(self, name: str) -> Path:
        path = Path(tempfile.mkdtemp(prefix=name + "-", dir=self.scratch))
        path.chmod(0o700)
        return path


def as_from_a_terminal() -> None:
    """In a child: SIGINT and SIGTERM as a shell's foreground command gets them. Started in the
    background of a script (`python benchmarks/faults.py &`), the sweep ignores SIGINT, and so would
    every nichiro it starts, rightly: the Ctrl-C figures would measure nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def one_line(err: bytes) -> bool:
    return err.count(b"\n") == 1 and b"Traceback" not in err


# --------------------------------------------------------------------------- the store


QUERIES = [
    ("meetings", "--year", "2016", "--json"),
    ("search", "Putin Abe", "--json"),
    ("timeline", "--json"),
    ("show", "1956-10-19-soviet-japanese-joint-declaration", "--json"),
]


def bit_flips(sw: Sweep, seeds: int, keep_mtime: bool) -> None:
    """Random bits flipped in the bundled store; with keep_mtime, its mtime put back (damage below the
    file system: the seal does not see it, only checksums and SQLite's own checks can)."""
    kind = "bit flips, mtime kept (bit rot)" if keep_mtime else "bit flips (a program writing the store)"
    cache = sw.fresh("flips")
    good = [sw.run(*q, cache=cache) for q in QUERIES]
    (path,) = [p for p in cache.iterdir() if re.fullmatch(r"store-[0-9a-f]{8}\.sqlite", p.name)]
    pristine, sealed = path.read_bytes(), path.stat().st_mtime_ns
    for seed in range(seeds):
        rnd = random.Random(seed)
        data = bytearray(pristine)
        for _ in range(rnd.choice((1, 4, 16))):
            data[rnd.randrange(len(data))] ^= 1 << rnd.randrange(8)
        for p in cache.iterdir():
            if p != path:
                p.unlink()
        path.write_bytes(bytes(data))
        if keep_mtime:
            os.utime(path, ns=(sealed, sealed))
        got = [sw.run(*q, cache=cache) for q in QUERIES]
        wrong = [
            q[0]
            for q, g, r in zip(QUERIES, good, got, strict=True)
            if (g.returncode, g.stdout) != (r.returncode, r.stdout)
        ]
        sw.record(kind, not wrong, f"seed {seed}: {', '.join(wrong)}")
        path.write_bytes(pristine)  # as the sealed store was, for the next seed
        os.utime(path, ns=(sealed, sealed))


def truncations(sw: Sweep, count: int) -> None:
    cache = sw.fresh("trunc")
    good = sw.run(*QUERIES[0], cache=cache)
    (path,) = [p for p in cache.iterdir() if p.name.endswith(".sqlite")]
    pristine = path.read_bytes()
    rnd = random.Random(7)
    for _ in range(count):
        path.write_bytes(pristine[: rnd.randrange(len(pristine))])
        r = sw.run(*QUERIES[0], cache=cache)
        sw.record("truncations", (r.returncode, r.stdout) == (good.returncode, good.stdout))
        path.write_bytes(pristine)


def planted(sw: Sweep) -> None:
    """Stores planted or tampered with, and what lies where a store belongs."""
    args = ("--facts-only", "--facts", str(GOOD), "timeline", "--json")

    def case(name: str, tamper: object, expect_warning: bool = False) -> None:
        cache = sw.fresh("plant")
        good = sw.run(*args, cache=cache)
        (path,) = [p for p in cache.iterdir() if p.name.endswith(".sqlite")]
        keep = tamper(path)  # type: ignore[operator]
        try:
            r = sw.run(*args, cache=cache, timeout=30)
            ok = (r.returncode, r.stdout) == (0, good.stdout) and b"POISONED" not in r.stdout
            ok = ok and (not expect_warning or r.stderr.startswith(b"nichiro: warning: "))
            ok = ok and (keep is None or keep())
        except subprocess.TimeoutExpired:
            ok = False
        sw.record("planted or tampered stores", ok, name)

    def poison(path: Path, mode: int | None = None, owner: int | None = None) -> None:
        with sqlite3.connect(path) as conn:
            for n, blob in conn.execute("SELECT n, record FROM records").fetchall():
                rec = json.loads(blob)
                rec["title"] = "POISONED"
                new = json.dumps(rec).encode()
                import zlib

                conn.execute("UPDATE records SET record = ?, crc = ? WHERE n = ?", (new, zlib.crc32(new), n))
        conn.close()
        if mode is not None:
            path.chmod(mode)
        if owner is not None:
            os.chown(path, owner, owner)

    def recursive_meta(path: Path) -> None:
        with sqlite3.connect(path) as conn:
            conn.execute("DROP TABLE meta")
            conn.execute(
                "CREATE VIEW meta(key, value) AS WITH RECURSIVE f(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM f) "
                "SELECT 'x', k FROM f"
            )
        conn.close()

    def trigger(path: Path) -> None:
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TRIGGER t AFTER INSERT ON files BEGIN DELETE FROM records; END")
        conn.close()

    def foreign(path: Path) -> object:
        path.unlink()
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE notes (t)")
            conn.execute("INSERT INTO notes VALUES ('mine')")
        conn.close()
        before = path.read_bytes()
        return lambda: path.read_bytes() == before

    def symlink(path: Path) -> object:
        victim = path.with_name("victim.sqlite")
        shutil.move(path, victim)
        path.symlink_to(victim)
        before = victim.read_bytes()
        (GOOD.parent / "sources").exists()
        return lambda: victim.read_bytes() == before

    case("a title changed, checksum recomputed, store writable by others", lambda p: poison(p, 0o666))
    if os.geteuid() == 0:
        case("a title changed, checksum recomputed, store of another user", lambda p: poison(p, None, 65534), True)
    case("a recursive view planted as meta", recursive_meta)
    case("a trigger planted", trigger)
    case("another program's database at the store's name", foreign, True)
    case("a symlink at the store's name", symlink)


def chosen_cache(sw: Sweep) -> None:
    """A cache directory the user chose, full of their own files: after many builds (and so prunes),
    every one of them is as it was."""
    cache = sw.fresh("chosen")
    mine: dict[Path, bytes] = {}
    for i in range(12):
        path = cache / f"store-{i:08x}.sqlite"
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE notes (t)")
        conn.close()
        mine[path] = path.read_bytes()
    for name in ("store-notes.sqlite", "store-backup.sqlite.1.tmp", "store-0.sqlite.123.tmp", "notes.txt"):
        (cache / name).write_text("mine")
        mine[cache / name] = b"mine"
    for path in mine:
        os.utime(path, (0, 0))
    for i in range(10):  # ten fact directories: ten stores, more than the eight kept
        facts = sw.scratch / f"facts-{i}"
        if not facts.exists():
            shutil.copytree(GOOD, facts)
        sw.run("--facts-only", "--facts", str(facts), "timeline", "--json", cache=cache)
    for path, body in mine.items():
        sw.record(
            "a chosen cache directory's own files (after 10 builds)",
            path.exists() and path.read_bytes() == body,
            path.name,
        )
    ours = [p for p in cache.iterdir() if p.name.endswith(".sqlite") and p not in mine]
    sw.note("a chosen cache directory's own files (after 10 builds)", f"nichiro's stores kept: {len(ours)}")


def shared_cache(sw: Sweep) -> None:
    """A cache directory others may write to: a symlink planted at every name a run could use."""
    for mode in (0o777, 0o1777, 0o775):
        cache = sw.fresh("shared")
        cache.chmod(mode)
        victim = sw.scratch / "victim.db"
        victim.write_bytes(b"")
        r = sw.run("--facts-only", "--facts", str(GOOD), "timeline", "--json", cache=cache)
        ok = r.returncode == 0 and not any(cache.iterdir()) and victim.read_bytes() == b"" and one_line(r.stderr)
        sw.record("a cache directory others may write to", ok, oct(mode))


# --------------------------------------------------------------------------- processes and signals


def interrupts(sw: Sweep, count: int) -> None:
    """Ctrl-C at a random moment of a lookup (the store built), from its start to its usual end: no
    traceback, whoever prints it (Python's own start-up is counted too, and named)."""
    cache = sw.fresh("sigint")
    args = ("search", "Putin", "--json")
    sw.run(*args, cache=cache)
    took = []
    for _ in range(5):
        started = time.monotonic()
        sw.run(*args, cache=cache)
        took.append(time.monotonic() - started)
    window = sorted(took)[2]
    kind = f"Ctrl-C at a random moment of a lookup (0-{window * 1000:.0f} ms)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NICHIRO_")} | {"NICHIRO_CACHE_DIR": str(cache)}
    rnd = random.Random(3)
    for _ in range(count):
        proc = subprocess.Popen(
            [*sw.console, *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            preexec_fn=as_from_a_terminal,
        )
        time.sleep(rnd.uniform(0, window))
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate()
        if b"Traceback" not in err and b"Fatal Python error" not in err:
            outcome = {0: "finished first", 130: "exit 130, quiet", -2: "killed by SIGINT before Python's handler"}.get(
                proc.returncode, f"exit {proc.returncode}"
            )
            sw.record(kind, proc.returncode in (0, 130, -2), outcome)
        else:
            frames = [line for line in err.decode(errors="replace").splitlines() if line.strip().startswith("File ")]
            if b"Fatal Python error" in err or b"Failed checking if argv[0]" in err or not frames:
                outcome = "traceback in Python's own start-up, before any script"
            elif any("site-packages/nichiro" in f for f in frames):
                outcome = f"traceback in nichiro's code ({frames[-1].strip()})"
            else:
                outcome = f"traceback outside nichiro's code ({frames[-1].strip()})"
            sw.record(kind, False, outcome)
        sw.note(kind, outcome)


def many_facts(directory: Path, n: int) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    lines = ['[[source]]\nid = "s"\nfile = "s.txt"\ntitle = "S"\npublisher = "P"\ndate = "2020"\n']
    for i in range(n):
        lines.append(
            f'[[event]]\nid = "2000-event-{i}"\ndate = "2000"\ntitle = "Event {i} {"word " * 12}"\n'
            f'summary = "Summary {i}: {"more words " * 6}"\nkind = "other"\n'
            f'sources = [{{ source = "s", quote = "q {i}" }}]\n'
        )
    (directory / "many.toml").write_text("".join(lines), encoding="utf-8")
    return directory


def interrupted_builds(sw: Sweep, count: int) -> None:
    facts = many_facts(sw.scratch / "many", 6000)
    rnd = random.Random(5)
    for i in range(count):
        sig = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)[i % 3]
        cache = sw.fresh("build")
        env = {k: v for k, v in os.environ.items() if not k.startswith("NICHIRO_")} | {"NICHIRO_CACHE_DIR": str(cache)}
        proc = subprocess.Popen(
            [*sw.console, "--facts-only", "--facts", str(facts), "search", "event"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            preexec_fn=as_from_a_terminal,
        )
        deadline = time.monotonic() + 60
        while not any(cache.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(rnd.uniform(0, 0.5))
        proc.send_signal(sig)
        _, err = proc.communicate()
        left = [p.name for p in cache.iterdir() if not re.fullmatch(r"store-[0-9a-f]{8}\.sqlite", p.name)]
        ok = not left and b"Traceback" not in err and proc.returncode in (0, 128 + sig)
        sw.record("a first build interrupted (SIGINT, SIGTERM, SIGHUP)", ok, f"{sig.name}: {proc.returncode} {left}")


def concurrent_first_runs(sw: Sweep, rounds: int, width: int) -> None:
    for _ in range(rounds):
        cache = sw.fresh("crowd")
        env = {k: v for k, v in os.environ.items() if not k.startswith("NICHIRO_")} | {"NICHIRO_CACHE_DIR": str(cache)}
        procs = [
            subprocess.Popen([*sw.console, *QUERIES[0]], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
            for _ in range(width)
        ]
        outs = [p.communicate() for p in procs]
        expected = sw.run(*QUERIES[0], cache=sw.fresh("crowd-ref")).stdout
        for p, (out, err) in zip(procs, outs, strict=True):
            sw.record("simultaneous first runs", p.returncode == 0 and out == expected and not err, err.decode()[:80])
        left = [p.name for p in cache.iterdir() if p.name.endswith(".tmp")]
        sw.record("simultaneous first runs: nothing left behind", not left, str(left))


def rewrite_race(sw: Sweep, runs: int) -> None:
    """Runs while a fact file is rewritten over and over, between two versions of the same size whose
    mtime is set back each time (as cp -p does): every answer is one version's, whole."""
    facts = sw.fresh("race-facts")
    shutil.copytree(GOOD, facts, dirs_exist_ok=True)
    path = facts / "base.toml"
    a = path.read_text(encoding="utf-8")
    b = a.replace("Putin and Abe meet in Vladivostok", "Putin and Abe meet in Vladiwostok")
    assert len(a.encode()) == len(b.encode()) and a != b
    cache = sw.fresh("race")
    args = ("--facts-only", "--facts", str(facts), "show", "2016-09-02-putin-abe-vladivostok", "--json")
    answers = set()
    for text in (a, b):
        path.write_text(text, encoding="utf-8")
        answers.add(sw.run(*args, cache=sw.fresh("race-ref")).stdout)
    mtime = path.stat().st_mtime_ns
    stop = threading.Event()
    rewrites = 0

    def rewrite() -> None:
        nonlocal rewrites
        while not stop.is_set():
            for text in (a, b):
                tmp = path.with_suffix(".tmp")
                tmp.write_text(text, encoding="utf-8")
                os.utime(tmp, ns=(mtime, mtime))
                os.replace(tmp, path)  # as editors save: a new file renamed over the old
                rewrites += 1
                time.sleep(0.003)

    writer = threading.Thread(target=rewrite)
    writer.start()
    try:
        for _ in range(runs):
            r = sw.run(*args, cache=cache)
            sw.record(
                "runs while a fact file is rewritten",
                r.returncode == 0 and r.stdout in answers,
                r.stderr.decode()[:100],
            )
    finally:
        stop.set()
        writer.join()
    sw.note("runs while a fact file is rewritten", f"{rewrites} rewrites during {runs} runs")


def lock_held(sw: Sweep) -> None:
    cache = sw.fresh("lock")
    args = ("--facts-only", "--facts", str(GOOD), "timeline", "--json")
    good = sw.run(*args, cache=cache)
    (path,) = [p for p in cache.iterdir() if p.name.endswith(".sqlite")]
    inode = path.stat().st_ino
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None); "
            "c.execute('BEGIN EXCLUSIVE'); print('held', flush=True); time.sleep(30)",
            str(path),
        ],
        stdout=subprocess.PIPE,
    )
    assert holder.stdout is not None
    holder.stdout.readline()
    started = time.monotonic()
    r = sw.run(*args, cache=cache)
    took = time.monotonic() - started
    holder.kill()
    holder.wait()
    ok = (r.returncode, r.stdout) == (0, good.stdout) and took < 10 and path.stat().st_ino == inode
    sw.record("a lock held by another process", ok, f"{took:.1f} s")
    sw.note("a lock held by another process", f"answered in {took:.1f} s")


# --------------------------------------------------------------------------- files, output, input


def export_targets(sw: Sweep) -> None:
    for fmt in ("json", "sqlite"):
        for force in (False, True):
            base = sw.fresh("export")
            targets = {
                "fifo": base / "fifo",
                "symlink": base / "link",
                "dangling symlink": base / "dangling",
                "directory": base / "dir",
            }
            os.mkfifo(targets["fifo"])
            (base / "precious").write_text("precious")
            targets["symlink"].symlink_to(base / "precious")
            targets["dangling symlink"].symlink_to(base / "nowhere")
            targets["directory"].mkdir()
            if os.geteuid() == 0:
                try:
                    os.mknod(base / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
                    targets["device"] = base / "null"
                except OSError:
                    pass
            before = {n: p.lstat() for n, p in targets.items()}
            for name, target in targets.items():
                r = sw.run("export", fmt, str(target), *(["--force"] if force else []), cache=sw.fresh("export-cache"))
                after = target.lstat()
                same = (after.st_ino, after.st_mode) == (before[name].st_ino, before[name].st_mode)
                ok = r.returncode == 2 and one_line(r.stderr) and same and (base / "precious").read_text() == "precious"
                sw.record("export onto what is not a regular file", ok, f"{fmt} {name} force={force}")
            left = [p.name for p in base.iterdir() if p.name.startswith(".")]
            sw.record("export onto what is not a regular file: nothing left behind", not left, str(left))


def limited(limit: int) -> object:
    def apply() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def full_disk(sw: Sweep) -> None:
    """A write that fails (RLIMIT_FSIZE: EFBIG, as a full disk fails) at every size up to the whole file."""
    good = sw.run(*QUERIES[0], cache=sw.fresh("full-ref"))
    for limit in (0, 4096, 50_000, 200_000, 600_000):
        cache = sw.fresh("full")
        r = sw.run(*QUERIES[0], cache=cache, preexec_fn=limited(limit))
        ok = (r.returncode, r.stdout) == (0, good.stdout) and not [
            p for p in cache.iterdir() if p.name.endswith(".tmp")
        ]
        sw.record("a full disk while the store is written", ok, f"{limit}: {r.stderr[:100]!r}")
        for fmt in ("json", "sqlite"):
            out = sw.fresh("full-out")
            r = sw.run("export", fmt, str(out / f"x.{fmt}"), cache=sw.fresh("c"), preexec_fn=limited(limit))
            ok = r.returncode in (0, 74) and one_line(r.stderr) and (r.returncode == 0 or not any(out.iterdir()))
            sw.record("a full disk while an export is written", ok, f"{fmt} {limit}: {r.returncode} {r.stderr[:80]!r}")
    with open("/dev/full", "w") as full:
        for q in QUERIES:
            r = sw.run(*q, cache=sw.fresh("devfull"), stdout=full)
            sw.record("standard output on a full disk (/dev/full)", r.returncode == 74 and one_line(r.stderr), q[0])


def odd_input(sw: Sweep) -> None:
    cases: list[tuple[str, list[str], int, object]] = []
    base = sw.fresh("odd")
    src = base / "sources"
    shutil.copytree(SOURCES, src)
    (src / "b.txt").unlink()
    os.mkfifo(src / "b.txt")
    cases.append(
        (
            "a source text that is a FIFO",
            [*("--facts-only", "--facts", str(GOOD)), "check", "--sources", str(src)],
            4,
            None,
        )
    )
    src2 = base / "sources2"
    shutil.copytree(SOURCES, src2)
    (src2 / "b.txt").unlink()
    (src2 / "b.txt").symlink_to("/dev/zero")
    cases.append(
        (
            "a source text that is /dev/zero",
            [*("--facts-only", "--facts", str(GOOD)), "check", "--sources", str(src2)],
            4,
            None,
        )
    )
    cases.append(("check --sources /nonexistent", ["check", "--sources", "/nonexistent"], 2, None))
    deep = base / "deep"
    deep.mkdir()
    (deep / "d.toml").write_text('[[event]]\nid = "2000-x"\nx = ' + "[" * 3000 + "]" * 3000 + "\n")
    cases.append(("TOML nested 3,000 deep", ["--facts-only", "--facts", str(deep), "timeline"], 3, None))
    nul = base / "nul"
    shutil.copytree(GOOD, nul)
    (nul / "base.toml").write_text((GOOD / "base.toml").read_text().replace('title = "', 'title = "\\u0000', 1))
    cases.append(("a NUL in a title", ["--facts-only", "--facts", str(nul), "check"], 3, None))
    odd = base / os.fsdecode(b"facts-\xff")
    shutil.copytree(GOOD, odd)
    cases.append(
        ("a directory whose name is not UTF-8", ["--facts-only", "--facts", str(odd), "timeline", "--json"], 0, None)
    )
    cases.append(
        (
            "a directory whose name is not UTF-8, --no-cache",
            ["--no-cache", "--facts-only", "--facts", str(odd), "timeline"],
            0,
            None,
        )
    )
    cases.append(("show $'\\xff'", ["show", os.fsdecode(b"\xff")], 2, None))
    # (a --facts directory that is not there is a usage error: exit 2)
    cases.append(("a file name with a newline and ESC", ["--facts", "a\n\x1b[31mred", "timeline"], 2, None))
    for name, args, code, _ in cases:
        try:
            r = sw.run(*args, cache=sw.fresh("odd-cache"), timeout=30)
            ok = r.returncode == code and (code == 0 or one_line(r.stderr)) and b"\x1b" not in r.stderr
        except subprocess.TimeoutExpired:
            ok = False
        sw.record("odd input", ok, name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NICHIRO_")} | {
        "NICHIRO_CACHE_DIR": str(sw.fresh("closed"))
    }
    line = " ".join(f"'{a}'" for a in [*sw.console, "timeline"])
    r = subprocess.run(["bash", "-c", f"{line} >&-"], capture_output=True, env=env)
    sw.record("odd input", r.returncode == 74 and one_line(r.stderr), "stdout closed")
    read, write = os.pipe()
    os.close(read)
    for args in (["--help"], ["timeline", "--format", "table"], ["timeline"]):
        r = sw.run(*args, cache=sw.fresh("pipe"), stdout=write)
        sw.record("odd input", (r.returncode, r.stderr) == (0, b""), f"a closed pipe: {args}")
    os.close(write)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="the venv's Python, beside its nichiro script")
    parser.add_argument("--seeds", type=int, default=200, help="bit-flip seeds (each flips 1, 4 or 16 bits)")
    parser.add_argument("--signals", type=int, default=200, help="runs interrupted by Ctrl-C at random")
    parser.add_argument("--check", action="store_true", help="exit 1 when a fault broke nichiro")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nichiro-faults-") as scratch:
        sw = Sweep(args.python, Path(scratch))
        steps = [
            lambda: bit_flips(sw, args.seeds, keep_mtime=False),
            lambda: bit_flips(sw, args.seeds // 4, keep_mtime=True),
            lambda: truncations(sw, 40),
            lambda: planted(sw),
            lambda: chosen_cache(sw),
            lambda: shared_cache(sw),
            lambda: interrupts(sw, args.signals),
            lambda: interrupted_builds(sw, 30),
            lambda: concurrent_first_runs(sw, 3, 16),
            lambda: rewrite_race(sw, 300),
            lambda: lock_held(sw),
            lambda: export_targets(sw),
            lambda: full_disk(sw),
            lambda: odd_input(sw),
        ]
        for step in steps:
            step()
    figures = {
        kind: {
            "tried": sw.tried[kind],
            "held": sw.held[kind],
            "broke": sw.broke.get(kind, [])[:10],
            "notes": dict(sw.notes.get(kind, {})),
        }
        for kind in sw.tried
    }
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        print(f"{'fault':<62} {'tried':>6} {'held':>6}")
        for kind, f in figures.items():
            print(f"{kind:<62} {f['tried']:>6} {f['held']:>6}")
            for what, n in f["notes"].items():
                print(f"    {n:>5}  {what}")
            for what in f["broke"]:
                print(f"    broke: {what}")
        print(f"{'in all':<62} {sum(sw.tried.values()):>6} {sum(sw.held.values()):>6}")
    return 1 if args.check and sum(sw.tried.values()) != sum(sw.held.values()) else 0


if __name__ == "__main__":
    sys.exit(main())

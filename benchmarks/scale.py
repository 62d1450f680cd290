"""Scale benchmark: nichiro on synthetic fact bases of 1,000, 10,000 and 100,000 facts.

    python benchmarks/scale.py --python .venv/bin/python [--sizes 1000,10000,100000] [--runs 3] [--json] [--check]
    python benchmarks/scale.py --python .venv/bin/python --option=--no-cache     every run without the cache

For each size, benchmarks/synthetic.py writes a fresh fact base, then these whole-process runs are
timed, each with `--facts-only --facts DIR`:

    search Shikotan --json              a fuzzy search over every fact
    show <a fact in the middle> --json  one fact by id
    timeline --year 2016 --json         a filtered listing

Each command is run once with an empty cache ("first run": it pays for parsing and for building
any cache), then, after an os.sync() so that the kernel's write-back of what the first run wrote
does not compete with them, --runs more times ("later runs", the median is reported). Every command starts
with a fresh, empty XDG_CACHE_HOME, kept for its later runs, so a cache kept under
$XDG_CACHE_HOME is cold on the first run and warm after it; the fact files themselves are new
for every benchmark run. Peak memory is each process's own ru_maxrss (from os.wait4, the
per-child form of resource.getrusage(RUSAGE_CHILDREN)). Then one fact file is edited (a meeting
appended) and the next `search` is timed: the rebuild after an edit.

The bundled facts (no --facts) are timed the same way, as the reference for the targets at
100,000 facts, later runs: search at most 1.5x the bundled search, show at most 1.2x the bundled
show, peak memory under 300 MB; and a rebuild after editing one file under 10 s. Exits 0 unless
--check is given and a target is missed (then 1). Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import synthetic
from _bench import clean_env, console_script, format_table, machine_info, median, run_process, target_info

BUNDLED_SHOW_ID = "2016-09-02-putin-abe-vladivostok"
SEARCH_WORD = "Shikotan"
TARGETS = {"search_ratio": 1.5, "show_ratio": 1.2, "peak_mb": 300.0, "rebuild_s": 10.0}
EDIT = """
[[meeting]]
id = "2016-12-15-putin-abe-nagato-benchmark-edit"
date = "2016-12-15"
title = "Putin and Abe meet in Nagato (added by the scale benchmark)"
summary = "An edit made by benchmarks/scale.py to time the rebuild after one file changes."
kind = "summit"
level = "leaders"
place = ["nagato"]
participants = ["vladimir-putin", "shinzo-abe"]

[[meeting.sources]]
source = "synthetic-agency-2016"
quote = "Putin and Abe met in Nagato."
"""


class Bench:
    def __init__(self, nichiro: str, runs: int, timeout: float, workdir: Path, options: list[str]) -> None:
        self.nichiro = nichiro
        self.options = options  # global options before every command, e.g. --no-cache
        self.runs = runs
        self.timeout = timeout
        self.workdir = workdir
        self.log = sys.stderr

    def fresh_cache(self) -> Path:
        return Path(tempfile.mkdtemp(prefix="cache-", dir=self.workdir))

    def run(self, args: list[str], cache: Path, what: str) -> tuple[float, float]:
        """One run: (milliseconds, peak MB); exits when the command fails."""
        env = clean_env({"XDG_CACHE_HOME": str(cache)})
        run = run_process([self.nichiro, *self.options, *args], env, self.workdir, self.timeout, capture=True)
        if run.returncode != 0:
            raise SystemExit(f"{what}: exit code {run.returncode}\n{run.stderr.strip()[:2000]}")
        return run.ms, run.maxrss_kb / 1024.0

    def command(self, args: list[str], what: str) -> dict[str, Any]:
        """The first run on an empty cache, then the later runs on the cache it left."""
        cache = self.fresh_cache()
        first_ms, first_mb = self.run(args, cache, what)
        # What the first run wrote (a store of up to 270 MB) reaches the disk before the later runs,
        # which measure lookups rather than the kernel's write-back competing for the CPUs.
        os.sync()
        later = [self.run(args, cache, what) for _ in range(self.runs)]
        self.log.write(f"  {what}: first {first_ms:.0f} ms, later {median([t for t, _ in later]):.0f} ms\n")
        return {
            "args": args,
            "first_ms": round(first_ms, 1),
            "first_peak_mb": round(first_mb, 1),
            "later_median_ms": round(median([t for t, _ in later]), 1),
            "later_ms": [round(t, 1) for t, _ in later],
            "later_peak_mb": round(max(m for _, m in later), 1),
            "cache": cache,
        }


def bench_bundled(bench: Bench) -> dict[str, Any]:
    bench.log.write("bundled facts\n")
    bench.run(["search", SEARCH_WORD, "--json"], bench.fresh_cache(), "warm-up")  # the page cache, not timed
    out = {
        "search": bench.command(["search", SEARCH_WORD, "--json"], "bundled search"),
        "show": bench.command(["show", BUNDLED_SHOW_ID, "--json"], "bundled show"),
        "timeline": bench.command(["timeline", "--year", "2016", "--json"], "bundled timeline"),
    }
    for r in out.values():
        del r["cache"]
    return out


def bench_size(bench: Bench, size: int, data_root: Path) -> dict[str, Any]:
    data = data_root / f"synthetic-{size}"
    start = time.perf_counter()
    manifest = synthetic.generate(data, size)
    gen_s = time.perf_counter() - start
    bench.log.write(f"{size} facts ({manifest['fact_files']} files, generated in {gen_s:.1f} s)\n")
    base = ["--facts-only", "--facts", str(data)]
    out: dict[str, Any] = {"facts": size, "files": manifest["fact_files"], "generate_s": round(gen_s, 2)}
    out["search"] = bench.command([*base, "search", SEARCH_WORD, "--json"], f"{size} search")
    out["show"] = bench.command([*base, "show", str(manifest["show_id"]), "--json"], f"{size} show")
    out["timeline"] = bench.command([*base, "timeline", "--year", "2016", "--json"], f"{size} timeline")
    # The rebuild: edit one file of the base whose cache the search runs have just warmed.
    cache = out["search"]["cache"]
    edited = data / f"facts-{int(manifest['fact_files']) // 2:04d}.toml"
    with edited.open("a", encoding="utf-8") as f:
        f.write(EDIT)
    rebuild_ms, rebuild_mb = bench.run([*base, "search", SEARCH_WORD, "--json"], cache, f"{size} rebuild")
    after_ms, _ = bench.run([*base, "search", SEARCH_WORD, "--json"], cache, f"{size} after rebuild")
    bench.log.write(f"  rebuild after editing {edited.name}: {rebuild_ms:.0f} ms (next run {after_ms:.0f} ms)\n")
    out["rebuild"] = {
        "edited": edited.name,
        "ms": round(rebuild_ms, 1),
        "peak_mb": round(rebuild_mb, 1),
        "next_run_ms": round(after_ms, 1),
    }
    for name in ("search", "show", "timeline"):
        del out[name]["cache"]
    return out


def verdicts(bundled: dict[str, Any], sizes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The targets, judged on the largest size measured; they are set for 100,000 facts, so a
    smaller largest size is reported but not judged."""
    big = max(sizes, key=lambda s: s["facts"])
    where = f"{big['facts']:,} facts, later runs"
    search = big["search"]["later_median_ms"] / bundled["search"]["later_median_ms"]
    show = big["show"]["later_median_ms"] / bundled["show"]["later_median_ms"]
    peak = max(big[c]["later_peak_mb"] for c in ("search", "show", "timeline"))
    rebuild = big["rebuild"]["ms"] / 1000.0
    out = [
        {"what": f"search / bundled search ({where})", "value": search, "op": "<=", "target": TARGETS["search_ratio"]},
        {"what": f"show / bundled show ({where})", "value": show, "op": "<=", "target": TARGETS["show_ratio"]},
        {"what": f"peak memory, MB ({where})", "value": peak, "op": "<", "target": TARGETS["peak_mb"]},
        {
            "what": f"rebuild after one edit, s ({big['facts']:,} facts)",
            "value": rebuild,
            "op": "<",
            "target": TARGETS["rebuild_s"],
        },
    ]
    for v in out:
        v["value"] = round(v["value"], 2)
        ok = v["value"] <= v["target"] if v["op"] == "<=" else v["value"] < v["target"]
        v["result"] = "n/a" if big["facts"] < 100_000 else "pass" if ok else "FAIL"
    return out


def print_report(result: dict[str, Any]) -> None:
    t, m = result["target"], result["machine"]
    w = sys.stdout.write
    w(f"Python {t['version']} ({t['executable']}); {m['cpu']}, {m['nproc']} CPUs\n")
    w(f"later runs: median of {result['runs']}; peak = largest ru_maxrss of those runs")
    w(f"; every run with {' '.join(result['options'])}\n\n" if result.get("options") else "\n\n")
    rows = []
    sets = [("bundled", result["bundled"]), *((f"{s['facts']:,}", s) for s in result["sizes"])]
    for label, data in sets:
        for cmd in ("search", "show", "timeline"):
            r = data[cmd]
            ref = result["bundled"][cmd]["later_median_ms"]
            rows.append(
                [
                    label,
                    cmd,
                    f"{r['first_ms']:.0f}",
                    f"{r['later_median_ms']:.0f}",
                    f"{r['later_median_ms'] / ref:.2f}x",
                    f"{r['first_peak_mb']:.0f}",
                    f"{r['later_peak_mb']:.0f}",
                ]
            )
    headers = ["facts", "command", "first ms", "later ms", "vs bundled", "first MB", "later MB"]
    w(format_table(headers, rows, right=(2, 3, 4, 5, 6)))
    w("\n")
    rows = [
        [f"{s['facts']:,}", s["rebuild"]["edited"], f"{s['rebuild']['ms']:.0f}", f"{s['rebuild']['next_run_ms']:.0f}"]
        for s in result["sizes"]
    ]
    w(format_table(["facts", "edited file", "rebuild ms", "next run ms"], rows, right=(2, 3)))
    w("\n")
    rows = [[v["what"], f"{v['value']:g}", f"{v['op']} {v['target']:g}", v["result"]] for v in result["verdicts"]]
    w(format_table(["target", "value", "target", "result"], rows, right=(1,)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable, help="interpreter to benchmark (default: this one)")
    parser.add_argument("--nichiro", help="the console script (default: nichiro beside --python)")
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated fact counts")
    parser.add_argument("--runs", type=int, default=3, help="later runs of each command (default 3)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a run is killed (default 120)")
    parser.add_argument("--data", type=Path, help="write the synthetic bases here and keep them (default: a temp dir)")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        dest="options",
        help="a global nichiro option for every run, e.g. --option=--no-cache (repeatable)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes: a comma-separated list of whole numbers")
    if not sizes or min(sizes) < 1 or args.runs < 1:
        parser.error("--sizes and --runs must be positive")
    nichiro = args.nichiro or console_script(args.python)
    info = target_info(args.python)
    workdir = Path(tempfile.mkdtemp(prefix="nichiro-scale-"))
    try:
        bench = Bench(nichiro, args.runs, args.timeout, workdir, args.options)
        bundled = bench_bundled(bench)
        data_root = args.data or workdir
        results = [bench_size(bench, size, data_root) for size in sizes]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    checks = verdicts(bundled, results)
    result = {
        "machine": machine_info(),
        "target": info,
        "runs": args.runs,
        "options": args.options,
        "bundled": bundled,
        "sizes": results,
        "verdicts": checks,
    }
    if args.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        print_report(result)
    return 1 if args.check and any(v["result"] == "FAIL" for v in checks) else 0


if __name__ == "__main__":
    sys.exit(main())

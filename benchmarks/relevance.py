"""Measure how well `nichiro search` ranks: hit@1, hit@3, mean reciprocal rank and nothing-found accuracy.

    python benchmarks/relevance.py                 both relevance sets, by kind, on the bundled facts
    python benchmarks/relevance.py --compare       also every typo matcher and three whole-text baselines
    python benchmarks/relevance.py -v              also every query that missed, with what came first
    python benchmarks/relevance.py --queries F     one set (repeat for more)
    python benchmarks/relevance.py --facts DIR     another fact directory (the ids in the sets must exist)
    python benchmarks/relevance.py --save F        also write the figures by kind to F (JSON)
    python benchmarks/relevance.py --markdown F    print the tables of docs/search.md: F's figures -> these

The two sets: tests/relevance.toml, written with the search (its tuning set), and
tests/relevance_heldout.toml, written blind by someone who never saw the search code or its
results. A change that helps one and hurts the other is not an improvement (docs/search.md).

A query with `expect` is a hit@k when one of its expected ids is among the first k results; its
reciprocal rank is 1/rank of the first expected id (0 when none is in the first 10). A query with
`expect_none` must find nothing. Two ways of counting, both reported: "found" measures (hit@k, MRR)
over the queries that expect facts, with nothing-found as a separate count; and "all" measures,
where a must-find-nothing query scores 1 on every measure when nothing is found and 0 otherwise
(what tests/test_search.py holds at 95% hit@3 for tests/relevance.toml). Importable.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from nichiro.factbase import bundled_facts_dir, load_factbase
from nichiro.model import CATEGORIES, FactBase
from nichiro.search import TYPO_MATCHERS, search
from nichiro.store import Store, load
from nichiro.text import fold

QUERIES = Path(__file__).resolve().parent.parent / "tests" / "relevance.toml"
HELDOUT = QUERIES.with_name("relevance_heldout.toml")
DEPTH = 10  # how many results a ranker returns

Ranker = Callable[[str], list[str]]


@dataclass(frozen=True)
class Query:
    query: str
    kind: str
    expect: tuple[str, ...] = ()
    expect_none: bool = False


@dataclass
class Outcome:
    query: Query
    ranked: list[str]
    rank: int | None  # 1-based rank of the first expected id; for expect_none, 1 when nothing was found

    @property
    def reciprocal(self) -> float:
        return 1 / self.rank if self.rank else 0.0


@dataclass
class Report:
    name: str
    outcomes: list[Outcome] = field(default_factory=list)
    ms_per_query: float = 0.0

    def _chosen(self, kind: str | None, found_only: bool) -> list[Outcome]:
        return [
            o
            for o in self.outcomes
            if (kind is None or o.query.kind == kind) and not (found_only and o.query.expect_none)
        ]

    def hit(self, k: int, kind: str | None = None, found_only: bool = False) -> float:
        """The share of the queries (of a kind; only those that expect facts) with a right answer in the first k."""
        chosen = self._chosen(kind, found_only)
        return sum(1 for o in chosen if o.rank is not None and o.rank <= k) / len(chosen) if chosen else 0.0

    def mrr(self, kind: str | None = None, found_only: bool = False) -> float:
        chosen = self._chosen(kind, found_only)
        return sum(o.reciprocal for o in chosen) / len(chosen) if chosen else 0.0

    def nothing_found(self, kind: str | None = None) -> tuple[int, int]:
        """(found nothing, of) the must-find-nothing queries (of a kind)."""
        chosen = [o for o in self.outcomes if o.query.expect_none and (kind is None or o.query.kind == kind)]
        return sum(1 for o in chosen if o.rank == 1), len(chosen)

    def misses(self, k: int = 1) -> list[Outcome]:
        return [o for o in self.outcomes if o.rank is None or o.rank > k]


def load_queries(path: Path = QUERIES) -> list[Query]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    out = []
    for rec in data["query"]:
        expect = tuple(rec.get("expect", ()))
        none = bool(rec.get("expect_none", False))
        if bool(expect) == none:
            raise ValueError(f"{path}: query {rec['query']!r} needs either expect or expect_none = true")
        out.append(Query(rec["query"], rec.get("kind", "other"), expect, none))
    return out


def missing_ids(base: FactBase, queries: Sequence[Query]) -> list[str]:
    """Expected ids the base does not have: a stale relevance set, not a bad search."""
    return [f"{q.query!r}: {fid}" for q in queries for fid in q.expect if fid not in base.by_id]


def evaluate(name: str, queries: Sequence[Query], ranker: Ranker) -> Report:
    report = Report(name)
    start = time.perf_counter()
    for q in queries:
        ranked = ranker(q.query)[:DEPTH]
        if q.expect_none:
            rank = None if ranked else 1
        else:
            rank = next((i for i, fid in enumerate(ranked, 1) if fid in q.expect), None)
        report.outcomes.append(Outcome(q, ranked, rank))
    report.ms_per_query = 1000 * (time.perf_counter() - start) / max(1, len(queries))
    return report


# --------------------------------------------------------------------------- rankers


def engine(store: Store, typo: str = "osa") -> Ranker:
    """nichiro's search with one of its typo matchers."""

    def rank(query: str) -> list[str]:
        return [h.id for h in search(store, query, CATEGORIES, DEPTH, typo=typo)]

    return rank


def whole_text(base: FactBase, scorer_name: str, cutoff: float) -> Ranker:
    """A baseline: one rapidfuzz scorer between the whole query and each fact's title, summary and names."""
    from rapidfuzz import fuzz, process

    scorer = getattr(fuzz, scorer_name)
    docs = []
    for fact in base.facts:
        names = [fact.title, fact.summary]
        for pid in fact.details.get("participants", ()):
            if pid in base.people:
                names += [base.people[pid].name, *base.people[pid].aliases]
        place = base.places.get(fact.details.get("place") or "")
        if place:
            names += [place.name, *place.aliases]
        docs.append(fold(" | ".join(names)))

    def rank(query: str) -> list[str]:
        found = process.extract(fold(query), docs, scorer=scorer, score_cutoff=cutoff, limit=DEPTH)
        return [base.facts[i].id for _, _, i in found]

    return rank


def rankers(base: FactBase, store: Store, compare: bool, typo: str) -> list[tuple[str, Ranker]]:
    out: list[tuple[str, Ranker]] = [(f"nichiro search (typo: {typo})", engine(store, typo))]
    if compare:
        out += [(f"nichiro search (typo: {name})", engine(store, name)) for name in TYPO_MATCHERS if name != typo]
        out += [
            ("whole text, fuzz.WRatio >= 60", whole_text(base, "WRatio", 60)),
            ("whole text, fuzz.partial_ratio >= 80", whole_text(base, "partial_ratio", 80)),
            ("whole text, fuzz.token_set_ratio >= 60", whole_text(base, "token_set_ratio", 60)),
        ]
    return out


# --------------------------------------------------------------------------- typo matchers alone


def typo_stress(store: Store, samples: int = 400, seed: int = 1) -> list[tuple[str, float, float, float]]:
    """Each typo matcher on seeded synthetic typos of the words of the facts and gazetteer.

    One random edit (a letter dropped, doubled, replaced or swapped with the next) in a word of five
    letters or more. Returns (matcher, recall, precision, candidates per typo): recall is how often
    the right word is among the candidates, precision how many of the candidates are right.
    """
    import random

    from nichiro.gazetteer import Gazetteer

    names = Gazetteer(store.entries()).names
    vocabulary = sorted(set(store.vocabulary()) | {n for n in names if n.isascii() and " " not in n})
    words = [w for w in vocabulary if len(w) >= 5 and w.isalpha()]
    rng = random.Random(seed)
    typos: list[tuple[str, str]] = []
    known = set(vocabulary)
    while len(typos) < samples:
        word = rng.choice(words)
        i = rng.randrange(len(word) - 1)
        op = rng.choice("drst")
        letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
        typo = {
            "d": word[:i] + word[i + 1 :],
            "r": word[:i] + letter + word[i + 1 :],
            "s": word[:i] + word[i + 1] + word[i] + word[i + 2 :],
            "t": word[:i] + letter + word[i:],
        }[op]
        if typo not in known:  # a typo that is itself a word is not read as a typo
            typos.append((typo, word))
    out = []
    for name, matcher in TYPO_MATCHERS.items():
        if name == "none":
            continue
        found = right = 0
        candidates = 0
        for typo, word in typos:
            got = [c for c, _ in matcher(typo, vocabulary)]
            candidates += len(got)
            right += word in got
            found += sum(1 for c in got if c == word)
        out.append((name, right / len(typos), found / candidates if candidates else 0.0, candidates / len(typos)))
    return out


# --------------------------------------------------------------------------- report


def _nothing(report: Report, kind: str | None = None) -> str:
    found, of = report.nothing_found(kind)
    return f"{found}/{of}" if of else "-"


def table(reports: Sequence[Report]) -> str:
    lines = [
        f"{'ranker':40} {'hit@1':>6} {'hit@3':>6} {'MRR':>6} {'nothing':>7}   "
        f"{'all: hit@1':>10} {'hit@3':>6} {'MRR':>6} {'ms/q':>6}"
    ]
    for r in reports:
        lines.append(
            f"{r.name:40} {r.hit(1, found_only=True):6.1%} {r.hit(3, found_only=True):6.1%} "
            f"{r.mrr(found_only=True):6.3f} {_nothing(r):>7}   "
            f"{r.hit(1):10.1%} {r.hit(3):6.1%} {r.mrr():6.3f} {r.ms_per_query:6.1f}"
        )
    return "\n".join(lines)


def by_kind(report: Report) -> str:
    kinds = list(dict.fromkeys(o.query.kind for o in report.outcomes))
    lines = [f"{'kind':17} {'queries':>7} {'hit@1':>6} {'hit@3':>6} {'MRR':>6} {'nothing':>7}"]
    for kind in kinds:
        n = sum(1 for o in report.outcomes if o.query.kind == kind)
        if all(o.query.expect_none for o in report.outcomes if o.query.kind == kind):
            lines.append(f"{kind:17} {n:7} {'':>6} {'':>6} {'':>6} {_nothing(report, kind):>7}")
            continue
        lines.append(
            f"{kind:17} {n:7} {report.hit(1, kind, True):6.1%} {report.hit(3, kind, True):6.1%} "
            f"{report.mrr(kind, True):6.3f} {_nothing(report, kind):>7}"
        )
    n = len(report.outcomes)
    lines.append(
        f"{'all':17} {n:7} {report.hit(1, found_only=True):6.1%} {report.hit(3, found_only=True):6.1%} "
        f"{report.mrr(found_only=True):6.3f} {_nothing(report):>7}"
    )
    return "\n".join(lines)


Figures = dict[str, dict[str, dict[str, "float | int | str"]]]  # set -> kind (and "all") -> measure -> value


def figures(report: Report) -> dict[str, dict[str, float | int | str]]:
    """A report's figures by kind, and for "all": queries, hit@1, hit@3, MRR (over the queries that
    expect facts, rounded as shown) and nothing found ("found/of", "" when the kind has none)."""
    out: dict[str, dict[str, float | int | str]] = {}
    for kind in [*dict.fromkeys(o.query.kind for o in report.outcomes), None]:
        chosen = report._chosen(kind, False)
        expecting = [o for o in chosen if not o.query.expect_none]
        found, of = report.nothing_found(kind)
        out[kind or "all"] = {
            "queries": len(chosen),
            "hit@1": round(100 * report.hit(1, kind, True), 1) if expecting else "",
            "hit@3": round(100 * report.hit(3, kind, True), 1) if expecting else "",
            "MRR": round(report.mrr(kind, True), 3) if expecting else "",
            "nothing found": f"{found}/{of}" if of else "",
        }
    return out


def _shown(measure: str, value: float | int | str) -> str:
    if value == "" or measure == "nothing found":
        return str(value)
    return f"{value:.3f}" if measure == "MRR" else f"{value:.1f}%"


def markdown(before: Figures, after: Figures) -> str:
    """Per set, a table by kind: each measure before -> after (the after in bold when it moved)."""
    measures = ("hit@1", "hit@3", "MRR", "nothing found")
    blocks = []
    for label, kinds in after.items():
        old = before.get(label, {})
        lines = [
            f"`{label}`",
            "",
            "| kind | queries | " + " | ".join(f"{m} before → after" for m in measures) + " |",
            "|---|---:|" + "---:|" * len(measures),
        ]
        for kind, now in kinds.items():
            cells = []
            for m in measures:
                was, new = _shown(m, old.get(kind, {}).get(m, "")), _shown(m, now[m])
                cells.append(new if was == new or not was else f"{was} → **{new}**")
            lines.append(f"| {kind} | {now['queries']} | " + " | ".join(cells) + " |")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def measure(sets: Sequence[Path] | None = None) -> Figures:
    """nichiro search's figures on the relevance sets (default both), on the bundled facts."""
    dirs = [bundled_facts_dir()]
    store = load(dirs, use_cache=False)
    return {_label(p): figures(evaluate("nichiro", load_queries(p), engine(store))) for p in sets or default_sets()}


def default_sets() -> list[Path]:
    """tests/relevance.toml, and the held-out set when it is there."""
    return [QUERIES, *([HELDOUT] if HELDOUT.exists() else [])]


def _label(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(QUERIES.parent.parent))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=Path, help="a fact directory instead of the bundled facts")
    parser.add_argument(
        "--queries",
        type=Path,
        action="append",
        help="a relevance set (repeatable; default tests/relevance.toml and tests/relevance_heldout.toml)",
    )
    parser.add_argument("--typo", default="osa", choices=sorted(TYPO_MATCHERS), help="the engine's typo matcher")
    parser.add_argument("--compare", action="store_true", help="also the other typo matchers and the baselines")
    parser.add_argument("--typos", action="store_true", help="also each typo matcher on synthetic typos")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the queries that missed")
    parser.add_argument("--save", type=Path, help="write the figures by kind to this file (JSON)")
    parser.add_argument("--markdown", type=Path, help="print docs/search.md's tables: this file's figures -> now")
    args = parser.parse_args(argv)
    dirs = [args.facts] if args.facts else [bundled_facts_dir()]
    base, store = load_factbase(dirs), load(dirs, use_cache=False)
    sets = [(path, load_queries(path)) for path in args.queries or default_sets()]
    stale = [line for _, queries in sets for line in missing_ids(base, queries)]
    if stale:
        sys.stderr.write("expected ids not in the fact base:\n  " + "\n  ".join(stale) + "\n")
        return 1
    search(store, "warm up", CATEGORIES, 1)  # the gazetteer is built once; time the queries alone
    saved: Figures = {}
    for number, (path, queries) in enumerate(sets):
        reports = [evaluate(name, queries, ranker) for name, ranker in rankers(base, store, args.compare, args.typo)]
        saved[_label(path)] = figures(reports[0])
        expecting = sum(1 for q in queries if not q.expect_none)
        sys.stdout.write(
            f"{'' if not number else chr(10)}{_label(path)}: {len(queries)} queries ({expecting} that expect facts, "
            f"{len(queries) - expecting} that must find nothing), {len(base.facts)} facts\n\n"
            f"{table(reports)}\n\n{by_kind(reports[0])}\n"
        )
        if args.verbose:
            for o in reports[0].misses(1):
                where = f"rank {o.rank}" if o.rank else "not in the first 10" if o.query.expect else "found something"
                first = ", ".join(o.ranked[:3]) or "-"
                sys.stdout.write(f"\n{o.query.query!r} ({o.query.kind}): {where}; first: {first}")
            sys.stdout.write("\n")
    if args.save:
        import json

        args.save.write_text(json.dumps(saved, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.markdown:
        import json

        sys.stdout.write("\n" + markdown(json.loads(args.markdown.read_text(encoding="utf-8")), saved))
    if args.typos:
        sys.stdout.write(f"\n{'typo matcher':16} {'recall':>7} {'precision':>9} {'candidates':>10}\n")
        for name, recall, precision, per in typo_stress(store):
            sys.stdout.write(f"{name:16} {recall:7.1%} {precision:9.1%} {per:10.2f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

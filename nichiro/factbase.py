"""Finds the fact files, parses and validates them, and builds the in-memory fact base."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .errors import FactBaseError, Problem
from .model import (
    AUTHOR_FIELDS,
    CATEGORIES,
    CITATION_FIELDS,
    COMMON_FIELDS,
    FACT_ID_RE,
    FIGURE_FIELDS,
    HOLDER_FIELDS,
    ID_RE,
    REGISTRY_FIELDS,
    SOURCE_REF_FIELDS,
    UNDATED_CATEGORIES,
    Author,
    DateSpan,
    Fact,
    FactBase,
    Field,
    Holder,
    PartialDate,
    Person,
    Place,
    Source,
    SourceRef,
    Tag,
    Term,
    fields_of,
    place_ancestors,
)
from .paths import bundled_dir, inside, labelled, listing, read_regular

RECORD_KINDS = CATEGORIES + tuple(REGISTRY_FIELDS)
_COMMON_NAMES = frozenset(f.name for f in COMMON_FIELDS)


def bundled_facts_dir() -> Path:
    """The fact files shipped with nichiro: inside the package once installed, `facts/` in a checkout."""
    return Path(bundled_dir())


# --------------------------------------------------------------------------- locating records in text


class _Locator:
    """Finds the line of a record, or of one of its fields, in a TOML file's text (for messages)."""

    _HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: dict[str, list[int]] = {}
        self.top: list[int] = []  # lines of top-level record headers, for bounding a record
        for i, line in enumerate(self.lines):
            m = self._HEADER.match(line)
            if m:
                self.headers.setdefault(m[1], []).append(i)
                if "." not in m[1]:
                    self.top.append(i)

    def record(self, kind: str, index: int) -> int | None:
        found = self.headers.get(kind, [])
        return found[index] + 1 if index < len(found) else None

    def field(self, kind: str, index: int, name: str) -> int | None:
        start = self.record(kind, index)
        if start is None:
            return None
        i = bisect.bisect_left(self.top, start)  # the next record's header bounds this one
        end = self.top[i] if i < len(self.top) else len(self.lines)
        pattern = re.compile(rf"^\s*{re.escape(name)}\s*=")
        for i in range(start, end):
            if pattern.match(self.lines[i]):
                return i + 1
        return start


# --------------------------------------------------------------------------- value checks


def _check(f: Field, value: Any) -> str | None:
    """What is wrong with a value for a field, or None."""
    t = f.type
    if t == "text":
        if not isinstance(value, str):
            return f"must be a string, not {_type_name(value)}"
        if not value.strip():
            return "must not be empty"
    elif t == "enum":
        if not isinstance(value, str):
            return f"must be a string, not {_type_name(value)}"
        if value not in f.choices:
            return f"{value!r} is not one of: {', '.join(f.choices)}"
    elif t == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"must be a whole number, not {_type_name(value)}"
    elif t == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"must be a number, not {_type_name(value)}"
    elif t == "date":
        if not isinstance(value, str):
            return f'must be a date string like "2016-09-02", not {_type_name(value)}'
        try:
            DateSpan.parse(value)
        except ValueError as exc:
            return str(exc)
    elif t == "partial":
        if not isinstance(value, str):
            return f'must be a date string like "2012-05-07", not {_type_name(value)}'
        if "/" in value:
            return "must be one date, not a range"
        try:
            PartialDate.parse(value)
        except ValueError as exc:
            return str(exc)
    elif t == "entity":
        if not isinstance(value, str) or not value.strip():
            return f"must be an id (a string), not {_type_name(value)}"
    elif t == "places":
        if isinstance(value, str):
            return f"must be a list of place ids: write [{json_str(value)}]"
        if not isinstance(value, list) or not value:
            return f"must be a non-empty list of place ids, not {_type_name(value)}"
        for item in value:
            if not isinstance(item, str) or not item.strip():
                return f"must be a list of place ids; found {item!r}"
    elif t in ("texts", "ids", "people"):
        if not isinstance(value, list):
            return f"must be a list of strings, not {_type_name(value)}"
        for item in value:
            if not isinstance(item, str) or not item.strip():
                return f"must be a list of non-empty strings; found {item!r}"
    elif t in ("sources", "figures", "authors", "holders"):
        if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
            return "must be a list of tables"
    return None


def _author_problems(authors: list[dict[str, Any]]) -> Iterable[str]:
    for _, _key, m in _subtable_problems(authors, AUTHOR_FIELDS, "author"):
        yield m
    for i, author in enumerate(authors, 1):
        if ("name" in author) == ("family" in author):
            yield f"author #{i} needs a family name (a person) or a name (an organisation), not both"
        elif "given" in author and "family" not in author:
            yield f"author #{i}: given names go with a family name"


def _citation_problems(rec: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """A source's citation fields: given or listed in `unknown`, never both (one left out counts as unknown)."""
    unknown = rec.get("unknown", [])
    if not isinstance(unknown, list):
        return  # reported as a type error already
    for name in unknown:
        if name not in CITATION_FIELDS:
            yield "unknown", f"{name!r} is not a citation field (expected: {', '.join(CITATION_FIELDS)})"
    for name in CITATION_FIELDS:
        if name in rec and name in unknown:
            yield name, "is given, yet listed in unknown"
    if "title" not in rec and "described_as" not in rec:
        yield "described_as", "a source without a title needs described_as, cited in its place"
    if "title" in rec and "described_as" in rec:
        yield "described_as", "only for a source without a title"


def json_str(text: str) -> str:
    """A string as TOML (and JSON) write it, for a message that shows how to write a value."""
    import json

    return json.dumps(text, ensure_ascii=False)


def _type_name(value: Any) -> str:
    return {str: "a string", int: "a whole number", float: "a number", bool: "a boolean", list: "a list"}.get(
        type(value), "a table" if isinstance(value, dict) else type(value).__name__
    )


def _subtable_problems(
    items: list[dict[str, Any]], spec: tuple[Field, ...], what: str
) -> Iterable[tuple[int, str | None, str]]:
    """(index, key, message) for each problem inside a list of inline or array tables."""
    names = {f.name for f in spec}
    for i, item in enumerate(items):
        for key in item:
            if key not in names:
                yield i, key, f"unknown key in {what} #{i + 1} (expected: {', '.join(sorted(names))})"
        for f in spec:
            if f.name not in item:
                if f.required:
                    yield i, f.name, f"{what} #{i + 1} is missing {f.name!r}"
                continue
            msg = _check(f, item[f.name])
            if msg:
                yield i, f.name, f"{what} #{i + 1}: {msg}"


# --------------------------------------------------------------------------- loading

# A record as one file holds it: (id, line of its id, kind, line of its header, what it built).
# What it built is the Source/Person/Place/Term, the Fact (or a FactRef, once cached), or None
# when the record has problems of its own.
FactRef = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
Entry = tuple[str, "int | None", str, "int | None", Any]


def fact_ref(fact: Fact) -> FactRef:
    """What the cross-file checks need of a fact: its sources, people, places, related and disagreeing
    facts, and tags."""
    return (
        tuple(s.source for s in fact.sources),
        tuple(fact.details.get("participants", ())),
        tuple(fact.details.get("place", ())),
        fact.related,
        fact.disagrees_with,
        fact.tags,
    )


class FileUnit:
    """One file's records, validated on their own: everything but what refers to other files.

    The unit of caching: an edited file is read and checked again; the others' units are reused,
    and only the cross-file checks (`link`) run over all of them.
    """

    __slots__ = ("entries", "path", "problems")

    def __init__(self, path: str, problems: list[Problem], entries: list[Entry]) -> None:
        self.path = path
        self.problems = problems
        self.entries = entries

    @property
    def facts(self) -> list[Fact]:
        return [e[4] for e in self.entries if isinstance(e[4], Fact)]


class _FileReader:
    """Reads and validates one file's records."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.problems: list[Problem] = []
        self.entries: list[Entry] = []

    def read(self, path: str | Path) -> None:
        label = self.label
        try:
            raw = read_regular(str(path))
        except OSError as exc:
            self.problems.append(Problem(label, None, None, None, f"cannot read: {exc.strerror or exc}"))
            return
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.problems.append(Problem(label, line, None, None, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})"))
            return
        # Imported here: a run served from the cache parses no TOML and need not load a parser.
        # tomli's compiled wheels parse about 3x faster than the stdlib's pure-Python tomllib.
        import tomli

        try:
            data = tomli.loads(text)
        except tomli.TOMLDecodeError as exc:
            at: int | None = getattr(exc, "lineno", None)
            msg = getattr(exc, "msg", None) or re.sub(r"\s*\(at .*\)$", "", str(exc))
            self.problems.append(Problem(label, at, None, None, f"TOML syntax error: {msg}"))
            return
        except RecursionError as exc:  # tomli's limit on nested arrays and inline tables (400 levels)
            self.problems.append(Problem(label, _deepest_line(text), None, None, f"TOML syntax error: {exc}"))
            return
        loc = _Locator(text)
        for kind, records in data.items():
            if kind not in RECORD_KINDS:
                self.problems.append(
                    Problem(
                        label,
                        loc.record(kind, 0),
                        None,
                        kind,
                        f"unknown record kind (expected one of: {', '.join(RECORD_KINDS)})",
                    )
                )
                continue
            if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
                self.problems.append(Problem(label, None, None, kind, f"must be an array of tables: write [[{kind}]]"))
                continue
            for index, rec in enumerate(records):
                self._add_record(kind, index, rec, loc)

    def _add_record(self, kind: str, index: int, rec: dict[str, Any], loc: _Locator) -> None:
        rid = rec.get("id") if isinstance(rec.get("id"), str) else None
        line = loc.record(kind, index)
        ok = True

        def problem(field: str | None, message: str) -> None:
            nonlocal ok
            ok = False
            fl = loc.field(kind, index, field) if field else line
            self.problems.append(Problem(self.label, fl, rid or f"{kind} #{index + 1}", field, message))

        spec = fields_of(kind)
        names = {f.name for f in spec}
        for key in rec:
            if key not in names:
                problem(key, f"unknown key for a {kind} (expected: {', '.join(sorted(names))})")
            elif _has_nul(rec[key]):  # a NUL is never text, and it separates texts in the search index
                problem(key, "must not contain a NUL character (\\u0000)")
        for f in spec:
            required = f.required and not (f.name == "date" and kind in UNDATED_CATEGORIES)
            if f.name not in rec:
                if required:
                    problem(f.name, "required field is missing")
                continue
            msg = _check(f, rec[f.name])
            if not msg and kind == "source" and f.name == "date" and "/" in rec[f.name]:
                msg = "a source's date is one date, not a range"
            if msg:
                problem(f.name, msg)
            elif f.type == "sources":
                if f.required and not rec[f.name]:
                    problem(f.name, "at least one source is required")
                for _, _key, m in _subtable_problems(rec[f.name], SOURCE_REF_FIELDS, "source"):
                    problem(f.name, m)
            elif f.type == "figures":
                for _, _key, m in _subtable_problems(rec[f.name], FIGURE_FIELDS, "figure"):
                    problem(f.name, m)
            elif f.type == "authors":
                for m in _author_problems(rec[f.name]):
                    problem(f.name, m)
            elif f.type == "holders":
                for m in _holder_problems(rec[f.name]):
                    problem(f.name, m)
        if kind == "source":
            for field, m in _citation_problems(rec):
                problem(field, m)
        if kind == "person":
            office = rec.get("kind") == "office"
            if not office and "roles" not in rec:
                problem("roles", "required field is missing (a person's roles as the sources give them)")
            if not office and "holders" in rec:
                problem("holders", 'only an office has holders: give it kind = "office"')
        if rid is None:
            return
        id_re = ID_RE if kind in REGISTRY_FIELDS else FACT_ID_RE
        if not id_re.fullmatch(rid):  # not .match: "$" would let a final newline through
            hint = "kebab-case" if kind in REGISTRY_FIELDS else "kebab-case, starting with the fact's date"
            problem("id", f"{rid!r} is not a valid id ({hint})")
        elif kind not in REGISTRY_FIELDS and ok:
            self._check_id_date(rid, rec.get("date"), rec.get("former_date"), problem)
        built = self._build(kind, rec, line) if ok else None
        self.entries.append((rid, loc.field(kind, index, "id"), kind, line, built))

    @staticmethod
    def _check_id_date(rid: str, date: str | None, former: str | None, problem: Any) -> None:
        """An id starts with the fact's date; or, once a correction moved the date, with its former date."""
        prefix = re.match(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?|undated)(?=-)", rid)
        expected = str(DateSpan.parse(date).start) if date else "undated"
        found = prefix[1] if prefix else rid
        if found == expected:
            if former is not None:
                problem(
                    "former_date",
                    "the id starts with the fact's date: a former date is only for an id it no longer fits",
                )
            return
        if former is not None:
            if found != str(DateSpan.parse(former).start):
                problem(
                    "id",
                    f"id must start with the fact's date {expected!r} or its former date {former!r}, not {found!r}",
                )
            return
        problem("id", f"id must start with the fact's date {expected!r}, not {found!r}")

    def _build(self, kind: str, rec: dict[str, Any], line: int | None) -> Any:
        refs = tuple(SourceRef(s["source"], s["quote"]) for s in rec.get("sources", ()))
        if kind == "source":
            authors = rec.get("authors")
            return Source(
                id=rec["id"],
                file=rec["file"],
                publisher=rec["publisher"],
                date=PartialDate.parse(rec["date"]),
                type=rec.get("type"),
                date_kind=rec.get("date_kind"),
                language=rec.get("language"),
                title=rec.get("title"),
                described_as=rec.get("described_as"),
                authors=None if authors is None else tuple(Author(**a) for a in authors),
                url=rec.get("url"),
                licence=rec.get("licence"),
                unknown=tuple(f for f in CITATION_FIELDS if f not in rec or f in rec.get("unknown", ())),
                description=rec.get("description"),
                basis=rec.get("basis"),
                aliases=tuple(rec.get("aliases", ())),
            )
        if kind == "person":
            holders = tuple(
                Holder(
                    h["person"],
                    PartialDate.parse(h["start"]),
                    PartialDate.parse(h["end"]) if "end" in h else None,
                    h["basis"],
                    h.get("source"),
                    h.get("quote"),
                    h.get("note"),
                )
                for h in rec.get("holders", ())
            )
            return Person(
                rec["id"],
                rec["name"],
                rec["country"],
                tuple(rec.get("roles", ())),
                tuple(rec.get("aliases", ())),
                refs,
                rec.get("kind", "person"),
                holders,
            )
        if kind == "term":
            return Term(rec["id"], rec["name"], rec["kind"], tuple(rec.get("aliases", ())), tuple(rec.get("facts", ())))
        if kind == "tag":
            return Tag(rec["id"], rec.get("description"), tuple(rec.get("aliases", ())))
        if kind == "place":
            return Place(
                rec["id"],
                rec["name"],
                rec["kind"],
                rec["country"],
                tuple(rec.get("aliases", ())),
                refs,
                rec.get("parent"),
            )
        details = {
            k: (tuple(v) if isinstance(v, list) and k != "figures" else v)
            for k, v in rec.items()
            if k not in _COMMON_NAMES
        }
        return Fact(
            id=rec["id"],
            category=kind,
            date=DateSpan.parse(rec["date"]) if "date" in rec else None,
            former_date=DateSpan.parse(rec["former_date"]) if "former_date" in rec else None,
            title=rec["title"],
            summary=rec["summary"],
            sources=refs,
            tags=tuple(rec.get("tags", ())),
            note=rec.get("note"),
            as_written=tuple(rec.get("as_written", ())),
            status=rec.get("status", "fact"),
            related=tuple(rec.get("related", ())),
            disagrees_with=tuple(rec.get("disagrees_with", ())),
            details=details,
            file=self.label,
            line=line,
        )


def _holder_problems(items: list[dict[str, Any]]) -> Iterable[str]:
    """What is wrong with an office's list of holders, each problem as a message."""
    yield from (m for _, _key, m in _subtable_problems(items, HOLDER_FIELDS, "holder"))
    for i, item in enumerate(items):
        what = f"holder #{i + 1}"
        if item.get("basis") == "sources" and not (item.get("source") and item.get("quote")):
            yield f"{what}: a term from the sources gives its source and quote"
        if item.get("basis") == "outside-sources" and ("source" in item or "quote" in item):
            yield f'{what}: a term from outside the sources has no source or quote (basis = "sources" if it has)'
        try:
            start = PartialDate.parse(item["start"])
            end = PartialDate.parse(item["end"]) if "end" in item else None
        except (KeyError, TypeError, ValueError):
            continue  # reported above
        if end is not None and end.last_day() < start.first_day():
            yield f"{what}: the term ends ({end}) before it starts ({start})"


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


def _deepest_line(text: str) -> int:
    """The line where arrays and inline tables nest deepest (strings and comments skipped, roughly)."""
    depth = deepest = 0
    line = at = 1
    quote = ""
    for char in text:
        if char == "\n":
            line += 1
            quote = "" if quote == "#" else quote
        elif quote:
            if char == quote and quote != "#":
                quote = ""
        elif char in "\"'#":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest, at = depth, line
        elif char in "]}":
            depth -= 1
    return at


def read_file(path: str | Path, label: str) -> FileUnit:
    """One fact file, parsed and checked on its own."""
    reader = _FileReader(label)
    reader.read(path)
    return FileUnit(str(path), reader.problems, reader.entries)


class Linked:
    """Every file's records together, after the checks across files: ids, sources, people, places, facts."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.sources: dict[str, Source] = {}
        self.people: dict[str, Person] = {}
        self.places: dict[str, Place] = {}
        self.terms: dict[str, Term] = {}
        self.tags: dict[str, Tag] = {}
        self.facts: list[Fact] = []  # the facts built in this run (from files read, not from the cache)
        self.where: dict[str, tuple[str, int | None]] = {}  # id -> (file, line), for duplicates
        self.tag_where: dict[str, tuple[str, int | None]] = {}  # the same for tags, whose ids are apart


def link(units: Sequence[tuple[str, FileUnit]]) -> Linked:
    """Check what refers across files (duplicate ids; sources, people, places, facts referred to)."""
    out = Linked()
    problems = out.problems
    refs: list[tuple[str, str, int | None, FactRef]] = []  # (file, id, line, ref)
    registries: dict[str, dict[str, Any]] = {
        "source": out.sources,
        "person": out.people,
        "place": out.places,
        "term": out.terms,
        "tag": out.tags,
    }
    for label, unit in units:
        problems.extend(unit.problems)
        for rid, id_line, kind, line, built in unit.entries:
            # Tags have ids of their own: the tag `kuril-islands` names the place `kuril-islands`.
            where = out.tag_where if kind == "tag" else out.where
            if rid in where:
                other_file, other_line = where[rid]
                at = other_file + (f":{other_line}" if other_line else "")
                problems.append(Problem(label, id_line, rid, "id", f"duplicate id (also at {at})"))
                continue
            where[rid] = (label, id_line)
            if built is None:
                continue
            if kind in registries:
                registries[kind][rid] = built
            elif isinstance(built, Fact):
                out.facts.append(built)
                refs.append((label, rid, line, fact_ref(built)))
            else:
                refs.append((label, rid, line, built))
    disagreeing = {rid: ref[4] for _, rid, _, ref in refs}

    def check_sources(file: str, line: int | None, owner: str, source_ids: Iterable[str]) -> None:
        for sid in source_ids:
            if sid not in out.sources:
                problems.append(Problem(file, line, owner, "sources", f"unknown source {sid!r}"))

    # The tags are a closed list once any [[tag]] is given (the bundled base gives them): a tag
    # outside it is a problem, and a known misspelling (an alias) names the tag to use.
    spelled = {alias: tag.id for tag in out.tags.values() for alias in tag.aliases}
    for file, rid, line, (source_ids, participants, places, related, disagrees, tags) in refs:
        check_sources(file, line, rid, source_ids)
        for pid in participants:
            if pid not in out.people:
                problems.append(Problem(file, line, rid, "participants", f"unknown person {pid!r}"))
        for place in places:
            if place not in out.places:
                problems.append(Problem(file, line, rid, "place", f"unknown place {place!r}"))
        if len(set(places)) != len(places):
            problems.append(Problem(file, line, rid, "place", "a place is listed twice"))
        for tag in tags if out.tags else ():
            if tag not in out.tags:
                hint = f"write {spelled[tag]!r}" if tag in spelled else "add it to the tag registry ([[tag]])"
                problems.append(Problem(file, line, rid, "tags", f"unknown tag {tag!r}: {hint}"))
        for name, others in (("related", related), ("disagrees_with", disagrees)):
            for other in others:
                if other == rid:
                    problems.append(Problem(file, line, rid, name, "a fact cannot refer to itself"))
                elif other not in disagreeing:
                    problems.append(Problem(file, line, rid, name, f"unknown fact {other!r}"))
                elif name == "disagrees_with" and rid not in disagreeing[other]:
                    problems.append(
                        Problem(file, line, rid, name, f"{other!r} does not list this fact in disagrees_with")
                    )
    for term in out.terms.values():
        for fid in term.facts:
            if fid not in disagreeing:
                file, line = out.where.get(term.id, ("", None))
                problems.append(Problem(file, line, term.id, "facts", f"unknown fact {fid!r}"))
    entries: list[Person | Place] = [*out.people.values(), *out.places.values()]
    for entry in entries:
        file, line = out.where.get(entry.id, ("", None))
        check_sources(file, line, entry.id, (s.source for s in entry.sources))
    _check_places(out)
    _check_offices(out, check_sources)
    _check_tags(out)
    return out


def _check_places(out: Linked) -> None:
    """Every parent exists, and no place lies, through its parents, within itself."""
    for place in out.places.values():
        if place.parent is None:
            continue
        file, line = out.where.get(place.id, ("", None))
        if place.parent not in out.places:
            out.problems.append(Problem(file, line, place.id, "parent", f"unknown place {place.parent!r}"))
            continue
        chain = [place.id, *place_ancestors(place.id, out.places)]
        last = out.places[chain[-1]].parent
        if last is not None and last in chain:
            cycle = " -> ".join([*chain[chain.index(last) :], last])
            out.problems.append(Problem(file, line, place.id, "parent", f"places lie within each other: {cycle}"))


def _check_offices(out: Linked, check_sources: Any) -> None:
    """An office's holders are people (not offices), and a term from the sources cites a known source."""
    for office in out.people.values():
        file, line = out.where.get(office.id, ("", None))
        for i, holder in enumerate(office.holders, 1):
            held_by = out.people.get(holder.person)
            if held_by is None:
                out.problems.append(Problem(file, line, office.id, "holders", f"unknown person {holder.person!r}"))
            elif held_by.kind != "person":
                out.problems.append(
                    Problem(file, line, office.id, "holders", f"holder #{i}: {holder.person!r} is an office")
                )
            if holder.source:
                check_sources(file, line, office.id, [holder.source])


def _check_tags(out: Linked) -> None:
    """A tag's alias is not itself a tag."""
    for tag in out.tags.values():
        for alias in tag.aliases:
            if alias in out.tags:
                file, line = out.tag_where.get(tag.id, ("", None))
                out.problems.append(Problem(file, line, tag.id, "aliases", f"{alias!r} is a tag of its own"))


def collect(directories: Sequence[str | Path]) -> tuple[FactBase, list[Problem]]:
    """Load every fact file of the directories; return the base and every problem found."""
    problems: list[Problem] = []
    units = [(label, read_file(path, label)) for path, label in labelled(listing(directories, problems))]
    linked = link(units)
    base = FactBase(linked.facts, linked.sources, linked.people, linked.places, linked.terms, linked.tags)
    return base, problems + linked.problems


def load_factbase(directories: Sequence[str | Path] | None = None) -> FactBase:
    """The validated fact base, parsed afresh; raises FactBaseError carrying every problem."""
    base, problems = collect(list(directories or [bundled_facts_dir()]))
    if problems:
        raise FactBaseError(problems)
    return base


# --------------------------------------------------------------------------- quotes


def _squash(text: str) -> str:
    return " ".join(text.split())


class QuoteReport:
    """What `check --sources` found: the source texts it could not read, the quotes not in their text."""

    def __init__(self) -> None:
        self.texts = 0  # source texts looked for
        self.missing_texts: list[Problem] = []  # missing, unreadable, not a regular file, not UTF-8
        self.quotes = 0  # quotes looked for in a text that was read
        self.unchecked = 0  # quotes whose source text could not be read
        self.not_found: list[Problem] = []


def find_quotes(base: FactBase, sources_dir: Path) -> QuoteReport:
    """Look for every quote (whitespace aside) in its source text under sources_dir (a directory)."""
    report = QuoteReport()
    texts: dict[str, str] = {}
    for source in base.sources.values():
        report.texts += 1
        path = sources_dir / source.file
        if inside(str(sources_dir), source.file) is None:
            why = f"{source.file!r} is not a file name inside the sources directory"
            report.missing_texts.append(Problem(str(path), None, source.id, "file", why))
            continue
        try:
            texts[source.id] = _squash(read_regular(str(path)).decode("utf-8"))
        except FileNotFoundError:
            report.missing_texts.append(Problem(str(path), None, source.id, "file", "source text missing"))
        except OSError as exc:
            why = f"cannot read source text: {exc.strerror or exc}"
            report.missing_texts.append(Problem(str(path), None, source.id, "file", why))
        except UnicodeDecodeError as exc:
            why = f"source text is not UTF-8 (byte 0x{exc.object[exc.start]:02x})"
            report.missing_texts.append(Problem(str(path), None, source.id, "file", why))
    owners: list[tuple[str, str, int | None, Sequence[SourceRef]]] = [
        (f.id, f.file, f.line, f.sources) for f in base.facts
    ]
    entries: list[Person | Place] = [*base.people.values(), *base.places.values()]
    owners += [(e.id, "", None, e.sources) for e in entries]
    owners += [
        (office.id, "", None, [SourceRef(h.source, h.quote) for h in office.holders if h.source and h.quote])
        for office in base.people.values()
    ]
    for owner_id, file, line, refs in owners:
        for ref in refs:
            text = texts.get(ref.source)
            if text is None:
                report.unchecked += 1
                continue
            report.quotes += 1
            if _squash(ref.quote) not in text:
                shown = ref.quote if len(ref.quote) <= 70 else ref.quote[:67] + "..."
                report.not_found.append(
                    Problem(file or "facts", line, owner_id, "sources", f"quote not found in {ref.source}: {shown!r}")
                )
    return report


def check_quotes(base: FactBase, sources_dir: Path) -> list[Problem]:
    """Every source text that cannot be read and every quote not found in its text (find_quotes)."""
    if not sources_dir.is_dir():
        return [Problem(str(sources_dir), None, None, None, "no such directory")]
    report = find_quotes(base, sources_dir)
    return report.missing_texts + report.not_found

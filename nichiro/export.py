"""Exports the whole fact base as one SQLite database, shaped for `sqlite3`, Datasette and any SQL tool.

`facts` holds every fact (id, category, dates, title, summary, status, note, and the text search
reads); each category's table adds its own fields; link tables say who took part, where, which
tags, which quotes and which related facts, by foreign key. An FTS5 index reads its text from
`facts` (`content=[facts]`, as sqlite-utils builds it, so Datasette finds it by itself) and covers
every name and alias of the people, places and terms a fact refers to, in every script. Dates are
ISO text with `date_start`/`date_end` (the first and last day they may cover) so that SQL can
compare them. The database is written to a temporary file beside the target and renamed into
place, so a failure never leaves a half-written database behind. docs/sqlite.md describes it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import NichiroError, WriteError
from .model import (
    CATEGORIES,
    CATEGORY_FIELDS,
    REGISTRY_FIELDS,
    DateSpan,
    Fact,
    FactBase,
    Field,
    Person,
    Place,
    Source,
    Term,
)
from .outfile import check_target, replacing

# Bumped whenever a table or column changes meaning; stored as the database's `PRAGMA user_version`.
# 2: `facts` is a table; link tables for places, tags and related facts; the index reads `facts`.
DATABASE_VERSION = 2

# Registry kind -> table name (the category tables are named after their category).
REGISTRY_TABLES = {"source": "sources", "person": "people", "place": "places", "term": "terms"}
FTS_TABLE = "facts_fts"
# Diacritics folded so that "Shinzo" finds "Shinzō"; needs SQLite 3.27 or later.
FTS_TOKENIZER = "unicode61 remove_diacritics 2"
# The columns of `facts` the index reads, and how much a match in each weighs (bm25, best first).
FTS_COLUMNS = {"title": 10.0, "names": 6.0, "summary": 4.0, "details": 2.0, "note": 1.0, "quotes": 1.0}

_SQL_TYPES = {"int": "INTEGER", "number": "REAL"}
_SCALARS = frozenset({"text", "enum", "int", "number", "date"})
_PEOPLE = frozenset({"people"})  # a fact's participants: the `participants` link table
_PLACES = frozenset({"place", "places"})  # where a fact happened: the `fact_places` link table
# Details whose text search reads, besides title, summary and note.
_DETAIL_TEXT = ("occasion", "provisions", "parties", "reporter", "kind", "measure", "program")
# A Japanese name has no spaces: its beginnings and ends are indexed too, so that a search for 色丹
# finds the alias 色丹島 (FTS5 takes an unbroken run of Japanese script for one word).
_CJK_RUN = re.compile(r"[\u3040-\u30fa\u30fc-\u30ff\u3400-\u9fff\uf900-\ufaff]{3,}")  # ・ splits
_KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CJK_MAX = 12  # longer runs are whole phrases, not names: left as they are


@dataclass(frozen=True, slots=True)
class _Column:
    name: str
    sql_type: str = "TEXT"
    is_json: bool = False
    references: str | None = None
    primary: bool = False

    def ddl(self) -> str:
        out = f'"{self.name}" {self.sql_type}'
        if self.primary:
            out += " PRIMARY KEY"
        if self.references:
            out += f" REFERENCES {self.references}"
        return out


def _date_columns() -> list[_Column]:
    return [_Column("date"), _Column("date_precision"), _Column("date_start"), _Column("date_end")]


FACTS_COLUMNS = [
    _Column("id", primary=True),
    _Column("category"),
    *_date_columns(),
    _Column("year", "INTEGER"),
    _Column("title"),
    _Column("summary"),
    _Column("status"),
    _Column("note"),
    _Column("former_date"),
    _Column("names"),
    _Column("details"),
    _Column("quotes"),
]


def _category_columns(category: str) -> list[_Column]:
    """A category's table: the fact's id (a key into facts), its dates and title again, and its own fields."""
    columns = [_Column("id", references="facts(id)", primary=True), *_date_columns(), _Column("title")]
    for f in CATEGORY_FIELDS[category]:
        if f.type in _PEOPLE:
            columns.append(_Column("participant_names"))
        elif f.type in _PLACES:
            columns.append(_Column("place_names"))
        elif f.type in _SCALARS:
            columns.append(_Column(f.name, _SQL_TYPES.get(f.type, "TEXT")))
        else:  # lists of texts (parties) and of figures: JSON, which json_each reads
            columns.append(_Column(f.name, is_json=True))
    return columns


def _registry_column(kind: str, f: Field) -> list[_Column]:
    if f.name == "id":
        return [_Column("id", primary=True)]
    if f.type == "date":
        return _date_columns()
    if f.type in _PLACES or (kind == "place" and f.name == "parent"):
        return [_Column(f.name, references="places(id)")]
    if f.type in _SCALARS:
        return [_Column(f.name, _SQL_TYPES.get(f.type, "TEXT"))]
    return [_Column(f.name, is_json=True)]


def _registry_columns(kind: str) -> list[_Column]:
    columns = [c for f in REGISTRY_FIELDS[kind] for c in _registry_column(kind, f)]
    if kind == "source":  # what a source goes by, title or not: the label Datasette finds by itself
        columns.insert(1, _Column("name"))
    return columns


def _dates(span: DateSpan | None) -> dict[str, str | None]:
    if span is None:
        return {"date": None, "date_precision": None, "date_start": None, "date_end": None}
    return {
        "date": str(span),
        "date_precision": span.precision,
        "date_start": span.lo.isoformat(),
        "date_end": span.hi.isoformat(),
    }


def _cell(column: _Column, value: Any) -> Any:
    if column.is_json and value is not None:
        return json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)
    return value


def _insert(conn: sqlite3.Connection, table: str, columns: Sequence[_Column], rows: Iterable[dict[str, Any]]) -> None:
    names = ", ".join(f'"{c.name}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    conn.executemany(
        f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
        ([_cell(c, row.get(c.name)) for c in columns] for row in rows),
    )


def _create(conn: sqlite3.Connection, table: str, columns: Sequence[_Column]) -> None:
    conn.execute(f'CREATE TABLE "{table}" ({", ".join(c.ddl() for c in columns)})')


def _ids(value: Any) -> list[str]:
    """A reference field's ids: one id, a list of them, or none."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _field_ids(fact: Fact, types: frozenset[str]) -> list[str]:
    return [i for f in CATEGORY_FIELDS[fact.category] if f.type in types for i in _ids(fact.details.get(f.name))]


# --------------------------------------------------------------------------- what search reads


def cjk_parts(name: str) -> list[str]:
    """The beginnings and ends, of two characters or more, of a Japanese name ("色丹島" -> "色丹", "丹島")."""
    parts: list[str] = []
    for run in _CJK_RUN.findall(name):
        # Katakana names are split into words by their middle dots; compounds of kanji are not.
        if len(run) <= _CJK_MAX and _KANJI.search(run):
            parts += [run[:n] for n in range(len(run) - 1, 1, -1)] + [run[-n:] for n in range(len(run) - 1, 1, -1)]
    return list(dict.fromkeys(p for p in parts if p != name))


class _Names:
    """Every name of the entries a fact refers to: participants, places, tags, and the terms about it.

    Which entries a fact refers to is the gazetteer's to say (the one search uses); their names
    and aliases come from the registries, as written.
    """

    def __init__(self, base: FactBase) -> None:
        from .gazetteer import Gazetteer, fact_links, registry_entries

        self._links = fact_links
        self._gazetteer = Gazetteer(registry_entries(base.people.values(), base.places.values(), base.terms.values()))
        self._about: dict[str, list[str]] = {}
        for term in base.terms.values():
            for fact_id in term.facts:
                self._about.setdefault(fact_id, []).append(term.id)
        self._entries: dict[str, Person | Place | Term] = {**base.terms, **base.places, **base.people}

    def linked(self, fact: Fact) -> list[Person | Place | Term]:
        ids = self._links(fact, self._gazetteer, self._about)
        return [self._entries[i] for i in ids if i in self._entries]

    def text(self, fact: Fact) -> str:
        """`names`: each entry as "Name (alias, alias, ...)", "; " between entries."""
        out = []
        for entry in self.linked(fact):
            aliases = list(entry.aliases)
            parts = [p for a in (entry.name, *aliases) for p in cjk_parts(a)]
            others = ", ".join(dict.fromkeys([*aliases, *parts]))
            out.append(f"{entry.name} ({others})" if others else entry.name)
        return "; ".join(out)


def _details_text(fact: Fact) -> str:
    details = fact.details
    texts: list[str] = [str(fact.date)] if fact.date else []  # so that "Shikotan 1956" finds 1956's facts
    for key in _DETAIL_TEXT:
        value = details.get(key)
        if value is not None:
            texts += [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
    for fig in details.get("figures") or ():
        texts += [str(fig[k]) for k in ("label", "subject") if fig.get(k)]
    texts += list(fact.as_written)
    texts += [t.replace("-", " ") for t in fact.tags]
    return "\n".join(texts)


# --------------------------------------------------------------------------- the database


def _fact_rows(base: FactBase, names: _Names) -> Iterator[dict[str, Any]]:
    for f in base.facts:
        yield {
            "id": f.id,
            "category": f.category,
            **_dates(f.date),
            "year": f.date.lo.year if f.date else None,
            "title": f.title,
            "summary": f.summary,
            "status": f.status,
            "note": f.note,
            "former_date": str(f.former_date) if f.former_date else None,
            "names": names.text(f),
            "details": _details_text(f),
            "quotes": "\n".join(s.quote for s in f.sources),
        }


def _category_row(f: Fact, base: FactBase) -> dict[str, Any]:
    row: dict[str, Any] = {"id": f.id, **_dates(f.date), "title": f.title, **f.details}
    people = [base.people[p].name if p in base.people else p for p in _field_ids(f, _PEOPLE)]
    places = [base.places[p].name if p in base.places else p for p in _field_ids(f, _PLACES)]
    row["participant_names"] = "; ".join(people) or None
    row["place_names"] = "; ".join(places) or None
    return row


def _links(conn: sqlite3.Connection, base: FactBase) -> list[str]:
    """The link tables: participants, fact_places, tags and fact_tags, quotes, related_facts, term_facts."""
    tables = [
        (
            "participants",
            "fact_id TEXT NOT NULL REFERENCES facts(id), position INTEGER NOT NULL, "
            "person_id TEXT NOT NULL REFERENCES people(id), PRIMARY KEY (fact_id, position)",
            ((f.id, i, p) for f in base.facts for i, p in enumerate(_field_ids(f, _PEOPLE), 1)),
        ),
        (
            "fact_places",
            "fact_id TEXT NOT NULL REFERENCES facts(id), position INTEGER NOT NULL, "
            "place_id TEXT NOT NULL REFERENCES places(id), PRIMARY KEY (fact_id, position)",
            ((f.id, i, p) for f in base.facts for i, p in enumerate(_field_ids(f, _PLACES), 1)),
        ),
        (
            "tags",
            "id TEXT PRIMARY KEY, description TEXT, facts INTEGER NOT NULL",
            _tag_rows(base),
        ),
        (
            "fact_tags",
            "fact_id TEXT NOT NULL REFERENCES facts(id), tag TEXT NOT NULL REFERENCES tags(id), "
            "PRIMARY KEY (fact_id, tag)",
            ((f.id, t) for f in base.facts for t in dict.fromkeys(f.tags)),
        ),
        (
            "quotes",
            "fact_id TEXT NOT NULL REFERENCES facts(id), position INTEGER NOT NULL, "
            "source_id TEXT NOT NULL REFERENCES sources(id), quote TEXT NOT NULL, PRIMARY KEY (fact_id, position)",
            ((f.id, i, s.source, s.quote) for f in base.facts for i, s in enumerate(f.sources, 1)),
        ),
        (
            "related_facts",
            "fact_id TEXT NOT NULL REFERENCES facts(id), relation TEXT NOT NULL, "
            "related_id TEXT NOT NULL REFERENCES facts(id), PRIMARY KEY (fact_id, relation, related_id)",
            (
                (f.id, relation, other)
                for f in base.facts
                for relation, others in (("related", f.related), ("disagrees_with", f.disagrees_with))
                for other in dict.fromkeys(others)
            ),
        ),
        (
            "term_facts",
            "term_id TEXT NOT NULL REFERENCES terms(id), fact_id TEXT NOT NULL REFERENCES facts(id), "
            "PRIMARY KEY (term_id, fact_id)",
            ((t.id, f) for t in base.terms.values() for f in dict.fromkeys(t.facts) if f in base.by_id),
        ),
    ]
    for name, ddl, rows in tables:
        conn.execute(f'CREATE TABLE "{name}" ({ddl})')
        rows = list(rows)
        if rows:
            conn.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" for _ in rows[0])})', rows)
        # Each foreign key column indexed, for the joins and for Datasette's "links from other tables".
        for column in re.findall(r"(\w+) TEXT NOT NULL REFERENCES", ddl)[1:]:
            conn.execute(f'CREATE INDEX "{name}_{column}" ON "{name}" ("{column}")')
    return [name for name, _, _ in tables]


def _tag_rows(base: FactBase) -> list[tuple[str, str | None, int]]:
    """Every tag of the closed list (and any a fact carries beyond it), its description and how many carry it."""
    counts: dict[str, int] = dict.fromkeys(base.tags, 0)
    for f in base.facts:
        for t in dict.fromkeys(f.tags):
            counts[t] = counts.get(t, 0) + 1
    return [(t, base.tags[t].description if t in base.tags else None, n) for t, n in sorted(counts.items())]


def _write(conn: sqlite3.Connection, base: FactBase) -> list[str]:
    """Create and fill every table; return the table names in order."""
    tables: list[str] = ["facts"]
    _create(conn, "facts", FACTS_COLUMNS)
    conn.execute('CREATE INDEX "facts_date_start" ON "facts" (date_start)')
    conn.execute('CREATE INDEX "facts_category" ON "facts" (category)')
    _insert(conn, "facts", FACTS_COLUMNS, _fact_rows(base, _Names(base)))

    for category in CATEGORIES:
        columns = _category_columns(category)
        _create(conn, category, columns)
        conn.execute(f'CREATE INDEX "{category}_date_start" ON "{category}" (date_start)')
        _insert(conn, category, columns, (_category_row(f, base) for f in base.of_category(category)))
        tables.append(category)

    registries: dict[str, Mapping[str, Source | Person | Place | Term]] = {
        "source": base.sources,
        "person": base.people,
        "place": base.places,
        "term": base.terms,
    }
    for kind, entries in registries.items():
        table = REGISTRY_TABLES[kind]
        columns = _registry_columns(kind)
        _create(conn, table, columns)
        rows = []
        for entry in entries.values():
            row = entry.to_record()
            if isinstance(entry, Source):
                row["name"] = entry.label
                if row.get("date"):
                    row |= _dates(DateSpan.parse(row["date"]))
            rows.append(row)
        _insert(conn, table, columns, rows)
        tables.append(table)

    tables += _links(conn, base)

    # The index reads its text from `facts` (external content): `rebuild` fills it from there.
    indexed = ", ".join(FTS_COLUMNS)
    conn.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({indexed}, content=[facts], tokenize='{FTS_TOKENIZER}')")
    conn.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')")
    weights = ", ".join(str(w) for w in FTS_COLUMNS.values())
    conn.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) VALUES ('rank', 'bm25({weights})')")
    tables.append(FTS_TABLE)
    return tables


def _require_fts5() -> None:
    """Raise a clear error when this Python's SQLite cannot build the full-text index."""
    with closing(sqlite3.connect(":memory:")) as conn:
        try:
            conn.execute(f"CREATE VIRTUAL TABLE probe USING fts5(text, tokenize = '{FTS_TOKENIZER}')")
        except sqlite3.Error as exc:
            raise NichiroError(
                f"this Python's SQLite ({sqlite3.sqlite_version}) cannot build an FTS5 full-text index ({exc}); "
                "the export needs SQLite 3.27 or later built with FTS5"
            ) from None


def export_sqlite(base: FactBase, path: Path, force: bool = False) -> dict[str, int]:
    """Write the whole base to an SQLite database at path; return the rows in each table.

    Refuses to overwrite an existing file unless force, and anything but a regular file at all.
    Writes only path (through a temporary file beside it, renamed into place when complete:
    `nichiro.outfile`).
    """
    path = Path(path)
    check_target(path, force)
    _require_fts5()
    with replacing(path) as tmp:
        try:
            # isolation_level=None: the transaction is ours; an in-memory journal leaves no file beside it.
            with closing(sqlite3.connect(tmp, isolation_level=None)) as conn:
                conn.execute("PRAGMA journal_mode = MEMORY")
                conn.execute(f"PRAGMA user_version = {DATABASE_VERSION}")
                conn.execute("BEGIN")
                tables = _write(conn, base)
                conn.execute("COMMIT")
                counts = {t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}
        except sqlite3.Error as exc:
            raise WriteError(f"cannot write {path}: {exc}") from None
    return counts


# --------------------------------------------------------------------------- Datasette's metadata

# Safe against FTS syntax in what a user types: the words are split on spaces in SQL, each put in
# double quotes (a quote inside doubled) as a prefix phrase, so `AND`, `-`, `*`, `:` or an unbalanced
# quote are plain text; all the words must match. Nothing typed finds nothing, without an error.
SEARCH_SQL = """with recursive
  words(word, rest) as (
    select '', trim(replace(replace(replace(:q, char(9), ' '), char(10), ' '), char(13), ' ')) || ' '
    union all
    select substr(rest, 1, instr(rest, ' ') - 1), ltrim(substr(rest, instr(rest, ' ')))
    from words where rest != ''
  ),
  query(fts) as (
    select coalesce(group_concat('"' || replace(word, '"', '""') || '"*', ' '), '""')
    from words where word != ''
  )
select
  facts.id,
  facts.date,
  facts.category,
  facts.title,
  snippet(facts_fts, -1, '[', ']', '…', 16) as snippet
from facts_fts join facts on facts.rowid = facts_fts.rowid
where facts_fts match (select fts from query)
order by facts_fts.rank, facts.date_start
limit 200"""

# Under `nichiro serve` the query is `nichiro search` itself (nichiro.web): `nichiro_search(q)` gives
# its hits, best first, as JSON, each with why it matched and the words it matched, which `snippet`
# shows in [ ] (quoted as above, so that nothing typed is read as syntax).
FORGIVING_SEARCH_SQL = """with hits as (
  select
    key as position,
    json_extract(value, '$.id') as id,
    json_extract(value, '$.score') as score,
    json_extract(value, '$.why') as why,
    json_extract(value, '$.fts') as fts
  from json_each(nichiro_search(:q))
)
select
  facts.id,
  facts.date,
  facts.category,
  facts.title,
  hits.score,
  (
    select snippet(facts_fts, -1, '[', ']', '…', 16) from facts_fts
    where facts_fts match hits.fts and facts_fts.rowid = facts.rowid
  ) as snippet,
  hits.why
from hits join facts on facts.id = hits.id
order by hits.position"""


def fts_phrase(text: str) -> str:
    """Text as one FTS5 phrase, never read as syntax: in double quotes, a quote inside doubled.
    FTS5 splits it into words as it split the indexed text."""
    return '"' + text.replace('"', '""') + '"'


_FACTS_COLUMNS_HELP = {
    "id": "the fact's stable id: it starts with its date",
    "category": "meeting, treaty, trade, exchange, event or figure: the table with its own fields",
    "date": "ISO date at the source's precision (2016, 2016-05, 2016-09-02) or a range start/end",
    "date_precision": "year, month, day or range",
    "date_start": "the first day the date may cover (compare as text: date_start >= '2016')",
    "date_end": "the last day the date may cover",
    "year": "the year the date starts in",
    "title": "one line",
    "summary": "one or two sentences",
    "status": "fact, or claim: a source's assertion the texts cannot back",
    "note": "the curator's note: corrections, disagreements, what a source said",
    "former_date": "the date the fact had when its id was made, where a correction has moved it since",
    "names": "for search: every name and alias, in English, Japanese and Russian, of the people, places "
    "and key terms the fact refers to",
    "details": "for search: the date, the category's own text fields, the source's spellings and the tags",
    "quotes": "the verbatim quotes from the sources (one a line; the quotes table says which source)",
}
_LINK_HELP = {
    "participants": "who took part in a fact, in order",
    "fact_places": "where a fact happened, in order",
    "tags": "the closed list of tags, what each means, and how many facts carry it",
    "fact_tags": "the tags of each fact",
    "quotes": "every source of every fact, with its verbatim quote",
    "related_facts": "facts about the same thing (related) and facts from other sources that contradict "
    "one (disagrees_with)",
    "term_facts": "the facts each key term is about",
}
_FACETS = {
    "facts": ["category", "year", "status"],
    "meeting": ["kind", "level"],
    "treaty": ["kind"],
    "trade": ["measure", "reporter"],
    "exchange": ["program", "direction", "scope"],
    "event": ["kind"],
    "figure": ["kind"],
    "people": ["country"],
    "places": ["kind", "country"],
    "terms": ["kind"],
    "participants": ["person_id"],
    "fact_places": ["place_id"],
    "fact_tags": ["tag"],
    "quotes": ["source_id"],
    "related_facts": ["relation"],
}
CODE_LICENCE = ("MIT", "https://opensource.org/license/mit")
WIKIPEDIA_LICENCE = ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/")


def datasette_metadata(base: FactBase, database: str = "nichiro", forgiving: bool = False) -> dict[str, Any]:
    """Datasette's metadata for the exported database named `database` (its file name, less `.db`).

    Title, description, the licences of the code and of the quotes, the sources, and for each table
    its label column, default facets and sort, column descriptions, and the canned `search` query:
    `forgiving` (`nichiro serve`, whose plugin has the SQL functions) reads typos and other
    spellings as the command line does.
    """
    sources = sorted(base.sources.values(), key=lambda s: (str(s.date), s.id))
    share_alike = [s.id for s in sources if (s.licence or "").upper().startswith("CC BY-SA")]
    quotes_licence = (
        f"Quotes from {', '.join(share_alike)} (Wikipedia) are under CC BY-SA; quotes from the other sources "
        "are short extracts, each naming its source, and stay their publishers'."
        if share_alike
        else "Quotes are short extracts, each naming its source, and stay their publishers'."
    )
    tables: dict[str, Any] = {
        "facts": {
            "description": "Every fact of every category, each with its source and a verbatim quote. "
            "Search finds names and aliases in every script"
            + (", and reads typos and other spellings as nichiro search does" if forgiving else "")
            + "; the `search` query ranks the best first.",
            "label_column": "title",
            "sort": "date_start",
            "facets": _FACETS["facts"],
            "fts_table": FTS_TABLE,
            "columns": dict(_FACTS_COLUMNS_HELP),
        }
    }
    for category in CATEGORIES:
        columns = {"id": "the fact (its row in facts)"}
        for f in CATEGORY_FIELDS[category]:
            if f.type in _PEOPLE:
                columns["participant_names"] = "the participants' names (the participants table links them)"
            elif f.type in _PLACES:
                columns["place_names"] = "the places' names (the fact_places table links them)"
            elif f.help:
                columns[f.name] = f.help
        tables[category] = {
            "description": f"The {category} facts with their own fields; facts has what every fact shares.",
            "label_column": "title",
            "sort": "date_start",
            "facets": _FACETS[category],
            "columns": columns,
        }
    for kind, table in REGISTRY_TABLES.items():
        tables[table] = {
            "label_column": "name",
            "sort": "id",
            "columns": {f.name: f.help for f in REGISTRY_FIELDS[kind] if f.help},
        }
        if table in _FACETS:
            tables[table]["facets"] = _FACETS[table]
    tables["sources"]["description"] = "The source documents every fact quotes."
    tables["sources"]["columns"]["name"] = "what the source goes by: its title, or [what it is] where it shows none"
    tables["sources"]["license"] = quotes_licence
    for table, text in _LINK_HELP.items():
        tables[table] = {"description": text, **({"facets": _FACETS[table]} if table in _FACETS else {})}
    tables["tags"] |= {"sort_desc": "facts", "label_column": "id"}
    tables["quotes"] |= {"license": quotes_licence}
    tables["people"]["description"] = "People, with their roles and every alias search knows."
    tables["places"]["description"] = "Places, with their kind, country and every alias search knows."
    tables["terms"]["description"] = "Key terms (treaties, organisations, summits), with every alias search knows."
    tables = {name: {k: v for k, v in meta.items() if v} for name, meta in tables.items()}
    return {
        "title": "nichiro: Japan–Russia relations, fact by fact",
        "description": "Meetings, treaties, trade, exchanges and the wider timeline of Japan–Russia relations "
        "(日露), from 1855 on. Every fact names its source and carries a verbatim quote from it; dates keep "
        "the precision the source gives. Exported by nichiro.",
        "license": f"Code and the base's own text: MIT. {quotes_licence}",
        "license_url": WIKIPEDIA_LICENCE[1] if share_alike else CODE_LICENCE[1],
        "source": "; ".join(f"{s.label}, {s.publisher} ({s.date})" for s in sources),
        **({"source_url": next((s.url for s in sources if s.url), None)} if any(s.url for s in sources) else {}),
        "databases": {
            database: {
                "description": "The nichiro fact base. Start with facts, or the search query.",
                "tables": tables,
                "queries": {
                    "search": {
                        "title": "Search every fact, best first",
                        "description": "Words, names or aliases in any script (Shikotan, 色丹, Шикотан); every "
                        "word must match, as a word or the start of one. The snippet shows the words found in [ ]."
                        if not forgiving
                        else "Words, names or aliases in any script, as nichiro search reads them: the same facts "
                        "in the same order. A typo or another spelling or script is read as the word or name it "
                        "stands for (Shikotn, Sikotan, Шикотна), and the line above the rows says so; why says "
                        "what matched where, the snippet shows it in [ ].",
                        "sql": FORGIVING_SEARCH_SQL if forgiving else SEARCH_SQL,
                        "hide_sql": True,
                    }
                },
            }
        },
    }


def metadata_json(base: FactBase, database: str) -> str:
    """The metadata as the file's text."""
    return json.dumps(datasette_metadata(base, database), ensure_ascii=False, indent=2) + "\n"

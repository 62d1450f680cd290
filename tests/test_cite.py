"""Citations: every bundled source round-trips through BibTeX, RIS and CSL-JSON, read back by real parsers;
APA, Chicago and MLA come from the CSL processor and match citeproc-js, the processor Zotero uses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from pylatexenc.latex2text import LatexNodes2Text

from nichiro import cite, csl
from nichiro.factbase import load_factbase

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
SOURCES = [s.to_record() for s in load_factbase([REPO / "facts"]).sources.values()]
IDS = [s["id"] for s in SOURCES]
QUOTE = ("2016-09-02-putin-abe-vladivostok", "a quote with & and % and {braces} and “curly” ones")
REFERENCE = json.loads((DATA / "csl_reference.json").read_text(encoding="utf-8"))


def _what_a_citation_holds(src: dict[str, Any]) -> dict[str, Any]:
    """The registry's citation fields, as every format must carry them."""
    return {
        "title": src["title"],
        "described_as": src["described_as"],
        "authors": [a.get("name") or (a["family"], a.get("given")) for a in src["authors"] or ()],
        "publisher": src["publisher"],
        "date": src["date"],
        "url": src["url"],
        "language": src["language"],
    }


def _title_back(title: str) -> tuple[str | None, str | None]:
    """(title, described_as) from a title as BibTeX and RIS carry it: a description is in brackets."""
    if title.startswith("[") and title.endswith("]"):
        return None, title[1:-1]
    return title, None


# --------------------------------------------------------------------------- CSL-JSON


def test_csl_json_validates_against_the_csl_data_schema() -> None:
    schema = json.loads((DATA / "csl-data.json").read_text(encoding="utf-8"))
    items = json.loads(cite.csl_json([cite.Cited(s, [QUOTE]) for s in SOURCES]))
    jsonschema.validate(items, schema)
    jsonschema.validate(REFERENCE["items"], schema)  # the variants too
    assert len(items) == len(SOURCES)


@pytest.mark.parametrize("src", SOURCES, ids=IDS)
def test_csl_json_round_trip(src: dict[str, Any]) -> None:
    (item,) = json.loads(cite.csl_json([cite.Cited(src, [QUOTE])]))
    back = {
        "title": item.get("title"),
        "described_as": item.get("genre"),
        "authors": [a.get("literal") or (a["family"], a.get("given")) for a in item.get("author", [])],
        "publisher": item.get("container-title") or item.get("publisher"),
        "date": "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(item["issued"]["date-parts"][0])),
        "url": item.get("URL"),
        "language": item.get("language"),
    }
    assert back == _what_a_citation_holds(src)
    assert item["id"] == src["id"] and item["type"] == cite.CSL_TYPES[src["type"]]
    assert item["note"] == f"nichiro fact {QUOTE[0]}: \u201c{QUOTE[1]}\u201d"


# --------------------------------------------------------------------------- BibTeX


def _latex(text: str) -> str:
    return LatexNodes2Text().latex_to_text(text)


@pytest.mark.parametrize("src", SOURCES, ids=IDS)
def test_bibtex_round_trip(src: dict[str, Any]) -> None:
    text = cite.bibtex([cite.Cited(src, [QUOTE])])
    library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    assert not library.failed_blocks
    (entry,) = library.entries
    fields = {f.key: f.value for f in entry.fields}
    title, described = _title_back(_latex(fields["title"]))
    authors = [
        _latex(" ".join(n.last)) if not n.first else (_latex(" ".join(n.last)), _latex(" ".join(n.first)))
        for n in fields.get("author", [])
    ]
    back = {
        "title": title,
        "described_as": described,
        "authors": authors,
        "publisher": _latex(fields.get("journal") or fields["howpublished"]),
        "date": fields["date"],
        "url": fields.get("url"),  # never escaped, never decoded: \url reads it as it is
        "language": fields.get("language"),
    }
    assert back == _what_a_citation_holds(src)
    assert entry.key == src["id"]
    assert entry.entry_type == ("article" if src["type"] == "news" else "misc")
    assert fields["year"] == src["date"][:4]
    assert _latex(fields["annote"]) == f"nichiro fact {QUOTE[0]}: \u201c{QUOTE[1]}\u201d"
    assert _latex(fields.get("copyright", "")) == (src["licence"] or "")


def test_bibtex_escapes_what_latex_would_read_and_protects_capitals() -> None:
    src = {**SOURCES[3], "title": "50% of R&D_costs: #1 in {Asia} ~ Japan\\Russia", "authors": [{"name": "A & B"}]}
    text = cite.bibtex_entry(src)
    assert r"50\% of {R}\&{D}\_costs: \#1 in" in text
    assert r"\{\vphantom{\}}{Asia}\vphantom{\{}\}" in text and "{\\textasciitilde}" in text
    assert "author = {{A \\& B}}" in text  # an organisation: braced whole, never split into names
    assert cite.protect_case("Japan–Russia relations") == "Japan–{Russia} relations"
    assert cite.protect_case("APEC summit in Lima") == "{APEC} summit in {Lima}"


# --------------------------------------------------------------------------- RIS


@pytest.mark.parametrize("src", SOURCES, ids=IDS)
def test_ris_round_trip(src: dict[str, Any]) -> None:
    (record,) = rispy.loads(cite.ris([cite.Cited(src, [QUOTE])]))
    title, described = _title_back(record["title"])
    date = record.get("date", record["year"])
    back = {
        "title": title,
        "described_as": described,
        "authors": [tuple(a.split(", ", 1)) if ", " in a else a for a in record.get("authors", [])],
        "publisher": record.get("secondary_title") or record.get("publisher"),
        "date": "-".join(p for p in date.split("/") if p),
        "url": (record.get("urls") or [None])[0],
        "language": record.get("language"),
    }
    assert back == _what_a_citation_holds(src)
    assert record["type_of_reference"] == {"news": "NEWS", "encyclopedia-article": "ENCYC"}.get(src["type"], "ELEC")
    assert record["notes"] == [f"nichiro fact {QUOTE[0]}: \u201c{QUOTE[1]}\u201d"]


# --------------------------------------------------------------------------- APA, Chicago, MLA


@pytest.mark.parametrize("style", csl.STYLES)
def test_the_processor_renders_what_citeproc_js_renders(style: str) -> None:
    """Every bundled source and its variants (a month, a day, two authors, an organisation, a question
    for a title, no type, no URL): the same text as citeproc-js, for every style."""
    expected = REFERENCE[style]
    got = [csl.references([item], style)[0] for item in REFERENCE["items"]]
    assert [(r.id, r.text, r.in_bibliography) for r in got] == [
        (e["id"], e["text"], e["in_bibliography"]) for e in expected
    ]


def test_the_reference_items_are_what_the_registry_gives_now() -> None:
    bundled = [cite.csl_item(s) for s in SOURCES]
    assert REFERENCE["items"][: len(bundled)] == bundled, "run python scripts/gen_csl_reference.py"


@pytest.mark.parametrize("style", csl.STYLES)
def test_several_sources_in_the_styles_order(style: str) -> None:
    refs = csl.references([cite.csl_item(s) for s in SOURCES], style)
    assert sorted(r.id for r in refs) == sorted(IDS)
    alone = {e["id"]: e["text"] for e in REFERENCE[style]}
    assert all(r.text == alone[r.id] for r in refs)
    if style == "apa":  # by author, or by title where there is none (description or title)
        assert [r.text[:12] for r in refs][:3] == ["[Backgrounde", "Embassy of t", "Japan–Russia"]


def test_no_invented_author_and_no_n_d() -> None:
    for style in csl.STYLES:
        for ref in csl.references([cite.csl_item(s) for s in SOURCES], style):
            assert "n.d." not in ref.text and "Anonymous" not in ref.text and "contributors" not in ref.text
    apa = {r.id: r.text for r in csl.references([cite.csl_item(s) for s in SOURCES], "apa")}
    assert apa["pecob-2017"] == "Skaltsounis, P. (2017). Russia and Japan strengthen their ties. Pecob."
    assert apa["sputnik-2016"].startswith("[Backgrounder on Russia–Japan relations]. (2016, November 19). Sputnik.")


def test_styled_adds_each_facts_quote_under_its_source() -> None:
    pecob = next(s for s in SOURCES if s["id"] == "pecob-2017")
    text, notes = cite.styled([cite.Cited(pecob, [QUOTE])], "mla")
    assert text.splitlines() == [
        "Skaltsounis, Panagiotis. \u201cRussia and Japan Strengthen Their Ties.\u201d Pecob, 2017.",
        f"    nichiro fact {QUOTE[0]}: \u201c{QUOTE[1]}\u201d",
    ]
    assert notes == []
    wiki = next(s for s in SOURCES if s["id"] == "wikipedia-2019")
    text, notes = cite.styled([cite.Cited(wiki)], "chicago", quotes=False)
    assert text.startswith("\u201cJapan–Russia relations,\u201d Wikipedia, 2019,")
    assert notes and "in notes, not in the bibliography" in notes[0]


def test_unknown_fields_in_words() -> None:
    by_id = {s["id"]: s for s in SOURCES}
    assert cite.unknown_fields(by_id["sputnik-2016"]) == ["author", "title (its description stands in)"]
    assert cite.unknown_fields(by_id["pecob-2017"]) == ["URL"]
    assert cite.unknown_fields(by_id["wikipedia-2019"]) == []  # no byline by nature: nothing missing

"""Citations of the sources: CSL-JSON, BibTeX and RIS by the rules of the tools that read them, and APA,
Chicago and MLA by a CSL processor (`csl`).

CSL-JSON is the interchange format: one item per source, valid against the CSL data schema. BibTeX
and RIS follow Zotero's export translators (its entry types, fields, escaping and case protection),
so that what Zotero, BibTeX or a reference manager reads back is what the registry holds. A field
nothing shows stays out of every format: never an invented author, never "n.d." for a known date.
Nothing here imports a third-party library; `csl` (citeproc-py, lxml) is imported for the styles only.
"""

from __future__ import annotations

import json
import re
from typing import Any

TEXT_STYLES = ("apa", "chicago", "mla")
STYLES = (*TEXT_STYLES, "bibtex", "ris", "csl-json")

# The registry's kinds of source as CSL types (and Zotero's item types, BibTeX entry types, RIS types).
CSL_TYPES = {
    "news": "article-newspaper",
    "government-page": "webpage",
    "encyclopedia-article": "entry-encyclopedia",
    "analysis": "webpage",
}
_BIBTEX_TYPES = {"article-newspaper": "article"}  # Zotero: a newspaper article is @article; webpages @misc
_RIS_TYPES = {"article-newspaper": "NEWS", "webpage": "ELEC", "entry-encyclopedia": "ENCYC"}
# Where the publisher goes: the outlet, encyclopedia or site a work appears in (CSL container-title),
# or the organisation that issued it (publisher), which APA then lists as the group author.
_IN_CONTAINER = frozenset({"news", "encyclopedia-article", "analysis"})
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


class Cited:
    """A source to cite, with the facts (id and quote) that cite it."""

    __slots__ = ("quotes", "source")

    def __init__(self, source: dict[str, Any], quotes: list[tuple[str, str]] | None = None) -> None:
        self.source = source
        self.quotes = quotes or []


def quote_lines(cited: Cited) -> list[str]:
    """The facts that cite a source, one line each: where the user finds them again."""
    return [f"nichiro fact {fact_id}: \u201c{quote}\u201d" for fact_id, quote in cited.quotes]


def unknown_fields(source: dict[str, Any]) -> list[str]:
    """What a reference to the source leaves out because nothing shows it, in words."""
    out = []
    if source["authors"] is None:
        out.append("author")
    if source["title"] is None:
        out.append("title (its description stands in)")
    if source["url"] is None:
        out.append("URL")
    return out


# --------------------------------------------------------------------------- CSL-JSON


def csl_item(source: dict[str, Any], note: str | None = None) -> dict[str, Any]:
    """A source record as a CSL-JSON item."""
    kind = source.get("type")
    item: dict[str, Any] = {"id": source["id"], "type": CSL_TYPES.get(kind or "", "document")}
    if source["title"] is not None:
        item["title"] = source["title"]
    else:  # an untitled work is cited by a description, which the styles print in a title's place
        item["genre"] = source["described_as"]
    if source["authors"]:
        item["author"] = [_csl_name(a) for a in source["authors"]]
    item["container-title" if kind in _IN_CONTAINER else "publisher"] = source["publisher"]
    item["issued"] = {"date-parts": [[int(p) for p in source["date"].split("-")]]}
    if source["url"] is not None:
        item["URL"] = source["url"]
    if source.get("language"):
        item["language"] = source["language"]
    if note:
        item["note"] = note
    return item


def _csl_name(author: dict[str, str]) -> dict[str, str]:
    if "name" in author:
        return {"literal": author["name"]}
    return {k: author[k] for k in ("family", "given") if k in author}


def csl_json(cited: list[Cited], quotes: bool = True) -> str:
    items = [csl_item(c.source, "\n".join(quote_lines(c)) if quotes else None) for c in cited]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- BibTeX

# Zotero's BibTeX export: characters BibTeX or LaTeX would read as commands, and unbalanced braces.
_BIBTEX_ALWAYS = {
    "|": "{\\textbar}",
    "<": "{\\textless}",
    ">": "{\\textgreater}",
    "~": "{\\textasciitilde}",
    "^": "{\\textasciicircum}",
    "\\": "{\\textbackslash}",
    "{": "\\{\\vphantom{\\}}",
    "}": "\\vphantom{\\{}\\}",
}
_WORD = re.compile(r"[^\W_]+")


def bibtex_escape(text: str) -> str:
    text = "".join(_BIBTEX_ALWAYS.get(ch, ch) for ch in text)
    return re.sub(r"([#$%&_])", r"\\\1", text)


def protect_case(title: str) -> str:
    """Braces around every word with a capital, so that a style's lower-casing keeps proper nouns
    (Zotero's rule: not the first word when only its first letter is a capital)."""

    def protect(m: re.Match[str]) -> str:
        word = m.group()
        if not any(ch.isupper() for ch in word) or (m.start() == 0 and not any(ch.isupper() for ch in word[1:])):
            return word
        return "{" + word + "}"

    return _WORD.sub(protect, title)


def _bibtex_name(author: dict[str, str]) -> str:
    if "name" in author:
        return "{" + bibtex_escape(author["name"]) + "}"  # braced: an organisation, not "family, given"
    name = author["family"] + (", " + author["given"] if "given" in author else "")
    return re.sub(r" (and) ", r" {\1} ", bibtex_escape(name), flags=re.I)


def bibtex_entry(source: dict[str, Any], annote: list[str] | None = None) -> str:
    """A source as a BibTeX entry, keyed by its id (Zotero's types and fields, UTF-8)."""
    item = csl_item(source)
    fields: list[tuple[str, str]] = []
    title = source["title"] if source["title"] is not None else f"[{source['described_as']}]"
    fields.append(("title", "{" + protect_case(bibtex_escape(title)) + "}"))
    if source["authors"]:
        fields.append(("author", "{" + " and ".join(_bibtex_name(a) for a in source["authors"]) + "}"))
    entry_type = _BIBTEX_TYPES.get(item["type"], "misc")
    fields.append(
        ("journal" if entry_type == "article" else "howpublished", "{" + bibtex_escape(source["publisher"]) + "}")
    )
    parts = source["date"].split("-")
    fields.append(("year", "{" + parts[0] + "}"))
    if len(parts) > 1:
        fields.append(("month", _MONTHS[int(parts[1]) - 1]))  # BibTeX's month macros, unbraced
    fields.append(("date", "{" + source["date"] + "}"))  # biblatex's: keeps the day
    if source["url"] is not None:
        fields.append(("url", "{" + source["url"] + "}"))  # not escaped: \url reads it as it is
    if source.get("language"):
        fields.append(("language", "{" + source["language"] + "}"))
    if source.get("licence"):
        fields.append(("copyright", "{" + bibtex_escape(source["licence"]) + "}"))
    if annote:
        fields.append(("annote", "{" + bibtex_escape("\n".join(annote)) + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{entry_type}{{{source['id']},\n{body}\n}}\n"


def bibtex(cited: list[Cited], quotes: bool = True) -> str:
    return "\n".join(bibtex_entry(c.source, quote_lines(c) if quotes else None) for c in cited)


# --------------------------------------------------------------------------- RIS


def ris_record(source: dict[str, Any], notes: list[str] | None = None) -> str:
    """A source as an RIS record (Zotero's tags: TY, TI, AU, T2, PB, PY, DA, UR, LA, N1)."""
    item = csl_item(source)
    lines = [("TY", _RIS_TYPES.get(item["type"], "GEN"))]
    lines.append(("TI", source["title"] if source["title"] is not None else f"[{source['described_as']}]"))
    for author in source["authors"] or ():
        lines.append(("AU", author["name"] if "name" in author else ", ".join(_given_last(author))))
    lines.append(("T2" if "container-title" in item else "PB", source["publisher"]))
    parts = source["date"].split("-")
    lines.append(("PY", parts[0]))
    if len(parts) > 1:
        lines.append(("DA", "/".join([*parts, *[""] * (3 - len(parts))]) + "/"))  # YYYY/MM/DD/
    if source["url"] is not None:
        lines.append(("UR", source["url"]))
    if source.get("language"):
        lines.append(("LA", source["language"]))
    for note in notes or ():
        lines.append(("N1", note))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {' '.join(value.split())}".rstrip(" ") + "\n" for tag, value in lines)


def _given_last(author: dict[str, str]) -> list[str]:
    return [author["family"], *([author["given"]] if "given" in author else [])]


def ris(cited: list[Cited], quotes: bool = True) -> str:
    return "\n".join(ris_record(c.source, quote_lines(c) if quotes else None) for c in cited)


# --------------------------------------------------------------------------- APA, Chicago, MLA


def styled(cited: list[Cited], style: str, quotes: bool = True) -> tuple[str, list[str]]:
    """The references in a text style, each followed by its facts' quotes; and notes for stderr."""
    from . import csl

    by_id = {c.source["id"]: c for c in cited}
    refs = csl.references([csl_item(c.source) for c in cited], style)
    notes = []
    blocks = []
    for ref in refs:
        if not ref.in_bibliography:
            notes.append(
                f"{ref.id}: {csl.STYLES[style][1]} cites this kind of work in notes, not in the bibliography: "
                "this is the note"
            )
        lines = [ref.text]
        if quotes:
            lines += [f"    {line}" for line in quote_lines(by_id[ref.id])]
        blocks.append("\n".join(lines) + "\n")
    spaced = quotes and any(c.quotes for c in cited)  # a blank line between a reference's quotes and the next
    return ("\n" if spaced else "").join(blocks), notes

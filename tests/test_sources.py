"""The source registry: every bundled source can be cited, and says what is not known."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli

from nichiro.factbase import collect, load_factbase
from nichiro.fields import CITATION_FIELDS

REPO = Path(__file__).resolve().parent.parent
RAW = tomli.loads((REPO / "facts" / "sources.toml").read_text(encoding="utf-8"))["source"]
BASE = load_factbase([REPO / "facts"])


@pytest.mark.parametrize("raw", RAW, ids=[r["id"] for r in RAW])
def test_every_citation_field_is_given_or_explicitly_unknown(raw: dict) -> None:
    for name in CITATION_FIELDS:
        assert (name in raw) != (name in raw.get("unknown", [])), f"{raw['id']}: {name}"
    for name in ("type", "date_kind", "language", "basis", "description"):
        assert name in raw, f"{raw['id']}: {name}"
    assert ("title" in raw) != ("described_as" in raw)


def test_what_the_texts_show() -> None:
    s = BASE.sources
    assert [str(a) for a in s["pecob-2017"].authors or ()] == ["Panagiotis Skaltsounis"]
    assert s["pecob-2017"].title == "Russia and Japan strengthen their ties"
    # No byline: nobody is named as an author, and nobody is invented.
    assert s["sputnik-2016"].authors is None and "authors" in s["sputnik-2016"].unknown
    assert s["russian-government-2012"].authors is None
    assert s["wikipedia-2019"].authors == () and s["wikipedia-2022"].authors == ()
    # Texts without a headline have a description, never a made-up title.
    assert s["sputnik-2016"].title is None and s["sputnik-2016"].label == "[Backgrounder on Russia–Japan relations]"
    assert s["russian-government-2012"].title is None
    assert s["wikipedia-2019"].licence == "CC BY-SA" and s["wikipedia-2022"].licence == "CC BY-SA"
    assert {sid for sid, src in s.items() if src.licence is None} == {
        "sputnik-2016",
        "russian-government-2012",
        "pecob-2017",
    }
    assert s["pecob-2017"].url is None and "url" in s["pecob-2017"].unknown
    assert str(s["sputnik-2016"].date) == "2016-11-19" and s["sputnik-2016"].date_kind == "published"
    assert all(src.language == "en" for src in s.values())


def _problems(tmp_path: Path, source: str) -> list[str]:
    (tmp_path / "s.toml").write_text(f'[[source]]\nid = "s"\nfile = "s.txt"\n{source}', encoding="utf-8")
    _, problems = collect([tmp_path])
    return [f"{p.field}: {p.message}" for p in problems]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('publisher = "P"\ndate = "2020"\ntitle = "T"\nurl = "u"\nunknown = ["url"]\n', "url: is given, yet listed"),
        ('publisher = "P"\ndate = "2020"\n', "described_as: a source without a title needs"),
        ('publisher = "P"\ndate = "2020"\ntitle = "T"\ndescribed_as = "D"\n', "described_as: only for a source"),
        ('publisher = "P"\ndate = "2020"\ntitle = "T"\nunknown = ["date"]\n', "unknown: 'date' is not a citation"),
        ('publisher = "P"\ndate = "2020"\ntitle = "T"\nauthors = [{ given = "A" }]\n', "authors: author #1 needs"),
        (
            'publisher = "P"\ndate = "2020"\ntitle = "T"\nauthors = [{ family = "F", name = "N" }]\n',
            "authors: author #1 needs a family name",
        ),
        ('publisher = "P"\ndate = "2020"\ntitle = "T"\nauthors = ["F"]\n', "authors: must be a list of tables"),
        ('publisher = "P"\ndate = "2020"\ntitle = "T"\ntype = "blog"\n', "type: 'blog' is not one of"),
        ('publisher = "P"\ndate = "2020"\ntitle = "T"\nauthor = "A"\n', "author: unknown key"),
    ],
)
def test_bad_citation_fields_are_named(tmp_path: Path, source: str, expected: str) -> None:
    problems = _problems(tmp_path, source)
    assert any(p.startswith(expected) for p in problems), problems


def test_a_source_with_only_the_old_fields_still_loads_with_its_citation_fields_unknown(tmp_path: Path) -> None:
    assert _problems(tmp_path, 'title = "T"\npublisher = "P"\ndate = "2020"\n') == []
    base, _ = collect([tmp_path])
    assert set(base.sources["s"].unknown) == {"authors", "url", "licence"}

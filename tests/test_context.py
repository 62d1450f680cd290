"""A quote in its source text: sentences, paragraphs and the context around a quote."""

from __future__ import annotations

import pytest

from nichiro.context import around, find, sentences

from .conftest import needs_sources

TEXT = (
    "Relations were set up in 1925. Mr. Lavrov met Gen. Gerasimov in the U.S. on Monday. They talked.\n"
    "Heading\n"
    "A new paragraph starts here? Yes! It is a long paragraph, longer than a heading, and it ends in the Russian Far\n"
    "\n"
    "East, after a break inside the sentence. Last one.\n"
)


def _sentences(text: str) -> list[tuple[str, int]]:
    return [(text[s:e], p) for s, e, p in sentences(text)]


def test_sentences_abbreviations_headings_and_broken_lines() -> None:
    assert _sentences(TEXT) == [
        ("Relations were set up in 1925.", 0),
        ("Mr. Lavrov met Gen. Gerasimov in the U.S. on Monday.", 0),
        ("They talked.", 0),
        ("Heading", 1),
        ("A new paragraph starts here?", 2),
        ("Yes!", 2),
        (
            "It is a long paragraph, longer than a heading, and it ends in the Russian Far\n\n"
            "East, after a break inside the sentence.",
            2,
        ),
        ("Last one.", 2),
    ]


def test_around_takes_n_sentences_either_side_and_keeps_paragraph_breaks() -> None:
    c = around(TEXT, "Lavrov met  Gen. Gerasimov", 1)
    assert c is not None
    assert (c.before, c.quote, c.after) == (
        "Relations were set up in 1925. Mr. ",
        "Lavrov met Gen. Gerasimov",
        " in the U.S. on Monday. They talked.",
    )
    c = around(TEXT, "They talked.", 2)
    assert c is not None and c.after == "\nHeading\nA new paragraph starts here?"
    c = around(TEXT, "Russian Far East", 0)
    assert c is not None and c.before == "It is a long paragraph, longer than a heading, and it ends in the "
    assert c.after == ", after a break inside the sentence."
    assert around(TEXT, "not in the text", 1) is None
    assert find(TEXT, "   ") is None


def test_every_bundled_quote_is_found_in_its_text() -> None:
    from nichiro.factbase import load_factbase

    texts = needs_sources()
    base = load_factbase()
    for fact in base.facts:
        for ref in fact.sources:
            text = (texts / base.sources[ref.source].file).read_text(encoding="utf-8")
            found = around(text, ref.quote, 1)
            assert found is not None, (fact.id, ref.source)
            assert found.quote == " ".join(ref.quote.split())


@pytest.mark.parametrize("n", [0, 1, 3])
def test_more_sentences_never_fewer(n: int) -> None:
    shorter, longer = around(TEXT, "Yes!", n), around(TEXT, "Yes!", n + 1)
    assert shorter is not None and longer is not None
    assert longer.before.endswith(shorter.before) and longer.after.startswith(shorter.after)

"""Where a quote sits in its source text: the sentences around it, for `show --context`.

The texts are the project's source documents; the package ships facts and quotes only, so the
texts come from a directory the user names (--sources DIR or $NICHIRO_SOURCES). A quote is found
as `check --sources` finds it, whitespace aside; the context is whole sentences of its paragraph.
"""

from __future__ import annotations

import os
import re

from .errors import UsageError

SOURCES_ENV = "NICHIRO_SOURCES"
HOW_TO_GET = (
    "the source texts are the project's source documents, which the package does not ship "
    "(a clone of the project keeps them in ../shared/sources)"
)

# Words that end with a period without ending a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen lt col adm sgt no vol pp ed eds etc vs e.g i.e u.s u.k u.n jr sr fig approx est".split()
)
_END = re.compile(r"[.?!][\"'”’)\]]*(?=\s)")


class Context:
    """A quote as its text has it, with the sentences before and after it."""

    __slots__ = ("after", "before", "quote")

    def __init__(self, before: str, quote: str, after: str) -> None:
        self.before = before
        self.quote = quote
        self.after = after

    def to_record(self) -> dict[str, str]:
        return {"before": self.before, "quote": self.quote, "after": self.after}


def texts_dir(given: str | None) -> str:
    """The directory of the source texts: --sources, else $NICHIRO_SOURCES; a usage error if neither is there."""
    where = given or os.environ.get(SOURCES_ENV)
    if not where:
        raise UsageError(f"--context needs the source texts: give --sources DIR or set {SOURCES_ENV}; {HOW_TO_GET}")
    if not os.path.isdir(where):
        option = "--sources" if given else SOURCES_ENV
        raise UsageError(f"{option}: {where!r} is not a directory of source texts; {HOW_TO_GET}")
    return where


def read_text(directory: str, file: str) -> str:
    from .paths import inside, read_regular

    path = inside(directory, file)
    if path is None:  # a source's file names a text in the directory, never one elsewhere (../x, /etc/x)
        raise UsageError(f"--context: {file!r} is not a file name inside {directory}")
    try:
        return read_regular(path).decode("utf-8")  # a FIFO or a device is refused, not waited on
    except FileNotFoundError:
        raise UsageError(f"--context: {file} is not in {directory}; {HOW_TO_GET}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--context: cannot read {path}: {exc}") from None


def find(text: str, quote: str) -> tuple[int, int] | None:
    """Where the quote is in the text, whitespace aside: (start, end) offsets in the text."""
    words = quote.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else None


def sentences(text: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph) of each sentence. A line break ends a paragraph after a sentence's end or
    a short line (a heading); a break inside a sentence (a page's column break) does not."""
    out: list[tuple[int, int, int]] = []
    paragraph = 0
    start = None
    line_start = 0
    line = ""  # the last line with text in it
    for i, ch in enumerate(text):
        if start is None and not ch.isspace():
            start = i
        if ch == "\n":
            line = text[line_start:i].strip() or line
            if len(line) <= 80 or re.search(r"[.?!:\"'”’)\]|]$", line):  # a paragraph ends here
                if start is not None and text[start:i].strip():
                    out.append((start, len(text[:i].rstrip()), paragraph))
                start = None
                paragraph += 1
            line_start = i + 1
            continue
        if start is not None and ch in ".?!" and _END.match(text, i) and _ends_sentence(text, start, i):
            end = _END.match(text, i).end()  # type: ignore[union-attr]
            out.append((start, end, paragraph))
            start = None
    if start is not None and text[start:].strip():
        out.append((start, len(text.rstrip()), paragraph))
    return out


def _ends_sentence(text: str, start: int, i: int) -> bool:
    if text[i] != ".":
        return True
    word = re.search(r"(\S+)$", text[start:i])
    token = word.group(1).lower().lstrip("(\"'“") if word else ""
    if token in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", token):  # Mr. U.S. J.
        return False
    following = text[i + 1 : i + 3].lstrip()
    return not following[:1].islower()  # "at 5 p.m. on" does not end there


def around(text: str, quote: str, n: int = 1) -> Context | None:
    """The quote in its text with n sentences either side; None where it is not found.

    A paragraph break between the sentences is kept as a newline; spaces are otherwise collapsed.
    """
    span = find(text, quote)
    if span is None:
        return None
    spans = sentences(text)
    inside = [k for k, (s, e, _) in enumerate(spans) if s < span[1] and e > span[0]]
    if not inside:
        return Context("", _flat(text[span[0] : span[1]]), "")
    first, last = inside[0], inside[-1]
    lo, hi = max(0, first - n), min(len(spans) - 1, last + n)

    def sep(k: int) -> str:  # between sentence k - 1 and sentence k
        return "\n" if spans[k][2] != spans[k - 1][2] else " "

    before = "".join(_flat(text[spans[k][0] : spans[k][1]]) + sep(k + 1) for k in range(lo, first))
    before += _squeeze(text[spans[first][0] : max(span[0], spans[first][0])]).lstrip()
    after = _squeeze(text[span[1] : max(span[1], spans[last][1])]).rstrip()
    after += "".join(sep(k) + _flat(text[spans[k][0] : spans[k][1]]) for k in range(last + 1, hi + 1))
    return Context(before, _flat(text[span[0] : span[1]]), after)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _flat(text: str) -> str:
    return " ".join(text.split())

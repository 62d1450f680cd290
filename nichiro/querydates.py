"""Dates as people write them in a query, read as search's date terms: days with dots or slashes
("27.01.1992", "1992/01/27"), a month with one ("01.1992"), a season as its year ("spring 2016"),
decades in Russian and Japanese ("1990-е", "1990年代") and centuries ("19th century").

Imported by nichiro.search only for a query with a digit in it. docs/search.md, section 3.
"""

from __future__ import annotations

import re

# Dates written with dots or slashes, seasons, decades and centuries, read before the words are split.
_SEASONS = (
    "spring summer autumn fall winter весна весной весны весну летом лето лета осень осенью осени зима зимой зимы"
)


def _numeric_date(m: re.Match[str], said: list[tuple[str, str, str]]) -> str:
    """A day written with dots or slashes as ISO text: "27.01.1992" (day, month, year: as Russia and
    most of Europe write it), "1992/01/27", "1992.01.27"; "27/01/1992" and "01/27/1992" when only one
    reading is a date. Both readings dates ("03/04/2016"): the year, and `said` says why."""
    from .dates import PartialDate

    text = m[0]
    if m["y"]:  # the year first: year, month, day
        readings = [(m["y"], m["a"], m["b"])]
    elif m["sep"] == ".":
        readings = [(m["year"], m["m2"], m["d1"])]
    else:  # a slash: day/month (Europe) or month/day (the United States)
        readings = [(m["year"], m["m2"], m["d1"]), (m["year"], m["d1"], m["m2"])]
    valid = []
    for year, month, day in readings:
        try:
            valid.append(str(PartialDate.parse(f"{year}-{int(month):02d}-{int(day):02d}")))
        except ValueError:
            continue
    valid = list(dict.fromkeys(valid))
    if not valid:
        return text
    if len(valid) > 1:
        year = valid[0][:4]
        said.append((text, year, f"{' or '.join(valid)}: which is not said, so the year"))
        return f" {year} "
    return f" {valid[0]} "


def dates_as_written(text: str, said: list[tuple[str, str, str]]) -> str:
    """Days with dots or slashes, seasons (as their year), decades and centuries as search reads dates."""
    text = re.sub(
        r"\b(?:(?P<y>\d{4})[./](?P<a>\d{1,2})[./](?P<b>\d{1,2})"
        r"|(?P<d1>\d{1,2})(?P<sep>[./])(?P<m2>\d{1,2})(?P=sep)(?P<year>\d{4}))\b",
        lambda m: _numeric_date(m, said),
        text,
    )
    # A month and a year with a slash or a dot: "01/1992", "01.1992", "1992/01".
    text = re.sub(
        r"(?<![\d./])(?:(\d{1,2})[./](\d{4})|(\d{4})/(\d{1,2}))\b(?![./]\d)",
        lambda m: f" {m[2] or m[3]}-{int(m[1] or m[4]):02d} " if 1 <= int(m[1] or m[4]) <= 12 else m[0],
        text,
    )

    def season(m: re.Match[str]) -> str:
        said.append((m["said"], m["year"], "a season, read as its year"))
        return f" {m['year']} "

    text = re.sub(
        rf"\b(?:(?:in|the|в)\s+)*(?P<said>(?:{'|'.join(_SEASONS.split())})\s+(?:of\s+)?(?P<year>\d{{4}})(?:\s+года?\b)?)",
        season,
        text,
    )
    text = re.sub(r"(?P<said>(?P<year>\d{4})年?の?(?:春|夏|秋|冬))", season, text)
    # Decades: "1990-е", "1990-х годах", "1990年代"; centuries: "20th century" (1901-2000).
    text = re.sub(r"\b(\d{3}0)-?(?:е|х|ые|ых)\b|(\d{3}0)年代", lambda m: f" {m[1] or m[2]}s ", text)
    return re.sub(
        r"\b(1[1-9]|2[01])(?:st|nd|rd|th)\s+century\b",
        lambda m: f" {int(m[1]) * 100 - 99}..{int(m[1]) * 100} ",
        text,
    )

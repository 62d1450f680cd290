"""The partial-date type: parsing, precision, spans, ordering."""

from __future__ import annotations

import datetime as dt

import pytest

from nichiro.model import DateSpan, PartialDate


@pytest.mark.parametrize(
    ("text", "precision", "lo", "hi"),
    [
        ("2016", "year", dt.date(2016, 1, 1), dt.date(2016, 12, 31)),
        ("2016-02", "month", dt.date(2016, 2, 1), dt.date(2016, 2, 29)),
        ("2015-02", "month", dt.date(2015, 2, 1), dt.date(2015, 2, 28)),
        ("2016-09-02", "day", dt.date(2016, 9, 2), dt.date(2016, 9, 2)),
        ("2013-04-28/2013-04-30", "range", dt.date(2013, 4, 28), dt.date(2013, 4, 30)),
        ("2016-01/2016-08", "range", dt.date(2016, 1, 1), dt.date(2016, 8, 31)),
        ("1918/1922", "range", dt.date(1918, 1, 1), dt.date(1922, 12, 31)),
    ],
)
def test_span_covers_what_its_precision_says(text: str, precision: str, lo: dt.date, hi: dt.date) -> None:
    span = DateSpan.parse(text)
    assert (span.precision, span.lo, span.hi) == (precision, lo, hi)
    assert str(span) == text  # round-trips: a month never becomes a day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2016-02-30", "has no day 30"),
        ("2015-02-29", "has no day 29"),
        ("2016-13", "month 13 does not exist"),
        ("2016-00", "month 0 does not exist"),
        ("0000", "year must be 1 or later"),
        ("16", "is not a date"),
        ("2016-9-2", "is not a date"),
        ("September 2016", "is not a date"),
        ("2016/2015", "ends before it starts"),
        ("2016-05-02/2016-05-01", "ends before it starts"),
        ("", "is not a date"),
    ],
)
def test_bad_dates_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DateSpan.parse(text)


def test_year_filter_includes_overlapping_ranges() -> None:
    start, end = dt.date(2016, 1, 1), dt.date(2016, 12, 31)
    assert DateSpan.parse("2015-12-30/2016-01-02").overlaps(start, end)
    assert DateSpan.parse("1918/1922").overlaps(dt.date(1920, 1, 1), dt.date(1920, 12, 31))
    assert not DateSpan.parse("2015").overlaps(start, end)
    assert DateSpan.parse("2016-05").overlaps(None, None)


def test_month_precision_filter() -> None:
    lo, hi = PartialDate.parse("2013-04").first_day(), PartialDate.parse("2013-06").last_day()
    assert DateSpan.parse("2013-04-28/2013-04-30").overlaps(lo, hi)
    assert DateSpan.parse("2013-06").overlaps(lo, hi)
    assert not DateSpan.parse("2013-07-01").overlaps(lo, hi)
    assert DateSpan.parse("2013").overlaps(lo, hi)  # a year-only date may lie within


def test_ordering_puts_wider_spans_first() -> None:
    texts = ["2016-09-02", "2016", "2016-09", "2015-12-31", "2016-01-01"]
    ordered = sorted(texts, key=lambda t: DateSpan.parse(t).sort_key())
    assert ordered == ["2015-12-31", "2016", "2016-01-01", "2016-09", "2016-09-02"]

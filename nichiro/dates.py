"""Partial dates and date spans: a fact's date at exactly the precision its source gives.

Plain classes rather than dataclasses: this module is on the path of every command, and importing
`dataclasses` (which imports `inspect`) costs more than a fast command's whole lookup.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as _dt

_DATE = r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$"
_date_re: re.Pattern[str] | None = None  # compiled by the first parse: most lookups parse no date
PRECISIONS = ("year", "month", "day")
_MONTHS = ("January February March April May June July August September October November December").split()


def _days_in(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


class PartialDate:
    """A date known to the year, the month or the day; never more precise than its source."""

    __slots__ = ("day", "month", "year")
    year: int
    month: int | None
    day: int | None

    def __init__(self, year: int, month: int | None = None, day: int | None = None) -> None:
        object.__setattr__(self, "year", year)
        object.__setattr__(self, "month", month)
        object.__setattr__(self, "day", day)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"PartialDate is immutable: cannot set {name}")

    def __reduce__(self) -> tuple[type[PartialDate], tuple[int, int | None, int | None]]:
        return (PartialDate, (self.year, self.month, self.day))

    def _key(self) -> tuple[int, int | None, int | None]:
        return (self.year, self.month, self.day)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PartialDate) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"PartialDate(year={self.year!r}, month={self.month!r}, day={self.day!r})"

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; raise ValueError saying what is wrong."""
        global _date_re
        if _date_re is None:
            _date_re = re.compile(_DATE)
        m = _date_re.match(text.strip()) if isinstance(text, str) else None
        if not m:
            raise ValueError(f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
        year = int(m[1])
        month = int(m[2]) if m[2] else None
        day = int(m[3]) if m[3] else None
        if year < 1:
            raise ValueError(f"{text!r}: year must be 1 or later")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r}: month {month} does not exist")
        if day is not None:
            assert month is not None
            if not 1 <= day <= _days_in(year, month):
                raise ValueError(f"{text!r}: {_MONTHS[month - 1]} {year} has no day {day}")
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    # datetime is imported when a day is needed, not with this module: most lookups need none (its
    # pure-Python module body costs more than a search's own work: docs/performance.md).
    def first_day(self) -> _dt.date:
        from datetime import date

        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> _dt.date:
        from datetime import date

        if self.day:
            return date(self.year, self.month or 1, self.day)
        month = self.month or 12
        return date(self.year, month, _days_in(self.year, month))

    def __str__(self) -> str:
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}"
        if self.day:
            out += f"-{self.day:02d}"
        return out


class DateSpan:
    """A fact's date: one partial date, or a range `start/end` whose ends keep their own precision."""

    __slots__ = ("end", "start")
    start: PartialDate
    end: PartialDate | None

    def __init__(self, start: PartialDate, end: PartialDate | None = None) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"DateSpan is immutable: cannot set {name}")

    def __reduce__(self) -> tuple[type[DateSpan], tuple[PartialDate, PartialDate | None]]:
        return (DateSpan, (self.start, self.end))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateSpan) and (self.start, self.end) == (other.start, other.end)

    def __hash__(self) -> int:
        return hash((self.start, self.end))

    def __repr__(self) -> str:
        return f"DateSpan(start={self.start!r}, end={self.end!r})"

    @classmethod
    def parse(cls, text: str) -> DateSpan:
        if not isinstance(text, str):
            raise ValueError(f"{text!r} is not a date string")
        if "/" not in text:
            return cls(PartialDate.parse(text))
        left, _, right = text.partition("/")
        start, end = PartialDate.parse(left), PartialDate.parse(right)
        if end.last_day() < start.first_day():
            raise ValueError(f"{text!r}: the range ends before it starts")
        return cls(start, end)

    @property
    def lo(self) -> _dt.date:
        """The first day the span may cover."""
        return self.start.first_day()

    @property
    def hi(self) -> _dt.date:
        """The last day the span may cover."""
        return (self.end or self.start).last_day()

    @property
    def precision(self) -> str:
        return "range" if self.end else self.start.precision

    def overlaps(self, lo: _dt.date | None, hi: _dt.date | None) -> bool:
        """True when some day of this span lies within [lo, hi] (either bound may be open)."""
        return (lo is None or self.hi >= lo) and (hi is None or self.lo <= hi)

    def sort_key(self) -> tuple[_dt.date, int, _dt.date]:
        # A year sorts before its months, a month before its days: the wider span first.
        return (self.lo, PRECISIONS.index(self.start.precision), self.hi)

    def sort_text(self) -> str:
        """sort_key() as text that sorts the same way (what the store orders by)."""
        lo, precision, hi = self.sort_key()
        return f"{lo.isoformat()}|{precision}|{hi.isoformat()}"

    def __str__(self) -> str:
        return f"{self.start}/{self.end}" if self.end else str(self.start)


UNDATED_SORT_TEXT = "9999-12-31|9|9999-12-31"  # undated facts sort last (datetime.date.max, both ends)

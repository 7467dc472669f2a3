"""The periods of the HR report: the months, quarters and the year of one calendar year.

Periods are reported only once they are over and SETTLE_DAYS have passed (so late
attendance records land first). A quarter appears with its last month and the year with
December. Figures of a reported period therefore do not change as time goes on, which
matters because an HR viewer can keep old copies of the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

SETTLE_DAYS = 7
GRANULARITIES = ("month", "quarter", "year")


@dataclass(frozen=True)
class Period:
    key: str  # "2026-03", "2026-Q1", "2026"
    kind: str  # "month" | "quarter" | "year"
    year: int
    number: int  # month 1-12, quarter 1-4, or 1 for the year
    start: date
    end: date  # exclusive

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes at local midnight (Europe/Helsinki), end exclusive."""
        zone = timezone.get_default_timezone()
        return (
            datetime.combine(self.start, datetime.min.time(), tzinfo=zone),
            datetime.combine(self.end, datetime.min.time(), tzinfo=zone),
        )


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def year_periods(year: int) -> list[Period]:
    """The 17 periods of a year in grid order: 12 months, 4 quarters, the year."""
    months = [
        Period(f"{year}-{m:02d}", "month", year, m, date(year, m, 1), _next_month(date(year, m, 1)))
        for m in range(1, 13)
    ]
    quarters = [
        Period(f"{year}-Q{q}", "quarter", year, q, months[3 * q - 3].start, months[3 * q - 1].end)
        for q in range(1, 5)
    ]
    return [
        *months,
        *quarters,
        Period(str(year), "year", year, 1, date(year, 1, 1), date(year + 1, 1, 1)),
    ]


def is_reportable(period: Period, today: date) -> bool:
    return period.end + timedelta(days=SETTLE_DAYS) <= today


def default_year(today: date) -> int:
    """This year once its first month is reportable, else last year."""
    return today.year if is_reportable(year_periods(today.year)[0], today) else today.year - 1

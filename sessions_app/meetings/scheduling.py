"""Meeting times: recurrence in Helsinki local time, correct across DST changes.

Occurrences are computed on naive local date-times (so "13:00" stays 13:00 in both
summer and winter time) and only then made aware in Europe/Helsinki.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.utils.translation import gettext_lazy as _

HELSINKI = ZoneInfo("Europe/Helsinki")
MAX_OCCURRENCES = 52


class Repeat:
    ONCE = "once"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY_WEEKDAY = "monthly_weekday"
    MONTHLY_DATE = "monthly_date"

    CHOICES = [
        (ONCE, _("Once")),
        (WEEKLY, _("Every week")),
        (BIWEEKLY, _("Every two weeks")),
        (MONTHLY_WEEKDAY, _("Monthly on the same weekday (e.g. first Tuesday)")),
        (MONTHLY_DATE, _("Monthly on the same date")),
    ]


@dataclass(frozen=True)
class Occurrence:
    starts_at: datetime
    ends_at: datetime


def local(day: date, at: time) -> datetime:
    return datetime.combine(day, at).replace(tzinfo=HELSINKI)


def build_rule(first_day: date, start: time, repeat: str, count: int) -> rrule.rrule | None:
    dtstart = datetime.combine(first_day, start)
    if repeat == Repeat.ONCE:
        return None
    if repeat == Repeat.WEEKLY:
        return rrule.rrule(rrule.WEEKLY, dtstart=dtstart, count=count)
    if repeat == Repeat.BIWEEKLY:
        return rrule.rrule(rrule.WEEKLY, interval=2, dtstart=dtstart, count=count)
    if repeat == Repeat.MONTHLY_WEEKDAY:
        nth = (first_day.day - 1) // 7 + 1
        if nth == 5:
            nth = -1  # "the fifth Friday" does not exist every month: use the last one
        weekday = rrule.weekdays[first_day.weekday()](nth)
        return rrule.rrule(rrule.MONTHLY, dtstart=dtstart, byweekday=weekday, count=count)
    if repeat == Repeat.MONTHLY_DATE:
        # bymonthday=-1 style is not wanted; months without the date are skipped.
        return rrule.rrule(rrule.MONTHLY, dtstart=dtstart, count=count)
    raise ValueError(repeat)


def occurrences(
    *, first_day: date, start: time, end: time, repeat: str = Repeat.ONCE, count: int = 1
) -> list[Occurrence]:
    """The meetings of a series, each starting and ending at the same local times."""
    rule = build_rule(first_day, start, repeat, count)
    days = [first_day] if rule is None else [moment.date() for moment in rule]
    duration = datetime.combine(first_day, end) - datetime.combine(first_day, start)
    result = []
    for day in days:
        starts_at = local(day, start)
        # Add the duration in local wall time so a 13–16 meeting stays 13–16.
        ends_at = (datetime.combine(day, start) + duration).replace(tzinfo=HELSINKI)
        result.append(Occurrence(starts_at, ends_at))
    return result


def rule_text(first_day: date, start: time, repeat: str, count: int) -> str:
    rule = build_rule(first_day, start, repeat, count)
    if rule is None:
        return ""
    return str(rule).splitlines()[-1]


def overlaps(new: list[Occurrence], existing: list[tuple[datetime, datetime]]) -> Occurrence | None:
    """The first new occurrence that overlaps an existing meeting or another new one."""
    taken = sorted(existing)
    for index, occurrence in enumerate(new):
        for other in new[:index]:
            if occurrence.starts_at < other.ends_at and other.starts_at < occurrence.ends_at:
                return occurrence
        for starts_at, ends_at in taken:
            if occurrence.starts_at < ends_at and starts_at < occurrence.ends_at:
                return occurrence
    return None

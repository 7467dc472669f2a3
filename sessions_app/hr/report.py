"""The HR report: the suppressed figures of one organisation and year, the only data path
for HR pages and exports.

`participation_report` counts (sessions_app/hr/queries.py, where the figures are
defined), lays the counts out on one grid of rows (O's units, "no unit" when such people
have data, the organisation total) and reportable periods (sessions_app/hr/periods.py),
hides what sessions_app/hr/suppression.py says must be hidden and turns the rest into
figures. No name, forum, meeting or person leaves this module; only figures per (row,
period) do, and every page and export reads them from the Report. A hidden figure is
None, and `Report.marker` gives what is shown instead: "< k" when the group it rests
on is smaller than k, ".." when it is hidden for another figure's sake.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

from members.models import Organisation, Unit
from sessions_app.hr.knowledge import SMALL, average, rate
from sessions_app.hr.periods import Period, default_year, is_reportable, year_periods
from sessions_app.hr.queries import COUNT_NAMES, Counts, Tally, organisation_units, period_tally
from sessions_app.hr.suppression import suppress
from sessions_app.models import PULSE_QUESTION_NAMES

# Stable machine names, in display order; the CSV header is "period,level,unit" + these.
FIGURES = (
    "enrolled",
    "participants",
    "meetings_attended",
    "attendance_rate",
    "stayed",
    "pulse_answers",
    *(f"pulse_{name}" for name in PULSE_QUESTION_NAMES),
)
TOTAL = "total"
NO_UNIT = "no-unit"
MEMORY = 32  # suppressed grids remembered per process (see _hidden)
SHARED_SECONDS = 60 * 60 * 24 * 400  # ... and in the shared cache, for all processes
_MEMORY: OrderedDict = OrderedDict()
_MEMORY_LOCK = threading.Lock()
OTHER_MARKER = ".."  # hidden although the group is not small, for another figure's sake
# The suppression family (see suppression.py) of each figure: hidden together.
FAMILY_NAMES = ("enrolled", "participation", "pulse")
FIGURE_FAMILIES = {
    "enrolled": "enrolled",
    "participants": "participation",
    "meetings_attended": "participation",
    "attendance_rate": "participation",
    "stayed": "enrolled",
    **{name: "pulse" for name in FIGURES if name.startswith("pulse_")},
}

Figures = dict[str, int | float | None]  # by name of FIGURES; None: hidden
RowCounts = dict[str, list[int]]  # one row's counts: by name, one number per period


@dataclass(frozen=True)
class Row:
    key: str  # "unit-<id>", NO_UNIT or TOTAL
    kind: str  # "unit" | "no_unit" | "total"
    name: str = ""  # the unit's name; empty for the others (templates label them)
    unit_id: int | None = None


@dataclass(frozen=True)
class Line:
    period: Period
    row: Row
    figures: Figures


@dataclass
class Report:
    """Suppressed figures of one organisation and year. Every HR page and export reads
    this object; nothing else in it identifies a person."""

    organisation_id: int
    year: int
    threshold: int
    rows: list[Row]
    periods: list[Period]  # reportable ones, grid order
    figures: dict[tuple[str, str], Figures] = field(default_factory=dict)
    # (row key, period key) -> family -> "small" | "other", for the hidden ones
    hidden: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    @property
    def small_group(self) -> int:
        """Groups smaller than this get no figure that says something of all members."""
        return 2 * self.threshold

    def marker(self, row_key: str, period_key: str, figure: str) -> str:
        """What a hidden figure shows: "< k" or ".." (see the module docstring)."""
        kind = self.hidden.get((row_key, period_key), {}).get(FIGURE_FAMILIES[figure])
        return f"< {self.threshold}" if kind == SMALL else OTHER_MARKER

    def periods_of(self, granularity: str) -> list[Period]:
        return [period for period in self.periods if period.kind == granularity]

    def row(self, key: str) -> Row | None:
        return next((row for row in self.rows if row.key == key), None)

    def lines(self, granularity: str, row_key: str | None = None) -> list[Line]:
        """Period by period: the unit rows (or just `row_key`) and the total."""
        rows = [r for r in self.rows if row_key in (None, r.key) or r.kind == "total"]
        return [
            Line(period, row, self.figures[(row.key, period.key)])
            for period in self.periods_of(granularity)
            for row in rows
        ]

    def series(self, granularity: str, row_key: str = TOTAL) -> list[Line]:
        row = self.row(row_key) or self.row(TOTAL)
        return [
            Line(period, row, self.figures[(row.key, period.key)])
            for period in self.periods_of(granularity)
        ]


def participation_report(
    organisation_id: int,
    *,
    year: int,
    today: date | None = None,
    units: list[Unit] | None = None,
    threshold: int | None = None,
) -> Report:
    """The suppressed report of one organisation and year.

    Runs at most four queries (units unless given, memberships, participations, pulse),
    whatever the data size. Callers choose the organisation; only members.roles
    .hr_organisation_id(user) may be passed on behalf of an HR viewer.
    """
    today = today or timezone.localdate()
    threshold = threshold or settings.FOORUMIX_MIN_GROUP_SIZE
    if units is None:
        units = organisation_units(organisation_id)
    periods = [p for p in year_periods(year) if is_reportable(p, today)]
    if not periods:
        return Report(organisation_id, year, threshold, _rows(units, {}), periods)
    tally = period_tally(organisation_id, periods)
    rows = _rows(units, tally.counts)
    report = Report(organisation_id, year, threshold, rows, periods)
    values = _row_counts(rows, tally.counts, len(periods))
    hidden = _hidden(rows, periods, values, tally, threshold)
    for (family, r, p), kind in hidden.items():
        report.hidden.setdefault((rows[r].key, periods[p].key), {})[family] = kind
    for r, row in enumerate(rows):
        for p, period in enumerate(periods):
            kinds = report.hidden.get((row.key, period.key), {})
            shown = {family: family not in kinds for family in FAMILY_NAMES}
            report.figures[(row.key, period.key)] = _figures(values[r], p, shown)
    return report


def _hidden(
    rows: list[Row], periods: list[Period], values: list[RowCounts], tally: Tally, threshold: int
) -> dict:
    """suppression.suppress for this grid, remembered for the last MEMORY grids: a page
    view, its filters and CSVs ask for the same report in turn, and the answer is a
    function of these counts alone."""
    counts = {
        (name, r, p): number
        for r, row_values in enumerate(values)
        for name, numbers in row_values.items()
        for p, number in enumerate(numbers)
    }
    row_of = {row.unit_id: r for r, row in enumerate(rows) if row.kind == "unit"}
    no_unit = len(rows) - 2  # the "no unit" row, present whenever someone needs it
    people = sorted(
        (row_of.get(unit_id, no_unit), tuple(sorted((k, tuple(v)) for k, v in counted.items())))
        for unit_id, counted in tally.people
    )
    arguments = (
        len(rows),
        tuple(period.key for period in periods),
        tuple(sorted(counts.items())),
        threshold,
        PULSE_QUESTION_NAMES,
        tuple(tally.most_attended),
        tuple(tally.most_recorded),
        tuple(people),
    )
    with _MEMORY_LOCK:  # one look-up: a tuple of a thousand counts is hashed each time
        remembered = _MEMORY.get(arguments)
        if remembered is not None:
            _MEMORY.move_to_end(arguments)
            return remembered
    # The key is a keyed digest of the counts: the cache holds which cells are hidden,
    # never a count, and a copy of it cannot be matched against guessed counts.
    shared_key = "hr-suppression:" + salted_hmac(__name__, repr(arguments)).hexdigest()
    hidden = cache.get(shared_key)
    if hidden is None:
        hidden = suppress(
            len(rows),
            periods,
            counts,
            threshold=threshold,
            scores=PULSE_QUESTION_NAMES,
            most_attended=tally.most_attended,
            most_recorded=tally.most_recorded,
            people=[(r, {k: list(v) for k, v in counted}) for r, counted in people],
        )
        cache.set(shared_key, hidden, SHARED_SECONDS)
    with _MEMORY_LOCK:
        _MEMORY[arguments] = hidden
        while len(_MEMORY) > MEMORY:
            _MEMORY.popitem(last=False)
    return hidden


def reports_prepare(today: date | None = None) -> int:
    """Work out every organisation's report of the current year ahead of its viewers.

    Run by the worker (sessions_app.tasks.prepare_hr_reports) after each pulse release
    (every quarter hour): the disclosure-control search takes seconds for a large organisation,
    and its result goes to the shared cache, so the first HR view after new data finds
    it ready. Unchanged data costs the report's four queries and a cache read."""
    today = today or timezone.localdate()
    year = default_year(today)
    organisations = list(Organisation.objects.values_list("pk", flat=True))
    for organisation_id in organisations:
        units = organisation_units(organisation_id)
        for reported in (year, year - 1):  # late data may still reach last year
            participation_report(organisation_id, year=reported, today=today, units=units)
    return len(organisations)


def _rows(units: list[Unit], counts: Counts) -> list[Row]:
    """O's units, "no unit" when people without one have data, and the total.

    A unit id that is not one of O's units (inconsistent data) counts as "no unit", so
    another organisation's unit name can never appear."""
    rows = [Row(f"unit-{u.pk}", "unit", u.name, u.pk) for u in units]
    known = {u.pk for u in units}
    if any(unit_id not in known for unit_id in counts):
        rows.append(Row(NO_UNIT, "no_unit"))
    rows.append(Row(TOTAL, "total"))
    return rows


def _row_counts(rows: list[Row], counts: Counts, period_count: int) -> list[RowCounts]:
    """Per row, every count per period: a unit's own; for "no unit" and the total, the
    sum over the unit ids they stand for."""
    known = {row.unit_id for row in rows if row.kind == "unit"}
    zeros = [0] * period_count
    values = []
    for row in rows:
        if row.kind == "unit":
            unit = counts.get(row.unit_id, {})
            values.append({name: unit.get(name, zeros) for name in COUNT_NAMES})
            continue
        # Units partition O's people, so adding them up is exact, distinct counts included.
        parts = [c for u, c in counts.items() if row.kind == "total" or u not in known]
        values.append(
            {
                name: [
                    sum(c) for c in zip(zeros, *(p.get(name, zeros) for p in parts), strict=True)
                ]
                for name in COUNT_NAMES
            }
        )
    return values


def _figures(values: RowCounts, p: int, shown: dict[str, bool]) -> Figures:
    """The figures of period number p of one row, None where its family is hidden."""
    figures: Figures = dict.fromkeys(FIGURES)
    if shown["enrolled"]:
        figures["enrolled"] = values["enrolled"][p]
    if shown["enrolled"]:
        figures["stayed"] = values["stayed"][p]
    if shown["participation"]:
        attended, recorded = values["attended"][p], values["recorded"][p]
        figures["participants"] = values["participants"][p]
        figures["meetings_attended"] = attended
        figures["attendance_rate"] = rate(attended, recorded)
    if shown["pulse"]:
        answers = values["answers"][p]
        figures["pulse_answers"] = answers
        for question in PULSE_QUESTION_NAMES:
            figures[f"pulse_{question}"] = average(values[question][p], answers)
    return figures

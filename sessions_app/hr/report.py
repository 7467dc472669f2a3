"""The HR report: the suppressed figures of one organisation and year, the only data path
for HR pages and exports.

`participation_report` counts (sessions_app/hr/queries.py, where the figures are
defined), lays the counts out on one grid of rows (O's units, "no unit" when such people
have data, the organisation total) and reportable periods (sessions_app/hr/periods.py),
hides what sessions_app/hr/suppression.py says must be hidden and turns the rest into
figures. No name, forum, meeting or person leaves this module; only figures per (row,
period) do, and every page and export reads them from the Report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone

from members.models import Unit
from sessions_app.hr.periods import Period, is_reportable, year_periods
from sessions_app.hr.queries import COUNT_NAMES, Counts, organisation_units, period_counts
from sessions_app.hr.suppression import FAMILIES, Cell, Grid
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
# The count each suppression family rests on (its base, see suppression.py).
FAMILY_BASES = {
    "enrolled": "enrolled",
    "participation": "participants",
    "stayed": "stayed",
    "pulse": "answers",
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
    counts = period_counts(organisation_id, periods) if periods else {}
    rows = _rows(units, counts)
    report = Report(organisation_id, year, threshold, rows, periods)
    if not periods:
        return report

    values = _row_counts(rows, counts, len(periods))
    hidden = _hidden_cells(rows, periods, values, threshold)
    for r, row in enumerate(rows):
        for p, period in enumerate(periods):
            shown = {family: (r, p) not in cells for family, cells in hidden.items()}
            report.figures[(row.key, period.key)] = _figures(values[r], p, shown)
    return report


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


def _hidden_cells(
    rows: list[Row], periods: list[Period], values: list[RowCounts], threshold: int
) -> dict[str, set[Cell]]:
    """Per suppression family, the (row, period) cells to hide."""
    grid = Grid(rows, periods)
    base: dict[str, dict[Cell, int]] = {
        family: {(r, p): n for r, row in enumerate(values) for p, n in enumerate(row[name])}
        for family, name in FAMILY_BASES.items()
    }
    # A pulse cell is also hidden when its participation base is below k, so the pool of
    # possible answerers is never smaller than k.
    few_participants = {c for c, n in base["participation"].items() if n < threshold}
    return {
        name: grid.suppress(
            base[name],
            family,
            threshold,
            extra_primary=few_participants if name == "pulse" else set(),
        )
        for name, family in FAMILIES.items()
    }


def _figures(values: RowCounts, p: int, shown: dict[str, bool]) -> Figures:
    """The figures of period number p of one row, None where its family is hidden."""
    figures: Figures = dict.fromkeys(FIGURES)
    if shown["enrolled"]:
        figures["enrolled"] = values["enrolled"][p]
    if shown["stayed"]:
        figures["stayed"] = values["stayed"][p]
    if shown["participation"]:
        attended, recorded = values["attended"][p], values["recorded"][p]
        figures["participants"] = values["participants"][p]
        figures["meetings_attended"] = attended
        figures["attendance_rate"] = round(100 * attended / recorded) if recorded else None
    if shown["pulse"]:
        answers = values["answers"][p]
        figures["pulse_answers"] = answers
        for question in PULSE_QUESTION_NAMES:
            figures[f"pulse_{question}"] = round(values[question][p] / answers, 1)
    return figures

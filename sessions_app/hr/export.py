"""The HR report as CSV rows: the same lines and figures as the page."""

from __future__ import annotations

from sessions_app.hr.report import FIGURES, Report

CSV_HEADER = ("period", "level", "unit", *FIGURES)


def csv_rows(report: Report, granularity: str) -> list[list[str]]:
    """The same lines as the page, hidden figures as "<k"."""
    marker = f"<{report.threshold}"
    lines = [list(CSV_HEADER)]
    for line in report.lines(granularity):
        cells = [line.period.key, line.row.kind, line.row.name]
        for name in FIGURES:
            value = line.figures[name]
            cells.append(marker if value is None else str(value))
        lines.append(cells)
    return lines

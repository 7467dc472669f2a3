"""The HR report as CSV rows: the same lines and figures as the page.

Every cell is neutralised against spreadsheet formulas (OWASP "CSV injection"): a text
starting with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so a
unit named "=HYPERLINK(...)" is shown as text, never run; numbers stay numbers.
"""

from __future__ import annotations

import re

from sessions_app.hr.report import FIGURES, OTHER_MARKER, Report

CSV_HEADER = ("period", "level", "unit", *FIGURES)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def csv_rows(report: Report, granularity: str) -> list[list[str]]:
    """The same lines as the page, hidden figures as "<k" (a group of fewer than k) or
    ".." (hidden for another figure's sake)."""
    small = f"<{report.threshold}"
    lines = [list(CSV_HEADER)]
    for line in report.lines(granularity):
        cells = [line.period.key, line.row.kind, line.row.name]
        for name in FIGURES:
            value = line.figures[name]
            if value is None:
                marker = report.marker(line.row.key, line.period.key, name)
                cells.append(OTHER_MARKER if marker == OTHER_MARKER else small)
            else:
                cells.append(str(value))
        lines.append([safe(cell) for cell in cells])
    return lines


def safe(cell: str) -> str:
    """The cell as text a spreadsheet program will not run as a formula."""
    if NUMBER.fullmatch(cell) or not cell.startswith(FORMULA_STARTS):
        return cell
    return "'" + cell

"""The HR report as a CSV file: the same lines and figures as the page, in the viewer's
language, made to open as a table in Excel.

- Headers and the "level" column are in the viewer's language, never code names.
- Finnish and Swedish files use ";" between cells and a decimal comma ("4,3"): Excel in
  those locales splits a ","-separated file into nothing (one column) and reads "4.3" as
  a date or text. English files keep "," and "4.3". Every file starts with a UTF-8 byte
  order mark, without which Excel reads "ä" as "Ã¤" (harmless elsewhere, so always).
- Every cell is neutralised against spreadsheet formulas (OWASP "CSV injection"): a text
  starting with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so a
  unit named "=HYPERLINK(...)" is shown as text, never run; numbers stay numbers.

The figures and markers are exactly those of `csv_rows` (machine names, "." decimals);
only their presentation changes. `csv_read` turns a file back into that form.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sessions_app.hr.report import FIGURES, OTHER_MARKER, Report
from sessions_app.models import PULSE_QUESTIONS

CSV_HEADER = ("period", "level", "unit", *FIGURES)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")
BOM = "\ufeff"


@dataclass(frozen=True)
class CsvFormat:
    delimiter: str
    decimal: str


# The list separator and decimal mark of Excel in each language's usual locale.
FORMATS = {"fi": CsvFormat(";", ","), "sv": CsvFormat(";", ","), "en": CsvFormat(",", ".")}


def csv_format(language: str) -> CsvFormat:
    return FORMATS.get(language, FORMATS["fi"])


def csv_rows(report: Report, granularity: str) -> list[list[str]]:
    """The same lines as the page with machine names, hidden figures as "<k" (a group of
    fewer than k) or ".." (hidden for another figure's sake)."""
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


def header_labels() -> list[str]:
    """The column headings in the active language, in CSV_HEADER's order."""
    labels = {
        "period": _("Period"),
        "level": _("Level"),
        "unit": _("Unit"),
        "enrolled": _("Enrolled"),
        "participants": _("Participants"),
        "meetings_attended": _("Meetings attended"),
        "attendance_rate": _("Attendance rate (%)"),
        "stayed": _("Stayed through the period"),
        "pulse_answers": _("Pulse answers"),
    }
    for question in PULSE_QUESTIONS:
        labels[f"pulse_{question.name}"] = _("Pulse: %(question)s") % {"question": question.short}
    return [labels[name] for name in CSV_HEADER]


def level_labels() -> dict[str, str]:
    """What the "level" column says for each kind of row, in the active language."""
    return {"unit": _("Unit"), "no_unit": _("No unit given"), "total": _("All units")}


def csv_filename(year: int, granularity: str) -> str:
    periods = {
        "month": pgettext("CSV file name", "month"),
        "quarter": pgettext("CSV file name", "quarter"),
        "year": pgettext("CSV file name", "year"),
    }
    return _("participation-%(year)s-%(period)s.csv") % {
        "year": year,
        "period": periods[granularity],
    }


def csv_write(report: Report, granularity: str, stream, language: str) -> None:
    """Write the report's file for `language` to `stream`, byte order mark first."""
    form = csv_format(language)
    levels = level_labels()
    stream.write(BOM)
    writer = csv.writer(stream, delimiter=form.delimiter)
    writer.writerow(header_labels())
    for period, level, unit, *figures in csv_rows(report, granularity)[1:]:
        shown = [_decimal(cell, form.decimal) for cell in figures]
        writer.writerow([period, safe(levels[level]), unit, *shown])


def _decimal(cell: str, mark: str) -> str:
    return cell.replace(".", mark) if NUMBER.fullmatch(cell) else cell


def csv_read(data: bytes) -> list[dict[str, str]]:
    """A file written by csv_write, in any of the languages, back in csv_rows' form: a
    dict per line by machine name, "." decimals, level kinds. For comparing exports."""
    text = data.decode("utf-8-sig")
    delimiter = ";" if ";" in text.split("\n", 1)[0] else ","
    names, kinds = {}, {}
    for language in FORMATS:
        with translation.override(language):
            names.update(zip(header_labels(), CSV_HEADER, strict=True))
            kinds.update({label: kind for kind, label in level_labels().items()})
    header, *lines = csv.reader(io.StringIO(text), delimiter=delimiter)
    columns = [names[label] for label in header]
    rows = []
    for line in lines:
        row = dict(zip(columns, line, strict=True))
        row["level"] = kinds[row["level"]]
        for name in FIGURES:
            if re.fullmatch(r"-?\d+(,\d+)?", row[name]):
                row[name] = row[name].replace(",", ".")
        rows.append(row)
    return rows


def safe(cell: str) -> str:
    """The cell as text a spreadsheet program will not run as a formula."""
    if NUMBER.fullmatch(cell) or not cell.startswith(FORMULA_STARTS):
        return cell
    return "'" + cell

"""An exact attacker on the HR report, written independently of sessions_app/hr.

It reads only what an HR viewer can fetch (every page: month, quarter and year views
with every unit filter; every CSV), plus what an insider may know besides (the most
meetings one person of the organisation attended, and was recorded at, per period: the
forums' calendars). From that it builds an integer program (HiGHS) over every count
behind the report, per row (units and total) and period:

    E enrolled, S stayed, P participants, A meetings attended, R recorded participations
    (the rate's denominator), N pulse answers, U0..U3 the score sum of each question

with these constraints, each of which holds for real data:

- shown figures exactly; a shown rate r: round(100 A / R) = r (Python rounds half to
  even); a shown average a: |U / N - a| <= 0.05;
- "<k" on a figure: its family's base is at most k-1 (enrolled and stayed: E;
  participation: P; pulse: N, unless participation is "<k" there too); ".." : the base
  is at least k (the marking rule is public);
- units add up to the total, for every count;
- over time: A, R, N, U add up from months to quarters to the year; E and P are unions
  (largest part <= whole <= sum of parts); S of a whole <= S of each part; the sum of
  the parts' E >= E + (parts - 1) * S;
- in each cell: S <= E, P <= E, P <= A <= M_attended * P, A <= R <= M_recorded * E,
  N <= U <= 5 N.

Then, for every hidden figure, it minimises and maximises it (exact MIP; a figure
already seen at three values in solutions found for others is not optimised again:
three values are then proven), and checks that no statement about every member of a
group smaller than 2k follows: E - P, R - A, 5N - U and U - N are each maximised where
the true value is 0 for such a group.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from itertools import product

import highspy
import numpy as np

from sessions_app.hr.export import csv_read
from sessions_app.hr.report import NO_UNIT, TOTAL

COUNTS = ("E", "S", "P", "A", "R", "N", "U0", "U1", "U2", "U3")
SCORES = ("pulse_useful", "pulse_safe_place", "pulse_important_to_group", "pulse_helps_coping")
FAMILY = {
    "enrolled": "enrolled",
    "stayed": "enrolled",
    "participants": "participation",
    "meetings_attended": "participation",
    "attendance_rate": "participation",
    "pulse_answers": "pulse",
    **dict.fromkeys(SCORES, "pulse"),
}
SHOWN_COUNT = {
    "enrolled": "E",
    "stayed": "S",
    "participants": "P",
    "meetings_attended": "A",
    "pulse_answers": "N",
}
PROTECTED = {"enrolled": ("E", "S"), "participation": ("P", "A"), "pulse": ("N", *COUNTS[6:])}
INF = highspy.kHighsInf
LARGE = 10**6

CELL = re.compile(
    r'data-row="(?P<row>[^"]+)" data-period="(?P<period>[^"]+)">(?P<cells>.*?)</tr>', re.S
)
FIGURE = re.compile(
    r'data-figure="(?P<name>[^"]+)" data-value="(?P<value>[^"]+)">'
    r'(?:<span aria-hidden="true">(?P<marker>[^<]*)</span>)?'
)


@dataclass
class Published:
    """Everything a viewer saw, checked to agree across views."""

    values: dict[tuple[str, str, str], str] = field(default_factory=dict)  # "hidden" or text
    markers: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    rows: list[str] = field(default_factory=list)  # units first, the total last
    periods: list[str] = field(default_factory=list)

    def record(self, row: str, period: str, name: str, value: str, marker: str | None):
        assert self.values.setdefault((row, period, name), value) == value, (row, period, name)
        if value == "hidden":
            family = FAMILY[name]
            mark = "<" if marker.startswith("<") else ".."
            previous = self.markers.setdefault((row, period), {}).setdefault(family, mark)
            assert previous == mark, (row, period, family)
        if row not in self.rows:
            self.rows.append(row)
        if period not in self.periods:
            self.periods.append(period)


def read_published(client, page: str, csv_url: str, year: int, units: dict[str, str]):
    """Fetch every view and every CSV an HR viewer can reach for `year`; `units` maps
    unit names (as in the CSV) to row keys (as in the page and its filter)."""
    published = Published()
    pages = 0
    for period, unit in product(("month", "quarter", "year"), ["", *units.values()]):
        text = client.get(page, {"year": year, "period": period, "unit": unit}).content.decode()
        pages += 1
        for row in CELL.finditer(text):
            for cell in FIGURE.finditer(row["cells"]):
                marker = html.unescape(cell["marker"] or "")
                published.record(row["row"], row["period"], cell["name"], cell["value"], marker)
    levels = {"total": TOTAL, "no_unit": NO_UNIT}
    for period in ("month", "quarter", "year"):
        response = client.get(csv_url, {"year": year, "period": period})
        pages += 1
        for line in csv_read(response.content):
            row = levels.get(line["level"]) or units[line["unit"]]
            for name in FAMILY:
                value = line[name]
                hidden = value.startswith("<") or value == ".."
                published.record(row, line["period"], name, "hidden" if hidden else value,
                                 value if hidden else None)  # fmt: skip
    published.rows.sort(key=lambda row: row == TOTAL)
    return published, pages


@dataclass
class Side:
    """What an insider may know besides the report: per period, the most meetings one
    person attended and was recorded at."""

    most_attended: dict[str, int]
    most_recorded: dict[str, int]


def parts(periods: list[str]) -> dict[str, list[str]]:
    """Quarter -> its months, year -> its quarters (those published)."""
    found: dict[str, list[str]] = {}
    for key in periods:
        if "-Q" in key:
            year, quarter = key.split("-Q")
            months = [f"{year}-{m:02d}" for m in range(3 * int(quarter) - 2, 3 * int(quarter) + 1)]
            found[key] = [m for m in months if m in periods]
        elif "-" not in key:
            found[key] = [p for p in periods if p.startswith(f"{key}-Q")]
    return found


class Attacker:
    """The integer program above. It falls apart into two that share no variable (the
    pulse counts N, U and the rest), solved as two programs for speed."""

    def __init__(self, published: Published, side: Side, threshold: int):
        self.published = published
        self.k = threshold
        self.side = side
        self.rows: list[tuple[float, list, float]] = []
        for row in published.rows:
            for period in published.periods:
                self._cell(row, period)
        self._relations()
        self.parts = {part: _Program(self.rows, part) for part in ("people", "pulse")}
        self.solves = 0

    @property
    def solutions(self):
        return [s for part in self.parts.values() for s in part.solutions]

    def _add(self, low, terms, high):
        self.rows.append((low, terms, high))

    def _cell(self, row: str, period: str) -> None:
        def v(count):
            return (count, row, period)

        add = self._add
        add(-INF, [(v("S"), 1), (v("E"), -1)], 0)
        add(-INF, [(v("P"), 1), (v("E"), -1)], 0)
        add(-INF, [(v("P"), 1), (v("A"), -1)], 0)
        add(-INF, [(v("A"), 1), (v("P"), -self.side.most_attended[period])], 0)
        add(-INF, [(v("A"), 1), (v("R"), -1)], 0)
        add(-INF, [(v("R"), 1), (v("E"), -self.side.most_recorded[period])], 0)
        for u in COUNTS[6:]:
            add(0, [(v(u), 1), (v("N"), -1)], INF)
            add(-INF, [(v(u), 1), (v("N"), -5)], 0)
        self._shown(row, period, v)
        self._markers(row, period, v)

    def _shown(self, row, period, v) -> None:
        values = self.published.values
        for name, count in SHOWN_COUNT.items():
            value = values.get((row, period, name), "hidden")
            if value != "hidden":
                self._add(int(value), [(v(count), 1)], int(value))
        rate = values.get((row, period, "attendance_rate"), "hidden")
        if rate not in ("hidden", "None", ""):
            r = int(rate)
            tie = 0 if r % 2 == 0 else 1  # round() sends a half to the even neighbour
            self._add(tie, [(v("A"), 200), (v("R"), -(2 * r - 1))], INF)
            self._add(-INF, [(v("A"), 200), (v("R"), -(2 * r + 1))], -tie)
        for index, name in enumerate(SCORES):
            value = values.get((row, period, name), "hidden")
            if value != "hidden":
                tenths = round(float(value) * 10)
                self._add(0, [(v(f"U{index}"), 20), (v("N"), -(2 * tenths - 1))], INF)
                self._add(-INF, [(v(f"U{index}"), 20), (v("N"), -(2 * tenths + 1))], 0)

    def _markers(self, row, period, v) -> None:
        marks = self.published.markers.get((row, period), {})
        k = self.k
        for family, count in (("enrolled", "E"), ("participation", "P")):
            if marks.get(family) == "<":
                self._add(-INF, [(v(count), 1)], k - 1)
            elif marks.get(family) == "..":
                self._add(k, [(v(count), 1)], INF)
        if marks.get("pulse") == "<" and marks.get("participation") != "<":
            self._add(-INF, [(v("N"), 1)], k - 1)
        elif marks.get("pulse") == "..":
            self._add(k, [(v("N"), 1)], INF)

    def _relations(self) -> None:
        rows, periods = self.published.rows, self.published.periods
        total, units = rows[-1], rows[:-1]
        for period in periods:
            for count in COUNTS:
                terms = [((count, total, period), 1)] + [((count, u, period), -1) for u in units]
                self._add(0, terms, 0)
        for whole, kids in parts(periods).items():
            for row in rows:
                self._time(row, whole, kids)

    def _time(self, row: str, whole: str, kids: list[str]) -> None:
        for count in ("A", "R", "N", *COUNTS[6:]):
            self._add(0, [((count, row, whole), 1)] + [((count, row, c), -1) for c in kids], 0)
        for count in ("E", "P"):
            for kid in kids:
                self._add(0, [((count, row, whole), 1), ((count, row, kid), -1)], INF)
            terms = [((count, row, whole), 1)] + [((count, row, c), -1) for c in kids]
            self._add(-INF, terms, 0)
        for kid in kids:
            self._add(-INF, [(("S", row, whole), 1), (("S", row, kid), -1)], 0)
        terms = [(("E", row, c), 1) for c in kids]
        terms += [(("E", row, whole), -1), (("S", row, whole), -(len(kids) - 1))]
        self._add(0, terms, INF)

    def optimise(self, terms, sense: int):
        """The exact optimum of sum(c * var) (sense 1: minimum, -1: maximum) over the
        program holding the variables, and its solution as {var: value}."""
        self.solves += 1
        return self.parts[_part(terms[0][0])].optimise(terms, sense)

    def hidden(self) -> list[tuple[str, str, str]]:
        """Every hidden figure as a count variable (score sums of hidden averages too)."""
        found = []
        for (row, period), marks in self.published.markers.items():
            for family in marks:
                found += [(count, row, period) for count in PROTECTED[family]]
        return sorted(found)

    def ranges(self) -> dict[tuple, tuple]:
        """Per hidden figure: (minimum, maximum) when optimised, or ("seen", values) when
        solutions found for others already gave it three values."""
        targets = self.hidden()
        seen: dict[tuple, set] = {t: set() for t in targets}
        found = {}
        for target in targets:
            if len(seen[target]) >= 3:
                found[target] = ("seen", sorted(seen[target]))
                continue
            low, low_solution = self.optimise([(target, 1)], 1)
            high, high_solution = self.optimise([(target, 1)], -1)
            for solution in (low_solution, high_solution):
                for other in targets:
                    if other in solution:
                        seen[other].add(solution[other])
            found[target] = (low, high)
        return found

    def statement_open(self, terms) -> bool:
        """Can the linear form (true value 0) be positive? (A solution found earlier
        that makes it so is proof enough.)"""
        program = self.parts[_part(terms[0][0])]
        for solution in program.solutions:
            if sum(c * solution[var] for var, c in terms) >= 1:
                return True
        value, _solution = self.optimise(terms, -1)
        return value >= 1


def _part(var: tuple) -> str:
    return "pulse" if var[0] in ("N", *COUNTS[6:]) else "people"


class _Program:
    """One of the two integer programs."""

    def __init__(self, rows, part: str):
        self.rows = [row for row in rows if _part(row[1][0][0]) == part]
        self.index: dict[tuple, int] = {}
        for _low, terms, _high in self.rows:
            for var, _c in terms:
                self.index.setdefault(var, len(self.index))
        self.variables = list(self.index)
        self.highs = self._build()
        self.solutions: list[dict] = []  # every integer solution found: each proves values

    def _build(self):
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("mip_rel_gap", 0.0)
        highs.setOptionValue("presolve", "off")
        n = len(self.index)
        # A large finite bound instead of infinity: "unbounded" then shows as a huge range.
        highs.addVars(n, np.zeros(n), np.full(n, float(LARGE)))
        highs.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.ones(n, dtype=np.uint8))
        for low, terms, high in self.rows:
            columns = np.array([self.index[var] for var, _c in terms], dtype=np.int32)
            values = np.array([float(c) for _v, c in terms])
            highs.addRow(low, high, len(columns), columns, values)
        return highs

    def optimise(self, terms, sense: int):
        highs = self.highs
        n = len(self.index)
        cost = np.zeros(n)
        for var, c in terms:
            cost[self.index[var]] += c
        highs.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        minimize, maximize = highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize
        highs.changeObjectiveSense(minimize if sense > 0 else maximize)
        highs.run()
        status = highs.getModelStatus()
        assert status == highspy.HighsModelStatus.kOptimal, status
        values = np.round(np.array(highs.getSolution().col_value)).astype(int)
        solution = dict(zip(self.variables, (int(v) for v in values), strict=True))
        self.solutions.append(solution)
        return round(highs.getInfo().objective_function_value), solution


def width(interval) -> int:
    """How many values a range from Attacker.ranges holds."""
    if interval[0] == "seen":
        return len(interval[1])
    low, high = interval
    return high - low + 1

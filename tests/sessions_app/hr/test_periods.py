"""When HR periods appear: a week after they end (sessions_app/hr/periods.py)."""

from datetime import date

from sessions_app.hr import periods
from tests.sessions_app.hr.test_report import YEAR


def test_a_month_appears_a_week_after_it_ends_with_its_quarter_and_year():
    def keys(today):
        return [p.key for p in periods.year_periods(YEAR) if periods.is_reportable(p, today)]

    assert keys(date(YEAR, 2, 7)) == []
    assert keys(date(YEAR, 2, 8)) == [f"{YEAR}-01"]
    assert keys(date(YEAR, 4, 8)) == [f"{YEAR}-01", f"{YEAR}-02", f"{YEAR}-03", f"{YEAR}-Q1"]
    assert keys(date(YEAR + 1, 1, 8))[-1] == str(YEAR)
    assert str(YEAR) not in keys(date(YEAR + 1, 1, 7))


def test_the_default_year_is_last_year_until_this_years_first_month_is_reportable():
    assert periods.default_year(date(2026, 2, 7)) == 2025
    assert periods.default_year(date(2026, 2, 8)) == 2026

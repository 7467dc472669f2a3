"""English display formats: day-month-year and a 24-hour clock (not Django's US ones).
Only what differs is here; the rest (input formats, separators) falls back to Django's
English module."""

DATE_FORMAT = "j F Y"  # 12 January 2027
SHORT_DATE_FORMAT = "j M Y"  # 12 Jan 2027
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday

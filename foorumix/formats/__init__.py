"""Date and time formats that differ from Django's for a language (FORMAT_MODULE_PATH).

Django's English formats are American (m/d/Y, 2 p.m.); Foorumix's English readers are
in the Nordic countries, so English shows day, month, year and a 24-hour clock.
Finnish and Swedish use Django's own formats.
"""

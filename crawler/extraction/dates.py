"""Dates as pages print them ("June 2, 2015 at 3:01 pm", "2 June 2015", "2015-06-02") to ISO 8601."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from dateutil import parser as dateutil_parser

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?,?\s+)?"
TIME = r"(?:(?:,|\s+at|\s*[@|]|T)?\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?\b)?(?:\s*(?-i:[A-Z]{3,4})\b)?)"
DATE = (
    rf"{WEEKDAY}"
    rf"(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{4}}"
    rf"|\d{{1,2}}\.\d{{1,2}}\.\d{{4}})"
)
DATE_TIME = re.compile(rf"(?P<date>{DATE})(?P<time>{TIME})?", re.IGNORECASE)
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# "Monday, March 3rd, 2019" and "3 March 2019": read here as dateutil reads them (the weekday ignored), in a sixth of the time
NAMED_MONTH = (re.compile(rf"{WEEKDAY}(?P<month>{MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})", re.I),
               re.compile(rf"{WEEKDAY}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{MONTH}),?\s+(?P<year>\d{{4}})", re.I))
MONTH_NUMBER = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
PLAIN_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")  # 08:00, 8:00:30 (no am/pm): no dateutil needed
AM_PM_CLOCK = re.compile(r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<half>[ap])\.?m\.?", re.I)
DATE_LINE_FILLER = re.compile(
    r"^(?:published|posted|updated|last updated|date|on|dated)?\s*(?:on)?\s*:?\s*$", re.IGNORECASE
)

RELATIVE_DATE_LINE = re.compile(
    r"^(?:(?:\d+|an?|one)\s+(?:sec(?:ond)?|min(?:ute)?|hour|hr|day|week|month|year)s?\s+ago|yesterday|today|just now)"
    r"(?:\s*(?:[|·•,]|at)\s*\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?)?$",
    re.IGNORECASE,
)


def is_relative_date_line(text: str) -> bool:
    """'2 days ago', 'yesterday': a date line that cannot be dated without knowing when the page was saved."""
    return bool(RELATIVE_DATE_LINE.match(text.strip()))


def parse_date(text: str) -> str | None:
    """The first date in text as ISO 8601: 'YYYY-MM-DD', or with 'THH:MM:SS' when a time is shown."""
    match = DATE_TIME.search(text)
    if not match:
        return None
    date_part = match.group("date")
    time_part = (match.group("time") or "").lstrip(",@|T ").removeprefix("at").strip()
    try:
        if ISO_DAY.fullmatch(date_part):  # machine-readable dates (<time datetime>) skip dateutil: 5x faster
            day = date.fromisoformat(date_part)
        elif (named := NAMED_MONTH[0].fullmatch(date_part) or NAMED_MONTH[1].fullmatch(date_part)) \
                and int(named["year"]) >= 100:  # dateutil reads "0000" as 2000
            day = date(int(named["year"]), MONTH_NUMBER[named["month"][:3].lower()], int(named["day"]))
        else:
            dotted = re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", date_part)  # 17.02.2023: day first
            day = dateutil_parser.parse(date_part, dayfirst=bool(dotted), fuzzy=True).date()
    except (ValueError, OverflowError):
        return None
    if not time_part:
        return day.isoformat()
    clock = time_part.replace(".", ":", 2) if re.match(r"\d{1,2}\.\d{2}", time_part) else time_part
    clock = re.sub(r"\s*[A-Z]{3,4}$", "", clock)  # a zone name dateutil cannot resolve; local time kept
    try:
        if plain := PLAIN_CLOCK.fullmatch(clock):
            moment = time(*(int(part or 0) for part in plain.groups()))
        elif (half_day := AM_PM_CLOCK.fullmatch(clock)) and int(half_day["hour"]) <= 12:  # "4:12 pm", as dateutil
            hour = int(half_day["hour"]) % 12 + (12 if half_day["half"].lower() == "p" else 0)
            moment = time(hour, int(half_day["minute"]), int(half_day["second"] or 0))
        else:
            moment = dateutil_parser.parse(clock.replace("a:m:", "am").replace("p:m:", "pm"), fuzzy=True).time()
    except (ValueError, OverflowError):
        return day.isoformat()
    return datetime.combine(day, moment).isoformat()


def parse_date_line(text: str) -> str | None:
    """ISO date when the whole line is a date (with optional 'Published:', time, '|' or 'Permalink')."""
    match = DATE_TIME.search(text)
    if not match:
        return None
    rest = (text[: match.start()] + " " + text[match.end():]).replace("|", " ").replace("Permalink", " ")
    if not DATE_LINE_FILLER.match(rest.strip(" ,-–—·•")):
        return None
    return parse_date(text)

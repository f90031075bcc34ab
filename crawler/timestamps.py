"""Timestamps read from outside (a WARC-Date, a stored `published`): ISO 8601, `Z` or an offset, naive is UTC."""

from __future__ import annotations

from datetime import datetime, timezone


def parse_timestamp(value: str | None) -> datetime | None:
    """An aware datetime, or None for an empty or unreadable value ("June 2015"); a bare date is midnight."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)

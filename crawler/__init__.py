"""frontline: long-form war and conflict reporting, with its comment threads, in SQLite."""

__version__ = "0.1.0"

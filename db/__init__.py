"""The SQLite side of frontline: schema, writes, and what Datasette serves."""

from pathlib import Path

HERE = Path(__file__).resolve().parent
METADATA = HERE / "metadata.yml"
TEMPLATES = HERE / "templates"

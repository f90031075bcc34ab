"""How frontline starts Datasette: its metadata applied to whichever database file is served."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml

from db import METADATA, TEMPLATES

SETTINGS = {"sql_time_limit_ms": 3000, "max_returned_rows": 1000, "allow_download": False,
            "truncate_cells_html": 300,  # table views show the start of long bodies; the article page all
            "suggest_facets": False}  # trying every column as a facet cost 600 ms per search at 10,000 articles


def metadata_for(db_path: str | Path) -> dict:
    """metadata.yml with its `frontline` section renamed to the served file's name (Datasette keys by stem)."""
    metadata = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    section = metadata["databases"].pop("frontline")
    name = Path(db_path).stem
    metadata["databases"][name] = section
    if name != "frontline":
        metadata["description_html"] = metadata["description_html"].replace("/frontline/", f"/{name}/")
    return metadata


def datasette_command(db_path: str | Path, metadata_file: str | Path, host: str, port: int) -> list[str]:
    """Never --immutable: a crawl may write while Datasette reads, and WAL lets both proceed."""
    command = [sys.executable, "-m", "datasette", "serve", os.fspath(db_path),
               "--metadata", os.fspath(metadata_file), "--template-dir", str(TEMPLATES),
               "--host", host, "--port", str(port)]
    for key, value in SETTINGS.items():
        command += ["--setting", key, ("on" if value else "off") if isinstance(value, bool) else str(value)]
    return command

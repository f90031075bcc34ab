"""Turn `--every 6h` into a crontab line that never lets two runs of the same target overlap."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

EVERY = re.compile(r"^(?P<n>\d+)\s*(?P<unit>m|min|h|d)$")


def cron_schedule(every: str) -> str:
    """'30m' -> '*/30 * * * *', '6h' -> '0 */6 * * *', '1d' -> '0 3 * * *' (quiet hours for sites)."""
    match = EVERY.match(every.strip().lower())
    if not match:
        raise ValueError(f"--every wants a number and m, h or d (e.g. 30m, 6h, 1d), got {every!r}")
    n, unit = int(match["n"]), match["unit"]
    if unit in ("m", "min") and 1 <= n < 60 and 60 % n == 0:
        return f"*/{n} * * * *"
    if unit == "h" and 1 <= n <= 24 and 24 % n == 0:
        return "0 * * * *" if n == 1 else f"0 */{n} * * *" if n < 24 else "0 3 * * *"
    if unit == "d" and n == 1:
        return "0 3 * * *"
    if unit == "d" and 2 <= n <= 28:
        return f"0 3 */{n} * *"
    raise ValueError(f"--every {every}: cron can only repeat at divisors of an hour or a day (e.g. 15m, 6h, 1d)")


def crontab_line(target: str, every: str, db_path: str, frontline: str, workdir: str | Path) -> str:
    """`frontline crawl` locks, logs and resumes by itself; --quiet makes cron mail only failed or flagged runs."""
    db = Path(workdir, db_path).resolve()
    command = (f"cd {shlex.quote(str(Path(workdir).resolve()))} && "
               f"{shlex.quote(frontline)} crawl --quiet --db {shlex.quote(str(db))} {shlex.quote(target)}")
    return f"{cron_schedule(every)} {command}  # frontline {target}"

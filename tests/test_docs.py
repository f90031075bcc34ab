"""Documentation that cannot drift from the code."""

import sys

from crawler.cli import cli
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "docs"))
from generate_cli_reference import reference  # noqa: E402


def test_cli_reference_is_current():
    assert (REPO / "docs" / "cli.md").read_text(encoding="utf-8") == reference(), \
        "run: python docs/generate_cli_reference.py > docs/cli.md"


def test_readme_shows_both_setup_commands_and_every_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    for command in cli.commands:
        assert f"frontline {command}" in readme, f"the README does not show frontline {command}"


def test_readme_explains_running_in_production():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Running in production", 1)[1].split("\n## ", 1)[0]
    for topic in ("### Scheduled crawls", "### Stopping and resuming", "### When pages fail",
                  "### Scaling out with Redis", "data/logs/crawl-TARGET.log", "| 75 |", "FRONTLINE_MAX_ERROR_RATE"):
        assert topic in section

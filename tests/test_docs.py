"""Documentation that cannot drift from the code."""

import sys

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "docs"))
from generate_cli_reference import reference  # noqa: E402


def test_cli_reference_is_current():
    assert (REPO / "docs" / "cli.md").read_text(encoding="utf-8") == reference(), \
        "run: python docs/generate_cli_reference.py > docs/cli.md"


def test_readme_shows_both_setup_commands_and_every_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    for command in ("import", "extract", "serve"):
        assert f"frontline {command}" in readme

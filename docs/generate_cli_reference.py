"""Write docs/cli.md from the CLI's own --help, so the reference never drifts (tests/test_docs.py checks it).

    python docs/generate_cli_reference.py > docs/cli.md
"""

from click.testing import CliRunner

from crawler.cli import cli


def reference() -> str:
    runner = CliRunner()
    parts = ["# CLI reference\n", "Generated from `--help` by `python docs/generate_cli_reference.py > docs/cli.md`.\n"]
    for name in [None, *sorted(cli.commands)]:
        args = [name, "--help"] if name else ["--help"]
        output = runner.invoke(cli, args, prog_name="frontline", terminal_width=100).output
        parts.append(f"## frontline {name or ''}".rstrip() + "\n\n```\n" + output.rstrip() + "\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(reference(), end="")

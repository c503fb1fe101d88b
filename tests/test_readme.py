"""The README stays true: CI runs its test command, its tables name every setting and command."""

from __future__ import annotations

import re
from pathlib import Path

from app.cli import build_parser
from app.config import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI_RUN = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def shell_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S)]


def test_ci_runs_exactly_the_test_command_of_the_readme() -> None:
    test_command = next(block for block in shell_blocks(README) if "pytest" in block)
    assert f'TEST_COMMAND="{test_command}"' in CI_RUN


def test_readme_starts_the_app_with_the_demo_credentials() -> None:
    from app.cli import DEMO_EMAIL, DEMO_PASSWORD

    assert "pip install -e . && contentieux serve --demo" in shell_blocks(README)
    assert DEMO_EMAIL in README and DEMO_PASSWORD in README


def test_every_setting_is_documented() -> None:
    for name in Settings.model_fields:
        assert f"`CONTENTIEUX_{name.upper()}`" in README, f"CONTENTIEUX_{name.upper()}"


def test_every_cli_command_is_documented() -> None:
    parser = build_parser()
    commands = next(action for action in parser._actions if action.dest == "command")
    for name in commands.choices:  # type: ignore[union-attr]
        assert f"`contentieux {name}" in README, name


def test_the_screenshot_in_the_readme_exists() -> None:
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (ROOT / image).is_file(), image

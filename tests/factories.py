"""Helpers that change fixture content files in one place, the way an editor would."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import yaml

from sitegen.loading import FRONT_MATTER


def edit_yaml(path: Path, change: Callable[[Any], object]) -> None:
    """Load a YAML file, let `change` edit the data in place (its return value is ignored), write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def edit_front_matter(path: Path, change: Callable[[dict], object]) -> None:
    """Edit the YAML front matter of a sub-item guide in place, keeping its Markdown body."""
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    front = yaml.safe_load(match.group(1))
    change(front)
    path.write_text(f"---\n{yaml.safe_dump(front, allow_unicode=True)}---\n{match.group(2)}", encoding="utf-8")

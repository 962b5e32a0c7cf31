"""How `build.py --check --error-format` prints a content error: a plain line, or a CI annotation.

The `github` format is a GitHub workflow command, which Gitea and Forgejo Actions understand too: the runner
turns each `::error file=…,line=…,title=…::message` line into an annotation on that file and line of the
pull request, so an editor sees the problem beside what they wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from .errors import ContentError


def text_line(error: ContentError) -> str:
    """The build's usual `path: field: problem`."""
    return error.line


def github_annotation(error: ContentError) -> str:
    """`::error file=<path>,line=<n>,title=<field>::<problem>`, escaped as the workflow-command rules say."""
    # The runner resolves file= against the checkout; error.path already starts at content/.
    properties = {"file": PurePath(error.path).as_posix()}
    line_number = getattr(error, "line_number", None)
    if line_number:
        properties["line"] = str(line_number)
    if error.field:
        properties["title"] = error.field
    listed = ",".join(f"{name}={_escape_property(value)}" for name, value in properties.items())
    return f"::error {listed}::{_escape_data(error.problem)}"


ERROR_FORMATS: dict[str, Callable[[ContentError], str]] = {"text": text_line, "github": github_annotation}
"""The choices of `--error-format`, by name."""


def _escape_data(text: str) -> str:
    # A newline would end the command early; '%' goes first so the escapes themselves survive.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    # In properties ',' separates them and ':' ends them: 'materials[0].formats' is safe, a path with ':' is not.
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")

"""Where a field stands in a YAML text: the line an error message points an editor to.

Only the error path pays for this: the text is composed again (nodes keep their marks), never on a good build.
"""

from __future__ import annotations

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def line_of(text: str, loc: tuple[int | str, ...], first_line: int = 1) -> int | None:
    """1-based line of the deepest part of `loc` written in `text` (a missing field points at its parent).

    first_line is the file line the text starts on (2 for front matter after its opening ---)."""
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.YAMLError:
        return None
    if node is None:
        return first_line
    line = node.start_mark.line
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        line, node = child
    return line + first_line


def _child(node: Node, part: int | str) -> tuple[int, Node] | None:
    """The line of the key (or list entry) `part` of node, and the node it holds."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return key.start_mark.line, value
    elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        entry = node.value[part]
        return entry.start_mark.line, entry
    return None

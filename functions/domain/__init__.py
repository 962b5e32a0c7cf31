"""Domain rules of the portal in plain Python: no FastAPI, no boto3, nothing that knows of HTTP.

Modules: `validators` (registration fields), `passwords` (rules and argon2id hashing),
`masking` (masks for display, redaction for logs, keyed hashes for lookups).
"""

from __future__ import annotations


class InvalidValue(ValueError):
    """A value a user typed breaks a rule; `message` is Chinese and names the field's label."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

"""Keeping personal data out of plain sight: masks for display, redaction for logs, keyed hashes for lookups."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re

__all__ = [
    "RedactingFilter",
    "lookup_hash",
    "mask_document",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "redact",
]

# An 18-character ID (居民身份证, 居住证, 2023 永居证) standing alone: not part of a longer
# run of letters or digits such as a hex token or a timestamp.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
# A mainland mobile, also as typed with +86 / 0086 / 86 and spaces or dashes between the groups.
_MOBILE = re.compile(
    r"(?<![0-9A-Za-z])(?P<prefix>(?:\+|00)?86[ \-]?)?"
    r"(?P<number>1[3-9][0-9][ \-]?[0-9]{4}[ \-]?[0-9]{4})(?![0-9A-Za-z])"
)


def mask_id_number(number: str) -> str:
    """Show only the ends of a document number: 210302199001011234 -> 2103**********1234."""
    # Shorter documents (passports, permits) keep fewer characters so most of the number stays hidden.
    keep = 4 if len(number) >= 12 else len(number) // 4
    if keep == 0:
        return "*" * len(number)
    return number[:keep] + "*" * (len(number) - 2 * keep) + number[-keep:]


def mask_document(id_type: str, number: str) -> str:
    """The mask of a legal representative's document number of any type (all mask alike today)."""
    # The type is taken so that callers need not change if one type ever needs its own mask.
    del id_type
    return mask_id_number(number)


def mask_name(name: str) -> str:
    """A holder's name as a third party checking a document may see it: 张伟 -> 张*, 张小伟 -> 张*伟,
    欧阳小明 -> 欧**明; an organisation keeps its first two and last four characters: 鞍山市某某科技有限公司 ->
    鞍山*****有限公司 (enough to match the paper in hand, not to learn the name from the code alone)."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    if len(name) <= 5:
        return name[0] + "*" * (len(name) - 2) + name[-1]
    tail = min(4, len(name) - 4)  # at least half stays hidden
    return name[:2] + "*" * (len(name) - 2 - tail) + name[-tail:]


def mask_phone(phone: str) -> str:
    """Show the carrier prefix and the last four digits: 13800000000 -> 138****0000."""
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def _mask_mobile_match(match: re.Match[str]) -> str:
    """The mobile number of a match masked, its country prefix kept."""
    digits = re.sub(r"[ \-]", "", match["number"])
    return (match["prefix"] or "") + mask_phone(digits)


def redact(text: str) -> str:
    """Replace every 18-character ID number and mainland mobile number in free text with its mask."""
    text = _ID_NUMBER.sub(lambda match: mask_id_number(match[0]), text)
    return _MOBILE.sub(_mask_mobile_match, text)


class RedactingFilter(logging.Filter):
    """Redact ID and mobile numbers from log records; attach it to handlers so it sees every logger's records."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message, arguments and traceback text redacted; never drop a record."""
        record.msg = _redacted(record.msg)
        # The arguments keep their shape: formatters such as uvicorn's unpack them.
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when it is set, so the traceback is rendered here, redacted.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def _redacted(value: object) -> object:
    """Numbers stay numbers (%d needs them); anything else is shown as redacted text."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return redact(value if isinstance(value, str) else str(value))


def lookup_hash(secret: bytes, kind: str, value: str) -> str:
    """HMAC-SHA256 hex of "kind:value", to find a record by an ID number without storing the number.

    Pass the value as the validators return it (e.g. resident_id() upper-cases the X), so
    the same person always gives the same hash. `kind` ("resident_id", "credit_code",
    "phone", ...) keeps equal strings of different kinds apart.
    """
    if not secret:
        raise ValueError("lookup_hash needs a non-empty secret")
    if not kind or ":" in kind:
        raise ValueError("lookup_hash kind must be non-empty and contain no ':'")
    message = f"{kind}:{value.strip()}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()

"""The rules of the storage contract that both backends apply the same way, written once.

aws.py and local.py differ in how they store things; what counts as a valid item, transaction or phone number,
when an item has expired, and how two values compare are the contract's rules (interface.py), so they live here.
This module imports neither boto3 nor sqlite3.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from .interface import ConditionFailed, Item, Transaction

Clock = Callable[[], float]
"""Epoch seconds; injectable so tests reach expiry without waiting."""

KEY_ATTRIBUTES = ("pk", "sk")
EXPIRES_AT = "expires_at"
"""The TTL attribute (DynamoDB deletes expired items eventually; every read treats them as absent at once)."""
MAX_TRANSACTION_ITEMS = 100
"""DynamoDB refuses larger transactions; the local backend refuses them too, so what works locally works on aws."""

_PHONE = re.compile(r"1\d{10}")


# --- items ----------------------------------------------------------------------------------------------


def check_keys(item: Item) -> None:
    """An item needs non-empty string "pk" and "sk"."""
    for name in KEY_ATTRIBUTES:
        if not isinstance(item.get(name), str) or not item[name]:
            raise ValueError(f"item needs a non-empty string {name!r}")


def check_changes(changes: Mapping[str, Any]) -> None:
    """An update may change any attribute but the keys."""
    if any(name in KEY_ATTRIBUTES for name in changes):
        raise ValueError("pk and sk cannot be changed")


def check_counter(attribute: str) -> None:
    if attribute in KEY_ATTRIBUTES:
        raise ValueError("pk and sk cannot be counters")


def expiry(item: Item) -> int | None:
    """The item's expiry in epoch seconds, or None if it never expires."""
    value = item.get(EXPIRES_AT)
    # Only a number is a TTL for DynamoDB; anything else is just an attribute.
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def is_alive(item: Item, now: float) -> bool:
    """Alive through its expiry second: an item expiring at t is still there at t."""
    expires_at = expiry(item)
    return expires_at is None or expires_at >= now


def same(left: Any, right: Any) -> bool:
    """Equality as DynamoDB sees it: True is not 1, and maps compare by content."""
    return json.dumps(left, sort_keys=True) == json.dumps(right, sort_keys=True)


def check_expected(item: Item | None, expected: Mapping[str, Any] | None) -> Item:
    """The item, if it exists and every expected attribute holds (None: is absent); ConditionFailed otherwise."""
    if item is None:
        raise ConditionFailed("no such item")
    for name, value in (expected or {}).items():
        if value is None:
            if name in item:
                raise ConditionFailed(f"{name} is present")
        elif name not in item or not same(item[name], value):
            raise ConditionFailed(f"{name} differs")
    return item


def check_transaction(transaction: Transaction) -> None:
    """At most MAX_TRANSACTION_ITEMS writes, each item written once (as DynamoDB requires)."""
    keys = [(item.get("pk"), item.get("sk")) for item in transaction.puts_if_absent + transaction.puts]
    keys += [(pk, sk) for pk, sk, _changes, _expected in transaction.updates]
    keys += list(transaction.deletes)
    keys += [(pk, sk) for pk, sk, _expected in transaction.guarded_deletes]
    if len(keys) > MAX_TRANSACTION_ITEMS:
        raise ValueError(f"a transaction holds at most {MAX_TRANSACTION_ITEMS} writes")
    if len(set(keys)) != len(keys):
        raise ValueError("a transaction may write each item only once")


# --- blobs and SMS --------------------------------------------------------------------------------------


def content_disposition(filename: str) -> str:
    """An attachment header naming the file in any script (RFC 6266 / RFC 5987), with an ASCII fallback."""
    cleaned = "".join(ch for ch in filename if ch.isprintable()) or "download"
    fallback = "".join(ch if ch.isascii() and ch not in '"\\' else "_" for ch in cleaned)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(cleaned, safe='')}"


def check_phone(phone: str) -> None:
    """An SMS goes to a mainland mobile number: 11 digits starting with 1."""
    if not _PHONE.fullmatch(phone):
        raise ValueError("not a mainland mobile number")

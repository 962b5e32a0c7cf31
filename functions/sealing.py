"""Encryption at rest for personal numbers the portal must be able to read back (ID numbers).

Lookups never decrypt: uniqueness uses a keyed hash (domain.masking.lookup_hash); only pre-filling an
application form for its owner opens the sealed value.
"""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.fernet import Fernet


def _fernet(secret: bytes) -> Fernet:
    from cryptography.fernet import Fernet  # only requests that seal or open pay for the import

    key = hashlib.sha256(b"portal-sealing:" + secret).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: bytes, value: str) -> str:
    return _fernet(secret).encrypt(value.encode()).decode()


def open_sealed(secret: bytes, token: str) -> str:
    return _fernet(secret).decrypt(token.encode()).decode()

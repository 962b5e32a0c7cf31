"""The facts of a result document (结果文书) that are rules, not storage: which decisions issue one, its 文号, and the
verification code printed on it with its QR code."""

from __future__ import annotations

import re
import secrets
from typing import Literal, TypeGuard

# The decisions that end an application with a document, and the word of the 文号 each carries
# (准予/不予行政许可决定书, 不予受理通知书: 《中华人民共和国行政许可法》第三十二条、第三十八条).
ISSUING_STATUSES: dict[str, str] = {"approved": "许准字", "denied": "不许字", "rejected": "不受字"}

# Crockford's base32 without the letters people misread (I, L, O, U): 16 of them are 80 random bits.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
_MISREAD = str.maketrans({"I": "1", "L": "1", "O": "0"})


DocumentKind = Literal["approved", "denied", "rejected"]
"""The kinds of 结果文书, named by the status whose decision issues them (catalogue_models.DecisionKind)."""


def issues_document(status: str) -> TypeGuard[DocumentKind]:
    return status in ISSUING_STATUSES


def document_number(issuer_prefix: str, status: str, year: int, sequence: int) -> str:
    """E.g. 鞍行审许准字〔2026〕第0001号: the issuer's 机关代字, the decision's word, the year and the issuer's count
    of documents that year (unique per issuer and year, whatever the decision)."""
    return f"{issuer_prefix}{ISSUING_STATUSES[status]}〔{year}〕第{sequence:04d}号"


def new_verification_code() -> str:
    """XXXX-XXXX-XXXX-XXXX: unguessable, and read aloud or typed from paper without ambiguity."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalised_code(typed: str) -> str | None:
    """The code as stored, from what a person typed (lower case, spaces, no dashes, O for 0); None if it cannot be
    one."""
    compact = re.sub(r"[\s\-－—]", "", typed).upper().translate(_MISREAD)
    if len(compact) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in compact):
        return None
    return "-".join(compact[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalised_sha256(typed: str) -> str | None:
    compact = typed.strip().lower()
    return compact if re.fullmatch(r"[0-9a-f]{64}", compact) else None

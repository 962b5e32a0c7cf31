"""Password rules (SPEC §1 密码) and argon2id hashing (DESIGN: security rules)."""

from __future__ import annotations

import functools
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Final

from . import InvalidValue

if TYPE_CHECKING:
    from argon2 import PasswordHasher

__all__ = [
    "DUMMY_HASH",  # noqa: F822 - made on first access by the module's __getattr__ (PEP 562)
    "InvalidValue",
    "check_password_rules",
    "common_passwords",
    "dummy_hash",
    "hash_password",
    "needs_rehash",
    "verify_password",
]

MIN_LENGTH: Final = 8
# argon2 pre-hashes any length cheaply; the cap only keeps absurd input out of forms and logs.
MAX_LENGTH: Final = 128
COMMON_PASSWORDS_FILE: Final = Path(__file__).parent / "data" / "common-passwords.txt"

# OWASP's minimum argon2id configuration (m=19 MiB, t=2, p=1), about 50 ms per hash on one core.
# A Lambda below 1,769 MB has less than one vCPU, so more lanes would only add wall time; and
# 64 MiB per verification would crowd a 128-256 MB function while tripling login latency.
# Raising these later is safe: needs_rehash() tells the login code to re-hash old hashes.
TIME_COST: Final = 2
MEMORY_COST_KIB: Final = 19_456
PARALLELISM: Final = 1


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-case, read on first use."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    # "# " starts a comment; a bare "#" does not, because the list holds passwords like "#1pimp".
    return frozenset(line.lower() for line in lines if line and not line.startswith("# "))


def check_password_rules(password: object, login_name: str | None = None) -> str:
    """8-128 characters, not all digits, not a common password, not the login name; returns it unchanged."""
    if not isinstance(password, str) or not password:
        raise InvalidValue("请填写密码")
    if len(password) < MIN_LENGTH:
        raise InvalidValue(f"密码长度不能少于{MIN_LENGTH}位")
    if len(password) > MAX_LENGTH:
        raise InvalidValue(f"密码长度不能超过{MAX_LENGTH}位")
    if password.isdigit():
        raise InvalidValue("密码不能全部是数字，建议同时使用字母和数字")
    if any(0xD800 <= ord(char) <= 0xDFFF for char in password):
        # A lone surrogate cannot be encoded, so it could never be hashed (argon2 takes UTF-8 bytes).
        raise InvalidValue("密码包含无法识别的字符")
    if login_name and password.strip().casefold() == login_name.strip().casefold():
        raise InvalidValue("密码不能与登录名相同")
    if password.strip().lower() in common_passwords():
        raise InvalidValue("密码过于常见，容易被猜中，请换一个")
    return password


@functools.cache
def _hasher() -> PasswordHasher:
    """The one argon2id hasher, built on first use (argon2-cffi takes ~30 ms to import)."""
    from argon2 import PasswordHasher, Type

    return PasswordHasher(
        time_cost=TIME_COST,
        memory_cost=MEMORY_COST_KIB,
        parallelism=PARALLELISM,
        hash_len=32,
        salt_len=16,
        type=Type.ID,
    )


def hash_password(password: str) -> str:
    """An argon2id hash in PHC format ("$argon2id$v=19$m=19456,t=2,p=1$...") with a random salt."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether the password matches the hash; a malformed hash is a mismatch, never an error."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError, UnicodeEncodeError):  # a PHC string is ASCII; a lone surrogate
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether a hash was made with other parameters than today's (re-hash it after a successful login)."""
    from argon2.exceptions import InvalidHashError

    try:
        return _hasher().check_needs_rehash(password_hash)
    except (InvalidHashError, UnicodeEncodeError):
        return True


@functools.cache
def dummy_hash() -> str:
    """A hash of a random, forgotten password, so an unknown login name costs as much as a known one."""
    return hash_password(secrets.token_urlsafe(32))


def __getattr__(name: str) -> str:
    """Compute DUMMY_HASH on first access (PEP 562), so importing this module does no hashing."""
    if name == "DUMMY_HASH":
        return dummy_hash()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

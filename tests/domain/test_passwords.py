"""Password rules and argon2id hashing."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type

from functions.domain import InvalidValue, passwords


def message_of(password, login_name=None) -> str:
    """The Chinese message of the rule this password breaks."""
    with pytest.raises(InvalidValue) as caught:
        passwords.check_password_rules(password, login_name)
    return caught.value.message


@pytest.mark.parametrize("password", ["Anshan#2024", "liaoning-gov-88", "x" * 8 + "1", "密码是鞍山的山8", "a" * 128])
def test_acceptable_passwords_are_returned_unchanged(password):
    assert passwords.check_password_rules(password, "zhangsan") == password


def test_password_is_not_stripped():
    assert passwords.check_password_rules(" Anshan#2024 ") == " Anshan#2024 "


@pytest.mark.parametrize(
    ("password", "login_name", "expected"),
    [
        ("Ab1!xyz", None, "密码长度不能少于8位"),
        ("", None, "请填写密码"),
        (None, None, "请填写密码"),
        ("a" * 129, None, "密码长度不能超过128位"),
        ("20240101", None, "密码不能全部是数字，建议同时使用字母和数字"),
        ("8302719465", None, "密码不能全部是数字，建议同时使用字母和数字"),
        ("password", None, "密码过于常见，容易被猜中，请换一个"),
        ("PassWord1", None, "密码过于常见，容易被猜中，请换一个"),  # compared case-insensitively
        ("qwerty123", None, "密码过于常见，容易被猜中，请换一个"),
        ("1qaz2wsx", None, "密码过于常见，容易被猜中，请换一个"),
        ("WoAiNi1314", None, "密码过于常见，容易被猜中，请换一个"),
        ("a12345678", None, "密码过于常见，容易被猜中，请换一个"),
        ("zhangwei", None, "密码过于常见，容易被猜中，请换一个"),
        ("liaoning123", None, "密码过于常见，容易被猜中，请换一个"),
        ("ZhangSan_1984", "zhangsan_1984", "密码不能与登录名相同"),
    ],
)
def test_each_rule_rejects(password, login_name, expected):
    assert message_of(password, login_name) == expected


def test_common_list_is_large_lower_case_and_has_chinese_users_favourites():
    common = passwords.common_passwords()
    assert len(common) >= 10_000
    assert all(entry == entry.lower() for entry in common)
    assert {"123456", "password", "qwerty123", "1qaz2wsx", "woaini1314", "a123456", "5201314"} <= common
    assert "#1pimp" in common  # a password, not a comment
    assert not any(entry.startswith("# ") for entry in common)


def test_hash_is_argon2id_with_the_documented_parameters():
    password_hash = passwords.hash_password("Anshan#2024")
    assert password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert password_hash != passwords.hash_password("Anshan#2024")  # salted


def test_verify_true_and_false():
    password_hash = passwords.hash_password("Anshan#2024")
    assert passwords.verify_password(password_hash, "Anshan#2024") is True
    assert passwords.verify_password(password_hash, "anshan#2024") is False
    assert passwords.verify_password(password_hash, "") is False


@pytest.mark.parametrize("broken", ["", "not a hash", "$argon2id$v=19$m=19456,t=2,p=1$broken"])
def test_verify_malformed_hash_is_false(broken):
    assert passwords.verify_password(broken, "Anshan#2024") is False


def test_needs_rehash():
    assert passwords.needs_rehash(passwords.hash_password("Anshan#2024")) is False
    weaker = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1, type=Type.ID).hash("Anshan#2024")
    assert passwords.needs_rehash(weaker) is True
    assert passwords.verify_password(weaker, "Anshan#2024") is True  # old hashes still log in
    assert passwords.needs_rehash("not a hash") is True


def test_dummy_hash_is_one_current_argon2id_hash_nobody_knows():
    dummy = passwords.DUMMY_HASH
    assert dummy is passwords.DUMMY_HASH is passwords.dummy_hash()
    assert dummy.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert passwords.needs_rehash(dummy) is False
    for guess in ("", "password", "Anshan#2024"):
        assert passwords.verify_password(dummy, guess) is False


def test_unknown_module_attribute_still_raises():
    with pytest.raises(AttributeError):
        passwords.NO_SUCH_THING  # noqa: B018

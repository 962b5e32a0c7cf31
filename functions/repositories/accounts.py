"""Accounts and the index records that keep 登录名, phone, 身份证 and 统一社会信用代码 unique.

Uniqueness is enforced by put-if-absent of one index record per unique value, in the same transaction
as the account itself: of two concurrent registrations of one name, exactly one commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from ..domain.validators import login_name_key
from ..storage.interface import ConditionFailed, Table, Transaction
from .errors import ValueTaken

Account = dict[str, Any]


def new_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class UniqueValues:
    """The values an account holds alone. A natural person's phone and 身份证 (by its lookup hash) are unique
    among natural persons; an organisation's handler may also have a personal account, so legal accounts
    give only their 统一社会信用代码."""

    login_name: str
    phone: str | None = None
    id_hash: str | None = None
    credit_code: str | None = None

    def keys(self) -> dict[str, tuple[str, str]]:
        """Which value (by its field name here) is kept unique by which index record."""
        keys = {"login_name": _login_key(self.login_name)}
        if self.phone:
            keys["phone"] = _phone_key(self.phone)
        if self.id_hash:
            keys["id_hash"] = (f"IDNUM#{self.id_hash}", "NATURAL")
        if self.credit_code:
            keys["credit_code"] = (f"USCC#{self.credit_code}", "LEGAL")
        return keys


def _profile_key(account_id: str) -> tuple[str, str]:
    return f"ACCOUNT#{account_id}", "PROFILE"


def _login_key(login_name: str) -> tuple[str, str]:
    """登录名 are unique case-insensitively: Admin_1 and admin_1 are one name."""
    return f"LOGIN#{login_name_key(login_name)}", "ACCOUNT"


def _phone_key(phone: str) -> tuple[str, str]:
    return f"PHONE#{phone}", "NATURAL"


def _index(key: tuple[str, str], account_id: str) -> dict[str, Any]:
    return {"pk": key[0], "sk": key[1], "account_id": account_id}


class Accounts:
    def __init__(self, table: Table) -> None:
        self._table = table

    def get(self, account_id: str) -> Account | None:
        return self._table.get(*_profile_key(account_id))

    def find_by_login_name(self, login_name: str) -> Account | None:
        index = self._table.get(*_login_key(login_name))
        return self.get(index["account_id"]) if index else None

    def login_name_available(self, login_name: str) -> bool:
        return self._table.get(*_login_key(login_name)) is None

    def phone_registered(self, phone: str) -> bool:
        """Whether a natural person's account has this phone."""
        return self._table.get(*_phone_key(phone)) is not None

    def taken(self, values: UniqueValues) -> set[str]:
        """Which of these values (by field name of UniqueValues) an account holds already."""
        return {name for name, key in values.keys().items() if self._table.get(*key) is not None}

    def create(self, account: Account, unique: UniqueValues, also: Transaction | None = None) -> None:
        """Store the account and its index records at once, with `also` (another record's writes that belong
        with it, as an upload's claim); ValueTaken (nothing written) if any value was taken meanwhile."""
        pk, sk = _profile_key(account["id"])
        transaction = also or Transaction()
        transaction.puts_if_absent += [
            {"pk": pk, "sk": sk, **account},
            *(_index(key, account["id"]) for key in unique.keys().values()),
        ]
        try:
            self._table.transact(transaction)
        except ConditionFailed:
            raise ValueTaken() from None

    def update(self, account_id: str, changes: dict[str, Any]) -> Account:
        return self._table.update(*_profile_key(account_id), changes)

    def change_phone(self, account: Account, phone: str, changes: dict[str, Any]) -> Account:
        """Move a natural person's phone index to the new number together with the profile change; the account
        as now stored. ValueTaken (nothing written) if a natural person's account has the new number."""
        transaction = Transaction(updates=[(*_profile_key(account["id"]), {**changes, "phone": phone}, None)])
        if account["account_type"] == "natural":
            transaction.deletes.append(_phone_key(account["phone"]))
            transaction.puts_if_absent.append(_index(_phone_key(phone), account["id"]))
        try:
            self._table.transact(transaction)
        except ConditionFailed:
            raise ValueTaken("该手机号已注册自然人账号", {"phone": "该手机号已注册自然人账号"}) from None
        return {**account, **changes, "phone": phone}

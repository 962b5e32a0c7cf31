"""Accounts and the index records that keep 登录名, phone, 身份证 and 统一社会信用代码 unique.

Uniqueness is enforced by put-if-absent of one index record per unique value, in the same transaction
as the account itself: of two concurrent registrations of one name, exactly one commits.
"""

from __future__ import annotations

import uuid
from typing import Any

from ..domain.validators import login_name_key
from ..services import Services
from ..storage.interface import ConditionFailed, Transaction

Account = dict[str, Any]


def new_id() -> str:
    return uuid.uuid4().hex


def _profile_key(account_id: str) -> tuple[str, str]:
    return f"ACCOUNT#{account_id}", "PROFILE"


def login_key(login_name: str) -> tuple[str, str]:
    """登录名 are unique case-insensitively: Admin_1 and admin_1 are one name."""
    return f"LOGIN#{login_name_key(login_name)}", "ACCOUNT"


def phone_key(phone: str) -> tuple[str, str]:
    return f"PHONE#{phone}", "NATURAL"


def id_number_key(id_hash: str) -> tuple[str, str]:
    return f"IDNUM#{id_hash}", "NATURAL"


def credit_code_key(credit_code: str) -> tuple[str, str]:
    return f"USCC#{credit_code}", "LEGAL"


def get(services: Services, account_id: str) -> Account | None:
    return services.table.get(*_profile_key(account_id))


def find_by_login_name(services: Services, login_name: str) -> Account | None:
    index = services.table.get(*login_key(login_name))
    return get(services, index["account_id"]) if index else None


def exists(services: Services, key: tuple[str, str]) -> bool:
    return services.table.get(*key) is not None


def create(
    services: Services, account: Account, unique_keys: list[tuple[str, str]], claim_upload_id: str | None = None
) -> None:
    """Store the account and its index records at once; ConditionFailed if any value is taken meanwhile."""
    pk, sk = _profile_key(account["id"])
    transaction = Transaction(
        puts_if_absent=[{"pk": pk, "sk": sk, **account}]
        + [{"pk": key_pk, "sk": key_sk, "account_id": account["id"]} for key_pk, key_sk in unique_keys],
    )
    if claim_upload_id:
        # The licence image leaves quarantine only together with the account that claims it.
        transaction.updates.append(
            (
                f"UPLOAD#{claim_upload_id}",
                "UPLOAD",
                {"claimed_by": account["id"], "expires_at": None},
                {"status": "complete", "claimed_by": None},
            )
        )
    services.table.transact(transaction)


def update(services: Services, account_id: str, changes: dict[str, Any]) -> Account:
    return services.table.update(*_profile_key(account_id), changes)


def change_phone(services: Services, account: Account, phone: str, changes: dict[str, Any]) -> None:
    """Move a natural person's phone index to the new number together with the profile change."""
    transaction = Transaction(updates=[(*_profile_key(account["id"]), {**changes, "phone": phone}, None)])
    if account["account_type"] == "natural":
        transaction.deletes.append(phone_key(account["phone"]))
        transaction.puts_if_absent.append(
            {"pk": phone_key(phone)[0], "sk": phone_key(phone)[1], "account_id": account["id"]}
        )
    services.table.transact(transaction)


__all__ = ["Account", "ConditionFailed", "create", "get", "find_by_login_name", "update", "change_phone"]

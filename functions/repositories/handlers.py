"""经办人: the natural persons a 法人 account's administrator authorised to apply in the organisation's name.

A grant is kept twice, written together in one transaction: under the organisation (ACCOUNT#<org> HANDLER#<person>,
which the administrator lists and revokes) and under the person (ACCOUNT#<person> ORG#<org>, which the person lists,
accepts or declines; any other person's look-up finds nothing). One grant per organisation and person: inviting again
is refused while an invitation is open or accepted, and replaces a declined or revoked one.

status: invited → accepted | declined; invited or accepted → revoked.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from ..storage.interface import ConditionFailed, Table, Transaction
from .errors import Conflict, NotFound

Grant = dict[str, Any]
OPEN = ("invited", "accepted")
GRANT_KEYS = (
    "id",
    "organization_id",
    "organization_name",
    "person_id",
    "person_login_name",
    "person_name",
    "status",
    "invited_at",
    "invited_by",
    "accepted_at",
    "declined_at",
    "revoked_at",
    "revoked_by",
)


def _org_key(organization_id: str, person_id: str) -> tuple[str, str]:
    return f"ACCOUNT#{organization_id}", f"HANDLER#{person_id}"


def _person_key(person_id: str, organization_id: str) -> tuple[str, str]:
    return f"ACCOUNT#{person_id}", f"ORG#{organization_id}"


def _grant(record: dict[str, Any]) -> Grant:
    return {key: record.get(key) for key in GRANT_KEYS}


class Handlers:
    def __init__(self, table: Table, clock: Callable[[], float]) -> None:
        self._table, self._clock = table, clock

    def invite(self, organization: dict[str, Any], person: dict[str, Any], invited_by: str) -> Grant:
        """A new invitation of the person by the organisation; Conflict if one is open or accepted already."""
        key = _org_key(organization["id"], person["id"])
        previous = self._table.get(*key)
        if previous and previous["status"] in OPEN:
            raise Conflict("already_invited", "已邀请该用户或其已是本单位经办人", {"login_name": "已邀请"})
        grant: Grant = {
            "id": uuid.uuid4().hex,
            "organization_id": organization["id"],
            "organization_name": organization["organization"]["name"],
            "person_id": person["id"],
            "person_login_name": person["login_name"],
            "person_name": person["real_name"],
            "status": "invited",
            "invited_at": int(self._clock()),
            "invited_by": invited_by,
        }
        person_key = _person_key(person["id"], organization["id"])
        transaction = Transaction()
        if previous is None:
            transaction.puts_if_absent = [{"pk": pk, "sk": sk, **grant} for pk, sk in (key, person_key)]
        else:  # a declined or revoked grant, replaced on both copies unless someone changed it meanwhile
            fresh = {name: grant.get(name) for name in GRANT_KEYS}  # None: the old answer's times removed
            expected = {"status": previous["status"], "id": previous["id"]}
            transaction.updates = [(*key, fresh, expected), (*person_key, fresh, expected)]
        try:
            self._table.transact(transaction)
        except ConditionFailed:
            raise Conflict("already_invited", "已邀请该用户或其已是本单位经办人", {"login_name": "已邀请"}) from None
        return _grant(grant)

    def of_organization(self, organization_id: str) -> list[Grant]:
        """The organisation's grants, in any status, newest invitation first."""
        records = self._table.query(f"ACCOUNT#{organization_id}", "HANDLER#")
        return sorted((_grant(record) for record in records), key=lambda grant: -grant["invited_at"])

    def of_person(self, person_id: str) -> list[Grant]:
        """The person's invitations and grants, newest first."""
        records = self._table.query(f"ACCOUNT#{person_id}", "ORG#")
        return sorted((_grant(record) for record in records), key=lambda grant: -grant["invited_at"])

    def accepted(self, organization_id: str, person_id: str) -> bool:
        """Whether the person is, right now, an accepted 经办人 of the organisation (read on every acting request)."""
        record = self._table.get(*_org_key(organization_id, person_id))
        return record is not None and record["status"] == "accepted"

    def answer(self, person_id: str, organization_id: str, accept: bool) -> Grant:
        """The person accepts or declines their open invitation; NotFound if they have none from the organisation."""
        record = self._table.get(*_person_key(person_id, organization_id))
        if record is None or record["status"] != "invited":
            raise NotFound("not_found", "邀请不存在或已失效")
        now = int(self._clock())
        changes = {"status": "accepted", "accepted_at": now} if accept else {"status": "declined", "declined_at": now}
        return self._change(record, changes, expected_status="invited")

    def revoke(self, organization_id: str, grant_id: str, revoked_by: str) -> Grant:
        """The administrator ends an invitation or a grant at once; NotFound for another organisation's grant id."""
        record = next(
            (r for r in self._table.query(f"ACCOUNT#{organization_id}", "HANDLER#") if r["id"] == grant_id), None
        )
        if record is None or record["status"] not in OPEN:
            raise NotFound("not_found", "经办人授权不存在或已撤销")
        changes = {"status": "revoked", "revoked_at": int(self._clock()), "revoked_by": revoked_by}
        return self._change(record, changes, expected_status=record["status"])

    def _change(self, record: dict[str, Any], changes: dict[str, Any], expected_status: str) -> Grant:
        """The same change on both copies of the grant, if its status is still the one read."""
        org_key = _org_key(record["organization_id"], record["person_id"])
        person_key = _person_key(record["person_id"], record["organization_id"])
        expected = {"status": expected_status, "id": record["id"]}
        try:
            self._table.transact(Transaction(updates=[(*org_key, changes, expected), (*person_key, changes, expected)]))
        except ConditionFailed:
            raise Conflict("conflict", "授权状态已在别处更新，请刷新页面") from None
        return _grant({**record, **changes})

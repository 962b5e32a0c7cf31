"""Applications (办件) and their two indexes: the applicant's list and each department's queue by status.

Every change is one transaction over the application, guarded by its version (optimistic locking),
so two tabs or a staff member and the applicant never overwrite each other's change unseen.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from ..domain.lifecycle import staff_can_see
from ..storage.interface import ConditionFailed, Table, Transaction
from .errors import DraftExists, RecordChanged

Application = dict[str, Any]
SUMMARY_FIELDS = (
    "id",
    "number",
    "status",
    "region",
    "region_name",
    "subitem_code",
    "subitem_name",
    "department",
    "department_name",
    "applicant_name",
    "created_at",
    "submitted_at",
    "updated_at",
    "evaluation",
    "documents",  # 我的申请 offers the 结果文书 from the list
    "created_by",  # the natural persons who started and submitted it: 我的申请 names an organisation's 经办人
    "submitted_by",
)
# An application number's daily counter outlives its day (China time) by enough to never restart within it.
SEQUENCE_SECONDS = 3 * 86400


def _key(application_id: str) -> tuple[str, str]:
    return f"APP#{application_id}", "APP"


def _owner_index(app: Application) -> tuple[str, str]:
    return f"OWNER#{app['owner']}", f"APP#{app['created_at']:012d}#{app['id']}"


def _queue_index(app: Application, status: str | None = None) -> tuple[str, str]:
    return (
        f"QUEUE#{app['region']}#{app['department']}#{status or app['status']}",
        f"{app.get('submitted_at') or 0:012d}#{app['id']}",
    )


def _number_key(number: str) -> tuple[str, str]:
    """办件编号 → application: the public 办件进度查询 finds an application by the number on its receipt."""
    return f"NUMBER#{number}", "APP"


def _draft_key(owner: str, region: str, subitem_code: str) -> tuple[str, str]:
    """One draft per applicant and sub-item: 申报 again continues it instead of starting another."""
    return f"DRAFT#{owner}", f"{region}#{subitem_code}"


def summary(app: Application) -> dict[str, Any]:
    return {field: app.get(field) for field in SUMMARY_FIELDS}


def new_id() -> str:
    return uuid.uuid4().hex


class Applications:
    def __init__(self, table: Table, clock: Callable[[], float]) -> None:
        self._table, self._clock = table, clock

    def find_draft(self, owner: str, region: str, subitem_code: str) -> Application | None:
        index = self._table.get(*_draft_key(owner, region, subitem_code))
        return self.get(index["application_id"]) if index else None

    def create(self, app: Application) -> None:
        """Store a new draft; DraftExists (nothing written) if the applicant has one for this sub-item."""
        pk, sk = _key(app["id"])
        owner_pk, owner_sk = _owner_index(app)
        draft_pk, draft_sk = _draft_key(app["owner"], app["region"], app["subitem_code"])
        try:
            self._table.transact(
                Transaction(
                    puts_if_absent=[
                        {"pk": pk, "sk": sk, **app},
                        {"pk": owner_pk, "sk": owner_sk, **summary(app)},
                        {"pk": draft_pk, "sk": draft_sk, "application_id": app["id"]},
                    ]
                )
            )
        except ConditionFailed:
            raise DraftExists() from None

    def delete_draft(self, app: Application) -> None:
        """Delete a draft with its two indexes (the list's row, the one-draft-per-sub-item key), in one
        transaction; RecordChanged (nothing deleted) if it changed since it was read - saved or submitted."""
        try:
            self._table.transact(
                Transaction(
                    guarded_deletes=[(*_key(app["id"]), {"status": "draft", "version": app["version"]})],
                    deletes=[_owner_index(app), _draft_key(app["owner"], app["region"], app["subitem_code"])],
                )
            )
        except ConditionFailed:
            raise RecordChanged() from None

    def get(self, application_id: str) -> Application | None:
        return self._table.get(*_key(application_id))

    def find_by_number(self, number: str) -> Application | None:
        index = self._table.get(*_number_key(number))
        return self.get(index["application_id"]) if index else None

    def list_for_owner(self, owner: str, limit: int, start_after: str | None) -> list[dict[str, Any]]:
        """The applicant's applications, newest first (sk carries the creation time)."""
        return self._table.query(f"OWNER#{owner}", "APP#", descending=True, limit=limit, start_after=start_after)

    def list_queue(
        self, region: str, department: str, status: str, limit: int, start_after: str | None = None
    ) -> list[dict[str, Any]]:
        """A department's applications in one status, oldest submission first (first come, first served)."""
        return self._table.query(f"QUEUE#{region}#{department}#{status}", limit=limit, start_after=start_after)

    def save(self, app: Application, changes: dict[str, Any], extra: Transaction | None = None) -> Application:
        """Apply changes if nobody changed the application since it was read; RecordChanged otherwise."""
        updated = {**app, **changes, "version": app["version"] + 1}
        transaction = extra or Transaction()
        pk, sk = _key(app["id"])
        transaction.updates.append(
            (pk, sk, {key: updated[key] for key in {*changes, "version"}}, {"version": app["version"]})
        )
        owner_pk, owner_sk = _owner_index(app)
        transaction.puts.append({"pk": owner_pk, "sk": owner_sk, **summary(updated)})
        if staff_can_see(app["status"]) and app["status"] != updated["status"]:
            transaction.deletes.append(_queue_index(app))
        if staff_can_see(updated["status"]):
            queue_pk, queue_sk = _queue_index(updated)
            transaction.puts.append({"pk": queue_pk, "sk": queue_sk, **summary(updated)})
        try:
            self._table.transact(transaction)
        except ConditionFailed:
            raise RecordChanged() from None
        return updated

    def save_submission(
        self,
        app: Application,
        changes: dict[str, Any],
        idempotency: tuple[str, dict[str, Any], int] | None,
        extra: Transaction | None = None,
    ) -> Application:
        """Store a submission: the application, its draft index gone and its number indexed (a draft's first
        submission), and the answer
        remembered under its Idempotency-Key (key, answer, expires_at) - all in one transaction; RecordChanged
        if the application changed meanwhile or the key was used at the same moment. `extra`: more writes of the
        same transaction (the applicant's message)."""
        transaction = extra or Transaction()
        if idempotency:
            transaction.puts_if_absent.append(_remembered(app["id"], *idempotency))
        if app["status"] == "draft":
            transaction.deletes.append(_draft_key(app["owner"], app["region"], app["subitem_code"]))
            number_pk, number_sk = _number_key(changes["number"])
            transaction.puts_if_absent.append({"pk": number_pk, "sk": number_sk, "application_id": app["id"]})
        return self.save(app, changes, transaction)

    def next_sequence(self, region: str, date: str) -> int:
        """The region's next number of the day, from an atomic counter: unique however many submit at once."""
        expires_at = int(self._clock()) + SEQUENCE_SECONDS
        return self._table.increment(f"APPSEQ#{region}#{date}", "COUNT", expires_at=expires_at)

    def remembered_answer(self, application_id: str, idempotency_key: str) -> dict[str, Any] | None:
        record = self._table.get(f"IDEMPOTENCY#{application_id}", idempotency_key)
        return record["answer"] if record else None


def _remembered(application_id: str, idempotency_key: str, answer: dict[str, Any], expires_at: int) -> dict[str, Any]:
    """The answer to a submission, stored with it, so the same Idempotency-Key gets it again."""
    return {"pk": f"IDEMPOTENCY#{application_id}", "sk": idempotency_key, "answer": answer, "expires_at": expires_at}

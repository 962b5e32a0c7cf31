"""How the aws backend turns DynamoDB's refusals into the contract's, with a stub client (no moto can
make DynamoDB cancel a transaction for a conflict on demand)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from functions.storage.aws import DynamoTable
from functions.storage.interface import ConditionFailed, Transaction


def _cancelled(*codes: str) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
            "CancellationReasons": [{"Code": code} for code in codes],
        },
        "TransactWriteItems",
    )


class StubClient:
    """Answers transact_write_items from a script of errors, then succeeds."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    def transact_write_items(self, **_request: Any) -> dict[str, Any]:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return {}


WRITE = Transaction(puts=[{"pk": "a", "sk": "b"}])


def test_a_conflict_is_retried() -> None:
    client = StubClient(_cancelled("TransactionConflict", "None"))
    DynamoTable("t", client).transact(WRITE)
    assert client.calls == 2


def test_a_failed_condition_is_not_retried() -> None:
    client = StubClient(_cancelled("None", "ConditionalCheckFailed"))
    with pytest.raises(ConditionFailed):
        DynamoTable("t", client).transact(WRITE)
    assert client.calls == 1


def test_endless_conflicts_end_as_condition_failed() -> None:
    client = StubClient(*[_cancelled("TransactionConflict") for _ in range(10)])
    with pytest.raises(ConditionFailed):
        DynamoTable("t", client).transact(WRITE)
    assert client.calls == 4


def test_other_errors_pass_through() -> None:
    throttled = ClientError(
        {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow"}}, "TransactWriteItems"
    )
    with pytest.raises(ClientError):
        DynamoTable("t", StubClient(throttled)).transact(WRITE)

"""The production backend: one DynamoDB table, a private S3 bucket and SNS for SMS.

Clients are injectable (tests hand in moto-backed ones) and otherwise created lazily, once per object,
so a warm Lambda reuses them. Items are stored as DynamoDB attribute values with "pk"/"sk" string keys;
"expires_at" is the table's TTL attribute, and because TTL deletes only eventually, every read and
condition here also treats an item whose expires_at is past as absent.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

# Imported at the top on purpose: this module is loaded only for the aws backend, which needs them at once.
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from .interface import ConditionFailed, Item, ObjectExists, Transaction
from .rules import (
    EXPIRES_AT,
    Clock,
    check_changes,
    check_counter,
    check_expected,
    check_keys,
    check_phone,
    check_transaction,
    content_disposition,
    is_alive,
)

log = logging.getLogger(__name__)

AttributeMap = dict[str, dict[str, Any]]

# A cancelled transaction wrote nothing, so retrying one that lost only to concurrent writers is safe.
_CONFLICT_RETRIES = 3
# An expired counter is reset by one of the racers and the others add to it; a few rounds always suffice.
_COUNTER_ATTEMPTS = 5
_NOT_EXPIRED = "(attribute_not_exists(#expires_at) OR #expires_at >= :now)"

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


# --- values ---------------------------------------------------------------------------------------------


def _to_dynamo(item: Mapping[str, Any]) -> AttributeMap:
    # TypeSerializer refuses floats itself, which is the contract's rule too.
    return {name: _serializer.serialize(value) for name, value in item.items()}


def _from_dynamo(attributes: AttributeMap) -> Item:
    return {name: _plain(_deserializer.deserialize(value)) for name, value in attributes.items()}


def _plain(value: Any) -> Any:
    """DynamoDB numbers come back as Decimal; the contract's values are plain ints."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {name: _plain(inner) for name, inner in value.items()}
    if isinstance(value, list):
        return [_plain(inner) for inner in value]
    return value


def _error_code(error: ClientError) -> str:
    code: str = error.response.get("Error", {}).get("Code", "")
    return code


class _Expression:
    """Builds one DynamoDB expression's placeholders, so attribute names never clash with reserved words."""

    def __init__(self, now: float) -> None:
        self.names: dict[str, str] = {"#expires_at": EXPIRES_AT}
        self.values: AttributeMap = {":now": {"N": f"{now:.6f}"}}

    def name(self, attribute: str) -> str:
        placeholder = f"#n{len(self.names)}"
        self.names[placeholder] = attribute
        return placeholder

    def value(self, value: Any) -> str:
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = _serializer.serialize(value)
        return placeholder

    def arguments(self, **expressions: str) -> dict[str, Any]:
        """The request arguments, with only the placeholders the expressions use (DynamoDB refuses others)."""
        text = " ".join(expressions.values())
        names = {key: value for key, value in self.names.items() if re.search(re.escape(key) + r"\b", text)}
        values = {key: value for key, value in self.values.items() if re.search(re.escape(key) + r"\b", text)}
        arguments: dict[str, Any] = {key: value for key, value in expressions.items() if value}
        if names:
            arguments["ExpressionAttributeNames"] = names
        if values:
            arguments["ExpressionAttributeValues"] = values
        return arguments


def _update_expression(expression: _Expression, changes: Mapping[str, Any]) -> str:
    check_changes(changes)
    sets = [
        f"{expression.name(name)} = {expression.value(value)}" for name, value in changes.items() if value is not None
    ]
    removes = [expression.name(name) for name, value in changes.items() if value is None]
    clauses = []
    if sets:
        clauses.append("SET " + ", ".join(sets))
    if removes:
        clauses.append("REMOVE " + ", ".join(removes))
    return " ".join(clauses)


def _update_condition(expression: _Expression, expected: Mapping[str, Any] | None) -> str:
    """The item exists, is unexpired, and every expected attribute holds (None: is absent)."""
    conditions = ["attribute_exists(pk)", _NOT_EXPIRED]
    for name, value in (expected or {}).items():
        placeholder = expression.name(name)
        if value is None:
            conditions.append(f"attribute_not_exists({placeholder})")
        else:
            # The type check is explicit so that True never equals 1 (moto's "=" compares loosely).
            value_placeholder = expression.value(value)
            value_type = expression.value(next(iter(expression.values[value_placeholder])))
            conditions.append(f"attribute_type({placeholder}, {value_type}) AND {placeholder} = {value_placeholder}")
    return " AND ".join(conditions)


# --- table ----------------------------------------------------------------------------------------------


class DynamoTable:
    """The Table contract over one DynamoDB table (low-level client)."""

    def __init__(self, table_name: str, client: Any = None, clock: Clock = time.time) -> None:
        self._table_name = table_name
        self._client = client
        self._clock = clock

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3  # here, not at import: only the aws backend pays for creating clients

            self._client = boto3.client("dynamodb")
        return self._client

    def _key(self, pk: str, sk: str) -> AttributeMap:
        return {"pk": {"S": pk}, "sk": {"S": sk}}

    # reads

    def get(self, pk: str, sk: str) -> Item | None:
        response = self.client.get_item(TableName=self._table_name, Key=self._key(pk, sk), ConsistentRead=True)
        item = _from_dynamo(response["Item"]) if "Item" in response else None
        return item if item is not None and is_alive(item, self._clock()) else None

    def query(
        self,
        pk: str,
        sk_prefix: str = "",
        *,
        descending: bool = False,
        limit: int | None = None,
        start_after: str | None = None,
    ) -> list[Item]:
        if limit is not None and limit <= 0:
            return []
        start_key = _start_key(sk_prefix, descending, start_after)
        if start_key is _NOTHING_LEFT:
            return []
        expression = _Expression(self._clock())
        key_condition = f"pk = {expression.value(pk)}"
        if sk_prefix:
            key_condition += f" AND begins_with(sk, {expression.value(sk_prefix)})"
        request = {
            "TableName": self._table_name,
            "ScanIndexForward": not descending,
            "ConsistentRead": True,
            **expression.arguments(KeyConditionExpression=key_condition, FilterExpression=_NOT_EXPIRED),
        }
        if start_key is not None:
            request["ExclusiveStartKey"] = self._key(pk, start_key)
        return self._collect(request, limit)

    def _collect(self, request: dict[str, Any], limit: int | None) -> list[Item]:
        """Page until `limit` unexpired items: DynamoDB's Limit counts items before the expiry filter."""
        items: list[Item] = []
        while True:
            if limit is not None:
                request["Limit"] = limit - len(items)
            response = self.client.query(**request)
            items += [_from_dynamo(attributes) for attributes in response.get("Items", [])]
            if "LastEvaluatedKey" not in response or (limit is not None and len(items) >= limit):
                return items
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    # writes

    def put(self, item: Item) -> None:
        check_keys(item)
        self.client.put_item(TableName=self._table_name, Item=_to_dynamo(item))

    def put_if_absent(self, item: Item) -> bool:
        check_keys(item)
        try:
            self.client.put_item(TableName=self._table_name, Item=_to_dynamo(item), **self._absent_condition())
        except ClientError as error:
            if _error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def update(self, pk: str, sk: str, changes: dict[str, Any], expected: dict[str, Any] | None = None) -> Item:
        if not changes:
            return self._checked(pk, sk, expected)
        request = self._update_request(pk, sk, changes, expected)
        try:
            response = self.client.update_item(**request, ReturnValues="ALL_NEW")
        except ClientError as error:
            if _error_code(error) == "ConditionalCheckFailedException":
                raise ConditionFailed(f"update of {pk} {sk} refused") from error
            raise
        return _from_dynamo(response["Attributes"])

    def delete(self, pk: str, sk: str) -> None:
        self.client.delete_item(TableName=self._table_name, Key=self._key(pk, sk))

    def transact(self, transaction: Transaction) -> None:
        check_transaction(transaction)
        actions = self._transaction_actions(transaction)
        if not actions:
            return
        for attempt in range(_CONFLICT_RETRIES + 1):
            try:
                self.client.transact_write_items(TransactItems=actions)
                return
            except ClientError as error:
                if _error_code(error) != "TransactionCanceledException":
                    raise
                reasons = {reason.get("Code") for reason in error.response.get("CancellationReasons", [])}
                if "ConditionalCheckFailed" in reasons or attempt == _CONFLICT_RETRIES:
                    # Lost to a condition or, after retries, to concurrent writers: either way nothing was
                    # written and the caller should re-read, which is what ConditionFailed tells it.
                    raise ConditionFailed("transaction cancelled: " + ", ".join(sorted(map(str, reasons)))) from None
                log.info("transaction conflict (%s); retrying", ", ".join(sorted(map(str, reasons))))
                time.sleep(random.uniform(0.01, 0.05) * 2**attempt)

    def increment(self, pk: str, sk: str, attribute: str = "value", by: int = 1, expires_at: int | None = None) -> int:
        check_counter(attribute)
        # ADD is atomic but cannot tell an expired counter; a condition refuses those, and a reset
        # (itself conditional on still being expired) replaces them. Whoever loses a race adds again.
        for _attempt in range(_COUNTER_ATTEMPTS):
            try:
                return self._add(pk, sk, attribute, by, expires_at)
            except ConditionFailed:
                pass
            if self._reset(pk, sk, attribute, by, expires_at):
                return by
        raise ConditionFailed(f"counter {pk} {sk} kept changing under us")

    # helpers

    def _absent_condition(self) -> dict[str, Any]:
        expression = _Expression(self._clock())
        return expression.arguments(ConditionExpression="attribute_not_exists(pk) OR #expires_at < :now")

    def _update_request(
        self, pk: str, sk: str, changes: Mapping[str, Any], expected: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        expression = _Expression(self._clock())
        update = _update_expression(expression, changes)
        condition = _update_condition(expression, expected)
        return {
            "TableName": self._table_name,
            "Key": self._key(pk, sk),
            **expression.arguments(UpdateExpression=update, ConditionExpression=condition),
        }

    def _checked(self, pk: str, sk: str, expected: Mapping[str, Any] | None) -> Item:
        """An update without changes only checks: read, then test the conditions as DynamoDB would."""
        return check_expected(self.get(pk, sk), expected)

    def _transaction_actions(self, transaction: Transaction) -> list[dict[str, Any]]:
        actions: list[dict[str, Any]] = []
        for item in transaction.puts_if_absent:
            check_keys(item)
            actions.append(
                {"Put": {"TableName": self._table_name, "Item": _to_dynamo(item), **self._absent_condition()}}
            )
        for item in transaction.puts:
            check_keys(item)
            actions.append({"Put": {"TableName": self._table_name, "Item": _to_dynamo(item)}})
        for pk, sk, changes, expected in transaction.updates:
            if changes:
                actions.append({"Update": self._update_request(pk, sk, changes, expected)})
            else:
                expression = _Expression(self._clock())
                condition = _update_condition(expression, expected)
                actions.append(
                    {
                        "ConditionCheck": {
                            "TableName": self._table_name,
                            "Key": self._key(pk, sk),
                            **expression.arguments(ConditionExpression=condition),
                        }
                    }
                )
        for pk, sk in transaction.deletes:
            actions.append({"Delete": {"TableName": self._table_name, "Key": self._key(pk, sk)}})
        for pk, sk, expected in transaction.guarded_deletes:
            expression = _Expression(self._clock())
            condition = _update_condition(expression, expected)
            actions.append(
                {
                    "Delete": {
                        "TableName": self._table_name,
                        "Key": self._key(pk, sk),
                        **expression.arguments(ConditionExpression=condition),
                    }
                }
            )
        return actions

    def _add(self, pk: str, sk: str, attribute: str, by: int, expires_at: int | None) -> int:
        expression = _Expression(self._clock())
        update = f"ADD {expression.name(attribute)} {expression.value(by)}"
        if expires_at is not None:
            update += f" SET #expires_at = {expression.value(expires_at)}"
        condition = f"attribute_not_exists(pk) OR {_NOT_EXPIRED}"
        try:
            response = self.client.update_item(
                TableName=self._table_name,
                Key=self._key(pk, sk),
                ReturnValues="UPDATED_NEW",
                **expression.arguments(UpdateExpression=update, ConditionExpression=condition),
            )
        except ClientError as error:
            if _error_code(error) == "ConditionalCheckFailedException":
                raise ConditionFailed("counter expired") from error
            raise
        return int(_from_dynamo(response["Attributes"])[attribute])

    def _reset(self, pk: str, sk: str, attribute: str, by: int, expires_at: int | None) -> bool:
        item: Item = {"pk": pk, "sk": sk, attribute: by}
        if expires_at is not None:
            item[EXPIRES_AT] = expires_at
        expression = _Expression(self._clock())
        try:
            self.client.put_item(
                TableName=self._table_name,
                Item=_to_dynamo(item),
                **expression.arguments(ConditionExpression="#expires_at < :now"),
            )
        except ClientError as error:
            if _error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True


_NOTHING_LEFT = object()


def _start_key(sk_prefix: str, descending: bool, start_after: str | None) -> Any:
    """An ExclusiveStartKey inside the prefix range, None to start at its edge, or _NOTHING_LEFT.

    DynamoDB refuses a start key outside the key condition, so one outside the prefix is resolved here.
    """
    if start_after is None or start_after.startswith(sk_prefix):
        return start_after
    before_range = start_after < sk_prefix
    if before_range != descending:
        return None  # the whole range lies after start_after in the query's direction
    return _NOTHING_LEFT


# --- blobs ----------------------------------------------------------------------------------------------


def endpoint_clients(endpoint_url: str, dynamodb: Any = None, s3: Any = None, sns: Any = None) -> tuple[Any, Any, Any]:
    """DynamoDB, S3 and SNS clients all pointed at one server instead of AWS (tests against a moto server);
    a client given is kept."""
    import boto3
    from botocore.config import Config

    return (
        dynamodb or boto3.client("dynamodb", endpoint_url=endpoint_url),
        s3 or boto3.client("s3", endpoint_url=endpoint_url, config=Config(signature_version="s3v4")),
        sns or boto3.client("sns", endpoint_url=endpoint_url),
    )


class S3BlobStore:
    """The BlobStore contract over a private S3 bucket; browsers upload and download with presigned URLs."""

    def __init__(self, bucket: str, client: Any = None) -> None:
        self._bucket = bucket
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3  # lazily, as for DynamoDB
            from botocore.config import Config

            # Presigned POST policies need Signature Version 4 in every region.
            self._client = boto3.client("s3", config=Config(signature_version="s3v4"))
        return self._client

    def presigned_post(self, key: str, content_type: str, max_size: int, expires_in: int) -> dict[str, Any]:
        # S3 itself enforces these: this exact key (boto3 adds it), this exact type, at most max_size bytes.
        post = self.client.generate_presigned_post(
            Bucket=self._bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[["eq", "$Content-Type", content_type], ["content-length-range", 1, max_size]],
            ExpiresIn=expires_in,
        )
        return {"url": post["url"], "fields": post["fields"]}

    def head(self, key: str) -> dict[str, Any] | None:
        try:
            response = self.client.head_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            if _error_code(error) in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return {"size": response["ContentLength"], "content_type": response.get("ContentType", "")}

    def read(self, key: str, max_bytes: int | None = None) -> bytes:
        if max_bytes is not None and max_bytes <= 0:
            if self.head(key) is None:
                raise KeyError(key)
            return b""
        request: dict[str, Any] = {"Bucket": self._bucket, "Key": key}
        if max_bytes is not None:
            request["Range"] = f"bytes=0-{max_bytes - 1}"
        try:
            response = self.client.get_object(**request)
        except ClientError as error:
            code = _error_code(error)
            if code in ("NoSuchKey", "404"):
                raise KeyError(key) from error
            if code == "InvalidRange":
                return b""  # a range on an empty object
            raise
        with response["Body"] as body:
            data: bytes = body.read()
        return data

    def put(self, key: str, data: bytes, content_type: str) -> None:
        # S3's conditional write: If-None-Match "*" makes S3 itself refuse a key that holds an object, so
        # no head-then-put race exists; the bucket policy denies checked prefixes any put without it.
        try:
            self.client.put_object(Bucket=self._bucket, Key=key, Body=data, ContentType=content_type, IfNoneMatch="*")
        except ClientError as error:
            # 412: the key holds an object; 409: another conditional write of it is under way.
            if _error_code(error) in ("PreconditionFailed", "412", "ConditionalRequestConflict", "409"):
                raise ObjectExists(key) from error
            raise

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self._bucket, Key=key)

    def presigned_get(self, key: str, expires_in: int, filename: str) -> str:
        url: str = self.client.generate_presigned_url(
            "get_object",
            ExpiresIn=expires_in,
            Params={"Bucket": self._bucket, "Key": key, "ResponseContentDisposition": content_disposition(filename)},
        )
        return url


# --- SMS ------------------------------------------------------------------------------------------------


class SnsSms:
    """The SmsSender contract over SNS direct publish to a phone number."""

    def __init__(self, client: Any = None) -> None:
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3  # lazily, as for DynamoDB

            self._client = boto3.client("sns")
        return self._client

    def send(self, phone: str, text: str) -> None:
        check_phone(phone)
        # Transactional: SNS delivers these (codes, status notices) first and may bypass quiet hours.
        response = self.client.publish(
            PhoneNumber="+86" + phone,
            Message=text,
            MessageAttributes={"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}},
        )
        log.info("SMS published: %s", response.get("MessageId"))  # never the number: phones stay out of logs

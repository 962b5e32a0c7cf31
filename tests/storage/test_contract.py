"""The storage contract (functions/storage/interface.py), run once per backend: local and aws under moto."""

from __future__ import annotations

import threading
from urllib.parse import parse_qs, unquote, urlparse

import pytest

from functions.storage.interface import ConditionFailed, ObjectExists, Transaction
from functions.storage.rules import content_disposition

from .conftest import Stores

PK = "user#1"


def item(sk: str, pk: str = PK, **attributes) -> dict:
    return {"pk": pk, "sk": sk, **attributes}


# --- get / put / delete -----------------------------------------------------------------------------------


def test_put_then_get_round_trips_json_like_values(stores: Stores) -> None:
    stored = item(
        "profile",
        name="张三",
        age=42,
        big=2**53 + 1,
        active=True,
        nothing=None,
        tags=["a", "b"],
        nested={"count": 3, "flags": [True, False], "deep": {"n": -7}},
        empty_list=[],
        empty_map={},
    )
    stores.table.put(stored)

    got = stores.table.get(PK, "profile")

    assert got == stored
    assert type(got["age"]) is int and type(got["nested"]["count"]) is int
    assert got["active"] is True


def test_get_missing_is_none(stores: Stores) -> None:
    assert stores.table.get(PK, "nope") is None


def test_put_replaces_the_whole_item(stores: Stores) -> None:
    stores.table.put(item("a", colour="red", size=1))
    stores.table.put(item("a", colour="blue"))
    assert stores.table.get(PK, "a") == item("a", colour="blue")


def test_floats_are_refused(stores: Stores) -> None:
    with pytest.raises(TypeError):
        stores.table.put(item("a", price=1.5))


@pytest.mark.parametrize(
    "keys",
    [{"sk": "a"}, {"pk": PK}, {"pk": "", "sk": "a"}, {"pk": PK, "sk": ""}, {"pk": PK, "sk": 1}],
    ids=["no pk", "no sk", "empty pk", "empty sk", "number sk"],
)
def test_items_need_non_empty_string_keys(stores: Stores, keys: dict) -> None:
    with pytest.raises(ValueError):
        stores.table.put({**keys, "v": 1})
    with pytest.raises(ValueError):
        stores.table.put_if_absent({**keys, "v": 1})
    with pytest.raises(ValueError):
        stores.table.transact(Transaction(puts=[item("fine"), {**keys, "v": 1}]))
    assert stores.table.get(PK, "fine") is None


def test_delete_removes_and_tolerates_missing(stores: Stores) -> None:
    stores.table.put(item("a"))
    stores.table.delete(PK, "a")
    stores.table.delete(PK, "a")
    assert stores.table.get(PK, "a") is None


# --- put_if_absent and expiry -----------------------------------------------------------------------------


def test_put_if_absent_only_once(stores: Stores) -> None:
    assert stores.table.put_if_absent(item("login", owner="first")) is True
    assert stores.table.put_if_absent(item("login", owner="second")) is False
    assert stores.table.get(PK, "login")["owner"] == "first"


def test_expired_items_are_absent(stores: Stores) -> None:
    expires_at = int(stores.clock()) + 60
    stores.table.put(item("session", expires_at=expires_at))
    assert stores.table.get(PK, "session") is not None

    stores.clock.advance(61)

    assert stores.table.get(PK, "session") is None
    assert stores.table.query(PK) == []
    with pytest.raises(ConditionFailed):
        stores.table.update(PK, "session", {"used": True})


def test_an_item_is_alive_through_its_expiry_second(stores: Stores) -> None:
    stores.table.put(item("code", expires_at=int(stores.clock())))
    assert stores.table.get(PK, "code") is not None


@pytest.mark.parametrize("not_a_time", ["1", True, None, [1]])
def test_only_a_number_is_an_expiry(stores: Stores, not_a_time: object) -> None:
    """As for DynamoDB's TTL: an expires_at that is not a number is an ordinary attribute."""
    stores.table.put(item("odd", expires_at=not_a_time))
    stores.clock.advance(10**10)
    # Only get: moto's condition expressions crash comparing a string with a number (DynamoDB says false).
    assert stores.table.get(PK, "odd") == item("odd", expires_at=not_a_time)


def test_put_if_absent_over_an_expired_item_succeeds(stores: Stores) -> None:
    stores.table.put(item("code", value="old", expires_at=int(stores.clock()) + 10))
    assert stores.table.put_if_absent(item("code", value="refused")) is False

    stores.clock.advance(11)

    assert stores.table.put_if_absent(item("code", value="new")) is True
    assert stores.table.get(PK, "code") == item("code", value="new")


# --- update -----------------------------------------------------------------------------------------------


def test_update_sets_and_returns_the_stored_item(stores: Stores) -> None:
    stores.table.put(item("app", status="draft", form={"a": 1}))

    updated = stores.table.update(PK, "app", {"status": "submitted", "number": 7, "form": {"a": 2}})

    assert updated == item("app", status="submitted", number=7, form={"a": 2})
    assert stores.table.get(PK, "app") == updated


def test_update_with_matching_expectations(stores: Stores) -> None:
    stores.table.put(item("app", status="draft", version=1, history=[{"to": "draft"}]))

    updated = stores.table.update(
        PK,
        "app",
        {"status": "submitted"},
        expected={"status": "draft", "version": 1, "history": [{"to": "draft"}], "number": None},
    )

    assert updated["status"] == "submitted"


@pytest.mark.parametrize(
    "expected",
    [
        {"status": "submitted"},  # another value
        {"version": 2},
        {"number": 7},  # an attribute that is not there
        {"status": None},  # present, but expected absent
        {"version": True},  # True is not 1
    ],
)
def test_update_with_a_failing_expectation_writes_nothing(stores: Stores, expected: dict) -> None:
    stores.table.put(item("app", status="draft", version=1))

    with pytest.raises(ConditionFailed):
        stores.table.update(PK, "app", {"status": "accepted"}, expected=expected)

    assert stores.table.get(PK, "app") == item("app", status="draft", version=1)


def test_update_of_a_missing_item_fails_and_creates_nothing(stores: Stores) -> None:
    with pytest.raises(ConditionFailed):
        stores.table.update(PK, "ghost", {"status": "x"})
    with pytest.raises(ConditionFailed):
        stores.table.update(PK, "ghost", {"status": "x"}, expected={"status": None})
    assert stores.table.get(PK, "ghost") is None


def test_update_with_none_removes_the_attribute(stores: Stores) -> None:
    stores.table.put(item("me", email="a@example.cn", phone="13800000000"))

    updated = stores.table.update(PK, "me", {"email": None, "phone": "13900000000"})

    assert updated == item("me", phone="13900000000")
    assert "email" not in stores.table.get(PK, "me")


def test_update_without_changes_only_checks(stores: Stores) -> None:
    stores.table.put(item("me", status="ok"))
    assert stores.table.update(PK, "me", {}, expected={"status": "ok"}) == item("me", status="ok")
    with pytest.raises(ConditionFailed):
        stores.table.update(PK, "me", {}, expected={"status": "bad"})


def test_update_cannot_change_the_key(stores: Stores) -> None:
    stores.table.put(item("me"))
    with pytest.raises(ValueError):
        stores.table.update(PK, "me", {"sk": "other"})


# --- transact ---------------------------------------------------------------------------------------------


def test_transaction_applies_every_write(stores: Stores) -> None:
    stores.table.put(item("app", status="draft"))
    stores.table.put(item("old"))

    stores.table.transact(
        Transaction(
            puts_if_absent=[item("idem#k1", answer="A-1")],
            puts=[item("number#1", application="app")],
            updates=[(PK, "app", {"status": "submitted", "number": "A-1"}, {"status": "draft"})],
            deletes=[(PK, "old")],
        )
    )

    assert stores.table.get(PK, "idem#k1") == item("idem#k1", answer="A-1")
    assert stores.table.get(PK, "number#1") == item("number#1", application="app")
    assert stores.table.get(PK, "app") == item("app", status="submitted", number="A-1")
    assert stores.table.get(PK, "old") is None


@pytest.mark.parametrize("failure", ["put_if_absent", "update_expected", "update_missing"])
def test_a_failing_condition_writes_nothing(stores: Stores, failure: str) -> None:
    stores.table.put(item("app", status="draft"))
    stores.table.put(item("taken"))
    stores.table.put(item("old"))
    transaction = Transaction(
        puts_if_absent=[item("fresh"), item("taken", by="me") if failure == "put_if_absent" else item("free")],
        puts=[item("replaced", n=1)],
        updates=[
            (PK, "app", {"status": "submitted"}, {"status": "accepted" if failure == "update_expected" else "draft"})
        ],
        deletes=[(PK, "old")],
    )
    if failure == "update_missing":
        transaction.updates.append((PK, "ghost", {"status": "x"}, None))

    with pytest.raises(ConditionFailed):
        stores.table.transact(transaction)

    assert stores.table.get(PK, "fresh") is None
    assert stores.table.get(PK, "free") is None
    assert stores.table.get(PK, "replaced") is None
    assert stores.table.get(PK, "taken") == item("taken")
    assert stores.table.get(PK, "app") == item("app", status="draft")
    assert stores.table.get(PK, "old") == item("old")


def test_transaction_update_without_changes_is_a_check(stores: Stores) -> None:
    stores.table.put(item("account", status="active"))
    check = (PK, "account", {}, {"status": "active"})
    stores.table.transact(Transaction(puts=[item("order#1")], updates=[check]))
    assert stores.table.get(PK, "order#1") is not None

    stores.table.put(item("account", status="locked"))
    with pytest.raises(ConditionFailed):
        stores.table.transact(Transaction(puts=[item("order#2")], updates=[check]))
    assert stores.table.get(PK, "order#2") is None
    assert stores.table.get(PK, "account") == item("account", status="locked")


@pytest.mark.parametrize("holds", [True, False])
def test_guarded_delete_removes_only_while_its_condition_holds(stores: Stores, holds: bool) -> None:
    stores.table.put(item("app", status="draft" if holds else "submitted"))
    stores.table.put(item("index"))
    transaction = Transaction(deletes=[(PK, "index")], guarded_deletes=[(PK, "app", {"status": "draft"})])

    if holds:
        stores.table.transact(transaction)
        assert stores.table.get(PK, "app") is None
        assert stores.table.get(PK, "index") is None
    else:
        with pytest.raises(ConditionFailed):
            stores.table.transact(transaction)
        assert stores.table.get(PK, "app") == item("app", status="submitted")
        assert stores.table.get(PK, "index") == item("index")


def test_guarded_delete_of_a_missing_item_fails(stores: Stores) -> None:
    with pytest.raises(ConditionFailed):
        stores.table.transact(Transaction(guarded_deletes=[(PK, "ghost", {})]))


def test_transaction_put_if_absent_over_expired_item(stores: Stores) -> None:
    stores.table.put(item("code", expires_at=int(stores.clock()) + 5))
    stores.clock.advance(6)
    stores.table.transact(Transaction(puts_if_absent=[item("code", fresh=True)]))
    assert stores.table.get(PK, "code") == item("code", fresh=True)


def test_transaction_may_not_write_an_item_twice(stores: Stores) -> None:
    with pytest.raises(ValueError):
        stores.table.transact(Transaction(puts=[item("a")], deletes=[(PK, "a")]))


def test_transactions_hold_at_most_100_writes(stores: Stores) -> None:
    """DynamoDB's limit, kept by the local backend too, so what works locally works on aws."""
    stores.table.transact(Transaction(puts=[item(f"n#{index:03d}") for index in range(100)]))
    with pytest.raises(ValueError):
        stores.table.transact(Transaction(puts=[item(f"m#{index:03d}") for index in range(101)]))
    assert len(stores.table.query(PK, "n#")) == 100
    assert stores.table.query(PK, "m#") == []


def test_a_transaction_cannot_change_a_key(stores: Stores) -> None:
    stores.table.put(item("me", status="ok"))
    with pytest.raises(ValueError):
        stores.table.transact(Transaction(puts=[item("other")], updates=[(PK, "me", {"pk": "x"}, None)]))
    assert stores.table.get(PK, "other") is None
    assert stores.table.get(PK, "me") == item("me", status="ok")


def test_empty_transaction_is_a_no_op(stores: Stores) -> None:
    stores.table.transact(Transaction())


# --- query ------------------------------------------------------------------------------------------------


def _seed_applications(stores: Stores) -> None:
    for index in range(1, 6):
        stores.table.put(item(f"app#{index:03d}", n=index))
    stores.table.put(item("profile"))
    stores.table.put(item("app#999", pk="user#2"))


def test_query_by_prefix_in_sort_key_order(stores: Stores) -> None:
    _seed_applications(stores)
    assert [found["n"] for found in stores.table.query(PK, "app#")] == [1, 2, 3, 4, 5]
    assert [found["sk"] for found in stores.table.query(PK)] == [
        "app#001",
        "app#002",
        "app#003",
        "app#004",
        "app#005",
        "profile",
    ]
    assert stores.table.query(PK, "zzz") == []
    assert stores.table.query("user#nobody") == []


def test_query_descending_with_limit(stores: Stores) -> None:
    _seed_applications(stores)
    assert [found["n"] for found in stores.table.query(PK, "app#", descending=True, limit=2)] == [5, 4]
    assert [found["n"] for found in stores.table.query(PK, "app#", limit=3)] == [1, 2, 3]
    assert stores.table.query(PK, "app#", limit=0) == []


def test_query_pages_with_start_after(stores: Stores) -> None:
    _seed_applications(stores)
    first = stores.table.query(PK, "app#", limit=2)
    second = stores.table.query(PK, "app#", limit=2, start_after=first[-1]["sk"])
    third = stores.table.query(PK, "app#", limit=2, start_after=second[-1]["sk"])
    assert [found["n"] for found in first + second + third] == [1, 2, 3, 4, 5]

    newest = stores.table.query(PK, "app#", descending=True, limit=2)
    older = stores.table.query(PK, "app#", descending=True, start_after=newest[-1]["sk"])
    assert [found["n"] for found in newest + older] == [5, 4, 3, 2, 1]


def test_query_start_after_a_key_that_is_not_stored(stores: Stores) -> None:
    _seed_applications(stores)
    assert [found["n"] for found in stores.table.query(PK, "app#", start_after="app#0025")] == [3, 4, 5]
    assert [found["n"] for found in stores.table.query(PK, "app#", start_after="app#0025", descending=True)] == [2, 1]


def test_query_start_after_outside_the_prefix(stores: Stores) -> None:
    _seed_applications(stores)
    assert len(stores.table.query(PK, "app#", start_after="a")) == 5
    assert stores.table.query(PK, "app#", start_after="b") == []
    assert stores.table.query(PK, "app#", start_after="a", descending=True) == []
    assert len(stores.table.query(PK, "app#", start_after="b", descending=True)) == 5


def test_query_skips_expired_items_and_still_fills_the_limit(stores: Stores) -> None:
    soon = int(stores.clock()) + 10
    for index in range(1, 9):
        # Every other item expires, so a page of DynamoDB's Limit would hold too few live ones.
        stores.table.put(item(f"s#{index}", n=index, **({"expires_at": soon} if index % 2 else {})))
    stores.table.put(item("s#9", n=9, expires_at=soon + 1000))
    stores.clock.advance(11)

    assert [found["n"] for found in stores.table.query(PK, "s#")] == [2, 4, 6, 8, 9]
    assert [found["n"] for found in stores.table.query(PK, "s#", limit=3)] == [2, 4, 6]
    assert [found["n"] for found in stores.table.query(PK, "s#", limit=2, descending=True)] == [9, 8]
    assert [found["n"] for found in stores.table.query(PK, "s#", limit=2, start_after="s#4")] == [6, 8]


# --- increment --------------------------------------------------------------------------------------------


def test_increment_counts_from_zero(stores: Stores) -> None:
    assert stores.table.increment("seq", "A-20240101") == 1
    assert stores.table.increment("seq", "A-20240101") == 2
    assert stores.table.increment("seq", "A-20240101", by=5) == 7
    assert stores.table.increment("seq", "A-20240101", attribute="other") == 1
    assert stores.table.get("seq", "A-20240101") == {"pk": "seq", "sk": "A-20240101", "value": 7, "other": 1}


def test_increment_keeps_other_attributes_and_sets_expiry(stores: Stores) -> None:
    stores.table.put(item("attempts", phone="13800000000"))
    expires_at = int(stores.clock()) + 300
    assert stores.table.increment(PK, "attempts", attribute="count", expires_at=expires_at) == 1
    assert stores.table.get(PK, "attempts") == item("attempts", phone="13800000000", count=1, expires_at=expires_at)


def test_an_expired_counter_restarts(stores: Stores) -> None:
    window = int(stores.clock()) + 60
    assert stores.table.increment(PK, "sends", expires_at=window) == 1
    assert stores.table.increment(PK, "sends") == 2
    stores.clock.advance(61)

    assert stores.table.increment(PK, "sends", expires_at=window + 120) == 1
    assert stores.table.get(PK, "sends") == item("sends", value=1, expires_at=window + 120)


@pytest.mark.parametrize("key", ["pk", "sk"])
def test_a_key_cannot_be_a_counter(stores: Stores, key: str) -> None:
    with pytest.raises(ValueError):
        stores.table.increment(PK, "seq", attribute=key)
    assert stores.table.get(PK, "seq") is None


def test_concurrent_increments_are_distinct(stores: Stores) -> None:
    if stores.kind == "aws":
        # Checked: moto 5.2 serves concurrent UpdateItem calls without a lock and hands out duplicates;
        # DynamoDB's ADD is atomic. The sequential counter tests above run on moto.
        pytest.skip("moto's UpdateItem is not atomic across threads")
    threads, per_thread = 8, 5
    results: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(per_thread):
            value = stores.table.increment("seq", "today")
            with lock:
                results.append(value)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert sorted(results) == list(range(1, threads * per_thread + 1))


# --- blobs ------------------------------------------------------------------------------------------------

PDF = b"%PDF-1.7\n" + b"x" * 200


def _upload(stores: Stores, key: str, data: bytes = PDF, content_type: str = "application/pdf") -> None:
    form = stores.blobs.presigned_post(key, content_type, max_size=1024, expires_in=300)
    assert 200 <= stores.post(form, data) < 300


def test_presigned_post_form_shape(stores: Stores) -> None:
    form = stores.blobs.presigned_post("uploads/u1/license", "image/png", max_size=1024, expires_in=300)
    assert set(form) == {"url", "fields"}
    assert form["fields"]["key"] == "uploads/u1/license"
    assert form["fields"]["Content-Type"] == "image/png"
    assert "policy" in form["fields"]


def test_presigned_post_accepts_the_signed_upload(stores: Stores) -> None:
    _upload(stores, "uploads/u1/a")
    assert stores.blobs.head("uploads/u1/a") == {"size": len(PDF), "content_type": "application/pdf"}
    assert stores.blobs.read("uploads/u1/a") == PDF


def test_presigned_post_accepts_exactly_max_size(stores: Stores) -> None:
    form = stores.blobs.presigned_post("uploads/u1/max", "application/pdf", max_size=len(PDF), expires_in=300)
    assert 200 <= stores.post(form, PDF) < 300


def test_presigned_post_refusals(stores: Stores) -> None:
    if stores.kind == "aws":
        pytest.skip("moto does not evaluate POST policies; the policy itself is checked in test_moto_server.py")
    form = stores.blobs.presigned_post("uploads/u1/b", "application/pdf", max_size=100, expires_in=300)
    assert stores.post(form, b"x" * 101) == 400
    wrong_type = {"url": form["url"], "fields": {**form["fields"], "Content-Type": "text/html"}}
    assert stores.post(wrong_type, b"x") == 403
    wrong_key = {"url": form["url"], "fields": {**form["fields"], "key": "uploads/u2/b"}}
    assert stores.post(wrong_key, b"x") == 403
    assert stores.blobs.head("uploads/u1/b") is None and stores.blobs.head("uploads/u2/b") is None


def test_head_and_read_of_missing(stores: Stores) -> None:
    assert stores.blobs.head("uploads/none") is None
    with pytest.raises(KeyError):
        stores.blobs.read("uploads/none")


def test_read_the_first_bytes(stores: Stores) -> None:
    _upload(stores, "uploads/u1/c")
    assert stores.blobs.read("uploads/u1/c", max_bytes=8) == PDF[:8]
    assert stores.blobs.read("uploads/u1/c", max_bytes=10_000) == PDF


def test_put_is_write_once(stores: Stores) -> None:
    stores.blobs.put("evidence/app1/d", PDF, "application/pdf")
    with pytest.raises(ObjectExists):
        stores.blobs.put("evidence/app1/d", b"%PDF-other", "image/png")

    assert stores.blobs.head("evidence/app1/d") == {"size": len(PDF), "content_type": "application/pdf"}
    assert stores.blobs.read("evidence/app1/d") == PDF


def test_put_refuses_a_key_an_upload_wrote(stores: Stores) -> None:
    _upload(stores, "incoming/u1")
    with pytest.raises(ObjectExists):
        stores.blobs.put("incoming/u1", b"other", "application/pdf")
    assert stores.blobs.read("incoming/u1") == PDF


def test_put_again_after_delete(stores: Stores) -> None:
    stores.blobs.put("evidence/app1/e", PDF, "application/pdf")
    stores.blobs.delete("evidence/app1/e")
    stores.blobs.delete("evidence/app1/e")
    assert stores.blobs.head("evidence/app1/e") is None

    stores.blobs.put("evidence/app1/e", b"%PDF-2", "application/pdf")
    assert stores.blobs.read("evidence/app1/e") == b"%PDF-2"


def test_presigned_get_names_the_file(stores: Stores) -> None:
    _upload(stores, "materials/app1/f")

    url = stores.blobs.presigned_get("materials/app1/f", expires_in=300, filename="营业执照 副本.pdf")

    if stores.kind == "local":
        assert url.startswith("/api/local-files/")
        assert stores.blobs.resolve_get(url.rsplit("/", 1)[1]) == ("materials/app1/f", "营业执照 副本.pdf")
    else:
        disposition = parse_qs(urlparse(url).query)["response-content-disposition"][0]
        assert "filename*=UTF-8''" in disposition
        assert unquote(disposition.split("filename*=UTF-8''")[1]) == "营业执照 副本.pdf"
        assert disposition == content_disposition("营业执照 副本.pdf")  # the header the local route sends


# --- SMS --------------------------------------------------------------------------------------------------


def test_sms_send_is_recorded(stores: Stores) -> None:
    stores.sms.send("13800000000", "【辽宁政务服务网】验证码 123456，5分钟内有效。")
    stores.sms.send("13900000001", "second")
    assert stores.sent() == [
        ("13800000000", "【辽宁政务服务网】验证码 123456，5分钟内有效。"),
        ("13900000001", "second"),
    ]


def test_sms_refuses_a_number_that_is_not_a_mainland_mobile(stores: Stores) -> None:
    for phone in ("+8613800000000", "1380000000", "23800000000", "138000000001", "１３８００００００００"):
        with pytest.raises(ValueError):
            stores.sms.send(phone, "x")
    assert stores.sent() == []

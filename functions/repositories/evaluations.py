"""好差评 published: each department's counts of the five levels and of 差评 answered, and its 差评 awaiting a reply.

The counts are kept as ratings arrive, never by scanning applications: one counter item per region and department
(EVALSTATS#<region>, DEPT#<department>), so a region's published figures are one query of a few dozen items.
A rating and its count are written in one transaction with the application's evaluation: the counter item is read,
and the transaction sets its new values on condition that they are still the ones read (a put-if-absent for a
department's first rating). Two ratings of one department at the same moment: one transaction fails and is tried
again from a fresh read (`saving`), so every rating is counted exactly once, whatever fails in between, on either
backend. A rating and a reply change different attributes (count, levels, bad / answered), each conditioned on its
own, so neither waits for the other. At provincial scale a department gets a few ratings a minute: the retries are
rare and cheap.

A 差评 also gets an index item (EVALBAD#<region>#<department>, by rating time: oldest first) with its 整改 deadline,
written with the rating and deleted with the reply, for 审批工作台's 待整改差评.

The published figures are kept per process for STATS_CACHE_SECONDS, so a burst of visitors reads storage once per
region; this process's own ratings and replies drop its copy at once, other processes' copies catch up on expiry.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..domain.evaluations import RATING_LABELS, is_bad, reply_deadline
from ..storage.interface import Table, Transaction
from .errors import RecordChanged

Counts = dict[str, Any]
STATS_CACHE_SECONDS = 180
SAVE_TRIES = 10
"""Attempts of a rating or a reply whose transaction lost a race to another one of the same department."""


def _counter_key(region: str, department: str) -> tuple[str, str]:
    return f"EVALSTATS#{region}", f"DEPT#{department}"


def _awaiting_key(region: str, department: str, rated_at: int, application_id: str) -> tuple[str, str]:
    return f"EVALBAD#{region}#{department}", f"{rated_at:012d}#{application_id}"


def empty_levels() -> dict[str, int]:
    return {str(rating): 0 for rating in RATING_LABELS}


class Evaluations:
    def __init__(self, table: Table, clock: Callable[[], float]) -> None:
        self._table, self._clock = table, clock
        self._cache: dict[str, tuple[float, list[Counts]]] = {}
        self._lock = threading.Lock()

    # -- writes, for the transaction of the evaluation (or of its reply)

    def rating_writes(
        self, app: dict[str, Any], evaluation: dict[str, Any], into: Transaction | None = None
    ) -> Transaction:
        """The count of the application's new evaluation ({"rating", "comment", "rated_at", ...}) and a 差评's
        awaiting index, added to `into` if given."""
        transaction = into or Transaction()
        rating, rated_at = int(evaluation["rating"]), int(evaluation["rated_at"])
        pk, sk = _counter_key(app["region"], app["department"])
        stored = self._table.get(pk, sk)
        bad = 1 if is_bad(rating) else 0
        if stored is None:
            levels = empty_levels() | {str(rating): 1}
            transaction.puts_if_absent.append(
                {
                    "pk": pk,
                    "sk": sk,
                    "region": app["region"],
                    "department": app["department"],
                    "department_name": app["department_name"],
                    "count": 1,
                    "levels": levels,
                    "bad": bad,
                    "answered": 0,
                    "rated_at": rated_at,
                }
            )
        else:
            levels = {**empty_levels(), **stored["levels"]}
            levels[str(rating)] += 1
            changes = {
                "count": stored["count"] + 1,
                "levels": levels,
                "bad": stored["bad"] + bad,
                "rated_at": rated_at,
                "department_name": app["department_name"],
            }
            transaction.updates.append((pk, sk, changes, {"count": stored["count"]}))
        if bad:
            index_pk, index_sk = _awaiting_key(app["region"], app["department"], rated_at, app["id"])
            transaction.puts_if_absent.append(
                {
                    "pk": index_pk,
                    "sk": index_sk,
                    "application_id": app["id"],
                    "number": app.get("number"),
                    "subitem_name": app["subitem_name"],
                    "rating": rating,
                    "label": RATING_LABELS[rating],
                    "comment": evaluation.get("comment", ""),
                    "rated_at": rated_at,
                    "deadline": reply_deadline(rated_at),
                }
            )
        return transaction

    def reply_writes(self, app: dict[str, Any], answered_at: int, into: Transaction | None = None) -> Transaction:
        """One more 差评 answered, and its awaiting index gone, added to `into` if given. An evaluation stored before
        the counts were kept (no `rated_at`) was never counted: its reply counts nothing either."""
        transaction = into or Transaction()
        rated_at = (app.get("evaluation") or {}).get("rated_at")
        if rated_at is None:
            return transaction
        pk, sk = _counter_key(app["region"], app["department"])
        stored = self._table.get(pk, sk)
        if stored is None:  # counted with the rating, so it exists: gone only if an operator removed it
            raise RecordChanged("好差评统计暂不可用，请稍后再试")
        transaction.updates.append(
            (pk, sk, {"answered": stored["answered"] + 1, "answered_at": answered_at}, {"answered": stored["answered"]})
        )
        transaction.deletes.append(_awaiting_key(app["region"], app["department"], rated_at, app["id"]))
        return transaction

    def saving(self, attempt: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """Run `attempt` (read the application, check it, build the writes, save them; the saved application) until
        no concurrent write beats it, at most SAVE_TRIES times; then drop this process's cached figures of its
        region."""
        for _ in range(SAVE_TRIES - 1):
            try:
                saved = attempt()
                break
            except RecordChanged:
                continue
        else:
            saved = attempt()
        with self._lock:
            self._cache.pop(saved["region"], None)
        return saved

    # -- reads

    def region_counts(self, region: str) -> list[Counts]:
        """Every counted department of the region (a department with no rating has no item), at most
        STATS_CACHE_SECONDS old."""
        now = self._clock()
        with self._lock:
            cached = self._cache.get(region)
            if cached and now - cached[0] < STATS_CACHE_SECONDS:
                return cached[1]
        counts = [_counts(item) for item in self._table.query(f"EVALSTATS#{region}", "DEPT#")]
        with self._lock:
            self._cache[region] = (now, counts)
        return counts

    def awaiting_reply(
        self, region: str, department: str, limit: int, start_after: str | None = None
    ) -> list[dict[str, Any]]:
        """The department's 差评 not answered yet, oldest first (the nearest deadline first)."""
        return self._table.query(f"EVALBAD#{region}#{department}", limit=limit, start_after=start_after)


def _counts(item: dict[str, Any]) -> Counts:
    return {
        "department": item["department"],
        "department_name": item.get("department_name") or item["department"],
        "count": item["count"],
        "levels": {**empty_levels(), **item["levels"]},
        "bad": item["bad"],
        "answered": item.get("answered", 0),
        "updated_at": max(item.get("rated_at") or 0, item.get("answered_at") or 0),
    }

"""好差评 published on both backends: GET /api/evaluations/stats counts each rating at its department and level as
it arrives (in the evaluation's own transaction), the 差评 await a 整改 reply in 审批工作台 with a deadline of 5
working days, and the department's reply reaches the applicant's 办件详情 and 消息中心."""

from __future__ import annotations

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from functions.domain.china_time import CHINA
from functions.repositories.evaluations import STATS_CACHE_SECONDS
from tests.api.conftest import needs_thread_safe_backend
from tests.api.test_applications import other_applicant, staff_client
from tests.factories import complete_draft, login, register, sms_messages

REGION = "210300"  # 甲市: 甲市行政审批局 (bureau) and its 社会事务科 (bureau-social), the sub-item's department


@pytest.fixture
def applicant(services, client) -> TestClient:
    register(services, client)
    assert login(services, client).status_code == 200
    return client


@pytest.fixture
def staff(services, applicant) -> TestClient:
    return staff_client(services, applicant)


def finished(applicant: TestClient, staff: TestClient) -> str:
    """A new application, submitted, accepted and approved (办结): ready to be rated."""
    application_id = complete_draft(applicant)
    assert applicant.post(f"/api/applications/{application_id}/submit").status_code == 200
    for action in ("accept", "approve"):
        answer = staff.post(f"/api/review/applications/{application_id}/actions", json={"action": action})
        assert answer.status_code == 200, answer.text
    return application_id


def rate(applicant: TestClient, application_id: str, rating: int, comment: str = "") -> dict:
    answer = applicant.post(
        f"/api/applications/{application_id}/evaluation", json={"rating": rating, "comment": comment}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def stats(client: TestClient, region: str = REGION) -> dict:
    answer = client.get("/api/evaluations/stats", params={"region": region})
    assert answer.status_code == 200, answer.text
    return answer.json()


def department(body: dict, code: str = "bureau-social") -> dict:
    return next(entry for entry in body["departments"] if entry["department"] == code)


def levels(figures: dict) -> dict[int, int]:
    return {level["rating"]: level["count"] for level in figures["levels"]}


# --- the published figures ------------------------------------------------------------------------------------------


def test_no_ratings_yet_lists_every_department_with_zeros(client) -> None:
    body = stats(client)
    assert (body["region"], body["region_name"], body["updated_at"]) == (REGION, "甲市", None)
    assert [entry["department"] for entry in body["departments"]] == ["bureau", "bureau-social"]
    for figures in (body["total"], *body["departments"]):
        assert figures["count"] == 0 and figures["satisfaction_rate"] is None and figures["answer_rate"] is None
        assert [(level["rating"], level["label"], level["count"], level["share"]) for level in figures["levels"]] == [
            (5, "非常满意", 0, None),
            (4, "满意", 0, None),
            (3, "基本满意", 0, None),
            (2, "不满意", 0, None),
            (1, "非常不满意", 0, None),
        ]


def test_a_new_rating_is_counted_at_its_department_and_level(services, client, applicant, staff) -> None:
    rate(applicant, finished(applicant, staff), 4)
    body = stats(client)
    social = department(body)
    assert social["department_name"] == "甲市行政审批局社会事务科"
    assert social["count"] == 1 and levels(social) == {5: 0, 4: 1, 3: 0, 2: 0, 1: 0}
    assert department(body, "bureau")["count"] == 0  # the parent 局 is another department
    assert body["total"]["count"] == 1 and levels(body["total"])[4] == 1
    assert body["updated_at"].endswith("+08:00")
    assert stats(client, "210100")["total"]["count"] == 0  # another region counts nothing of it


def test_satisfaction_rate_and_shares(services, client, applicant, staff) -> None:
    for rating, comment in [
        (5, ""),
        (5, ""),
        (4, ""),
        (3, ""),
        (2, "等候太久"),
        (1, "材料要求没有一次说清楚"),
        (5, ""),
        (4, ""),
    ]:
        rate(applicant, finished(applicant, staff), rating, comment)
    total = stats(client)["total"]
    assert total["count"] == 8 and levels(total) == {5: 3, 4: 2, 3: 1, 2: 1, 1: 1}
    assert total["satisfaction_rate"] == 0.75  # (3 + 2 + 1) / 8
    assert [level["share"] for level in total["levels"]] == [0.375, 0.25, 0.125, 0.125, 0.125]
    assert (total["bad_count"], total["bad_answered"], total["answer_rate"]) == (2, 0, 0.0)
    assert total == {key: value for key, value in department(stats(client)).items() if key in total}


def test_the_answer_is_public_and_cached_for_minutes(services, client, applicant, staff) -> None:
    client.cookies.clear()  # no login needed
    answer = client.get("/api/evaluations/stats", params={"region": REGION})
    assert answer.status_code == 200 and answer.headers["cache-control"] == "public, max-age=300"
    # A burst of visitors reads storage once: a count written behind this process's back shows after the cache ages.
    services.table.put(
        {
            "pk": f"EVALSTATS#{REGION}",
            "sk": "DEPT#bureau",
            "department": "bureau",
            "department_name": "甲市行政审批局",
            "count": 2,
            "levels": {"5": 2, "4": 0, "3": 0, "2": 0, "1": 0},
            "bad": 0,
            "answered": 0,
            "rated_at": int(services.clock()),
        }
    )
    assert stats(client)["total"]["count"] == 0
    services.clock.advance(STATS_CACHE_SECONDS + 1)
    assert stats(client)["total"]["count"] == 2


def test_a_rating_in_this_process_shows_at_once(services, client, applicant, staff) -> None:
    application_id = finished(applicant, staff)
    assert stats(client)["total"]["count"] == 0  # cached now
    rate(applicant, application_id, 5)
    assert stats(client)["total"]["count"] == 1


@pytest.mark.parametrize(
    ("region", "status", "field"),
    [("210399", 404, "地区代码 210399 不存在"), ("21030", 422, "地区代码格式不正确"), ("", 422, None)],
)
def test_an_unknown_or_malformed_region_names_the_field(client, region, status, field) -> None:
    answer = client.get("/api/evaluations/stats", params={"region": region})
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert "region" in error["fields"] and (field is None or error["fields"]["region"] == field)
    assert client.get("/api/evaluations/stats").status_code == 422


def test_a_rating_is_counted_once_even_when_a_second_tab_rates_too(services, client, applicant, staff) -> None:
    application_id = finished(applicant, staff)
    rate(applicant, application_id, 5)
    again = applicant.post(f"/api/applications/{application_id}/evaluation", json={"rating": 1, "comment": "再评"})
    assert again.status_code == 409
    assert stats(client)["total"]["count"] == 1


def test_a_concurrent_rating_of_the_department_is_retried_not_lost(services, client, applicant, staff) -> None:
    """Another rating of the same department lands between this one's read of the counter and its transaction."""
    first, second = finished(applicant, staff), finished(applicant, staff)
    writes = services.evaluations.rating_writes
    interfered = []

    def racing(app, evaluation, into=None):
        planned = writes(app, evaluation, into)
        if not interfered:
            interfered.append(True)
            rate(applicant, second, 3)  # commits first; the planned writes now expect a stale count
        return planned

    services.evaluations.rating_writes = racing
    try:
        rate(applicant, first, 4)
    finally:
        del services.evaluations.rating_writes
    figures = department(stats(client))
    assert figures["count"] == 2 and levels(figures) == {5: 0, 4: 1, 3: 1, 2: 0, 1: 0}


# --- 差评: awaiting a reply, the deadline, the reply ---------------------------------------------------------------


def signed_in_again(services, staff: TestClient) -> None:
    """A week later the session has long expired (30 minutes idle)."""
    assert login(services, staff, login_name="shenpi_as01", password="Shenpi2026ok").status_code == 200


def awaiting(staff: TestClient) -> list[dict]:
    answer = staff.get("/api/review/evaluations")
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def test_the_deadline_is_five_working_days_and_skips_the_weekend(services, applicant, staff) -> None:
    application_id = finished(applicant, staff)
    rated_on = datetime.datetime.fromtimestamp(services.clock(), CHINA)
    assert rated_on.strftime("%A") == "Friday"  # the test clock's day (2027-01-15, China time)
    rate(applicant, application_id, 2, "窗口等候时间太长")
    [entry] = awaiting(staff)
    assert (entry["application_id"], entry["rating"], entry["label"]) == (application_id, 2, "不满意")
    assert entry["comment"] == "窗口等候时间太长" and entry["number"]
    assert entry["deadline"] == "2027-01-22T23:59:59+08:00"  # Mon..Fri of the next week; not Wednesday the 20th
    assert entry["overdue"] is False
    assert (
        staff.get(f"/api/review/applications/{application_id}").json()["evaluation"]["reply_due"] == entry["deadline"]
    )
    end = datetime.datetime.fromisoformat(entry["deadline"]).timestamp()
    services.clock.advance(end - services.clock())  # the deadline's last second: still in time
    signed_in_again(services, staff)
    assert awaiting(staff)[0]["overdue"] is False
    services.clock.advance(1)
    assert awaiting(staff)[0]["overdue"] is True


def test_good_ratings_do_not_await_a_reply_and_the_oldest_comes_first(services, applicant, staff) -> None:
    first, good, second = (finished(applicant, staff) for _ in range(3))
    rate(applicant, first, 1, "态度不好")
    services.clock.advance(600)
    rate(applicant, good, 3)
    rate(applicant, second, 2, "时间太长")
    assert [entry["application_id"] for entry in awaiting(staff)] == [first, second]
    assert "reply_evaluation" in staff.get(f"/api/review/applications/{first}").json()["allowed_actions"]
    assert "reply_evaluation" not in staff.get(f"/api/review/applications/{good}").json()["allowed_actions"]


def reply(staff: TestClient, application_id: str, text: str = "已加开窗口，并对窗口人员进行了培训"):
    return staff.post(f"/api/review/applications/{application_id}/evaluation-reply", json={"text": text})


def test_the_departments_reply_reaches_the_applicant(services, client, applicant, staff) -> None:
    application_id = finished(applicant, staff)
    rate(applicant, application_id, 1, "材料要求没有一次说清楚")
    services.clock.advance(86400)
    signed_in_again(services, staff)
    answered = reply(staff, application_id)
    assert answered.status_code == 200, answered.text
    assert "reply_evaluation" not in answered.json()["allowed_actions"]
    assert awaiting(staff) == []

    login(services, applicant)
    detail = applicant.get(f"/api/applications/{application_id}").json()
    assert detail["evaluation"]["reply"] == {
        "text": "已加开窗口，并对窗口人员进行了培训",
        "at": "2027-01-16T16:00:00+08:00",
        "by": "甲市行政审批局社会事务科",
    }
    assert set(detail["evaluation"]) == {"rating", "label", "comment", "at", "reply", "reply_due"}
    assert detail["evaluation"]["reply_due"] is None  # answered: nothing due any more
    message = applicant.get("/api/messages").json()["items"][0]
    assert (message["kind"], message["title"], message["application_id"]) == (
        "evaluation_reply",
        "差评整改答复",
        application_id,
    )
    assert "甲市行政审批局社会事务科已答复：已加开窗口" in message["text"]
    assert "整改答复" in sms_messages(services)[-1][1] and sms_messages(services)[-1][0] == "13800138000"
    figures = department(stats(client))
    assert (figures["bad_count"], figures["bad_answered"], figures["answer_rate"]) == (1, 1, 1.0)


def test_a_reply_is_refused_twice_for_a_good_rating_and_without_text(services, applicant, staff) -> None:
    bad, good, unrated = (finished(applicant, staff) for _ in range(3))
    rate(applicant, bad, 2, "等候太久")
    rate(applicant, good, 4)
    assert reply(staff, bad, "   ").json()["error"]["fields"] == {"text": "请填写整改答复"}
    too_long = reply(staff, bad, "长" * 1001)
    assert too_long.status_code == 422 and too_long.json()["error"]["fields"] == {"text": "答复内容过长"}
    assert reply(staff, bad).status_code == 200
    twice = reply(staff, bad, "再答复一次")
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_replied"
    for application_id in (good, unrated):
        refused = reply(staff, application_id)
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "not_bad_evaluation"
    detail = applicant.get(f"/api/applications/{bad}").json()
    assert detail["evaluation"]["reply"]["text"] == "已加开窗口，并对窗口人员进行了培训"


def test_only_the_applications_department_replies(services, client, applicant, staff) -> None:
    application_id = finished(applicant, staff)
    rate(applicant, application_id, 1, "态度不好")
    parent = staff_client(services, applicant, department="bureau", login_name="shenpi_as09")
    assert reply(parent, application_id).status_code == 404
    assert awaiting(parent) == []
    assert reply(applicant, application_id).status_code == 403
    assert reply(other_applicant(services, client), application_id).status_code == 403
    anonymous = TestClient(client.app, base_url=client.base_url)
    assert reply(anonymous, application_id).status_code == 401
    assert anonymous.get("/api/review/evaluations").status_code == 401
    assert applicant.get("/api/review/evaluations").status_code == 403
    assert len(awaiting(staff)) == 1


def test_ratings_of_one_department_at_the_same_moment_are_each_counted_once(services, client, applicant, staff) -> None:
    needs_thread_safe_backend(services)
    applications = [finished(applicant, staff) for _ in range(6)]
    barrier = threading.Barrier(len(applications))

    def rate_now(index: int) -> int:
        barrier.wait(timeout=30)
        rating = index % 5 + 1
        body = {"rating": rating, "comment": "等候太久" if rating <= 2 else ""}
        return applicant.post(f"/api/applications/{applications[index]}/evaluation", json=body).status_code

    with ThreadPoolExecutor(len(applications)) as pool:
        assert list(pool.map(rate_now, range(len(applications)))) == [200] * len(applications)
    figures = department(stats(client))
    assert figures["count"] == 6 and levels(figures) == {5: 1, 4: 1, 3: 1, 2: 1, 1: 2}
    assert figures["bad_count"] == 3 and len(awaiting(staff)) == 3

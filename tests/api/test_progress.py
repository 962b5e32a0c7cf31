"""办件进度查询 (POST /api/progress): the number and the applicant's name, no login, nothing personal, on both
backends; a wrong name answers as an unknown number does, and lookups are limited per address."""

from __future__ import annotations

import pytest

from functions.repositories import rate_limits
from tests.api.test_applications import staff_client
from tests.factories import complete_draft, login, register, solve_captcha

NAME = "测试用户"  # natural_registration's real_name


@pytest.fixture
def submitted(services, client) -> dict:
    """A submitted application that staff have accepted (受理), and a visitor's client with no session."""
    register(services, client)
    login(services, client)
    application_id = complete_draft(client)
    answer = client.post(f"/api/applications/{application_id}/submit").json()
    staff = staff_client(services, client)
    services.clock.advance(600)
    accepted = staff.post(
        f"/api/review/applications/{application_id}/actions", json={"action": "accept", "comment": "材料齐全，予以受理"}
    )
    assert accepted.status_code == 200, accepted.text
    client.cookies.clear()
    return answer


def look_up(services, client, number: str, name: str = NAME):
    return client.post("/api/progress", json={"number": number, "name": name, **solve_captcha(services, client)})


def test_the_number_and_the_name_show_where_it_stands_without_login(services, client, submitted) -> None:
    answer = look_up(services, client, submitted["number"])
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["number"] == submitted["number"]
    assert (body["status"], body["status_label"]) == ("accepted", "已受理")
    assert body["region_name"] == "甲市" and body["subitem_name"] and body["department_name"]  # the fixture region
    assert [step["status_label"] for step in body["history"]] == ["已提交", "已受理"]
    assert body["submitted_at"] and body["updated_at"] > body["submitted_at"]


def test_the_answer_carries_no_comment_and_nothing_personal(services, client, submitted) -> None:
    body = look_up(services, client, submitted["number"]).json()
    text = str(body)
    assert "材料齐全" not in text  # staff's comment
    assert NAME not in text and "审批员甲" not in text and "13800138000" not in text
    assert set(body["history"][0]) == {"at", "status_label"}


def test_a_number_typed_with_full_width_digits_and_spaces_is_found(services, client, submitted) -> None:
    typed = " " + submitted["number"].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + " "
    assert look_up(services, client, typed, name=f" {NAME} ").status_code == 200


def test_a_wrong_name_answers_as_an_unknown_number(services, client, submitted) -> None:
    wrong_name = look_up(services, client, submitted["number"], name="别人")
    unknown = look_up(services, client, "2103002099010100001")
    assert wrong_name.status_code == unknown.status_code == 404
    assert wrong_name.json() == unknown.json()


def test_a_draft_has_no_number_to_find(services, client) -> None:
    register(services, client)
    login(services, client)
    complete_draft(client)
    client.cookies.clear()
    assert look_up(services, client, "").status_code == 404


def test_a_wrong_captcha_is_refused_before_any_lookup(services, client, submitted) -> None:
    body = {"number": submitted["number"], "name": NAME, **solve_captcha(services, client)}
    body["captcha_answer"] = "wrong"
    refused = client.post("/api/progress", json=body)
    assert refused.status_code == 422 and refused.json()["error"]["fields"] == {"captcha_answer": "验证码不正确"}


def test_lookups_from_one_address_are_limited(services, client) -> None:
    for _ in range(rate_limits.PROGRESS.requests):
        assert look_up(services, client, "2103002099010100001").status_code == 404
    limited = look_up(services, client, "2103002099010100001")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert "查询办件进度过于频繁" in limited.json()["error"]["message"]

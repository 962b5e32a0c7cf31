"""The lifecycle module alone: transitions, who may act, history entries, allowed actions; and the pages keep no
copy of its rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from functions.domain import guide_versions
from functions.domain.lifecycle import (
    STATUS_LABELS,
    ActionRefused,
    Actor,
    CorrectionRequest,
    TransitionRefused,
    act,
    allowed_actions,
    may_change,
)

APPLICANT = Actor("applicant", "测试用户")
STAFF = Actor("staff", "甲市行政审批局社会事务科 审批员甲")
GUIDE = {"fields": [{"name": "dog_name", "label": "犬名"}], "materials": [{"id": "form", "name": "养犬登记表"}]}
JS = Path(__file__).resolve().parents[2] / "templates" / "static" / "js"


def app(status: str, **more) -> dict:
    return {"status": status, "history": [], "guide": GUIDE, **more}


def test_submit_appends_a_structured_entry() -> None:
    step = act(app("draft"), "submit", APPLICANT, 1_800_000_000)
    assert step.status == "submitted"
    assert step.entry == {
        "at": 1_800_000_000,
        "actor_kind": "applicant",
        "actor": "测试用户",
        "from": "draft",
        "to": "submitted",
        "comment": "",
        "items": [],
    }
    assert step.changes == {"status": "submitted", "corrections": [], "history": [step.entry]}


def test_the_actor_must_be_the_right_kind() -> None:
    with pytest.raises(TransitionRefused):
        act(app("submitted"), "accept", APPLICANT, 0)
    with pytest.raises(TransitionRefused):
        act(app("draft"), "submit", STAFF, 0)
    with pytest.raises(TransitionRefused, match="已受理"):
        act(app("accepted"), "withdraw", APPLICANT, 0)


def test_refusals_need_a_reason() -> None:
    with pytest.raises(ActionRefused) as refused:
        act(app("submitted"), "reject", STAFF, 0, comment="  ")
    assert refused.value.field == "comment"
    assert act(app("submitted"), "reject", STAFF, 0, comment="材料不全").entry["comment"] == "材料不全"


def test_a_correction_names_items_of_the_guide_with_reasons() -> None:
    step = act(
        app("accepted", correction_round=1),
        "request_correction",
        STAFF,
        5,
        "请一次补齐",
        [CorrectionRequest("material", "form", "未签字"), CorrectionRequest("field", "dog_name", "有误")],
    )
    items = [
        {"kind": "material", "id": "form", "label": "养犬登记表", "reason": "未签字"},
        {"kind": "field", "id": "dog_name", "label": "犬名", "reason": "有误"},
    ]
    assert step.changes["corrections"] == items and step.entry["items"] == items
    assert step.changes["correction_round"] == 2
    for wrong, field in (
        ([], "corrections"),
        ([CorrectionRequest("material", "x", "r")], "corrections.0.id"),
        ([CorrectionRequest("field", "dog_name", "")], "corrections.0.reason"),
        ([CorrectionRequest("material", "form", "a"), CorrectionRequest("material", "form", "b")], "corrections.1.id"),
    ):
        with pytest.raises(ActionRefused) as refused:
            act(app("submitted"), "request_correction", STAFF, 0, "", wrong)
        assert refused.value.field == field


def test_a_resubmission_says_so_and_lists_what_was_corrected() -> None:
    corrected = [{"kind": "material", "id": "form", "label": "养犬登记表"}]
    step = act(app("correction_required", correction_round=2), "submit", APPLICANT, 9, corrected=corrected)
    assert step.entry["comment"] == "补正后重新提交（第 2 次补正）" and step.entry["items"] == corrected


@pytest.mark.parametrize(
    ("status", "applicant", "staff"),
    [
        ("draft", ["edit", "submit", "delete"], []),
        ("submitted", ["withdraw"], ["accept", "reject", "request_correction"]),
        ("accepted", [], ["request_correction", "approve", "deny"]),
        ("correction_required", ["edit", "submit"], []),
        ("approved", ["evaluate"], []),
        ("withdrawn", [], []),
    ],
)
def test_allowed_actions_per_viewer(status, applicant, staff) -> None:
    assert allowed_actions(app(status), "applicant") == applicant
    assert allowed_actions(app(status), "staff") == staff
    assert allowed_actions(app("denied", evaluation={"rating": 5}), "applicant") == []


def test_in_a_correction_only_marked_items_may_change() -> None:
    marked = app("correction_required", corrections=[{"kind": "material", "id": "form", "label": "", "reason": ""}])
    assert may_change(marked, "material", "form") and not may_change(marked, "material", "vaccine")
    assert not may_change(marked, "field", "dog_name")
    assert may_change(app("draft"), "field", "dog_name") and not may_change(app("submitted"), "field", "dog_name")
    assert may_change(app("correction_required", corrections=["养犬登记表"]), "field", "dog_name")  # asked as text


def test_guide_changes_are_told_in_chinese() -> None:
    old = guide_versions.snapshot(
        "养犬首次登记",
        "/g/",
        [{"name": "dog_name", "label": "犬名", "type": "text", "required": False, "options": []}],
        [{"id": "form", "name": "养犬登记表", "required": True, "formats": ["pdf"], "max_size": 10}],
    )
    new = guide_versions.snapshot(
        "养犬首次登记",
        "/g/",
        [{"name": "dog_name", "label": "犬名", "type": "text", "required": True, "options": [], "help": "新说明"}],
        [{"id": "photo", "name": "犬只照片", "required": True, "formats": ["jpg"], "max_size": 10}],
    )
    assert guide_versions.changes(old, new) == [
        "申请表“犬名”改为必填",
        "申请材料新增“犬只照片”（必填）",
        "申请材料不再需要“养犬登记表”",
    ]
    same_rules = guide_versions.snapshot(
        "养犬首次登记", "/g/", [{**new["fields"][0], "help": "又改了"}], new["materials"]
    )
    assert same_rules["version"] == new["version"] and guide_versions.changes(new, same_rules) == []


def test_the_pages_keep_no_copy_of_the_status_rules() -> None:
    """Pages decide from allowed_actions; a status code written in a script would be a second state machine."""
    status_code = re.compile(rf"(?<![\w.-])({'|'.join(STATUS_LABELS)})(?![\w-])")
    comment = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
    found = {
        path.name: sorted(set(status_code.findall(comment.sub("", path.read_text(encoding="utf-8")))))
        for path in JS.glob("*.js")
    }
    assert {name: statuses for name, statuses in found.items() if statuses} == {}


def test_staff_answer_a_bad_rating_once() -> None:
    assert allowed_actions(app("approved", evaluation={"rating": 2, "comment": "慢"}), "staff") == ["reply_evaluation"]
    assert allowed_actions(app("denied", evaluation={"rating": 1, "comment": "慢"}), "staff") == ["reply_evaluation"]
    assert allowed_actions(app("approved", evaluation={"rating": 3}), "staff") == []
    replied = {"rating": 1, "comment": "慢", "reply": {"text": "已整改", "at": "", "by": ""}}
    assert allowed_actions(app("approved", evaluation=replied), "staff") == []

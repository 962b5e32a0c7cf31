"""The application lifecycle (SPEC section 5), in one place: statuses, transitions, history entries, and what
each viewer may do now. Routes call `act` and store what it returns; pages read `allowed_actions` from the API.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .evaluations import awaits_reply

STATUS_LABELS: dict[str, str] = {
    "draft": "草稿",
    "submitted": "已提交",
    "accepted": "已受理",
    "correction_required": "待补正",
    "rejected": "不予受理",
    "approved": "办结（准予许可）",
    "denied": "办结（不予许可）",
    "withdrawn": "已撤回",
}
FINISHED = frozenset({"approved", "denied"})
EDITABLE = frozenset({"draft", "correction_required"})
"""The applicant may change the form and the files: before submission, and while a correction is asked for."""

ACTION_LABELS: dict[str, str] = {
    "submit": "提交申请",
    "withdraw": "撤回",
    "accept": "受理",
    "reject": "不予受理",
    "request_correction": "要求补正",
    "approve": "准予许可",
    "deny": "不予许可",
}
STAFF_ACTIONS = frozenset({"accept", "reject", "request_correction", "approve", "deny"})
APPLICANT_ACTIONS = frozenset({"submit", "withdraw"})
# A refusal must say why (《行政许可法》第三十二条、第三十八条: 不予受理/不予许可 with reasons).
NEEDS_COMMENT = frozenset({"reject", "deny"})
CORRECTION_KINDS = {"material": "申请材料", "field": "申请表"}


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str


TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", "draft", "submitted"),
    Transition("submit", "correction_required", "submitted"),  # 补正后重新提交, same 办件编号
    Transition("withdraw", "submitted", "withdrawn"),  # only before acceptance
    Transition("accept", "submitted", "accepted"),
    Transition("reject", "submitted", "rejected"),
    Transition("request_correction", "submitted", "correction_required"),
    Transition("request_correction", "accepted", "correction_required"),
    Transition("approve", "accepted", "approved"),
    Transition("deny", "accepted", "denied"),
)


class TransitionRefused(Exception):
    """The action is not allowed from the current status; the message says why, in Chinese (409)."""


class ActionRefused(Exception):
    """The action is allowed but its details are not (a missing reason, an unknown item): 422, naming the field."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message, self.field = message, field


@dataclass(frozen=True)
class Actor:
    kind: Literal["applicant", "staff"]
    name: str
    """As the history shows it: the applicant's name, or the department and the staff member's name."""


@dataclass(frozen=True)
class CorrectionRequest:
    """One thing staff ask to be corrected (一次性告知): a material or a form field, and why."""

    kind: str
    id: str
    reason: str


@dataclass(frozen=True)
class Step:
    """The outcome of an action: the new status and every attribute of the application it changes."""

    status: str
    entry: dict[str, Any]
    changes: dict[str, Any]


def next_status(status: str, action: str) -> str:
    """The status an action leads to from `status`, or TransitionRefused."""
    if action not in ACTION_LABELS or status not in STATUS_LABELS:
        raise TransitionRefused("没有这项操作")  # a caller's typo must not surface as a KeyError (a 500)
    for transition in TRANSITIONS:
        if transition.action == action and transition.source == status:
            return transition.target
    allowed = [ACTION_LABELS[t.action] for t in TRANSITIONS if t.source == status]
    hint = f"当前可进行的操作：{'、'.join(dict.fromkeys(allowed))}" if allowed else "该办件已不能再进行操作"
    raise TransitionRefused(f"办件当前状态为“{STATUS_LABELS[status]}”，不能{ACTION_LABELS[action]}。{hint}")


def staff_can_see(status: str) -> bool:
    """Drafts belong to the applicant alone until they are submitted."""
    return status != "draft"


def is_editable(status: str) -> bool:
    return status in EDITABLE


def act(
    app: Mapping[str, Any],
    action: str,
    actor: Actor,
    at: int,
    comment: str = "",
    corrections: Sequence[CorrectionRequest] = (),
    corrected: Sequence[Mapping[str, str]] = (),
) -> Step:
    """What `action` by `actor` does to `app`: TransitionRefused if its status or the actor forbids it,
    ActionRefused if a detail the action needs is missing or wrong.

    corrections: what staff ask for with request_correction, checked against the application's guide.
    corrected: on a resubmission, the items the applicant changed (for the history).
    """
    allowed_here = STAFF_ACTIONS if actor.kind == "staff" else APPLICANT_ACTIONS
    if action not in ACTION_LABELS:
        raise TransitionRefused("没有这项操作")
    if action not in allowed_here:
        raise TransitionRefused(f"{'审批人员' if actor.kind == 'staff' else '申请人'}不能{ACTION_LABELS[action]}")
    source = app["status"]
    target = next_status(source, action)
    comment = comment.strip()
    if action in NEEDS_COMMENT and not comment:
        raise ActionRefused(f"{ACTION_LABELS[action]}必须说明理由", "comment")
    changes: dict[str, Any] = {"status": target}
    items: list[dict[str, str]] = []
    if action == "request_correction":
        items = _correction_items(app, corrections)
        changes |= {"corrections": items, "correction_round": app.get("correction_round", 0) + 1}
    elif action == "submit":
        changes["corrections"] = []
        if source == "correction_required":
            items = [dict(item) for item in corrected]
            comment = comment or f"补正后重新提交（第 {app.get('correction_round', 1)} 次补正）"
    elif action == "withdraw":
        comment = comment or "申请人撤回"
    entry = history_entry(at, actor, source, target, comment, items)
    changes["history"] = [*app.get("history", []), entry]
    return Step(target, entry, changes)


def history_entry(
    at: int, actor: Actor, source: str | None, target: str, comment: str, items: Sequence[Mapping[str, str]] = ()
) -> dict[str, Any]:
    """One line of an application's history: who moved it from which status to which, when, why, and which
    materials or fields it concerned."""
    return {
        "at": at,
        "actor_kind": actor.kind,
        "actor": actor.name,
        "from": source,
        "to": target,
        "comment": comment,
        "items": [dict(item) for item in items],
    }


def _correction_items(app: Mapping[str, Any], requests: Sequence[CorrectionRequest]) -> list[dict[str, str]]:
    """Each request resolved to its label in the application's guide, with its reason; all at once or not at all."""
    if not requests:
        raise ActionRefused("要求补正时请选择需要补正的材料或表单项，并逐项写明原因", "corrections")
    guide = app.get("guide") or {}
    labels = {("material", m["id"]): m["name"] for m in guide.get("materials", [])}
    labels |= {("field", f["name"]): f["label"] for f in guide.get("fields", [])}
    items: list[dict[str, str]] = []
    for index, request in enumerate(requests):
        label = labels.get((request.kind, request.id))
        if label is None:
            raise ActionRefused(
                f"第 {index + 1} 项：该办件没有这项{CORRECTION_KINDS.get(request.kind, '内容')}",
                f"corrections.{index}.id",
            )
        if not request.reason.strip():
            raise ActionRefused(f"请写明“{label}”需要补正的原因", f"corrections.{index}.reason")
        if any(item["kind"] == request.kind and item["id"] == request.id for item in items):
            raise ActionRefused(f"“{label}”列了两次", f"corrections.{index}.id")
        items.append({"kind": request.kind, "id": request.id, "label": label, "reason": request.reason.strip()})
    return items


def allowed_actions(app: Mapping[str, Any], viewer: str) -> list[str]:
    """What the viewer ("applicant" or "staff") may do with the application now."""
    status = app["status"]
    if viewer == "staff":
        staff_actions = [t.action for t in TRANSITIONS if t.source == status and t.action in STAFF_ACTIONS]
        if status in FINISHED and awaits_reply(app.get("evaluation")):
            staff_actions.append("reply_evaluation")  # 差评 整改: the department answers it
        return staff_actions
    actions = []
    if status in EDITABLE:
        actions += ["edit", "submit"]
    if status == "draft":
        actions.append("delete")  # 删除草稿: never submitted, so nobody else has seen it
    if status == "submitted":
        actions.append("withdraw")
    if status in FINISHED and not app.get("evaluation"):
        actions.append("evaluate")
    return actions


def may_change(app: Mapping[str, Any], kind: str, item_id: str) -> bool:
    """Whether the applicant may change this material or form field now: in a draft, anything; in 待补正,
    only what staff marked (一次性告知), or anything for a correction asked before items were marked."""
    if app["status"] not in EDITABLE:
        return False
    marked = [item for item in app.get("corrections", []) if isinstance(item, Mapping)]
    if app["status"] == "draft" or not marked:
        return True
    return any(item["kind"] == kind and item["id"] == item_id for item in marked)

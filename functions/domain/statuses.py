"""The application lifecycle (SPEC section 5): one state machine, the only place transitions are decided."""

from __future__ import annotations

from dataclasses import dataclass

STATUS_LABELS: dict[str, str] = {
    "draft": "草稿",
    "submitted": "已提交",
    "accepted": "已受理",
    "correction_required": "待补正",
    "rejected": "不予受理",
    "approved": "办结(准予许可)",
    "denied": "办结(不予许可)",
    "withdrawn": "已撤回",
}
FINISHED = frozenset({"approved", "denied"})

ACTION_LABELS: dict[str, str] = {
    "submit": "提交申请", "withdraw": "撤回", "accept": "受理", "reject": "不予受理",
    "request_correction": "要求补正", "approve": "准予许可", "deny": "不予许可",
}
STAFF_ACTIONS = frozenset({"accept", "reject", "request_correction", "approve", "deny"})
APPLICANT_ACTIONS = frozenset({"submit", "withdraw"})


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
    """The action is not allowed from the current status; the message says why, in Chinese."""


def next_status(status: str, action: str) -> str:
    """The status an action leads to from `status`, or TransitionRefused."""
    for transition in TRANSITIONS:
        if transition.action == action and transition.source == status:
            return transition.target
    allowed = [ACTION_LABELS[t.action] for t in TRANSITIONS if t.source == status]
    hint = f"当前可进行的操作：{'、'.join(dict.fromkeys(allowed))}" if allowed else "该办件已不能再进行操作"
    raise TransitionRefused(f"办件当前状态为“{STATUS_LABELS[status]}”，不能{ACTION_LABELS[action]}。{hint}")


def staff_can_see(status: str) -> bool:
    """Drafts belong to the applicant alone until they are submitted."""
    return status != "draft"

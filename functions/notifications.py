"""What the portal tells people: SMS (outbox locally, SNS on aws) for codes, status changes and security notices,
and the words of the 消息中心 messages that go with them (stored by repositories.messages)."""

from __future__ import annotations

import logging
from typing import Any

from .domain.china_time import wall_clock
from .domain.lifecycle import STATUS_LABELS
from .repositories.messages import Messages
from .storage.interface import SmsSender, Transaction

log = logging.getLogger(__name__)

# What an SMS code is for, as its text names it.
CODE_PURPOSES = {"register": "注册", "reset_password": "找回密码", "change_phone": "更换手机号码"}


def send_code(sms: SmsSender, phone: str, purpose: str, code: str, note: str = "") -> None:
    """Text a verification code (with `note` before it, if given). A failure is the request's: no code, no use."""
    sms.send(
        phone, f"【辽宁政务服务网】{note}您的{CODE_PURPOSES[purpose]}验证码为 {code}，5 分钟内有效。请勿泄露给他人。"
    )


def status_changed(sms: SmsSender, applicant: dict[str, Any], app: dict[str, Any]) -> None:
    """Tell the applicant the new status; a failed text must not undo the change that was made."""
    _text_quietly(
        sms,
        applicant,
        f"【辽宁政务服务网】您申报的“{app['subitem_name']}”（办件编号 {app['number']}）"
        f"状态已更新为：{STATUS_LABELS[app['status']]}。请登录“我的申请”查看详情。",
    )


def status_message_writes(
    messages: Messages, app: dict[str, Any], changes: dict[str, Any], into: Transaction | None = None
) -> Transaction:
    """The applicant's 消息中心 message of a status change, as writes for the change's own transaction (added to
    `into` if given): the change and its message are stored together or not at all."""
    return messages.posting(app["owner"], *status_message({**app, **changes}), application_id=app["id"], into=into)


def status_message(app: dict[str, Any]) -> tuple[str, str, str]:
    """(kind, title, text) of the 消息中心 message for the status the application has now."""
    status, label = app["status"], STATUS_LABELS[app["status"]]
    what = f"您申报的“{app['subitem_name']}”（办件编号 {app['number']}）"
    comment = _last_comment(app)
    if status == "correction_required":
        reason = f"补正要求：{comment}。" if comment else ""
        return "correction", "办件需要补正", f"{what}需要补正。{reason}请在办件详情中按要求补正后重新提交。"
    if status == "submitted":
        return "status", "申报已提交", f"{what}已提交，等待部门受理。可在我的申请或办件进度查询中查看办理进度。"
    reason = f"审批意见：{comment}。" if comment else ""
    documents = app.get("documents") or []
    if documents and documents[-1]["kind"] == status:  # this decision issued a 结果文书
        document = documents[-1]
        return (
            "document",
            f"结果文书已出具：{document['title']}",
            f"{what}状态已更新为：{label}。{reason}《{document['title']}》（{document['document_number']}）已出具，"
            f"可在办件详情中下载；他人可凭验证码 {document['verification_code']} 在文书核验页面核验真伪。",
        )
    return "status", f"办件状态更新：{label}", f"{what}状态已更新为：{label}。{reason}"


def evaluation_reply_message(app: dict[str, Any]) -> tuple[str, str]:
    """(title, text) of the 消息中心 message telling the applicant the department answered their 差评."""
    reply = app["evaluation"]["reply"]
    return (
        "差评整改答复",
        f"您对“{app['subitem_name']}”（办件编号 {app['number']}）的评价，{reply['by']}已答复：{reply['text']}",
    )


def evaluation_replied(sms: SmsSender, applicant: dict[str, Any], app: dict[str, Any]) -> None:
    """Text the applicant that their 差评 was answered; the reply stands whether or not the text goes out."""
    _text_quietly(
        sms,
        applicant,
        f"【辽宁政务服务网】您对“{app['subitem_name']}”（办件编号 {app['number']}）的评价已收到部门整改答复，"
        "请登录“我的申请”或消息中心查看。",
    )


def _appointment_when(appointment: dict[str, Any]) -> str:
    """2027年1月18日 09:00—09:30."""
    return f"{wall_clock(appointment['start'])}—{wall_clock(appointment['end'])[-5:]}"


def appointment_message(appointment: dict[str, Any]) -> tuple[str, str, str]:
    """(kind, title, text) of the 消息中心 message of a new appointment, stored with it."""
    return (
        "appointment",
        "预约办理成功",
        f"您已预约于 {_appointment_when(appointment)} 到{appointment['location']}办理“{appointment['subitem_name']}”"
        f"（{appointment['department_name']}）。请携带申请材料原件按时前往；如需取消，请最迟在预约日前一天在“我的预约”中取消。",
    )


def appointment_cancelled_message(appointment: dict[str, Any]) -> tuple[str, str, str]:
    return (
        "appointment",
        "预约已取消",
        f"您于 {_appointment_when(appointment)} 办理“{appointment['subitem_name']}”的预约已取消。",
    )


def appointment_booked(sms: SmsSender, account: dict[str, Any], appointment: dict[str, Any]) -> None:
    """Text the booking; it stands, and 我的预约 and the 消息中心 show it, whether or not the text goes out."""
    _text_quietly(
        sms,
        account,
        f"【辽宁政务服务网】您已预约 {_appointment_when(appointment)} 到{appointment['location']}"
        f"办理“{appointment['subitem_name']}”，请携带申请材料按时前往。",
    )


def appointment_cancelled(sms: SmsSender, account: dict[str, Any], appointment: dict[str, Any]) -> None:
    _text_quietly(
        sms,
        account,
        f"【辽宁政务服务网】您 {_appointment_when(appointment)} 办理“{appointment['subitem_name']}”的预约已取消。",
    )


def _last_comment(app: dict[str, Any]) -> str:
    history = app.get("history") or []
    return str(history[-1].get("comment") or "").rstrip("。") if history else ""


def security_notice(sms: SmsSender, messages: Messages, account: dict[str, Any], what: str, at: float) -> None:
    """Tell the account's phone (before a change of phone: the old one) and its 消息中心 that its security settings
    changed, so a change the owner did not make is noticed."""
    advice = "如非本人操作，请立即通过“找回密码”重设密码，或联系 12345 政务服务便民热线。"
    _post_quietly(messages, account, "security", "账号安全提醒", f"您的账号于 {wall_clock(at)} {what}。{advice}")
    _text_quietly(sms, account, f"【辽宁政务服务网】您的账号{what}。{advice}")


def new_device_login(sms: SmsSender, messages: Messages, account: dict[str, Any], at: float, device: str) -> None:
    """A login from a browser the account has not used before: its owner hears of it at once."""
    advice = "如非本人操作，请立即修改密码，或通过“找回密码”重设密码。"
    when = wall_clock(at)
    _post_quietly(
        messages, account, "security", "新设备登录提醒", f"您的账号于 {when} 在新的设备上登录（{device}）。{advice}"
    )
    _text_quietly(sms, account, f"【辽宁政务服务网】您的账号于 {when} 在新的设备上登录。{advice}")


def handler_invited(messages: Messages, person: dict[str, Any], organization_name: str) -> None:
    """The invited person hears of the invitation in 消息中心, where they also see who asked."""
    _post_quietly(
        messages,
        person,
        "security",
        "单位经办人邀请",
        f"“{organization_name}”邀请您成为其经办人，以该单位名义申报和查询办件。如同意，请在个人中心“我的单位”中接受；"
        "如不认识该单位，请拒绝。",
    )


def handler_revoked(messages: Messages, person: dict[str, Any], organization_name: str) -> None:
    _post_quietly(
        messages,
        person,
        "security",
        "单位经办人授权已撤销",
        f"“{organization_name}”已撤销您的经办人授权，您不能再以该单位名义办理事项。",
    )


def _text_quietly(sms: SmsSender, account: dict[str, Any], text: str) -> None:
    """A text telling of something already done (a change, a login, a reply): SNS can fail transiently, and then
    the deed stands, the history and the 消息中心 still tell, and only the text is lost (logged)."""
    phone = account.get("phone")
    if not phone:
        return
    try:
        sms.send(phone, text)
    except Exception:
        log.exception("could not text account %s", account.get("id"))


def _post_quietly(messages: Messages, account: dict[str, Any], kind: str, title: str, text: str) -> None:
    """A notice after the change it tells of: the change has happened, so a failed write only loses the notice."""
    try:
        messages.post(account["id"], kind, title, text)
    except Exception:
        log.exception("could not post a %s message to account %s", kind, account["id"])

"""The texts the portal sends (outbox locally, SNS on aws): SMS codes, status changes, security notices."""

from __future__ import annotations

import logging
from typing import Any

from .domain.lifecycle import STATUS_LABELS
from .storage.interface import SmsSender

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
    phone = applicant.get("phone")
    if not phone:
        return
    text = (
        f"【辽宁政务服务网】您申报的“{app['subitem_name']}”（办件编号 {app['number']}）"
        f"状态已更新为：{STATUS_LABELS[app['status']]}。请登录“我的申请”查看详情。"
    )
    try:
        sms.send(phone, text)
    except Exception:  # SNS can fail transiently; the change stands and the history shows it
        log.exception("could not text the applicant about application %s", app["id"])


def security_notice(sms: SmsSender, account: dict[str, Any], what: str) -> None:
    """Tell the account's phone (before a change of phone: the old one) that its security settings changed,
    so a change the owner did not make is noticed."""
    phone = account.get("phone")
    if not phone:
        return
    text = (
        f"【辽宁政务服务网】您的账号{what}。如非本人操作，请立即通过“找回密码”重设密码，或联系 12345 政务服务便民热线。"
    )
    try:
        sms.send(phone, text)
    except Exception:  # the change stands; the text is a courtesy that may be retried by the person
        log.exception("could not send a security notice to account %s", account["id"])

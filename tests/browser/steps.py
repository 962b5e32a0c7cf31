"""Steps the browser tests share: the test-mode captcha, SMS codes from the outbox, 登录, waiting for a result."""

from __future__ import annotations

import json
import re
import urllib.request

from playwright.sync_api import Page, expect

CAPTCHA = "0000"  # every captcha answer in test mode


def latest_sms_code(base_url: str, phone: str) -> str:
    """The 6-digit code of the newest SMS sent to phone, read from the local backend's outbox."""
    return re.search(r"\d{6}", latest_sms(base_url, phone)).group()


def latest_sms(base_url: str, phone: str) -> str:
    """The text of the newest SMS sent to phone."""
    with urllib.request.urlopen(f"{base_url}/api/dev/outbox") as response:
        messages = [m for m in json.load(response) if m["phone"] == phone]
    assert messages, f"no SMS was sent to {phone}"
    return messages[-1]["text"]


def resident_id(first17: str) -> str:
    """A 居民身份证 number with its GB 11643 check character."""
    from functions.domain.validators import iso7064_mod11_2

    return first17 + iso7064_mod11_2(first17)


def request_sms_code(page: Page, base_url: str, phone: str) -> None:
    """Image captcha, 获取验证码, then the code from the outbox into 短信验证码."""
    expect(page.locator(".captcha-image")).to_be_visible()
    page.get_by_label("图片验证码").fill(CAPTCHA)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator(".sms-status")).to_contain_text("短信验证码已发送")
    expect(page.locator("[data-sms-send]")).to_contain_text("秒后可重新获取")
    page.get_by_label("短信验证码").fill(latest_sms_code(base_url, phone))


def log_in(page: Page, login_name: str, password: str) -> None:
    expect(page.locator(".captcha-image")).to_be_visible()
    page.get_by_label("登录名").fill(login_name)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_label("验证码", exact=True).fill(CAPTCHA)
    page.get_by_role("button", name="登录", exact=True).click()


def expect_done(page: Page, heading: str) -> None:
    """The form's success panel appears; if the error summary appears instead, its text is the failure."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('.result-panel, .error-summary')]
                                     .some((el) => !el.hidden)""",
        timeout=15_000,
    )
    summary = page.locator(".error-summary")
    assert summary.is_hidden(), summary.inner_text()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()


def account_box(page: Page):
    return page.locator("#account-box")

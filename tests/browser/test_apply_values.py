"""网上申报 keeps what the applicant typed (issue 14): a value failing its field's rule is saved as typed and comes
back after a reload beside its problem, and a date field's input carries the days it accepts (min/max)."""

from __future__ import annotations

import datetime

from playwright.sync_api import Page, expect

from functions.domain.china_time import china_day

from .steps import resident_id
from .test_apply import register_by_api, sign_in

BIRTH_REGISTRATION = "210300-QR-0201-01"  # 出生登记: 出生日期 not_after today
LOGIN_NAME, PASSWORD, PHONE = "zhang_values", "Values2026ok", "13900139077"


def test_a_wrong_value_is_kept_with_its_problem_and_dates_have_limits(page: Page, portal, portal_url: str) -> None:
    register_by_api(portal_url, LOGIN_NAME, PASSWORD, "张填写", resident_id("21030219900101003"), PHONE)
    apply = f"/apply/?region=210300&item={BIRTH_REGISTRATION}"
    sign_in(page, portal_url, LOGIN_NAME, PASSWORD, apply)

    birth = page.get_by_label("出生日期")
    today = china_day(portal.services.clock()).isoformat()
    expect(birth).to_have_attribute("max", today)
    expect(birth).to_have_attribute("min", "1900-01-01")
    expect(page.locator("#f-birth_date-hint")).to_contain_text("不晚于今天")

    tomorrow = (datetime.date.fromisoformat(today) + datetime.timedelta(days=1)).isoformat()
    birth.fill(tomorrow)
    page.get_by_label("新生儿姓名").fill("张小宝")
    page.get_by_label("新生儿姓名").press("Tab")
    expect(page.locator("#apply-autosave")).to_contain_text("已按您填写的内容保存")
    expect(page.locator("#f-birth_date-error")).to_contain_text("出生日期不能晚于今天")

    page.reload()
    expect(page.get_by_label("出生日期")).to_have_value(tomorrow)
    expect(page.get_by_label("新生儿姓名")).to_have_value("张小宝")
    expect(page.locator("#f-birth_date-error")).to_contain_text("出生日期不能晚于今天")
    expect(page.get_by_label("出生日期")).to_have_attribute("aria-invalid", "true")

    # 下一步 does not go on to submit while the kept value is wrong.
    page.get_by_role("button", name="下一步").click()
    expect(page.locator(".error-summary")).to_contain_text("出生日期不能晚于今天")

    # Corrected, it is saved and its problem goes.
    page.get_by_label("出生日期").fill(today)
    page.get_by_label("出生日期").press("Tab")
    expect(page.locator("#f-birth_date-error")).to_be_hidden()
    expect(page.locator("#apply-autosave")).not_to_contain_text("填写有误")
    page.reload()
    expect(page.get_by_label("出生日期")).to_have_value(today)
    expect(page.locator("#f-birth_date-error")).to_be_hidden()

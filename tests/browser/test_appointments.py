"""预约办理 in Chromium against the real API: 服务指南 → 预约办理 → pick a day and a half hour → 确认预约 → 预约成功 →
我的预约 shows it → 取消预约; and the department's staff see it in 审批工作台's 今日预约 for that day.

The portal runs on the real clock, so the day is the first open one the page offers (tomorrow or later).
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from functions.cli import create_staff

from .steps import latest_sms, resident_id
from .test_apply import register_by_api, sign_in

GUIDE = "/anshan/guide/210300-GG-0207-01/"  # 购买自住住房提取住房公积金: online, or booked at the centre's window
NAME = "购买自住住房提取住房公积金"
LOGIN_NAME, PASSWORD, PHONE = "yuyue_user01", "Liaoning2026ok", "13700137001"


def test_book_see_and_cancel_an_appointment(page: Page, portal) -> None:
    base = portal.url
    register_by_api(base, LOGIN_NAME, PASSWORD, "周预约", resident_id("21030219900307123"), PHONE)
    sign_in(page, base, LOGIN_NAME, PASSWORD, GUIDE)

    page.locator("#appointment-top").click()
    expect(page).to_have_url(re.compile(r"/my/appointments/new/\?region=210300&item=210300-GG-0207-01"))
    expect(page.locator("#book-subitem")).to_have_text(NAME)
    expect(page.locator("#book-location")).to_contain_text("鞍山市政务服务中心")
    days = page.locator("#book-days input[name=day]")
    expect(days).to_have_count(14)
    page.locator("#book-days label", has=page.locator("input[name=day]:enabled")).first.click()
    slot = page.locator("#book-slots label", has=page.locator("input[name=start]:enabled")).first
    expect(slot).to_contain_text("余 5 个")
    chosen = slot.inner_text().split()[0]  # 08:30—09:00
    slot.click()
    page.get_by_role("button", name="确认预约").click()

    expect(page.get_by_role("heading", name="预约成功")).to_be_visible()
    expect(page.locator("#book-done-text")).to_contain_text(chosen)
    assert NAME in latest_sms(base, PHONE)

    page.get_by_role("link", name="查看我的预约").click()
    row = page.locator("#appointments-rows tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(NAME)
    expect(row).to_contain_text(chosen)
    expect(row).to_contain_text("已预约")
    day = row.locator("td").first.inner_text()[:10]

    # The department's staff see who comes on that day.
    create_staff(portal.services, "gjj_yuyue01", "Shenpi2026ok", "210300", "gjj", "李窗口")
    staff = page.context.browser.new_context(locale="zh-CN")
    staff_page = staff.new_page()
    sign_in(staff_page, base, "gjj_yuyue01", "Shenpi2026ok", "/review/")
    expect(staff_page.locator("#review-appointments-status")).to_contain_text("暂无预约")  # today's list first
    staff_page.locator("#review-appointments-date").fill(day)
    staff_page.locator("#review-appointments-form").get_by_role("button", name="查看").click()
    expect(staff_page.locator("#review-appointments-rows tr")).to_contain_text("周预约")
    expect(staff_page.locator("#review-appointments-rows tr")).to_contain_text("137****7001")
    staff.close()

    row.get_by_role("button", name=re.compile("^取消预约")).click()
    row.get_by_role("button", name="确定取消").click()
    expect(page.locator("#appointments-status")).to_contain_text("已取消")
    expect(page.locator("#appointments-rows tr")).to_contain_text("已取消")
    expect(page.locator("#appointments-rows tr").get_by_role("button")).to_have_count(0)

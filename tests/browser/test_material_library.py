"""我的材料 in Chromium against the real API: a file uploaded for one application is offered under 从我的材料选择 on
another's matching material and attached without a new upload; 我的材料 lists it with the applications using it,
and 删除 takes it out of the library while the drafts keep their own copies."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .steps import resident_id
from .test_apply import pdf_file, register_by_api, sign_in, slot_of, upload

FIRST = "/apply/?region=210300&item=210300-XK-0105-01"  # 护士执业首次注册
RENEWAL = "/apply/?region=210300&item=210300-XK-0105-03"  # 护士执业延续注册
HEALTH = "6 个月内健康体检证明"  # valid_days 180 in both
LOGIN_NAME, PASSWORD, PHONE = "cailiao_user01", "Liaoning2026ok", "13700137002"


def test_reuse_a_kept_file_and_delete_it_from_my_materials(page: Page, portal) -> None:
    base = portal.url
    register_by_api(base, LOGIN_NAME, PASSWORD, "材料复用测试", resident_id("21030219920511002"), PHONE)
    sign_in(page, base, LOGIN_NAME, PASSWORD, FIRST)
    upload(page, HEALTH, pdf_file("体检报告.pdf"))

    page.goto(base + RENEWAL)
    slot = slot_of(page, HEALTH)
    slot.get_by_role("button", name=re.compile("^从我的材料选择")).click()
    picker = slot.get_by_role("group", name=f"从我的材料选择：{HEALTH}")
    offer = picker.get_by_role("checkbox", name=re.compile("体检报告.pdf"))
    expect(offer).to_be_focused()
    expect(picker).to_contain_text(HEALTH)  # what it was kept as
    offer.check()
    slot.get_by_role("button", name=re.compile("^使用所选文件")).click()
    expect(slot.locator(".file-list")).to_contain_text("体检报告.pdf")
    expect(slot.locator(".field-status")).to_contain_text("已从我的材料添加 1 个文件")
    # Attached already: not offered again for this material.
    slot.get_by_role("button", name=re.compile("^从我的材料选择")).click()
    expect(slot.locator(".library-panel")).to_contain_text("没有适用于此项材料的文件")
    # A material of other formats is offered nothing that does not fit (《护士执业证书》 takes PDF or JPG: it fits).
    certificate = slot_of(page, "《护士执业证书》")
    certificate.get_by_role("button", name=re.compile("^从我的材料选择")).click()
    expect(certificate.get_by_role("checkbox", name=re.compile("体检报告.pdf"))).to_be_visible()

    page.goto(base + "/account/")
    page.get_by_role("navigation", name="个人中心").get_by_role("link", name="我的材料").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的材料")
    row = page.locator("#materials-rows tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("体检报告.pdf")
    expect(row).to_contain_text(HEALTH)
    expect(row).to_contain_text("前有效")
    expect(row.locator(".kept-uses li")).to_have_count(2)  # both drafts
    expect(row).to_contain_text("护士执业延续注册")

    row.get_by_role("button", name=re.compile("^删除.*体检报告.pdf")).click()
    page.get_by_role("button", name=re.compile("^确定删除.*体检报告.pdf")).click()
    expect(page.locator("#materials-status")).to_contain_text("已删除 体检报告.pdf")
    expect(page.locator("#materials-empty")).to_be_visible()

    page.goto(base + RENEWAL)  # the draft keeps its own copy
    expect(slot_of(page, HEALTH).locator(".file-list")).to_contain_text("体检报告.pdf")

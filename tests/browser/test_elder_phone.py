"""长辈版 on a phone meets MIIT 适老化 on every page type (issue 14.3): at 390 px and 320 px wide, no horizontal
scroll, no visible text under 18 px, and text against its background at a contrast of at least 7:1. The
standard view at 320 px is held to the first of these.

Pages are measured in the page's own JS (MEASURE): font sizes and colours as Chromium computed them, the
background of a text found by walking up to the first opaque one (gradients count by their darkest-to-text stop).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from functions.cli import create_staff

from .steps import expect_done, resident_id
from .test_apply import CHANGE_REGISTRATION, DEPARTMENT, REGION, jpeg_file, pdf_file, register_by_api, sign_in, upload

ELDER_KEY = "portal-elder-mode"  # templates/static/js/elder-mode.js remembers 长辈版 under this key
MIN_FONT_PX = 18
MIN_CONTRAST = 7.0
WIDTHS = (390, 320)

PUBLIC_PAGES = {
    "首页": "/anshan/",
    "栏目": "/anshan/personal/",
    "部门": "/anshan/legal/xzspj-shsw/",
    "办事指南": "/anshan/guide/210300-XK-0105-01/",
    "联系电话": "/anshan/contact/",
    "搜索（未输入）": "/anshan/search/",
    "通知公告": "/anshan/notices/",
    "公告": "/anshan/notices/2026-12-system-maintenance/",
    "网站地图": "/sitemap/",
    "隐私政策": "/privacy/",
    "登录": "/login/",
    "注册": "/register/",
    "找回密码": "/password-reset/",
    "办件进度查询": "/progress/",
    "文书核验": "/verify/",
}

# Returns {elder, scrollWidth, small: [...], low: [...]}; each finding names its element and text.
MEASURE = r"""
() => {
  const parse = (value) => {
    const m = value.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
    a: 1,
  });
  const luminance = (c) => {
    const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  };
  const contrast = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  // The backdrops a text may sit on: walking up, the first opaque colour, with any translucent ones
  // composited over it; a gradient stands for each of its colour stops.
  const backdrops = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      const image = style.backgroundImage;
      if (image && image.includes("gradient")) {
        const stops = (image.match(/rgba?\([^)]+\)/g) || []).map(parse).filter((c) => c.a > 0.5);
        if (stops.length) return stops.map((stop) => layers.reduceRight((acc, c) => over(c, acc), { ...stop, a: 1 }));
      }
      const colour = parse(style.backgroundColor);
      if (colour && colour.a > 0) {
        if (colour.a >= 1) return [layers.reduceRight((acc, c) => over(c, acc), colour)];
        layers.push(colour);
      }
    }
    return [layers.reduceRight((acc, c) => over(c, acc), { r: 255, g: 255, b: 255, a: 1 })];
  };
  const visuallyHidden = (el) => {
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      const box = node.getBoundingClientRect();
      const clipped = style.clipPath.startsWith("inset(50%") || style.clip.startsWith("rect(0");
      if ((clipped || style.position === "absolute") && box.width <= 1 && box.height <= 1) return true;
    }
    return false;
  };
  const shown = (el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) && !visuallyHidden(el);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.classList.length ? "." + [...el.classList].join(".") : "");
  const small = [];
  const low = [];
  const seen = new Set();
  const check = (el, text) => {
    if (seen.has(el)) return;
    seen.add(el);
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize);
    const label = `${name(el)} 「${text.slice(0, 24)}」`;
    if (size < __MIN_FONT__ - 0.01) small.push(`${label} ${size.toFixed(1)}px`);
    const colour = parse(style.color);
    const worst = Math.min(...backdrops(el).map((bg) => contrast(over(colour, bg), bg)));
    if (worst < __MIN_CONTRAST__) low.push(`${label} ${worst.toFixed(2)}:1`);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "OPTION"].includes(el.tagName)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    if (![...range.getClientRects()].some((r) => r.width > 0 && r.height > 0)) continue;
    if (shown(el)) check(el, text);
  }
  // Generated text: a table card's cell labels (content: attr(data-label)), ✓ and ↓ marks.
  for (const el of document.body.querySelectorAll("*")) {
    for (const pseudo of ["::before", "::after"]) {
      const style = getComputedStyle(el, pseudo);
      const content = style.content;
      if (["none", "normal", '""', "''"].includes(content) || style.display === "none") continue;
      if (!shown(el) || el.getBoundingClientRect().width === 0) continue;
      const size = parseFloat(style.fontSize);
      const label = `${name(el)}${pseudo} 「${content.slice(0, 24)}」`;
      if (size < __MIN_FONT__ - 0.01) small.push(`${label} ${size.toFixed(1)}px`);
      const colour = parse(style.color);
      const own = parse(style.backgroundColor); // a badge (numbered steps) carries its own background
      const grounds = own && own.a >= 1 ? [own] : backdrops(el);
      const worst = Math.min(...grounds.map((bg) => contrast(over(colour, bg), bg)));
      if (worst < __MIN_CONTRAST__) low.push(`${label} ${worst.toFixed(2)}:1`);
    }
  }
  for (const el of document.querySelectorAll("input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]), select, textarea")) {
    if (!shown(el)) continue;
    check(el, el.value || el.placeholder || el.name);
    if (el.placeholder && !el.value) {
      // The hint in an empty field is text a reader must make out too.
      const hint = getComputedStyle(el, "::placeholder");
      const colour = parse(hint.color);
      colour.a *= parseFloat(hint.opacity);
      const worst = Math.min(...backdrops(el).map((bg) => contrast(over(colour, bg), bg)));
      if (worst < __MIN_CONTRAST__) low.push(`${name(el)}::placeholder 「${el.placeholder.slice(0, 24)}」 ${worst.toFixed(2)}:1`);
    }
  }
  return {
    elder: document.documentElement.classList.contains("elder-mode"),
    scrollWidth: document.documentElement.scrollWidth,
    small,
    low,
  };
}
""".replace("__MIN_FONT__", str(MIN_FONT_PX)).replace("__MIN_CONTRAST__", str(MIN_CONTRAST))


def elder_phone(browser: Browser, width: int, elder: bool = True):
    """A phone-sized context where 长辈版 is already on, as elder-mode.js leaves it after a click on 长辈版."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True
    )
    if elder:
        context.add_init_script(f"window.localStorage.setItem({ELDER_KEY!r}, 'on')")
    return context


def measure(page: Page) -> dict:
    page.wait_for_load_state("networkidle")
    return page.evaluate(MEASURE)


def problems(label: str, width: int, result: dict) -> list[str]:
    """What breaks 适老化 on this page; in the standard view (no 长辈版) only a horizontal scroll counts."""
    found = []
    # Against the phone's width, not innerWidth: a mobile viewport widens itself to a too-wide page.
    if result["scrollWidth"] > width:
        found.append(f"{label}: page {result['scrollWidth']} px wide on a {width} px screen")
    if not result["elder"]:
        return found
    found += [f"{label}: text under {MIN_FONT_PX} px: {item}" for item in result["small"]]
    found += [f"{label}: contrast under {MIN_CONTRAST}:1: {item}" for item in result["low"]]
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_public_pages_in_elder_mode_fit_a_phone(browser: Browser, portal_url: str, width: int) -> None:
    context = elder_phone(browser, width)
    page = context.new_page()
    found: list[str] = []
    try:
        for label, path in PUBLIC_PAGES.items():
            page.goto(portal_url + path)
            expect(page.locator("html")).to_have_class(re.compile(r"\belder-mode\b"))
            found += problems(f"{label} {path} @{width}", width, measure(page))
        page.goto(portal_url + "/anshan/search/?q=社会团体")
        expect(page.locator(".search-result").first).to_be_visible(timeout=15_000)
        found += problems(f"搜索 @{width}", width, measure(page))
    finally:
        context.close()
    assert not found, "\n".join(found)


def test_normal_mode_at_320_px_has_no_horizontal_scroll(browser: Browser, portal_url: str) -> None:
    context = browser.new_context(locale="zh-CN", viewport={"width": 320, "height": 800}, is_mobile=True)
    page = context.new_page()
    wide = {}
    try:
        for path in [*PUBLIC_PAGES.values(), "/anshan/search/?q=社会团体"]:
            page.goto(portal_url + path)
            page.wait_for_load_state("networkidle")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                wide[path] = width
    finally:
        context.close()
    assert not wide, wide


@pytest.fixture(scope="module")
def elder_staff(portal) -> tuple[str, str]:
    login_name, password = "elder_reviewer", "Shenpi2024ok"
    create_staff(portal.services, login_name, password, REGION, DEPARTMENT, "王审批员")
    return login_name, password


@pytest.mark.parametrize(("width", "elder"), [(390, True), (320, True), (320, False)], ids=["390", "320", "320-标准版"])
def test_signed_in_pages_fit_a_phone(
    browser: Browser, portal_url: str, elder_staff, width: int, elder: bool, tmp_path
) -> None:
    context = elder_phone(browser, width, elder)
    page = context.new_page()
    found: list[str] = []
    login_name, password, phone = f"elder_{width}_{elder:d}", "Zhangbei2025ok", f"13900{width:03d}{elder:d}00"
    try:
        # A 自然人 with a long-ish name, so the header's name must stay readable.
        register_by_api(
            portal_url, login_name, password, "欧阳长辈", resident_id(f"2103031990010{1 + elder}{width:03d}"), phone
        )
        sign_in(page, portal_url, login_name, password, f"/apply/?region={REGION}&item={CHANGE_REGISTRATION}")
        expect(page.get_by_role("heading", level=1)).to_have_text("护士执业变更注册")
        found += problems(f"网上申报 @{width}", width, measure(page))
        page.get_by_label("护士执业证书编码").fill("202121000123")
        page.get_by_label("原执业机构名称").fill("鞍山市铁东区人民医院")
        page.get_by_label("拟执业机构名称").fill("鞍山市中心医院")
        upload(page, "护士执业注册申请审核表", pdf_file("审核表.pdf"))
        upload(page, "拟执业机构出具的拟聘用证明", pdf_file("聘用证明.pdf"))
        upload(page, "《护士执业证书》", jpeg_file("执业证书.jpg"))
        found += problems(f"网上申报（已上传） @{width}", width, measure(page))
        page.get_by_role("button", name="下一步").click()
        page.get_by_role("dialog").get_by_role("button", name="是").click()
        expect_done(page, "申报成功")
        number = page.locator("[data-done-number]")
        number_text = number.inner_text().strip()
        found += problems(f"申报成功 @{width}", width, measure(page))
        page.screenshot(path=str(tmp_path / f"elder-done-{width}.png"))
        # The one number the applicant must write down: whole on screen and in its card, never cut.
        box, card = number.bounding_box(), page.locator("#apply-done").bounding_box()
        if box["x"] < card["x"] or box["x"] + box["width"] > min(card["x"] + card["width"], width):
            found.append(f"申报成功 @{width}: 办件编号 {number_text} outside its card: {box} in {card}")
        if number.evaluate("(el) => el.scrollWidth > el.clientWidth"):
            found.append(f"申报成功 @{width}: 办件编号 {number_text} cut")
        lines = number.evaluate(
            """(el) => { const range = document.createRange(); range.selectNodeContents(el);
                         return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size; }"""
        )
        if lines != 1:
            found.append(f"申报成功 @{width}: 办件编号 {number_text} on {lines} lines, to be copied by hand from one")
        # The signed-in name in the header is whole, not "审批…".
        name = page.locator("#account-box .account-name-text")
        if name.evaluate("(el) => el.scrollWidth > el.clientWidth"):
            found.append(f"申报成功 @{width}: the header cuts the name {name.inner_text()!r}")

        for label, link in [
            ("我的申请", "/my/applications/"),
            ("个人中心", "/account/"),
            ("消息中心", "/my/messages/"),
            ("我的材料", "/my/materials/"),
            ("我的预约", "/my/appointments/"),
        ]:
            page.goto(portal_url + link)
            found += problems(f"{label} @{width}", width, measure(page))
        page.goto(portal_url + "/my/applications/")
        page.locator("#my-rows tr", has_text=number_text).get_by_role("link", name=re.compile("^查看详情")).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        found += problems(f"办件详情 @{width}", width, measure(page))

        context.clear_cookies()
        sign_in(page, portal_url, *elder_staff, "/review/")
        expect(page.locator("#review-rows tr").first).to_be_visible()
        name = page.locator("#account-box .account-name-text")
        if name.evaluate("(el) => el.scrollWidth > el.clientWidth"):
            found.append(f"审批工作台 @{width}: the header cuts the name {name.inner_text()!r}")
        found += problems(f"审批工作台 @{width}", width, measure(page))
        page.screenshot(path=str(tmp_path / f"elder-review-{width}.png"))
    finally:
        context.close()
    assert not found, "\n".join(found)

"""结果文书: the catalogue's templates as the API reads them, and the PDF render_pdf makes of a template and facts."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from functions.catalogue import CatalogueReader
from functions.catalogue_models import ResultTemplate
from functions.domain.china_time import china_day, chinese_date
from functions.result_documents import (
    DocumentFacts,
    DocumentFontMissing,
    fill,
    render_pdf,
    verify_page,
    wrap,
)
from functions.settings import Settings
from tests.api.conftest import write_catalogue

FONT = Settings().document_font
APPROVAL = ResultTemplate(
    kind="approved",
    title="准予行政许可决定书",
    body=(
        "你（单位）于{submitted_date}提出的{subitem_name}申请（办件编号：{application_number}），本机关已依法受理。\n\n"
        "经审查，你（单位）的申请符合法定条件、标准。依据{legal_basis}的规定，本机关决定准予行政许可。\n\n"
        "审查意见：{comment}"
    ),
    overridden=False,
)
FACTS = DocumentFacts(
    document_number="鞍市审批许准字〔2026〕第 0001 号",
    applicant="鞍山市铁东区清泉沐浴有限公司",
    subitem_name="公共场所卫生许可（新办）",
    department_name="鞍山市行政审批局社会事务科",
    region_name="鞍山市",
    decision_date=datetime.date(2026, 12, 2),
    verification_code="7KQ2-M9XD-4HPA",
    verify_url="https://portal.example.cn/verify/?code=7KQ2-M9XD-4HPA",
    comment="经现场审核，经营场所符合卫生要求。",
    application_number="210300202611200007",
    submitted_date=datetime.date(2026, 11, 20),
    legal_basis="《公共场所卫生管理条例》第四条、第八条",
)
needs_font = pytest.mark.skipif(
    not FONT.is_file() and os.environ.get("CI") != "true",
    reason=f"{FONT} not installed (apt-get install fonts-noto-cjk)",
)


def text_of(pdf: bytes) -> str:
    """The PDF's extracted text, every page's."""
    return "".join(page_text(page) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def page_text(page: pypdf.PageObject) -> str:
    """A page's text without whitespace: lines break anywhere, and pypdf spaces out CJK glyphs (and, on a
    justified line, whose characters are spaced by the Tc operator, puts a NUL between them; poppler's pdftotext
    reads the same lines as plain text)."""
    return "".join(page.extract_text().replace("\x00", "").split())


# --- the templates the catalogue holds ---------------------------------------------------------------------


@pytest.fixture
def reader(tmp_path: Path, catalogue_files: dict[str, str]) -> CatalogueReader:
    return CatalogueReader(write_catalogue(tmp_path / "site", catalogue_files))


def test_an_items_override_wins_for_its_kind(reader: CatalogueReader) -> None:
    template = reader.result_template("210300", "210300-XK-0001-01", "approved")
    assert template is not None
    assert (template.title, template.overridden) == ("准予养犬登记决定书", True)
    assert template.body.endswith("请于十日内领取犬牌。")


def test_other_kinds_and_other_items_get_the_default(reader: CatalogueReader) -> None:
    denied = reader.result_template("210300", "210300-XK-0001-02", "denied")
    assert denied is not None and (denied.title, denied.overridden) == ("不予行政许可决定书", False)
    approved = reader.result_template("210100", "210100-XK-0001-01", "approved")
    assert approved is not None and (approved.title, approved.overridden) == ("准予行政许可决定书", False)
    rejected = reader.result_template("210100", "210100-XK-0001-01", "rejected")
    assert rejected is not None and rejected.title == "不予受理通知书" and "{comment}" in rejected.body


def test_unknown_subitem_or_region_has_no_template(reader: CatalogueReader) -> None:
    assert reader.result_template("210300", "210300-XK-9999-01", "approved") is None
    assert reader.result_template("999999", "210300-XK-0001-01", "approved") is None


def test_defaults_are_read_once(reader: CatalogueReader, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[Path] = []
    original = CatalogueReader._read
    monkeypatch.setattr(CatalogueReader, "_read", staticmethod(lambda path: reads.append(path) or original(path)))
    for code in ("210300-XK-0001-02", "210300-XK-0001-02", "210300-XK-0001-01"):
        reader.result_template("210300", code, "denied")
    assert [path.name for path in reads].count("documents.json") == 1


def test_a_catalogue_without_templates_answers_none(tmp_path: Path, catalogue_files: dict[str, str]) -> None:
    files = dict(catalogue_files)
    index = json.loads(files["catalog.json"])
    del index["documents"]
    files["catalog.json"] = json.dumps(index)
    del files["catalog/documents.json"]
    reader = CatalogueReader(write_catalogue(tmp_path / "site", files))
    assert reader.result_template("210100", "210100-XK-0001-01", "approved") is None
    assert reader.result_template("210300", "210300-XK-0001-01", "approved") is not None  # the override still


def test_legal_basis_travels_with_the_subitem(reader: CatalogueReader) -> None:
    found = reader.subitem("210300", "210300-XK-0001-01")
    assert found is not None and found[1].legal_basis == ["《测试条例》第三条"]


# --- filling in ------------------------------------------------------------------------------------------


def test_placeholders_are_filled_in_one_pass() -> None:
    hostile = dataclasses.replace(FACTS, applicant="{document_number}", comment="{{7*7}} {applicant}")
    [first, _, comment] = fill(
        "{applicant}于{submitted_date}申请。\n\n依据{legal_basis}。\n\n审查意见：{comment}", hostile
    )
    assert first == "{document_number}于2026年11月20日申请。"
    assert comment == "审查意见：{{7*7}} {applicant}"


def test_a_labelled_empty_value_leaves_its_paragraph_out() -> None:
    paragraphs = fill(APPROVAL.body, dataclasses.replace(FACTS, comment="  "))
    assert len(paragraphs) == 2 and not any("审查意见" in paragraph for paragraph in paragraphs)


def test_dates_in_china_and_in_chinese() -> None:
    late_evening_utc = datetime.datetime(2026, 12, 1, 17, 30, tzinfo=datetime.UTC)
    assert china_day(late_evening_utc) == datetime.date(2026, 12, 2)
    assert china_day(late_evening_utc.timestamp()) == datetime.date(2026, 12, 2)
    assert chinese_date(datetime.date(2026, 12, 2)) == "2026年12月2日"
    with pytest.raises(ValueError):
        china_day(datetime.datetime(2026, 12, 2))


def test_lines_break_between_characters_but_not_before_closing_punctuation() -> None:
    def measure(text: str) -> float:
        return float(len(text))

    assert wrap("一二三四，五六", 4, measure) == ["一二三四，", "五六"]  # the comma hangs
    assert wrap("一二（三四", 3, measure) == ["一二", "（三四"]  # an opening bracket moves down
    assert wrap("编号210300，到", 6, measure) == ["编号", "210300，", "到"]  # a number stays whole
    assert wrap("编号210300202611200007", 6, measure) == ["编号2103", "002026", "112000", "07"]  # unless too long
    assert wrap("申请号 AB12 已收", 9, measure) == ["申请号 AB12 ", "已收"]


def test_verify_page_drops_the_query() -> None:
    assert verify_page("https://portal.example.cn/verify/?code=ABC#x") == "https://portal.example.cn/verify/"


# --- the PDF ---------------------------------------------------------------------------------------------


@needs_font
def test_pdf_text_names_the_facts() -> None:
    pdf = render_pdf(APPROVAL, FACTS)
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    for expected in (
        FACTS.applicant,
        APPROVAL.title,
        "鞍市审批许准字〔2026〕第0001号",  # whitespace aside
        FACTS.subitem_name,
        FACTS.verification_code,
        FACTS.department_name,
        "2026年12月2日",
        "于2026年11月20日提出的",
        "本文书是辽宁政务服务网生成的电子文书",
        "扫描二维码或访问https://portal.example.cn/verify/输入验证码核验",
    ):
        assert expected in text, expected


@needs_font
def test_pdf_metadata() -> None:
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(APPROVAL, FACTS)))
    meta = reader.metadata
    assert meta is not None
    assert (meta.title, meta.author, meta.creator) == (APPROVAL.title, FACTS.department_name, "辽宁政务服务网")
    assert meta.creation_date is not None and meta.creation_date.date() == FACTS.decision_date
    fonts = [font for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    assert all("+" in str(font.get_object()["/BaseFont"]) for font in fonts)  # an embedded subset


@needs_font
def test_same_facts_same_bytes() -> None:
    first, second = render_pdf(APPROVAL, FACTS), render_pdf(APPROVAL, FACTS)
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    assert render_pdf(APPROVAL, dataclasses.replace(FACTS, verification_code="8ZZZ-0000-0000")) != first


@needs_font
def test_hostile_values_are_printed_literally() -> None:
    facts = dataclasses.replace(FACTS, applicant="{document_number}", comment="{{7*7}}**粗体**<b>x</b>")
    text = text_of(render_pdf(APPROVAL, facts))
    assert "{document_number}：" in text
    assert "审查意见：{{7*7}}**粗体**<b>x</b>" in text
    assert "49" not in text


@needs_font
def test_a_long_body_runs_onto_more_pages_with_the_box_on_the_last() -> None:
    long = APPROVAL.model_copy(update={"body": "\n\n".join([APPROVAL.body.split("\n\n")[1]] * 20)})
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(long, FACTS)))
    assert len(reader.pages) >= 2
    assert FACTS.verification_code in page_text(reader.pages[-1])
    assert FACTS.verification_code not in page_text(reader.pages[0])


def test_a_missing_font_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(DocumentFontMissing, match="PORTAL_DOCUMENT_FONT"):
        render_pdf(APPROVAL, FACTS, font_path=tmp_path / "none.ttc", font_index=0)


@pytest.fixture(scope="session")
def pdftoppm() -> str:
    """poppler's pdftoppm (apt-get install poppler-utils): skipped without it on a developer's machine, never in CI."""
    found = shutil.which("pdftoppm")
    if found is None or not FONT.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(
                "CI must render the result documents, but pdftoppm or the CJK font is missing (.ci/run installs poppler-utils and fonts-noto-cjk)"
            )
        pytest.skip("pdftoppm or the CJK font not installed; the rendering test is skipped on this machine")
    return found


def dark_pixels(pdftoppm: str, pdf: bytes, folder: Path, name: str) -> int:
    """Pixels of the first page, rendered at 50 dpi in grey, darker than mid-grey."""
    source = folder / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-r", "50", "-png", "-gray", "-f", "1", "-l", "1", "-singlefile", str(source), str(folder / name)],
        check=True,
        timeout=60,
    )
    from PIL import Image

    with Image.open(folder / f"{name}.png") as image:
        return sum(count for value, count in enumerate(image.convert("L").histogram()) if value < 128)


def test_rendered_page_shows_the_chinese_text(pdftoppm: str, tmp_path: Path) -> None:
    whole = dark_pixels(pdftoppm, render_pdf(APPROVAL, FACTS), tmp_path, "whole")
    no_body = dark_pixels(pdftoppm, render_pdf(APPROVAL.model_copy(update={"body": "。"}), FACTS), tmp_path, "no-body")
    tofu = dark_pixels(
        pdftoppm, render_pdf(APPROVAL.model_copy(update={"body": "\ue000" * 120}), FACTS), tmp_path, "tofu"
    )
    assert no_body > 2000  # the heading, the QR code and the footer are there
    # The body's ~120 Chinese characters put ink on the page (~1,600 pixels at 50 dpi); characters the font lacks
    # would not, nor would the empty boxes of .notdef.
    assert whole - no_body > 800, (whole, no_body)
    assert whole - tofu > 800, (whole, tofu)

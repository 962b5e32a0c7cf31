"""结果文书 templates: content/documents/ holds the portal's defaults, an item.yaml may override them; the build checks
them with one line per problem and exports the defaults once and each override with its sub-items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import build
from sitegen.errors import ContentErrors
from sitegen.loading import load_catalog
from sitegen.models import PLACEHOLDERS
from tests.conftest import TEMPLATES

ITEM = Path("regions/alpha/items/pet-licence/item.yaml")
OVERRIDE = Path("regions/alpha/items/pet-licence/documents/approved.md")
DENIED = Path("documents/denied.md")


def errors_of(content: Path) -> list[str]:
    """Each error as its full line, `path:line: field: problem`."""
    with pytest.raises(ContentErrors) as caught:
        load_catalog(content)
    return [error.line for error in caught.value.errors]


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_number_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_defaults_and_overrides_are_loaded(content_copy: Path) -> None:
    catalog = load_catalog(content_copy)
    assert {kind: template.title for kind, template in catalog.documents.items()} == {
        "approved": "准予行政许可决定书",
        "denied": "不予行政许可决定书",
        "rejected": "不予受理通知书",
    }
    [pets, shops] = catalog.items
    assert {kind: template.title for kind, template in pets.documents.items()} == {"approved": "准予养犬登记决定书"}
    assert (
        pets.documents["approved"].body
        == "你于{submitted_date}提出的{subitem_name}申请，经审查，本机关决定准予登记。\n\n请于十日内领取犬牌。"
    )
    assert shops.documents == {}


def test_paragraph_lines_are_joined_and_blank_lines_separate(content_copy: Path) -> None:
    (content_copy / DENIED).write_text(
        "---\ntitle: 不予行政许可决定书\n---\n\n第一段\n接着写。\n\n\n第二段。\n", encoding="utf-8"
    )
    assert load_catalog(content_copy).documents["denied"].body == "第一段接着写。\n\n第二段。"


def test_unknown_placeholder_names_its_line(content_copy: Path) -> None:
    replace(content_copy / DENIED, "意见：{comment}", "意见：{reason}")
    line = line_number_of(content_copy / DENIED, "{reason}")
    [error] = errors_of(content_copy)
    assert error.startswith(f"content/{DENIED}:{line}: body: 不认识的占位符 {{reason}}，可用：{{applicant}}、")


def test_template_syntax_is_not_a_placeholder(content_copy: Path) -> None:
    replace(content_copy / OVERRIDE, "请于十日内", "{{ applicant }}请于十日内")
    [error] = errors_of(content_copy)
    assert error.startswith(f"content/{OVERRIDE}:6: body: 不认识的占位符 {{ applicant }}")


def test_missing_title(content_copy: Path) -> None:
    replace(content_copy / DENIED, "title: 不予行政许可决定书", "heading: 不予行政许可决定书")
    assert errors_of(content_copy) == [
        f"content/{DENIED}:2: title: 缺少必填项",
        f"content/{DENIED}:2: heading: 不认识的字段（请检查拼写）",
    ]


def test_placeholder_in_title(content_copy: Path) -> None:
    replace(content_copy / DENIED, "title: 不予行政许可决定书", "title: '{applicant}决定书'")
    assert errors_of(content_copy) == [f"content/{DENIED}:2: title: 标题中不能使用占位符"]


def test_empty_body(content_copy: Path) -> None:
    (content_copy / DENIED).write_text("---\ntitle: 不予行政许可决定书\n---\n\n", encoding="utf-8")
    assert errors_of(content_copy) == [f"content/{DENIED}:4: body: 正文不能为空"]


def test_unknown_kind_in_item(content_copy: Path) -> None:
    replace(
        content_copy / ITEM,
        "  approved: documents/approved.md",
        "  approved: documents/approved.md\n  revoked: documents/approved.md",
    )
    line = line_number_of(content_copy / ITEM, "revoked")
    assert errors_of(content_copy) == [
        f"content/{ITEM}:{line}: result_documents.revoked: 'revoked' 不是允许的取值，可选：'approved', 'denied' or 'rejected'"
    ]


def test_override_file_must_exist(content_copy: Path) -> None:
    replace(content_copy / ITEM, "documents/approved.md", "documents/approval.md")
    line = line_number_of(content_copy / ITEM, "approval.md")
    assert errors_of(content_copy) == [
        f"content/{ITEM}:{line}: result_documents.approved: 文件 documents/approval.md 不存在于事项文件夹中"
    ]


def test_override_may_not_sit_among_the_subitems(content_copy: Path) -> None:
    replace(content_copy / ITEM, "documents/approved.md", "approved.md")
    [error] = errors_of(content_copy)
    assert error.startswith(
        f"content/{ITEM}:{line_number_of(content_copy / ITEM, 'approved.md')}: result_documents.approved: "
    )
    assert "会被当作子事项" in error


def test_override_may_not_leave_the_item_folder(content_copy: Path) -> None:
    replace(content_copy / ITEM, "documents/approved.md", "../shop/documents/approved.md")
    [error] = errors_of(content_copy)
    assert "result_documents.approved: '../shop/documents/approved.md' 不是事项文件夹内的 .md 文件路径" in error


def test_unknown_default_kind_and_missing_default(content_copy: Path) -> None:
    (content_copy / "documents/rejected.md").rename(content_copy / "documents/refused.md")
    assert errors_of(content_copy) == [
        "content/documents/refused.md: 不认识的文书类型 'refused'，文件名可选："
        "approved.md（准予许可（准予行政许可决定书））、denied.md（不予许可（不予行政许可决定书））、"
        "rejected.md（不予受理（不予受理通知书））",
        "content/documents/rejected.md: 文件不存在：缺少默认的结果文书模板（不予受理（不予受理通知书））",
    ]


def test_catalogue_exports_defaults_once_and_overrides_in_their_records(content_copy: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build.build(content_copy, TEMPLATES, site, search=False)
    index = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    defaults = json.loads((site / index["documents"]).read_text(encoding="utf-8"))["documents"]
    assert sorted(defaults) == ["approved", "denied", "rejected"]
    shard = json.loads((site / "catalog/210300/subitems-00.json").read_text(encoding="utf-8"))["subitems"]
    for code in ("210300-XK-0001-01", "210300-XK-0001-02"):
        assert shard[code]["result_documents"] == {
            "approved": {
                "title": "准予养犬登记决定书",
                "body": "你于{submitted_date}提出的{subitem_name}申请，经审查，本机关决定准予登记。\n\n请于十日内领取犬牌。",
            }
        }
    other = json.loads((site / "catalog/210100/subitems-00.json").read_text(encoding="utf-8"))["subitems"]
    assert all("result_documents" not in record for record in other.values())
    assert defaults["approved"]["title"] not in json.dumps(shard, ensure_ascii=False)  # never copied into shards


def test_the_api_fills_in_the_placeholders_the_build_allows() -> None:
    from functions import result_documents

    assert set(result_documents.PLACEHOLDERS) == set(PLACEHOLDERS)

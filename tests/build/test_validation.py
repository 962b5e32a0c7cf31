"""Each content rule an editor can break gives one line naming the file, the field and the problem."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitegen.errors import ContentError, ContentErrors
from sitegen.loading import load_catalog
from tests.factories import edit_front_matter, edit_yaml

ALPHA = Path("regions/alpha")
FIRST = ALPHA / "items/pet-licence/first.md"
ITEM = ALPHA / "items/pet-licence/item.yaml"


def errors_of(content: Path) -> list[str]:
    """Each error as `path: field: problem`; where in the file it stands is tested in test_error_lines.py."""
    with pytest.raises(ContentErrors) as caught:
        load_catalog(content)
    return [ContentError(e.path, e.field, e.problem).line for e in caught.value.errors]


def test_fixture_is_valid(content_copy: Path) -> None:
    catalog = load_catalog(content_copy)
    assert [sub.code for sub in catalog.subitems()] == ["210300-XK-0001-01", "210300-XK-0001-02", "210100-XK-0001-01"]


def test_missing_required_element(content_copy: Path) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front.pop("legal_basis"))
    assert errors_of(content_copy) == [f"content/{FIRST}: legal_basis: 缺少必填项"]


def test_unknown_key_is_a_typo(content_copy: Path) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front.update(legal_limit=3))
    assert errors_of(content_copy) == [f"content/{FIRST}: legal_limit: 不认识的字段（请检查拼写）"]


def test_duplicate_subitem_code(content_copy: Path) -> None:
    cancel = ALPHA / "items/pet-licence/cancel.md"
    edit_front_matter(content_copy / cancel, lambda front: front.update(code="210300-XK-0001-01"))
    assert errors_of(content_copy) == [f"content/{FIRST}: code: 事项编码 210300-XK-0001-01 与 content/{cancel} 重复"]


def test_duplicate_code_across_regions(content_copy: Path) -> None:
    setup = Path("regions/beta/items/shop-registration/setup.md")
    edit_front_matter(content_copy / setup, lambda front: front.update(code="210300-XK-0001-01"))
    assert errors_of(content_copy) == [f"content/{setup}: code: 事项编码 210300-XK-0001-01 与 content/{FIRST} 重复"]


def test_malformed_code(content_copy: Path) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front.update(code="210300 xk 1"))
    [line] = errors_of(content_copy)
    assert line.startswith(f"content/{FIRST}: code: ")


def test_unknown_department(content_copy: Path) -> None:
    edit_yaml(content_copy / ITEM, lambda item: item.update(department="police"))
    assert errors_of(content_copy) == [f"content/{ITEM}: department: 部门 'police' 不存在于 甲市 的 departments.yaml"]


def test_unknown_parent_department(content_copy: Path) -> None:
    departments = ALPHA / "departments.yaml"
    edit_yaml(content_copy / departments, lambda depts: depts[1].update(parent="nothing"))
    assert errors_of(content_copy) == [f"content/{departments}: bureau-social.parent: 上级部门 'nothing' 不存在于 甲市"]


def test_duplicate_department_code(content_copy: Path) -> None:
    departments = ALPHA / "departments.yaml"
    edit_yaml(content_copy / departments, lambda depts: depts.append(dict(depts[0])))
    assert errors_of(content_copy) == [f"content/{departments}: [2].code: 部门编码 bureau 重复"]


def test_unknown_default_region(content_copy: Path) -> None:
    edit_yaml(content_copy / "portal.yaml", lambda portal: portal.update(default_region="gamma"))
    assert errors_of(content_copy) == ["content/portal.yaml: default_region: 地区 'gamma' 不存在"]


def test_region_slug_must_match_folder(content_copy: Path) -> None:
    edit_yaml(content_copy / ALPHA / "region.yaml", lambda region: region.update(slug="anshan"))
    assert f"content/{ALPHA}/region.yaml: slug: 必须与所在文件夹名一致（alpha）" in errors_of(content_copy)


def test_duplicate_region_code(content_copy: Path) -> None:
    edit_yaml(content_copy / "regions/beta/region.yaml", lambda region: region.update(code="210300"))
    assert errors_of(content_copy) == ["content/regions/beta/region.yaml: code: 地区代码 210300 与 甲市 重复"]


def test_bad_form_field_type(content_copy: Path) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front["form_fields"][0].update(type="checkbox"))
    [line] = errors_of(content_copy)
    assert line.startswith(f"content/{FIRST}: form_fields[0].type: 'checkbox' 不是允许的取值，可选：'text'")


def test_select_needs_options(content_copy: Path) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front["form_fields"][1].update(options=["仅一项"]))
    assert errors_of(content_copy) == [f"content/{FIRST}: form_fields[1]: 选择题（select）至少需要两个选项（options）"]


def test_options_only_on_select(content_copy: Path) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front["form_fields"][0].update(options=["a", "b"]))
    assert errors_of(content_copy) == [
        f"content/{FIRST}: form_fields[0]: 只有 select 类型可以设置选项（options），此字段类型为 text"
    ]


def test_date_limits_only_on_date_fields(content_copy: Path) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front["form_fields"][0].update(not_after="today"))
    assert errors_of(content_copy) == [
        f"content/{FIRST}: form_fields[0]: 只有 date 类型可以设置日期界限（not_before、not_after），此字段类型为 text"
    ]


@pytest.mark.parametrize(
    ("limits", "problem"),
    [
        (
            {"not_after": "tomorrow"},
            "form_fields[3].not_after: 日期界限 'tomorrow' 应为 today（办理当天）或 YYYY-MM-DD 格式的日期，如 2020-01-01",
        ),
        (
            {"not_before": "2026-02-30"},
            "form_fields[3].not_before: 日期界限 '2026-02-30' 应为 today（办理当天）或 YYYY-MM-DD 格式的日期，如 2020-01-01",
        ),
        ({"not_before": "1899-12-31"}, "form_fields[3].not_before: 日期界限 1899-12-31 不能早于 1900-01-01"),
        (
            {"not_before": "2020-01-01", "not_after": "2019-12-31"},
            "form_fields[3]: not_before（2020-01-01）不能晚于 not_after（2019-12-31）",
        ),
    ],
)
def test_date_limits_are_today_or_a_date_in_order(content_copy: Path, limits: dict[str, str], problem: str) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front["form_fields"][3].update(limits))
    assert errors_of(content_copy) == [f"content/{FIRST}: {problem}"]


def test_an_unquoted_yaml_date_is_a_date_limit(content_copy: Path) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front["form_fields"][3].update(not_before=date(2020, 1, 1)))
    field = load_catalog(content_copy).subitems()[0].guide.form_fields[3]
    assert (field.not_before, field.not_after) == ("2020-01-01", "today")


def test_duplicate_form_field_name(content_copy: Path) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front["form_fields"][1].update(name="dog_name"))
    assert errors_of(content_copy) == [f"content/{FIRST}: 表单字段名（form_fields[].name）重复：dog_name"]


def test_bad_material_format(content_copy: Path) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front["materials"][1].update(formats=["pdf", "docx"]))
    [line] = errors_of(content_copy)
    assert line == f"content/{FIRST}: materials[1].formats[1]: 'docx' 不是允许的取值，可选：'pdf', 'jpg' or 'png'"


def test_material_size_limit(content_copy: Path) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front["materials"][1].update(max_size_mb=500))
    assert errors_of(content_copy) == [f"content/{FIRST}: materials[1].max_size_mb: 不能大于 50"]


def test_duplicate_material_id(content_copy: Path) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front["materials"][1].update(id="form"))
    assert errors_of(content_copy) == [f"content/{FIRST}: 材料编号（materials[].id）重复：form"]


def test_missing_blank_form_file(content_copy: Path) -> None:
    (content_copy / "files/alpha/form.pdf").unlink()
    assert errors_of(content_copy) == [f"content/{FIRST}: materials[0].blank_form: 文件 files/alpha/form.pdf 不存在"]


def test_blank_form_outside_files_folder(content_copy: Path) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front["materials"][0].update(blank_form="../portal.yaml"))
    assert errors_of(content_copy) == [f"content/{FIRST}: materials[0].blank_form: 文件 files/../portal.yaml 不存在"]


def test_promised_longer_than_legal(content_copy: Path) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front.update(promised_time_limit=30))
    assert errors_of(content_copy) == [f"content/{FIRST}: 承诺办结时限（30）不能超过法定办结时限（20）"]


def test_immediate_item_has_no_promised_days(content_copy: Path) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front.update(handling_type="即办件"))
    assert errors_of(content_copy) == [f"content/{FIRST}: 即办件当场办结，承诺办结时限（promised_time_limit）应为 0"]


def test_malformed_phone(content_copy: Path) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front.update(consult_phone="0412-559"))
    assert errors_of(content_copy) == [
        f"content/{FIRST}: consult_phone: 电话号码 '0412-559' 不是有效的号码（请检查区号和位数）"
    ]


def test_phone_with_letters(content_copy: Path) -> None:
    edit_yaml(content_copy / ALPHA / "departments.yaml", lambda depts: depts[0].update(phone="电话待定"))
    assert errors_of(content_copy) == [
        f"content/{ALPHA}/departments.yaml: [0].phone: 电话号码 '电话待定' 格式不正确（示例：0412-5591290 或 12345）"
    ]


def test_fee_needs_standard_and_basis(content_copy: Path) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front.update(fee={"charged": True}))
    assert errors_of(content_copy) == [f"content/{FIRST}: fee: 收费事项必须填写收费标准（standard）和收费依据（basis）"]


def test_online_guide_needs_form_fields(content_copy: Path) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front.pop("form_fields"))
    assert errors_of(content_copy) == [f"content/{FIRST}: 网上办理的事项必须定义申请表字段（form_fields）"]


def test_inherited_bad_value_blames_item_file(content_copy: Path) -> None:
    edit_yaml(content_copy / ITEM, lambda item: item["guide_defaults"].update(handling_type="马上办"))
    lines = errors_of(content_copy)
    assert lines == [
        f"content/{ITEM}: guide_defaults.handling_type: '马上办' 不是允许的取值，可选：'即办件' or '承诺件'"
    ]


def test_yaml_syntax_error_names_file_and_line(content_copy: Path) -> None:
    (content_copy / ALPHA / "region.yaml").write_text('code: "210300"\nname: [甲市\n', encoding="utf-8")
    [line] = errors_of(content_copy)
    assert line.startswith(f"content/{ALPHA}/region.yaml: YAML 语法错误：第 ")


def test_missing_front_matter(content_copy: Path) -> None:
    (content_copy / FIRST).write_text("只有正文，没有信息块。\n", encoding="utf-8")
    assert errors_of(content_copy) == [f"content/{FIRST}: 缺少开头的 YAML 信息块（以 --- 开始和结束）"]


def test_every_problem_reported_in_one_pass(content_copy: Path) -> None:
    edit_front_matter(content_copy / FIRST, lambda front: front.pop("summary"))
    edit_yaml(content_copy / "regions/beta/items/shop-registration/item.yaml", lambda item: item.update(department="x"))
    assert len(errors_of(content_copy)) == 2


# No invented numbers: a number other than a nationwide 12xxx service number must say where it was published.


def test_guide_phone_without_source(content_copy: Path) -> None:
    edit_front_matter(
        content_copy / FIRST, lambda front: front.update(consult_phone="0412-5570186", consult_phone_source="")
    )
    assert errors_of(content_copy) == [
        f"content/{FIRST}: 咨询电话 '0412-5570186' 未注明来源：请在 source 中写明公布该号码的公开材料，"
        "无法核实的号码请删去（页面会改为显示 12345 政务服务便民热线）"
    ]


def test_department_phone_without_source(content_copy: Path) -> None:
    edit_yaml(content_copy / ALPHA / "departments.yaml", lambda depts: depts[0].pop("phone_source"))
    assert errors_of(content_copy) == [
        f"content/{ALPHA}/departments.yaml: [0]: 甲市行政审批局的咨询电话 '0412-5591000' 未注明来源：请在 source 中"
        "写明公布该号码的公开材料，无法核实的号码请删去（页面会改为显示 12345 政务服务便民热线）"
    ]


def test_support_contact_without_source(content_copy: Path) -> None:
    edit_yaml(content_copy / ALPHA / "region.yaml", lambda region: region["support_contacts"][0].pop("source"))
    assert errors_of(content_copy) == [
        f"content/{ALPHA}/region.yaml: support_contacts[0]: 软件运维的电话 '0412-5591290' 未注明来源：请在 source 中"
        "写明公布该号码的公开材料，无法核实的号码请删去（页面会改为显示 12345 政务服务便民热线）"
    ]


def test_service_numbers_need_no_source(content_copy: Path) -> None:
    edit_yaml(content_copy / ALPHA / "departments.yaml", lambda depts: depts[0].update(phone="12333", phone_source=""))
    catalog = load_catalog(content_copy)
    assert catalog.departments_of(catalog.regions[0])[0].spec.phone == "12333"

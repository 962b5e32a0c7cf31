"""Typed content: the national service-guide elements (办事指南要素) as pydantic models.

Each model validates what can be checked inside one file; rules that span files (unique codes,
references between regions, departments and items) live in `sitegen.catalog`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

import phonenumbers
from phonenumbers import shortnumberinfo
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

CODE_PATTERN = r"^[0-9A-Z]+(-[0-9A-Z]+)*$"
SLUG_PATTERN = r"^[a-z][a-z0-9-]*$"
IDENTIFIER_PATTERN = r"^[a-z][a-z0-9_]*$"

ItemType = Literal["行政许可", "行政给付", "行政确认", "行政奖励", "行政裁决", "行政备案", "其他行政权力", "公共服务"]
Audience = Literal["自然人", "法人"]
HandlingType = Literal["即办件", "承诺件"]
MaterialKind = Literal["原件", "复印件", "电子件"]
FileFormat = Literal["pdf", "jpg", "png"]


def _every_format() -> list[FileFormat]:
    """A material accepts every format unless its guide names some."""
    return ["pdf", "jpg", "png"]


FieldType = Literal["text", "textarea", "number", "date", "select", "phone", "id_number", "email"]
FIELD_TYPE_LABELS: dict[str, str] = {
    "text": "文本",
    "textarea": "多行文本",
    "number": "数字",
    "date": "日期",
    "select": "单项选择",
    "phone": "电话号码",
    "id_number": "身份证号码",
    "email": "电子邮箱",
}
# Account attributes the application page may copy into a form field (issue: applying online).
Prefill = Literal[
    "real_name",
    "id_number",
    "phone",
    "email",
    "organization_name",
    "credit_code",
    "legal_representative",
]

AUDIENCE_CODES: dict[str, str] = {"自然人": "natural", "法人": "legal"}

# The decisions that end an application with a 结果文书 (functions/domain/lifecycle.py's statuses), and the
# placeholders its template may use. The API fills them in (functions/result_documents.py keeps the same list;
# tests/build/test_result_documents.py checks that the two agree).
DecisionKind = Literal["approved", "denied", "rejected"]
DECISION_KINDS: dict[str, str] = {
    "approved": "准予许可（准予行政许可决定书）",
    "denied": "不予许可（不予行政许可决定书）",
    "rejected": "不予受理（不予受理通知书）",
}
PLACEHOLDERS: dict[str, str] = {
    "applicant": "申请人：自然人的姓名或单位名称",
    "application_number": "办件编号",
    "subitem_name": "事项名称",
    "department_name": "作出决定的部门",
    "region_name": "地区名称，如 鞍山市",
    "submitted_date": "提交申请的日期，如 2026年11月20日",
    "decision_date": "作出决定的日期，如 2026年12月2日",
    "document_number": "文书的文号",
    "comment": "审批人员填写的意见或理由（未填写时，只含空占位符的段落不印出）",
    "legal_basis": "事项的设定依据（服务指南的 legal_basis）",
}
MAX_UPLOAD_MB = 50


def check_phone(value: str) -> str:
    """A mainland number as editors write it: '0412-5591290', '13800000000' or a service number like '12345'."""
    digits = re.sub(r"[\s-]", "", value)
    if not re.fullmatch(r"\d{5,12}", digits):
        raise ValueError(f"电话号码 {value!r} 格式不正确（示例：0412-5591290 或 12345）")
    number = phonenumbers.parse(digits, "CN")
    if phonenumbers.is_valid_number(number) or shortnumberinfo.is_valid_short_number_for_region(number, "CN"):
        return value
    raise ValueError(f"电话号码 {value!r} 不是有效的号码（请检查区号和位数）")


def check_optional_phone(value: str | None) -> str | None:
    return value if value is None else check_phone(value)


Phone = Annotated[str, Field(min_length=1)]
Text = Annotated[str, Field(min_length=1)]
Illustrative = list[Literal["address", "hours"]]
"""Which of an office's facts are illustrative (△ in content-brief.md): pages label them 示例, not fact."""


def is_service_number(value: str) -> bool:
    """A nationwide 12xxx government service number (12345, 12333, 12329, 12366 …): the same everywhere, never
    invented by a sample site."""
    return re.fullmatch(r"12\d{3}", re.sub(r"[\s-]", "", value)) is not None


def check_sourced(phone: str | None, source: str, what: str) -> None:
    """No invented numbers: any number but a 12xxx service number must say where it was published."""
    if phone and not is_service_number(phone) and not source.strip():
        raise ValueError(
            f"{what} {phone!r} 未注明来源：请在 source 中写明公布该号码的公开材料，无法核实的号码请删去"
            "（页面会改为显示 12345 政务服务便民热线）"
        )


class Content(BaseModel):
    """Base of every content model: unknown keys are typos, so they are errors."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)


class SupportContact(Content):
    department: Text
    """The unit to call, e.g. 软件运维 (never a person's name)."""
    phone: Phone
    """Phone number with area code."""
    source: str = ""
    """Where the number was published (e.g. the portal's own user guide); required unless it is a 12xxx number."""
    duty: str = ""
    """What they help with, e.g. 网上申报技术问题."""

    _phone = field_validator("phone")(check_phone)

    @model_validator(mode="after")
    def _sourced(self) -> SupportContact:
        check_sourced(self.phone, self.source, f"{self.department}的电话")
        return self


CLOCK_PATTERN = r"^([01]\d|2[0-3]):(00|30)$"


def _check_clock(value: str) -> str:
    if not re.fullmatch(CLOCK_PATTERN, value):
        raise ValueError(f"时间 {value!r} 应写成整点或半点的 HH:MM，如 08:30（预约时段每半小时一个）")
    return value


# The pattern in the schema too, so an editor marks it while typing; the validator says why in Chinese.
Clock = Annotated[str, AfterValidator(_check_clock), Field(json_schema_extra={"pattern": CLOCK_PATTERN})]
"""A time of day on the half hour, 08:30 (appointment slots are half an hour long)."""

EARLIEST_DATE = datetime.date(1900, 1, 1)


def _date_bound_text(value: object) -> object:
    # YAML reads an unquoted 2020-01-01 as a date; the catalogue carries the ISO text either way.
    return value.isoformat() if isinstance(value, datetime.date) else value


def _check_date_bound(value: str) -> str:
    if value == "today":
        return value
    try:
        day = datetime.date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
    except ValueError:
        day = None
    if day is None:
        raise ValueError(f"日期界限 {value!r} 应为 today（办理当天）或 YYYY-MM-DD 格式的日期，如 2020-01-01")
    if day < EARLIEST_DATE:
        raise ValueError(f"日期界限 {value} 不能早于 {EARLIEST_DATE.isoformat()}")
    return value


DateBound = Annotated[
    str,
    BeforeValidator(_date_bound_text),
    AfterValidator(_check_date_bound),
    Field(json_schema_extra={"pattern": r"^(today|\d{4}-\d{2}-\d{2})$"}),
]
"""A limit on a date field: today (the day in China the applicant fills it in) or an ISO date, 2020-01-01."""


class AppointmentRules(Content):
    """预约办理 at the service centre: when the hall takes appointments, and how many people per half hour."""

    sessions: list[tuple[Clock, Clock]] = Field(min_length=1)
    """Opening sessions of a working day, each [start, end] on the half hour, in order, e.g. [["08:30", "11:30"],
    ["13:00", "16:30"]]; cut into half-hour slots. Keep them the same as `hours`, which is what citizens read."""
    slot_capacity: Annotated[int, Field(ge=1, le=200)]
    """People who can book the same half hour (the windows open for appointments)."""
    days_ahead: Annotated[int, Field(ge=1, le=60)] = 14
    """How many days ahead can be booked, from tomorrow on."""

    @model_validator(mode="after")
    def _sessions_in_order(self) -> AppointmentRules:
        last_end = ""
        for start, end in self.sessions:
            if start >= end:
                raise ValueError(f"办公时段 {start}—{end} 的结束时间应晚于开始时间")
            if start < last_end:
                raise ValueError(f"办公时段 {start}—{end} 与前一时段重叠或顺序颠倒")
            last_end = end
        return self


class ServiceCentre(Content):
    name: Text
    """The hall citizens visit, e.g. 鞍山市政务服务中心."""
    address: Text
    hours: Text
    """Opening hours as shown to citizens."""
    illustrative: Illustrative = Field(default_factory=list)
    """address / hours that are not confirmed from a public source: shown with a 示例 label."""
    phone: Phone | None = None
    """The hall's own enquiry line; without one, pages point to the region's 12345 hotline."""
    phone_source: str = ""
    """Where `phone` was published; required unless it is a 12xxx number."""
    appointment: AppointmentRules | None = None
    """预约办理: without it the region's guides offer no appointments."""

    _phone = field_validator("phone")(check_optional_phone)

    @model_validator(mode="after")
    def _sourced(self) -> ServiceCentre:
        check_sourced(self.phone, self.phone_source, f"{self.name}的咨询电话")
        return self


class Holidays(Content):
    """The State Council's 节假日安排: the days the service centres close, and the weekend days they open (调休)."""

    holidays: list[datetime.date] = Field(default_factory=list)
    """Every day off of the published schedule (weekends inside a holiday too)."""
    workdays: list[datetime.date] = Field(default_factory=list)
    """Saturdays and Sundays that are working days (调休上班)."""

    @model_validator(mode="after")
    def _no_day_both(self) -> Holidays:
        both = sorted(set(self.holidays) & set(self.workdays))
        if both:
            raise ValueError(f"{both[0].isoformat()} 不能既是节假日（holidays）又是调休上班日（workdays）")
        weekdays = [day for day in self.workdays if day.weekday() < 5]
        if weekdays:
            raise ValueError(f"调休上班日（workdays）应为周六或周日：{weekdays[0].isoformat()} 是工作日")
        return self


class Portal(Content):
    name: Text
    """The province-wide portal, 辽宁政务服务网."""
    default_region: Annotated[str, Field(pattern=SLUG_PATTERN)]
    """Slug of the region the root page leads to."""
    site_url: Annotated[str, Field(pattern=r"^https?://[^/\s]+$")]
    """Origin used for absolute URLs in sitemap.xml (overridden at deploy time)."""
    agreement_title: Text
    """Title of the registration agreement, 《辽宁省政务服务网注册协议》."""
    agreement_file: Text
    """Markdown file (relative to content/) holding the agreement text."""
    hotline: Phone
    """Province-wide service hotline."""
    support_contacts: list[SupportContact] = Field(min_length=1)
    """Province-level technical support."""
    marks: SiteMarks = Field(default_factory=lambda: SiteMarks())
    """The portal's own marks, in the footer of the pages outside every region (/, 404.html, the entry pages)."""
    holidays: Holidays = Field(default_factory=Holidays)
    """节假日安排, the same for every region: no appointments on a holiday, and on a 调休 weekend day there are."""
    agreement_html: str = ""
    """Filled by the loader from agreement_file."""
    privacy_file: Text = "privacy.md"
    """Markdown file (relative to content/) of the 隐私政策 page."""
    accessibility_file: Text = "accessibility.md"
    """Markdown file (relative to content/) of the 无障碍说明 page."""


class PartyGovernmentMark(Content):
    """The 党政机关网站标识 that 中央编办 issues to a registered site: its verification link and the issued image."""

    link: Annotated[str, Field(pattern=r"^https?://\S+$")]
    """The verification page the mark links to, as issued."""
    image: Text
    """The issued image, as a path relative to content/files/ (never drawn by us)."""


class SiteMarks(Content):
    """The marks of a government site (《政府网站发展指引》): who runs it and its registration numbers.

    Each is optional: a site not yet registered shows a visible 待填写 placeholder instead, never an invented number."""

    sponsor: str | None = None
    """主办单位, e.g. 鞍山市人民政府办公室."""
    organizer: str | None = None
    """承办单位, the unit that runs the site day to day."""
    unverified: bool = False
    """主办/承办 are the sample content's reading, not confirmed from a public source: the footer says so."""
    site_code: Annotated[str, Field(pattern=r"^\d{10}$")] | None = None
    """网站标识码: ten digits, issued with the 政府网站 registration."""
    icp: str | None = None
    """ICP备案号, e.g. 辽ICP备……号."""
    police_record: str | None = None
    """公安机关备案号, e.g. 辽公网安备……号."""
    party_mark: PartyGovernmentMark | None = None
    """党政机关网站标识; without it the footer shows a placeholder, never a drawn mark."""


class Region(Content):
    code: Annotated[str, Field(pattern=r"^\d{6}$")]
    """GB/T 2260 administrative division code, e.g. 210300."""
    name: Text
    """鞍山市."""
    slug: Annotated[str, Field(pattern=SLUG_PATTERN)]
    """URL segment, e.g. anshan; must equal the folder name."""
    site_name: Text
    """鞍山政务服务网."""
    area_code: Annotated[str, Field(pattern=r"^0\d{2,3}$")]
    """Long-distance dialling code, e.g. 0412."""
    postcode: Annotated[str, Field(pattern=r"^\d{6}$")]
    hotline: Phone
    """The city's 12345 service hotline."""
    service_centre: ServiceCentre
    support_contacts: list[SupportContact] = Field(default_factory=list)
    """Technical support for the portal in this region (only numbers with a published source; none: pages point to
    the hotline and the province's support) (联系电话 page and footer)."""
    order: int = 0
    """Position in the 站点切换 list."""
    marks: SiteMarks = Field(default_factory=SiteMarks)
    """主办/承办单位, 网站标识码, ICP and 公安机关备案号, 党政机关网站标识 (footer)."""
    hot_services: list[Annotated[str, Field(pattern=CODE_PATTERN)]] = Field(default_factory=list)
    """热门服务 on the home page: 事项编码 of this region's sub-items, in the order shown."""

    _phone = field_validator("hotline")(check_phone)


class Department(Content):
    code: Annotated[str, Field(pattern=SLUG_PATTERN)]
    """Unique within its region; used in URLs and staff accounts."""
    name: Text
    """Its own name, e.g. 社会事务科 (the parent's name is shown before it)."""
    parent: Annotated[str, Field(pattern=SLUG_PATTERN)] | None = None
    """Code of the parent department, e.g. the 市行政审批局 of a 科."""
    document_prefix: Annotated[str, Field(min_length=1, max_length=12)] | None = None
    """机关代字 of the 文号 of the 结果文书 it issues, e.g. 鞍行审 (鞍行审许准字〔2026〕第0001号); a 科's decisions are its
    局's. Without one the full name stands in its place."""
    address: Text
    office_hours: Text
    illustrative: Illustrative = Field(default_factory=list)
    """address / hours (office_hours) not confirmed from a public source: shown with a 示例 label."""
    phone: Phone | None = None
    """Its enquiry line; without one, its pages point to the region's 12345 hotline."""
    phone_source: str = ""
    """Where `phone` was published; required unless it is a 12xxx number."""
    description: str = ""

    _phone = field_validator("phone")(check_optional_phone)

    @model_validator(mode="after")
    def _sourced(self) -> Department:
        check_sourced(self.phone, self.phone_source, f"{self.name}的咨询电话")
        return self


class Step(Content):
    name: Text
    """Short title of the step, e.g. 受理."""
    description: Text
    window: bool = False
    """Done in person at a window of the service centre (e.g. 领证 of an online application): the guide then
    offers 预约办理."""


class Fee(Content):
    charged: bool
    standard: str = ""
    """What is charged, e.g. 住宅 80 元/件."""
    basis: str = ""
    """The document that sets the charge."""

    @model_validator(mode="after")
    def _charged_needs_standard(self) -> Fee:
        if self.charged and not (self.standard and self.basis):
            raise ValueError("收费事项必须填写收费标准（standard）和收费依据（basis）")
        return self


class LegalBasis(Content):
    law: Text
    """The law or regulation, with its 《》 and issuing number."""
    provision: str = ""
    """The articles that apply, e.g. 第九条、第十条."""


class Material(Content):
    id: Annotated[str, Field(pattern=SLUG_PATTERN)]
    """Stable identifier within the sub-item; the API stores uploads under it."""
    name: Text
    kind: MaterialKind
    """原件, 复印件 or 电子件 (what the hall would take)."""
    copies: Annotated[int, Field(ge=1, le=20)] = 1
    required: bool = True
    formats: list[FileFormat] = Field(default_factory=_every_format, min_length=1)
    """Electronic formats accepted for the online upload."""
    max_size_mb: Annotated[int, Field(ge=1, le=MAX_UPLOAD_MB)] = 10
    valid_days: Annotated[int, Field(ge=1, le=3650)] | None = None
    """How long a file for it stays valid after it was uploaded (a 体检证明: 180); None: until replaced.
    我的材料 offers a kept file again only within this many days."""
    blank_form: str | None = None
    """File under content/files/ citizens download and fill in."""
    sample: str | None = None
    """File under content/files/ showing a filled-in example."""
    notes: str = ""


class FormField(Content):
    name: Annotated[str, Field(pattern=IDENTIFIER_PATTERN)]
    """Key of the value in the application's form data."""
    label: Text
    type: FieldType
    required: bool = True
    options: list[Text] = Field(default_factory=list)
    """Choices of a select field."""
    help: str = ""
    prefill: Prefill | None = None
    """Account attribute copied into the field when the application starts."""
    not_before: DateBound | None = None
    """Earliest date a date field accepts; None: 1900-01-01 (the API's plausibility window)."""
    not_after: DateBound | None = None
    """Latest date a date field accepts, e.g. today for a 出生日期; None: a hundred years from today."""

    @model_validator(mode="after")
    def _date_bounds_only_for_dates(self) -> FormField:
        if self.type != "date" and (self.not_before or self.not_after):
            raise ValueError(f"只有 date 类型可以设置日期界限（not_before、not_after），此字段类型为 {self.type}")
        dated = [bound for bound in (self.not_before, self.not_after) if bound and bound != "today"]
        if len(dated) == 2 and dated[0] > dated[1]:  # ISO dates compare as text
            raise ValueError(f"not_before（{self.not_before}）不能晚于 not_after（{self.not_after}）")
        return self

    @model_validator(mode="after")
    def _options_only_for_select(self) -> FormField:
        if self.type == "select" and len(self.options) < 2:
            raise ValueError("选择题（select）至少需要两个选项（options）")
        if self.type != "select" and self.options:
            raise ValueError(f"只有 select 类型可以设置选项（options），此字段类型为 {self.type}")
        if len(set(self.options)) != len(self.options):
            raise ValueError("选项（options）不能重复")
        return self


class Faq(Content):
    question: Text
    answer: Text


class Guide(Content):
    """One sub-item's 服务指南: front matter of its Markdown file, merged over the item's guide_defaults."""

    code: Annotated[str, Field(pattern=CODE_PATTERN)]
    """事项编码, unique in the whole portal."""
    name: Text
    """事项名称 of the sub-item, e.g. 社会团体成立登记."""
    item_type: ItemType
    """事项类型."""
    implementing_body: str = ""
    """实施主体; empty means the department's full name."""
    audiences: list[Audience] = Field(min_length=1)
    """服务对象: decides 个人办事 (自然人), 法人办事 (法人) or both."""
    summary: Text
    """One sentence on what the service is, shown at the top of the guide and in lists."""
    conditions: list[Text] = Field(min_length=1)
    """受理条件, shown numbered."""
    process: list[Step] = Field(min_length=1)
    """办理流程."""
    materials: list[Material] = Field(min_length=1)
    """申请材料."""
    handling_type: HandlingType
    """办件类型: 即办件 are finished on the spot (承诺时限 0)."""
    legal_time_limit: Annotated[int, Field(ge=0, le=365)]
    """法定办结时限, in working days."""
    promised_time_limit: Annotated[int, Field(ge=0, le=365)]
    """承诺办结时限, in working days; 0 only for 即办件."""
    fee: Fee
    location: Text
    """办理地点."""
    hours: Text
    """办理时间."""
    consult_phone: Phone | None = None
    """咨询电话; without one the guide shows its department's, or else the region's 12345 hotline."""
    consult_phone_source: str = ""
    """Where consult_phone was published (the department's official guide, say); required unless a 12xxx number."""
    complaint_phone: Phone
    """监督投诉电话."""
    complaint_phone_source: str = ""
    """Where complaint_phone was published; required unless it is a 12xxx number."""
    legal_basis: list[LegalBasis] = Field(min_length=1)
    """设定依据."""
    online: bool
    """网上办理: whether the 申报 button is offered."""
    form_fields: list[FormField] = Field(default_factory=list)
    """The application form's fields."""
    faqs: list[Faq] = Field(default_factory=list)
    """常见问题."""
    appointment: bool | None = None
    """预约办理 offered: unset means yes when it is not applied for online or a step of its process is at a window
    (`window: true`); true or false decides it."""

    _consult_phone = field_validator("consult_phone")(check_optional_phone)
    _complaint_phone = field_validator("complaint_phone")(check_phone)

    @model_validator(mode="after")
    def _sourced(self) -> Guide:
        check_sourced(self.consult_phone, self.consult_phone_source, "咨询电话")
        check_sourced(self.complaint_phone, self.complaint_phone_source, "监督投诉电话")
        return self

    @model_validator(mode="after")
    def _consistent(self) -> Guide:
        if self.promised_time_limit > self.legal_time_limit:
            raise ValueError(
                f"承诺办结时限（{self.promised_time_limit}）不能超过法定办结时限（{self.legal_time_limit}）"
            )
        if self.handling_type == "即办件" and self.promised_time_limit != 0:
            raise ValueError("即办件当场办结，承诺办结时限（promised_time_limit）应为 0")
        if self.handling_type == "承诺件" and self.promised_time_limit == 0:
            raise ValueError("承诺件的承诺办结时限（promised_time_limit）至少为 1 个工作日")
        if self.online and not self.form_fields:
            raise ValueError("网上办理的事项必须定义申请表字段（form_fields）")
        _require_unique([m.id for m in self.materials], "材料编号（materials[].id）")
        _require_unique([f.name for f in self.form_fields], "表单字段名（form_fields[].name）")
        _require_unique(self.audiences, "服务对象（audiences）")
        return self

    @property
    def offers_appointment(self) -> bool:
        """Whether its guide offers 预约办理 (where the region's service centre takes appointments)."""
        if self.appointment is not None:
            return self.appointment
        return not self.online or any(step.window for step in self.process)


class ResultTemplateFile(Content):
    """The front matter of a 结果文书 template (content/documents/<kind>.md or an item's override); its body is
    plain text: paragraphs separated by blank lines, with {placeholders} the API fills in."""

    title: Text
    """The document's title, e.g. 准予行政许可决定书 (no placeholders)."""


def _check_document_file(value: str) -> str:
    parts = value.split("/")
    if not value.endswith(".md") or any(
        not re.fullmatch(r"[A-Za-z0-9_.-]+", part) or part in {".", ".."} for part in parts
    ):
        raise ValueError(f"{value!r} 不是事项文件夹内的 .md 文件路径（示例：documents/approved.md）")
    if len(parts) < 2:
        raise ValueError(f"{value!r} 直接放在事项文件夹中会被当作子事项：请放入子文件夹，如 documents/{parts[0]}")
    return value


DocumentFile = Annotated[str, AfterValidator(_check_document_file)]


class ItemFile(Content):
    """An item.yaml: the 主项 and what its sub-items share."""

    code: Annotated[str, Field(pattern=CODE_PATTERN)]
    """事项编码 of the main item."""
    name: Text
    department: Annotated[str, Field(pattern=SLUG_PATTERN)]
    """Code of the department that handles it, in the same region."""
    description: Text
    guide_defaults: dict[str, Any] = Field(default_factory=dict)
    """Guide elements every sub-item inherits unless its own file sets them."""
    result_documents: dict[DecisionKind, DocumentFile] = Field(default_factory=dict)
    """结果文书 templates of this item's sub-items that replace the portal's defaults (content/documents/): decision
    kind (approved, denied, rejected) -> a template file in a subfolder of the item's folder, e.g.
    documents/approved.md."""
    order: int = 0


def _require_unique(values: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what}重复：{value}")
        seen.add(value)


NOTICE_SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class Notice(Content):
    """The front matter of a 通知公告 (content/regions/<region>/notices/<slug>.md); its Markdown body follows."""

    title: Text
    date: datetime.date
    """Publication date: the home page and the list show the newest first."""
    publisher: str | None = None
    """发布单位, e.g. 鞍山市政务服务中心."""

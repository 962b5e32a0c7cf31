"""The registration fields' rules, with published check-digit examples (each verified with python-stdnum)."""

from __future__ import annotations

import pytest
from stdnum.cn import ric, uscc

from functions.domain import InvalidValue
from functions.domain import validators as v

# GB 11643-1999's own example, and python-stdnum's doctest example.
GB11643_EXAMPLE = "11010519491231002X"
STDNUM_RIC_EXAMPLE = "360426199101010071"
# GB 32100's example and codes of real organisations (Tencent, Huawei, Xiaomi, a 事业单位).
REAL_CREDIT_CODES = [
    "91350100M000100Y43",
    "91110000600037341L",
    "91440300708461136T",
    "914403001922038216",
    "91110108551385082Q",
    "12100000400000624D",
]


def message_of(func, *args, **kwargs) -> str:
    """The Chinese message InvalidValue carries for this call."""
    with pytest.raises(InvalidValue) as caught:
        func(*args, **kwargs)
    assert isinstance(caught.value, ValueError)
    assert caught.value.message == str(caught.value)
    return caught.value.message


def with_check(body: str) -> str:
    """17 digits completed with their GB 11643 check character (computed by stdnum, not by us)."""
    return body + ric.calc_check_digit(body + "0")


# --- 登录名 ---


@pytest.mark.parametrize("name", ["abcd", "Zhang_San1", "a" * 20, "user_2024", "A123"])
def test_login_name_accepts_and_keeps_case(name):
    assert v.login_name(name) == name


def test_login_name_strips_and_reads_full_width():
    assert v.login_name("  ｚｈａｎｇｓａｎ ") == "zhangsan"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("张三丰四", "只能包含英文字母、数字和下划线"),
        ("user-name", "只能包含英文字母、数字和下划线"),
        ("user name", "只能包含英文字母、数字和下划线"),
        ("1user", "必须以英文字母开头"),
        ("_user", "必须以英文字母开头"),
        ("abc", "长度应为4-20个字符"),
        ("a" * 21, "长度应为4-20个字符"),
        ("", "请填写登录名"),
        (None, "请填写登录名"),
    ],
)
def test_login_name_rejects(name, expected):
    message = message_of(v.login_name, name)
    assert "登录名" in message and expected in message


def test_login_name_key_is_case_insensitive_and_never_raises():
    assert v.login_name_key("ZhangSan") == v.login_name_key(" zhangsan ") == "zhangsan"
    assert v.login_name_key("张三") == "张三"


# --- 真实姓名 ---


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (" 张三 ", "张三"),
        ("欧阳娜娜", "欧阳娜娜"),
        ("阿沛·阿旺晋美", "阿沛·阿旺晋美"),
        ("阿沛•阿旺晋美", "阿沛·阿旺晋美"),  # bullet typed for the middle dot
        ("阿沛.阿旺晋美", "阿沛·阿旺晋美"),
        ("𠮷野家", "𠮷野家"),  # CJK Extension B
        ("John Smith", "John Smith"),
        ("Jean-Luc  O’Neil", "Jean-Luc O'Neil"),
        ("José Núñez", "José Núñez"),
    ],
)
def test_real_name_accepts(typed, expected):
    assert v.real_name(typed) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("张3", "不能包含数字"),
        ("John2", "不能包含数字"),
        ("张", "长度应为2-50个字符"),
        ("张" * 51, "长度应为2-50个字符"),
        ("张San", "只能由汉字"),
        ("·张三", "只能由汉字"),
        ("张三·", "只能由汉字"),
        ("张··三", "只能由汉字"),
        ("John_Smith", "只能由汉字"),
        ("-John", "只能由汉字"),
        ("   ", "请填写真实姓名"),
    ],
)
def test_real_name_rejects(name, expected):
    message = message_of(v.real_name, name)
    assert "真实姓名" in message and expected in message


def test_real_name_label_can_name_another_field():
    assert message_of(v.real_name, "张3", label="法定代表人") == "法定代表人不能包含数字"


# --- 身份证 ---


def test_examples_are_valid_for_stdnum():
    assert ric.is_valid(GB11643_EXAMPLE) and ric.is_valid(STDNUM_RIC_EXAMPLE)


@pytest.mark.parametrize("number", [GB11643_EXAMPLE, STDNUM_RIC_EXAMPLE])
def test_resident_id_accepts_published_examples(number):
    assert v.resident_id(number) == number


def test_resident_id_normalises_lower_case_x_and_separators():
    assert v.resident_id("11010519491231002x") == GB11643_EXAMPLE
    assert v.resident_id(" 110105 19491231 002X ") == GB11643_EXAMPLE
    assert v.resident_id("１１０１０５１９４９１２３１００２Ｘ") == GB11643_EXAMPLE


def test_resident_id_accepts_county_codes_stdnum_dates_out():
    # 110112 (通州区) exists since 1997; people born before then and given their first ID after
    # it carry it, yet stdnum's dated county table rejects them (python-stdnum issue #442).
    number = with_check("11011219850315001")
    assert not ric.is_valid(number)
    assert v.resident_id(number) == number


def test_resident_id_accepts_hk_macao_taiwan_residence_permits():
    for body in ("81000019940823002", "82000019750615004", "83000019800101003"):
        assert v.resident_id(with_check(body)) == with_check(body)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("110105194912310021", "身份证号码校验位不正确"),
        ("11010519491231002Y", "身份证号码前17位应为数字，最后一位为数字或X"),
        ("1101051949123100X2", "身份证号码前17位应为数字，最后一位为数字或X"),
        ("1101051949123100", "身份证号码应为18位"),
        ("11010519491231002X1", "身份证号码应为18位"),
        ("110105491231002", "身份证号码应为18位"),  # first-generation 15-digit numbers are gone since 2013
        (with_check("11010519490230002"), "身份证号码中的出生日期不正确"),  # 30 February
        (with_check("11010519491301002"), "身份证号码中的出生日期不正确"),  # month 13
        (with_check("11010520991231002"), "身份证号码中的出生日期不能晚于今天"),
        ("440524188001010014", "身份证号码中的出生日期不正确"),  # GB 11643's 1880 example
        (with_check("99010519491231002"), "身份证号码的地区码不正确"),
        (with_check("71010519491231002"), "身份证号码的地区码不正确"),
        ("", "请填写身份证号码"),
    ],
)
def test_resident_id_rejects(number, expected):
    assert message_of(v.resident_id, number) == expected


def test_gb11643_1880_example_has_a_valid_check_character():
    # So the rejection above is for the birth date alone.
    assert ric.calc_check_digit("440524188001010014") == "4"


def test_resident_id_label_can_name_another_field():
    assert message_of(v.resident_id, "110105194912310021", label="经办人身份证号码") == "经办人身份证号码校验位不正确"


def test_iso7064_mod11_2_agrees_with_stdnum():
    for body in ("11010519491231002", "36042619910101007", "91184019880605002", "21030219900101123"):
        assert v.iso7064_mod11_2(body) == ric.calc_check_digit(body + "0")


# --- 统一社会信用代码 ---


@pytest.mark.parametrize("code", REAL_CREDIT_CODES)
def test_credit_code_accepts_real_codes(code):
    assert uscc.is_valid(code)
    assert v.credit_code(code) == code


def test_credit_code_normalises_case_and_spaces():
    assert v.credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert v.credit_code("9135 0100 M000 100Y43") == "91350100M000100Y43"


def test_credit_code_accepts_letter_authority_codes():
    # GB 32100 allows letters in the first two characters (Y = 其他), which stdnum's format check does not.
    code = "Y1350100M000100Y4"
    code += uscc.calc_check_digit(code + "0")
    assert not uscc.is_valid(code)
    assert v.credit_code(code) == code


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("91350100M000100Y44", "统一社会信用代码校验位不正确"),
        ("91440300708461136A", "统一社会信用代码校验位不正确"),
        ("91350100M000100Y4", "统一社会信用代码应为18位"),
        ("91350100M000100Y433", "统一社会信用代码应为18位"),
        ("91350100I000100Y43", "统一社会信用代码只能包含数字和大写英文字母"),
        ("9135010OM000100Y43", "统一社会信用代码只能包含数字和大写英文字母"),
        ("", "请填写统一社会信用代码"),
    ],
)
def test_credit_code_rejects(code, expected):
    assert message_of(v.credit_code, code).startswith(expected)


# --- 手机 ---


@pytest.mark.parametrize(
    "typed",
    [
        "13800000000",
        "138 0000 0000",
        "138-0000-0000",
        "+86 138 0000 0000",
        "+8613800000000",
        "+86 (138) 0000-0000",
        "008613800000000",
        "86 13800000000",
        "１３８００００００００",
    ],
)
def test_mobile_accepts_variants(typed):
    assert v.mobile(typed) == "13800000000"


@pytest.mark.parametrize("number", ["19912345678", "16612345678", "14712345678", "17012345678", "15904120000"])
def test_mobile_accepts_other_carriers_prefixes(number):
    assert v.mobile(number) == number


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("024-12345678", "手机号码格式不正确，应为11位中国大陆手机号码"),  # a 沈阳 landline
        ("0412-5591290", "手机号码格式不正确，应为11位中国大陆手机号码"),  # a 鞍山 landline
        ("1380000000", "手机号码格式不正确，应为11位中国大陆手机号码"),
        ("138000000000", "手机号码格式不正确，应为11位中国大陆手机号码"),
        ("12345678901", "手机号码格式不正确，应为11位中国大陆手机号码"),
        ("+852 9123 4567", "请填写中国大陆的手机号码"),
        ("+1 650 253 0000", "请填写中国大陆的手机号码"),
        ("13800000000 ext 1", "手机号码只能包含数字"),
        ("138abcd0000", "手机号码只能包含数字"),
        ("", "请填写手机号码"),
    ],
)
def test_mobile_rejects(typed, expected):
    assert message_of(v.mobile, typed) == expected


def test_mobile_label_can_name_another_field():
    assert message_of(v.mobile, "", label="经办人手机号码") == "请填写经办人手机号码"


# --- 电子邮箱 ---


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("zhangsan@163.com", "zhangsan@163.com"),
        (" zhang.san@qq.com ", "zhang.san@qq.com"),
        ("User@Example.COM", "User@example.com"),
        ("ｚｓ＠ｑｑ．ｃｏｍ", "zs@qq.com"),  # typed in a full-width input mode
        ("张三@例子.中国", "张三@例子.中国"),
    ],
)
def test_email_accepts(typed, expected):
    assert v.email(typed) == expected


@pytest.mark.parametrize(
    "typed", ["zhangsan", "zhangsan@", "a@b", "a@@qq.com", "a..b@qq.com", "a b@qq.com", "a@[127.0.0.1]"]
)
def test_email_rejects(typed):
    assert message_of(v.email, typed) == "电子邮箱格式不正确"


def test_email_missing():
    assert message_of(v.email, "") == "请填写电子邮箱"


# --- 机构名称 ---


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("鞍山钢铁集团有限公司", "鞍山钢铁集团有限公司"),
        ("华为技术(深圳)有限公司", "华为技术（深圳）有限公司"),  # registered names use full-width brackets
        ("北京小米科技有限责任公司", "北京小米科技有限责任公司"),
        ("IBM (China)  Co., Ltd.", "IBM (China) Co., Ltd."),
        ("鞍山市第一中学", "鞍山市第一中学"),
    ],
)
def test_organization_name_accepts(typed, expected):
    assert v.organization_name(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("<script>alert(1)</script>", "机构名称只能包含汉字、英文字母、数字、括号和常用标点"),
        ("鞍山公司@qq", "机构名称只能包含汉字、英文字母、数字、括号和常用标点"),
        ("12345", "机构名称应包含汉字或英文字母"),
        ("鞍", "机构名称长度应为2-100个字符"),
        ("鞍" * 101, "机构名称长度应为2-100个字符"),
        ("", "请填写机构名称"),
    ],
)
def test_organization_name_rejects(typed, expected):
    assert message_of(v.organization_name, typed) == expected


# --- 工商登记机关, 企业类型 ---


@pytest.mark.parametrize("name", ["鞍山市市场监督管理局", "鞍山市铁东区市场监督管理局", "国家市场监督管理总局"])
def test_registration_authority_accepts(name):
    assert v.registration_authority(f" {name} ") == name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("鞍山市市场监督管理局(铁东)", "工商登记机关只能填写汉字"),
        ("鞍山市市场监督管理局（铁东）", "工商登记机关只能填写汉字"),
        ("鞍山市 市场监督管理局", "工商登记机关只能填写汉字"),
        ("Anshan AMR", "工商登记机关只能填写汉字"),
        ("鞍山市2局", "工商登记机关只能填写汉字"),
        ("局", "工商登记机关长度应为2-50个汉字"),
        ("局" * 51, "工商登记机关长度应为2-50个汉字"),
        ("", "请填写工商登记机关"),
    ],
)
def test_registration_authority_rejects(name, expected):
    assert message_of(v.registration_authority, name) == expected


def test_enterprise_types_and_labels():
    assert v.ENTERPRISE_TYPE_LABELS == {
        "for_profit": "盈利性企业",
        "public_institution": "事业单位",
        "social_organization": "社会团体",
    }
    for code in v.ENTERPRISE_TYPE_LABELS:
        assert v.enterprise_type(code) == code


@pytest.mark.parametrize("typed", ["company", "事业单位", "", None])
def test_enterprise_type_rejects(typed):
    assert "企业类型" in message_of(v.enterprise_type, typed)


# --- 法人证件类型 / 法人证件号 ---


def test_legal_rep_id_type_labels():
    assert v.LEGAL_REP_ID_TYPE_LABELS == {
        "resident_id": "居民身份证",
        "passport": "护照",
        "hk_macao_permit": "港澳居民来往内地通行证",
        "taiwan_permit": "台湾居民来往大陆通行证",
        "foreign_permanent_residence": "外国人永久居留身份证",
    }


def test_id_type_labels_is_the_same_map():
    assert v.ID_TYPE_LABELS is v.LEGAL_REP_ID_TYPE_LABELS


def test_mask_document_masks_every_type():
    assert v.mask_document("resident_id", GB11643_EXAMPLE) == "1101**********002X"
    assert v.mask_document("passport", "E12345678") == "E1*****78"


def test_legal_rep_id_type_rejects_unknown():
    message = message_of(v.legal_rep_id_type, "driving_licence")
    assert message.startswith("法人证件类型应为居民身份证、护照")
    assert message_of(v.legal_rep_id, "driving_licence", "123456") == message


VALID_FOREIGN_2023 = "911840198806050020"  # 9 + 11 (北京) + 840 (USA) + 19880605 + 002 + check


@pytest.mark.parametrize(
    ("id_type", "typed", "expected"),
    [
        ("resident_id", "11010519491231002x", GB11643_EXAMPLE),
        ("passport", "E12345678", "E12345678"),  # Chinese e-passport
        ("passport", "EA1234567", "EA1234567"),  # Chinese e-passport since the E-digit series ran out
        ("passport", "G12345678", "G12345678"),  # Chinese passport before 2012
        ("passport", "c01x00t47", "C01X00T47"),  # a German passport number
        ("passport", "123456789", "123456789"),  # a US passport number
        ("passport", "GB 1234567", "GB1234567"),
        ("hk_macao_permit", "H12345678", "H12345678"),
        ("hk_macao_permit", "m87654321", "M87654321"),
        ("hk_macao_permit", "H1234567801", "H1234567801"),  # booklet with its issue count
        ("hk_macao_permit", "H12345678(01)", "H1234567801"),
        ("taiwan_permit", "01234567", "01234567"),
        ("taiwan_permit", "1234567802", "1234567802"),
        ("foreign_permanent_residence", "usa110190101001", "USA110190101001"),  # 2017 card
        ("foreign_permanent_residence", VALID_FOREIGN_2023, VALID_FOREIGN_2023),  # 2023 card
    ],
)
def test_legal_rep_id_accepts(id_type, typed, expected):
    assert v.legal_rep_id(id_type, typed) == expected


def test_foreign_2023_example_has_a_gb11643_check_character():
    assert ric.calc_check_digit(VALID_FOREIGN_2023) == VALID_FOREIGN_2023[-1]


@pytest.mark.parametrize(
    ("id_type", "typed", "expected"),
    [
        ("resident_id", "110105194912310021", "居民身份证号码校验位不正确"),
        ("resident_id", "1101051949", "居民身份证号码应为18位"),
        ("passport", "E123", "护照号码格式不正确，应为5-17位英文字母和数字"),
        ("passport", "ABCDEFGHI", "护照号码格式不正确，应为5-17位英文字母和数字"),
        ("passport", "E1234567890123456789", "护照号码格式不正确，应为5-17位英文字母和数字"),
        ("passport", "E1234567#", "护照号码格式不正确，应为5-17位英文字母和数字"),
        ("hk_macao_permit", "X12345678", "港澳居民来往内地通行证号码格式不正确，应为H或M加8位数字"),
        ("hk_macao_permit", "H1234567", "港澳居民来往内地通行证号码格式不正确，应为H或M加8位数字"),
        ("hk_macao_permit", "12345678", "港澳居民来往内地通行证号码格式不正确，应为H或M加8位数字"),
        ("taiwan_permit", "1234567", "台湾居民来往大陆通行证号码格式不正确，应为8位数字"),
        ("taiwan_permit", "123456789", "台湾居民来往大陆通行证号码格式不正确，应为8位数字"),
        ("taiwan_permit", "A1234567", "台湾居民来往大陆通行证号码格式不正确，应为8位数字"),
        ("foreign_permanent_residence", "911840198806050021", "外国人永久居留身份证号码校验位不正确"),
        ("foreign_permanent_residence", "US1110190101001", "外国人永久居留身份证号码格式不正确"),
        ("foreign_permanent_residence", "811840198806050020", "外国人永久居留身份证号码格式不正确"),
        ("foreign_permanent_residence", "91184019880605002", "外国人永久居留身份证号码格式不正确"),
        ("passport", "", "请填写护照号码"),
    ],
)
def test_legal_rep_id_rejects_naming_the_type(id_type, typed, expected):
    assert message_of(v.legal_rep_id, id_type, typed).startswith(expected)

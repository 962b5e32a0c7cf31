"""One round of errors on 注册 (issue 14): POST /api/accounts/checks names every problem of a form at once, so the
page shows them together with its own checks; POST /api/accounts with problems refuses them all at once too, and
neither reads the SMS code, stores anything or tells whether a phone or ID number has an account."""

from __future__ import annotations

from tests.factories import legal_registration, natural_registration, register, request_sms, sms_code

# A 法人 form with a problem in every field a person can get wrong (empty fields are the page's own check).
MANY_PROBLEMS = {
    "login_name": "1abc",  # must start with a letter
    "password": "12345678",  # all digits
    "real_name": "测试1",
    "id_number": "11010519491231002Y",  # check digit
    "email": "not-an-address",
    "phone": "12800138000",
    "sms_code": "",
    "agreement_accepted": False,
}
ORGANIZATION_PROBLEMS = {
    "name": "",
    "credit_code": "91210300MA0XXXXX1",  # check character
    "registration_authority": "鞍山市市场监督管理局2",
    "legal_representative": "A1",
    "legal_representative_id_number": "12",
    "license_upload_id": "no-such-upload",
    "handler_name": "",
    "handler_id_number": "110105194912310021",
    "handler_phone": "1391234",
}
ALL_FIELDS = {*MANY_PROBLEMS} | {f"organization.{name}" for name in ORGANIZATION_PROBLEMS}


def _many_problems() -> dict:
    body = legal_registration("no-such-upload", **MANY_PROBLEMS)
    body["organization"].update(ORGANIZATION_PROBLEMS)
    return body


def test_every_problem_of_a_form_comes_back_at_once(client) -> None:
    answer = client.post("/api/accounts/checks", json=_many_problems())
    assert answer.status_code == 200, answer.text
    fields = answer.json()["fields"]
    assert set(fields) == ALL_FIELDS, sorted(ALL_FIELDS ^ set(fields))
    assert fields["id_number"] and fields["organization.credit_code"] and "短信验证码" in fields["sms_code"]
    # 提交 itself refuses the same problems, all in one answer.
    refused = client.post("/api/accounts", json=_many_problems())
    assert refused.status_code == 422
    assert set(refused.json()["error"]["fields"]) == ALL_FIELDS


def test_a_good_form_has_no_problems_and_nothing_is_registered(services, client) -> None:
    body = natural_registration(sms_code="123456")
    assert client.post("/api/accounts/checks", json=body).json() == {"fields": {}}
    assert services.table.get("LOGIN#zhang_wei01", "ACCOUNT") is None


def test_checking_neither_uses_the_code_nor_names_a_registered_phone(services, client) -> None:
    assert register(services, client).status_code == 201
    # Someone else's form with the same phone and ID number: the check does not say they are taken.
    other = natural_registration(login_name="li_si_02", sms_code="000000")
    assert client.post("/api/accounts/checks", json=other).json() == {"fields": {}}
    # A form with problems, with a real code: the code is still good for the corrected form afterwards.
    phone = "13800138009"
    request_sms(services, client, phone)
    code = sms_code(services, phone)
    wrong = natural_registration(login_name="wang_wu_03", phone=phone, id_number="11010519491231002Y", sms_code=code)
    assert client.post("/api/accounts", json=wrong).status_code == 422
    assert client.post("/api/accounts/checks", json=wrong).json()["fields"].keys() == {"id_number"}
    fixed = natural_registration(login_name="wang_wu_03", phone=phone, id_number="110105199003070017", sms_code=code)
    assert client.post("/api/accounts", json=fixed).status_code == 201

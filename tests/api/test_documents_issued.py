"""结果文书 issued by staff decisions, and 文书核验 (GET /api/documents/verify), on both backends: a decision that ends
an application issues a PDF (文号 unique per issuer and year, stored write-once with its sha256) listed in the detail
of applicant and staff, told in 消息中心; anyone can check it by code or by the file's hash; forgeries are not valid."""

from __future__ import annotations

import hashlib
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from functions.repositories import rate_limits
from functions.repositories.errors import Conflict
from tests.api.conftest import needs_thread_safe_backend
from tests.api.test_applications import other_applicant, staff_client
from tests.api.test_result_documents import text_of
from tests.factories import complete_draft, download, login, register

NUMBER = re.compile(r"^甲行审许准字〔\d{4}〕第\d{4}号$")  # the 局 issues, by its 机关代字 (fixture content)


@pytest.fixture
def applicant(services, client):
    register(services, client)
    assert login(services, client).status_code == 200
    return client


def decided(services, applicant, *actions: tuple[str, str], staff: str = "shenpi_as01") -> tuple[str, dict]:
    """A submitted application taken through staff actions; its id and the applicant's detail afterwards."""
    application_id = complete_draft(applicant)
    assert applicant.post(f"/api/applications/{application_id}/submit").status_code == 200
    staff_member = staff_client(services, applicant, login_name=staff)
    for action, comment in actions:
        services.clock.advance(60)
        answer = staff_member.post(
            f"/api/review/applications/{application_id}/actions", json={"action": action, "comment": comment}
        )
        assert answer.status_code == 200, answer.text
    return application_id, applicant.get(f"/api/applications/{application_id}").json()


def approved(services, applicant, staff: str = "shenpi_as01") -> tuple[str, dict]:
    return decided(services, applicant, ("accept", "予以受理"), ("approve", "符合法定条件"), staff=staff)


def verify(client, **query):
    return client.get("/api/documents/verify", params=query)


def test_approval_issues_a_decision_document(services, applicant) -> None:
    _, detail = approved(services, applicant)
    [document] = detail["documents"]
    assert NUMBER.match(document["document_number"]), document["document_number"]
    assert document["title"] and document["issued_at"].endswith("+08:00")
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", document["verification_code"])
    pdf = download(applicant, document["download_url"])
    assert pdf.startswith(b"%PDF-") and hashlib.sha256(pdf).hexdigest() == document["sha256"]
    assert len(pdf) == document["size"]
    squeezed = text_of(pdf)
    for printed in (document["document_number"], document["verification_code"], "测试用户", "养犬首次登记"):
        assert "".join(printed.split()) in squeezed, printed


def test_my_applications_offers_the_document_from_the_list(services, applicant) -> None:
    application_id, detail = approved(services, applicant)
    row = next(item for item in applicant.get("/api/applications").json()["items"] if item["id"] == application_id)
    [document] = row["documents"]
    assert document["document_number"] == detail["documents"][0]["document_number"]
    assert hashlib.sha256(download(applicant, document["download_url"])).hexdigest() == document["sha256"]


def test_the_staff_see_the_document_and_the_applicant_is_told(services, applicant) -> None:
    application_id, detail = approved(services, applicant)
    staff = staff_client(services, applicant, login_name="shenpi_as02")
    seen = staff.get(f"/api/review/applications/{application_id}").json()["documents"]
    assert [d["document_number"] for d in seen] == [detail["documents"][0]["document_number"]]
    newest = applicant.get("/api/messages").json()["items"][0]
    assert newest["kind"] == "document" and newest["application_id"] == application_id
    assert detail["documents"][0]["document_number"] in newest["text"]
    assert detail["documents"][0]["verification_code"] in newest["text"]


@pytest.mark.parametrize(
    ("actions", "word"),
    [
        ((("accept", "予以受理"), ("deny", "不符合法定条件")), "不许字"),
        ((("reject", "不属于本部门职权范围"),), "不受字"),
    ],
)
def test_a_refusal_issues_its_own_document(services, applicant, actions, word) -> None:
    _, detail = decided(services, applicant, *actions)
    [document] = detail["documents"]
    assert word in document["document_number"]
    text = text_of(download(applicant, document["download_url"]))
    assert actions[-1][1] in text  # the reasons, as 《行政许可法》 requires them stated


def test_steps_that_do_not_end_the_application_issue_nothing(services, applicant) -> None:
    _, detail = decided(services, applicant, ("accept", "予以受理"))
    assert detail["documents"] == []


def test_document_numbers_count_per_issuer_and_year(services, applicant) -> None:
    _, first = approved(services, applicant)
    other = other_applicant(services, applicant)
    _, second = approved(services, other, staff="shenpi_as02")
    numbers = [first["documents"][0]["document_number"], second["documents"][0]["document_number"]]
    assert [n[-6:] for n in numbers] == ["第0001号", "第0002号"]


def test_simultaneous_numbers_are_never_shared(services) -> None:
    needs_thread_safe_backend(services)
    with ThreadPoolExecutor(8) as pool:
        numbers = list(pool.map(lambda _: services.result_documents.next_sequence("210300", "bureau", 2026), range(40)))
    assert sorted(numbers) == list(range(1, 41))


def test_a_stored_document_is_never_overwritten(services, applicant) -> None:
    _, detail = approved(services, applicant)
    document = detail["documents"][0]
    key = services.applications.get(detail["id"])["documents"][0]["key"]
    with pytest.raises(Conflict):
        services.result_documents.store(key, b"%PDF-1.4 forged")
    assert hashlib.sha256(services.blobs.read(key)).hexdigest() == document["sha256"]


def test_the_code_verifies_with_the_holder_masked(services, applicant) -> None:
    _, detail = approved(services, applicant)
    document = detail["documents"][0]
    applicant.cookies.clear()  # the verify page needs no login
    answer = verify(applicant, code=document["verification_code"])
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    body = answer.json()
    assert body["valid"] is True
    assert body["holder_masked"] == "测**户"  # 测试用户
    assert body["document_number"] == document["document_number"] and body["sha256"] == document["sha256"]
    assert body["subitem_name"] == "养犬首次登记" and body["department_name"] and body["issued_at"]
    assert detail["id"] not in answer.text and "测试用户" not in answer.text
    typed = document["verification_code"].lower().replace("-", " ")
    assert verify(applicant, code=typed).json()["valid"] is True


def test_a_forged_code_or_hash_is_not_valid(services, applicant) -> None:
    _, detail = approved(services, applicant)
    document = detail["documents"][0]
    code = document["verification_code"]
    forged = code[:-1] + ("2" if code[-1] != "2" else "3")
    assert verify(applicant, code=forged).json() == {"valid": False} | dict.fromkeys(
        ("document_number", "title", "subitem_name", "department_name", "issued_at", "holder_masked", "sha256")
    )
    pdf = download(applicant, document["download_url"])
    assert verify(applicant, sha256=hashlib.sha256(pdf).hexdigest()).json()["valid"] is True
    tampered = pdf.replace(b"%PDF-", b"%PDF-\n%changed", 1)
    assert verify(applicant, sha256=hashlib.sha256(tampered).hexdigest()).json()["valid"] is False
    # The code with another file: not this document.
    assert verify(applicant, code=code, sha256=hashlib.sha256(tampered).hexdigest()).json()["valid"] is False
    assert verify(applicant, code=code, sha256=document["sha256"].upper()).json()["valid"] is True


def test_malformed_queries_name_the_field(client) -> None:
    assert verify(client).json()["error"]["fields"] == {"code": "请输入验证码"}
    bad_code = verify(client, code="ABC")
    assert bad_code.status_code == 422 and bad_code.json()["error"]["fields"] == {"code": "验证码应为 16 位字母和数字"}
    bad_hash = verify(client, sha256="xyz")
    assert bad_hash.status_code == 422 and set(bad_hash.json()["error"]["fields"]) == {"sha256"}


def test_verification_is_limited_per_address(services, client) -> None:
    for _ in range(rate_limits.VERIFY.requests):
        assert verify(client, code="0000-0000-0000-0000").status_code == 200
    limited = verify(client, code="0000-0000-0000-0000")
    assert limited.status_code == 429 and "核验文书过于频繁" in limited.json()["error"]["message"]


def test_a_decision_that_loses_the_race_leaves_no_document(services, applicant, monkeypatch) -> None:
    application_id, _ = decided(services, applicant, ("accept", "予以受理"))
    staff = staff_client(services, applicant, login_name="shenpi_as03")
    real_save = services.applications.save
    stored_keys: list[str] = []

    def save_after_someone_else(app, changes, extra=None):
        stored_keys.extend(document["key"] for document in changes.get("documents", []))
        real_save(app, {"updated_at": app["updated_at"] + 1})  # another staff member, a moment earlier
        return real_save(app, changes, extra)

    monkeypatch.setattr(services.applications, "save", save_after_someone_else)
    refused = staff.post(
        f"/api/review/applications/{application_id}/actions", json={"action": "approve", "comment": "同意"}
    )
    assert refused.status_code == 409
    monkeypatch.undo()
    assert services.applications.get(application_id)["status"] == "accepted"
    assert stored_keys and services.blobs.head(stored_keys[0]) is None  # its PDF discarded
    assert applicant.get(f"/api/applications/{application_id}").json()["documents"] == []

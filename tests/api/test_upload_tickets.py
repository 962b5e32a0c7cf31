"""Immutable materials (issue 9): a ticket writes one object once, and what /complete checked is what is kept.

An S3 presigned POST stays good until it expires, so on aws a ticket can be sent again; the local backend
refuses that. On both, nothing reads a ticket's object after /complete: the record, the application's
material and every download stay the bytes that were checked.
"""

from __future__ import annotations

import hashlib
import io
from urllib.parse import unquote, urlparse

import pytest
from PIL import Image

from tests.factories import (
    PDF,
    SUBITEM,
    download,
    legal_registration,
    login,
    png_bytes,
    register,
    request_sms,
    send_file,
    sms_code,
    upload_ticket,
)

# Other bytes of the same size, as valid as the first: what someone holding the ticket could send instead.
OTHER_PDF = PDF.replace(b"595", b"594")
USED = "上传凭证已使用过，请重新选择文件上传"


def _other_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 40), (30, 30, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def applicant(services, client):
    register(services, client)
    login(services, client)
    return client


def _draft(applicant) -> str:
    app = applicant.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM}).json()
    applicant.put(
        f"/api/applications/{app['id']}/form", json={"form_data": {"dog_name": "旺财", "breed": "中华田园犬"}}
    )
    return app["id"]


def _material_ticket(applicant, app_id: str) -> dict:
    ticket = upload_ticket(
        applicant, PDF, "application/pdf", "申请表.pdf", "material", application_id=app_id, material_id="form"
    )
    assert ticket.status_code == 201, ticket.text
    return ticket.json()


def _resend(client, ticket: dict, data: bytes, content_type: str = "application/pdf"):
    return send_file(client, ticket, data, content_type, "申请表.pdf")


def _attached_file(applicant, app_id: str) -> dict:
    (file,) = next(m for m in applicant.get(f"/api/applications/{app_id}").json()["materials"] if m["id"] == "form")[
        "files"
    ]
    return file


def _assert_resend_refused_locally(services, response) -> None:
    if services.settings.backend == "local":
        assert response.status_code == 409
        assert response.json()["error"]["message"] == USED
    else:
        assert response.status_code in (200, 201, 204)  # S3 takes it: the ticket is good until it expires


def test_ticket_reuse_after_complete_changes_nothing(services, applicant) -> None:
    app_id = _draft(applicant)
    ticket = _material_ticket(applicant, app_id)
    assert _resend(applicant, ticket, PDF).status_code in (200, 201, 204)
    completed = applicant.post(f"/api/uploads/{ticket['upload_id']}/complete")
    assert completed.status_code == 200, completed.text
    assert completed.json()["sha256"] == _sha256(PDF)
    record = services.table.get(f"UPLOAD#{ticket['upload_id']}", "UPLOAD")
    applicant.put(f"/api/applications/{app_id}/materials/form", json={"upload_ids": [ticket["upload_id"]]})

    _assert_resend_refused_locally(services, _resend(applicant, ticket, OTHER_PDF))
    again = applicant.post(f"/api/uploads/{ticket['upload_id']}/complete")
    assert again.status_code == 200 and again.json() == completed.json()
    assert services.table.get(f"UPLOAD#{ticket['upload_id']}", "UPLOAD") == record
    file = _attached_file(applicant, app_id)
    assert (file["sha256"], file["size"]) == (_sha256(PDF), len(PDF))
    assert download(applicant, file["download_url"]) == PDF

    submitted = applicant.post(f"/api/applications/{app_id}/submit", headers={"Idempotency-Key": "t1"})
    assert submitted.status_code == 200, submitted.text
    _assert_resend_refused_locally(services, _resend(applicant, ticket, OTHER_PDF))
    applicant.post(f"/api/uploads/{ticket['upload_id']}/complete")
    file = _attached_file(applicant, app_id)
    assert file["sha256"] == _sha256(PDF) and download(applicant, file["download_url"]) == PDF
    assert services.table.get(f"UPLOAD#{ticket['upload_id']}", "UPLOAD") == record


def test_local_ticket_reuse_before_complete_is_refused(services, applicant) -> None:
    if services.settings.backend != "local":
        pytest.skip("an S3 presigned POST is good until it expires; /complete checks whatever was sent last")
    app_id = _draft(applicant)
    ticket = _material_ticket(applicant, app_id)
    assert _resend(applicant, ticket, PDF).status_code == 204
    _assert_resend_refused_locally(services, _resend(applicant, ticket, OTHER_PDF))

    completed = applicant.post(f"/api/uploads/{ticket['upload_id']}/complete").json()
    applicant.put(f"/api/applications/{app_id}/materials/form", json={"upload_ids": [ticket["upload_id"]]})
    assert download(applicant, _attached_file(applicant, app_id)["download_url"]) == PDF
    assert completed["sha256"] == _sha256(PDF)


def test_expired_ticket_is_refused(services, applicant, clock) -> None:
    if services.settings.backend != "local":
        pytest.skip("moto does not evaluate POST policies; S3 itself refuses an expired one (tests/storage)")
    ticket = _material_ticket(applicant, _draft(applicant))
    clock.advance(601)
    response = _resend(applicant, ticket, PDF)
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "上传凭证已过期，请重新选择文件上传"
    assert applicant.post(f"/api/uploads/{ticket['upload_id']}/complete").json()["error"]["code"] == "not_uploaded"


def test_download_link_serves_the_checked_key(services, applicant) -> None:
    app_id = _draft(applicant)
    ticket = _material_ticket(applicant, app_id)
    _resend(applicant, ticket, PDF)
    applicant.post(f"/api/uploads/{ticket['upload_id']}/complete")
    applicant.put(f"/api/applications/{app_id}/materials/form", json={"upload_ids": [ticket["upload_id"]]})

    key = services.table.get(f"UPLOAD#{ticket['upload_id']}", "UPLOAD")["key"]
    assert key == f"evidence/materials/{app_id}/form/{ticket['upload_id']}.pdf"
    assert ticket["fields"]["key"] == f"incoming/{ticket['upload_id']}.pdf"  # the ticket never names it
    assert services.blobs.head(ticket["fields"]["key"]) is None  # and its object is gone once checked
    url = _attached_file(applicant, app_id)["download_url"]
    if services.settings.backend == "local":
        assert services.blobs.resolve_get(url.rsplit("/", 1)[1])[0] == key
    else:
        assert unquote(urlparse(url).path).endswith("/" + key)
    assert download(applicant, url) == PDF


def test_local_downloads_serve_only_checked_keys(services, applicant) -> None:
    if services.settings.backend != "local":
        pytest.skip("the local download route; S3 serves what the presigned GET names")
    ticket = _material_ticket(applicant, _draft(applicant))
    _resend(applicant, ticket, PDF)  # in incoming/, not yet checked
    link = services.blobs.presigned_get(ticket["fields"]["key"], 60, "申请表.pdf")
    response = applicant.get(link)
    assert response.status_code == 404 and response.json()["error"]["message"] == "文件不存在"


def test_licence_ticket_reuse_does_not_change_the_claimed_licence(services, client) -> None:
    ticket = upload_ticket(client, png_bytes()).json()
    assert send_file(client, ticket, png_bytes()).status_code in (200, 201, 204)
    completed = client.post(f"/api/uploads/{ticket['upload_id']}/complete").json()
    quarantine_key = services.table.get(f"UPLOAD#{ticket['upload_id']}", "UPLOAD")["key"]
    assert quarantine_key == f"quarantine/{ticket['upload_id']}.png"
    _assert_resend_refused_locally(services, send_file(client, ticket, _other_png()))

    body = legal_registration(ticket["upload_id"])
    request_sms(services, client, body["phone"])
    registered = client.post("/api/accounts", json={**body, "sms_code": sms_code(services, body["phone"])})
    assert registered.status_code == 201, registered.text
    _assert_resend_refused_locally(services, send_file(client, ticket, _other_png()))
    client.post(f"/api/uploads/{ticket['upload_id']}/complete")

    licence_key = services.table.get(f"ACCOUNT#{registered.json()['id']}", "PROFILE")["organization"]["license_key"]
    assert services.blobs.read(licence_key) == png_bytes() and _sha256(png_bytes()) == completed["sha256"]
    assert licence_key.startswith("evidence/licences/")
    assert services.blobs.head(quarantine_key) is None

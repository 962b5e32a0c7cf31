"""Business-licence uploads: checked by their real bytes, quarantined until a registration claims them."""

from __future__ import annotations

from tests.factories import (
    CREDIT_CODE,
    legal_registration,
    login,
    png_bytes,
    request_sms,
    send_file,
    sms_code,
    upload_file,
    upload_ticket,
)


def test_licence_upload_and_legal_registration(services, client) -> None:
    completed = upload_file(client, png_bytes())
    assert completed.status_code == 200, completed.text
    upload = completed.json()
    assert upload["content_type"] == "image/png" and len(upload["sha256"]) == 64

    body = legal_registration(upload["upload_id"])
    request_sms(services, client, body["phone"])
    body["sms_code"] = sms_code(services, body["phone"])
    response = client.post("/api/accounts", json=body)
    assert response.status_code == 201, response.text
    account = response.json()
    assert account["display_name"] == "鞍山市示例科技有限公司"
    org = account["organization"]
    assert org["credit_code"] == CREDIT_CODE and org["enterprise_type_label"] == "盈利性企业"
    assert org["handler_phone"] == "139****5678" and org["legal_representative_id_number"] != "E12345678"

    record = services.table.get(f"UPLOAD#{upload['upload_id']}", "UPLOAD")
    assert record["claimed_by"] == account["id"] and "expires_at" not in record
    stored = services.table.get(f"ACCOUNT#{account['id']}", "PROFILE")["organization"]["license_key"]
    assert stored.startswith("evidence/licences/") and services.blobs.read(stored) == png_bytes()
    assert login(services, client, login_name="org_admin01").json()["display_name"] == "鞍山市示例科技有限公司"


def test_credit_code_unique_among_legal_accounts(services, client) -> None:
    first = upload_file(client, png_bytes()).json()["upload_id"]
    body = legal_registration(first)
    request_sms(services, client, body["phone"])
    assert client.post("/api/accounts", json={**body, "sms_code": sms_code(services, body["phone"])}).status_code == 201
    services.clock.advance(61)
    second = upload_file(client, png_bytes()).json()["upload_id"]
    again = legal_registration(second, login_name="org_admin02")
    request_sms(services, client, again["phone"])
    response = client.post("/api/accounts", json={**again, "sms_code": sms_code(services, again["phone"])})
    assert response.status_code == 409
    assert response.json()["error"]["fields"] == {"organization.credit_code": "该统一社会信用代码已注册法人账号"}


def test_disguised_file_is_deleted_and_reported(services, client) -> None:
    response = upload_file(client, b"%PDF-1.7 not an image at all", content_type="image/png")
    assert response.status_code == 422 and "file" in response.json()["error"]["fields"]


def test_broken_image_is_refused(services, client) -> None:
    response = upload_file(client, b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["file"].endswith("：图片已损坏，无法打开")


def test_wrong_type_or_size_refused_before_upload(client) -> None:
    pdf = upload_file(client, b"%PDF-1.7", content_type="application/pdf", filename="licence.pdf")
    assert pdf.status_code == 422 and "content_type" in pdf.json()["error"]["fields"]
    huge = upload_file(client, b"x", declared_size=6 * 1024 * 1024)
    assert huge.status_code == 422 and "size" in huge.json()["error"]["fields"]


def test_never_uploaded(client) -> None:
    ticket = client.post(
        "/api/uploads",
        json={"purpose": "business_license", "filename": "a.png", "content_type": "image/png", "size": 100},
    ).json()
    response = client.post(f"/api/uploads/{ticket['upload_id']}/complete")
    assert response.status_code == 422 and response.json()["error"]["code"] == "not_uploaded"


def test_registration_needs_a_completed_licence(services, client) -> None:
    body = legal_registration("no-such-upload")
    request_sms(services, client, body["phone"])
    response = client.post("/api/accounts", json={**body, "sms_code": sms_code(services, body["phone"])})
    assert response.status_code == 422 and "organization.license_upload_id" in response.json()["error"]["fields"]


def test_unclaimed_upload_expires(services, client) -> None:
    upload_id = upload_file(client, png_bytes()).json()["upload_id"]
    services.clock.advance(86401)
    assert services.table.get(f"UPLOAD#{upload_id}", "UPLOAD") is None


def test_local_quarantine_files_expire_at_start(services, client, clock) -> None:
    """Locally, a restart removes unclaimed licence images and never-completed uploads older than a day (S3's
    lifecycle rules on aws)."""
    if services.settings.backend != "local":
        return
    from functions.services import build_services

    upload_id = upload_file(client, png_bytes()).json()["upload_id"]
    key = services.table.get(f"UPLOAD#{upload_id}", "UPLOAD")["key"]
    ticket = upload_ticket(client, png_bytes()).json()
    assert send_file(client, ticket, png_bytes()).status_code == 204  # sent, never completed
    incoming = ticket["fields"]["key"]
    clock.advance(86000)
    build_services(services.settings, clock=clock)
    assert services.blobs.head(key) is not None and services.blobs.head(incoming) is not None  # younger than a day
    clock.advance(401)
    build_services(services.settings, clock=clock)
    assert services.blobs.head(key) is None and services.blobs.head(incoming) is None

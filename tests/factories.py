"""Helpers that change fixture content files in one place, the way an editor would."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from sitegen.loading import FRONT_MATTER


def edit_yaml(path: Path, change: Callable[[Any], object]) -> None:
    """Load a YAML file, let `change` edit the data in place (its return value is ignored), write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def edit_front_matter(path: Path, change: Callable[[dict], object]) -> None:
    """Edit the YAML front matter of a sub-item guide in place, keeping its Markdown body."""
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    front = yaml.safe_load(match.group(1))
    change(front)
    path.write_text(f"---\n{yaml.safe_dump(front, allow_unicode=True)}---\n{match.group(2)}", encoding="utf-8")


# ---- API helpers: what a person would read off the screen or their phone ----

NATURAL_ID = "11010519491231002X"  # the worked example of GB 11643-1999
CREDIT_CODE = "91350100M000100Y43"  # a published example with a valid GB 32100 check character


def solve_captcha(services, client) -> dict[str, str]:
    """Ask for a captcha and read its answer as a person would read the image (from the store)."""
    captcha_id = client.get("/api/captcha").json()["captcha_id"]
    answer = services.table.get(f"CAPTCHA#{captcha_id}", "CAPTCHA")["answer"]
    return {"captcha_id": captcha_id, "captcha_answer": answer.lower()}


def sms_messages(services) -> list[tuple[str, str]]:
    """(phone, text) of every SMS sent, oldest first, on either backend."""
    if services.settings.backend == "local":
        return [(m["phone"], m["text"]) for m in services.sms.messages()]
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns.models import sns_backends

    sent = sns_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sms_messages.values()
    return [(phone.removeprefix("+86"), text) for phone, text in sent]


def sms_code(services, phone: str) -> str:
    import re

    text = [text for to, text in sms_messages(services) if to == phone][-1]
    return re.search(r"\b(\d{6})\b", text).group(1)


def request_sms(services, client, phone: str, purpose: str = "register", login_name: str | None = None):
    """获取验证码; 找回密码 names the account (login_name), as its page does."""
    body = {"phone": phone, "purpose": purpose, **solve_captcha(services, client)}
    if login_name:
        body["login_name"] = login_name
    return client.post("/api/sms-codes", json=body)


def natural_registration(**overrides) -> dict:
    body = {
        "account_type": "natural",
        "login_name": "zhang_wei01",
        "password": "Liaoning2026ok",
        "real_name": "测试用户",
        "id_number": NATURAL_ID,
        "email": "user@example.cn",
        "phone": "13800138000",
        "agreement_accepted": True,
    }
    body.update(overrides)
    return body


def register(services, client, **overrides):
    """Register through the API as the page does: SMS code first, then the form."""
    body = natural_registration(**overrides)
    request_sms(services, client, body["phone"])
    body.setdefault("sms_code", sms_code(services, body["phone"]))
    return client.post("/api/accounts", json=body)


def login(services, client, login_name: str = "zhang_wei01", password: str = "Liaoning2026ok"):
    return client.post(
        "/api/sessions", json={"login_name": login_name, "password": password, **solve_captcha(services, client)}
    )


def signed_in(client) -> bool:
    """Whether the client's session still signs it in: GET /api/me answers 200 either way."""
    answer = client.get("/api/me")
    assert answer.status_code == 200, answer.text
    return bool(answer.json()["signed_in"])


def png_bytes(width: int = 64, height: int = 40) -> bytes:
    """A real, decodable PNG, like a photographed licence."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload_ticket(
    client,
    data: bytes,
    content_type: str = "image/png",
    filename: str = "licence.png",
    purpose: str = "business_license",
    declared_size: int | None = None,
    **target,
):
    """POST /api/uploads as the page does before sending a file; target: application_id and material_id."""
    return client.post(
        "/api/uploads",
        json={
            "purpose": purpose,
            "filename": filename,
            "content_type": content_type,
            "size": declared_size or len(data),
            **target,
        },
    )


def send_file(client, ticket: dict, data: bytes, content_type: str = "image/png", filename: str = "licence.png"):
    """The browser's multipart POST of a ticket's fields plus the file: to the local route or to S3 (moto).

    A ticket may be sent again with other bytes, as anyone holding it could.
    """
    import requests

    files = {"file": (filename, data, content_type)}
    if ticket["url"].startswith("/"):
        return client.post(ticket["url"], data=ticket["fields"], files=files)
    return requests.post(ticket["url"], data=ticket["fields"], files=files, timeout=30)


def download(client, url: str) -> bytes:
    """The bytes a download link serves (the local route, or S3's presigned GET under moto)."""
    import requests

    response = client.get(url) if url.startswith("/") else requests.get(url, timeout=30)
    assert response.status_code == 200, response.text
    return response.content


def upload_file(
    client,
    data: bytes,
    content_type: str = "image/png",
    filename: str = "licence.png",
    purpose: str = "business_license",
    declared_size: int | None = None,
):
    """Do what the page does: get a ticket, POST the file where it says, then ask the API to check it."""
    ticket = upload_ticket(client, data, content_type, filename, purpose, declared_size)
    if ticket.status_code != 201:
        return ticket
    ticket = ticket.json()
    sent = send_file(client, ticket, data, content_type, filename)
    if sent.status_code not in (200, 201, 204):
        return sent
    return client.post(f"/api/uploads/{ticket['upload_id']}/complete")


def legal_registration(upload_id: str, **overrides) -> dict:
    body = natural_registration(account_type="legal", login_name="org_admin01", real_name="经办测试")
    body["organization"] = {
        "name": "鞍山市示例科技有限公司",
        "enterprise_type": "for_profit",
        "credit_code": CREDIT_CODE,
        "registration_authority": "鞍山市市场监督管理局",
        "legal_representative": "法人测试",
        "legal_representative_id_type": "passport",
        "legal_representative_id_number": "E12345678",
        "license_upload_id": upload_id,
        "handler_name": "经办测试",
        "handler_id_number": NATURAL_ID,
        "handler_phone": "13912345678",
    }
    body.update(overrides)
    return body


def pdf_bytes(pages: int = 1) -> bytes:
    """A real, plain PDF (blank A4 pages), as a scanner's software would write it."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = pdf_bytes()
SUBITEM = "210300-XK-0001-01"  # the fixture's online 养犬首次登记 of 甲市 (210300)


def upload_material(
    client,
    application_id: str,
    material_id: str,
    data: bytes = PDF,
    content_type: str = "application/pdf",
    filename: str = "材料.pdf",
):
    """Upload one file for a material of a draft, as the application page does."""
    ticket = upload_ticket(
        client, data, content_type, filename, "material", application_id=application_id, material_id=material_id
    )
    if ticket.status_code != 201:
        return ticket
    ticket = ticket.json()
    send_file(client, ticket, data, content_type, filename)
    return client.post(f"/api/uploads/{ticket['upload_id']}/complete")


def complete_draft(client, subitem: str = SUBITEM, region: str = "210300") -> str:
    """A draft with every required field and material: ready for 下一步 → 是."""
    app = client.post("/api/applications", json={"region": region, "subitem_code": subitem}).json()
    client.put(f"/api/applications/{app['id']}/form", json={"form_data": {"dog_name": "旺财", "breed": "中华田园犬"}})
    upload_id = upload_material(client, app["id"], "form").json()["upload_id"]
    client.put(f"/api/applications/{app['id']}/materials/form", json={"upload_ids": [upload_id]})
    return app["id"]

"""Uploaded evidence is checked by its content with pypdf and Pillow: what a polyglot or an active PDF carries
never reaches the department (issue 9: real content checks)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from functions.file_types import image_problem, pdf_problem
from tests.factories import PDF, png_bytes, upload_file

ZIP = b"PK\x03\x04" + b"\x00" * 26 + b"payload.html<script>alert(1)</script>" + b"PK\x05\x06" + b"\x00" * 18


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _pdf_with_open_action(kind: str, **entries: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    action.update({NameObject(f"/{key}"): TextStringObject(value) for key, value in entries.items()})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _written(writer)


def _pdf_with_script() -> bytes:
    return _pdf_with_open_action("/JavaScript", JS="app.alert('x');")


def _pdf_with_script_in_disguise() -> bytes:
    """/JavaScript and /JS spelt with #xx escapes, which a filter that greps the raw bytes would miss."""
    return _pdf_with_script().replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS", b"/J#53")


def _pdf_with_attachment() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("readme.html", b"<script>alert(1)</script>")
    return _written(writer)


def _pdf_with_launch() -> bytes:
    return _pdf_with_open_action("/Launch", F="cmd.exe")


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 190, 180)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_plain_files_pass() -> None:
    assert pdf_problem(PDF) is None
    assert image_problem("image/png", png_bytes()) is None
    assert image_problem("image/jpeg", _jpeg()) is None


@pytest.mark.parametrize(
    "data, problem",
    [
        (b"%PDF-1.4\n<html><script>alert(1)</script></html>" + ZIP, "结尾之后还有其他数据"),
        (PDF + ZIP, "结尾之后还有其他数据"),
        (b"%PDF-1.7\n" + b"x" * 200 + b"\n%%EOF\n", "已损坏"),
        (_pdf_with_script(), "含有脚本"),
        (_pdf_with_script_in_disguise(), "含有脚本"),
        (_pdf_with_attachment(), "内嵌文件"),
        (_pdf_with_launch(), "自动运行"),
    ],
)
def test_pdf_refused(data: bytes, problem: str) -> None:
    assert problem in (pdf_problem(data) or "")


@pytest.mark.parametrize(
    "content_type, data",
    [
        ("image/png", png_bytes() + ZIP),
        ("image/jpeg", _jpeg() + ZIP),
    ],
)
def test_image_with_something_appended_refused(content_type: str, data: bytes) -> None:
    assert "结尾之后还有其他数据" in (image_problem(content_type, data) or "")


def test_polyglot_upload_refused_naming_the_file(services, client) -> None:
    response = upload_file(client, png_bytes() + ZIP, filename="营业执照.png")
    assert response.status_code == 422
    assert (
        response.json()["error"]["fields"]["file"] == "文件“营业执照.png”：图片结尾之后还有其他数据，可能夹带了其他文件"
    )


def test_a_body_larger_than_declared_is_never_accepted(services, client) -> None:
    """Declared 1,000 bytes, sent more: the store refuses the body (the ticket's signed size), and where a store
    does not enforce it (moto), /complete refuses the object and deletes it."""
    image = png_bytes(400, 300)
    assert len(image) > 1000
    response = upload_file(client, image, declared_size=1000)
    assert response.status_code in (400, 403, 413, 422)
    if response.request.url.path.endswith("/complete"):
        assert "与上传前申报的（1000 字节）不一致" in response.json()["error"]["fields"]["file"]


def test_the_declared_size_is_the_tickets_limit(services, client) -> None:
    import base64
    import json

    ticket = client.post(
        "/api/uploads",
        json={"purpose": "business_license", "filename": "licence.png", "content_type": "image/png", "size": 1234},
    ).json()
    encoded = next(value for name, value in ticket["fields"].items() if name.lower() == "policy")
    policy = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    if "conditions" in policy:  # S3's policy
        assert ["content-length-range", 1, 1234] in policy["conditions"]
    else:  # the local store's own signed policy
        assert policy["max_size"] == 1234

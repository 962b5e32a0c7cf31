"""What an uploaded file really is, judged by its bytes, never by its name or declared type."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pypdf import PdfReader

# Leading bytes of each accepted type (PDF, JPEG, PNG).
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
FORMAT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def sniff(head: bytes) -> str | None:
    """The content type the first bytes announce, or None if they are none of ours."""
    for content_type, signatures in SIGNATURES.items():
        if head.startswith(signatures):
            return content_type
    return None


def image_decodes(data: bytes) -> bool:
    """A JPEG or PNG whose header is right but whose body is not an image is refused."""
    from PIL import Image  # Pillow only for the requests that check an image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
        return True
    except Exception:  # Pillow raises many kinds for broken files; all mean "not an image"
        return False


# PDF features a scanned document never needs and an attacker uses: scripts, launching programs, files inside.
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/GoToE"}
_ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/RichMedia", "/XFA"}
_PNG_END = b"IEND\xaeB`\x82"


def pdf_problem(data: bytes) -> str | None:
    """Why a PDF is refused (Chinese, for the applicant), or None: it must parse, end at its last %%EOF and carry
    no script, launch action or embedded file. Names are compared as pypdf decodes them, so #xx escapes do not
    hide a /JavaScript."""
    if not data.rstrip(b" \t\r\n\x00\x0c").endswith(b"%%EOF"):
        return "PDF 文件结尾之后还有其他数据，可能夹带了其他文件"
    from pypdf import PdfReader  # only for the requests that check a PDF

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if len(reader.pages) == 0:
            return "PDF 文件没有任何页面"
        if any(_is_active(obj) for obj in _pdf_objects(reader)):
            return "PDF 文件含有脚本、自动运行的动作或内嵌文件，请另存为普通 PDF 后再上传"
    except Exception:  # pypdf raises many kinds for broken files; all mean "cannot be read"
        return "PDF 文件已损坏，无法打开"
    return None


def _pdf_objects(reader: PdfReader) -> Iterator[Any]:
    """Every object of the file, those inside object streams included."""
    from pypdf.generic import IndirectObject

    for generation, numbers in reader.xref.items():
        for number in numbers:
            yield reader.get_object(IndirectObject(number, generation, reader))
    for number in reader.xref_objStm:
        yield reader.get_object(IndirectObject(number, 0, reader))
    yield reader.trailer["/Root"].get_object()


def _is_active(obj: Any) -> bool:
    from pypdf.generic import DictionaryObject, StreamObject

    if not isinstance(obj, (DictionaryObject, StreamObject)):
        return False
    return bool(_ACTIVE_KEYS & set(obj.keys())) or obj.get("/S") in _ACTIVE_ACTIONS


def image_problem(content_type: str, data: bytes) -> str | None:
    """Why a JPEG or PNG is refused, or None: it must decode whole, and nothing may follow the image's end (a
    file appended to a picture would reach staff with it)."""
    if not image_decodes(data):
        return "图片已损坏，无法打开"
    if content_type == "image/png" and not data.endswith(_PNG_END):
        return "图片结尾之后还有其他数据，可能夹带了其他文件"
    if content_type == "image/jpeg" and not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        return "图片结尾之后还有其他数据，可能夹带了其他文件"
    return None

"""What an uploaded file really is, judged by its bytes, never by its name or declared type."""

from __future__ import annotations

import io

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

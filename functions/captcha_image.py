"""Captchas for login and SMS requests: an image, and the same answer spoken for people who cannot see it
(the `captcha` package draws and speaks them)."""

from __future__ import annotations

import base64
import secrets

# Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/l, 2/Z, 5/S, 8/B).
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
LENGTH = 4


def new_answer() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def render_png_data_url(answer: str) -> str:
    from captcha.image import ImageCaptcha  # Pillow is heavy; only the captcha route needs it

    png = ImageCaptcha(width=160, height=60).generate(answer, format="png").getvalue()
    return "data:image/png;base64," + base64.b64encode(png).decode()


def render_wav(answer: str) -> bytes:
    """The answer read out letter by letter, with noise, as a WAV file."""
    from captcha.audio import AudioCaptcha

    return bytes(AudioCaptcha().generate(answer))

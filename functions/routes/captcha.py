from __future__ import annotations

from fastapi import APIRouter, Response

from ..captcha_image import new_answer, render_png_data_url
from ..dependencies import Store
from ..repositories import captchas
from ..schemas.accounts import Captcha

router = APIRouter(tags=["captcha"])


@router.get("/captcha")
def new_captcha(services: Store, response: Response) -> Captcha:
    answer = new_answer()
    response.headers["Cache-Control"] = "no-store"
    return Captcha(captcha_id=captchas.create(services, answer), image=render_png_data_url(answer))

from __future__ import annotations

from fastapi import APIRouter, Response

from ..captcha_image import new_answer, render_png_data_url, render_wav
from ..dependencies import Store
from ..errors import ApiError, error_responses
from ..schemas.accounts import Captcha, ResourceId

router = APIRouter(tags=["captcha"])


@router.get("/captcha")
def new_captcha(services: Store, response: Response) -> Captcha:
    answer = new_answer()
    response.headers["Cache-Control"] = "no-store"
    return Captcha(captcha_id=services.captchas.create(answer), image=render_png_data_url(answer))


@router.get(
    "/captcha/{captcha_id}/audio",
    response_class=Response,
    responses={
        200: {"content": {"audio/wav": {"schema": {"type": "string", "format": "binary"}}}, "description": "WAV 音频"},
        **error_responses(404, 422),
    },
)
def captcha_audio(captcha_id: ResourceId, services: Store) -> Response:
    """The same challenge spoken: the image alone would shut out blind users (无障碍)."""
    answer = services.captchas.answer_to_speak(captcha_id)
    if answer is None:
        raise ApiError(404, "not_found", "验证码已过期，请刷新后重试")
    return Response(render_wav(answer), media_type="audio/wav", headers={"Cache-Control": "no-store"})

"""办件进度查询: anyone with the 办件编号 and the applicant's name (or the organisation's) sees where it stands.

A wrong name answers exactly as an unknown number does, so the lookup never confirms that a number exists; the
captcha and a per-address limit keep numbers from being tried in bulk.
"""

from __future__ import annotations

import hmac
import unicodedata

from fastapi import APIRouter

from ..application_views import progress_view
from ..dependencies import Store, limited
from ..errors import JSON_BODY, ApiError, error_responses
from ..repositories import rate_limits
from ..schemas.progress import ProgressAnswer, ProgressQuery

router = APIRouter(prefix="/progress", tags=["progress"])
NOT_FOUND = "未查询到该办件，请核对办件编号和申请人姓名（法人办件为机构名称）"


@router.post("", dependencies=[limited(rate_limits.PROGRESS)], responses=error_responses(404, 429, *JSON_BODY))
def look_up(body: ProgressQuery, services: Store) -> ProgressAnswer:
    if not services.captchas.consume(body.captcha_id, body.captcha_answer):
        raise ApiError(422, "captcha_wrong", "验证码不正确或已过期，请重新输入", {"captcha_answer": "验证码不正确"})
    number = _normalised(body.number).replace(" ", "")
    app = services.applications.find_by_number(number) if number else None
    if app is None or not _same_name(app.get("applicant_name") or "", body.name):
        raise ApiError(404, "not_found", NOT_FOUND)
    return progress_view(app)


def _normalised(text: str) -> str:
    """Full-width digits and letters as people type them on a phone, spaces at the ends gone."""
    return unicodedata.normalize("NFKC", text).strip()


def _same_name(stored: str, given: str) -> bool:
    return hmac.compare_digest(_normalised(stored).encode(), _normalised(given).encode())

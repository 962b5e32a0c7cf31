"""文书核验 (public): anyone handed a 结果文书 checks it is genuine by the verification code printed (and in its QR
code) or by the sha256 of the PDF file itself. An unknown code or hash is simply not valid: nothing tells whether a
code was ever close to one issued."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from ..dependencies import Store, limited
from ..domain.result_documents import normalised_code, normalised_sha256
from ..errors import ApiError, error_responses
from ..repositories import rate_limits
from ..schemas.documents import VerificationAnswer

router = APIRouter(prefix="/documents", tags=["documents"])


@router.get("/verify", dependencies=[limited(rate_limits.VERIFY)], responses=error_responses(422, 429))
def verify(
    services: Store,
    response: Response,
    code: str | None = Query(None, max_length=40, description="验证码，如 K7PM-3XQ9-T2VD-8HCE"),
    sha256: str | None = Query(None, max_length=64, description="PDF 文件的 SHA-256 值（64 位十六进制）"),
) -> VerificationAnswer:
    response.headers["Cache-Control"] = "no-store"
    if not code and not sha256:
        raise ApiError(422, "invalid", "请输入验证码，或选择要核验的文书文件", {"code": "请输入验证码"})
    normalised = normalised_code(code) if code else None
    if code and normalised is None:
        raise ApiError(422, "invalid", "验证码格式不正确：应为 16 位字母和数字", {"code": "验证码应为 16 位字母和数字"})
    digest = normalised_sha256(sha256) if sha256 else None
    if sha256 and digest is None:
        raise ApiError(422, "invalid", "文件校验值格式不正确", {"sha256": "应为 64 位十六进制的 SHA-256 值"})
    documents = services.result_documents
    record = documents.find_by_code(normalised) if normalised else None
    if digest:
        by_hash = documents.find_by_hash(digest)
        # Both given: the file must be the very document of the code.
        record = (
            by_hash if normalised is None or (record and by_hash and record["sha256"] == by_hash["sha256"]) else None
        )
    if record is None:
        return VerificationAnswer(valid=False)
    return VerificationAnswer(
        valid=True,
        **{
            key: record[key]
            for key in (
                "document_number",
                "title",
                "subitem_name",
                "department_name",
                "issued_at",
                "holder_masked",
                "sha256",
            )
        },
    )

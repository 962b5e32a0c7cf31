"""Issuing a 结果文书 when staff decide an application: 文号, PDF from the item's template, write-once storage with its
sha256, the application's record of it, the verify page's index and the applicant's message — the records written in
the decision's own transaction, so a decision never stands without its document, nor a document without its decision.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import result_documents as pdf
from .application_views import china_time
from .domain.china_time import china_day
from .domain.masking import mask_name
from .domain.result_documents import document_number, issues_document, new_verification_code
from .errors import ApiError
from .repositories.result_documents import document_key
from .services import Services
from .storage.interface import Transaction

VERIFY_PATH = "/verify/"


@dataclass
class Issued:
    document: dict[str, Any]
    """As the application records it (documents: [...])."""
    writes: Transaction
    """The verify index and the applicant's message, for the decision's transaction."""


def issue(services: Services, app: dict[str, Any], status: str, comment: str, now: int) -> Issued | None:
    """The document a decision to `status` issues (None for one that issues none); its PDF is stored already."""
    if not issues_document(status):
        return None
    template = services.catalogue.result_template(app["region"], app["subitem_code"], status)
    if template is None:
        raise ApiError(503, "catalogue_unavailable", "结果文书模板暂时无法读取，请稍后再试；办件状态未改变")
    issuer_code, issuer_name, prefix = _issuer(services, app)
    day = china_day(now)
    sequence = services.result_documents.next_sequence(app["region"], issuer_code, day.year)
    facts = _facts(services, app, document_number(prefix, status, day.year, sequence), issuer_name, comment, now)
    rendered = pdf.render_pdf(
        template,
        facts,
        font_path=Path(services.settings.document_font),
        font_index=services.settings.document_font_index,
    )
    document_id = uuid.uuid4().hex
    key = document_key(app["id"], document_id)
    document = {
        "id": document_id,
        "kind": status,
        "document_number": facts.document_number,
        "title": template.title,
        "issued_at": now,
        "verification_code": facts.verification_code,
        "sha256": services.result_documents.store(key, rendered),
        "size": len(rendered),
        "key": key,
        "filename": f"{template.title}（{facts.document_number}）.pdf",
    }
    public = {
        **document,
        "application_id": app["id"],
        "subitem_name": app["subitem_name"],
        "department_name": issuer_name,
        "issued_at": china_time(now),
        "holder_masked": mask_name(app["applicant_name"]),
    }
    return Issued(document, services.result_documents.indexing(public, Transaction()))


def _facts(
    services: Services, app: dict[str, Any], number: str, issuer_name: str, comment: str, now: int
) -> pdf.DocumentFacts:
    code = new_verification_code()
    return pdf.DocumentFacts(
        document_number=number,
        applicant=app["applicant_name"],
        subitem_name=app["subitem_name"],
        department_name=issuer_name,
        region_name=app["region_name"],
        decision_date=china_day(now),
        verification_code=code,
        verify_url=_verify_url(services, code),
        comment=comment,
        application_number=app.get("number") or "",
        submitted_date=china_day(app["submitted_at"]) if app.get("submitted_at") else None,
        legal_basis=pdf.join_legal_basis(_legal_basis(services, app)),
    )


def _legal_basis(services: Services, app: dict[str, Any]) -> list[str]:
    found = services.catalogue.subitem(app["region"], app["subitem_code"])
    return found[1].legal_basis if found else []


def _issuer(services: Services, app: dict[str, Any]) -> tuple[str, str, str]:
    """(code, full name, 机关代字) of who issues the decision: the 局 itself, not its 科 that handled the case."""
    department = services.catalogue.department(app["region"], app["department"])
    if department is None:
        return app["department"], app["department_name"], app["department_name"]
    if department.parent and (parent := services.catalogue.department(app["region"], department.parent)):
        department = parent
    prefix = department.document_prefix or department.full_name
    return department.code, department.full_name, prefix


def _verify_url(services: Services, code: str) -> str:
    origin = (services.settings.public_origin or "http://localhost:8000").rstrip("/")
    return f"{origin}{VERIFY_PATH}?code={code}"

"""The API: one FastAPI app, the same under uvicorn (make dev) and under Mangum on Lambda."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, FastAPI

from .domain.masking import RedactingFilter
from .errors import install_error_handlers
from .guards import RequestGuards
from .routes import (
    accounts,
    applications,
    appointments,
    captcha,
    dev,
    documents,
    evaluations,
    handlers,
    health,
    material_library,
    me,
    messages,
    password_resets,
    progress,
    review,
    sessions,
    sms_codes,
    uploads,
)
from .services import Services, build_services
from .settings import Settings, get_settings

API_PREFIX = "/api"


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    settings = settings or (services.settings if services else get_settings())
    services = services or build_services(settings)
    _redact_logs()
    app = FastAPI(
        title="辽宁政务服务网 API",
        version="1.0",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    app.state.services = services
    install_error_handlers(app)
    app.add_middleware(RequestGuards)
    api = APIRouter(prefix=API_PREFIX)
    for module in (
        health,
        captcha,
        sms_codes,
        accounts,
        sessions,
        me,
        material_library,
        handlers,
        password_resets,
        uploads,
        applications,
        review,
        progress,
        messages,
        documents,
        evaluations,
        appointments,
    ):
        api.include_router(module.router)
    if settings.backend == "local":
        from .routes import local_files

        api.include_router(dev.router)
        api.include_router(local_files.router)
    app.include_router(api)
    return app


def _redact_logs() -> None:
    """ID numbers and phones never reach a log line, whoever logs them and whichever handler writes it.

    Redacting at record creation covers handlers added later (uvicorn's, Lambda's, pytest's), which a
    filter attached to today's handlers would miss.
    """
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "redacting", False):
        return
    redactor = RedactingFilter()

    def make_redacted_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        redactor.filter(record)
        return record

    make_redacted_record.redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make_redacted_record)

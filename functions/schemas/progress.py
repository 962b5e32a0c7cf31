"""办件进度查询: the public lookup of an application by its number and the applicant's name."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from .accounts import Body, Short


class ProgressQuery(Body):
    number: Annotated[str, Field(max_length=40, description="办件编号，如 2103002026120200042")]
    name: Annotated[str, Field(max_length=100, description="申请人姓名；法人办件填机构名称")]
    captcha_id: Short
    captcha_answer: Short


class ProgressStep(BaseModel):
    at: str
    status_label: str


class ProgressAnswer(BaseModel):
    """What anyone holding the number and the name may know: no comments, no personal data."""

    number: str
    subitem_name: str
    department_name: str
    region_name: str
    status: str
    status_label: str
    submitted_at: str | None
    updated_at: str
    history: list[ProgressStep]

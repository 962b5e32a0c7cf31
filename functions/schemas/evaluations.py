"""Bodies and answers of 好差评: the published figures, 审批工作台's 待整改差评 and the 整改 reply."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from .accounts import Body


# One of the five levels in a set of figures.
class LevelShare(BaseModel):
    rating: int
    label: str
    count: int
    share: float | None
    """count over all ratings (0..1, 4 decimals); None when there are none."""


# The figures of a department, or of the whole region.
class EvaluationFigures(BaseModel):
    count: int
    """Ratings given."""
    levels: list[LevelShare]
    """The five levels, 非常满意 first."""
    satisfaction_rate: float | None
    """满意率: 非常满意 + 满意 + 基本满意 over all ratings (0..1); None when there are none."""
    bad_count: int
    """差评: 不满意 and 非常不满意."""
    bad_answered: int
    """差评 the department answered with a 整改 reply."""
    answer_rate: float | None
    """整改率: bad_answered over bad_count (0..1); None when there is no 差评."""


class DepartmentFigures(EvaluationFigures):
    department: str
    department_name: str


# GET /evaluations/stats?region=: the region's published 好差评.
class EvaluationStats(BaseModel):
    region: str
    region_name: str
    updated_at: str | None
    """The latest rating or reply counted (China time); None when there is none."""
    total: EvaluationFigures
    departments: list[DepartmentFigures]
    """Every department of the catalogue, in its order (zeros when it has no rating yet), then any department
    counted that the catalogue no longer lists."""


# POST /review/applications/{id}/evaluation-reply: the department's 整改 answer to a 差评.
class EvaluationReply(Body):
    text: Annotated[str, Field(max_length=1000)]


# One 差评 awaiting its department's reply, as 审批工作台 lists it.
class AwaitingReply(BaseModel):
    application_id: str
    number: str | None
    subitem_name: str
    rating: int
    label: str
    comment: str
    rated_at: str
    deadline: str
    """The end of the fifth working day after the rating (China time)."""
    overdue: bool


class AwaitingReplyPage(BaseModel):
    items: list[AwaitingReply]
    next_cursor: str | None

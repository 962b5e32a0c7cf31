"""好差评 published: a region's ratings per department, the share of each level, 满意率 and 差评 answered; no login.

The figures come from the counters kept as ratings arrive (repositories.evaluations), cached in the process for a
few minutes and by browsers and proxies for five: a burst of visitors reads storage once per region.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Response

from ..application_views import china_time
from ..dependencies import Store
from ..domain.evaluations import RATING_LABELS, SATISFIED_MIN
from ..errors import ApiError, error_responses
from ..repositories.evaluations import empty_levels
from ..schemas.evaluations import DepartmentFigures, EvaluationFigures, EvaluationStats, LevelShare

router = APIRouter(prefix="/evaluations", tags=["evaluations"])
CACHE_CONTROL = "public, max-age=300"


@router.get("/stats", responses=error_responses(404, 422, 503))
def stats(
    services: Store,
    response: Response,
    region: str = Query(max_length=6, pattern=r"^[0-9]{6}$", description="6 位行政区划代码，如 210300"),
) -> EvaluationStats:
    place = services.catalogue.region(region)
    if place is None:
        raise ApiError(
            404, "not_found", "没有这个地区的好差评：地区代码不正确", {"region": f"地区代码 {region} 不存在"}
        )
    counted = {counts["department"]: counts for counts in services.evaluations.region_counts(region)}
    listed = [(department.code, department.full_name) for department in services.catalogue.departments(region)]
    listed += [(code, counts["department_name"]) for code, counts in counted.items() if code not in dict(listed)]
    departments = [
        DepartmentFigures(department=code, department_name=name, **_figures(counted.get(code)).model_dump())
        for code, name in listed
    ]
    updated = max((counts["updated_at"] for counts in counted.values()), default=0)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return EvaluationStats(
        region=place.code,
        region_name=place.name,
        updated_at=china_time(updated) if updated else None,
        total=_figures(_sum(list(counted.values()))),
        departments=departments,
    )


def _sum(all_counts: list[dict[str, Any]]) -> dict[str, Any]:
    levels = empty_levels()
    for counts in all_counts:
        for rating, count in counts["levels"].items():
            levels[rating] += count
    return {
        "count": sum(counts["count"] for counts in all_counts),
        "levels": levels,
        "bad": sum(counts["bad"] for counts in all_counts),
        "answered": sum(counts["answered"] for counts in all_counts),
    }


def _figures(counts: dict[str, Any] | None) -> EvaluationFigures:
    """The published figures of one set of counts; a department with none has zeros and no rates."""
    counts = counts or {"count": 0, "levels": empty_levels(), "bad": 0, "answered": 0}
    total, levels = counts["count"], counts["levels"]
    satisfied = sum(levels[str(rating)] for rating in RATING_LABELS if rating >= SATISFIED_MIN)
    return EvaluationFigures(
        count=total,
        levels=[
            LevelShare(rating=rating, label=label, count=levels[str(rating)], share=_rate(levels[str(rating)], total))
            for rating, label in RATING_LABELS.items()
        ],
        satisfaction_rate=_rate(satisfied, total),
        bad_count=counts["bad"],
        bad_answered=counts["answered"],
        answer_rate=_rate(counts["answered"], counts["bad"]),
    )


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None

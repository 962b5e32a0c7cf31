"""ID numbers and phones typed into (or pre-filled in) an application form: sealed at rest, masked when shown.

An application stores `form_data` with such values masked (what every response shows) and `form_sealed` with
them encrypted (what a submission is checked against and what staff may open, on record). A masked value sent
back unchanged by the page means "keep what is stored".

A draft's values that fail their field's rule are kept apart, in `form_kept` ({"form_data", "form_sealed"} alike),
so the applicant finds what they typed on coming back, and `form_data` holds only valid values: what staff see,
what is filed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from .domain.masking import mask_id_number, mask_phone
from .sealing import open_sealed, seal

MASKS = {"id_number": mask_id_number, "phone": mask_phone}


class TypedField(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def type(self) -> str: ...


Field = TypedField | Mapping[str, Any]
"""A catalogue FormField, or one as an application's guide snapshot stores it (a dict)."""


def sensitive(fields: Iterable[Field]) -> dict[str, str]:
    """{field name: field type} of the fields whose values are personal numbers."""
    pairs = (
        (field["name"], field["type"]) if isinstance(field, Mapping) else (field.name, field.type) for field in fields
    )
    return {name: kind for name, kind in pairs if kind in MASKS}


def restored(
    secret: bytes, fields: Iterable[Field], app: Mapping[str, Any], incoming: Mapping[str, Any]
) -> dict[str, Any]:
    """The form as typed, with each masked value the page sent back unchanged replaced by the stored full one
    (a valid one, or one kept to be corrected)."""
    values = dict(incoming)
    kinds = sensitive(fields)
    for store in (app, app.get("form_kept") or {}):
        stored_masked, stored_sealed = store.get("form_data", {}), store.get("form_sealed", {})
        for name in kinds:
            if name in values and name in stored_sealed and values[name] == stored_masked.get(name):
                values[name] = open_sealed(secret, stored_sealed[name])
    return values


def full_values(secret: bytes, app: Mapping[str, Any]) -> dict[str, str]:
    """The form with every sealed value opened: for checking a submission, never for a response."""
    opened = {name: open_sealed(secret, token) for name, token in app.get("form_sealed", {}).items()}
    return {**app.get("form_data", {}), **opened}


def typed_values(secret: bytes, app: Mapping[str, Any]) -> dict[str, str]:
    """The form as the applicant left it: the valid values and those kept to be corrected, every one opened."""
    return {**full_values(secret, app), **full_values(secret, app.get("form_kept") or {})}


def protected(secret: bytes, fields: Iterable[Field], values: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """{"form_data": values with personal numbers masked, "form_sealed": those numbers encrypted}."""
    kinds = sensitive(fields)
    masked = {name: MASKS[kinds[name]](value) if name in kinds else value for name, value in values.items()}
    sealed = {name: seal(secret, value) for name, value in values.items() if name in kinds}
    return {"form_data": masked, "form_sealed": sealed}


def masked_view(fields: Iterable[Field], form_data: Mapping[str, str]) -> dict[str, str]:
    """form_data as a response shows it. Values are stored masked already; an application stored before sealing
    existed may still hold a full number, which is masked here, so no response ever carries one."""
    kinds = sensitive(fields)
    return {
        name: MASKS[kinds[name]](value) if name in kinds and "*" not in value else value
        for name, value in form_data.items()
    }


def opened(secret: bytes, app: Mapping[str, Any], name: str) -> str | None:
    """The full value of one sealed field, or None if the form holds none."""
    token = app.get("form_sealed", {}).get(name)
    if token:
        return open_sealed(secret, token)
    value = app.get("form_data", {}).get(name)
    return value if value and "*" not in value else None  # stored before sealing existed

"""Records as the API shows them: personal numbers masked, labels in Chinese."""

from __future__ import annotations

from .domain.masking import mask_phone
from .domain.validators import ENTERPRISE_TYPE_LABELS, ID_TYPE_LABELS
from .repositories.accounts import Account
from .schemas.accounts import AccountPublic, OrganizationPublic


def account_public(account: Account) -> AccountPublic:
    org = account.get("organization")
    organization = None
    if org:
        organization = OrganizationPublic(
            name=org["name"],
            enterprise_type=org["enterprise_type"],
            enterprise_type_label=ENTERPRISE_TYPE_LABELS[org["enterprise_type"]],
            credit_code=org["credit_code"],
            registration_authority=org["registration_authority"],
            legal_representative=org["legal_representative"],
            legal_representative_id_type=org["legal_representative_id_type"],
            legal_representative_id_type_label=ID_TYPE_LABELS[org["legal_representative_id_type"]],
            legal_representative_id_number=org["legal_representative_id_number_masked"],
            handler_name=org["handler_name"],
            handler_id_number=org["handler_id_number_masked"],
            handler_phone=mask_phone(org["handler_phone"]),
        )
    return AccountPublic(
        id=account["id"],
        account_type=account["account_type"],
        role=account.get("role", "applicant"),
        login_name=account["login_name"],
        display_name=org["name"] if org else account["real_name"],
        real_name=account["real_name"],
        id_number=account.get("id_number_masked", ""),
        email=account.get("email", ""),
        phone=mask_phone(account["phone"]) if account.get("phone") else "",
        organization=organization,
        region=account.get("region"),
        department=account.get("department"),
        region_name=account.get("region_name"),
        department_name=account.get("department_name"),
    )

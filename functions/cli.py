"""portal-admin: operator commands. Staff accounts are made here, never by self-registration."""

from __future__ import annotations

import argparse
import sys

from .catalogue import CatalogueError
from .domain import passwords, validators
from .domain.validators import InvalidValue
from .repositories import accounts
from .repositories.accounts import Account, UniqueValues
from .repositories.errors import ValueTaken
from .services import Services, build_services
from .settings import get_settings


def create_staff(
    services: Services, login_name: str, password: str, region: str, department: str, real_name: str
) -> Account:
    """A 审批人员 account of one department of one region; raises ValueError with a Chinese message."""
    login_name = validators.login_name(login_name)
    passwords.check_password_rules(password, login_name)
    catalogue = services.catalogue
    found_region = catalogue.region(region)
    if found_region is None:
        raise ValueError(f"地区代码 {region} 不存在（可选：{'、'.join(r.code for r in catalogue.regions())}）")
    found_department = catalogue.department(region, department)
    if found_department is None:
        codes = sorted(d.code for d in catalogue.departments(region))
        raise ValueError(f"部门编码 {department} 不存在于 {found_region.name}（可选：{'、'.join(codes)}）")
    record = {
        "id": accounts.new_id(),
        "account_type": "natural",
        "role": "staff",
        "login_name": login_name,
        "real_name": real_name,
        "region": region,
        "department": department,
        "phone": "",
        "email": "",
        "region_name": found_region.name,
        "department_name": found_department.full_name,
        "password_hash": passwords.hash_password(password),
        "created_at": int(services.clock()),
    }
    try:
        services.accounts.create(record, UniqueValues(login_name))
    except ValueTaken:
        raise ValueError(f"登录名 {login_name} 已被使用") from None
    return record


def print_audit_log(services: Services, region: str, department: str, limit: int) -> None:
    """The department's record of opened personal data, newest first, one line per entry."""
    from .application_views import china_time

    entries = services.audit_log.list_for_department(region, department, limit)
    for entry in entries:
        print(
            f"{china_time(entry['at'])}\t{entry['staff_name']}\t{entry['number'] or entry['application_id']}"
            f"\t{entry['subitem_name']}\t查看了“{entry['field_label']}”"
        )
    if not entries:
        print(f"{region} / {department}：没有查看个人信息的记录")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="portal-admin", description="辽宁政务服务网运维命令")
    commands = parser.add_subparsers(dest="command", required=True)
    staff = commands.add_parser("create-staff", help="创建审批人员账号")
    staff.add_argument("--login-name", required=True)
    staff.add_argument("--password", required=True)
    staff.add_argument("--region", required=True, help="地区代码，如 210300")
    staff.add_argument("--department", required=True, help="部门编码，如 xzspj-shsw")
    staff.add_argument("--real-name", default="审批人员", help="显示在页头的姓名")
    audit = commands.add_parser("audit-log", help="查看某部门审批人员查看个人信息的记录")
    audit.add_argument("--region", required=True, help="地区代码，如 210300")
    audit.add_argument("--department", required=True, help="部门编码，如 xzspj-shsw")
    audit.add_argument("--limit", type=int, default=100)
    args = parser.parse_args(argv)

    services = build_services(get_settings())
    if args.command == "audit-log":
        print_audit_log(services, args.region, args.department, args.limit)
        return 0
    try:
        record = create_staff(services, args.login_name, args.password, args.region, args.department, args.real_name)
    except (ValueError, InvalidValue) as exc:
        print(f"创建失败：{exc}", file=sys.stderr)
        return 1
    except CatalogueError as exc:
        print(f"创建失败：事项目录无法读取（{exc}）", file=sys.stderr)
        return 1
    print(f"已创建审批人员账号 {record['login_name']}（{args.region} / {args.department}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())

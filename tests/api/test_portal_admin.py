"""portal-admin create-staff, on both backends."""

from __future__ import annotations

import pytest

from functions import cli
from tests.factories import login


def test_create_staff_then_log_in(services, client) -> None:
    record = cli.create_staff(services, "shenpi_as01", "Shenpi2026ok", "210300", "bureau-social", "审批人员")
    assert record["role"] == "staff"
    account = login(services, client, login_name="shenpi_as01", password="Shenpi2026ok").json()
    assert account["role"] == "staff" and account["region"] == "210300" and account["department"] == "bureau-social"


@pytest.mark.parametrize(
    "region, department, message",
    [
        ("999999", "bureau-social", "地区代码 999999 不存在"),
        ("210300", "market", "部门编码 market 不存在于 甲市"),
    ],
)
def test_unknown_region_or_department(services, region, department, message) -> None:
    with pytest.raises(ValueError, match=message):
        cli.create_staff(services, "shenpi_as01", "Shenpi2026ok", region, department, "审批人员")


def test_duplicate_login_name(services) -> None:
    cli.create_staff(services, "shenpi_as01", "Shenpi2026ok", "210300", "bureau-social", "审批人员")
    with pytest.raises(ValueError, match="已被使用"):
        cli.create_staff(services, "SHENPI_as01", "Shenpi2026ok", "210300", "bureau", "审批人员")


def test_command_line(tmp_path, monkeypatch, catalog_path, capsys) -> None:
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PORTAL_CATALOG_PATH", str(catalog_path))
    from functions.settings import get_settings

    get_settings.cache_clear()
    try:
        args = [
            "create-staff",
            "--login-name",
            "shenpi_as02",
            "--password",
            "Shenpi2026ok",
            "--region",
            "210300",
            "--department",
            "bureau-social",
        ]
        assert cli.main(args) == 0
        assert "已创建审批人员账号 shenpi_as02" in capsys.readouterr().out
        assert cli.main(args) == 1
        assert "已被使用" in capsys.readouterr().err
        assert cli.main([*args[:2], "shenpi_as03", "--password", "12345678", *args[5:]]) == 1  # all digits
    finally:
        get_settings.cache_clear()

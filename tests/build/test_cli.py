"""`python build.py` as editors and `make build` run it."""

from __future__ import annotations

from pathlib import Path

import build
from tests.conftest import TEMPLATES
from tests.factories import edit_front_matter

FIRST = Path("regions/alpha/items/pet-licence/first.md")


def test_invalid_content_fails_and_writes_nothing(content_copy: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "previous.html").write_text("old site", encoding="utf-8")
    edit_front_matter(content_copy / FIRST, lambda front: front.pop("materials"))

    status = build.main(["--content", str(content_copy), "--templates", str(TEMPLATES), "--out", str(out)])

    captured = capsys.readouterr()
    assert status == 1
    assert f"content/{FIRST}:2: materials: 缺少必填项" in captured.err.splitlines()
    assert [p.name for p in out.iterdir()] == ["previous.html"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_syntax_error_names_the_file(content_copy: Path, tmp_path: Path, capsys) -> None:
    (content_copy / FIRST).write_text("---\ncode: [\n---\n", encoding="utf-8")
    status = build.main(["--content", str(content_copy), "--templates", str(TEMPLATES), "--out", str(tmp_path / "s")])
    assert status == 1
    assert f"content/{FIRST}:3: YAML 语法错误" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


def test_successful_build_replaces_site_and_prints_time(content_copy: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "stale.html").write_text("gone after the build", encoding="utf-8")
    status = build.main(
        [
            "--content",
            str(content_copy),
            "--templates",
            str(TEMPLATES),
            "--out",
            str(out),
            "--site-url",
            "https://portal.example.cn/",
        ]
    )
    assert status == 0
    assert "Build time:" in capsys.readouterr().out
    assert not (out / "stale.html").exists()
    assert (out / "alpha/guide/210300-XK-0001-01/index.html").is_file()
    assert "<loc>https://portal.example.cn/alpha/</loc>" in (out / "sitemaps/alpha.xml").read_text(encoding="utf-8")


def test_summary_line_counts_what_was_written(content_copy: Path, tmp_path: Path, capsys) -> None:
    arguments = [
        "--content",
        str(content_copy),
        "--templates",
        str(TEMPLATES),
        "--out",
        str(tmp_path / "site"),
        "--cache",
        str(tmp_path / "cache"),
        "--no-search",
        "--stats",
        str(tmp_path / "stats.json"),
    ]
    assert build.main(arguments) == 0
    first = capsys.readouterr().out
    assert "构建完成：3 份服务指南；文件写入 " in first and "未变 0，删除 0" in first
    edit_front_matter(content_copy / FIRST, lambda front: front.update(summary="新的概述。"))
    assert build.main(arguments) == 0
    # the guide page, and its department page in both columns (the guide serves 自然人 and 法人)
    assert "文件写入 3，" in capsys.readouterr().out
    assert build.main(arguments) == 0
    assert "无需构建：3 份服务指南" in capsys.readouterr().out
    import json

    stats = json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))
    assert (stats["guides"], stats["written"]) == (3, 0)


def test_check_validates_and_writes_nothing(content_copy: Path, tmp_path: Path, capsys) -> None:
    arguments = [
        "--content",
        str(content_copy),
        "--out",
        str(tmp_path / "site"),
        "--cache",
        str(tmp_path / "c"),
        "--check",
    ]
    assert build.main(arguments) == 0
    assert "内容校验通过：3 份服务指南" in capsys.readouterr().out
    assert not (tmp_path / "site").exists()
    edit_front_matter(content_copy / FIRST, lambda front: front.pop("summary"))
    assert build.main([*arguments, "--error-format", "github"]) == 1
    assert f"::error file=content/{FIRST},line=2,title=summary::" in capsys.readouterr().out

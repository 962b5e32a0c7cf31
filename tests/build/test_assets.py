"""sitegen/assets.py: hashed names, and JavaScript modules whose imports name their dependencies' hashed URLs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitegen.assets import collect_assets
from sitegen.errors import ContentErrors
from tests.conftest import TEMPLATES


def _static(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


MODULES = {
    "js/lib/format.js": "export function f() { return 1; }\n",
    "js/api.js": 'import { f } from "./lib/format.js";\nexport const g = f;\n',
    "js/pages/login.js": 'import * as Api from "../api.js";\nexport { f } from \'../lib/format.js\';\nimport("../api.js");\n',
    # the stylesheet's parts (sitegen/stylesheets.py joins them into css/portal.css)
    "css/tokens.css": "@layer tokens { :root { --gap: 1rem; } }\n",
    "css/base.css": "@layer base { body { margin: 0; } }\n",
    "css/components.css": "@layer components { }\n",
    "css/pages.css": "@layer pages { }\n",
    "css/third-party.css": "",
}


def test_imports_are_rewritten_to_hashed_urls(tmp_path: Path) -> None:
    assets = collect_assets(_static(tmp_path, MODULES))
    login = assets["js/pages/login.js"].read().decode()
    api_url, format_url = assets["js/api.js"].url, assets["js/lib/format.js"].url
    assert f'import * as Api from "{api_url}";' in login
    assert f"export {{ f }} from '{format_url}';" in login
    assert f'import("{api_url}");' in login
    assert assets["js/pages/login.js"].url.startswith("/static/js/pages/login.")
    assert b"@layer base { body { margin: 0; } }" in assets["css/portal.css"].read()
    assert "css/base.css" not in assets  # a part of the stylesheet, not published alone


def test_a_changed_dependency_changes_every_importer_url(tmp_path: Path) -> None:
    before = collect_assets(_static(tmp_path, MODULES))
    (tmp_path / "js/lib/format.js").write_text("export function f() { return 2; }\n", encoding="utf-8")
    after = collect_assets(tmp_path)
    for name in ("js/lib/format.js", "js/api.js", "js/pages/login.js"):
        assert before[name].url != after[name].url, name
    assert before["css/portal.css"].url == after["css/portal.css"].url


def test_an_import_cycle_is_refused(tmp_path: Path) -> None:
    static = _static(tmp_path, {"js/a.js": 'import "./b.js";\n', "js/b.js": 'import "./a.js";\n'})
    with pytest.raises(
        ContentErrors, match="templates/static/js/a.js: import: import 成环：js/a.js → js/b.js → js/a.js"
    ):
        collect_assets(static)


def test_an_import_of_a_missing_module_is_refused(tmp_path: Path) -> None:
    static = _static(tmp_path, {"js/a.js": 'import { x } from "./nowhere.js";\n'})
    with pytest.raises(ContentErrors, match="templates/static/js/a.js: import: 引用的模块 js/nowhere.js 不存在"):
        collect_assets(static)


def test_the_portal_modules_import_only_hashed_modules_of_the_site() -> None:
    assets = collect_assets(TEMPLATES / "static")
    urls = {asset.url for asset in assets.values()}
    imported = [
        (name, match["path"])
        for name, asset in assets.items()
        if name.endswith(".js")
        for match in re.finditer(r"""\b(?:from|import)\s*\(?\s*["'](?P<path>[^"']+)["']""", asset.read().decode())
    ]
    assert imported, "the portal's modules import each other"
    assert [(name, path) for name, path in imported if path not in urls] == []


def test_a_stylesheet_part_out_of_place_stops_the_build_with_one_line(tmp_path: Path) -> None:
    static = _static(tmp_path, {**MODULES, "css/pages.css": "main { color: red; }\n"})
    with pytest.raises(ContentErrors) as refused:
        collect_assets(static)
    (error,) = refused.value.errors
    assert error.path == "templates/static/css/portal.css" and "pages.css: must hold one '@layer pages" in error.problem

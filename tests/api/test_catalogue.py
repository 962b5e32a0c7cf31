"""The API's reader of the sharded catalogue: version check, one shard per question, a bounded cache."""

from __future__ import annotations

import json
import logging
import zlib
from pathlib import Path

import pytest

from functions.catalogue import SHARD_CACHE_SIZE, CatalogueError, CatalogueReader, CatalogueVersionMismatch
from sitegen.catalog_export import shard_paths, shard_text, split_into_shards
from tests.api.conftest import write_catalogue
from tests.factories import SUBITEM, login, register, upload_material

REGION = "210300"


def _index(files: dict[str, str]) -> dict:
    return json.loads(files["catalog.json"])


def _region_ref(index: dict, code: str = REGION) -> dict:
    return next(region for region in index["regions"] if region["code"] == code)


def _records(files: dict[str, str], code: str = REGION) -> dict[str, dict]:
    records: dict[str, dict] = {}
    for path in _region_ref(_index(files), code)["subitem_shards"]:
        records |= json.loads(files[path])["subitems"]
    return records


def resharded(files: dict[str, str], records: dict[str, dict], count: int) -> dict[str, str]:
    """The files with 甲市's sub-items replaced by `records`, spread over `count` shards as the build would."""
    index = _index(files)
    ref = _region_ref(index)
    changed = {path: text for path, text in files.items() if path not in ref["subitem_shards"]}
    ref["subitem_shards"] = shard_paths(REGION, count)
    for path, shard in zip(ref["subitem_shards"], split_into_shards(records, count), strict=True):
        changed[path] = shard_text(REGION, shard)
    changed["catalog.json"] = json.dumps(index, ensure_ascii=False)
    return changed


def many_subitems(files: dict[str, str], n: int) -> dict[str, dict]:
    """甲市's sub-items plus n copies of the online one under new codes: a larger region."""
    records = _records(files)
    for number in range(n):
        code = f"{REGION}-XK-{number + 100:04d}-01"
        records[code] = {**records[SUBITEM], "code": code}
    return records


def shard_of(code: str, count: int) -> str:
    return shard_paths(REGION, count)[zlib.crc32(code.encode("utf-8")) % count]


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """Every catalogue file a reader opens, in order."""
    opened: list[Path] = []
    original = CatalogueReader._read

    def counting(path: Path) -> bytes:
        opened.append(path)
        return original(path)

    monkeypatch.setattr(CatalogueReader, "_read", staticmethod(counting))
    return opened


@pytest.fixture
def applicant(services, client):
    register(services, client)
    login(services, client)
    return client


# --- the reader ----------------------------------------------------------------------------------------


def test_reader_answers_from_the_files(catalog_path) -> None:
    reader = CatalogueReader(catalog_path)
    assert [region.code for region in reader.regions()] == ["210300", "210100"]
    region, subitem = reader.subitem(REGION, SUBITEM)
    assert region.name == "甲市" and subitem.code == SUBITEM and subitem.online
    assert [field.name for field in subitem.fields] == ["dog_name", "breed", "owner_phone", "dog_born_on"]
    assert subitem.material("form").formats == ["pdf"] and subitem.material("nothing") is None
    assert reader.department_name(REGION, "bureau-social") == "甲市行政审批局社会事务科"
    assert reader.department_name(REGION, "gone") == "gone"  # as recorded, if the catalogue dropped it
    assert reader.department(REGION, "bureau").parent is None


@pytest.mark.parametrize(
    "region, code",
    [
        (REGION, "210300-XK-9999-01"),  # a code no shard holds
        ("999999", SUBITEM),  # a region the catalogue does not have
        ("210100", SUBITEM),  # another region's code
        (REGION, ""),
    ],
)
def test_absent_subitem_is_none(catalog_path, region, code) -> None:
    assert CatalogueReader(catalog_path).subitem(region, code) is None


def test_only_the_needed_shard_is_read(tmp_path, catalogue_files, reads) -> None:
    records = many_subitems(catalogue_files, 300)
    path = write_catalogue(tmp_path, resharded(catalogue_files, records, 8))
    reader = CatalogueReader(path)
    code = "210300-XK-0150-01"
    assert reader.subitem(REGION, code)[1].code == code
    assert reads == [path, tmp_path / shard_of(code, 8)]
    reader.subitem(REGION, code)
    assert len(reads) == 2  # the second question is answered from the cache
    info = reader.cache_info()
    assert (info.hits, info.misses, info.currsize, info.maxsize) == (1, 1, 1, SHARD_CACHE_SIZE)


def test_cache_is_bounded_and_keeps_the_recent(tmp_path, catalogue_files, reads) -> None:
    records = many_subitems(catalogue_files, 300)
    path = write_catalogue(tmp_path, resharded(catalogue_files, records, 8))
    reader = CatalogueReader(path, cache_size=2)
    by_shard: dict[str, str] = {}
    for code in records:
        by_shard.setdefault(shard_of(code, 8), code)
    first, second, third = list(by_shard.values())[:3]
    for code in (first, second, first, third):  # `first` used again, so `second` is the oldest
        assert reader.subitem(REGION, code) is not None
    assert reader.cache_info().currsize == 2
    opened = len(reads)
    reader.subitem(REGION, first)
    assert len(reads) == opened  # still cached
    reader.subitem(REGION, second)
    assert reads[-1] == tmp_path / shard_of(second, 8)  # evicted, read again


def test_every_shard_is_found_where_crc32_puts_it(tmp_path, catalogue_files) -> None:
    records = many_subitems(catalogue_files, 300)
    reader = CatalogueReader(write_catalogue(tmp_path, resharded(catalogue_files, records, 8)), cache_size=8)
    for code, record in records.items():
        assert reader.subitem(REGION, code)[1].model_dump() == record


def test_shards_compressed_as_the_lambda_bundle_ships_them(tmp_path, catalogue_files) -> None:
    import gzip

    records = many_subitems(catalogue_files, 100)
    index = write_catalogue(tmp_path, resharded(catalogue_files, records, 4))
    for shard in (tmp_path / "catalog").rglob("*.json"):
        shard.with_name(shard.name + ".gz").write_bytes(gzip.compress(shard.read_bytes()))
        shard.unlink()
    reader = CatalogueReader(index)
    for code, record in records.items():
        assert reader.subitem(REGION, code)[1].model_dump() == record
    assert reader.department_name(REGION, "bureau") != "bureau"


def test_records_are_what_the_build_wrote(catalog_path, catalogue_files) -> None:
    """Typed on load, but dumped back they are the build's records, key for key: the API's answers do not change."""
    reader = CatalogueReader(catalog_path)
    for code, record in _records(catalogue_files).items():
        assert reader.subitem(REGION, code)[1].model_dump() == record
    departments = json.loads(catalogue_files[f"catalog/{REGION}/departments.json"])["departments"]
    assert [dept.model_dump() for dept in reader.departments(REGION)] == departments


def test_version_mismatch_names_the_file_and_both_versions(tmp_path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"version": 1, "portal": {}, "regions": []}), encoding="utf-8")
    with pytest.raises(
        CatalogueVersionMismatch,
        match=r"catalog\.json: catalogue format version 1, "
        r"but this API reads version 2",
    ):
        CatalogueReader(path).regions()


def test_shard_of_another_version_is_refused(tmp_path, catalogue_files) -> None:
    shard = _region_ref(_index(catalogue_files))["subitem_shards"][0]
    old = json.loads(catalogue_files[shard]) | {"version": 3}
    reader = CatalogueReader(write_catalogue(tmp_path, {**catalogue_files, shard: json.dumps(old)}))
    with pytest.raises(CatalogueVersionMismatch, match=r"subitems-00\.json: catalogue format version 3"):
        reader.subitem(REGION, SUBITEM)


def test_invalid_shard_is_refused_on_load(tmp_path, catalogue_files) -> None:
    shard = _region_ref(_index(catalogue_files))["subitem_shards"][0]
    broken = json.loads(catalogue_files[shard])
    del broken["subitems"][SUBITEM]["materials"][0]["max_size"]
    reader = CatalogueReader(write_catalogue(tmp_path, {**catalogue_files, shard: json.dumps(broken)}))
    with pytest.raises(CatalogueError, match="max_size"):
        reader.subitem(REGION, SUBITEM)


def test_a_failed_read_is_not_remembered(tmp_path, catalogue_files) -> None:
    """A deployment fixed under a running dev server is read again; the error is not cached."""
    reader = CatalogueReader(tmp_path / "catalog.json")
    with pytest.raises(CatalogueError, match="cannot be read"):
        reader.regions()
    write_catalogue(tmp_path, catalogue_files)
    assert reader.subitem(REGION, SUBITEM) is not None


# --- through the API ------------------------------------------------------------------------------------


def test_starting_an_application_reads_one_shard(services, applicant, reads) -> None:
    response = applicant.post("/api/applications", json={"region": REGION, "subitem_code": SUBITEM})
    assert response.status_code == 201
    site = Path(services.settings.catalog_path).parent
    assert reads == [site / "catalog.json", site / shard_of(SUBITEM, 1), site / f"catalog/{REGION}/departments.json"]
    applicant.get(f"/api/applications/{response.json()['id']}")
    assert len(reads) == 3  # the detail view asks the cache


def test_catalogue_of_another_version_answers_503_in_chinese(services, applicant, tmp_path, caplog) -> None:
    old = tmp_path / "catalog.json"
    old.write_text(json.dumps({"version": 1, "portal": {}, "regions": []}), encoding="utf-8")
    services.catalogue = CatalogueReader(old)
    with caplog.at_level(logging.ERROR, logger="functions.errors"):
        response = applicant.post("/api/applications", json={"region": REGION, "subitem_code": SUBITEM})
    assert response.status_code == 503
    assert response.json() == {
        "error": {"code": "catalogue_unavailable", "message": "事项目录暂时无法读取，请稍后再试", "fields": {}}
    }
    assert f"{old}: catalogue format version 1, but this API reads version 2" in caplog.text  # for the operators
    assert "Traceback" not in response.text


def test_application_whose_subitem_left_the_catalogue(services, applicant, tmp_path, catalogue_files) -> None:
    """No 500: it is still shown as it was started, with its files; every edit and the submission answer 409."""
    app = applicant.post("/api/applications", json={"region": REGION, "subitem_code": SUBITEM}).json()
    upload_id = upload_material(applicant, app["id"], "form").json()["upload_id"]
    applicant.put(f"/api/applications/{app['id']}/materials/form", json={"upload_ids": [upload_id]})
    records = {code: record for code, record in _records(catalogue_files).items() if code != SUBITEM}
    services.catalogue = CatalogueReader(write_catalogue(tmp_path, resharded(catalogue_files, records, 1)))

    detail = applicant.get(f"/api/applications/{app['id']}")
    assert detail.status_code == 200
    shown = detail.json()
    assert shown["subitem_name"] == app["subitem_name"] and shown["fields"] == app["fields"]  # the recorded guide
    assert [(m["id"], m["name"], [f["upload_id"] for f in m["files"]]) for m in shown["materials"]] == [
        (m["id"], m["name"], [upload_id] if m["id"] == "form" else []) for m in app["materials"]
    ]
    assert "edit" not in shown["allowed_actions"] and "submit" not in shown["allowed_actions"]
    assert shown["guide_changes"] == ["该事项已调整或停止网上办理，当前不能继续办理"]
    path = f"/api/applications/{app['id']}"
    refused = [
        applicant.put(f"{path}/form", json={"form_data": {"dog_name": "旺财"}}),
        applicant.put(f"{path}/materials/form", json={"upload_ids": [upload_id]}),
        applicant.post(f"{path}/submit", headers={"Idempotency-Key": "k1"}),
        applicant.post(
            "/api/uploads",
            json={
                "purpose": "material",
                "application_id": app["id"],
                "material_id": "form",
                "filename": "a.pdf",
                "content_type": "application/pdf",
                "size": 10,
            },
        ),
    ]
    for response in refused:
        assert response.status_code == 409, response.text
        assert response.json()["error"]["code"] == "subitem_unavailable"
        assert response.json()["error"]["message"].startswith("事项已调整")
    again = applicant.post("/api/applications", json={"region": REGION, "subitem_code": SUBITEM})
    assert again.status_code == 404 and "subitem_code" in again.json()["error"]["fields"]

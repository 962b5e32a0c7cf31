"""One Settings object for the API, read from the environment once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[1]
# Signs local upload URLs and keys the lookup hashes in development only; aws must bring its own.
DEVELOPMENT_SECRET = "local-development-secret-change-me"
# Debian's fonts-noto-cjk: a serif (宋体) face, as official documents are set in.
DEBIAN_CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PORTAL_", frozen=True)

    backend: Literal["local", "aws"] = "local"
    """local: SQLite + files under data_dir (make dev); aws: DynamoDB + S3 + SNS."""
    data_dir: Path = Path(".data")
    test_mode: bool = False
    """Every captcha answer is 0000, so browser tests can log in; refused on aws."""
    secret_key: str = DEVELOPMENT_SECRET
    """Keys the lookup hashes of ID numbers and the SMS code hashes; signs local URLs."""
    catalog_path: Path = ROOT / "site" / "catalog.json"
    """The catalogue's entry point; the shards it names (catalog/<region>/...) are read relative to its folder."""
    table_name: str = ""
    uploads_bucket: str = ""
    aws_endpoint_url: str | None = None
    """Only for tests against a moto server."""
    public_origin: str | None = None
    """The site's origin as browsers see it (the CloudFront URL): behind CloudFront the Host header the
    function sees is API Gateway's, so the Origin check needs to be told the public one."""
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    address_limit_factor: float = 1.0
    """Scales every per-client-address limit (repositories/rate_limits.py): raise it for a site whose users share
    few addresses. Test mode multiplies it by 100, so scripted tests can register many accounts from 127.0.0.1."""
    client_address_header: str | None = None
    """A header that carries the visitor's address, set by a proxy the site trusts (behind CloudFront:
    CloudFront-Viewer-Address); without it, the connection's own address is used. Never X-Forwarded-For from
    the open internet: anyone can write it."""

    document_font: Path = DEBIAN_CJK_FONT
    """The CJK font the 结果文书 PDFs embed (a subset of): a TrueType/OpenType font or collection (.ttc). Never
    downloaded: Debian's fonts-noto-cjk in development and CI, the copy the Lambda bundle ships on aws
    (serverless.yml sets /var/task/fonts/...)."""
    document_font_index: int = 2
    """Which font of a collection: 2 is Noto CJK's simplified-Chinese face (0 JP, 1 KR, 2 SC, 3 TC, 4 HK)."""

    @model_validator(mode="after")
    def _refuse_dangerous_defaults(self) -> Settings:
        if self.backend == "aws":
            if self.test_mode:
                raise ValueError("PORTAL_TEST_MODE=1 is only allowed with the local backend")
            if self.secret_key == DEVELOPMENT_SECRET or len(self.secret_key) < 32:
                raise ValueError("PORTAL_SECRET_KEY must be set to a random value of 32+ characters on aws")
            if not (self.table_name and self.uploads_bucket):
                raise ValueError("PORTAL_TABLE_NAME and PORTAL_UPLOADS_BUCKET are required on aws")
        return self

    @property
    def address_limit_scale(self) -> float:
        """address_limit_factor, times 100 in test mode."""
        return self.address_limit_factor * (100 if self.test_mode else 1)


@lru_cache
def get_settings() -> Settings:
    return Settings()

"""The per-process wiring: storage backends, clock and catalogue, built once and shared by every request.

Warm Lambdas reuse the same Services (and so the same boto3 clients); tests build their own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .catalogue import CatalogueReader
from .settings import Settings
from .storage.factory import aws_backend, local_backend
from .storage.interface import BlobStore, SmsSender, Table


@dataclass
class Services:
    settings: Settings
    table: Table
    blobs: BlobStore
    sms: SmsSender
    clock: Callable[[], float] = field(default=time.time)

    @property
    def secret(self) -> bytes:
        return self.settings.secret_key.encode()

    @cached_property
    def catalogue(self) -> CatalogueReader:
        """The API's only view of the service catalogue: site/catalog.json and its shards, read on first use."""
        return CatalogueReader(Path(self.settings.catalog_path))


def build_services(settings: Settings, clock: Callable[[], float] = time.time) -> Services:
    if settings.backend == "aws":
        backend = aws_backend(
            settings.table_name, settings.uploads_bucket, clock=clock, endpoint_url=settings.aws_endpoint_url
        )
    else:
        backend = local_backend(Path(settings.data_dir), clock=clock)
        # The repositories import this module, so this import waits until it runs.
        from .repositories.uploads import INCOMING_PREFIX, QUARANTINE_PREFIX, QUARANTINE_SECONDS

        # Tickets' objects and licence images nobody claimed: the S3 bucket's lifecycle rules do this on aws.
        for prefix in (INCOMING_PREFIX, QUARANTINE_PREFIX):
            backend.blobs.expire(prefix, QUARANTINE_SECONDS)
    return Services(settings=settings, table=backend.table, blobs=backend.blobs, sms=backend.sms, clock=clock)

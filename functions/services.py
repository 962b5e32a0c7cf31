"""The per-process wiring: the storage backend, clock, catalogue and the repositories over them, built once and
shared by every request.

Warm Lambdas reuse the same Services (and so the same boto3 clients); tests build their own. This is the one
module that chooses a backend (storage.factory); routes and repositories see only the storage interface.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .catalogue import CatalogueReader
from .repositories.accounts import Accounts
from .repositories.applications import Applications
from .repositories.appointments import Appointments
from .repositories.audit_log import AuditLog
from .repositories.captchas import Captchas
from .repositories.evaluations import Evaluations
from .repositories.handlers import Handlers
from .repositories.known_devices import KnownDevices
from .repositories.login_attempts import LoginAttempts
from .repositories.material_library import MaterialLibrary
from .repositories.messages import Messages
from .repositories.rate_limits import RateLimits
from .repositories.result_documents import ResultDocuments
from .repositories.sessions import Sessions
from .repositories.sms_codes import SmsCodes
from .repositories.uploads import INCOMING_PREFIX, QUARANTINE_PREFIX, QUARANTINE_SECONDS, Uploads
from .settings import Settings
from .storage.factory import Backend, aws_backend, local_backend
from .storage.interface import BlobStore, SelfServedBlobs, SmsSender, Table


@dataclass
class Services:
    settings: Settings
    backend: Backend
    """The three stores, as storage.factory built them."""
    clock: Callable[[], float] = field(default=time.time)

    @property
    def table(self) -> Table:
        return self.backend.table

    @property
    def blobs(self) -> BlobStore:
        return self.backend.blobs

    @property
    def sms(self) -> SmsSender:
        return self.backend.sms

    def now(self) -> float:
        """The clock as it is when asked: the repositories are given this, so a test that swaps `clock` moves them."""
        return self.clock()

    @property
    def secret(self) -> bytes:
        return self.settings.secret_key.encode()

    @cached_property
    def catalogue(self) -> CatalogueReader:
        """The API's only view of the service catalogue: site/catalog.json and its shards, read on first use."""
        return CatalogueReader(Path(self.settings.catalog_path))

    # The repositories, each given the stores it needs.
    @cached_property
    def accounts(self) -> Accounts:
        return Accounts(self.table)

    @cached_property
    def applications(self) -> Applications:
        return Applications(self.table, self.now)

    @cached_property
    def appointments(self) -> Appointments:
        return Appointments(self.table, self.now)

    @cached_property
    def audit_log(self) -> AuditLog:
        return AuditLog(self.table)

    @cached_property
    def captchas(self) -> Captchas:
        return Captchas(self.table, self.now, test_mode=self.settings.test_mode)

    @cached_property
    def evaluations(self) -> Evaluations:
        return Evaluations(self.table, self.now)

    @cached_property
    def handlers(self) -> Handlers:
        return Handlers(self.table, self.now)

    @cached_property
    def known_devices(self) -> KnownDevices:
        return KnownDevices(self.table, self.now)

    @cached_property
    def login_attempts(self) -> LoginAttempts:
        return LoginAttempts(self.table, self.now)

    @cached_property
    def material_library(self) -> MaterialLibrary:
        return MaterialLibrary(self.table, self.blobs, self.now)

    @cached_property
    def messages(self) -> Messages:
        return Messages(self.table, self.now)

    @cached_property
    def rate_limits(self) -> RateLimits:
        return RateLimits(self.table, self.now, scale=self.settings.address_limit_scale)

    @cached_property
    def result_documents(self) -> ResultDocuments:
        return ResultDocuments(self.table, self.blobs, self.now)

    @cached_property
    def sessions(self) -> Sessions:
        settings = self.settings
        return Sessions(
            self.table, self.now, settings.session_idle_minutes * 60, settings.session_absolute_hours * 3600
        )

    @cached_property
    def sms_codes(self) -> SmsCodes:
        return SmsCodes(self.table, self.now, self.secret)

    @cached_property
    def uploads(self) -> Uploads:
        return Uploads(self.table, self.blobs, self.now)


def build_services(settings: Settings, clock: Callable[[], float] = time.time) -> Services:
    if settings.backend == "aws":
        backend = aws_backend(
            settings.table_name, settings.uploads_bucket, clock=clock, endpoint_url=settings.aws_endpoint_url
        )
    else:
        backend = local_backend(Path(settings.data_dir), clock=clock)
        # Tickets' objects and licence images nobody claimed: the S3 bucket's lifecycle rules do this on aws.
        if isinstance(backend.blobs, SelfServedBlobs):
            for prefix in (INCOMING_PREFIX, QUARANTINE_PREFIX):
                backend.blobs.expire(prefix, QUARANTINE_SECONDS)
    return Services(settings=settings, backend=backend, clock=clock)

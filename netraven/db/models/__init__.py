"""NetRaven's SQLAlchemy models, one module per aggregate."""

from netraven.db.models.audit import AuditEntry
from netraven.db.models.config import DeviceConfiguration
from netraven.db.models.credential import Credential, credential_devices, credential_tags
from netraven.db.models.device import Device, Tag, device_tags
from netraven.db.models.job import RUN_STATUSES, Job, JobRun, RunShard, job_devices, job_tags
from netraven.db.models.notification import DELIVERY_STATUSES, NamedSecret, NotificationDelivery
from netraven.db.models.result import ConnectionLog, JobLog, JobResult
from netraven.db.models.system import SystemSetting
from netraven.db.models.user import ApiToken, BrowserSession, LoginAttempt, User
from netraven.db.models.worker import Worker

__all__ = [
    "DELIVERY_STATUSES",
    "RUN_STATUSES",
    "ApiToken",
    "AuditEntry",
    "BrowserSession",
    "ConnectionLog",
    "Credential",
    "Device",
    "DeviceConfiguration",
    "Job",
    "JobLog",
    "JobResult",
    "JobRun",
    "LoginAttempt",
    "NamedSecret",
    "NotificationDelivery",
    "RunShard",
    "SystemSetting",
    "Tag",
    "User",
    "Worker",
    "credential_devices",
    "credential_tags",
    "device_tags",
    "job_devices",
    "job_tags",
]

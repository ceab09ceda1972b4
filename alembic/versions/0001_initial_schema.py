"""Initial schema: inventory, credentials, jobs, runs, results, logs, configs.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import netraven.db.base


revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "credentials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("username", sa.String(length=255), nullable=False),
        sa.Column("password_encrypted", sa.LargeBinary(), nullable=False),
        sa.Column("enable_secret_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "last_used", netraven.db.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("success_count", sa.Integer(), nullable=False),
        sa.Column("failure_count", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", netraven.db.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credentials")),
        sa.UniqueConstraint("name", name=op.f("uq_credentials_name")),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("job_type", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("target_all", sa.Boolean(), nullable=False),
        sa.Column("schedule_type", sa.String(length=20), nullable=False),
        sa.Column("run_at", netraven.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("interval_seconds", sa.Integer(), nullable=True),
        sa.Column("time_of_day", sa.String(length=8), nullable=True),
        sa.Column("days_of_week", sa.String(length=32), nullable=True),
        sa.Column("cron_expression", sa.String(length=120), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column(
            "next_run_at", netraven.db.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("created_by", sa.String(length=255), nullable=True),
        sa.Column(
            "created_at", netraven.db.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.UniqueConstraint("name", name=op.f("uq_jobs_name")),
    )
    op.create_index("ix_jobs_enabled_next_run_at", "jobs", ["enabled", "next_run_at"])

    op.create_table(
        "system_settings",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "updated_at", netraven.db.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_system_settings")),
    )
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=50), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "created_at", netraven.db.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("name", name=op.f("uq_tags_name")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("full_name", sa.String(length=255), nullable=True),
        sa.Column(
            "created_at", netraven.db.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "credential_tags",
        sa.Column("credential_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["credential_id"],
            ["credentials.id"],
            name=op.f("fk_credential_tags_credential_id_credentials"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["tags.id"],
            name=op.f("fk_credential_tags_tag_id_tags"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "credential_id", "tag_id", name=op.f("pk_credential_tags")
        ),
    )
    op.create_index("ix_credential_tags_tag_id", "credential_tags", ["tag_id"])

    op.create_table(
        "devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hostname", sa.String(length=255), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=64), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column(
            "last_seen", netraven.db.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "last_backup_at", netraven.db.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("last_backup_status", sa.String(length=20), nullable=True),
        sa.Column("last_credential_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", netraven.db.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["last_credential_id"],
            ["credentials.id"],
            name=op.f("fk_devices_last_credential_id_credentials"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_devices")),
        sa.UniqueConstraint("hostname", name=op.f("uq_devices_hostname")),
    )
    op.create_index(op.f("ix_devices_platform"), "devices", ["platform"])

    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("job_type", sa.String(length=64), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column(
            "scheduled_for", netraven.db.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "started_at", netraven.db.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "completed_at", netraven.db.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "heartbeat_at", netraven.db.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("worker", sa.String(length=255), nullable=True),
        sa.Column("triggered_by", sa.String(length=255), nullable=True),
        sa.Column("hosts_total", sa.Integer(), nullable=False),
        sa.Column("hosts_succeeded", sa.Integer(), nullable=False),
        sa.Column("hosts_failed", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", netraven.db.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_job_runs_job_id_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
    )
    op.create_index(
        "ix_job_runs_job_id_created_at", "job_runs", ["job_id", "created_at"]
    )
    op.create_index("ix_job_runs_status", "job_runs", ["status"])

    op.create_table(
        "job_tags",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_job_tags_job_id_jobs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["tags.id"],
            name=op.f("fk_job_tags_tag_id_tags"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", "tag_id", name=op.f("pk_job_tags")),
    )
    op.create_index("ix_job_tags_tag_id", "job_tags", ["tag_id"])

    op.create_table(
        "connection_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column("hostname", sa.String(length=255), nullable=False),
        sa.Column("transcript", sa.Text(), nullable=False),
        sa.Column(
            "timestamp", netraven.db.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_connection_logs_device_id_devices"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["job_runs.id"],
            name=op.f("fk_connection_logs_run_id_job_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connection_logs")),
    )
    op.create_index(
        "ix_connection_logs_run_id_device_id",
        "connection_logs",
        ["run_id", "device_id"],
    )

    op.create_table(
        "credential_devices",
        sa.Column("credential_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["credential_id"],
            ["credentials.id"],
            name=op.f("fk_credential_devices_credential_id_credentials"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_credential_devices_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "credential_id", "device_id", name=op.f("pk_credential_devices")
        ),
    )
    op.create_index(
        "ix_credential_devices_device_id", "credential_devices", ["device_id"]
    )

    op.create_table(
        "device_configurations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("config_text", sa.Text(), nullable=False),
        sa.Column("normalized_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "retrieved_at", netraven.db.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "last_seen_at", netraven.db.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("redacted", sa.Boolean(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("git_commit", sa.String(length=64), nullable=True),
        sa.Column("changed_lines", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_device_configurations_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["job_runs.id"],
            name=op.f("fk_device_configurations_run_id_job_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_configurations")),
        sa.UniqueConstraint(
            "device_id", "version", name="uq_device_configurations_device_id_version"
        ),
    )
    op.create_index(
        "ix_device_configurations_device_id_retrieved_at",
        "device_configurations",
        ["device_id", "retrieved_at"],
    )

    op.create_table(
        "device_tags",
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_device_tags_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["tags.id"],
            name=op.f("fk_device_tags_tag_id_tags"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("device_id", "tag_id", name=op.f("pk_device_tags")),
    )
    op.create_index("ix_device_tags_tag_id", "device_tags", ["tag_id"])

    op.create_table(
        "job_devices",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_job_devices_device_id_devices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_job_devices_job_id_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", "device_id", name=op.f("pk_job_devices")),
    )
    op.create_index("ix_job_devices_device_id", "job_devices", ["device_id"])

    op.create_table(
        "job_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column(
            "timestamp", netraven.db.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=50), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_job_logs_device_id_devices"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["job_runs.id"],
            name=op.f("fk_job_logs_run_id_job_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_logs")),
    )
    op.create_index(
        "ix_job_logs_device_id_timestamp", "job_logs", ["device_id", "timestamp"]
    )
    op.create_index("ix_job_logs_level_timestamp", "job_logs", ["level", "timestamp"])
    op.create_index("ix_job_logs_run_id_timestamp", "job_logs", ["run_id", "timestamp"])
    op.create_index("ix_job_logs_timestamp", "job_logs", ["timestamp"])

    op.create_table(
        "job_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column("hostname", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("error_kind", sa.String(length=20), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("credential_id", sa.Integer(), nullable=True),
        sa.Column("changed", sa.Boolean(), nullable=False),
        sa.Column("duration_seconds", sa.Double(), nullable=True),
        sa.Column(
            "started_at", netraven.db.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "completed_at", netraven.db.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("output", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["credential_id"],
            ["credentials.id"],
            name=op.f("fk_job_results_credential_id_credentials"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["devices.id"],
            name=op.f("fk_job_results_device_id_devices"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["job_runs.id"],
            name=op.f("fk_job_results_run_id_job_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_results")),
    )
    op.create_index(
        "ix_job_results_device_id_completed_at",
        "job_results",
        ["device_id", "completed_at"],
    )
    op.create_index("ix_job_results_run_id", "job_results", ["run_id"])


def downgrade() -> None:
    op.drop_index("ix_job_results_run_id", table_name="job_results")
    op.drop_index("ix_job_results_device_id_completed_at", table_name="job_results")

    op.drop_table("job_results")
    op.drop_index("ix_job_logs_timestamp", table_name="job_logs")
    op.drop_index("ix_job_logs_run_id_timestamp", table_name="job_logs")
    op.drop_index("ix_job_logs_level_timestamp", table_name="job_logs")
    op.drop_index("ix_job_logs_device_id_timestamp", table_name="job_logs")

    op.drop_table("job_logs")
    op.drop_index("ix_job_devices_device_id", table_name="job_devices")

    op.drop_table("job_devices")
    op.drop_index("ix_device_tags_tag_id", table_name="device_tags")

    op.drop_table("device_tags")
    op.drop_index(
        "ix_device_configurations_device_id_retrieved_at",
        table_name="device_configurations",
    )

    op.drop_table("device_configurations")
    op.drop_index("ix_credential_devices_device_id", table_name="credential_devices")

    op.drop_table("credential_devices")
    op.drop_index("ix_connection_logs_run_id_device_id", table_name="connection_logs")

    op.drop_table("connection_logs")
    op.drop_index("ix_job_tags_tag_id", table_name="job_tags")

    op.drop_table("job_tags")
    op.drop_index("ix_job_runs_status", table_name="job_runs")
    op.drop_index("ix_job_runs_job_id_created_at", table_name="job_runs")

    op.drop_table("job_runs")
    op.drop_index(op.f("ix_devices_platform"), table_name="devices")

    op.drop_table("devices")
    op.drop_index("ix_credential_tags_tag_id", table_name="credential_tags")

    op.drop_table("credential_tags")
    op.drop_table("users")
    op.drop_table("tags")
    op.drop_table("system_settings")
    op.drop_index("ix_jobs_enabled_next_run_at", table_name="jobs")

    op.drop_table("jobs")
    op.drop_table("credentials")

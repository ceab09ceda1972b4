"""Plugins and the job types they provide, with their parameter schemas (``/plugins``,
``/job-types``). Viewers may read them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from netraven.exceptions import NotFoundError, PluginError
from netraven.plugins import describe_plugins
from netraven.users import Principal, Role
from netraven.web.deps import PluginsDep, require

router = APIRouter(tags=["plugins"])


class Parameter(BaseModel):
    """One parameter of a job type."""

    type: str = Field(examples=["str"])
    default: Any = None
    required: bool
    help: str | None = None
    choices: list[Any] | None = None


class JobType(BaseModel):
    """A job type: what a job or run does, and the parameters it takes."""

    name: str = Field(examples=["backup"])
    plugin: str = Field(examples=["netraven_jobs"])
    description: str
    parameters: dict[str, Parameter]


class Plugin(BaseModel):
    """A plugin found at start: loaded, failed (``reason`` says why) or blocked."""

    name: str
    source: str
    distribution: str | None = None
    version: str | None = None
    status: Literal["loaded", "failed", "blocked"]
    reason: str | None = None


class Plugins(BaseModel):
    """Every plugin and every job type."""

    plugins: list[Plugin]
    job_types: list[JobType]


class JobTypeNotFound(PluginError, NotFoundError):
    """No job type of that name."""


@router.get("/plugins", response_model=Plugins)
def list_plugins(plugins: PluginsDep, _viewer: Annotated[Principal, require(Role.VIEWER)]) -> Plugins:
    """Plugins (loaded, failed or blocked) and the job types they provide."""
    return Plugins.model_validate(describe_plugins(plugins))


@router.get("/job-types", response_model=list[JobType])
def list_job_types(plugins: PluginsDep, _viewer: Annotated[Principal, require(Role.VIEWER)]) -> list[JobType]:
    """Every job type with its parameter schema."""
    return [JobType.model_validate(jt) for jt in describe_plugins(plugins)["job_types"]]


@router.get("/job-types/{name}", response_model=JobType)
def get_job_type(
    name: str, plugins: PluginsDep, _viewer: Annotated[Principal, require(Role.VIEWER)]
) -> JobType:
    """One job type with its parameter schema."""
    for job_type in describe_plugins(plugins)["job_types"]:
        if job_type["name"] == name:
            return JobType.model_validate(job_type)
    raise JobTypeNotFound(f"no job type named {name!r}")

"""Base of the API's request models: unknown fields are refused, strings are stripped of nothing
(the domain validates and normalises)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """A request body: a field the model does not know is an error (422 naming it)."""

    model_config = ConfigDict(extra="forbid")

"""Forms: the errors of a refused submission, by field, for the page to show next to each field.

A form's route validates with the API's pydantic schema and calls the domain function; on
failure it renders the same template again with ``errors = field_errors(exc)`` and the submitted
``values``, status 422, having changed nothing. ``errors["__all__"]`` is for the form as a whole.
"""

from __future__ import annotations

from pydantic import ValidationError
from starlette.datastructures import FormData

from netraven.exceptions import NetRavenError

FORM = "__all__"


def field_errors(exc: ValidationError | NetRavenError) -> dict[str, str]:
    """``{field name: message}`` of a pydantic ValidationError or a NetRavenError (its ``.field``)."""
    if isinstance(exc, NetRavenError):
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return {exc.field or FORM: message}
    errors: dict[str, str] = {}
    for error in exc.errors(include_input=False, include_url=False):
        loc = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
        name = loc[0] if loc else FORM
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        errors.setdefault(name, message)
    return errors


def form_values(form: FormData) -> dict[str, str]:
    """The text fields of a submitted form (files and the CSRF token left out), to fill it again."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}

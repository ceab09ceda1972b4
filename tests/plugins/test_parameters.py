"""Job parameters: coerced from CLI strings, defaults applied, errors in one line."""

from __future__ import annotations

from typing import Any

import pytest

from netraven.exceptions import JobError
from netraven.jobs import parse_assignments
from tests.plugins.toy import Echo


def test_cli_strings_are_coerced_and_defaults_applied() -> None:
    raw = parse_assignments(["message=hi", "times=3", "shout=yes", "ratio=0.25", "tags=core, edge"])
    assert Echo.validate(raw) == {
        "message": "hi",
        "times": 3,
        "shout": True,
        "ratio": 0.25,
        "tags": ["core", "edge"],
        "mode": "plain",
    }


def test_json_values_are_accepted_as_they_are() -> None:
    values = Echo.validate({"message": "hi", "times": 2, "shout": False, "ratio": 1, "tags": ["edge"]})
    assert values["times"] == 2 and values["ratio"] == 1.0 and values["tags"] == ["edge"]


def test_list_defaults_are_not_shared_between_runs() -> None:
    Echo.validate({"message": "a"})["tags"].append("core")
    assert Echo.validate({"message": "b"})["tags"] == []


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "job type 'echo': parameter 'message' is required (str: what to say)"),
        (
            {"message": "hi", "colour": "red"},
            "job type 'echo': unknown parameter 'colour' (known: message, mode, ",
        ),
        (
            {"message": "hi", "times": "three"},
            "job type 'echo': parameter 'times' = 'three': expected an integer",
        ),
        ({"message": "hi", "times": True}, "parameter 'times' = True: expected an integer"),
        ({"message": "hi", "times": 1.5}, "parameter 'times' = 1.5: expected an integer"),
        ({"message": "hi", "ratio": "half"}, "parameter 'ratio' = 'half': expected a number"),
        ({"message": "hi", "shout": "maybe"}, "parameter 'shout' = 'maybe': expected true or false"),
        ({"message": "hi", "mode": "loud"}, "parameter 'mode' = 'loud': expected one of plain, fancy"),
        ({"message": "hi", "tags": "core,dmz"}, "parameter 'tags' = 'core,dmz': expected one of core, edge"),
        ({"message": "hi", "tags": [1]}, "parameter 'tags' = [1]: expected a list of strings"),
        ({"message": 5}, "parameter 'message' = 5: expected a string"),
        ({"message": "line1\nline2", "times": "x\ny"}, "parameter 'times' = 'x\\ny': expected an integer"),
    ],
)
def test_invalid_parameters_fail_in_one_line(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(JobError) as caught:
        Echo.validate(raw)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_assignments_need_an_equals_sign() -> None:
    assert parse_assignments(["command=show run | i a=b"]) == {"command": "show run | i a=b"}
    with pytest.raises(JobError, match="parameter 'timeout': expected NAME=VALUE"):
        parse_assignments(["timeout"])


def test_parameters_describe_themselves_as_json() -> None:
    assert Echo.parameters["tags"].describe() == {
        "type": "list[str]",
        "default": [],
        "required": False,
        "help": "",
        "choices": ["core", "edge"],
    }

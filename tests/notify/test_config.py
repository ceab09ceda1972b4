"""Channels and rules from settings, the docs' examples among them; messages cut where they say."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import yaml

from netraven.exceptions import ConfigError
from netraven.jobs.events import DeviceInfo, RunInfo
from netraven.settings import load_settings
from netraven_notify.config import EmailChannel, Rule, WebhookChannel, load_config
from netraven_notify.events import ConfigChange, config_changed

DOC = Path(__file__).parents[2] / "docs" / "notifications.md"


def doc_examples() -> list[str]:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    return [block for block in blocks if block.lstrip().startswith("notifications:")]


@pytest.mark.parametrize("example", doc_examples())
def test_the_docs_examples_load(example: str, tmp_path: Path) -> None:
    path = tmp_path / "netraven.yaml"
    path.write_text(textwrap.dedent(example))
    config = load_config(load_settings(path, environ={"NETRAVEN_HOME": str(tmp_path)}).notifications)
    assert config.rules and all(
        channel in config.channels for rule in config.rules for channel in rule.channels
    )


def test_the_full_example_reads_as_documented(tmp_path: Path) -> None:
    config = load_config(load_settings(_write(tmp_path, doc_examples()[0]), environ={}).notifications)
    mail = config.channels["ops-mail"]
    assert isinstance(mail, EmailChannel) and (mail.server_port, mail.security) == (587, "starttls")
    assert mail.to == ("netops@example.net", "noc@example.net") and mail.secrets == {"smtp-password"}
    hook = config.channels["audit-hook"]
    assert isinstance(hook, WebhookChannel) and hook.secrets == {"audit-token", "audit-hmac"}
    assert [rule.name for rule in config.rules] == ["core-changes", "nightly-failures", "everything-to-audit"]


def test_rules_filter_by_event_tag_and_job() -> None:
    rule = Rule("r", ("c",), events=("run_failed",), tags=("core",), jobs=("nightly",))
    assert rule.matches("run_failed", {"core", "lab"}, "nightly")
    assert not rule.matches("config_changed", {"core"}, "nightly")
    assert not rule.matches("run_failed", {"lab"}, "nightly")
    assert not rule.matches("run_failed", {"core"}, None)  # an ad-hoc run belongs to no job
    assert Rule("any", ("c",)).matches("device_failing", set(), None)


@pytest.mark.parametrize(
    ("rules", "error"),
    [
        ({"r": {"channels": ["slak"]}}, "notifications.rules.r.channels: no channel 'slak' (known: hook)"),
        ({"r": {"channels": []}}, "notifications.rules.r.channels: name at least one channel"),
        (
            {"r": {"channels": ["hook"], "events": ["boom"]}},
            "notifications.rules.r.events: unknown event 'boom'",
        ),
        ({"r": {"channels": ["hook"], "when": 1}}, "notifications.rules.r.when: unknown rule setting"),
        ({"r": {"channels": ["hook"], "tags": [1]}}, "notifications.rules.r.tags: expected a list of names"),
    ],
)
def test_a_bad_rule_is_one_line_naming_its_key(rules: dict[str, object], error: str, tmp_path: Path) -> None:
    text = yaml.safe_dump(
        {"notifications": {"channels": {"hook": {"type": "webhook", "url": "http://h"}}, "rules": rules}}
    )
    with pytest.raises(ConfigError, match="^" + re.escape(error)):
        load_config(load_settings(_write(tmp_path, text), environ={}).notifications)


def test_a_long_diff_is_cut_with_the_command_showing_the_rest() -> None:
    diff = "\n".join(f"+line {n}" for n in range(100))
    change = ConfigChange(DeviceInfo(7, "core-r1", "cisco_ios"), 5, diff)
    event = config_changed(change, RunInfo(9, None, "backup"), None, max_lines=10)
    assert event.block.splitlines() == [f"+line {n}" for n in range(10)]
    assert event.more == "90 more lines: netraven config diff core-r1 4 5"
    assert event.plain().endswith(event.more) and "```\n+line 0" in event.markdown()
    assert "<pre>+line 0" in event.html()


def _write(directory: Path, text: str) -> Path:
    path = directory / "netraven.yaml"
    path.write_text(textwrap.dedent(text))
    return path

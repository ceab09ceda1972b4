from __future__ import annotations

import pytest

from netraven.configs import config_hash, normalize, validate_config
from netraven.exceptions import ConfigError, DeviceError
from netraven.simulator import state as sim_state
from netraven.simulator.platforms import texts
from netraven.simulator.spec import DeviceSpec

IOS = """Building configuration...\r
\r
Current configuration : 1234 bytes\r
!\r
! Last configuration change at 10:00:01 UTC Mon Jan 5 2026 by admin\r
! NVRAM config last updated at 10:00:02 UTC Mon Jan 5 2026 by admin\r
!\r
hostname r1   \r
username admin privilege 15 secret 5 $1$abcd$0123456789abcdefghijkl\r
interface Gi1\r
 description uplink\r
ntp clock-period 17179869\r
end\r
"""


def test_normalize_drops_volatile_lines_and_whitespace() -> None:
    text = normalize(IOS, "cisco_ios")
    assert text.startswith("!\n!\nhostname r1\n")
    assert "Last configuration" not in text and "NVRAM" not in text and "clock-period" not in text
    assert "Current configuration" not in text and "\r" not in text
    assert text.endswith("end\n")


def test_normalize_masks_secrets_only_when_asked() -> None:
    other = IOS.replace("$1$abcd$0123456789abcdefghijkl", "$1$wxyz$zyxwvutsrqponmlkjihgfe")
    assert config_hash(normalize(IOS, "cisco_ios")) != config_hash(normalize(other, "cisco_ios"))
    assert normalize(IOS, "cisco_ios", mask_secrets=True) == normalize(other, "cisco_ios", mask_secrets=True)


def test_extra_patterns_and_unknown_platform() -> None:
    text = "hostname x\n! generated 12:00\nfoo\n"
    assert normalize(text, "cisco_ios", extra_patterns=[r"^! generated"]) == "hostname x\nfoo\n"
    assert "## Last commit" not in normalize("## Last commit: 2026\nx\n", "some_vendor")
    with pytest.raises(ConfigError, match="volatile_patterns"):
        normalize(text, "cisco_ios", extra_patterns=["("])


def test_config_hash_is_sha256_hex() -> None:
    assert config_hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        ("", "parse", "empty"),
        ("  \n\n", "parse", "empty"),
        ("hostname r1\n! Last configuration change at x\nend\n", "parse", "implausibly short: 2 lines"),
        ("hostname r1\n       ^\n% Invalid input detected at '^' marker.\n" * 3, "command", "Invalid input"),
        ("error: syntax error, expecting <command>\n" + "x\n" * 10, "command", "syntax error"),
        ("unknown command.\n" + "x\n" * 10, "command", "unknown command"),
    ],
)
def test_validate_config_rejects_bad_output(text: str, kind: str, message: str) -> None:
    with pytest.raises(DeviceError, match=message) as caught:
        validate_config(text, "cisco_ios", min_lines=5)
    assert caught.value.kind == kind
    assert "\n" not in str(caught.value)


def test_validate_config_accepts_a_config() -> None:
    validate_config(IOS, "cisco_ios", min_lines=5)


@pytest.mark.parametrize("platform", ["cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos"])
def test_other_output_is_not_taken_for_a_config(platform: str) -> None:
    """``show version`` as the backup command (#13): refused, unless the markers check is off."""
    spec = DeviceSpec(hostname="r1", platform=platform, host="127.0.0.1", port=22)
    state = sim_state.new_state(spec)
    config = (
        state.show(display_set=False) if isinstance(state, sim_state.JunosState) else state.running_config()
    )
    validate_config("\n".join(config), platform, min_lines=5)
    version = "\n".join(getattr(texts, TEXTS[platform])("r1"))
    with pytest.raises(
        DeviceError, match=f"^output does not look like a configuration: no .* every {platform}"
    ):
        validate_config(version, platform, min_lines=5)
    validate_config(version, platform, min_lines=5, markers=False)
    validate_config(version, "some_other_platform", min_lines=5)  # no markers known: not checked


TEXTS = {"cisco_ios": "ios", "cisco_nxos": "nxos", "arista_eos": "eos", "juniper_junos": "junos"}

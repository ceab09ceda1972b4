"""The redactor masks known secret values and the secrets device configs carry."""

import pytest

from netraven.redaction import MASK, Redactor


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("enable secret 5 $1$abcd$xyz", "enable secret 5 <redacted>"),
        ("username admin privilege 15 secret 9 $9$qwe", "username admin privilege 15 secret 9 <redacted>"),
        ("username bob password 7 0822455D0A16", "username bob password 7 <redacted>"),
        (
            "username nr privilege 15 role network-admin secret sha512 $6$x",
            "username nr privilege 15 role network-admin secret sha512 <redacted>",
        ),
        ("snmp-server community S3cr3tRO RO", "snmp-server community <redacted> RO"),
        ("tacacs-server key 7 1234ABCD", "tacacs-server key 7 <redacted>"),
        ("radius-server host 1.1.1.1 key mykey", "radius-server host 1.1.1.1 key <redacted>"),
        (" key-string 7 ABCDEF", " key-string 7 <redacted>"),
        ("crypto isakmp key presharedsecret address 0.0.0.0", "crypto isakmp key <redacted> address 0.0.0.0"),
        (" ip ospf message-digest-key 1 md5 ospfpass", " ip ospf message-digest-key 1 md5 <redacted>"),
        (
            'set system root-authentication encrypted-password "$6$abc"',
            "set system root-authentication encrypted-password <redacted>",
        ),
        (
            "set snmp community public authorization read-only",
            "set snmp community <redacted> authorization read-only",
        ),
        ("    community public {", "    community <redacted> {"),
        (" description uplink to core", " description uplink to core"),
        ("interface GigabitEthernet0/1", "interface GigabitEthernet0/1"),
    ],
)
def test_config_secrets_are_masked_and_the_rest_kept(line: str, expected: str) -> None:
    assert Redactor().redact(line) == expected


def test_known_values_are_masked_anywhere_and_hidden_from_repr() -> None:
    redactor = Redactor(["Sim-Pass-1!", None, "ab"])  # None and too-short values are ignored
    text = "login failed for nr-admin/Sim-Pass-1! (tried Sim-Pass-1!) ab"
    assert redactor.redact(text) == f"login failed for nr-admin/{MASK} (tried {MASK}) ab"
    assert "Sim-Pass" not in repr(redactor)


def test_masking_is_idempotent() -> None:
    once = Redactor().redact("snmp-server community private RW\nenable secret 5 $1$x")
    assert Redactor().redact(once) == once

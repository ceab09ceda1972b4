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


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # the mask landed on the type word (ENC, encrypted, hash) or on "vrf", and the secret stayed
        ("username admin password ENC SH2xyz==", "username admin password ENC <redacted>"),
        ("    set password ENC SH2abcdef==", "    set password ENC <redacted>"),
        ("enable password encrypted 8Ab0xyz", "enable password encrypted <redacted>"),
        (" local-user admin password hash $h$6$abc==", " local-user admin password hash <redacted>"),
        (
            "snmp-server host 1.2.3.4 vrf mgmt community public",
            "snmp-server host 1.2.3.4 vrf mgmt community <redacted>",
        ),
        (
            "snmp-server host 1.2.3.4 vrf mgmt version 2c public udp-port 162",
            "snmp-server host 1.2.3.4 vrf mgmt version 2c <redacted> udp-port 162",
        ),
        (
            'set system login user x authentication encrypted-password "$6$abc$def"',
            "set system login user x authentication encrypted-password <redacted>",
        ),
    ],
)
def test_the_mask_lands_on_the_secret_not_the_word_before_it(line: str, expected: str) -> None:
    assert Redactor().redact(line) == expected


@pytest.mark.parametrize(
    "text",
    [
        " key\nnext line",
        "snmp-server community\nfoo bar",
        "password\nfoo",
        "tacacs-server key\nfoo",
        "community\nfoo {",
        "secret\nbar",
    ],
)
def test_no_pattern_reaches_into_the_next_line(text: str) -> None:
    assert Redactor().redact(text) == text


def test_a_platform_narrows_the_patterns() -> None:
    junos_only = '    psk "$9$Plain"; ## SECRET-DATA'
    assert MASK in Redactor(platform="juniper_junos").redact(junos_only)
    assert Redactor(platform="cisco_ios").redact(junos_only) == junos_only
    assert MASK in Redactor().redact(junos_only)  # no platform: every platform's patterns

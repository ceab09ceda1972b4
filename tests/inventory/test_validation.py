"""Field checks: normalised values back, one-line InventoryErrors for bad input."""

import pytest

from netraven.exceptions import InventoryError
from netraven.inventory.validation import (
    check_address,
    check_enabled,
    check_hostname,
    check_platform,
    check_port,
    check_tag_names,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.0.0.1", "10.0.0.1"),
        (" 2001:DB8::1 ", "2001:db8::1"),
        ("Core-1.Example.net.", "core-1.example.net"),
    ],
)
def test_good_addresses(value: str, expected: str) -> None:
    assert check_address(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("300.1.1.1", "bad address '300.1.1.1': not a valid IPv4 address"),
        ("10.0.0", "bad address '10.0.0': not a valid IPv4 address"),
        ("bad host!", "bad address 'bad host!': must be an IPv4/IPv6 address or a valid DNS hostname"),
        (
            "-lead.example.com",
            "bad address '-lead.example.com': must be an IPv4/IPv6 address or a valid DNS hostname",
        ),
        ("", "address is empty"),
    ],
)
def test_bad_addresses(value: str, message: str) -> None:
    with pytest.raises(InventoryError) as caught:
        check_address(value)
    assert str(caught.value) == message


def test_platform_suggests_the_closest() -> None:
    assert check_platform(" Cisco_IOS ") == "cisco_ios"
    with pytest.raises(InventoryError, match=r"^unknown platform 'cisco_iso' \(did you mean cisco_ios\?\)$"):
        check_platform("cisco_iso")
    with pytest.raises(InventoryError, match=r"^unknown platform 'zzzz' \(expected a netmiko device type"):
        check_platform("zzzz")


@pytest.mark.parametrize(("value", "message"), [(0, "port 0 is outside 1-65535"), (65536, "port 65536 is outside 1-65535"),
                                                ("ssh", "port 'ssh' is not a number"), (True, "port True is not a number")])  # fmt: skip
def test_bad_ports(value: object, message: str) -> None:
    with pytest.raises(InventoryError) as caught:
        check_port(value)
    assert str(caught.value) == message


def test_ports_enabled_tags_hostname() -> None:
    assert check_port("2222") == 2222
    assert check_enabled("Yes") is True and check_enabled("0") is False
    with pytest.raises(InventoryError, match="is not a boolean"):
        check_enabled("maybe")
    assert check_tag_names("core; site-a|core |") == ("core", "site-a")
    assert check_tag_names(["a", "b"]) == ("a", "b")
    with pytest.raises(InventoryError, match=r"contains ';' or '\|'"):
        check_tag_names(["a;b"])
    with pytest.raises(InventoryError, match="hostname is empty"):
        check_hostname("  ")


def test_messages_stay_on_one_line() -> None:
    with pytest.raises(InventoryError) as caught:
        check_address("evil\nsecond line" + "x" * 200)
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 150

"""The error tree's shared context: ``field`` names the input at fault, for forms."""

from netraven.exceptions import InventoryConflict, InventoryError, NetRavenError


def test_field_is_kept_and_defaults_to_none() -> None:
    assert InventoryError("bad address", field="host").field == "host"
    assert InventoryConflict("taken", field="hostname").field == "hostname"
    assert NetRavenError("no field").field is None
    assert str(InventoryError("bad address", field="host")) == "bad address"

"""The error tree's shared context: ``field`` names the input at fault, for forms."""

from netraven.exceptions import InventoryConflict, InventoryError, NetRavenError


def test_field_is_kept_and_defaults_to_none() -> None:
    assert InventoryError("bad address", field="host").field == "host"
    assert InventoryConflict("taken", field="hostname").field == "hostname"
    assert NetRavenError("no field").field is None
    assert str(InventoryError("bad address", field="host")) == "bad address"


def test_in_field_names_the_input_unless_the_error_names_one() -> None:
    import pytest

    from netraven.exceptions import in_field

    with pytest.raises(InventoryError) as caught, in_field("tags"):
        raise InventoryError("bad tag")
    assert caught.value.field == "tags"
    with pytest.raises(InventoryError) as kept, in_field("tags"):
        raise InventoryError("bad host", field="host")
    assert kept.value.field == "host"
    with pytest.raises(ValueError), in_field("tags"):
        raise ValueError("not ours")
